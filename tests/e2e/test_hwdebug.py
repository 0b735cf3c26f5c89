"""The guest's own debug registers, architecturally, bare and hosted
(tests/guests/debugregs.c): the hosted run must print exactly the checks the
bare run prints, with the same values, and pass; the addresses the guest
reports as #DB RIPs are checked against its ELF symbol table here too.
Bare QEMU's TCG CPU does not implement DR7.GD, so general detect is required
hosted only (where the monitor emulates it on the guest's shadow)."""
import re

import pytest

from clients import gdb_batch
from conftest import elf_symbol
from debug_helpers import boot_held
from guests_common import assert_health, assert_verdict_pass, boot, guest_cpus, guest_elf, requires_monitor

NAME = "debugregs"
CHECK_RE = re.compile(r"^(ok|FAIL): (.*)$", re.M)
GD_PREFIXES = ("DR7.GD", "GD #DB")
HOSTED_ONLY = GD_PREFIXES + ("monitor answers cpuid",)


def run(hosted):
    status, console = boot(NAME, hosted, smp=guest_cpus(NAME), timeout=60)
    assert_verdict_pass(NAME, status, console)
    checks = CHECK_RE.findall(console)
    assert checks, console
    failed = [text for verdict, text in checks if verdict != "ok"]
    assert not failed, console
    return console, [text for _, text in checks]


@pytest.fixture(scope="module")
def bare():
    return run(hosted=False)


@pytest.fixture(scope="module")
def hosted():
    if not guest_elf(NAME).exists():
        pytest.skip("debugregs.elf not built")
    return run(hosted=True)


def symbol(name):
    return elf_symbol(guest_elf(NAME), name)


def test_bare_reference_passes(bare):
    console, checks = bare
    assert "environment: bare" in console
    # the architectural facts every later comparison rests on
    for text in ("execute breakpoint: DR6.B0 (DR6 0xffff0ff1)",
                 "write watchpoint: DR6.B1 (DR6 0xffff0ff2)",
                 "single step over cpuid: DR6.BS (DR6 0xffff4ff0)",
                 "single step over cpuid: exactly one #DB (1)",
                 "CPL 3: mov %dr7 raises #GP(0) (got #GP, error 0x0)"):
        assert text in checks, console


def test_breakpoint_rips_match_the_symbol_table(bare):
    console, checks = bare
    bp, after_store, after_cpuid = symbol("bp_target"), symbol("watch_after"), symbol("step_after")
    assert f"execute breakpoint: RIP {bp:#x} at the instruction {bp:#x}" in checks, console
    assert f"write watchpoint: trap after the store, RIP {after_store:#x} (want {after_store:#x})" in checks, console
    assert (f"single step over cpuid: RIP {after_cpuid:#x} at the next instruction {after_cpuid:#x}"
            in checks), console
    mov = symbol("user_mov_dr7")
    assert f"CPL 3: #GP at the mov (rip {mov:#x}, want {mov:#x})" in checks, console


@requires_monitor
def test_hosted_matches_bare(bare, hosted):
    bconsole, bchecks = bare
    hconsole, hchecks = hosted
    assert "environment: hosted" in hconsole
    assert_health(hconsole, cpus=guest_cpus(NAME))
    # every bare check, with the same values, in the same order
    common = [c for c in hchecks if not c.startswith(HOSTED_ONLY)]
    assert common == bchecks, f"bare:\n{bconsole}\nhosted:\n{hconsole}"


@requires_monitor
def test_hosted_general_detect(hosted):
    console, checks = hosted
    probe = symbol("probe_read_dr0_insn")
    assert "DR7.GD: mov %dr0 raises #DB (got #DB)" in checks, console
    assert f"GD #DB is a fault: RIP {probe:#x} at the mov {probe:#x}" in checks, console
    assert "GD #DB: DR6.BD set (0xffff2ff0)" in checks, console
    assert "GD #DB cleared DR7.GD (0x400)" in checks, console


def monitor_targets():
    """Command-line words aiming the guest's own slots at the monitor: its
    exception entry stubs, its VMRUN path, its interrupt handler (execute)
    and its vCPU table (read/write), from build/husk.elf's symbol table."""
    from conftest import MONITOR_ELF
    sym = lambda name: elf_symbol(MONITOR_ELF, name)
    return (f"hostbp0={sym('isr_stubs') + 16:#x} hostbp1={sym('svm_enter'):#x} "
            f"hostbp2={sym('host_interrupt'):#x} hostwatch={sym('vcpus'):#x}")


