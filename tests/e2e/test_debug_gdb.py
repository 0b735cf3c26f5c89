"""The debugger end to end with real GDB 13: husk + the guest with 2 CPUs
under QEMU, held before the guest's first instruction (husk.wait), then
driven over the debug link. Every `gdb --batch` run is a new connection
(which stops every CPU) and ends with a detach (which resumes them), so
the tests below also exercise attach, detach and reattach all the time."""
import re
import subprocess
import time

import pytest

from conftest import GUEST_ELF, ROOT, Qemu
from debug_helpers import (CONTINUE_THEN_CTRL_C, MASK64, boot_at_supervisor_main, boot_held, gdb, pr, sym, value,
                           values)

TRIPLE_FAULT_ELF = ROOT / "build" / "tests" / "guests" / "attack_triple_fault.elf"
CPU_ENTRY_SIZE = 0x48       # struct cpu, docs/guest.md
CPU_TIMER_TICKS = 0x30


def elf_entry(elf):
    out = subprocess.run(["readelf", "-h", str(elf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Entry point address:\s+0x([0-9a-f]+)", out).group(1), 16)


@pytest.fixture(scope="module")
def husk():
    """One boot shared by most tests of this module: held, then let run to
    supervisor_main (paging on) and on."""
    q = boot_at_supervisor_main()
    yield q
    q.close()


def test_held_at_first_instruction_then_hbreak_supervisor_main():
    q = boot_held(args="counter")
    try:
        out = held_then_supervisor_main(q)
    finally:
        q.close()
    assert "Cannot insert breakpoint" in out, "no int3 through a 64-bit address while paging is off"
    assert value(out, "HIT") == sym("supervisor_main"), out
    assert value(out, "EFER") & (1 << 10), "long mode active at supervisor_main"


def held_then_supervisor_main(q):
    out = gdb(q.socket, [pr("PC", "$pc"), pr("CS", "$cs"), "info threads",
                         "break timer_preempt", "continue", "delete",
                         "hbreak supervisor_main", "continue", pr("HIT", "$pc"),
                         pr("EFER", "$efer")])
    assert value(out, "PC") == elf_entry(GUEST_ELF), out
    assert value(out, "CS") == 0x8
    # the thread's name carries the CPU number, its text the rest
    assert re.search(r'^\s+2\s+Thread 2 "cpu1" \(parked \(not started\)\)', out, re.M), out
    assert re.search(r'^\*\s+1\s+Thread 1 "cpu0" \(ring 0, protected mode', out, re.M), out
    return out


def test_break_timer_preempt_threads_differ(husk):
    out = gdb(husk.socket, ["break timer_preempt", "continue", pr("HIT", "$pc"), "info threads",
                            "thread 1", pr("SP1", "$rsp"), pr("CR3A", "$cr3"),
                            "thread 2", pr("SP2", "$rsp"), "monitor cpus"])
    assert value(out, "HIT") == sym("timer_preempt"), out
    threads = re.findall(r"^\*?\s+(\d+)\s+Thread (\d+) \"cpu(\d)\" \(ring (\d), long mode", out, re.M)
    assert [t[0] for t in threads] == ["1", "2"], out
    sp1, sp2 = value(out, "SP1"), value(out, "SP2")
    assert sp1 != sp2, "each CPU has its own kernel stack"
    assert "thread 1: CPU 0" in out and "thread 2: CPU 1" in out
    # scripts/husk.gdb told the monitor where cpus[] is: threads say what runs there
    assert re.search(r"Thread \d \"cpu\d\" \(ring \d, long mode, (supervisor|shard \w+)\)", out), out
    assert re.search(r"thread \d: CPU \d, ring \d, long mode, (supervisor|shard \w+)", out), out


def test_registers_after_a_stop_are_the_stopped_threads(husk):
    """`info threads` and `thread N` select threads with Hg; the next stop
    on any CPU must show that CPU's registers (GDB takes the stop reply's
    thread as the register thread and sends no Hg for it)."""
    target = sym("timer_preempt")
    steps = []
    for i in range(10):
        steps += ["info threads", f"thread {1 + i % 2}", "continue", pr("STOPPED", "$_thread"), pr("PC", "$pc"),
                  pr("RIP", "$rip")]
    out = gdb(husk.socket, ["break timer_preempt"] + steps + ["delete"])
    assert values(out, "PC") == [target] * 10, out
    assert values(out, "RIP") == [target] * 10, out
    # at least one stop came on another CPU than the one selected before it
    # (thread 1 and 2 are selected in turn), the case that went wrong
    selected = [1 + i % 2 for i in range(10)]
    assert any(s != t for s, t in zip(selected, values(out, "STOPPED"))), out


def test_200_stepi_follow_the_disassembly(husk):
    script = """
        import gdb, re
        M = (1 << 64) - 1
        arch = gdb.selected_frame().architecture()
        def reg(r): return int(gdb.parse_and_eval("$" + r)) & M
        def mem64(a): return int(gdb.parse_and_eval("*(unsigned long *)%d" % a)) & M
        bad, seen = [], set()
        for i in range(200):
            pc = reg("pc")
            insn = arch.disassemble(pc)[0]
            asm, nxt = insn["asm"], pc + insn["length"]
            mnem = asm.split()[0]
            if mnem in ("rep", "repz", "repnz", "repe", "repne"):
                expect = {pc, nxt}
            elif mnem.startswith("ret"):
                expect = {mem64(reg("rsp"))}
            elif mnem.startswith(("jmp", "call")):
                m = re.search(r"\\b0x([0-9a-f]+)", asm)
                expect = {int(m.group(1), 16)} if m and "*" not in asm else None
            elif mnem.startswith(("j", "loop")):
                m = re.search(r"\\b0x([0-9a-f]+)", asm)
                expect = {nxt, int(m.group(1), 16)}
            elif mnem.startswith(("iret", "sysret", "syscall", "int")):
                expect = None
            else:
                expect = {nxt}
            gdb.execute("stepi", to_string=True)
            new = reg("pc")
            seen.add(mnem)
            if (expect is not None and new not in expect) or (expect is None and new == pc):
                bad.append("%d: %x %s -> %x" % (i, pc, asm, new))
            if reg("eflags") & 0x100:
                bad.append("%d: TF visible at %x" % (i, new))
        print("STEPS_DONE=%x" % 200)
        print("MNEMONICS", sorted(seen))
        print("BAD", bad)
    """
    out = gdb(husk.socket, ["break timer_preempt", "continue", "delete"], script=script, timeout=300)
    assert value(out, "STEPS_DONE") == 200, out
    assert "BAD []" in out, out


def test_pinned_continue_and_step_leave_the_other_cpu_alone(husk):
    cpus = sym("cpus")
    other_ticks = f"*(unsigned long *)0x{cpus + CPU_ENTRY_SIZE + CPU_TIMER_TICKS:x}"
    out = gdb(husk.socket, [
        "thread 2", pr("RIP2A", "$pc"), pr("TICKS2A", other_ticks),
        "monitor pin 0", "break timer_preempt",
        "continue", "continue", "continue", pr("HITCPU", "$_thread"),
        "thread 2", pr("RIP2B", "$pc"), pr("TICKS2B", other_ticks),
        "delete", "thread 1", "set scheduler-locking on", "stepi", "stepi", "stepi",
        "thread 2", pr("RIP2C", "$pc"), pr("TICKS2C", other_ticks),
        "monitor pin off"])
    assert "continue runs only CPU 0" in out, out
    assert value(out, "HITCPU") == 1, "pinned: only CPU 0 (thread 1) runs"
    assert value(out, "RIP2A") == value(out, "RIP2B") == value(out, "RIP2C"), out
    ticks = [value(out, "TICKS2A"), value(out, "TICKS2B"), value(out, "TICKS2C")]
    assert ticks[0] == ticks[1] == ticks[2], out


def test_ctrl_c_stops_a_running_guest(husk):
    out = gdb(husk.socket, [], script=CONTINUE_THEN_CTRL_C)
    assert "received signal SIGINT" in out, out
    assert value(out, "STOPPED_MS") < 2000, out


def test_memory_breakpoint_bytes_hidden_unmapped_e14_vtop_and_phys(husk):
    tp = sym("timer_preempt")
    offline = subprocess.run(["gdb", "--batch", "-nx", str(GUEST_ELF), "-ex", "x/16xb timer_preempt"],
                             capture_output=True, text=True).stdout
    file_bytes = re.findall(r"0x([0-9a-f]{2})\b", offline.split(":", 1)[1])
    page_end = (sym("timer_preempt") | 0xfff) + 1
    out = gdb(husk.socket, [
        "set breakpoint always-inserted on", "break timer_preempt", "x/16xb timer_preempt",
        f"x/2gx 0x{page_end - 8:x}", "x/1xb 0", f"monitor vtop 0x{tp:x}",
        "monitor phys on", f"x/16xb 0x{tp - 0xffffffff80000000:x}", "x/1xb 0x1000000",
        "monitor phys off", "delete"])
    lines = [l for l in out.splitlines() if l.startswith("0x") and "timer_preempt" in l.split(":")[0]]
    live = re.findall(r"0x([0-9a-f]{2})\b", "".join(l.split(":", 1)[1] for l in lines[:2]))
    assert live == file_bytes, f"int3 must not show through m: {live} vs {file_bytes}\n{out}"
    assert "Cannot access memory at address 0x0" in out, out
    assert re.search(rf"0x{tp:x} -> phys 0x{tp - 0xffffffff80000000:x} .* S ", out), out
    assert "Cannot access memory at address 0x1000000" in out, "the monitor's region is not readable"
    assert len(re.findall(rf"0x{page_end - 8:x}.*:\s+0x[0-9a-f]+\s+0x[0-9a-f]+", out)) == 1, out


def test_register_writes_take_effect_and_unsafe_ones_are_refused(husk):
    out = gdb(husk.socket, [
        "break timer_preempt", "continue", "delete",
        "set $old_r12 = $r12", "set $old_cr2 = $cr2",
        "set $r12 = 0x1122334455667788", "set $cr2 = 0xdead000", pr("R12", "$r12"), pr("CR2", "$cr2"),
        "set $efer = $efer & ~0x1000", pr("EFER", "$efer"),
        "set $cr0 = $cr0 & ~0x80000000", pr("CR0", "$cr0"),
        "stepi", pr("R12S", "$r12"), pr("CR2S", "$cr2"),
        # the guest gets its own values back: the tests after this one use it
        "set $r12 = $old_r12", "set $cr2 = $old_cr2"])
    assert value(out, "R12") == 0x1122334455667788
    assert value(out, "CR2") == 0xdead000
    assert value(out, "EFER") & 0x1000, "EFER.SVME stays set"
    assert value(out, "CR0") & 0x80000000, "paging stays on in long mode"
    assert out.count("Could not write register") >= 2 or "E16" in out or "E22" in out, out
    # the values survive a step: the guest really ran with them
    # (timer_preempt's first instructions do not touch r12 or cr2)
    assert value(out, "R12S") == 0x1122334455667788, out
    assert value(out, "CR2S") == 0xdead000, out


def test_detach_resumes_and_reattach_sees_time_move(husk):
    ticks = "*(unsigned long *)&timer_ticks"
    first = gdb(husk.socket, [pr("T", ticks)])
    assert "detached" in first, first
    import time
    time.sleep(1.0)
    second = gdb(husk.socket, [pr("T", ticks), "info threads"])
    assert value(second, "T") > value(first, "T") + 50, "the guest ran while detached"
    assert "Thread 2" in second


def test_catch_gp_from_the_fault_shard_then_the_guest_gets_it():
    q = boot_held(args="fault=rdtsc exit-when-done")
    try:
        out = gdb(q.socket, ["monitor catch #GP", "continue", pr("PC", "$pc"), pr("CS", "$cs"),
                             "x/2xb $pc", "monitor why", "monitor catch off"])
        assert "catching: 13 #GP" in out, out
        assert "received signal SIGSEGV" in out, out
        assert value(out, "CS") & 3 == 3, "the fault happened in the shard (ring 3)"
        assert re.search(r":\s+0x0f\s+0x31", out), "stopped on the rdtsc, before delivery"
        assert "vector 13 #GP" in out
        # after detach the guest receives the #GP it would have had: the shard dies of it
        q.wait_console("all shards done", timeout=120)
        assert "fault-rdtsc" in q.console()
        assert "0 failed" in q.console() or "1 passed" in q.console(), q.console()
    finally:
        q.close()


def test_stepping_a_faulting_instruction_lands_on_the_handler():
    """Two fault-rdtsc shards. The first is caught on its #GP (not yet
    delivered): stepi delivers it and stops on the first instruction of the
    guest's handler. The second stops at a hardware breakpoint on its rdtsc:
    stepi stops on the fault (SIGSEGV, RIP still at the rdtsc), the next
    stepi on the handler, with a frame that holds the faulting RIP, the
    shard's CS and its RFLAGS without the monitor's TF."""
    q = boot_held(args="fault=rdtsc+rdtsc exit-when-done")
    try:
        gp_stub = sym("isr_stubs") + 13 * 16       # guest/sup/isr.S: 16 bytes a vector
        frame = [pr("HCS", "$cs"), pr("ERR", "*(unsigned long *)$rsp"),
                 pr("FRIP", "*(unsigned long *)($rsp + 8)"), pr("FCS", "*(unsigned long *)($rsp + 16)"),
                 pr("FFLAGS", "*(unsigned long *)($rsp + 24)")]
        out = gdb(q.socket, ["monitor catch #GP", "continue", "monitor catch off", pr("RDTSC", "$pc"),
                             "set $rdtsc = $pc", "stepi", pr("HPC", "$pc")] + frame + ["stepi", pr("HPC2", "$pc"),
                             "hbreak *$rdtsc", "continue", pr("BPC", "$pc"),
                             "stepi", pr("FAULTPC", "$pc"), "stepi", pr("HPC3", "$pc")] + frame)
        first, second = out.split("BPC=")
        assert "received signal SIGSEGV" in first, out
        rdtsc_at = value(first, "RDTSC")
        assert value(first, "HPC") == gp_stub, out
        assert value(first, "FRIP") == rdtsc_at and value(first, "FCS") & 3 == 3, out
        assert value(first, "HPC2") == gp_stub + 2, "the next stepi runs the stub's pushq $13"

        assert value(out, "BPC") == rdtsc_at, out
        assert "received signal SIGSEGV" in second, out
        assert value(second, "FAULTPC") == rdtsc_at, "the step stops on the fault, before delivery"
        assert value(second, "HPC3") == gp_stub, out
        assert value(second, "HCS") & 3 == 0, "the handler runs in ring 0"
        assert value(second, "ERR") == 0 and value(second, "FRIP") == rdtsc_at, out
        assert value(second, "FCS") & 3 == 3, "the frame holds the shard's CS"
        assert value(second, "FFLAGS") & 0x100 == 0, "no TF of the monitor's in the frame"
        q.wait_console("all shards done", timeout=120)
    finally:
        q.close()


def test_triple_fault_stops_with_the_first_fault_state():
    """attack_triple_fault loads an empty IDT and runs ud2: #UD cannot be
    delivered, nor the #GP and #DF that follow. The stop shows the state at
    the ud2, and `monitor why` the chain; the CPU cannot be resumed."""
    q = boot_held(guest=TRIPLE_FAULT_ELF, smp=2)
    try:
        out = gdb(q.socket, ["continue", pr("PC", "$pc"), "x/2xb $pc", "monitor why",
                             "continue", pr("PC2", "$pc")], elf=TRIPLE_FAULT_ELF, init=False)
        assert "received signal SIGSEGV" in out, out
        assert re.search(r":\s+0x0f\s+0x0b", out), "stopped on the ud2 whose delivery failed"
        assert "triple fault (SHUTDOWN)" in out, out
        assert re.search(r"vector 6 #UD error 0x0 at rip 0x%x" % value(out, "PC"), out), out
        assert value(out, "PC2") == value(out, "PC"), "a triple-faulted CPU does not run on"
    finally:
        q.close()


def test_attach_and_ctrl_c_while_the_only_cpu_halts_with_interrupts_off():
    """`oops` ends the supervisor in cli; hlt: with one CPU no guest
    interrupt and no exit ever comes. The monitor's own tick (the RTC as an
    NMI) still lets a client attach and interrupt."""
    q = Qemu(timeout=300, smp=1, args="oops")
    try:
        q.wait_socket()
        q.wait_console("supervisor: halted", timeout=60)
        script = 'print("RFLAGS=%x" % (int(gdb.parse_and_eval("$eflags")) & 0xffffffff))\n' + CONTINUE_THEN_CTRL_C
        t0 = time.monotonic()
        out = gdb(q.socket, [pr("PC", "$pc")], script=script, timeout=60)
        assert time.monotonic() - t0 < 30, out
        assert value(out, "RFLAGS") & 0x200 == 0, "interrupts are off in the guest"
        assert "received signal SIGINT" in out, out
        assert value(out, "STOPPED_MS") < 1000, out
    finally:
        q.close()


def test_guest_time_stands_still_while_stopped(husk):
    """Two timer_preempt hits, two seconds apart in wall time: the guest's
    TSC moved by far less, since the monitor took the stopped time off."""
    out = gdb(husk.socket, ["break timer_preempt", "continue", pr("TSC1", "$tsc"),
                            "shell sleep 2", "continue", pr("TSC2", "$tsc"), "delete"])
    moved = value(out, "TSC2") - value(out, "TSC1")
    assert 0 < moved < 400_000_000, f"guest TSC moved {moved} cycles across a 2 s stop"


def insn_address(elf, mnemonic, after_symbol=None):
    """Address of the first `mnemonic` instruction in elf (after a symbol's label)."""
    out = subprocess.run(["objdump", "-d", str(elf)], capture_output=True, text=True, check=True).stdout
    if after_symbol:
        out = out.split(f"<{after_symbol}>:", 1)[1]
    m = re.search(rf"^\s*([0-9a-f]+):\s+(?:[0-9a-f]{{2}} )+\s+{mnemonic}\b", out, re.M)
    return int(m.group(1), 16)


def test_stepping_over_syscall_sysret_and_iretq(husk):
    """One stepi over each privilege switch lands where the CPU goes, and
    the monitor's trap flag shows neither in RFLAGS nor in SYSCALL's R11.
    sysretq first: it returns right after the shard's `syscall`, which the
    shard (the endless counter) runs again and again."""
    sysret = insn_address(GUEST_ELF, "sysretq")
    iret = insn_address(GUEST_ELF, "iretq")
    first = gdb(husk.socket, [
        f"hbreak *0x{sysret:x}", "continue", pr("RET", "$rcx"),
        "stepi", pr("BACK", "$pc"), pr("CS2", "$cs"), pr("FL2", "$eflags"), "x/2xb $pc - 2", "delete"])
    back = value(first, "BACK")
    assert back == value(first, "RET") and value(first, "CS2") & 3 == 3, first
    assert re.search(r":\s+0x0f\s+0x05", first), "returned right after a syscall"
    out = gdb(husk.socket, [
        f"hbreak *0x{back - 2:x}", "continue", pr("AT", "$pc"), pr("CS0", "$cs"), pr("LSTAR", "$lstar"),
        "stepi", pr("ENTRY", "$pc"), pr("CS1", "$cs"), pr("R11", "$r11"), pr("FL1", "$eflags"), "delete",
        f"hbreak *0x{iret:x}", "continue", pr("IRET_TO", "*(unsigned long *)$rsp"),
        "stepi", pr("AFTER_IRET", "$pc"), pr("FL3", "$eflags"), "delete"])
    assert value(out, "AT") == back - 2 and value(out, "CS0") & 3 == 3, out
    assert value(out, "ENTRY") == value(out, "LSTAR") and value(out, "CS1") == 0x8, out
    assert value(out, "R11") & 0x100 == 0, "SYSCALL saved RFLAGS without the monitor's TF"
    assert value(out, "AFTER_IRET") == value(out, "IRET_TO"), out
    for f in ("FL1", "FL3"):
        assert value(out, f) & 0x100 == 0, out
    assert value(first, "FL2") & 0x100 == 0, first


def test_stepping_an_emulated_cpuid_is_one_step():
    """CPUID exits to the monitor, which emulates it: it never completes in
    the guest, so no #DB of its own comes. One stepi is still exactly one
    instruction, with the emulated result in the registers."""
    elf = ROOT / "build" / "tests" / "guests" / "mbinfo.elf"
    cpuid = insn_address(elf, "cpuid")
    q = boot_held(guest=elf)
    try:
        out = gdb(q.socket, [f"hbreak *0x{cpuid:x}", "continue", pr("AT", "$pc"), pr("LEAF", "$eax"),
                             "stepi", pr("NEXT", "$pc"), pr("ECX", "$ecx"), pr("FL", "$eflags"),
                             "monitor exits", "monitor help", "monitor log 400"],
                  elf=elf, init=False)
    finally:
        q.close()
    assert value(out, "AT") == cpuid, out
    assert value(out, "NEXT") == cpuid + 2, "exactly one instruction"
    assert value(out, "LEAF") == 1 and value(out, "ECX") & (1 << 31), "leaf 1 says: under a hypervisor"
    assert value(out, "FL") & 0x100 == 0, out
    assert re.search(r"0x072 CPUID\s+[1-9]", out), "monitor exits counts the CPUID exits"
    for name in ("cpus", "pin", "catch", "why", "vtop", "phys", "regs", "exits", "step-irqs", "log"):
        assert re.search(rf"^\s*{name}\b", out, re.M), f"monitor help lists {name}:\n{out}"
    assert "debug: cpu 0: stop" in out, "monitor log shows the debugger's own trace"
