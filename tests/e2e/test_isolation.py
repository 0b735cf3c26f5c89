"""The guest cannot reach the monitor: every attack guest of tests/guests
runs bare (the architectural reference: there EFER.SVME is clear and the
region is plain RAM) and hosted, where it must meet the outcome husk
defines (docs/testing.md has the table) and the monitor's health line must
say its image is unchanged and every CPU is accounted for."""
from dataclasses import dataclass, field as dc_field

import pytest

from guests_common import (
    STATUS_MONITOR_ALL_STOPPED, STATUS_PASS, assert_health, assert_verdict_pass, boot,
    describe, guest_cpus, guest_names, monitor_region, region_arg, requires_monitor)


@dataclass
class Attack:
    name: str
    bare: list                       # console lines the bare run must print
    hosted: list                     # console lines the hosted run must print
    region: bool = False             # takes region=START-END
    bare_status: int = STATUS_PASS   # QEMU's status; pass unless said
    hosted_status: int = STATUS_PASS
    timeout: int = 40                # seconds QEMU may run
    absent: list = dc_field(default_factory=list)   # lines no run may print
    absent_hosted: list = dc_field(default_factory=list)   # lines the hosted run may not print


def ud(insn):
    line = f"{insn}: raised #UD (expected #UD)"
    return Attack(f"attack_{insn}", bare=[line], hosted=[line])


ATTACKS = [
    ud("vmrun"), ud("vmload"), ud("vmsave"), ud("stgi"), ud("clgi"), ud("skinit"), ud("invlpga"),
    ud("vmmcall"),
    Attack("attack_mem_read", region=True,
           bare=["ok: bare: every read of the region completes"],
           # husk: a MOV load where the guest has no memory reads all ones.
           hosted=["ok: reads of the monitor region reveal nothing",
                   "faults 0 (first none) value 0xffffffffffffffff differing 0 pattern 0"]),
    Attack("attack_mem_write", region=True,
           bare=["ok: bare: every write to the region reads back"],
           hosted=["ok: no write to the monitor region is visible",
                   "mem_write readback: pages"]),
    Attack("attack_npt_write", region=True,
           bare=["ok: bare: every entry reads back"],
           hosted=["ok: no table entry written into the monitor region is visible"]),
    # Access kinds the monitor cannot emulate where the guest has no memory:
    # the vCPU stops with a report naming the address, and with no vCPU left
    # running the monitor ends the run itself (its health line still ok).
    Attack("attack_region_exec", region=True,
           bare=["region_exec: returned from the region"],
           hosted=["cpu 0 stopped: ", "at guest-physical {start:#x} (exit 0x400 NPF"],
           hosted_status=STATUS_MONITOR_ALL_STOPPED, absent_hosted=["returned from the region"]),
    Attack("attack_region_string", region=True,
           bare=["region_string: copy completed, 0 qwords left"],
           hosted=["cpu 0 stopped: ", "at guest-physical {start:#x} (exit 0x400 NPF"],
           hosted_status=STATUS_MONITOR_ALL_STOPPED, absent_hosted=["copy completed"]),
    Attack("attack_region_cr3", region=True,
           bare=["region_cr3: running on page tables in the region"],
           hosted=["cpu 0 stopped: guest page table where there is no guest memory at guest-physical {start:#x}"],
           hosted_status=STATUS_MONITOR_ALL_STOPPED, absent_hosted=["running on page tables in the region"]),
    Attack("attack_efer_svme",
           bare=["ok: EFER reads back with SVME clear", "vmrun after clearing svme: raised #UD (expected #UD)"],
           hosted=["ok: EFER reads back with SVME clear", "ok: the other EFER bits are unchanged",
                   "vmrun after clearing svme: raised #UD (expected #UD)",
                   "ok: monitor answers cpuid 0x40000000 after the attack"]),
    Attack("attack_efer_svme_set",
           bare=["ok: EFER reads back with SVME set", "ok: EFER restored"],
           # husk: SVME goes into the guest's shadow only; SVM instructions still #UD.
           hosted=["ok: EFER reads back with SVME set", "vmrun with the shadow svme set: raised #UD (expected #UD)",
                   "ok: EFER restored"]),
    # A LAPIC store that is not a plain MOV is not replayed: a reported fault.
    Attack("attack_lapic_xchg",
           bare=["lapic_xchg: completed, register reads 0x5001"],
           hosted=["cpu 0 stopped: ", "info2 0xfee00380"],
           hosted_status=STATUS_MONITOR_ALL_STOPPED, absent_hosted=["lapic_xchg: completed"]),
    # husk: VM_HSAVE_PA and VM_CR writes raise #GP, reads give 0.
    Attack("attack_vm_hsave_pa",
           bare=["ok: bare: the MSR takes the value"],
           hosted=["vm_hsave_pa: rdmsr none value 0x0; wrmsr", "raised #GP; rdmsr none value 0x0",
                   "ok: the monitor did not use the guest's page as its save area"]),
    Attack("attack_vm_cr",
           bare=["vm_cr: rdmsr none"],
           hosted=["wrmsr svmdis|lock raised #GP", "ok: monitor answers cpuid 0x40000000 after the attack"]),
    Attack("attack_com2",
           bare=["ok: bare: COM2 is a 16550 with an empty transmitter", "ok: bare: rep insb read the UART",
                 "ok: bare: the scratch register keeps its byte"],
           hosted=["com2 read: ff ff ff ff ff ff ff ff", "com2 wide reads: inw ffff inl ffffffff, rep insb 8 of 8 bytes ff",
                   "ok: the scratch register write was dropped"]),
    Attack("attack_init",
           bare=["ok: bare: INIT stopped the AP"],
           hosted=["ok: INIT to a running vCPU was dropped"]),
    Attack("attack_sipi",
           bare=["sipi: cpu 1 after SIPI: still running"],
           hosted=["sipi: cpu 1 after SIPI: still running"]),
    Attack("attack_nmi_ipi",
           bare=["ok: NMIs: sent 20, taken on cpu 1 20", "ok: no NMI arrived anywhere else (0)"],
           hosted=["ok: NMIs: sent 20, taken on cpu 1 20", "ok: no NMI arrived anywhere else (0)",
                   "ok: cpu 1 keeps running after its NMIs"]),
    Attack("attack_nmi_iret_fault",
           bare=["ok: NMIs taken 2, #GP taken 1 (2 and 1)", "ok: the IRET raised #GP(0)", "has TF clear",
                 "ok: the second NMI stayed blocked through the #GP handler", "ok: no #DB reached the guest (0)"],
           hosted=["ok: NMIs taken 2, #GP taken 1 (2 and 1)", "ok: the IRET raised #GP(0)", "has TF clear",
                   "ok: the second NMI stayed blocked through the #GP handler", "ok: no #DB reached the guest (0)"]),
    # Bare QEMU -no-reboot ends on the shutdown with status 0; husk stops the
    # vCPU with a report and, no vCPU being left running, ends the run itself.
    Attack("attack_triple_fault",
           bare=["triple_fault: loading an empty IDT and executing ud2"],
           hosted=["triple_fault: loading an empty IDT and executing ud2", "cpu 0 stopped:", "SHUTDOWN"],
           bare_status=0, hosted_status=STATUS_MONITOR_ALL_STOPPED,
           absent=["still running after the fault", "verdict"]),
    Attack("attack_irq_storm", timeout=90,
           bare=["ok: self-IPIs: sent 5000, taken 5000, each before the next", "ok: timer storm:",
                 "ok: the timer stops when masked"],
           hosted=["ok: self-IPIs: sent 5000, taken 5000, each before the next", "ok: timer storm:",
                   "ok: the timer stops when masked"]),
]

