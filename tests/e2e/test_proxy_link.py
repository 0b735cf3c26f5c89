"""husk-proxy's link and its second client: reconnecting when the monitor
goes away, refusing a second debugger, and LLDB through --gdb-socket."""
import shutil
import subprocess
import time

import pytest

from clients import lldb_batch, lldb_binaries
from proxy_helpers import (DEMO, PROMPT, PROXY, DemoTarget, gdb, parse_regs, shell, spawn_gdb,
                           spawn_proxy)


@pytest.fixture
def demo():
    t = DemoTarget()
    yield t
    t.close()


def restart_demo(demo):
    demo.proc.terminate()
    demo.proc.wait(5)
    demo.proc = subprocess.Popen([str(DEMO), str(demo.socket)], stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_reconnects_when_the_link_drops(demo):
    proxy = spawn_proxy(demo, gdb_socket=False)
    try:
        assert parse_regs(shell(proxy, "step; regs 1"))["rip"] == demo.sym("demo_loop") + 1
        restart_demo(demo)   # the new target starts from reset
        proxy.expect_exact("link to the monitor lost: the monitor closed the connection; reconnecting")
        proxy.expect_exact("link: connected to " + str(demo.socket), timeout=15)
        time.sleep(0.2)
        assert parse_regs(shell(proxy, "regs 1"))["rip"] == demo.sym("demo_loop")
    finally:
        proxy.sendline("quit")
        proxy.close()


def test_commands_fail_clearly_while_the_link_is_down(demo):
    proxy = spawn_proxy(demo, gdb_socket=False)
    try:
        demo.proc.terminate()
        demo.proc.wait(5)
        proxy.expect_exact("reconnecting")
        proxy.sendline("regs")
        proxy.expect_exact("error: regs: the link to the monitor is down")
        out = shell(proxy, "addr demo_string")   # symbols still work
        assert f"demo_string = 0x{demo.sym('demo_string'):016x}" in out
    finally:
        proxy.sendline("quit")
        proxy.close()


def test_a_second_debugger_is_refused(demo):
    proxy = spawn_proxy(demo)
    first = spawn_gdb(demo.elf, demo.gdb_socket)
    try:
        proxy.expect_exact("gdb: debugger connected")
        second = subprocess.run(["gdb", "-nx", "--batch", "-ex", f"target remote {demo.gdb_socket}"],
                                capture_output=True, text=True, timeout=60)
        assert second.returncode != 0
        assert "Remote debugging using" not in second.stdout
        proxy.expect_exact("gdb: refused a second debugger")
        # the first one is undisturbed
        out = gdb(first, 'printf "r15=%lx\\n", $r15')
        assert "r15=100f" in out, out   # cpu 1: the demo starts stopped there
    finally:
        first.sendline("detach")
        first.sendline("quit")
        first.close()
        proxy.sendline("quit")
        proxy.close()


LLDB = next(iter(lldb_binaries()), None)


@pytest.mark.skipif(not LLDB, reason="no lldb installed (lldb, lldb-16 or lldb-14)")
def test_lldb_through_the_gdb_socket(demo):
    proxy = spawn_proxy(demo)
    try:
        ours = parse_regs(shell(proxy, "regs 2"))
        out = lldb_batch(demo.gdb_socket, ["thread select 2", "register read rip r15",
                                           "memory read -s1 -c16 0x200200", "process detach"],
                         elf=demo.elf, lldb=LLDB, timeout=90)
        assert f"rip = 0x{ours['rip']:016x}" in out, out
        assert f"r15 = 0x{ours['r15']:016x}" in out, out
        assert "husk demo target" in out
        proxy.expect_exact("gdb: debugger detached; the target is running")
        proxy.expect_exact(PROMPT)
        out = shell(proxy, "stop")
        assert "stopped: interrupted (signal 2)" in out
    finally:
        proxy.sendline("quit")
        proxy.close()


@pytest.mark.skipif(not shutil.which("socat"), reason="socat is not installed")
def test_serial_device_link(demo):
    """--tty: a pseudo-terminal that socat joins to the demo's socket stands
    in for a serial cable, so the termios path runs for real."""
    pty = demo.dir / "ttyDEMO"
    relay = subprocess.Popen(["socat", f"pty,raw,echo=0,link={pty}", f"UNIX-CONNECT:{demo.socket}"],
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    try:
        end = time.monotonic() + 10
        while not pty.exists():
            assert time.monotonic() < end, "socat made no pty"
            time.sleep(0.02)
        for args in (["--tty", str(pty), "--baud", "115200"], [str(pty)]):  # explicit, and detected
            r = subprocess.run([str(PROXY), *args, "--elf", str(demo.elf), "-c", "regs 2; x demo_string 16"],
                               capture_output=True, text=True, timeout=60)
            assert r.returncode == 0, r.stderr
            assert parse_regs(r.stdout)["rip"] == demo.sym("demo_cpu2")
            assert "|husk demo target|" in r.stdout
        r = subprocess.run([str(PROXY), "--tty", str(pty), "--baud", "12345", "-c", "regs"],
                           capture_output=True, text=True, timeout=30)
        assert r.returncode == 2 and "unsupported baud rate '12345'" in r.stderr
    finally:
        relay.terminate()
        relay.wait(5)
