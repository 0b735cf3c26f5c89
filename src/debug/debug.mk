# src/debug: the debugger (RSP stub on COM2, all-stop, breakpoints,
# stepping, catchpoints) and its x86 half in arch/x86_64/debug_*.c,
# exit_debug.c. Included from src/src.mk; objects link into husk.elf.

DEBUG_SRCS := $(addprefix src/debug/,debug.c session.c allstop.c target_ops.c swbp.c catch.c commands.c \
              guest_info.c) \
              $(addprefix arch/x86_64/,debug_regs.c debug_cpu.c debug_tick.c exit_debug.c)

# the stub's headers are included as "stub/stub.h"
MONITOR_CFLAGS += -I.
# stub/stub.mk is read after this file, so its STUB_FREESTANDING_OBJS is
# not known yet: name the same objects (stub/*.c and the x86_64 target
# description, compiled freestanding by stub.mk's rules) here.
DEBUG_STUB_OBJS := $(patsubst %.c,$(BUILD)/stub/freestanding/%.o,\
                   $(notdir $(wildcard stub/*.c) $(wildcard arch/x86_64/target/*.c)) x86_64_target_xml.c)
MONITOR_OBJS += $(patsubst %.c,$(MONITOR_OBJDIR)/%.o,$(DEBUG_SRCS)) $(DEBUG_STUB_OBJS)

.PHONY: check-debug check-debug-e2e
check-debug-e2e: all
	timeout 900 $(PYTEST) tests/e2e/test_debug_gdb.py tests/e2e/test_debug_lldb.py

check-debug: check-debug-e2e

CHECK += check-debug

# `make bench`: the breakpoint round trip against QEMU's gdbstub
# (stepi and memory-read rates are bench-link's, arch/x86_64/link.mk)
BENCH += bench-debug
.PHONY: bench-debug
bench-debug: $(HUSK_ELF) $(BUILD)/guest.elf
	@$(PYTHON) scripts/bench-debug.py
