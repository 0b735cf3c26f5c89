# tests/unit/decode: the decoder (arch/x86_64/decode.c) tested hosted:
#  - test_decode: cmocka over the encoding table in cases.h;
#  - gcc_oracle.py: every MOV gcc emits for gcc_forms.c in 64-, 32- and
#    16-bit code, decoded and compared with objdump.
# (The monitor's fragment links the freestanding build of decode.c itself.)

DECODE_OUT      := $(BUILD)/tests/unit/decode
DECODE_TEST     := $(DECODE_OUT)/test_decode
DECODE_CLI      := $(DECODE_OUT)/decode_cli
DECODE_FORMS    := $(DECODE_OUT)/gcc_forms_64.o $(DECODE_OUT)/gcc_forms_32.o $(DECODE_OUT)/gcc_forms_16.o
DECODE_FORMS_CFLAGS := -O2 -ffreestanding -fno-pic -fno-asynchronous-unwind-tables $(WARN)

ALL   += $(DECODE_TEST) $(DECODE_CLI)
CHECK += check-decode

$(DECODE_TEST): tests/unit/decode/test_decode.c arch/x86_64/decode.c tests/unit/decode/cases.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTCFLAGS) -Iarch/x86_64 -o $@ tests/unit/decode/test_decode.c arch/x86_64/decode.c -lcmocka

$(DECODE_CLI): tests/unit/decode/decode_cli.c arch/x86_64/decode.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTCFLAGS) -Iarch/x86_64 -o $@ tests/unit/decode/decode_cli.c arch/x86_64/decode.c

$(DECODE_OUT)/gcc_forms_64.o $(DECODE_OUT)/gcc_forms_32.o: $(DECODE_OUT)/gcc_forms_%.o: tests/unit/decode/gcc_forms.c
	@mkdir -p $(dir $@)
	$(CC) $(DECODE_FORMS_CFLAGS) -m$* -c -o $@ $<

$(DECODE_OUT)/gcc_forms_16.o: tests/unit/decode/gcc_forms.c
	@mkdir -p $(dir $@)
	$(CC) $(DECODE_FORMS_CFLAGS) -m16 -DGCC_FORMS_16BIT -c -o $@ $<

# The freestanding flags as well, so a hosted-only construct cannot slip in.
$(DECODE_OUT)/decode-freestanding.o: arch/x86_64/decode.c
	@mkdir -p $(dir $@)
	$(CC) $(FREESTANDING) -c -o $@ $<

.PHONY: check-decode
check-decode: $(DECODE_TEST) $(DECODE_CLI) $(DECODE_FORMS) $(DECODE_OUT)/decode-freestanding.o
	$(DECODE_TEST)
	$(PYTHON) tests/unit/decode/gcc_oracle.py $(DECODE_CLI) \
	    $(DECODE_OUT)/gcc_forms_64.o:64 $(DECODE_OUT)/gcc_forms_32.o:32 $(DECODE_OUT)/gcc_forms_16.o:16
