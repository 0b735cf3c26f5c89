/* The VMCB (AMD APM vol. 2, appendix B): control area at 0x000, state save
 * area at 0x400. Every field the monitor touches is pinned by offset below. */
#ifndef HUSK_X86_VMCB_H
#define HUSK_X86_VMCB_H

#include <stddef.h>
#include <stdint.h>

struct vmcb_seg {
    uint16_t selector;
    uint16_t attrib;        /* packed: type 3:0, S 4, DPL 6:5, P 7, AVL 8, L 9, D/B 10, G 11 */
    uint32_t limit;
    uint64_t base;
};
_Static_assert(sizeof(struct vmcb_seg) == 16, "segment is 16 bytes");

struct vmcb_control {
    uint16_t intercept_cr_read;     /* 0x000 */
    uint16_t intercept_cr_write;    /* 0x002 */
    uint16_t intercept_dr_read;     /* 0x004 */
    uint16_t intercept_dr_write;    /* 0x006 */
    uint32_t intercept_exceptions;  /* 0x008 */
    uint32_t intercept_misc1;       /* 0x00c */
    uint32_t intercept_misc2;       /* 0x010 */
    uint32_t intercept_misc3;       /* 0x014 */
    uint8_t reserved_018[0x03c - 0x018];
    uint16_t pause_filter_threshold;/* 0x03c */
    uint16_t pause_filter_count;    /* 0x03e */
    uint64_t iopm_base_pa;          /* 0x040 */
    uint64_t msrpm_base_pa;         /* 0x048 */
    uint64_t tsc_offset;            /* 0x050 */
    uint32_t guest_asid;            /* 0x058 */
    uint8_t tlb_control;            /* 0x05c */
    uint8_t reserved_05d[3];
    uint64_t int_ctl;               /* 0x060: V_TPR, V_IRQ, V_INTR_PRIO, V_IGN_TPR, V_INTR_MASKING, V_INTR_VECTOR */
    uint64_t int_state;             /* 0x068: bit 0 interrupt shadow */
    uint64_t exit_code;             /* 0x070 */
    uint64_t exit_info1;            /* 0x078 */
    uint64_t exit_info2;            /* 0x080 */
    uint64_t exit_int_info;         /* 0x088 */
    uint64_t np_enable;             /* 0x090 */
    uint64_t avic_apic_bar;         /* 0x098 */
    uint64_t ghcb_pa;               /* 0x0a0 */
    uint64_t event_inj;             /* 0x0a8 */
    uint64_t n_cr3;                 /* 0x0b0 */
    uint64_t lbr_virt_enable;       /* 0x0b8 */
    uint32_t clean_bits;            /* 0x0c0 */
    uint32_t reserved_0c4;
    uint64_t next_rip;              /* 0x0c8 */
    uint8_t insn_len;               /* 0x0d0 */
    uint8_t insn_bytes[15];         /* 0x0d1 */
    uint8_t reserved_0e0[0x400 - 0x0e0];
};

struct vmcb_save {
    struct vmcb_seg es, cs, ss, ds, fs, gs;     /* 0x400 .. 0x45f */
    struct vmcb_seg gdtr, ldtr, idtr, tr;       /* 0x460 .. 0x49f */
    uint8_t reserved_4a0[0x4cb - 0x4a0];
    uint8_t cpl;                    /* 0x4cb */
    uint32_t reserved_4cc;
    uint64_t efer;                  /* 0x4d0 */
    uint8_t reserved_4d8[0x548 - 0x4d8];
    uint64_t cr4;                   /* 0x548 */
    uint64_t cr3;                   /* 0x550 */
    uint64_t cr0;                   /* 0x558 */
    uint64_t dr7;                   /* 0x560 */
    uint64_t dr6;                   /* 0x568 */
    uint64_t rflags;                /* 0x570 */
    uint64_t rip;                   /* 0x578 */
    uint8_t reserved_580[0x5d8 - 0x580];
    uint64_t rsp;                   /* 0x5d8 */
    uint64_t s_cet, ssp, isst_addr; /* 0x5e0 .. 0x5f7 */
    uint64_t rax;                   /* 0x5f8 */
    uint64_t star;                  /* 0x600 */
    uint64_t lstar;                 /* 0x608 */
    uint64_t cstar;                 /* 0x610 */
    uint64_t sfmask;                /* 0x618 */
    uint64_t kernel_gs_base;        /* 0x620 */
    uint64_t sysenter_cs;           /* 0x628 */
    uint64_t sysenter_esp;          /* 0x630 */
    uint64_t sysenter_eip;          /* 0x638 */
    uint64_t cr2;                   /* 0x640 */
    uint8_t reserved_648[0x668 - 0x648];
    uint64_t g_pat;                 /* 0x668 */
    uint64_t dbgctl;                /* 0x670 */
    uint64_t br_from, br_to;        /* 0x678, 0x680 */
    uint64_t last_excp_from, last_excp_to; /* 0x688, 0x690 */
    uint8_t reserved_698[0x1000 - 0x698];
};

struct vmcb {
    struct vmcb_control control;
    struct vmcb_save save;
};

