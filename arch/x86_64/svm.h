#ifndef HUSK_X86_SVM_H
#define HUSK_X86_SVM_H

#include <stdbool.h>
#include <stdint.h>

#include "percpu.h"

/* Checks the CPU can host (SVM, not disabled by firmware, nested paging);
 * returns NULL or what is missing. */
const char *svm_unsupported(void);
/* EFER.SVME, VM_HSAVE_PA, this CPU's VMCB and host save area. */
void svm_cpu_init(struct percpu *p);

void svm_inject_exception(struct vcpu *v, uint8_t vector);
void svm_inject_exception_error(struct vcpu *v, uint8_t vector, uint32_t error);
static inline struct vmcb *vmcb_of(struct vcpu *v) { return v->arch->vmcb; }

void svm_enter(struct guest_gprs *g, uint64_t vmcb_pa, uint64_t host_save_pa);

#endif
