"""GDB 13 against the stub's demo target (docs/protocol.md has its memory
map and program): registers, memory, breakpoints, watchpoints, stepping,
threads, monitor commands, detach and reconnect."""
import re
import time

import pytest

from clients import end_interactive, gdb_batch, gdb_reg
from stub_demo import Demo


@pytest.fixture
def demo():
    d = Demo()
    yield d
    d.close()


def test_registers_of_both_threads(demo):
    out = gdb_batch(sock=demo.socket,
                    commands=["info registers rip rsp rbp fs_base gs_base cr0 cr3 cr4 efer eflags",
                              "thread 2",
                              "info registers rip rsp fs_base cr3 rbx"])
    first, second = out.split("Switching to thread 2")
    assert gdb_reg(first, "rip") == 0x100000
    assert gdb_reg(first, "rsp") == 0x27ffc0
    assert gdb_reg(first, "rbp") == 0x27fff0
    assert gdb_reg(first, "fs_base") == 0x7ff0001000
    assert gdb_reg(first, "gs_base") == 0xffffffff80301000
    assert gdb_reg(first, "cr0") == 0x80050033
    assert gdb_reg(first, "cr3") == 0x11000
    assert gdb_reg(first, "cr4") == 0x6a0
    assert gdb_reg(first, "efer") == 0xd01
    assert re.search(r"^eflags\s+0x202\s+\[ IF \]", first, re.M)
    assert gdb_reg(second, "rip") == 0x100100
    assert gdb_reg(second, "rsp") == 0x26ffc0
    assert gdb_reg(second, "fs_base") == 0x7ff0002000
    assert gdb_reg(second, "cr3") == 0x12000
    assert gdb_reg(second, "rbx") == 0x2001


def test_info_registers_lists_system_state(demo):
    out = gdb_batch(sock=demo.socket, commands=["info registers", "info registers dr7 gdtr_base lstar",
                                                "p $xmm0.v16_int8[15]"])
    for name in ("rax", "rip", "eflags", "fs_base", "k_gs_base", "cr3", "efer"):
        assert re.search(rf"^{name}\s", out, re.M), name
    assert gdb_reg(out, "dr7") == 0x400
    assert gdb_reg(out, "gdtr_base") == 0x101000
    assert gdb_reg(out, "lstar") == 0xffffffff80201000
    assert re.search(r"^\$1 = 16$", out, re.M)


def test_register_write_sticks(demo):
    out = gdb_batch(sock=demo.socket, commands=["set $rax = 0xfeedface", "set $cr3 = 0x55000",
                                                "info registers rax cr3"])
    assert gdb_reg(out, "rax") == 0xfeedface
    assert gdb_reg(out, "cr3") == 0x55000


def test_memory_read_write_and_holes(demo):
    out = gdb_batch(sock=demo.socket,
                    commands=["x/2gx 0x200000",
                              "x/s 0x200200",
                              "set {long}0x200020 = 0x1234567890",
                              "x/gx 0x200020",
                              "x/gx 0xffffffff80200020",
                              "x/x 0x300000",
                              "x/x 0",
                              "monitor phys on",
                              "x/gx 0x200020",
                              "x/gx 0xffffffff80200020",
                              "monitor phys off",
                              "x/6i 0x100000"])
    assert re.search(r"^0x200000:\s+0x1122334455667788\s+0x0000000000000000$", out, re.M)
    assert '0x200200:\t"husk demo target"' in out
    # written once, seen through the virtual, the alias and the physical view
    assert len(re.findall(r":\s+0x0000001234567890$", out, re.M)) == 3
    assert "Cannot access memory at address 0x300000" in out
    assert "Cannot access memory at address 0x0" in out
    assert "Cannot access memory at address 0xffffffff80200020" in out
    assert re.search(r"0x100009:\s+incq\s+0x200008", out)
    assert re.search(r"0x100022:\s+jmp\s+0x100000", out)


def test_software_breakpoint(demo):
    out = gdb_batch(sock=demo.socket, commands=["break *0x100011", "continue",
                                                "info registers rip rax", "x/gx 0x200008"])
    assert 'Thread 1 "cpu0" hit Breakpoint 1, 0x0000000000100011' in out
    assert gdb_reg(out, "rip") == 0x100011
    assert gdb_reg(out, "rax") == 0x1122334455667788   # the load before it ran
    assert re.search(r"^0x200008:\s+0x0000000000000001$", out, re.M)


def test_hardware_breakpoint_on_the_other_cpu(demo):
    out = gdb_batch(sock=demo.socket, commands=["hbreak *0x100109", "continue", "info registers rip",
                                                "x/gx 0x200100"])
    assert "Hardware assisted breakpoint 1 at 0x100109" in out
    assert 'Thread 2 "cpu1" hit Breakpoint 1, 0x0000000000100109' in out
    assert gdb_reg(out, "rip") == 0x100109
    assert re.search(r"^0x200100:\s+0x0000000000000001$", out, re.M)


