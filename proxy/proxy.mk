# proxy: husk-proxy, the host shell (docs/proxy.md), its unit tests and its
# end-to-end tests against the stub demo target. See the top-level Makefile
# for the shared variables.

PROXY_DIR     := $(BUILD)/proxy
PROXY_SRCS    := $(wildcard proxy/*.c)
PROXY_OBJS    := $(patsubst proxy/%.c,$(PROXY_DIR)/%.o,$(PROXY_SRCS))
# Everything but main(): what the unit tests link against.
PROXY_LIB_OBJS := $(filter-out $(PROXY_DIR)/main.o,$(PROXY_OBJS))
PROXY_LIBS    := -ledit -ldw -lelf

$(PROXY_DIR)/%.o: proxy/%.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTCFLAGS) -c $< -o $@

$(BUILD)/husk-proxy: $(PROXY_OBJS)
	$(HOSTCC) $(PROXY_OBJS) $(PROXY_LIBS) -o $@

ALL += $(BUILD)/husk-proxy

# ---- unit tests (cmocka) ------------------------------------------------
PROXY_UNIT_SRCS := $(wildcard tests/unit/proxy/test_*.c)
PROXY_UNIT_BINS := $(patsubst tests/unit/proxy/%.c,$(PROXY_DIR)/unit/%,$(PROXY_UNIT_SRCS))

$(PROXY_DIR)/unit/%: tests/unit/proxy/%.c $(PROXY_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTCFLAGS) -Iproxy $< $(PROXY_LIB_OBJS) $(PROXY_LIBS) -lcmocka -o $@

.PHONY: check-proxy check-proxy-unit check-proxy-e2e
# The unit tests build small ELF files with gcc and run gdb; they get a
# scratch directory of their own.
check-proxy-unit: $(PROXY_UNIT_BINS)
	@set -e; for t in $(PROXY_UNIT_BINS); do echo "unit: $$t"; \
	  PROXY_TEST_TMP=$(PROXY_DIR)/unit/tmp timeout 120 $$t; done

check-proxy-e2e: $(BUILD)/husk-proxy $(BUILD)/stub-demo
	timeout 1800 $(PYTEST) tests/e2e/test_proxy*.py

check-proxy: check-proxy-unit check-proxy-e2e

CHECK += check-proxy
