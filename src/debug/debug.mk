# src/debug: the debugger (RSP stub on COM2, all-stop, breakpoints,
# stepping, catchpoints) and its x86 half in arch/x86_64/debug_*.c,
# exit_debug.c. Included from src/src.mk; objects link into husk.elf.

DEBUG_SRCS := $(addprefix src/debug/,debug.c session.c allstop.c target_ops.c swbp.c catch.c catch_spec.c cmd_args.c commands.c \
              guest_info.c) \
              $(addprefix arch/x86_64/,debug_regs.c debug_cpu.c debug_vectors.c debug_tick.c exit_debug.c)

# the stub's headers are included as "stub/stub.h"
MONITOR_CFLAGS += -I.
# stub/stub.mk is read after this file, so its STUB_FREESTANDING_OBJS is
# not known yet: name the same objects (stub/*.c and the x86_64 target
# description, compiled freestanding by stub.mk's rules) here.
DEBUG_STUB_OBJS := $(patsubst %.c,$(BUILD)/stub/freestanding/%.o,\
                   $(notdir $(wildcard stub/*.c) $(wildcard arch/x86_64/target/*.c)) x86_64_target_xml.c)
MONITOR_OBJS += $(patsubst %.c,$(MONITOR_OBJDIR)/%.o,$(DEBUG_SRCS)) $(DEBUG_STUB_OBJS)

# ---- unit tests (cmocka): the engine's pure parts on the host -----------
# swbp.c runs over tests/unit/debug/fake_gmem.c (guest memory as a buffer)
# and the real page walker; catch_spec.c and cmd_args.c link the stub's
# argument parsers.
DEBUG_UNIT_DIR   := $(BUILD)/tests/unit/debug
DEBUG_UNIT_TESTS := $(addprefix $(DEBUG_UNIT_DIR)/,test_swbp test_catch_spec test_cmd_args)
DEBUG_UNIT_CFLAGS := $(HOSTCFLAGS) -I. -Isrc -Itests/unit/debug
# stub.mk is read later: its host library by name
DEBUG_UNIT_STUB_LIB := $(BUILD)/stub/libstub-host.a

$(DEBUG_UNIT_DIR)/test_swbp: tests/unit/debug/test_swbp.c src/debug/swbp.c src/pagewalk.c \
                             tests/unit/debug/fake_gmem.c tests/unit/debug/fake_gmem.h
$(DEBUG_UNIT_DIR)/test_catch_spec: tests/unit/debug/test_catch_spec.c src/debug/catch_spec.c \
                                   arch/x86_64/debug_vectors.c $(DEBUG_UNIT_STUB_LIB)
$(DEBUG_UNIT_DIR)/test_cmd_args: tests/unit/debug/test_cmd_args.c src/debug/cmd_args.c $(DEBUG_UNIT_STUB_LIB)

$(DEBUG_UNIT_TESTS):
	@mkdir -p $(dir $@)
	$(HOSTCC) $(DEBUG_UNIT_CFLAGS) -o $@ $(filter %.c %.a,$^) -lcmocka

ALL += $(DEBUG_UNIT_TESTS)

.PHONY: check-debug check-debug-unit check-debug-e2e
check-debug-unit: $(DEBUG_UNIT_TESTS)
	@set -e; for t in $(DEBUG_UNIT_TESTS); do echo "unit: $$t"; timeout 60 $$t; done

check-debug-e2e: all
	timeout 900 $(PYTEST) tests/e2e/test_debug_gdb.py tests/e2e/test_debug_lldb.py

check-debug: check-debug-unit check-debug-e2e

CHECK += check-debug

# `make bench`: the breakpoint round trip against QEMU's gdbstub
# (stepi and memory-read rates are bench-link's, arch/x86_64/link.mk)
BENCH += bench-debug
.PHONY: bench-debug
bench-debug: $(HUSK_ELF) $(BUILD)/guest.elf
	@$(PYTHON) scripts/bench-debug.py