@pytest.mark.parametrize("command,addr,banner,rip", [
    ("watch", 0x200008, "Hardware watchpoint 1", 0x100011),
    ("rwatch", 0x200000, "Hardware read watchpoint 1", 0x100009),
    ("awatch", 0x200010, "Hardware access (read/write) watchpoint 1", 0x100019),
])
def test_watchpoints(demo, command, addr, banner, rip):
    out = gdb_batch(sock=demo.socket, commands=[f"{command} *(long*){addr:#x}", "continue",
                                                "info registers rip"])
    assert f'Thread 1 "cpu0" hit {banner}: *(long*){addr:#x}' in out
    # data watchpoints trap after the access: rip is on the next instruction
    assert gdb_reg(out, "rip") == rip
    if command == "watch":
        assert "Old value = 0\nNew value = 1" in out
    elif command == "rwatch":
        assert "\nValue = 1234605616436508552" in out    # 0x1122334455667788 loaded
    else:
        assert "Old value = 0\nNew value = 1234605616436508552" in out   # stored


def test_watchpoint_rejects_unaligned(demo):
    out = gdb_batch(sock=demo.socket, commands=["watch *(long*)0x200004", "continue", "info registers rip"])
    # The target refuses an unaligned 8-byte debug register; GDB says so and
    # the machine does not move.
    assert "Could not insert hardware watchpoint 1." in out
    assert gdb_reg(out, "rip") == 0x100000


def test_stepping(demo):
    out = gdb_batch(sock=demo.socket, commands=["stepi", "info registers rip", "stepi", "info registers rip",
                                                "stepi", "stepi", "stepi", "stepi", "info registers rip", "x/gx 0x200018"])
    rips = [int(v, 16) for v in re.findall(r"^rip\s+(0x[0-9a-f]+)", out, re.M)]
    assert rips == [0x100001, 0x100009, 0x100000]
    assert re.search(r"^0x200018:\s+0x0000000000000005$", out, re.M)


def test_threads_and_switching(demo):
    out = gdb_batch(sock=demo.socket, commands=["info threads", "thread 2", "info registers rip",
                                                "stepi", "info registers rip", "thread 1", "info registers rip"])
    assert re.search(r'^\* 1\s+Thread 1 "cpu0" \(CPU 0\) 0x0000000000100000', out, re.M)
    assert re.search(r'^  2\s+Thread 2 "cpu1" \(CPU 1\) 0x0000000000100100', out, re.M)
    rips = [int(v, 16) for v in re.findall(r"^rip\s+(0x[0-9a-f]+)", out, re.M)]
    # thread 2 at its start, then one instruction on; thread 1 at its own
    assert rips[0] == 0x100100
    assert rips[1] == 0x100108
    assert rips[2] in (0x100000, 0x100001)    # thread 1 may run along with the step


def test_monitor_commands(demo):
    out = gdb_batch(sock=demo.socket, commands=["monitor help", "monitor peek 0x200000 8",
                                                "monitor cpus", "monitor nonsense"])
    for name in ("help", "phys", "cpus", "reset", "peek"):
        assert re.search(rf"^  {name}\s", out, re.M), name
    assert "0x200000: 88 77 66 55 44 33 22 11" in out
    assert "cpu0: thread 1 rip 0x100000 ready" in out
    assert "cpu1: thread 2 rip 0x100100 ready" in out
    assert "unknown monitor command 'nonsense'" in out


def test_detach_and_reconnect(demo):
    out = gdb_batch(sock=demo.socket, commands=["break *0x100011", "detach"])
    assert "Detaching from program" in out or "detached" in out
    assert demo.alive()
    # The machine ran on without the breakpoint: the counter passes 1.
    time.sleep(0.5)
    out = gdb_batch(sock=demo.socket, commands=["x/gx 0x200008", "info breakpoints", "detach"])
    m = re.search(r"^0x200008:\s+(0x[0-9a-f]+)$", out, re.M)
    assert m and int(m.group(1), 16) > 1, out
    assert "No breakpoints or watchpoints." in out
    # and a third client still gets served
    out = gdb_batch(sock=demo.socket, commands=["info registers cr3"])
    assert gdb_reg(out, "cr3") == 0x11000


def test_ctrl_c_stops_a_running_target(demo):
    """Interactive gdb: continue, Ctrl-C, and the machine stops with SIGINT
    having run on (the counters moved)."""
    import pexpect
    gdb = pexpect.spawn("gdb", ["-nx", "-q", "-ex", "set pagination off",
                                "-ex", "set style enabled off",
                                "-ex", "set confirm off"],
                        encoding="utf-8", timeout=20)
    try:
        gdb.expect_exact("(gdb)")
        gdb.sendline(f"target remote {demo.socket}")
        gdb.expect_exact("(gdb)")
        gdb.sendline("continue")
        gdb.expect_exact("Continuing.")
        time.sleep(0.5)
        gdb.sendintr()
        gdb.expect(r"received signal SIGINT")
        gdb.expect_exact("(gdb)")
        gdb.sendline("x/gx 0x200100")
        gdb.expect(r"0x200100:\s+(0x[0-9a-f]+)")
        assert int(gdb.match.group(1), 16) > 100
        gdb.expect_exact("(gdb)")
        end_interactive(gdb, "gdb")
    finally:
        gdb.close(force=True)
