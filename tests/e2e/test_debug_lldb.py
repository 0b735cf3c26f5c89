"""The debugger end to end with real LLDB 14: the same core scenarios as
the GDB tests (registers, software breakpoint, threads, instruction step,
pinning, Ctrl-C, detach and reattach) on husk + the guest with 2 CPUs."""
import re
import time

import pytest

from clients import end_interactive, lldb_env, lldb_reg
from conftest import GUEST_ELF
from debug_helpers import boot_at_supervisor_main, boot_held, lldb, sym


@pytest.fixture(scope="module")
def husk():
    q = boot_at_supervisor_main()
    yield q
    q.close()


def test_connect_register_read_and_held_boot():
    q = boot_held(args="counter")
    try:
        out = lldb(q.socket, ["register read rip cs eflags", "thread list", "process detach"])
    finally:
        q.close()
    assert lldb_reg(out, "rip") == 0x100020, out
    assert lldb_reg(out, "cs") == 0x8
    assert re.search(r"thread #2: tid = 0x0002", out), out


def test_breakpoint_set_thread_list_step_inst(husk):
    tp = sym("timer_preempt")
    out = lldb(husk.socket, [f"breakpoint set -a 0x{tp:x}", "continue", "register read rip",
                             "thread list", "disassemble -c 2 -s $pc", "thread step-inst",
                             "register read rip", "breakpoint delete --force", "process detach"])
    assert "stop reason = breakpoint 1.1" in out, out
    rips = re.findall(r"^\s*rip = 0x([0-9a-f]+)", out, re.M)
    assert int(rips[0], 16) == tp, out
    # the next instruction per LLDB's own disassembly of timer_preempt
    insns = re.findall(r"0x([0-9a-f]+) <\+\d+>:", out)
    assert len(insns) >= 2, out
    assert int(rips[1], 16) == int(insns[1], 16), out
    assert "stop reason = instruction step into" in out
    assert re.search(r"thread #1: tid = 0x0001", out) and re.search(r"thread #2: tid = 0x0002", out)


def test_threads_have_their_own_registers(husk):
    out = lldb(husk.socket, ["breakpoint set -n timer_preempt", "continue", "breakpoint delete --force",
                             "thread select 1", "register read rsp", "thread select 2", "register read rsp",
                             "process detach"])
    assert lldb_reg(out, "rsp", 0) != lldb_reg(out, "rsp", 1), out


def test_register_write_and_memory_read(husk):
    ticks = sym("timer_ticks")
    out = lldb(husk.socket, ["breakpoint set -n timer_preempt", "continue", "breakpoint delete --force",
                             "register write r13 0x0123456789abcdef", "register read r13",
                             f"memory read -s8 -fx -c1 0x{ticks:x}", "process detach"])
    assert lldb_reg(out, "r13") == 0x0123456789abcdef, out
    assert re.search(rf"0x{ticks:x}: 0x[0-9a-f]+", out), out
    # An error ends `lldb --batch` with a kill (k). The machine cannot be
    # killed: k detaches and the guest runs on (its timer ticks advance)
    # until the next client stops it.
    read_ticks = f"memory read -s8 -fx -c1 0x{ticks:x}"
    out = lldb(husk.socket, [read_ticks, "memory read -s1 -fx -c1 0"])
    assert "error: memory read failed for 0x0" in out or "error" in out.split("memory read -s1 -fx -c1 0", 1)[1], out
    before = int(re.search(rf"0x{ticks:x}: (0x[0-9a-f]+)", out).group(1), 16)
    time.sleep(0.5)
    out = lldb(husk.socket, [read_ticks, "process detach"])
    assert "Process 1 detached" in out, out
    after = int(re.search(rf"0x{ticks:x}: (0x[0-9a-f]+)", out).group(1), 16)
    assert after > before, out


def test_pinned_step_and_continue(husk):
    cpus = sym("cpus")
    other = f"0x{cpus + 0x48 + 0x30:x}"
    out = lldb(husk.socket, [
        "thread select 2", "register read rip", f"memory read -s8 -fx -c1 {other}",
        "process plugin packet monitor pin 0", "breakpoint set -n timer_preempt", "thread select 1",
        "continue", "continue", "breakpoint delete --force",
        "thread step-inst", "thread step-inst",
        "thread select 2", "register read rip", f"memory read -s8 -fx -c1 {other}",
        "process plugin packet monitor pin off", "process detach"])
    assert lldb_reg(out, "rip", 0) == lldb_reg(out, "rip", -1), out
    counts = re.findall(rf"{other}: (0x[0-9a-f]+)", out)
    assert len(counts) == 2 and counts[0] == counts[1], out


def test_ctrl_c_detach_and_reattach(husk):
    import pexpect
    proc = pexpect.spawn("lldb", ["--no-lldbinit", "--no-use-colors", str(GUEST_ELF)],
                         encoding="utf-8", timeout=30, env=lldb_env())
    try:
        proc.expect_exact("(lldb)")
        proc.sendline(f"process connect unix-connect://{husk.socket}")
        proc.expect(r"stop reason")
        proc.expect_exact("(lldb)")
        proc.sendline("process continue")
        proc.expect_exact("resuming")
        time.sleep(1.0)
        t0 = time.monotonic()
        proc.sendintr()
        proc.expect(r"stop reason = signal SIGINT")
        assert time.monotonic() - t0 < 5
        proc.expect_exact("(lldb)")
        proc.sendline(f"memory read -s8 -fx -c1 0x{sym('timer_ticks'):x}")
        proc.expect(r": (0x[0-9a-f]+)")
        first = int(proc.match.group(1), 16)
        end_interactive(proc, "lldb")
    finally:
        proc.close(force=True)
    time.sleep(1.0)
    out = lldb(husk.socket, [f"memory read -s8 -fx -c1 0x{sym('timer_ticks'):x}", "process detach"])
    second = int(re.search(rf"0x{sym('timer_ticks'):x}: (0x[0-9a-f]+)", out).group(1), 16)
    assert second > first + 50, "the guest ran between the two sessions"
