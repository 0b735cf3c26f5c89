"""husk-proxy against the stub demo target (build/stub-demo): registers,
memory, breakpoints, watchpoints, core files, errors, and GDB sharing the
target through --gdb-socket. Expected values come from docs/protocol.md's
description of the demo and from the symbol table of an ELF assembled
from the demo's program."""
import re
import subprocess

import pytest

from clients import gdb_batch, gdb_registers
from proxy_helpers import PROXY, DemoTarget, gdb, parse_regs, run_proxy, shell, spawn_gdb, spawn_proxy

GPRS = ["rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10", "r11",
        "r12", "r13", "r14", "r15", "rip"]


@pytest.fixture
def demo():
    t = DemoTarget()
    yield t
    t.close()


def split_regs(text):
    """{cpu: {reg: value}} from several `regs N` outputs."""
    out = {}
    parts = re.split(r"^cpu (\d+)$", text, flags=re.M)
    for i in range(1, len(parts), 2):
        out[int(parts[i])] = parse_regs(parts[i + 1])
    return out


def test_regs_of_each_cpu_are_the_demo_reset_state(demo):
    r = run_proxy(demo, "regs 1; regs 2")
    assert r.returncode == 0, r.stderr
    cpus = split_regs(r.stdout)
    assert cpus[1]["rip"] == demo.sym("demo_loop")
    assert cpus[2]["rip"] == demo.sym("demo_cpu2")
    assert cpus[1]["rsp"] == 0x27ffc0 and cpus[2]["rsp"] == 0x26ffc0
    assert cpus[1]["rbp"] == 0x27fff0 and cpus[2]["rbp"] == 0x26fff0
    # every other register of CPU N holds 0x1000 * N + its number
    for n in (1, 2):
        assert cpus[n]["rax"] == 0x1000 * n + 0
        assert cpus[n]["rdi"] == 0x1000 * n + 5
        assert cpus[n]["r15"] == 0x1000 * n + 15
        assert cpus[n]["eflags"] == 0x202
        assert cpus[n]["cs"] == 0x8


def test_regs_match_what_gdb_reads_through_the_proxy(demo):
    proxy = spawn_proxy(demo)
    try:
        ours = {n: parse_regs(shell(proxy, f"regs {n}")) for n in (1, 2)}
        out = gdb_batch(demo.elf, sock=demo.gdb_socket,
                        commands=["thread 1", "info registers", "echo ==== cpu 2\\n",
                                  "thread 2", "info registers"])
        first, second = out.split("==== cpu 2")
        theirs = {1: gdb_registers(first), 2: gdb_registers(second)}
        for n in (1, 2):
            for reg in GPRS + ["eflags", "cs", "ss", "fs_base", "gs_base"]:
                assert ours[n][reg] == theirs[n][reg], (n, reg, out)
        assert theirs[1]["rip"] == demo.sym("demo_loop")
        assert theirs[2]["rip"] == demo.sym("demo_cpu2")
    finally:
        proxy.sendline("quit")
        proxy.close()


def test_x_shows_the_demo_string(demo):
    r = run_proxy(demo, "x demo_string 16; xp 0x200200 16")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    addr = demo.sym("demo_string")
    assert lines[0].startswith(f"{addr:016x}  68 75 73 6b 20 64 65 6d  6f 20 74 61 72 67 65 74")
    assert lines[0].endswith("|husk demo target|")
    assert lines[1] == lines[0]   # physical 0x200200 is the same RAM


def test_write_then_x(demo):
    r = run_proxy(demo, "write demo_string 4a 4b4c; x demo_string 16; x demo_value 8")
    assert r.returncode == 0, r.stderr
    assert "wrote 3 bytes at" in r.stdout
    assert "|JKLk demo target|" in r.stdout
    # the quad at demo_value is 0x1122334455667788, little-endian
    assert "88 77 66 55 44 33 22 11" in r.stdout


def test_break_and_cont_stop_at_the_symbol(demo):
    r = run_proxy(demo, "break demo_store; cont; regs; why")
    assert r.returncode == 0, r.stderr
    addr = demo.sym("demo_store")
    assert f"breakpoint 1 at 0x{addr:016x} <demo_store+0x0>" in r.stdout
    assert f"stopped: breakpoint (signal 5) on cpu 1 at 0x{addr:016x}" in r.stdout
    assert parse_regs(r.stdout.split("\ncpu 1\n")[1])["rip"] == addr
    # mov rax, [0x200000] ran before: rax holds the demo's quad
    assert parse_regs(r.stdout.split("\ncpu 1\n")[1])["rax"] == 0x1122334455667788


def test_hbreak_and_delete(demo):
    r = run_proxy(demo, "hbreak demo_cpu2+8; cont; delete 1; delete; cpus")
    assert r.returncode == 0, r.stderr
    nop = demo.sym("demo_cpu2") + 8
    assert f"on cpu 2 at 0x{nop:016x}" in r.stdout
    assert "deleted hardware breakpoint 1" in r.stdout
    assert "no breakpoints or watchpoints" in r.stdout


