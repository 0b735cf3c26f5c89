/* Whose #DB is it? A #DB exit (DR6 as the VMCB holds it at the exit) is
 * split between the debugger's hardware breakpoints and watchpoints (the
 * global table of src/debug/hwbp.h) and the guest's own debug events (its
 * own DR slots, general detect, its own TF), which are reflected to the
 * guest with the DR6 it would have seen on bare hardware. The debugger's
 * own single steps are not handled here: the stepping code recognises them
 * first and calls this for the rest. */
#ifndef HUSK_X86_DR_CLASSIFY_H
#define HUSK_X86_DR_CLASSIFY_H

#include <stdint.h>

#include "debug/hwbp.h"

struct vcpu;

enum db_cause {
    DB_CAUSE_NONE,      /* nobody's: no known cause bit in DR6 */
    DB_CAUSE_HW_BREAK,  /* the debugger's Z1: stop (STOP_HW_BREAK); RF is set so resuming does not re-hit */
    DB_CAUSE_WATCH,     /* the debugger's Z2-Z4: stop (STOP_WATCH); the access is already done */
    DB_CAUSE_RESUME,    /* the debugger's read watchpoint hit by a write: resume, report nothing */
    DB_CAUSE_GUEST,     /* only the guest's own: a #DB is queued for it (EVENTINJ), resume */
};

/* Classifies; a guest cause in the same #DB is reflected whatever else the
 * result says (so a stop for the debugger delivers the guest's #DB when the
 * vCPU resumes). *hit is filled for HW_BREAK, WATCH and RESUME. */
enum db_cause dr_classify_db(struct vcpu *v, uint64_t dr6, struct hwbp_hit *hit);

#endif
