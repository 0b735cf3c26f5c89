# Hardware breakpoints, watchpoints and the guest's own debug registers
# (issue 5): the debugger's global slot table (src/debug/), the MOV DR
# emulation, the real-register loading and #DB classification
# (arch/x86_64/), their cmocka tests and the debugregs test guest's e2e test.
#
#   make check-hwdebug     unit tests, then tests/e2e/test_hwdebug.py (the
#                          debugregs guest bare and hosted) and
#                          test_hwdebug_clients.py (GDB and LLDB)

HWDEBUG_CORE_SRCS := src/debug/hwbp.c
HWDEBUG_ARCH_SRCS := arch/x86_64/guest_dr.c arch/x86_64/exit_dr.c arch/x86_64/host_dr.c \
                     arch/x86_64/dr_classify.c
HWDEBUG_OBJS := $(patsubst %.c,$(MONITOR_OBJDIR)/%.o,$(HWDEBUG_CORE_SRCS) $(HWDEBUG_ARCH_SRCS))
MONITOR_OBJS += $(HWDEBUG_OBJS)

# hwbp.h speaks the stub's point types and status codes (stub/target.h)
# (exit_misc.c's #DB handler calls the classifier)
$(HWDEBUG_OBJS) $(MONITOR_OBJDIR)/arch/x86_64/exit_misc.o: MONITOR_CFLAGS += -I.

HWDEBUG_UNIT_DIR   := $(BUILD)/tests/unit/debug
HWDEBUG_UNIT_TESTS := $(HWDEBUG_UNIT_DIR)/test_hwbp $(HWDEBUG_UNIT_DIR)/test_guest_dr
HWDEBUG_UNIT_CFLAGS := $(HOSTCFLAGS) -I. -Isrc -Iarch/x86_64

ALL   += $(HWDEBUG_UNIT_TESTS)
CHECK += check-hwdebug

$(HWDEBUG_UNIT_DIR)/test_hwbp: tests/unit/debug/test_hwbp.c src/debug/hwbp.c
$(HWDEBUG_UNIT_DIR)/test_guest_dr: tests/unit/debug/test_guest_dr.c arch/x86_64/guest_dr.c

$(HWDEBUG_UNIT_TESTS):
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HWDEBUG_UNIT_CFLAGS) -o $@ $(filter %.c,$^) -lcmocka

.PHONY: check-hwdebug check-hwdebug-unit check-hwdebug-e2e
check-hwdebug: check-hwdebug-unit check-hwdebug-e2e

check-hwdebug-unit: $(HWDEBUG_UNIT_TESTS)
	@set -e; for t in $(HWDEBUG_UNIT_TESTS); do echo "$$t"; $$t; done

check-hwdebug-e2e: $(BUILD)/husk.elf $(BUILD)/guest.elf $(BUILD)/tests/guests/debugregs.elf
	$(PYTEST) tests/e2e/test_hwdebug.py tests/e2e/test_hwdebug_clients.py
