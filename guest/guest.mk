# guest: the supervisor-and-shard system -> build/guest.elf.
# Shards are flat binaries (shard.ld, linked at 0x1000) embedded by
# sup/shards.S; the supervisor is freestanding C without SSE.

GSYS_DIR   := guest
GSYS_OUT   := $(BUILD)/guest
GSYS_ELF   := $(BUILD)/guest.elf
GSYS_SHARD_NAMES := hello counter float fault spin

GSYS_SUP_SRCS := $(wildcard $(GSYS_DIR)/sup/*.c) $(GSYS_DIR)/lib/fmt.c $(GSYS_DIR)/lib/string.c
GSYS_SUP_ASM  := $(GSYS_DIR)/boot/multiboot.S $(GSYS_DIR)/boot/ap_trampoline.S \
                  $(GSYS_DIR)/sup/isr.S $(GSYS_DIR)/sup/shards.S
GSYS_SUP_OBJS := $(patsubst $(GSYS_DIR)/%.c,$(GSYS_OUT)/sup-obj/%.o,$(GSYS_SUP_SRCS)) \
                  $(patsubst $(GSYS_DIR)/%.S,$(GSYS_OUT)/sup-obj/%.o,$(GSYS_SUP_ASM))

# Supervisor: the shared FREESTANDING flags (no SSE, no red zone) plus the
# kernel code model for the -2 GiB link address.
GSYS_CFLAGS := $(FREESTANDING) -mcmodel=kernel -fno-tree-loop-distribute-patterns

# Shards: ring 3, SSE allowed; no FMA contraction so float results are exact.
GSYS_SHARD_CFLAGS := -std=gnu11 -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
                      -fno-asynchronous-unwind-tables -nostdlib -O2 -g -mcmodel=small \
                      -ffp-contract=off -fno-math-errno -fno-tree-loop-distribute-patterns \
                      $(WARN) $(DEPFLAGS)
GSYS_SHARD_LIB := $(GSYS_OUT)/shards/crt0.o $(GSYS_OUT)/shards/ulib.o \
                   $(GSYS_OUT)/shards/fmt.o $(GSYS_OUT)/shards/string.o
GSYS_SHARD_BINS := $(GSYS_SHARD_NAMES:%=$(GSYS_OUT)/shards/%.bin)

ALL   += $(GSYS_ELF)
CHECK += check-guest

$(GSYS_OUT)/sup-obj/%.o: $(GSYS_DIR)/%.c
	@mkdir -p $(@D)
	$(CC) $(GSYS_CFLAGS) -c $< -o $@

$(GSYS_OUT)/sup-obj/%.o: $(GSYS_DIR)/%.S
	@mkdir -p $(@D)
	$(CC) $(GSYS_CFLAGS) -c $< -o $@

# The shard images are assembled into the supervisor with .incbin.
$(GSYS_OUT)/sup-obj/sup/shards.o: $(GSYS_DIR)/sup/shards.S $(GSYS_SHARD_BINS)
	@mkdir -p $(@D)
	$(CC) $(GSYS_CFLAGS) -Wa,-I,$(GSYS_OUT)/shards -c $< -o $@

$(GSYS_ELF): $(GSYS_SUP_OBJS) $(GSYS_DIR)/guest.ld
	$(LD) -nostdlib -static -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments \
	    -T $(GSYS_DIR)/guest.ld \
	    -o $@ $(GSYS_SUP_OBJS)
	$(PYTHON) $(GSYS_DIR)/check-image.py $@

$(GSYS_OUT)/shards/%.o: $(GSYS_DIR)/shards/%.c
	@mkdir -p $(@D)
	$(CC) $(GSYS_SHARD_CFLAGS) -c $< -o $@

$(GSYS_OUT)/shards/%.o: $(GSYS_DIR)/shards/%.S
	@mkdir -p $(@D)
	$(CC) $(GSYS_SHARD_CFLAGS) -c $< -o $@

$(GSYS_OUT)/shards/%.o: $(GSYS_DIR)/lib/%.c
	@mkdir -p $(@D)
	$(CC) $(GSYS_SHARD_CFLAGS) -c $< -o $@

$(GSYS_OUT)/shards/%.elf: $(GSYS_OUT)/shards/%.o $(GSYS_SHARD_LIB) $(GSYS_DIR)/shards/shard.ld
	$(LD) -nostdlib -static -z noexecstack -T $(GSYS_DIR)/shards/shard.ld -o $@ \
	    $(GSYS_SHARD_LIB) $<

$(GSYS_OUT)/shards/%.bin: $(GSYS_OUT)/shards/%.elf
	$(OBJCOPY) -O binary $< $@

.PHONY: check-guest
check-guest: $(GSYS_ELF)
	$(PYTEST) tests/e2e/test_guest.py

# Keep the intermediate shard objects and ELFs (for debugging a shard).
.SECONDARY: $(GSYS_SHARD_BINS:.bin=.elf) $(GSYS_SHARD_BINS:.bin=.o) $(GSYS_SHARD_LIB)
