# tests/guests: the test and attack guests, and the decoder's unit tests.
include tests/unit/decode/decode.mk
