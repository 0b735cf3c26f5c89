#include "exits.h"

#include "exit_path.h"
#include "lib/printf.h"
#include "time.h"
#include "log.h"
#include "vcpu_dr.h"

#define NPF_SLOT (0x90 + (SVM_EXIT_NPF - 0x400))

EXIT_PATH unsigned exit_slot(uint64_t code)
{
    if (code < 0x90)
        return (unsigned)code;
    if (code >= 0x400 && code < 0x408)
        return 0x90 + (unsigned)(code - 0x400);
    return EXIT_SLOTS;
}

static const exit_handler handlers[EXIT_SLOTS] = {
    [0x20 ... 0x3f] = exit_dr_access,   /* MOV from / to DR0-DR15 */
    [SVM_EXIT_EXCP_DB] = exit_excp_db,
    [SVM_EXIT_EXCP_AC] = exit_excp_ac,
    [SVM_EXIT_INTR] = exit_intr,
    [SVM_EXIT_NMI] = exit_nmi,
    [SVM_EXIT_INIT] = exit_init,
    [SVM_EXIT_VINTR] = exit_vintr,
    [SVM_EXIT_IRET] = exit_iret,
    [SVM_EXIT_CPUID] = exit_cpuid,
    [SVM_EXIT_INVLPGA] = exit_svm_insn,
    [SVM_EXIT_IOIO] = exit_ioio,
    [SVM_EXIT_MSR] = exit_msr,
    [SVM_EXIT_SHUTDOWN] = exit_shutdown,
    /* the debugger's (exit_debug.c): int3, catchpoints, exceptions during a step */
    [SVM_EXIT_SWINT] = exit_swint,
    [SVM_EXIT_EXCP_BP] = exit_excp_bp,
    [SVM_EXIT_EXCP_DF] = exit_excp_df,
    [SVM_EXIT_EXCP_BASE + 0] = exit_excp_other, [SVM_EXIT_EXCP_BASE + 4] = exit_excp_other,
    [SVM_EXIT_EXCP_BASE + 5] = exit_excp_other, [SVM_EXIT_EXCP_BASE + 6] = exit_excp_other,
    [SVM_EXIT_EXCP_BASE + 7] = exit_excp_other, [SVM_EXIT_EXCP_BASE + 10] = exit_excp_other,
    [SVM_EXIT_EXCP_BASE + 11] = exit_excp_other, [SVM_EXIT_EXCP_BASE + 12] = exit_excp_other,
    [SVM_EXIT_EXCP_BASE + 13] = exit_excp_other, [SVM_EXIT_EXCP_BASE + 14] = exit_excp_other,
    [SVM_EXIT_EXCP_BASE + 16] = exit_excp_other, [SVM_EXIT_EXCP_BASE + 18] = exit_excp_other,
    [SVM_EXIT_EXCP_BASE + 19] = exit_excp_other, [SVM_EXIT_EXCP_BASE + 20] = exit_excp_other,
    [SVM_EXIT_EXCP_BASE + 21] = exit_excp_other, [SVM_EXIT_EXCP_BASE + 28] = exit_excp_other,
    [SVM_EXIT_EXCP_BASE + 29] = exit_excp_other, [SVM_EXIT_EXCP_BASE + 30] = exit_excp_other,
    [SVM_EXIT_VMRUN] = exit_svm_insn,
    [SVM_EXIT_VMMCALL] = exit_svm_insn,
    [SVM_EXIT_VMLOAD] = exit_svm_insn,
    [SVM_EXIT_VMSAVE] = exit_svm_insn,
    [SVM_EXIT_STGI] = exit_svm_insn,
    [SVM_EXIT_CLGI] = exit_svm_insn,
    [SVM_EXIT_SKINIT] = exit_svm_insn,
    [NPF_SLOT] = exit_npf,
};