BY_NAME = {a.name: a for a in ATTACKS}


def test_every_attack_guest_has_an_expected_outcome():
    registered = [n for n in guest_names() if n.startswith("attack_")]
    assert sorted(registered) == sorted(BY_NAME), "tests/guests/guests.tbl and ATTACKS disagree"
    assert len(registered) >= 12


def check_outcome(attack, status, console, want_status, lines):
    for line in lines:
        assert line in console, f"missing {line!r}; " + describe(status, console)
    for line in attack.absent:
        assert line not in console, f"unexpected {line!r}; " + describe(status, console)
    if want_status == STATUS_PASS:
        assert_verdict_pass(attack.name, status, console)
    assert status == want_status, describe(status, console)


@pytest.mark.parametrize("name", list(BY_NAME))
def test_attack_bare(name):
    attack = BY_NAME[name]
    args = region_arg(hosted=False) if attack.region else ""
    status, console = boot(name, hosted=False, smp=guest_cpus(name), args=args, timeout=attack.timeout)
    assert "environment: bare" in console, describe(status, console)
    check_outcome(attack, status, console, attack.bare_status, attack.bare)


@requires_monitor
@pytest.mark.parametrize("name", list(BY_NAME))
def test_attack_hosted(name):
    attack = BY_NAME[name]
    args = region_arg(hosted=True) if attack.region else ""
    status, console = boot(name, hosted=True, smp=guest_cpus(name), args=args, timeout=attack.timeout)
    assert "environment: hosted" in console, describe(status, console)
    start = monitor_region()[0] if attack.region else 0
    check_outcome(attack, status, console, attack.hosted_status,
                  [line.format(start=start) for line in attack.hosted])
    for line in attack.absent_hosted:
        assert line not in console, f"unexpected {line!r}; " + describe(status, console)
    assert_health(console, cpus=guest_cpus(name))
