"""husk-proxy on the real guest (issue 6's list): registers per CPU against
GDB, a known guest string, a symbolized backtrace from a nested supervisor
call, a watchpoint on the counter shard's data, a core GDB can read, and
GDB stepping through --gdb-socket while the shell reads between its steps.
Each runs on husk's link (skipped until the monitor answers) and on QEMU's
gdbstub with the bare guest (see proxy_guest.py)."""
import re
import subprocess

import pytest

from clients import gdb_batch, gdb_registers
from conftest import elf_symbol
from proxy_guest import GUEST_ELF, KINDS, run_until, start_guest
from proxy_helpers import gdb, parse_regs, run_proxy, shell, spawn_gdb, spawn_proxy

GPRS = ["rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10", "r11",
        "r12", "r13", "r14", "r15", "rip", "eflags", "cs", "ss"]
HIGHER_HALF = 0xffffffff80000000     # the supervisor image: physical + this


@pytest.fixture(params=KINDS)
def kind(request):
    return request.param


@pytest.fixture
def guests():
    started = []
    yield started
    for g in started:
        g.close()


def boot(guests, kind, args, needs=(), **kw):
    g = start_guest(kind, args, needs, **kw)
    guests.append(g)
    return g


def addr2line(addr):
    out = subprocess.run(["addr2line", "-e", str(GUEST_ELF), f"{addr:#x}"],
                         capture_output=True, text=True, check=True).stdout.strip()
    path, line = out.rsplit(":", 1)
    return path.split("/guest/", 1)[-1], int(line.split()[0])


def function_of(addr):
    """(name, start) of the function containing addr: a sized symbol that
    covers it (nm -S), else the nearest code symbol below (assembly)."""
    out = subprocess.run(["nm", "-S", "-n", str(GUEST_ELF)], capture_output=True, text=True,
                         check=True).stdout
    below = None
    for line in out.splitlines():
        parts = line.split()
        if parts[-2] not in "tT":
            continue
        start = int(parts[0], 16)
        if len(parts) == 4 and start <= addr < start + int(parts[1], 16):
            return parts[3], start
        if start <= addr:
            below = (parts[-1], start)
    assert below, hex(addr)
    return below


def test_regs_per_cpu_match_gdb(guests, kind):
    g = boot(guests, kind, "hello counter")
    proxy = spawn_proxy(g)
    try:
        run_until(proxy, g, "[counter] counting at")
        ours = {n: parse_regs(shell(proxy, f"regs {n}")) for n in (1, 2)}
        out = gdb_batch(GUEST_ELF, sock=g.gdb_socket,
                        commands=["thread 1", "info registers", "echo ==== cpu 2\\n", "thread 2",
                                  "info registers"])
        first, second = out.split("==== cpu 2")
        theirs = {1: gdb_registers(first), 2: gdb_registers(second)}
        for n in (1, 2):
            for reg in GPRS:
                assert ours[n][reg] == theirs[n][reg], (n, reg, out)
            assert ours[n]["rip"] != 0
    finally:
        proxy.sendline("quit")
        proxy.close()


def test_x_shows_a_shard_name_in_supervisor_memory(guests, kind):
    g = boot(guests, kind, "hello counter")
    proxy = spawn_proxy(g)
    try:
        run_until(proxy, g, "[counter] counting at")
        out = shell(proxy, "x shards 16; shards; vtop shards")
    finally:
        proxy.sendline("quit")
        proxy.close()
    shards = elf_symbol(GUEST_ELF, "shards")
    assert f"{shards:016x}  68 65 6c 6c 6f 00" in out       # "hello"
    assert "|hello...........|" in out
    assert re.search(r"^\s+0\s+hello\s", out, re.M)
    assert re.search(r"^\s+1\s+counter\s+(running|ready|sleeping)", out, re.M)
    # the monitor's own vtop, or the proxy's page walk on QEMU
    assert re.search(rf"-> phys(ical)? {shards - HIGHER_HALF:#x}\b", out), out


def test_bt_from_a_breakpoint_in_a_nested_supervisor_call(guests, kind):
    # hello ends through SYS_EXIT: syscall_entry -> syscall_dispatch ->
    # handle_sys_exit
    g = boot(guests, kind, "hello")
    target = elf_symbol(GUEST_ELF, "handle_sys_exit")
    # a hardware breakpoint: while the CPUs are held the supervisor's
    # higher half is not mapped yet, so an int3 could not be written there
    r = run_proxy(g, "hbreak handle_sys_exit; cont; bt; regs", timeout=120)
    assert r.returncode == 0, r.stderr
    frames = re.findall(r"^#(\d+)\s+0x([0-9a-f]+) (\S+):(\d+): (\w+)\+0x([0-9a-f]+)$",
                        r.stdout, re.M)
    assert len(frames) >= 3, r.stdout
    for i, (num, pc, path, line, func, off) in enumerate(frames):
        pc = int(pc, 16)
        # a return address may sit just past its (noreturn-calling) function
        name, start = function_of(pc if i == 0 else pc - 1)
        assert (func, int(off, 16)) == (name, pc - start), frames[i]
        want_path, want_line = addr2line(pc if i == 0 else pc - 1)   # the call, for callers
        assert path.endswith(want_path.split("/")[-1]) and int(line) == want_line, (frames[i], want_path, want_line)
    assert int(frames[0][1], 16) == target and frames[0][4] == "handle_sys_exit"
    assert frames[1][4] == "syscall_dispatch" and frames[1][2].endswith("syscall.c")
    assert frames[2][4] == "syscall_entry"
    assert parse_regs(r.stdout.split("\ncpu ")[-1])["rip"] == target