const char *exit_name(uint64_t code)
{
    static const char *const names[EXIT_SLOTS] = {
        [0x20] = "DR0 read", [0x21] = "DR1 read", [0x22] = "DR2 read", [0x23] = "DR3 read",
        [0x24] = "DR4 read", [0x25] = "DR5 read", [0x26] = "DR6 read", [0x27] = "DR7 read",
        [0x28 ... 0x2f] = "DR8-15 read",
        [0x30] = "DR0 write", [0x31] = "DR1 write", [0x32] = "DR2 write", [0x33] = "DR3 write",
        [0x34] = "DR4 write", [0x35] = "DR5 write", [0x36] = "DR6 write", [0x37] = "DR7 write",
        [0x38 ... 0x3f] = "DR8-15 write",
        [SVM_EXIT_EXCP_DB] = "#DB", [SVM_EXIT_EXCP_AC] = "#AC", [SVM_EXIT_EXCP_DF] = "#DF",
        [SVM_EXIT_INTR] = "INTR", [SVM_EXIT_NMI] = "NMI", [SVM_EXIT_INIT] = "INIT", [SVM_EXIT_VINTR] = "VINTR", [SVM_EXIT_IRET] = "IRET",
        [SVM_EXIT_CPUID] = "CPUID", [SVM_EXIT_INVLPGA] = "INVLPGA", [SVM_EXIT_IOIO] = "IOIO",
        [SVM_EXIT_MSR] = "MSR", [SVM_EXIT_SHUTDOWN] = "SHUTDOWN", [SVM_EXIT_VMRUN] = "VMRUN",
        [SVM_EXIT_VMMCALL] = "VMMCALL", [SVM_EXIT_VMLOAD] = "VMLOAD", [SVM_EXIT_VMSAVE] = "VMSAVE",
        [SVM_EXIT_STGI] = "STGI", [SVM_EXIT_CLGI] = "CLGI", [SVM_EXIT_SKINIT] = "SKINIT",
        [SVM_EXIT_HLT] = "HLT", [SVM_EXIT_SWINT] = "INTn", [NPF_SLOT] = "NPF",
    };
    if (code == (uint64_t)SVM_EXIT_INVALID)
        return "INVALID (VMRUN consistency check failed)";
    unsigned slot = exit_slot(code);
    return slot < EXIT_SLOTS && names[slot] ? names[slot] : "unknown";
}

void exit_stop(struct vcpu *v, const char *what)
{
    struct vmcb_control *c = &vmcb_of(v)->control;
    vcpu_stop(v, "%s (exit 0x%lx %s, info1 0x%lx, info2 0x%lx, exitintinfo 0x%lx)", what, c->exit_code,
              exit_name(c->exit_code), c->exit_info1, c->exit_info2, c->exit_int_info);
}

EXIT_PATH void exit_dispatch(struct vcpu *v)
{
    uint64_t code = vmcb_of(v)->control.exit_code;
    unsigned slot = exit_slot(code);
    if (slot < EXIT_SLOTS)
        v->arch->exit_counts[slot]++;
    if (slot >= EXIT_SLOTS || !handlers[slot]) {
        exit_stop(v, "unhandled exit");
        return;
    }
    handlers[slot](v);
}

void arch_exit_stats_report(void)
{
    char line[200];
    size_t used = 0;
    for (unsigned slot = 0; slot < EXIT_SLOTS && used < sizeof line; slot++) {
        uint64_t n = 0;
        for (unsigned i = 0; i < vcpu_count; i++)
            n += vcpus[i].arch->exit_counts[slot];
        if (n == 0)
            continue;
        uint64_t code = slot < 0x90 ? slot : 0x400 + (slot - 0x90);
        used += (size_t)snprintf(line + used, sizeof line - used, "%s%s %lu", used ? ", " : "",
                                 exit_name(code), n);
    }
    log_console("stats: exits by reason: %s", used ? line : "none");
    uint64_t handling = 0, guest = 0, exits = 0;
    for (unsigned i = 0; i < vcpu_count; i++) {
        handling += vcpus[i].arch->handling_tsc;
        guest += vcpus[i].arch->guest_tsc;
        exits += vcpus[i].exits;
    }
    uint64_t ns = exits ? tsc_to_ns(handling) / exits : 0;
    uint64_t permille = handling + guest ? handling * 1000 / (handling + guest) : 0;
    log_console("stats: exit handling %lu ns per exit, %lu.%lu%% of vCPU time in the monitor", ns,
                permille / 10, permille % 10);
}
