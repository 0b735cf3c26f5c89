"""LLDB (14, and 16 when installed) against the stub's demo target:
registers, memory, breakpoints, watchpoints, stepping, threads, monitor
commands, detach and reconnect. LLDB's batch mode prints Python start-up
noise on machines without its Python module; the assertions ignore it."""
import re
import time

import pytest

from clients import end_interactive, lldb_batch, lldb_binaries, lldb_reg
from stub_demo import Demo

LLDBS = lldb_binaries()
pytestmark = pytest.mark.skipif(not LLDBS, reason="no lldb installed")


@pytest.fixture
def demo():
    d = Demo()
    yield d
    d.close()


@pytest.fixture(params=LLDBS or ["lldb"])
def lldb(request):
    return request.param


def test_registers_of_both_threads(demo, lldb):
    out = lldb_batch(demo.socket,
                     ["register read rip rsp rbp fs_base gs_base cr0 cr3 efer",
                      "thread select 2",
                      "register read rip rsp fs_base cr3 rbx"],
                     lldb=lldb)
    assert lldb_reg(out, "rip", 0) == 0x100000
    assert lldb_reg(out, "rsp", 0) == 0x27ffc0
    assert lldb_reg(out, "rbp", 0) == 0x27fff0
    assert lldb_reg(out, "fs_base", 0) == 0x7ff0001000
    assert lldb_reg(out, "gs_base", 0) == 0xffffffff80301000
    assert lldb_reg(out, "cr0", 0) == 0x80050033
    assert lldb_reg(out, "cr3", 0) == 0x11000
    assert lldb_reg(out, "efer", 0) == 0xd01
    assert lldb_reg(out, "rip", 1) == 0x100100
    assert lldb_reg(out, "rsp", 1) == 0x26ffc0
    assert lldb_reg(out, "fs_base", 1) == 0x7ff0002000
    assert lldb_reg(out, "cr3", 1) == 0x12000
    assert lldb_reg(out, "rbx", 0) == 0x2001


def test_register_write(demo, lldb):
    out = lldb_batch(demo.socket, ["register write rax 0xfeedface", "register write cr3 0x55000",
                                   "register read rax cr3"], lldb=lldb)
    assert lldb_reg(out, "rax", 0) == 0xfeedface
    assert lldb_reg(out, "cr3", 0) == 0x55000


def test_memory_read_write(demo, lldb):
    out = lldb_batch(demo.socket,
                     ["memory read -s8 -fx -c2 0x200000",
                      "memory write 0x200020 0x34 0x12",
                      "memory read -s1 -fx -c2 0x200020",
                      "memory read -s1 -fx -c2 0xffffffff80200020",
                      "memory read -s1 -fx -c4 0x300000"],
                     lldb=lldb)
    assert re.search(r"0x00200000: 0x1122334455667788 0x0000000000000000", out)
    assert re.search(r"0x00200020: 0x34 0x12", out)
    assert re.search(r"0xffffffff80200020: 0x34 0x12", out)
    assert re.search(r"error: .*(0x300000|0x00300000)", out), out


def test_software_breakpoint(demo, lldb):
    out = lldb_batch(demo.socket, ["breakpoint set -a 0x100011", "continue",
                                   "register read rip rax", "memory read -s8 -fx -c1 0x200008"], lldb=lldb)
    assert re.search(r"thread #1, stop reason = breakpoint 1\.1", out)
    assert lldb_reg(out, "rip", 0) == 0x100011
    assert lldb_reg(out, "rax", 0) == 0x1122334455667788
    assert "0x00200008: 0x0000000000000001" in out


def test_hardware_breakpoint(demo, lldb):
    out = lldb_batch(demo.socket, ["breakpoint set -H -a 0x100109", "continue",
                                   "register read rip"], lldb=lldb)
    assert re.search(r"thread #2, stop reason = breakpoint 1\.1", out)
    assert lldb_reg(out, "rip", 0) == 0x100109


@pytest.mark.parametrize("kind,addr,rip", [
    ("write", 0x200008, 0x100011),
    ("read", 0x200000, 0x100009),
    ("read_write", 0x200010, 0x100019),
])
def test_watchpoints(demo, lldb, kind, addr, rip):
    out = lldb_batch(demo.socket, [f"watchpoint set expression -w {kind} -s 8 -- {addr:#x}",
                                   "continue", "register read rip"], lldb=lldb)
    assert re.search(r"thread #1, stop reason = watchpoint 1", out), out
    assert "Watchpoint 1 hit" in out
    assert lldb_reg(out, "rip", 0) == rip


def test_stepping(demo, lldb):
    out = lldb_batch(demo.socket, ["thread step-inst", "register read rip",
                                   "thread step-inst", "register read rip"], lldb=lldb)
    assert "stop reason = instruction step into" in out
    assert lldb_reg(out, "rip", 0) == 0x100001
    assert lldb_reg(out, "rip", 1) == 0x100009


def test_thread_list_and_switching(demo, lldb):
    out = lldb_batch(demo.socket, ["thread list", "thread select 2", "register read rip",
                                   "thread step-inst", "register read rip"], lldb=lldb)
    assert re.search(r"thread #1: tid = 0x0001, 0x0000000000100000", out)
    assert re.search(r"thread #2: tid = 0x0002, 0x0000000000100100", out)
    assert lldb_reg(out, "rip", 0) == 0x100100
    assert lldb_reg(out, "rip", 1) == 0x100108


def test_monitor_commands(demo, lldb):
    out = lldb_batch(demo.socket, ["process plugin packet monitor help",
                                   "process plugin packet monitor peek 0x200000 8"], lldb=lldb)
    for name in ("help", "phys", "cpus", "reset", "peek"):
        assert re.search(rf"^  {name}\s", out, re.M), name
    assert "0x200000: 88 77 66 55 44 33 22 11" in out


def test_detach_and_reconnect(demo, lldb):
    out = lldb_batch(demo.socket, ["breakpoint set -a 0x100011", "process detach"], lldb=lldb)
    assert "Process 1 detached" in out
    time.sleep(0.5)
    out = lldb_batch(demo.socket, ["memory read -s8 -fx -c1 0x200008", "breakpoint list",
                                   "process detach"], lldb=lldb)
    m = re.search(r"0x00200008: (0x[0-9a-f]+)", out)
    assert m and int(m.group(1), 16) > 1, out
    assert "Process 1 stopped" in out
    out = lldb_batch(demo.socket, ["register read cr3"], lldb=lldb)
    assert lldb_reg(out, "cr3", 0) == 0x11000


def test_ctrl_c_stops_a_running_target(demo, lldb):
    """Interactive lldb: continue, Ctrl-C, and the machine stops with SIGINT."""
    import pexpect
    proc = pexpect.spawn(lldb, ["--no-lldbinit", "--no-use-colors"],
                         encoding="utf-8", timeout=20)
    try:
        proc.expect_exact("(lldb)")
        proc.sendline(f"process connect unix-connect://{demo.socket}")
        proc.expect(r"stop reason")
        proc.expect_exact("(lldb)")
        proc.sendline("process continue")
        proc.expect_exact("resuming")
        time.sleep(0.5)
        proc.sendintr()
        proc.expect(r"stop reason = signal SIGINT")
        proc.expect_exact("(lldb)")
        proc.sendline("memory read -s8 -fx -c1 0x200100")
        proc.expect(r"0x00200100: (0x[0-9a-f]+)")
        assert int(proc.match.group(1), 16) > 100
        end_interactive(proc, "lldb")
    finally:
        proc.close(force=True)
