"""The debuggers the end-to-end tests drive: GDB and LLDB in batch mode
against a socket (no terminal, a timeout, stdout + stderr as one text),
the LLDBs installed, the registers their listings show, and the end of an
interactive session."""
import glob
import os
import re
import shutil
import subprocess


def run_batch(argv, timeout=60, env=None):
    """Runs a client to completion with no input; its stdout + stderr."""
    r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                       stdin=subprocess.DEVNULL, env=env)
    return r.stdout + r.stderr


def gdb_batch(*files, sock=None, commands=(), timeout=60):
    """`gdb --batch -nx` on `files` (an ELF, a core), connected to `sock`
    when given, then each of `commands` as an -ex."""
    argv = ["gdb", "--batch", "-nx", "-ex", "set pagination off", "-ex", "set confirm off",
            *map(str, files)]
    if sock:
        argv += ["-ex", f"target remote {sock}"]
    for c in commands:
        argv += ["-ex", c]
    return run_batch(argv, timeout)


def lldb_binaries():
    """Every LLDB installed, each once: lldb (14 on Debian 12), lldb-16,
    lldb-14."""
    found = []
    for name in ("lldb", "lldb-16", "lldb-14"):
        path = shutil.which(name)
        if path and os.path.realpath(path) not in [os.path.realpath(p) for p in found]:
            found.append(path)
    return found


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


def lldb_batch(sock, commands=(), elf=None, lldb="lldb", timeout=60):
    """`lldb --batch --no-lldbinit` on `elf` (if any), connected to `sock`,
    then each of `commands` as an -o."""
    argv = [lldb, "--batch", "--no-lldbinit", *([str(elf)] if elf else []),
            "-o", f"process connect unix-connect://{sock}"]
    for c in commands:
        argv += ["-o", c]
    return run_batch(argv, timeout, env=lldb_env())


def lldb_reg(out, name, nth=-1):
    """Value of `name = 0x...` in `register read` output (the last by default)."""
    found = re.findall(rf"^\s*{name} = 0x([0-9a-f]+)", out, re.M)
    assert len(found) > (nth if nth >= 0 else -nth - 1), f"{name} not in:\n{out}"
    return int(found[nth], 16)


GDB_REG_LINE = re.compile(r"^(\w+)\s+0x([0-9a-f]+)\s", re.M)


def gdb_registers(text):
    """{name: value} from GDB's `info registers` (the last listing wins)."""
    return {m.group(1): int(m.group(2), 16) for m in GDB_REG_LINE.finditer(text)}


def gdb_reg(out, name):
    """The value GDB printed for `info registers NAME` (the first listing)."""
    m = re.search(rf"^{name}\s+(0x[0-9a-f]+)", out, re.M)
    assert m, f"{name} not in:\n{out}"
    return int(m.group(1), 16)


def end_interactive(proc, client):
    """Ends an interactive (pexpect) session the way a user would: detach,
    so the target runs on, then quit; waits for the client to exit."""
    import pexpect
    if client == "lldb":
        proc.sendline("process detach")
        proc.expect_exact("detached")
    else:
        proc.sendline("detach")
        proc.expect_exact("(gdb)")
    proc.sendline("quit")
    proc.expect(pexpect.EOF)
