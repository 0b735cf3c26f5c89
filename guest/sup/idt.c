#include "trap.h"
#include <stdint.h>

/* 64-bit interrupt gate (APM vol. 2, 4.8.4). */
struct idt_gate {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_hi;
    uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate size");

#define GATE_INTERRUPT_DPL0 0x8E   /* P, DPL 0: `int n` from ring 3 raises #GP */
#define STUB_SIZE 16
#define VEC_DOUBLE_FAULT 8
#define IST_DOUBLE_FAULT 1

extern char isr_stubs[];
static struct idt_gate idt[256] __attribute__((aligned(16)));

void idt_init(void)
{
    for (int v = 0; v < 256; v++) {
        uint64_t a = (uint64_t)(isr_stubs + v * STUB_SIZE);
        idt[v].offset_lo = (uint16_t)a;
        idt[v].selector = KERNEL_CS;
        idt[v].ist = v == VEC_DOUBLE_FAULT ? IST_DOUBLE_FAULT : 0;
        idt[v].type_attr = GATE_INTERRUPT_DPL0;
        idt[v].offset_mid = (uint16_t)(a >> 16);
        idt[v].offset_hi = (uint32_t)(a >> 32);
        idt[v].reserved = 0;
    }
}

void idt_load(void)
{
    struct { uint16_t limit; uint64_t base; } __attribute__((packed)) idtr = {
        sizeof idt - 1, (uint64_t)idt };
    __asm__ volatile("lidt %0" :: "m"(idtr));
}