@requires_monitor
def test_guest_slots_on_monitor_addresses_do_not_reach_the_monitor():
    # Loaded as they are, these would fire in the monitor (the real registers
    # match by linear address in the host too), and the one on the #DB entry
    # recurses into a double fault: QEMU dies with no verdict.
    args = monitor_targets()
    status, console = boot(NAME, True, smp=guest_cpus(NAME), args=args, timeout=60)
    assert_verdict_pass(NAME, status, console)
    assert "ok: breakpoints on monitor addresses" in console, console
    assert_health(console, cpus=guest_cpus(NAME))
    bstatus, bconsole = boot(NAME, False, smp=guest_cpus(NAME), args=args, timeout=60)
    assert_verdict_pass(NAME, bstatus, bconsole)
    assert "ok: breakpoints on monitor addresses" in bconsole, bconsole


@requires_monitor
def test_guest_slots_work_beside_a_debugger_watchpoint():
    """A debugger holds DR3 (its table fills from DR3 down) while the guest
    runs every check on DR0/DR1 of its own: the guest's #DBs reach it with
    its DR6, the debugger's watchpoint stops the machine, both at once."""
    marker = symbol("debugger_marker")
    q = boot_held(guest=guest_elf(NAME), smp=guest_cpus(NAME), timeout=120)
    try:
        out = gdb_batch(guest_elf(NAME), sock=q.socket, timeout=90,
                        commands=["set debug remote 1", "watch debugger_marker", "continue",
                                  'printf "GUEST_DR7=%lx\\n", $dr7', "continue",
                                  "set debug remote 0", "delete", "detach"])
        changes = re.findall(r"Old value = (\d+)\s+New value = (\d+)", out)
        assert changes == [("0", "1"), ("1", "2")], out
        # $dr7 is the guest's own (reset value), not the registers carrying
        # the debugger's watchpoint in DR3
        assert "GUEST_DR7=400" in out, out
        assert len(re.findall(rf"Packet received: T05[^\n]*watch:{marker:x};", out)) == 2, out
        assert re.search(r"Packet received: T05[^\n]*watch:[^\n]*reason:watchpoint", out), out
        console = q.wait_console(f"guest {NAME}: verdict", timeout=60)
    finally:
        q.close()
    assert f"guest {NAME}: verdict pass" in console, console
    checks = CHECK_RE.findall(console)
    assert checks and all(v == "ok" for v, _ in checks), console
    assert "ok: execute breakpoint: DR6.B0 (DR6 0xffff0ff1)" in console, console
    assert "ok: write watchpoint: DR6.B1 (DR6 0xffff0ff2)" in console, console


@requires_monitor
def test_debugger_steps_over_an_emulated_mov_dr():
    """GDB single-steps the guest over a MOV to DR7 the monitor emulates: one
    stepi moves exactly one instruction, and the trap flag the debugger set
    is not turned into a #DB for the guest (the guest counts its #DBs)."""
    target, after = symbol("dr_step_target"), symbol("dr_step_after")
    q = boot_held(guest=guest_elf(NAME), smp=guest_cpus(NAME), timeout=120)
    try:
        out = gdb_batch(guest_elf(NAME), sock=q.socket, timeout=90,
                        commands=["hbreak dr_step_target", "continue", 'printf "PC0=%lx\\n", $pc',
                                  "stepi", 'printf "PC1=%lx\\n", $pc', "stepi",
                                  'printf "PC2=%lx\\n", $pc', 'printf "DR7=%lx\\n", $dr7',
                                  "delete", "detach"])
        assert f"PC0={target:x}" in out, out
        assert f"PC1={after:x}" in out, out            # the 3-byte MOV, emulated, is one step
        assert f"PC2={after + 1:x}" in out, out        # then the nop
        assert "DR7=400" in out, out
        console = q.wait_console(f"guest {NAME}: verdict", timeout=60)
    finally:
        q.close()
    assert "ok: mov to DR7 raised no #DB (0)" in console, console
    assert f"guest {NAME}: verdict pass" in console, console
