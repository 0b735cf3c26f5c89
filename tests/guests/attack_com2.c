/* attack_com2: COM2 (0x2F8-0x2FF) is the monitor's debug link. Hosted the
 * I/O permission map gives the guest nothing there: every read returns all
 * ones (as from an empty ISA slot) and writes are dropped, so the scratch
 * register does not keep what the guest wrote. Bare, COM2 is a real 16550:
 * the line status register reads a transmitter-empty value and the scratch
 * register keeps its byte (that run shows the probe can tell). */
#include "attack.h"
#include "guest.h"
#include "x86.h"

const char guest_name[] = "attack_com2";

#define COM2 0x2F8
enum { UART_LCR = 3, UART_LSR = 5, UART_SCR = 7 };

int guest_main(void)
{
    bool hosted = environment_is_hosted();
    uint8_t seen[8];
    int all_ones = 0;
    for (int i = 0; i < 8; i++) {
        seen[i] = inb(COM2 + i);
        all_ones += seen[i] == 0xFF;
    }
    printf("com2 read: %02x %02x %02x %02x %02x %02x %02x %02x\n", seen[0], seen[1], seen[2],
           seen[3], seen[4], seen[5], seen[6], seen[7]);

    /* Wider and string accesses go through the same permission map. */
    uint16_t word = inw(COM2);
    uint32_t dword = inl(COM2 + 4);
    uint8_t string[8], *dst = string;
    size_t count = sizeof(string);
    memset(string, 0, sizeof(string));
    __asm__ volatile("rep insb" : "+D"(dst), "+c"(count) : "d"((uint16_t)COM2) : "memory");
    int string_ones = 0;
    for (size_t i = 0; i < sizeof(string); i++)
        string_ones += string[i] == 0xFF;
    printf("com2 wide reads: inw %04x inl %08x, rep insb %d of 8 bytes ff\n", word, dword, string_ones);

    /* Writes that would hurt the link: scratch, line control (baud
     * divisor latch), a byte into the transmitter. */
    outb(COM2 + UART_SCR, 0xA5);
    uint8_t scratch = inb(COM2 + UART_SCR);
    uint8_t lcr_before = inb(COM2 + UART_LCR);
    outb(COM2 + UART_LCR, 0x80);
    outb(COM2, 0x01);
    outb(COM2 + UART_LCR, lcr_before);
    for (const char *p = "$k#6b"; *p; p++)
        outb(COM2, (uint8_t)*p);
    printf("com2 scratch after writing 0xa5: %02x\n", scratch);

    bool ok;
    if (hosted) {
        ok = check(all_ones == 8, "every COM2 port reads all ones");
        ok &= check(word == 0xFFFF && dword == 0xFFFFFFFF && string_ones == 8 && count == 0,
                    "16-, 32-bit and string reads of COM2 give all ones");
        ok &= check(scratch == 0xFF, "the scratch register write was dropped");
    } else {
        ok = check(all_ones < 8 && (seen[UART_LSR] & 0x60) == 0x60, "bare: COM2 is a 16550 with an empty transmitter");
        ok &= check(string_ones < 8 && count == 0, "bare: rep insb read the UART");
        ok &= check(scratch == 0xA5, "bare: the scratch register keeps its byte");
    }
    return ok && monitor_still_answers() ? GUEST_PASS : GUEST_FAIL;
}
