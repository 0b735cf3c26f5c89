# src: the arch-neutral monitor core and its freestanding runtime.
# Objects go to $(BUILD)/monitor/; arch/x86_64/arch.mk links them into
# $(BUILD)/husk.elf. Host unit tests: tests/unit/monitor/monitor.mk.

MONITOR_OBJDIR  := $(BUILD)/monitor
MONITOR_CFLAGS  := $(FREESTANDING) -Isrc -Iarch/x86_64 -mcmodel=small
MONITOR_ASFLAGS := -Iarch/x86_64 -D__ASSEMBLY__ $(DEPFLAGS)

MONITOR_CORE_SRCS := src/main.c src/vcpu.c src/log.c src/link.c src/health.c src/guest_mem.c \
                     src/pagewalk.c src/mb_loader.c src/memmap.c src/mbinfo.c \
                     src/lib/string.c src/lib/printf.c

MONITOR_OBJS := $(patsubst %.c,$(MONITOR_OBJDIR)/%.o,$(MONITOR_CORE_SRCS))

$(MONITOR_OBJDIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(MONITOR_CFLAGS) -c -o $@ $<

$(MONITOR_OBJDIR)/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(MONITOR_ASFLAGS) -c -o $@ $<

include tests/unit/monitor/monitor.mk
include src/debug/hwdebug.mk
include src/debug/debug.mk
