/* void idle_until_change(const volatile uint32_t *word, uint32_t seen)
 *
 * Halts this CPU until *word no longer equals `seen` and an NMI (the
 * monitor's kick, arch_vcpu_kick) has come, with host interrupts off. The
 * waker stores the new value first and sends the NMI after it, so:
 *  - an NMI before the `cmp` is harmless: the `cmp` sees the new value;
 *  - an NMI after the `cmp` but before the `hlt` executes returns to
 *    `idle_hlt` itself; the NMI handler (panic.c) moves its return RIP past
 *    the `hlt` (idle_nmi_fixup), so the wake-up is not lost;
 *  - an NMI during the halt ends it: HLT resumes at the next instruction
 *    after an NMI (AMD APM vol. 3, HLT; Intel SDM vol. 3, 6.7 and 9.x,
 *    "an NMI ... brings the processor out of the HLT state").
 * The caller re-reads whatever it waits on: a return can be spurious (an
 * NMI for another reason, the debugger's tick on the boot CPU). */
    .text
    .code64
    .global idle_until_change
    .global idle_hlt
idle_until_change:
    cmp (%rdi), %esi
    jne 1f
idle_hlt:
    hlt
1:
    ret
