/* Halting a CPU of the monitor until another one changes a word and kicks
 * it (idle.S). */
#ifndef HUSK_X86_IDLE_H
#define HUSK_X86_IDLE_H

#include <stdint.h>

#include "idt.h"

/* Halts until *word != seen and an NMI came; may return spuriously. */
void idle_until_change(const volatile uint32_t *word, uint32_t seen);
extern const char idle_hlt[];     /* the HLT of idle_until_change() */

/* Called by the NMI handler: an NMI that came between the check of
 * idle_until_change() and its HLT returns past the HLT (one byte, F4),
 * so the wake-up it brings is not lost. */
static inline void idle_nmi_fixup(struct irq_frame *f)
{
    if (f->rip == (uint64_t)idle_hlt)
        f->rip++;
}

#endif
