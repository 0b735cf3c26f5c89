# tests/unit/decode: cmocka tests of arch/x86_64/decode.c, built hosted.
# (The monitor's fragment links the freestanding build of decode.c itself.)

DECODE_TEST     := $(BUILD)/tests/unit/decode/test_decode
DECODE_TEST_SRC := tests/unit/decode/test_decode.c arch/x86_64/decode.c

ALL   += $(DECODE_TEST)
CHECK += check-decode

$(DECODE_TEST): $(DECODE_TEST_SRC) tests/unit/decode/cases.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTCFLAGS) -Iarch/x86_64 -o $@ $(DECODE_TEST_SRC) -lcmocka

# The freestanding flags as well, so a hosted-only construct cannot slip in.
$(BUILD)/tests/unit/decode/decode-freestanding.o: arch/x86_64/decode.c
	@mkdir -p $(dir $@)
	$(CC) $(FREESTANDING) -c -o $@ $<

.PHONY: check-decode
check-decode: $(DECODE_TEST) $(BUILD)/tests/unit/decode/decode-freestanding.o
	$(DECODE_TEST)
