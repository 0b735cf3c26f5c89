"""The real guest for husk-proxy's end-to-end tests, on two kinds of link:

  "husk"  the guest hosted by the husk monitor, the proxy on the monitor's
          debug link. Skipped, with the reason, while that link does not
          answer RSP or the monitor lacks the commands a test needs.
  "qemu"  the bare guest with the proxy on QEMU's own gdbstub: the same
          protocol, so every command that needs no husk monitor command is
          exercised on the real guest either way.

Both start with every CPU held before the guest's first instruction (the
guest word `husk.wait`, QEMU's -S), so a test sets its breakpoints before
anything runs and nothing races the connection.
"""
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from conftest import stop_process
from proxy_helpers import PROXY, ROOT

LAUNCHER = ROOT / "scripts" / "qemu-run.sh"
GUEST_ELF = ROOT / "build" / "guest.elf"
MONITOR_ELF = ROOT / "build" / "husk.elf"
KINDS = ["husk", "qemu"]
MEMORY = "64M"          # small, so that cores of all mapped memory stay quick

_husk_probe = {}


class GuestTarget:
    """One QEMU running the guest; `link` is the socket the proxy uses."""

    def __init__(self, kind, args, smp=2, timeout=300):
        self.kind = kind
        self.tmp = tempfile.TemporaryDirectory(prefix="husk-proxy-guest-")
        self.dir = Path(self.tmp.name)
        self.log = self.dir / "console.log"
        self.uart = self.dir / "husk.sock"
        self.gdb_socket = self.dir / "gdb.sock"
        cmd = [str(LAUNCHER), "--smp", str(smp), "--mem", MEMORY, "--log", str(self.log),
               "--socket", str(self.uart), "--timeout", str(timeout), "--args", args]
        if kind == "qemu":
            self.link = self.dir / "qemu-gdb.sock"
            cmd += ["--bare", "--qemu-gdb", str(self.link), "--qemu-gdb-wait"]
        else:
            self.link = self.uart
            cmd[cmd.index("--args") + 1] = "husk.wait " + args
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        end = time.monotonic() + 30
        while not self.link.exists():
            assert self.proc.poll() is None, f"QEMU exited at start ({cmd})"
            assert time.monotonic() < end, "QEMU's socket never appeared"
            time.sleep(0.05)

    @property
    def socket(self):   # what proxy_helpers' runners connect to
        return self.link

    @property
    def elf(self):
        return GUEST_ELF

    def console(self):
        return self.log.read_text(errors="replace").replace("\r", "") if self.log.exists() else ""

    def wait_console(self, text, timeout=60):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if text in self.console():
                return
            assert self.proc.poll() is None, f"QEMU exited before {text!r}:\n{self.console()}"
            time.sleep(0.05)
        raise AssertionError(f"{text!r} not on the console:\n{self.console()}")

    def close(self):
        stop_process(self.proc, 10)
        self.tmp.cleanup()


def probe_husk():
    """(help text, None) when husk's link answers RSP, else (None, reason)."""
    if "result" in _husk_probe:
        return _husk_probe["result"]
    if not MONITOR_ELF.exists() or not GUEST_ELF.exists():
        result = (None, "build/husk.elf or build/guest.elf is not built")
    else:
        target = GuestTarget("husk", "hello", timeout=60)
        try:
            r = subprocess.run([str(PROXY), str(target.link), "--timeout", "5", "--elf",
                                str(GUEST_ELF), "-c", "monitor help"],
                               capture_output=True, text=True, timeout=60)
            if r.returncode == 0:
                result = (r.stdout, None)
            else:
                why = (r.stderr.strip().splitlines() or ["no answer"])[-1]
                result = (None, "husk's debug link (COM2) does not answer RSP yet "
                                f"(the monitor's stub, issue 5): {why}")
        finally:
            target.close()
    _husk_probe["result"] = result
    return result


def monitor_has(help_text, command):
    """True when `monitor help` lists `command` (a line starting with it)."""
    return any(line.split()[:1] == [command] for line in help_text.splitlines())


def start_guest(kind, args, needs=(), **kw):
    """Boots the guest for `kind`, or skips the test with the reason it
    cannot run there: husk not answering yet, or monitor commands missing."""
    if not GUEST_ELF.exists():
        pytest.skip("build/guest.elf is not built")
    if kind == "husk":
        help_text, why = probe_husk()
        if why:
            pytest.skip(why)
        missing = [c for c in needs if not monitor_has(help_text, c)]
        if missing:
            pytest.skip("the husk monitor lacks 'monitor " + "', 'monitor ".join(missing) +
                        "' (monitor help lists: " +
                        ", ".join(l.split()[0] for l in help_text.splitlines() if l.strip()) + ")")
    elif needs:
        pytest.skip("QEMU's gdbstub has no husk monitor commands: " + ", ".join(needs))
    return GuestTarget(kind, args, **kw)


def run_until(proxy, target, text, timeout=120):
    """Lets the held guest run until `text` is on its console, then stops
    it: the shell is at its prompt with every CPU stopped."""
    from proxy_helpers import shell
    shell(proxy, "cont")
    target.wait_console(text, timeout)
    out = shell(proxy, "stop", timeout=30)
    assert "stopped:" in out, out