def test_watch_on_the_counter_shard_fires(guests, kind):
    g = boot(guests, kind, "counter")
    r = run_proxy(g, "watch 0x100000 8 w; cont; x 0x100000 8; regs; cont; x 0x100000 8; delete",
                  timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("stopped: write watchpoint (signal 5) at 0x100000") == 2, r.stdout
    values = [int.from_bytes(bytes.fromhex("".join(m.split())), "little")
              for m in re.findall(r"^0000000000100000  ((?:[0-9a-f]{2} ){7}[0-9a-f]{2})", r.stdout, re.M)]
    assert len(values) == 2 and values[1] == values[0] + 1, r.stdout
    regs = parse_regs(r.stdout)
    assert regs["cs"] == 0x23 and 0x1000 <= regs["rip"] < 0x100000   # ring 3, shard code


def test_core_loads_in_gdb_with_the_live_registers(guests, kind, tmp_path):
    g = boot(guests, kind, "hello counter")
    core = tmp_path / "guest.core"
    proxy = spawn_proxy(g, gdb_socket=False)
    try:
        run_until(proxy, g, "[counter] counting at")
        out = shell(proxy, f"regs; x timer_ticks 8; core {core}", timeout=600)
    finally:
        proxy.sendline("quit")
        proxy.close()
    assert "core: wrote" in out, out
    live = parse_regs(out)
    ticks = re.search(rf"^{elf_symbol(GUEST_ELF, 'timer_ticks'):016x}  ((?:[0-9a-f]{{2}} ){{7}}[0-9a-f]{{2}})",
                      out, re.M).group(1)
    ticks = int.from_bytes(bytes.fromhex("".join(ticks.split())), "little")
    out = gdb_batch(GUEST_ELF, core,
                    commands=['printf "rip=%lx rsp=%lx rbp=%lx\\n", $rip, $rsp, $rbp',
                              'printf "ticks=%lu\\n", timer_ticks',
                              'printf "name=%s\\n", shards[0].name'], timeout=120)
    assert f"rip={live['rip']:x} rsp={live['rsp']:x} rbp={live['rbp']:x}" in out, out
    assert f"ticks={ticks}" in out, out
    assert "name=hello" in out, out


def test_gdb_steps_while_the_shell_reads_500_operations(guests, kind):
    g = boot(guests, kind, "counter")
    proxy = spawn_proxy(g)
    try:
        # land in the counter shard's loop, on whichever CPU runs it
        out = shell(proxy, "watch 0x100000 8; cont", timeout=60)
        if "stopped:" not in out:
            proxy.expect(r"stopped: write watchpoint", timeout=60)
            proxy.expect_exact("husk> ")
        cpu = int(re.search(r"^\* cpu (\d+)", shell(proxy, "delete; cpus"), re.M).group(1))
        gdbc = spawn_gdb(GUEST_ELF, g.gdb_socket, timeout=30)
        try:
            gdb(gdbc, f"thread {cpu}")
            line = re.compile(r"pc=([0-9a-f]+) rsp=([0-9a-f]+) v=([0-9a-f]+)")
            ops = 0
            for i in range(125):
                gdb(gdbc, "stepi", timeout=30)
                m = line.search(gdb(gdbc, 'printf "pc=%lx rsp=%lx v=%lx\\n", $pc, $rsp, *(long *)0x100000'))
                ops += 2
                assert m, i
                pc, rsp, v = (int(x, 16) for x in m.groups())
                assert 0x1000 <= pc < 0x100000, (i, hex(pc))     # still in the shard
                regs = parse_regs(shell(proxy, f"regs {cpu}"))
                dump = shell(proxy, f"x 0x100000 8")
                ops += 2
                assert (regs["rip"], regs["rsp"]) == (pc, rsp), (i, regs, m.group(0))
                assert dump.startswith("0000000000100000  " + " ".join(
                    f"{b:02x}" for b in v.to_bytes(8, "little"))), (i, dump, hex(v))
            assert ops == 500
        finally:
            gdbc.sendline("detach")
            gdbc.sendline("quit")
            gdbc.close()
    finally:
        proxy.sendline("quit")
        proxy.close()


def test_log_shows_the_monitor_log(guests, kind):
    g = boot(guests, kind, "hello", needs=("log",))
    r = run_proxy(g, "cont; stop; log")
    assert r.returncode == 0, r.stderr
    assert "husk" in r.stdout, "the monitor's log says nothing: " + r.stdout


def test_catch_stops_a_shard_fault_before_the_supervisor_kills_it(guests, kind):
    # fault=null reads address 0 in ring 3: #PF, vector 14; on two CPUs,
    # so the fault may come on either.
    g = boot(guests, kind, "fault=null", needs=("catch",))
    r = run_proxy(g, "catch 14; cont; why; regs", timeout=120)
    assert r.returncode == 0, r.stderr
    regs = parse_regs(r.stdout)
    assert regs["cs"] == 0x23 and 0x1000 <= regs["rip"] < 0x100000, r.stdout   # in the shard
    assert "supervisor: shard fault-null" not in g.console()   # not killed yet
