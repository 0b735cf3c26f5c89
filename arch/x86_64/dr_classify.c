/* #DB classification (AMD APM vol. 2, 13.1.1.3 "Debug-Status Register"):
 * breakpoint conditions are reported in DR6.B0-B3 by slot, so the slot says
 * whose it is: the debugger's slots are the ones host_dr.c loaded from its
 * table, the guest's the ones it loaded from the guest's shadow. */
#include "dr_classify.h"

#include "cpu.h"
#include "guest_insn.h"
#include "guest_mem.h"
#include "vcpu_dr.h"

#define VEC_DB 1

/* The watched bytes after the access, through v's own paging (the value a
 * read watchpoint compares with its snapshot). */
static bool read_watched(struct vcpu *v, const struct hwbp_slot *s, uint64_t *value)
{
    struct paging_regs r = guest_paging(v);
    uint8_t b[8];
    if (gmem_read_virt(&r, s->addr, b, s->len, 0) != WALK_OK)
        return false;
    uint64_t x = 0;
    for (unsigned i = 0; i < s->len; i++)
        x |= (uint64_t)b[i] << (8 * i);
    *value = x;
    return true;
}

static enum db_cause debugger_cause(struct vcpu *v, uint64_t bits, struct hwbp_hit *hit)
{
    struct hwbp_slot slots[HWBP_SLOTS];
    hwbp_snapshot(slots);
    enum db_cause result = DB_CAUSE_NONE;
    for (unsigned i = 0; i < HWBP_SLOTS; i++) {
        if (!(bits & DR6_B(i)))
            continue;
        uint64_t now = 0;
        bool known = slots[i].used && slots[i].type == POINT_WATCH_READ && read_watched(v, &slots[i], &now);
        struct hwbp_hit h;
        switch (hwbp_on_hit(i, now, known, &h)) {
        case HWBP_NOT_OURS:     /* removed since it was loaded */
            break;
        case HWBP_RESUME:
            if (result == DB_CAUSE_NONE) {
                result = DB_CAUSE_RESUME;
                *hit = h;
            }
            break;
        case HWBP_REPORT:
            /* an execute breakpoint is a fault: RIP is at the instruction,
             * which must run once without re-hitting (13.1.1.5, RF) */
            if (h.type == POINT_HW_BREAK)
                vmcb_of(v)->save.rflags |= RFLAGS_RF;
            if (result != DB_CAUSE_HW_BREAK && result != DB_CAUSE_WATCH) {
                result = h.type == POINT_HW_BREAK ? DB_CAUSE_HW_BREAK : DB_CAUSE_WATCH;
                *hit = h;
            }
            break;
        }
    }
    return result;
}

enum db_cause dr_classify_db(struct vcpu *v, uint64_t dr6, struct hwbp_hit *hit)
{
    unsigned dmask, gmask;
    host_dr_loaded_masks(v, &dmask, &gmask);
    struct dr_causes c = dr_split_causes(dr6, dmask, gmask);
    if (c.guest) {
        dr_shadow_deliver_db(vcpu_dr_shadow(v), c.guest);
        vcpu_dr_changed(v);
        if (!(vmcb_of(v)->control.event_inj & EVENT_VALID))
            svm_inject_exception(v, VEC_DB);
    }
    enum db_cause d = c.debugger ? debugger_cause(v, c.debugger, hit) : DB_CAUSE_NONE;
    if (d == DB_CAUSE_HW_BREAK || d == DB_CAUSE_WATCH)
        return d;
    if (c.guest)
        return DB_CAUSE_GUEST;
    return d;
}