def test_watch_fires_after_the_write(demo):
    r = run_proxy(demo, "watch demo_counter 8 w; cont; x demo_counter 8; regs 1")
    assert r.returncode == 0, r.stderr
    counter = demo.sym("demo_counter")
    # x86 data breakpoints trap after the instruction: rip is the next one
    after = demo.sym("demo_store")
    assert f"write watchpoint (signal 5) at 0x{counter:x} on cpu 1 at 0x{after:016x}" in r.stdout
    assert f"{counter:016x}  01 00 00 00 00 00 00 00" in r.stdout


def test_step_walks_the_program(demo):
    r = run_proxy(demo, "step; step 2; cpu 2; step")
    assert r.returncode == 0, r.stderr
    loop = demo.sym("demo_loop")
    assert f"cpu 1 rip 0x{loop + 1:016x} <demo_loop+0x1>" in r.stdout
    assert f"cpu 1 rip 0x{demo.sym('demo_store'):016x}" in r.stdout
    assert f"cpu 2 rip 0x{demo.sym('demo_cpu2') + 8:016x}" in r.stdout


def test_pin_resumes_only_that_cpu(demo):
    r = run_proxy(demo, "pin 2; cont; stop; regs 1; regs 2; pin off; pin 0")
    assert r.returncode == 1   # pin 0 is refused
    assert r.stderr.strip() == "error: cpus are numbered from 1"
    cpus = split_regs(r.stdout)
    assert cpus[1]["rip"] == demo.sym("demo_loop")          # held
    assert cpus[2]["rip"] in {demo.sym("demo_cpu2"), demo.sym("demo_cpu2") + 8,
                              demo.sym("demo_cpu2") + 9}
    assert "cont resumes cpu 2 only" in r.stdout and "cont resumes every cpu" in r.stdout


def test_core_loads_in_gdb_with_registers_and_memory(demo):
    core = demo.dir / "demo.core"
    r = run_proxy(demo, f"step; cpu 2; core {core} --all")
    assert r.returncode == 0, r.stderr
    assert "core: wrote" in r.stdout and "2 cpus" in r.stdout
    out = gdb_batch(demo.elf, core,
                    commands=['printf "rip=%lx rsp=%lx\\n", $rip, $rsp',
                              'printf "s=%s\\n", (char *)&demo_string',
                              "thread 2", 'printf "rip2=%lx\\n", $rip'])
    # the selected CPU (2) comes first: GDB's current thread
    assert f"rip={demo.sym('demo_cpu2'):x} rsp=26ffc0" in out, out
    assert "s=husk demo target" in out
    assert f"rip2={demo.sym('demo_loop') + 1:x}" in out


def test_core_without_page_tables_keeps_registers(demo):
    core = demo.dir / "regs.core"
    r = run_proxy(demo, f"core {core}")
    assert r.returncode == 0, r.stderr
    assert "page tables at cr3 0x11000 unreadable" in r.stderr
    out = gdb_batch(demo.elf, core, commands=['printf "rip=%lx\\n", $rip'])
    assert f"rip={demo.sym('demo_loop'):x}" in out, out


def test_bad_input_gets_one_line_errors_and_the_shell_goes_on(demo):
    r = run_proxy(demo, "frobnicate; x 0xzz; x no_such_symbol; x 0x300000 16; "
                        "watch demo_counter 3; cpu 9; regs 9; regs 1")
    assert r.returncode == 1
    errors = r.stderr.strip().splitlines()
    assert errors == [
        "error: unknown command 'frobnicate' (try 'help')",
        "error: bad number '0xzz'",
        "error: unknown symbol 'no_such_symbol'",
        "error: unreadable virtual memory at 0x300000",
        "error: watch length must be 1, 2, 4 or 8 (x86 debug registers)",
        "error: no cpu 9 (the target has 2: see 'cpus')",
        "error: no cpu 9 (see 'cpus')",
    ]
    assert parse_regs(r.stdout)["rip"] == demo.sym("demo_loop")   # the last command ran


