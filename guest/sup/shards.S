/* The shard images, flat binaries built from guest/shards/ (guest.mk puts
 * their directory on the assembler's include path). */
.macro shard name
    .global shard_\name\()_start, shard_\name\()_end
    .balign 16
shard_\name\()_start:
    .incbin "\name\().bin"
shard_\name\()_end:
.endm

    .section .rodata
    shard hello
    shard counter
    shard float
    shard fault
    shard spin
