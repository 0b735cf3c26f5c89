/* The legacy 8259A pair: the BIOS leaves IRQ0 (PIT) on vector 8, where it
 * would look like #DF once a guest sets IF. Remap both PICs to 0x20-0x2F and
 * mask every line; the guests use only the LAPIC. A spurious IRQ 7/15 can
 * still arrive while masked (8259A data sheet): ignore it. */
#include "guest.h"
#include "idt.h"
#include "x86.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xA0
#define PIC2_DATA 0xA1
#define PIC_VECTOR_BASE 0x20

static void spurious_pic(struct interrupt_frame *f) { (void)f; }

void pic_disable(void)
{
    outb(PIC1_CMD, 0x11);                  /* ICW1: init, ICW4 follows */
    outb(PIC2_CMD, 0x11);
    outb(PIC1_DATA, PIC_VECTOR_BASE);      /* ICW2: vector base */
    outb(PIC2_DATA, PIC_VECTOR_BASE + 8);
    outb(PIC1_DATA, 0x04);                 /* ICW3: slave on IRQ2 */
    outb(PIC2_DATA, 0x02);
    outb(PIC1_DATA, 0x01);                 /* ICW4: 8086 mode */
    outb(PIC2_DATA, 0x01);
    outb(PIC1_DATA, 0xFF);                 /* mask all */
    outb(PIC2_DATA, 0xFF);
    irq_set_handler(PIC_VECTOR_BASE + 7, spurious_pic);
    irq_set_handler(PIC_VECTOR_BASE + 15, spurious_pic);
}
