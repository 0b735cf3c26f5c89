"""Helpers for the debugger end-to-end tests: boot husk + guest held before
its first instruction (husk.wait), run real GDB 13 and LLDB 14 in batch mode
against the debug link, parse what they print."""
import glob
import os
import re
import subprocess
import tempfile
import textwrap
from pathlib import Path

from conftest import GUEST_ELF, ROOT, Qemu, elf_symbol

HUSK_GDB = ROOT / "scripts" / "husk.gdb"
MASK64 = (1 << 64) - 1


def sym(name, elf=GUEST_ELF):
    return elf_symbol(elf, name)


def boot_held(args="", guest=None, smp=2, timeout=600):
    """husk + guest with 2 CPUs, every CPU held before the guest's first
    instruction until a debugger resumes it."""
    q = Qemu(timeout=timeout, smp=smp, guest=guest, args=("husk.wait " + args).strip())
    q.wait_socket()
    q.wait_console("husk.wait", timeout=60)
    return q


def gdb(sock, commands, elf=GUEST_ELF, timeout=120, script=None, init=True):
    """Runs `gdb --batch -nx` connected to `sock`, then `commands`; returns
    stdout + stderr. `script` is Python run with `-x` after the commands."""
    argv = ["gdb", "--batch", "-nx", "-ex", "set pagination off", "-ex", "set confirm off",
            str(elf), "-ex", f"target remote {sock}"]
    if init:
        argv += ["-x", str(HUSK_GDB)]
    for c in commands:
        argv += ["-ex", c]
    tmp = None
    if script:
        tmp = tempfile.NamedTemporaryFile("w", suffix=".py", delete=False)
        tmp.write(textwrap.dedent(script))
        tmp.close()
        argv += ["-x", tmp.name]
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                           stdin=subprocess.DEVNULL)
    finally:
        if tmp:
            Path(tmp.name).unlink()
    return r.stdout + r.stderr


def lldb_env():
    """LLDB embeds the system's Python 3: another Python on PATH (pyenv,
    a venv) hands it the wrong standard library and its script bridge fails."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYENV", "PYTHONHOME", "PYTHONPATH", "VIRTUAL_ENV"))}
    env["PATH"] = "/usr/bin:/bin"
    # Debian's lldb-14 looks for its module in a directory that does not
    # exist (`lldb -P`); without it the packet timeout reads as 0 s
    for d in glob.glob("/usr/lib/llvm-14/lib/python3*/dist-packages"):
        if os.path.exists(os.path.join(d, "lldb", "embedded_interpreter.py")):
            env["PYTHONPATH"] = d
    return env


def lldb(sock, commands, elf=GUEST_ELF, timeout=120):
    argv = ["lldb", "--batch", "--no-lldbinit", str(elf),
            "-o", f"process connect unix-connect://{sock}"]
    for c in commands:
        argv += ["-o", c]
    r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                       stdin=subprocess.DEVNULL, env=lldb_env())
    return r.stdout + r.stderr


def lldb_reg(out, name, nth=-1):
    """Value of `name = 0x...` in `register read` output (the last by default)."""
    found = re.findall(rf"^\s*{name} = 0x([0-9a-f]+)", out, re.M)
    assert found, f"no {name} in:\n{out}"
    return int(found[nth], 16)


def values(out, key):
    """Every `KEY=0x...` a printf in the commands produced, as ints."""
    return [int(v, 16) for v in re.findall(rf"{key}=(?:0x)?([0-9a-fA-F]+)\b", out)]


def value(out, key):
    found = values(out, key)
    assert found, f"no {key}= in:\n{out}"
    return found[-1]


def pr(key, expr):
    """A gdb command printing `KEY=<hex of expr>`."""
    return f'printf "{key}=%lx\\n", {expr}'
