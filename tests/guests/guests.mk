# tests/guests: the Multiboot test and attack guests (registry: guests.tbl),
# and the decoder's unit tests.
include tests/unit/decode/decode.mk

GUESTS_DIR   := tests/guests
GUESTS_OUT   := $(BUILD)/tests/guests
GUEST_NAMES  := $(shell sed -n 's/^\([a-z0-9_]\{1,\}\) .*/\1/p' $(GUESTS_DIR)/guests.tbl)
GUEST_ELFS   := $(GUEST_NAMES:%=$(GUESTS_OUT)/%.elf)
# A guest written as NAME.S stands alone (its own entry, no lib/).
GUEST_STANDALONE := $(filter $(GUEST_NAMES),$(basename $(notdir $(wildcard $(GUESTS_DIR)/*.S))))
# smp32_elf: smp32.S again as a plain ELF32 kernel (no a.out kludge).
GUEST_ELF32      := smp32_elf
GUEST_WITH_LIB   := $(filter-out $(GUEST_STANDALONE) $(GUEST_ELF32),$(GUEST_NAMES))
GUEST_LIB_SRC := $(wildcard $(GUESTS_DIR)/lib/*.c $(GUESTS_DIR)/lib/*.S)
# The monitor's freestanding runtime (mem*/str*, snprintf) and its MADT
# parser are theirs too, built again with the guests' flags.
GUEST_MONITOR_SRC := src/lib/string.c src/lib/printf.c arch/x86_64/acpi.c
GUEST_LIB_OBJ := $(patsubst $(GUESTS_DIR)/lib/%,$(GUESTS_OUT)/lib/%.o,$(GUEST_LIB_SRC)) \
                 $(GUEST_MONITOR_SRC:%=$(GUESTS_OUT)/monitor/%.o)
GUEST_CFLAGS := $(FREESTANDING) -m64 -mcmodel=small -I$(GUESTS_DIR)/lib -Isrc -Iarch
GUEST_LDFLAGS := -m elf_x86_64 -nostdlib -static -z max-page-size=0x1000 --no-warn-rwx-segments -z noexecstack \
                 -T $(GUESTS_DIR)/guest.ld

ALL   += $(GUEST_ELFS)
CHECK += check-guests

$(GUESTS_OUT)/lib/%.c.o: $(GUESTS_DIR)/lib/%.c
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -c -o $@ $<

$(GUESTS_OUT)/monitor/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -c -o $@ $<

$(GUESTS_OUT)/lib/%.S.o: $(GUESTS_DIR)/lib/%.S
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -c -o $@ $<

$(GUESTS_OUT)/%.o: $(GUESTS_DIR)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -c -o $@ $<

$(GUESTS_OUT)/%.S.o: $(GUESTS_DIR)/%.S
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -c -o $@ $<

$(GUEST_WITH_LIB:%=$(GUESTS_OUT)/%.elf): $(GUESTS_OUT)/%.elf: $(GUESTS_OUT)/%.o $(GUEST_LIB_OBJ) $(GUESTS_DIR)/guest.ld
	$(LD) $(GUEST_LDFLAGS) -o $@ $< $(GUEST_LIB_OBJ)

$(GUEST_STANDALONE:%=$(GUESTS_OUT)/%.elf): $(GUESTS_OUT)/%.elf: $(GUESTS_OUT)/%.S.o $(GUESTS_DIR)/guest.ld
	$(LD) $(GUEST_LDFLAGS) -o $@ $<

$(GUESTS_OUT)/smp32_elf.o: $(GUESTS_DIR)/smp32.S
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -m32 -DMULTIBOOT_ELF -DGUEST_NAME='"smp32_elf"' -c -o $@ $<

$(GUESTS_OUT)/smp32_elf.elf: $(GUESTS_OUT)/smp32_elf.o $(GUESTS_DIR)/guest.ld
	$(LD) -m elf_i386 -nostdlib -static -z max-page-size=0x1000 --no-warn-rwx-segments -z noexecstack \
	    -T $(GUESTS_DIR)/guest.ld -o $@ $<

.PHONY: check-guests guests
guests: $(GUEST_ELFS)

# Hosted cases skip themselves while build/husk.elf does not exist.
check-guests: $(GUEST_ELFS)
	$(PYTEST) tests/e2e/test_multiboot.py tests/e2e/test_isolation.py

# Objects are kept: the guests share the library's.
.SECONDARY: $(GUEST_LIB_OBJ) $(GUEST_WITH_LIB:%=$(GUESTS_OUT)/%.o) $(GUEST_STANDALONE:%=$(GUESTS_OUT)/%.S.o) \
            $(GUEST_ELF32:%=$(GUESTS_OUT)/%.o)
