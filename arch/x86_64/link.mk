# The debug link's transports (docs/link.md): PCI configuration access and
# the guest's filtered view of it, the virtio console, COM2, and the choice
# between them at boot. Included from arch.mk before husk.elf is linked.

LINK_ARCH_SRCS := $(addprefix arch/x86_64/,pci.c pci_guest.c link_uart.c link_select.c \
                  virtio/virtqueue.c virtio/virtio_console.c)
MONITOR_OBJS += $(patsubst %.c,$(MONITOR_OBJDIR)/%.o,$(LINK_ARCH_SRCS))

CHECK += check-link
.PHONY: check-link
# Boots on each link: data both ways, the device hidden from the guest.
check-link: $(HUSK_ELF) $(BUILD)/guest.elf $(GUEST_ELFS)
	$(PYTEST) tests/e2e/test_link.py
