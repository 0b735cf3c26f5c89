"""Helpers for husk-proxy's end-to-end tests: the demo target on a private
socket, an ELF whose symbols describe the demo's program and data (so
tests take addresses from a symbol table, as they will for the guest), and
ways to drive the proxy: -c, a pipe, or a terminal through pexpect."""
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

import pexpect

from conftest import elf_symbol, stop_process

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"
PROXY = BUILD / "husk-proxy"
DEMO = BUILD / "stub-demo"
PROMPT = "husk> "

# The demo's program and data (docs/protocol.md), byte for byte, with names.
DEMO_SOURCE = r"""
    .text
    .globl demo_loop, demo_inc, demo_store, demo_cpu2, demo_value, demo_counter, demo_string
    .type demo_loop, @function
demo_loop:
    nop
    movq 0x200000, %rax
demo_inc:
    incq 0x200008
demo_store:
    movq %rax, 0x200010
    addq $5, 0x200018
    jmp demo_loop
    .size demo_loop, . - demo_loop
    .org 0x100
    .type demo_cpu2, @function
demo_cpu2:
    incq 0x200100
    nop
    jmp demo_cpu2
    .size demo_cpu2, . - demo_cpu2
    .data
    .type demo_value, @object
demo_value: .quad 0x1122334455667788
    .size demo_value, 8
    .type demo_counter, @object
demo_counter: .quad 0
    .size demo_counter, 8
    .org 0x200
    .type demo_string, @object
demo_string: .asciz "husk demo target"
    .size demo_string, . - demo_string
"""


def build_demo_elf(directory):
    """Assembles DEMO_SOURCE with -g at the demo's addresses; returns the path."""
    src = Path(directory) / "demo.S"
    obj = Path(directory) / "demo.o"
    elf = Path(directory) / "demo.elf"
    src.write_text(DEMO_SOURCE)
    subprocess.run(["gcc", "-g", "-c", str(src), "-o", str(obj)], check=True)
    subprocess.run(["ld", "-Ttext=0x100000", "-Tdata=0x200000", "-e", "demo_loop",
                    str(obj), "-o", str(elf)], check=True)
    return elf


class DemoTarget:
    """build/stub-demo serving a socket in a private directory, plus the ELF."""

    def __init__(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="husk-proxy-")
        self.dir = Path(self.tmp.name)
        self.socket = self.dir / "demo.sock"
        self.gdb_socket = self.dir / "gdb.sock"
        self.elf = build_demo_elf(self.dir)
        self.proc = subprocess.Popen([str(DEMO), str(self.socket)], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        end = time.monotonic() + 10
        while not self.socket.exists():
            assert self.proc.poll() is None, "stub-demo exited at start"
            assert time.monotonic() < end, "stub-demo socket never appeared"
            time.sleep(0.02)

    def sym(self, name):
        return elf_symbol(self.elf, name)

    def close(self):
        stop_process(self.proc, 5)
        self.tmp.cleanup()


def run_proxy(target, commands, timeout=60, extra=()):
    """husk-proxy -c COMMANDS; returns the CompletedProcess (text)."""
    args = [str(PROXY), str(target.socket), "--elf", str(target.elf), *extra, "-c", commands]
    return subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=timeout)


def spawn_proxy(target, gdb_socket=True, timeout=20):
    """The shell on a terminal (pexpect), optionally serving GDB."""
    args = [str(target.socket), "--elf", str(target.elf)]
    if gdb_socket:
        args += ["--gdb-socket", str(target.gdb_socket)]
    child = pexpect.spawn(str(PROXY), args, encoding="utf-8", timeout=timeout,
                          env={**os.environ, "TERM": "dumb"}, dimensions=(50, 200))
    child.expect_exact(PROMPT)
    return child


def shell(child, command, timeout=20):
    """Runs one command at the prompt; returns its output. Notices printed
    before the command's echo (a debugger connecting, say) are skipped."""
    child.sendline(command)
    child.expect_exact(command, timeout=timeout)
    child.expect_exact(PROMPT, timeout=timeout)
    return child.before.replace("\r", "").lstrip("\n")


def spawn_gdb(elf, sock, timeout=20):
    """An interactive GDB with plain output, connected to `sock`."""
    child = pexpect.spawn("gdb", ["-nx", "-q", "-ex", "set style enabled off",
                                  "-ex", "set pagination off", "-ex", "set confirm off",
                                  "-ex", "set width 0", str(elf)],
                          encoding="utf-8", timeout=timeout, env={**os.environ, "TERM": "dumb"})
    child.expect_exact("(gdb) ")
    gdb(child, f"target remote {sock}")
    return child


def gdb(child, command, timeout=20):
    child.sendline(command)
    child.expect_exact("(gdb) ", timeout=timeout)
    return child.before.replace("\r", "")


REG_LINE = re.compile(r"^(\w+)\s+0x([0-9a-f]+)", re.M)


def parse_regs(text):
    """{name: value} from the shell's `regs` output."""
    return {m.group(1): int(m.group(2), 16) for m in REG_LINE.finditer(text)}
