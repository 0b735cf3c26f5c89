# stub: the RSP engine, the x86_64 target description it serves, its host
# demo target, unit tests and fuzzer. See the top-level Makefile for the
# shared variables.
#
# For the monitor's link (issue 5):
#   STUB_SRCS          stub/*.c, pure C99, freestanding-clean
#   X86_TARGET_SRCS    arch/x86_64/target/*.c plus the generated XML table
#   STUB_FREESTANDING_OBJS  both of the above compiled with $(FREESTANDING)
#                      into $(BUILD)/stub/freestanding/ (built by `make`)
# Compile them with -I. (includes are "stub/stub.h", "stub/target.h",
# "arch/x86_64/target/x86_64_target.h").

STUB_DIR        := $(BUILD)/stub
STUB_SRCS       := $(wildcard stub/*.c)
X86_TARGET_DIR  := arch/x86_64/target
X86_TARGET_XML  := $(addprefix $(X86_TARGET_DIR)/,target.xml 64bit-core.xml 64bit-sse.xml husk-system.xml)
X86_TARGET_GEN  := $(STUB_DIR)/gen/x86_64_target_xml.c
X86_TARGET_SRCS := $(wildcard $(X86_TARGET_DIR)/*.c) $(X86_TARGET_GEN)

# -nostdinc with only the compiler's own headers: a hosted include fails here.
STUB_CFLAGS_FREE := $(FREESTANDING) -nostdinc -isystem $(shell $(CC) -print-file-name=include) -I.
STUB_CFLAGS_HOST := $(HOSTCFLAGS) -I.

obj_free = $(patsubst %.c,$(STUB_DIR)/freestanding/%.o,$(notdir $(1)))
obj_host = $(patsubst %.c,$(STUB_DIR)/host/%.o,$(notdir $(1)))

STUB_FREESTANDING_OBJS := $(call obj_free,$(STUB_SRCS) $(X86_TARGET_SRCS))
STUB_HOST_OBJS         := $(call obj_host,$(STUB_SRCS) $(X86_TARGET_SRCS))
STUB_HOST_LIB          := $(STUB_DIR)/libstub-host.a

$(X86_TARGET_GEN): $(X86_TARGET_XML) $(X86_TARGET_DIR)/xml2c.sh
	@mkdir -p $(dir $@)
	$(X86_TARGET_DIR)/xml2c.sh $@ $(X86_TARGET_XML)

vpath %.c stub $(X86_TARGET_DIR) $(STUB_DIR)/gen

$(STUB_DIR)/freestanding/%.o: %.c | $(X86_TARGET_GEN)
	@mkdir -p $(dir $@)
	$(CC) $(STUB_CFLAGS_FREE) -c $< -o $@

$(STUB_DIR)/host/%.o: %.c | $(X86_TARGET_GEN)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(STUB_CFLAGS_HOST) -c $< -o $@

# Ties the freestanding build check to `make`: every object compiles with no
# hosted header, and linked together they need nothing from outside but the
# four functions the monitor's src/lib/ provides.
STUB_ALLOWED_UNDEFINED := memcmp memcpy memset strlen
$(STUB_DIR)/freestanding.stamp: $(STUB_FREESTANDING_OBJS)
	$(LD) -r -o $(STUB_DIR)/freestanding/stub-all.o $^
	@undef=$$(nm -u $(STUB_DIR)/freestanding/stub-all.o | awk '{print $$2}' | sort | tr '\n' ' '); \
	 if [ "$$undef" != "$(STUB_ALLOWED_UNDEFINED) " ]; then \
	   echo "stub: freestanding objects need unexpected symbols: $$undef" >&2; exit 1; fi
	@touch $@

$(STUB_HOST_LIB): $(STUB_HOST_OBJS)
	@rm -f $@
	ar rcs $@ $^

# ---- host demo target ---------------------------------------------------
STUB_DEMO_SRCS := $(wildcard tests/stub-demo/*.c)
STUB_DEMO_OBJS := $(patsubst tests/stub-demo/%.c,$(STUB_DIR)/demo/%.o,$(STUB_DEMO_SRCS))

$(STUB_DIR)/demo/%.o: tests/stub-demo/%.c | $(X86_TARGET_GEN)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(STUB_CFLAGS_HOST) -c $< -o $@

$(BUILD)/stub-demo: $(STUB_DEMO_OBJS) $(STUB_HOST_LIB)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(STUB_DEMO_OBJS) $(STUB_HOST_LIB) -o $@

.PHONY: stub-demo
stub-demo: $(BUILD)/stub-demo

ALL += $(STUB_DIR)/freestanding.stamp $(STUB_HOST_LIB) $(BUILD)/stub-demo

# ---- unit tests (cmocka) ------------------------------------------------
STUB_UNIT_SRCS  := $(wildcard tests/unit/stub/test_*.c)
STUB_UNIT_COMMON := $(filter-out tests/unit/stub/test_%.c,$(wildcard tests/unit/stub/*.c))
STUB_UNIT_BINS  := $(patsubst tests/unit/stub/%.c,$(STUB_DIR)/unit/%,$(STUB_UNIT_SRCS))

$(STUB_DIR)/unit/%: tests/unit/stub/%.c $(STUB_UNIT_COMMON) $(wildcard tests/unit/stub/*.h) $(STUB_HOST_LIB)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(STUB_CFLAGS_HOST) -Itests/unit/stub $< $(STUB_UNIT_COMMON) $(STUB_HOST_LIB) -lcmocka -o $@

.PHONY: check-stub check-stub-unit check-stub-fuzz check-stub-e2e
check-stub-unit: $(STUB_UNIT_BINS)
	@set -e; for t in $(STUB_UNIT_BINS); do echo "unit: $$t"; timeout 120 $$t; done

# ---- fuzzer (libFuzzer, ASan, UBSan) ------------------------------------
FUZZ_SECONDS ?= 600
STUB_FUZZ_BIN := $(STUB_DIR)/fuzz/fuzz_stub
STUB_FUZZ_CFLAGS := -std=gnu11 -O2 -g $(WARN) -I. -fsanitize=fuzzer,address,undefined \
                    -fno-sanitize-recover=undefined -fno-omit-frame-pointer

$(STUB_FUZZ_BIN): tests/fuzz/fuzz_stub.c $(STUB_SRCS) $(X86_TARGET_SRCS) $(wildcard stub/*.h)
	@mkdir -p $(dir $@)
	clang $(STUB_FUZZ_CFLAGS) tests/fuzz/fuzz_stub.c $(STUB_SRCS) $(X86_TARGET_SRCS) -o $@

# The committed corpus stays read-only; new inputs go to build/.
# FUZZ_MAX_LEN bounds an input: the long run trades whole sessions (the
# seeds are cut to it) for executions per second.
# FUZZ_RUNS stops a run after that many executions (-1: no limit).
FUZZ_MAX_LEN ?= 20000
FUZZ_RUNS ?= -1
STUB_FUZZ_RUN = mkdir -p $(STUB_DIR)/fuzz/corpus && \
	timeout $$(($(1) + 60)) $(STUB_FUZZ_BIN) -max_total_time=$(1) -max_len=$(FUZZ_MAX_LEN) \
	  -runs=$(FUZZ_RUNS) \
	  -rss_limit_mb=1024 -print_final_stats=1 -dict=tests/fuzz/rsp.dict \
	  $(STUB_DIR)/fuzz/corpus tests/fuzz/corpus

check-stub-fuzz: $(STUB_FUZZ_BIN)
	$(call STUB_FUZZ_RUN,30)

.PHONY: fuzz-stub
fuzz-stub: $(STUB_FUZZ_BIN)
	$(call STUB_FUZZ_RUN,$(FUZZ_SECONDS))

# ---- end to end: real gdb and lldb against the demo ---------------------
check-stub-e2e: $(BUILD)/stub-demo
	timeout 900 $(PYTEST) tests/e2e/test_stub_*.py

check-stub: check-stub-unit check-stub-fuzz check-stub-e2e

CHECK += check-stub
FUZZ  += fuzz-stub
