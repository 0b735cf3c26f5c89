# arch/x86_64: boot, SVM, nested paging, exits; links $(BUILD)/husk.elf,
# which QEMU boots directly with -kernel (Multiboot v1, a.out kludge).

ARCH_SRCS := $(addprefix arch/x86_64/,entry.S isr.S svm_enter.S idle.S tables.c panic.c uart.c time.c lapic.c \
             acpi.c smp.c boot.c npt.c permission_maps.c svm.c exits.c events.c guest_insn.c guest_nmi.c \
             exit_misc.c exit_io.c exit_msr.c exit_npf.c lapic_emul.c dump.c decode.c insn_cache.c)

MONITOR_OBJS += $(patsubst %.S,$(MONITOR_OBJDIR)/%.o,$(patsubst %.c,$(MONITOR_OBJDIR)/%.o,$(ARCH_SRCS)))
include arch/x86_64/link.mk

HUSK_ELF := $(BUILD)/husk.elf
ALL += $(HUSK_ELF)

$(HUSK_ELF): $(MONITOR_OBJS) arch/x86_64/linker.ld
	$(LD) -m elf_x86_64 -nostdlib -static -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments \
	    --build-id=none -T arch/x86_64/linker.ld -o $@ $(MONITOR_OBJS)

BENCH += bench-monitor
.PHONY: bench-monitor
bench-monitor: $(HUSK_ELF) $(BUILD)/guest.elf
	@$(PYTHON) scripts/bench-monitor.py
