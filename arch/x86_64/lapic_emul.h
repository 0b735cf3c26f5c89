#ifndef HUSK_X86_LAPIC_EMUL_H
#define HUSK_X86_LAPIC_EMUL_H

#include <stdint.h>

struct vcpu;

/* Emulates the guest's store that faulted on the read-only xAPIC page. */
void lapic_emulate_store(struct vcpu *v, uint64_t gpa);

#endif
