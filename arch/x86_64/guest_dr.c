/* MOV DR emulation rules and the composition of the real debug registers.
 * References: AMD APM vol. 2, 13.1.1 (debug registers), 13.1.1.3 (DR6),
 * 13.1.1.5 (DR7); APM vol. 3, MOV (DRn), its exception table. */
#include "guest_dr.h"

void dr_shadow_reset(struct dr_shadow *s)
{
    *s = (struct dr_shadow){ .dr6 = DR_RESET_DR6, .dr7 = DR_RESET_DR7 };
}

static struct dr_result result(enum dr_action action, uint64_t value)
{
    return (struct dr_result){ action, value };
}

/* DR4 and DR5 alias DR6 and DR7 while CR4.DE is clear (13.1.1). */
static unsigned effective_dr(unsigned dr) { return dr == 4 ? 6 : dr == 5 ? 7 : dr; }

static void write_dr(struct dr_shadow *s, unsigned dr, uint64_t value)
{
    switch (dr) {
    case 6: s->dr6 = (value & DR6_VOLATILE) | DR6_FIXED_1; break;
    case 7: s->dr7 = (value & DR7_VOLATILE) | DR7_FIXED_1; break;
    default: s->dr[dr] = value; break;
    }
}

static uint64_t read_dr(const struct dr_shadow *s, unsigned dr)
{
    switch (dr) {
    case 6: return s->dr6;
    case 7: return s->dr7;
    default: return s->dr[dr];
    }
}

struct dr_result dr_emulate(struct dr_shadow *s, const struct dr_access *a)
{
    /* Order of the checks as in the exception table of MOV DRn: #GP for
     * privilege first, then #UD for a register that does not exist, then the
     * general-detect #DB, then #GP for reserved bits of the value written. */
    if (a->cpl != 0 || a->vm86)
        return result(DR_INJECT_GP, 0);
    if (a->dr > 7 || (a->cr4_de && (a->dr == 4 || a->dr == 5)))
        return result(DR_INJECT_UD, 0);
    if (s->dr7 & DR7_GD) {
        /* a fault: the MOV has not executed; the handler finds BD in DR6
         * and GD clear so it can touch the registers itself */
        dr_shadow_deliver_db(s, DR6_BD);
        return result(DR_INJECT_DB, 0);
    }
    unsigned dr = effective_dr(a->dr);
    if (!a->write)
        return result(DR_DONE, read_dr(s, dr));
    if (dr >= 6 && (a->value >> 32))
        return result(DR_INJECT_GP, 0);
    write_dr(s, dr, a->value);
    return result(DR_DONE, 0);
}

void dr_shadow_deliver_db(struct dr_shadow *s, uint64_t cause)
{
    /* As KVM and the CPU do: the breakpoint-hit bits describe this #DB only,
     * BD/BS/BT accumulate until software clears them. */
    s->dr6 = ((s->dr6 & ~DR6_B_ALL) | (cause & DR6_VOLATILE) | DR6_FIXED_1) & 0xffffffffull;
    s->dr7 &= ~DR7_GD;
}

unsigned dr_guest_enabled(const struct dr_shadow *s)
{
    unsigned mask = 0;
    for (unsigned i = 0; i < 4; i++)
        if (s->dr7 & DR7_SLOT_ENABLE(i))
            mask |= 1u << i;
    return mask;
}

unsigned dr7_slot_len(uint64_t dr7, unsigned slot)
{
    static const unsigned len_of_field[4] = { 1, 2, 8, 4 };   /* LEN 00, 01, 10, 11 (13.1.1.5) */
    unsigned rw = (dr7 >> (16 + 4 * slot)) & 3;
    if (rw == 0)
        return 1;
    return len_of_field[(dr7 >> (18 + 4 * slot)) & 3];
}

static bool overlaps(uint64_t addr, unsigned len, uint64_t lo, uint64_t hi)
{
    uint64_t base = addr & ~(uint64_t)(len - 1);    /* the CPU ignores the low bits */
    return base < hi && lo < base + len;
}

struct dr_hw dr_compose(const struct dr_shadow *guest, unsigned debugger_mask, uint64_t debugger_dr7,
                        const uint64_t debugger_addr[4], uint64_t host_lo, uint64_t host_hi)
{
    struct dr_hw hw = { .dr7 = DR7_FIXED_1 };
    unsigned guest_mask = dr_guest_enabled(guest);
    for (unsigned i = 0; i < 4; i++) {
        uint64_t fields = DR7_SLOT_ENABLE(i) | DR7_SLOT_FIELDS(i);
        if (debugger_mask & (1u << i)) {
            /* the debugger's slot stays the debugger's even when it cannot
             * be loaded (on the monitor's own addresses, where the guest has
             * nothing anyway): the guest's slot of that index stays out */
            if (!overlaps(debugger_addr[i], dr7_slot_len(debugger_dr7, i), host_lo, host_hi)) {
                hw.dr[i] = debugger_addr[i];
                hw.dr7 |= debugger_dr7 & fields;
            }
        } else if ((guest_mask & (1u << i)) &&
                   !overlaps(guest->dr[i], dr7_slot_len(guest->dr7, i), host_lo, host_hi)) {
            hw.dr[i] = guest->dr[i];
            hw.dr7 |= guest->dr7 & fields;
        }
    }
    /* the exact-match hints only when a guest slot is live: they are the
     * guest's; GD stays out (emulated) */
    if (guest_mask & ~debugger_mask)
        hw.dr7 |= guest->dr7 & DR7_LE_GE;
    return hw;
}

struct dr_causes dr_split_causes(uint64_t dr6, unsigned debugger_mask, unsigned guest_mask)
{
    struct dr_causes c = { 0, 0 };
    for (unsigned i = 0; i < 4; i++) {
        if (!(dr6 & DR6_B(i)))
            continue;
        if (debugger_mask & (1u << i))
            c.debugger |= DR6_B(i);
        else if (guest_mask & (1u << i))
            c.guest |= DR6_B(i);
    }
    c.guest |= dr6 & (DR6_BD | DR6_BS | DR6_BT);
    return c;
}
