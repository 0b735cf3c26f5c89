"""Hardware breakpoints and watchpoints from real clients (GDB 13, and every
LLDB installed) against husk + the supervisor-and-shard guest on 2 CPUs,
held before its first instruction (husk.wait): the debugger's global table
of DR0-DR3 applied to every CPU, stop replies watch:/rwatch:/awatch: with
the watched address, the write already done when the stop comes, read
watchpoints emulated on read/write slots, a fifth watchpoint refused."""
import re

import pytest

from clients import gdb_batch, lldb_batch, lldb_binaries
from conftest import GUEST_ELF, elf_symbol
from debug_helpers import boot_held

STOP_RE = re.compile(r"Packet received: (T05[^\n]*)")
CHANGE_RE = re.compile(r"Old value = (\d+)\s+New value = (\d+)")


def sym(name):
    return elf_symbol(GUEST_ELF, name)


@pytest.fixture
def husk(request):
    """husk + guest (2 CPUs, the counter shard), every CPU held."""
    args = getattr(request, "param", "counter")
    q = boot_held(args=args, timeout=180)
    try:
        yield str(q.socket)
    finally:
        q.close()


def gdb(sock, *commands, script=None, timeout=90):
    """The commands, `script` as Python, then delete and detach."""
    commands = list(commands) + (["python exec(" + repr(script) + ")"] if script else [])
    return gdb_batch(GUEST_ELF, sock=sock, commands=commands + ["delete", "detach"], timeout=timeout)


def stop_replies(out):
    return STOP_RE.findall(out)


def test_gdb_hbreak_supervisor_main_then_timer_preempt(husk):
    main, preempt = sym("supervisor_main"), sym("timer_preempt")
    out = gdb(husk, "hbreak supervisor_main", "continue", 'printf "RIP1=%lx\\n", $pc',
              "hbreak timer_preempt", "continue", 'printf "RIP2=%lx\\n", $pc')
    assert f"RIP1={main:x}" in out, out
    # resumed with RF: supervisor_main's breakpoint did not fire again, the
    # next stop is the second breakpoint
    assert f"RIP2={preempt:x}" in out, out
    assert "Hardware assisted breakpoint" in out, out


def test_gdb_watch_timer_ticks(husk):
    addr = sym("timer_ticks")
    # run to supervisor_main first: before the guest turns paging on its
    # higher-half `timer_ticks` is unmapped (E14) and GDB has no old value
    out = gdb(husk, "hbreak supervisor_main", "continue", "delete",
              "set debug remote 1", "watch timer_ticks", "continue", "continue", "continue",
              "set debug remote 0", 'printf "NOW=%lu\\n", timer_ticks', 'printf "THREAD=%d\\n", $_thread')
    changes = [(int(a), int(b)) for a, b in CHANGE_RE.findall(out)]
    assert len(changes) == 3, out
    for old, new in changes:
        assert new == old + 1, out           # one tick per stop, none missed or doubled
    assert changes[1][0] == changes[0][1] and changes[2][0] == changes[1][1], out
    # x86 traps after the access: the new value is already in memory
    assert f"NOW={changes[-1][1]}" in out, out
    assert "THREAD=1" in out, out            # CPU 0 owns the timer tick
    replies = stop_replies(out)
    watch_replies = [r for r in replies if "watch:" in r]
    assert len(watch_replies) == 3, out
    for r in watch_replies:
        assert f";watch:{addr:x};" in r or r.endswith(f"watch:{addr:x}"), r
        assert "rwatch:" not in r and "awatch:" not in r, r


COUNTER_SCRIPT = r'''
import gdb, re
gdb.execute("watch *(unsigned long *)0x100000")
for i in range(40):
    gdb.execute("continue")
    th = gdb.selected_thread().num
    cur = gdb.parse_and_eval("cpus[%d].current" % (th - 1))
    name = cur["name"].string() if int(cur) else "supervisor"
    mem = int(gdb.parse_and_eval("*(unsigned long *)0x100000"))
    print("HIT thread=%d cpu_index=%d shard=%s mem=%d" % (th, int(gdb.parse_and_eval("cpus[%d].index" % (th - 1))), name, mem))
'''


