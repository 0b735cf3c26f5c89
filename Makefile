# husk: one GNU Makefile. Each part of the tree keeps its rules in a fragment
# beside its sources; this file holds what they share and the contract
# targets of DESIGN.md (all, run, run-bare, check, fuzz, bench, stub-demo).
#
# A fragment adds to:
#   ALL    files `make` builds
#   CHECK  phony targets `make check` runs, in order
#   BENCH  phony targets `make bench` runs, each printing `bench: NAME VALUE UNIT`
#   FUZZ   phony targets `make fuzz` runs

BUILD    := build
CC       := gcc
HOSTCC   := gcc
LD       := ld
OBJCOPY  := objcopy
PYTHON   := /usr/bin/python3
PYTEST   := $(PYTHON) -m pytest -q -p no:cacheprovider
QEMU_RUN := scripts/qemu-run.sh

# Warnings every C file in the tree is held to.
WARN     := -Wall -Wextra -Werror
DEPFLAGS := -MMD -MP

# Freestanding code (monitor, guest): no libc, no SSE, no red zone.
FREESTANDING := -std=gnu11 -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
                -fno-asynchronous-unwind-tables -fno-omit-frame-pointer \
                -mno-red-zone -mgeneral-regs-only -nostdlib -O2 -g $(WARN) $(DEPFLAGS)

# Host programs and tests.
HOSTCFLAGS := -std=gnu11 -O2 -g $(WARN) $(DEPFLAGS)

ALL   :=
CHECK :=
BENCH :=
FUZZ  :=

.DEFAULT_GOAL := all

include src/src.mk
include arch/x86_64/arch.mk
include stub/stub.mk
include guest/guest.mk
include proxy/proxy.mk
include tests/guests/guests.mk

.PHONY: all deps run run-bare check fuzz bench clean

all: $(ALL)

deps:
	@scripts/deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	@echo "husk: guest console below; debugger link on $(BUILD)/husk.sock"
	@echo "husk:   gdb $(BUILD)/guest.elf -ex 'target remote $(BUILD)/husk.sock' -x scripts/husk.gdb"
	@echo "husk:   lldb $(BUILD)/guest.elf -o 'process connect unix-connect://$(CURDIR)/$(BUILD)/husk.sock'"
	@echo "husk:   $(BUILD)/husk-proxy $(BUILD)/husk.sock"
	$(QEMU_RUN)

run-bare: deps
	@$(MAKE) --no-print-directory all
	$(QEMU_RUN) --bare

# Dependencies first, then a fresh make so the build sees what was installed.
check: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory -k $(CHECK)

fuzz: deps
	@$(MAKE) --no-print-directory $(FUZZ)

bench: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory $(BENCH)

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