#define VMCB_OFF(f) (offsetof(struct vmcb, f))
_Static_assert(sizeof(struct vmcb) == 0x1000, "VMCB is one page");
_Static_assert(VMCB_OFF(control.iopm_base_pa) == 0x040, "iopm");
_Static_assert(VMCB_OFF(control.guest_asid) == 0x058, "asid");
_Static_assert(VMCB_OFF(control.int_ctl) == 0x060, "int_ctl");
_Static_assert(VMCB_OFF(control.exit_code) == 0x070, "exit_code");
_Static_assert(VMCB_OFF(control.exit_int_info) == 0x088, "exitintinfo");
_Static_assert(VMCB_OFF(control.event_inj) == 0x0a8, "eventinj");
_Static_assert(VMCB_OFF(control.n_cr3) == 0x0b0, "ncr3");
_Static_assert(VMCB_OFF(control.next_rip) == 0x0c8, "nrip");
_Static_assert(VMCB_OFF(save.es) == 0x400, "es");
_Static_assert(VMCB_OFF(save.tr) == 0x490, "tr");
_Static_assert(VMCB_OFF(save.cpl) == 0x4cb, "cpl");
_Static_assert(VMCB_OFF(save.efer) == 0x4d0, "efer");
_Static_assert(VMCB_OFF(save.cr4) == 0x548, "cr4");
_Static_assert(VMCB_OFF(save.rflags) == 0x570, "rflags");
_Static_assert(VMCB_OFF(save.rip) == 0x578, "rip");
_Static_assert(VMCB_OFF(save.rsp) == 0x5d8, "rsp");
_Static_assert(VMCB_OFF(save.rax) == 0x5f8, "rax");
_Static_assert(VMCB_OFF(save.cr2) == 0x640, "cr2");
_Static_assert(VMCB_OFF(save.g_pat) == 0x668, "gpat");

/* intercept_misc1 (APM vol. 2, B-1, offset 0x0c) */
enum {
    ICPT1_INTR = 1u << 0, ICPT1_NMI = 1u << 1, ICPT1_SMI = 1u << 2, ICPT1_INIT = 1u << 3,
    ICPT1_VINTR = 1u << 4, ICPT1_CPUID = 1u << 18, ICPT1_IRET = 1u << 20, ICPT1_INTN = 1u << 21,
    ICPT1_INVLPGA = 1u << 26, ICPT1_IOIO = 1u << 27, ICPT1_MSR = 1u << 28, ICPT1_SHUTDOWN = 1u << 31,
};
/* intercept_misc2 (offset 0x10); VMRUN must always be intercepted (15.5.1) */
enum {
    ICPT2_VMRUN = 1u << 0, ICPT2_VMMCALL = 1u << 1, ICPT2_VMLOAD = 1u << 2, ICPT2_VMSAVE = 1u << 3,
    ICPT2_STGI = 1u << 4, ICPT2_CLGI = 1u << 5, ICPT2_SKINIT = 1u << 6,
};

/* int_ctl (15.21.4) */
#define INTCTL_V_IRQ          (1ull << 8)
#define INTCTL_V_INTR_PRIO(p) ((uint64_t)(p) << 16)
#define INTCTL_V_IGN_TPR      (1ull << 20)
#define INTCTL_V_INTR_MASKING (1ull << 24)
#define INTCTL_V_VECTOR(v)    ((uint64_t)(v) << 32)
#define INTSTATE_SHADOW       (1ull << 0)

/* EVENTINJ and EXITINTINFO (15.20) */
#define EVENT_VALID           (1ull << 31)
#define EVENT_ERROR_VALID     (1ull << 11)
#define EVENT_TYPE_INTR       (0ull << 8)
#define EVENT_TYPE_NMI        (2ull << 8)
#define EVENT_TYPE_EXCEPTION  (3ull << 8)
#define EVENT_TYPE_SOFT_INT   (4ull << 8)
#define EVENT_TYPE_MASK       (7ull << 8)

/* Exit codes (APM vol. 2, appendix C) */
enum svm_exit {
    SVM_EXIT_EXCP_BASE = 0x40,
    SVM_EXIT_EXCP_DB = 0x41, SVM_EXIT_EXCP_NMI = 0x42, SVM_EXIT_EXCP_BP = 0x43,
    SVM_EXIT_EXCP_UD = 0x46, SVM_EXIT_EXCP_DF = 0x48, SVM_EXIT_EXCP_AC = 0x51,
    SVM_EXIT_INTR = 0x60, SVM_EXIT_NMI = 0x61, SVM_EXIT_SMI = 0x62, SVM_EXIT_INIT = 0x63,
    SVM_EXIT_VINTR = 0x64, SVM_EXIT_CPUID = 0x72, SVM_EXIT_IRET = 0x74, SVM_EXIT_SWINT = 0x75,
    SVM_EXIT_HLT = 0x78, SVM_EXIT_INVLPGA = 0x7a, SVM_EXIT_IOIO = 0x7b, SVM_EXIT_MSR = 0x7c,
    SVM_EXIT_SHUTDOWN = 0x7f, SVM_EXIT_VMRUN = 0x80, SVM_EXIT_VMMCALL = 0x81,
    SVM_EXIT_VMLOAD = 0x82, SVM_EXIT_VMSAVE = 0x83, SVM_EXIT_STGI = 0x84, SVM_EXIT_CLGI = 0x85,
    SVM_EXIT_SKINIT = 0x86,
    SVM_EXIT_NPF = 0x400,
    SVM_EXIT_INVALID = -1,
};

/* VMCB segment attributes of the states the monitor puts a vCPU in */
#define SEG_CODE32   0x0c9b   /* G, D, P, S, type 0xb (execute/read, accessed) */
#define SEG_DATA32   0x0c93   /* G, B, P, S, type 3 (read/write, accessed) */
#define SEG_CODE16   0x009b
#define SEG_DATA16   0x0093
#define SEG_LDT      0x0082
#define SEG_TSS_BUSY 0x008b

#endif
