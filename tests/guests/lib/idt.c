/* 64-bit IDT with a gate per vector (SDM vol. 3, 6.14.1); exceptions in a
 * probe resume it, interrupts go to registered handlers. */
#include "guest.h"
#include "idt.h"

struct idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "64-bit IDT gate");

#define SEL_CODE64 0x08
#define GATE_INTERRUPT 0x8E     /* present, DPL 0, 64-bit interrupt gate */

extern const uint8_t isr_stubs[];
static struct idt_gate idt[256] __attribute__((aligned(16)));
static irq_handler irq_handlers[256];

/* Set by the probes in isr.S. */
volatile uint64_t exc_resume;
volatile int exc_vector;
struct exc_record exc_last;

static const char *const vector_names[32] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "CSO", "#TS", "#NP",
    "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "#22", "#23",
    "#24", "#25", "#26", "#27", "#HV", "#VC", "#SX", "#31",
};

const char *vector_name(int vector)
{
    if (vector < 0)
        return "none";
    if (vector < 32)
        return vector_names[vector];
    return "interrupt";
}

void idt_init(void)
{
    for (int v = 0; v < 256; v++) {
        uint64_t handler = (uint64_t)(isr_stubs + 16 * v);
        idt[v] = (struct idt_gate){
            .offset_low = (uint16_t)handler,
            .selector = SEL_CODE64,
            .type_attr = GATE_INTERRUPT,
            .offset_mid = (uint16_t)(handler >> 16),
            .offset_high = (uint32_t)(handler >> 32),
        };
    }
}

void idt_load(void)
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) desc = { sizeof(idt) - 1, (uint64_t)idt };
    __asm__ volatile("lidt %0" :: "m"(desc));
}

void irq_set_handler(uint8_t vector, irq_handler handler) { irq_handlers[vector] = handler; }

void interrupt_dispatch(struct interrupt_frame *f)
{
    if (f->vector < 32 && exc_resume) {
        exc_last = (struct exc_record){ (int)f->vector, f->error_code, f->rip };
        exc_vector = (int)f->vector;
        f->rip = exc_resume;
        exc_resume = 0;
        return;
    }
    if (irq_handlers[f->vector]) {      /* interrupts, and NMI (vector 2) when a guest asks */
        irq_handlers[f->vector](f);
        return;
    }
    printf("unexpected %s (vector %lu) error 0x%lx at rip 0x%lx rsp 0x%lx\n",
           vector_name((int)f->vector), f->vector, f->error_code, f->rip, f->rsp);
    guest_exit(GUEST_EXIT_EXCEPTION);
}
