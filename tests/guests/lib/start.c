/* From the long-mode entry to the verdict: console, IDT, the guest's own
 * main, then isa-debug-exit (QEMU: -device isa-debug-exit,iobase=0xf4). */
#include "guest.h"
#include "idt.h"
#include "x86.h"

#define DEBUG_EXIT_PORT 0xF4

void console_init(void);
void pic_disable(void);
void guest_start(uint32_t magic, uint32_t info);

static uint32_t saved_magic;
static const struct mb_info *saved_info;

uint32_t boot_magic_value(void) { return saved_magic; }
const struct mb_info *boot_info(void) { return saved_info; }

void guest_exit(int code)
{
    if (code == GUEST_PASS)
        printf("guest %s: verdict pass\n", guest_name);
    else
        printf("guest %s: verdict FAIL %d\n", guest_name, code);
    outl(DEBUG_EXIT_PORT, (uint32_t)code);
    for (;;)
        __asm__ volatile("cli; hlt");
}

void guest_start(uint32_t magic, uint32_t info)
{
    saved_magic = magic;
    saved_info = magic == MB_BOOT_MAGIC ? (const struct mb_info *)(uintptr_t)info : NULL;
    console_init();
    idt_init();
    idt_load();
    pic_disable();
    printf("guest %s: start (magic 0x%x, info 0x%x)\n", guest_name, magic, info);
    if (!saved_info) {
        printf("guest %s: not started by a Multiboot loader\n", guest_name);
        guest_exit(GUEST_FAIL);
    }
    guest_exit(guest_main());
}

bool cmdline_get(const char *key, char *buf, size_t size)
{
    const struct mb_info *mbi = saved_info;
    if (!mbi || !(mbi->flags & MBI_CMDLINE) || !mbi->cmdline || !size)
        return false;
    size_t klen = strlen(key);
    const char *p = (const char *)(uintptr_t)mbi->cmdline;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *word = p;
        while (*p && *p != ' ')
            p++;
        if ((size_t)(p - word) > klen && !strncmp(word, key, klen) && word[klen] == '=') {
            size_t n = 0;
            for (const char *v = word + klen + 1; v < p && n + 1 < size; v++)
                buf[n++] = *v;
            buf[n] = '\0';
            return true;
        }
    }
    return false;
}

bool cmdline_get_u64(const char *key, uint64_t *value)
{
    char buf[32];
    if (!cmdline_get(key, buf, sizeof(buf)))
        return false;
    const char *p = buf;
    unsigned base = 10;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    }
    uint64_t v = 0;
    if (!*p)
        return false;
    for (; *p; p++) {
        unsigned d;
        if (*p >= '0' && *p <= '9')
            d = (unsigned)(*p - '0');
        else if (*p >= 'a' && *p <= 'f')
            d = (unsigned)(*p - 'a' + 10);
        else if (*p >= 'A' && *p <= 'F')
            d = (unsigned)(*p - 'A' + 10);
        else
            return false;
        if (d >= base)
            return false;
        v = v * base + d;
    }
    *value = v;
    return true;
}

bool hypervisor_bit(void)
{
    uint32_t r[4];
    cpuid(1, 0, r);
    return (r[2] >> 31) & 1;
}

void hypervisor_signature(char sig[13])
{
    uint32_t r[4];
    cpuid(0x40000000, 0, r);
    memcpy(sig, &r[1], 4);
    memcpy(sig + 4, &r[2], 4);
    memcpy(sig + 8, &r[3], 4);
    sig[12] = '\0';
}

bool hosted_by_husk(void)
{
    char sig[13];
    if (!hypervisor_bit())
        return false;
    hypervisor_signature(sig);
    return !memcmp(sig, "HuskHuskHusk", 12);
}
