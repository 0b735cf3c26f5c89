"""Helpers for the debugger end-to-end tests: boot husk + guest held before
its first instruction (husk.wait), run real GDB 13 and LLDB 14 in batch mode
against the debug link, parse what they print."""
import re
import tempfile
import textwrap
from pathlib import Path

from clients import gdb_batch, lldb_batch
from conftest import GUEST_ELF, ROOT, Qemu, elf_symbol

HUSK_GDB = ROOT / "scripts" / "husk.gdb"
MASK64 = (1 << 64) - 1


def sym(name, elf=GUEST_ELF):
    return elf_symbol(elf, name)


def boot_held(args="", guest=None, smp=2, timeout=600):
    """husk + guest with 2 CPUs, every CPU held before the guest's first
    instruction until a debugger resumes it."""
    q = Qemu(timeout=timeout, smp=smp, guest=guest, args=("husk.wait " + args).strip())
    try:
        q.wait_socket()
        q.wait_console("husk.wait", timeout=60)
    except BaseException:
        q.close()
        raise
    return q


def boot_at_supervisor_main():
    """boot_held with the counter shard, then run to supervisor_main (paging
    on): the boot most tests of a module share."""
    q = boot_held(args="counter")
    out = gdb(q.socket, ["hbreak supervisor_main", "continue", pr("HIT", "$pc")])
    assert value(out, "HIT") == sym("supervisor_main"), out
    return q


def gdb(sock, commands, elf=GUEST_ELF, timeout=120, script=None, init=True):
    """GDB connected to `sock` (scripts/husk.gdb sourced unless `init` is
    false), then `commands`; returns stdout + stderr. `script` is Python
    sourced after the commands."""
    commands = ([f"source {HUSK_GDB}"] if init else []) + list(commands)
    tmp = None
    if script:
        tmp = tempfile.NamedTemporaryFile("w", suffix=".py", delete=False)
        tmp.write(textwrap.dedent(script))
        tmp.close()
        commands.append(f"source {tmp.name}")
    try:
        return gdb_batch(elf, sock=sock, commands=commands, timeout=timeout)
    finally:
        if tmp:
            Path(tmp.name).unlink()


def lldb(sock, commands, elf=GUEST_ELF, timeout=120):
    return lldb_batch(sock, commands, elf=elf, timeout=timeout)


def values(out, key):
    """Every `KEY=0x...` a printf in the commands produced, as ints."""
    return [int(v, 16) for v in re.findall(rf"{key}=(?:0x)?([0-9a-fA-F]+)\b", out)]


def value(out, key):
    found = values(out, key)
    assert found, f"no {key}= in:\n{out}"
    return found[-1]


# GDB Python: `continue`, then Ctrl-C (SIGINT to GDB, as a terminal sends
# it) a second later; prints STOPPED_MS, the time from the Ctrl-C to the stop.
CONTINUE_THEN_CTRL_C = """
import gdb, os, signal, threading, time
def interrupt():
    time.sleep(1.0)
    os.kill(os.getpid(), signal.SIGINT)
threading.Thread(target=interrupt, daemon=True).start()
t0 = time.monotonic()
gdb.execute("continue")
print("STOPPED_MS=%x" % int((time.monotonic() - t0 - 1.0) * 1000))
"""


def pr(key, expr):
    """A gdb command printing `KEY=<hex of expr>`."""
    return f'printf "{key}=%lx\\n", {expr}'
