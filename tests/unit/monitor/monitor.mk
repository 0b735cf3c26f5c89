# tests/unit/monitor: cmocka tests of the pure monitor modules, built hosted
# from the same sources the monitor links.

MONITOR_UNIT_DIR   := $(BUILD)/tests/unit/monitor
MONITOR_UNIT_TESTS := $(addprefix $(MONITOR_UNIT_DIR)/,test_lib test_pagewalk test_memmap test_mb_loader \
                      test_mbinfo test_guest_mem test_health test_reg_operand test_insn_cache)
MONITOR_UNIT_CFLAGS := $(HOSTCFLAGS) -iquote src -iquote arch/x86_64 -fno-builtin

ALL   += $(MONITOR_UNIT_TESTS)
CHECK += check-monitor

# each test: its own file plus the modules it exercises
$(MONITOR_UNIT_DIR)/test_lib: tests/unit/monitor/test_lib.c src/lib/printf.c src/lib/string.c
$(MONITOR_UNIT_DIR)/test_pagewalk: tests/unit/monitor/test_pagewalk.c src/pagewalk.c
$(MONITOR_UNIT_DIR)/test_memmap: tests/unit/monitor/test_memmap.c src/memmap.c
$(MONITOR_UNIT_DIR)/test_mb_loader: tests/unit/monitor/test_mb_loader.c src/mb_loader.c
$(MONITOR_UNIT_DIR)/test_mbinfo: tests/unit/monitor/test_mbinfo.c src/mbinfo.c src/memmap.c
$(MONITOR_UNIT_DIR)/test_guest_mem: tests/unit/monitor/test_guest_mem.c src/guest_mem.c src/pagewalk.c
$(MONITOR_UNIT_DIR)/test_health: tests/unit/monitor/test_health.c src/health.c
$(MONITOR_UNIT_DIR)/test_reg_operand: tests/unit/monitor/test_reg_operand.c arch/x86_64/reg_operand.h
$(MONITOR_UNIT_DIR)/test_insn_cache: tests/unit/monitor/test_insn_cache.c arch/x86_64/insn_cache.c \
                                     arch/x86_64/decode.c src/pagewalk.c

$(MONITOR_UNIT_TESTS):
	@mkdir -p $(dir $@)
	$(HOSTCC) $(MONITOR_UNIT_CFLAGS) -o $@ $(filter %.c,$^) -lcmocka

.PHONY: check-monitor check-monitor-unit check-monitor-e2e
check-monitor: check-monitor-unit check-monitor-e2e

check-monitor-unit: $(MONITOR_UNIT_TESTS)
	@set -e; for t in $(MONITOR_UNIT_TESTS); do echo "$$t"; $$t; done

check-monitor-e2e: $(BUILD)/husk.elf $(BUILD)/guest.elf $(BUILD)/tests/guests/attack_triple_fault.elf \
                   $(BUILD)/tests/guests/mbinfo.elf
	$(PYTEST) tests/e2e/test_monitor*.py
