/* The guest's own debug registers: a per-vCPU shadow and the architectural
 * rules of MOV to and from DRn (AMD APM vol. 2, 13.1.1 "Debug Registers";
 * APM vol. 3, "MOV (DRn)"), applied to every guest DR access the monitor
 * intercepts. Pure: no VMCB, no hardware, so tests/unit/debug checks every
 * rule over a table of cases. exit_dr.c fetches and decodes the instruction
 * and carries out the action; host_dr.c composes the shadow with the
 * debugger's slots into the real registers. */
#ifndef HUSK_X86_GUEST_DR_H
#define HUSK_X86_GUEST_DR_H

#include <stdbool.h>
#include <stdint.h>

/* DR6 (13.1.1.3): B0-B3 at 0-3, BD 13, BS 14, BT 15; bits 4-11 and 16-31
 * read as one, bit 12 as zero, 63:32 are reserved and must be zero. */
#define DR6_B(i)        (1ull << (i))
#define DR6_B_ALL       0xfull
#define DR6_BD          (1ull << 13)
#define DR6_BS          (1ull << 14)
#define DR6_BT          (1ull << 15)
#define DR6_FIXED_1     0xffff0ff0ull
#define DR6_VOLATILE    (DR6_B_ALL | DR6_BD | DR6_BS | DR6_BT)
/* DR7 (13.1.1.5): L/G pairs 0-7, LE 8, GE 9, bit 10 reads as one, GD 13,
 * R/W and LEN 16-31; bits 11, 12, 14, 15 read as zero, 63:32 must be zero. */
#define DR7_FIXED_1     0x400ull
#define DR7_GD          (1ull << 13)
#define DR7_LE_GE       (3ull << 8)
#define DR7_VOLATILE    0xffff23ffull
#define DR7_SLOT_ENABLE(i)  (3ull << (2 * (i)))
#define DR7_SLOT_FIELDS(i)  (0xfull << (16 + 4 * (i)))
#define DR_RESET_DR6    DR6_FIXED_1
#define DR_RESET_DR7    DR7_FIXED_1

_Static_assert((DR6_FIXED_1 & DR6_VOLATILE) == 0, "DR6 fixed and volatile bits are disjoint");
_Static_assert((DR7_FIXED_1 & DR7_VOLATILE) == 0, "DR7 fixed and volatile bits are disjoint");
_Static_assert((DR7_VOLATILE & (DR7_GD | DR7_LE_GE | 0xff)) == (DR7_GD | DR7_LE_GE | 0xff), "DR7 controls");

/* What the guest believes its debug registers hold. */
struct dr_shadow {
    uint64_t dr[4];
    uint64_t dr6;
    uint64_t dr7;
};

void dr_shadow_reset(struct dr_shadow *s);   /* the values after RESET/INIT */

/* One intercepted MOV DR, with the state of the CPU that executed it. */
struct dr_access {
    bool write;
    unsigned dr;            /* 0..15 as encoded (REX.R gives 8..15) */
    uint64_t value;         /* write: the source register's value */
    unsigned cpl;
    bool cr4_de;            /* CR4.DE: DR4/DR5 are reserved, not aliases */
    bool vm86;              /* RFLAGS.VM: CPL 3 whatever the VMCB says */
};

enum dr_action {
    DR_DONE,                /* emulated: write result back (reads), skip the instruction */
    DR_INJECT_GP,           /* #GP(0), RIP at the instruction */
    DR_INJECT_UD,           /* #UD */
    DR_INJECT_DB,           /* #DB (fault, RIP at the instruction): DR7.GD was set */
};

struct dr_result {
    enum dr_action action;
    uint64_t value;         /* DR_DONE of a read: the destination register's new value */
};

/* Applies the rules in the order the CPU checks them (CPL, #UD for DR4/5
 * with CR4.DE and DR8-15, GD, reserved bits); updates the shadow. */
struct dr_result dr_emulate(struct dr_shadow *s, const struct dr_access *a);

/* Records a #DB delivered to the guest in its DR6 and DR7 as the CPU does on
 * delivery: B0-B3 replaced by the new ones, BD/BS/BT added, DR7.GD cleared
 * so the handler can use the registers (13.1.1.5). */
void dr_shadow_deliver_db(struct dr_shadow *s, uint64_t cause);

/* The guest's enabled slots (bit i = DRi has an L or G bit set). */
unsigned dr_guest_enabled(const struct dr_shadow *s);

/* The real DR0-DR3 and DR7: the debugger's slots (mask + their DR7 bits +
 * addresses) win; each slot the debugger leaves free carries the guest's own
 * breakpoint at the same index, so its DR6 bit means the same to the guest.
 * GD is never loaded: it is emulated, every MOV DR being intercepted.
 *
 * The real registers match in the host as well (by linear address), so a
 * slot that covers any byte of [host_lo, host_hi), the monitor's own
 * linear range, is not loaded, the guest's nor the debugger's: a guest could otherwise aim an execute
 * breakpoint at the monitor's #DB entry and recurse it into a double fault.
 * Such a slot cannot fire for the guest (nothing is there for it: the region
 * is absent from its memory map). */
struct dr_hw {
    uint64_t dr[4];
    uint64_t dr7;
};
struct dr_hw dr_compose(const struct dr_shadow *guest, unsigned debugger_mask, uint64_t debugger_dr7,
                        const uint64_t debugger_addr[4], uint64_t host_lo, uint64_t host_hi);

/* Bytes a slot covers, from its DR7 fields (execute breakpoints: 1). */
unsigned dr7_slot_len(uint64_t dr7, unsigned slot);

/* Splits the cause bits of a #DB taken with `composed` loaded: what is the
 * debugger's (B bits of its slots) and what the guest's (B bits of the
 * guest's enabled slots, and BS/BD/BT, which the debugger does not cause
 * through these registers). Bits of slots nobody enabled are dropped: the
 * CPU may set them for a matching but disabled slot (13.1.1.3). */
struct dr_causes {
    uint64_t debugger;      /* B bits */
    uint64_t guest;         /* B bits, BD, BS, BT */
};
struct dr_causes dr_split_causes(uint64_t dr6, unsigned debugger_mask, unsigned guest_mask);

#endif
