/* The guest's own NMIs, kept apart from the monitor's (guest_nmi.c). */
#ifndef HUSK_X86_GUEST_NMI_H
#define HUSK_X86_GUEST_NMI_H

#include <stdbool.h>

#include "vcpu.h"

struct arch_vcpu;

/* An NMI IPI the guest on `from` sent to `to` (its emulated ICR). */
void guest_nmi_send(struct vcpu *from, struct vcpu *to);
/* Whether one is waiting for injection; taking it counts it delivered.
 * Both only on the CPU of the vCPU. */
bool guest_nmi_pending(const struct arch_vcpu *a);
void guest_nmi_take(struct arch_vcpu *a);
void guest_nmi_clear(struct arch_vcpu *a);

#endif