def test_commands_from_a_pipe(demo):
    p = subprocess.run([str(PROXY), str(demo.socket), "--elf", str(demo.elf)],
                       input="addr demo_string\nsym demo_inc+2\nmonitor cpus\n",
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 0, p.stderr
    assert f"demo_string = 0x{demo.sym('demo_string'):016x}" in p.stdout
    assert re.search(r"demo\.S:\d+: demo_inc\+0x2", p.stdout)
    assert "cpu0: thread 1 rip 0x100000" in p.stdout


def test_link_errors_are_clear(demo, tmp_path):
    r = subprocess.run([str(PROXY), str(tmp_path / "none.sock"), "-c", "regs"],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 2
    assert "cannot connect to" in r.stderr and "none.sock" in r.stderr


def test_gdb_steps_while_the_shell_reads_500_operations(demo):
    """GDB single-steps CPU 1 through the proxy; between its steps the shell
    reads the same CPU's registers and the counter. Each side must see the
    other's effects exactly, and neither stream may be corrupted."""
    proxy = spawn_proxy(demo)
    g = spawn_gdb(demo.elf, demo.gdb_socket)
    try:
        gdb(g, "thread 1")
        cycle = [demo.sym("demo_loop"), demo.sym("demo_loop") + 1, demo.sym("demo_inc"),
                 demo.sym("demo_store"), demo.sym("demo_store") + 8, demo.sym("demo_store") + 17]
        cpu2_cycle = {demo.sym("demo_cpu2"), demo.sym("demo_cpu2") + 8, demo.sym("demo_cpu2") + 9}
        counter = demo.sym("demo_counter")
        pc_line = re.compile(r"pc=([0-9a-f]+) ctr=([0-9a-f]+) r15=([0-9a-f]+)")
        ops = 0
        expected_pc = cycle[0]
        increments = 0
        for i in range(125):
            gdb(g, "stepi")
            # r15 is not in the stop reply: GDB must fetch CPU 1's registers
            out = gdb(g, f'printf "pc=%lx ctr=%lx r15=%lx\\n", $pc, *(long *){counter}, $r15')
            ops += 2
            m = pc_line.search(out)
            assert m, out
            gdb_pc, gdb_ctr = int(m.group(1), 16), int(m.group(2), 16)
            if expected_pc == demo.sym("demo_inc"):
                increments += 1
            expected_pc = cycle[(cycle.index(expected_pc) + 1) % len(cycle)]
            assert gdb_pc == expected_pc, (i, out)
            assert gdb_ctr == increments, (i, out)
            assert int(m.group(3), 16) == 0x100f, (i, out)
            regs = parse_regs(shell(proxy, "regs 1"))
            assert regs["rip"] == gdb_pc, (i, regs)
            assert regs["rsp"] == 0x27ffc0
            if i % 2:
                # leaves the stub's register thread on CPU 2: GDB's next
                # packets must still read CPU 1
                other = parse_regs(shell(proxy, "regs 2"))
                assert other["rip"] in cpu2_cycle and other["rsp"] == 0x26ffc0, (i, other)
            else:
                dump = shell(proxy, f"x {counter:#x} 8")
                assert dump.strip().startswith(f"{counter:016x}  {increments:02x} 00 00 00"), (i, dump)
            ops += 2
        assert ops == 500
        # GDB's view of registers other than pc is still right after all that
        out = gdb(g, "info registers rsp rbp")
        assert "0x27ffc0" in out and "0x27fff0" in out
    finally:
        g.sendline("detach")
        g.sendline("quit")
        g.close()
        proxy.sendline("quit")
        proxy.close()


def test_shell_waits_while_gdb_runs_the_target_and_stop_interrupts(demo):
    proxy = spawn_proxy(demo)
    g = spawn_gdb(demo.elf, demo.gdb_socket)
    try:
        g.sendline("continue")
        g.expect_exact("Continuing.")
        proxy.sendline("regs 1")
        proxy.expect_exact("the target is running (resumed by gdb): 'regs 1' waits until it stops")
        proxy.sendline("stop")
        g.expect("received signal SIGINT")
        g.expect_exact("(gdb) ")
        proxy.expect(r"rip\s+0x([0-9a-f]+)")
        shell_rip = int(proxy.match.group(1), 16)
        proxy.expect_exact("husk> ")
        out = gdb(g, 'printf "pc=%lx\\n", $pc')
        # the CPU GDB stopped on is cpu 1 (the demo's interrupt rule)
        assert f"pc={shell_rip:x}" in out
    finally:
        g.sendline("detach")
        g.sendline("quit")
        g.close()
        proxy.sendline("quit")
        proxy.close()


def test_line_editing_completes_names_and_keeps_history(demo):
    proxy = spawn_proxy(demo, gdb_socket=False)
    try:
        proxy.send("sysr\t")           # a command name
        proxy.send(" 2\r")
        proxy.expect(r"cpu 2\r\ncr0\s+0x0*80050033")
        proxy.expect_exact("husk> ")
        proxy.send("addr demo_str\t\r")  # a guest symbol
        proxy.expect(r"demo_string = 0x([0-9a-f]+)")
        assert int(proxy.match.group(1), 16) == demo.sym("demo_string")
        proxy.expect_exact("husk> ")
        proxy.send("\x1b[A\r")         # arrow up: the same line again
        proxy.expect(r"demo_string = 0x([0-9a-f]+)")
        proxy.expect_exact("husk> ")
    finally:
        proxy.sendline("quit")
        proxy.close()
