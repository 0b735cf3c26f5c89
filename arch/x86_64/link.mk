# The debug link's transports (docs/link.md): PCI configuration access and
# the guest's filtered view of it, the virtio console, COM2, and the choice
# between them at boot. Included from arch.mk before husk.elf is linked.

LINK_ARCH_SRCS := $(addprefix arch/x86_64/,pci.c pci_guest.c pci_msix.c link_uart.c link_select.c ioapic.c \
                  virtio/virtqueue.c virtio/virtio_console.c)
MONITOR_OBJS += $(patsubst %.c,$(MONITOR_OBJDIR)/%.o,$(LINK_ARCH_SRCS))

# host unit test of the virtqueue (tests/unit/link)
LINK_UNIT_TESTS := $(BUILD)/tests/unit/link/test_virtqueue
ALL += $(LINK_UNIT_TESTS)
$(BUILD)/tests/unit/link/test_virtqueue: tests/unit/link/test_virtqueue.c arch/x86_64/virtio/virtqueue.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTCFLAGS) -Isrc -Iarch/x86_64 -fno-builtin -o $@ $(filter %.c,$^) -lcmocka

CHECK += check-link
.PHONY: check-link
# The virtqueue unit test; boots on each link: bytes carried, the device
# hidden from the guest.
check-link: $(LINK_UNIT_TESTS) $(HUSK_ELF) $(BUILD)/guest.elf $(BUILD)/tests/guests/pci_scan.elf
	@set -e; for t in $(LINK_UNIT_TESTS); do echo "$$t"; $$t; done
	$(PYTEST) tests/e2e/test_link.py

BENCH += bench-link
.PHONY: bench-link
# stepi and memory-read rates on each link against QEMU's own gdbstub
bench-link: $(HUSK_ELF) $(BUILD)/guest.elf
	@$(PYTHON) scripts/bench-link.py

CHECK += check-debug-uart
.PHONY: check-debug-uart
# The debugger's GDB and LLDB suites (check-debug runs them on the default
# virtio console) once more on COM2.
check-debug-uart: all
	HUSK_LINK=uart timeout 900 $(PYTEST) tests/e2e/test_debug_gdb.py tests/e2e/test_debug_lldb.py
