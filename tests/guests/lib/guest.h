/* What a test guest sees of the library: it defines guest_name and
 * guest_main(); the library boots, prints, catches exceptions and turns
 * the verdict into an isa-debug-exit write (QEMU exits with 2*code+1). */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The monitor's freestanding runtime and Multiboot layout serve the guests too. */
#include "lib/printf.h"
#include "lib/string.h"
#include "multiboot.h"

/* Verdicts: 0 passes; anything else names the failed check. */
#define GUEST_PASS 0
#define GUEST_FAIL 1

extern const char guest_name[];
int guest_main(void);

/* Never returns: prints the verdict line, then writes `code` to port 0xf4. */
void guest_exit(int code) __attribute__((noreturn));

/* COM1 console; safe from every CPU. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Check helper: prints `what` with ok/FAIL and returns whether it held. */
bool check(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The Multiboot info as the loader passed it (NULL if the magic was wrong). */
const struct mb_info *boot_info(void);
uint32_t boot_magic_value(void);

/* Value of `key=...` on the command line, copied into buf; false if absent. */
bool cmdline_get(const char *key, char *buf, size_t size);
/* Same, parsed as a number (0x prefix for hex). */
bool cmdline_get_u64(const char *key, uint64_t *value);

/* CPUID.1:ECX[31], and the 12-byte signature of leaf 0x40000000 (NUL-terminated). */
bool hypervisor_bit(void);
void hypervisor_signature(char sig[13]);
/* Hypervisor bit set and the signature is husk's: the guest runs hosted. */
bool hosted_by_husk(void);

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