def test_gdb_watch_counter_shard(husk):
    out = gdb(husk, script=COUNTER_SCRIPT, timeout=150)
    hits = re.findall(r"HIT thread=(\d+) cpu_index=(\d+) shard=(\S+) mem=(\d+)", out)
    changes = [(int(a), int(b)) for a, b in CHANGE_RE.findall(out)]
    assert len(hits) == 40, out
    # Every stop is on the CPU running the counter shard, right after its
    # store: the stopped thread's CPU says it runs `counter`, and the value
    # GDB reads there through that CPU's page tables is the new one.
    for thread, cpu_index, shard, mem in hits:
        assert shard == "counter", out
        assert int(cpu_index) == int(thread) - 1, out
    news = [b for _, b in changes]
    assert [int(m) for *_, m in hits][-len(news):] == news, out
    # The first stop is the shard's first increment (its fresh page held 0);
    # GDB's "old value" there was read when the watchpoint was set, through
    # CPU 0's boot-time identity map: another address space, so not checked.
    # From then on every increment is seen once, in order.
    assert changes[0][1] == 1, out
    for old, new in changes[1:]:
        assert new == old + 1, out


def test_gdb_rwatch_and_awatch(husk):
    addr = sym("timer_ticks")
    pc = 'printf "PC=%lx\\n", $pc'
    out = gdb(husk, "hbreak timer_preempt", "continue", "delete",
              "set debug remote 1",
              # where the increment's store traps: the pc a write watchpoint reports
              "watch timer_ticks", "continue", 'printf "STORE=%lx\\n", $pc', "delete",
              "rwatch timer_ticks", *["continue", pc] * 4, "delete",
              "awatch timer_ticks", *["continue", pc] * 4, "set debug remote 0")
    store = int(re.search(r"STORE=([0-9a-f]+)", out).group(1), 16)
    # in order: four stops of the read watchpoint, then four of the access one
    pcs = [int(x, 16) for x in re.findall(r"PC=([0-9a-f]+)", out)]
    replies = [r for r in stop_replies(out) if "watch:" in r]
    assert len(pcs) == 8 and len(replies) == 9, out     # the first is the write watchpoint's
    rpcs, apcs = pcs[:4], pcs[4:]
    rreplies, areplies = replies[1:5], replies[5:]
    # A read watchpoint runs on a read/write slot; the increment's store
    # changes the value and is filtered out, so no read stop is at the store
    # (without the filter every second stop would be).
    assert store not in rpcs, out
    assert all(f"rwatch:{addr:x}" in r for r in rreplies), out
    assert len(re.findall(r"Hardware read watchpoint \d+: timer_ticks\s+Value = \d+", out)) == 4, out
    # an access watchpoint reports the store as well
    assert all(f"awatch:{addr:x}" in r for r in areplies), out
    assert store in apcs, out


def test_gdb_fifth_watchpoint_is_refused(husk):
    out = gdb(husk, "watch timer_ticks", "watch cpus_online", "watch shard_count",
              "watch cpus[0].switches", "watch cpus[1].switches", "continue",
              "delete 5", "continue", 'printf "AFTER=%lx\\n", $pc')
    assert "Could not insert hardware watchpoint" in out, out
    assert "You may have requested too many hardware breakpoints/watchpoints" in out, out
    # with four left, the target runs and stops again
    assert re.search(r"hit Hardware watchpoint \d+:", out), out
    assert "AFTER=" in out, out


LLDBS = lldb_binaries()


@pytest.mark.skipif(not LLDBS, reason="no lldb installed")
@pytest.mark.parametrize("lldb", LLDBS or ["lldb"])
def test_lldb_watchpoint_set_expression(husk, lldb):
    addr = sym("timer_ticks")
    out = lldb_batch(husk, ["breakpoint set -H -n timer_preempt", "continue", "breakpoint delete -f",
                            f"watchpoint set expression -w write -s 8 -- {addr:#x}",
                            "continue", "continue",
                            f"memory read -s8 -fu -c1 {addr:#x}",
                            "watchpoint delete -f", "detach"],
                     elf=GUEST_ELF, lldb=lldb, timeout=90)
    # the hardware breakpoint first (a Z1: LLDB's -H), where LLDB put it:
    # timer_preempt after its prologue
    bp = re.search(r"Breakpoint 1: where = guest\.elf`timer_preempt \+ \d+ .*address = (0x[0-9a-f]+)", out)
    assert bp, out
    bp_addr = int(bp.group(1), 16)
    assert sym("timer_preempt") <= bp_addr < sym("timer_preempt") + 0x40, out
    assert re.search(rf"stop reason = breakpoint 1\.1\s+frame #0: {bp_addr:#018x} ", out), out
    assert "stop reason = watchpoint 1" in out, out
    changes = [(int(a), int(b)) for a, b in re.findall(r"old value: (\d+)\s+new value: (\d+)", out)]
    assert changes and all(b == a + 1 for a, b in changes), out
    mem = re.search(rf"{addr:#x}: (\d+)", out)
    assert mem and int(mem.group(1)) == changes[-1][1], out
