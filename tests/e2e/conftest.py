"""Shared helpers for the end-to-end tests: every QEMU boot goes through
scripts/qemu-run.sh, every symbol comes from the ELF files in build/."""
import os
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"
LAUNCHER = ROOT / "scripts" / "qemu-run.sh"
GUEST_ELF = BUILD / "guest.elf"
MONITOR_ELF = BUILD / "husk.elf"


def elf_symbol(elf, name):
    """Address of `name` in the symbol table of `elf` (from nm)."""
    out = subprocess.run(["nm", str(elf)], check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == name:
            return int(parts[0], 16)
    raise KeyError(f"{name} not in {elf}")


def launcher_args(bare=False, smp=2, guest=None, args="", socket=None, log=None,
                  timeout=None, extra=(), link=None):
    """link: "virtio" or "uart"; None leaves the launcher's choice ($HUSK_LINK,
    else virtio)."""
    cmd = [str(LAUNCHER), "--smp", str(smp)]
    if link:
        cmd += ["--link", link]
    if bare:
        cmd.append("--bare")
    if guest:
        cmd += ["--guest", str(guest)]
    if args:
        cmd += ["--args", args]
    if socket:
        cmd += ["--socket", str(socket)]
    if log:
        cmd += ["--log", str(log)]
    if timeout:
        cmd += ["--timeout", str(timeout)]
    if extra:
        cmd += ["--", *extra]
    return cmd


def run_qemu(timeout=60, **kw):
    """Boot once to completion; returns (QEMU exit status, console text)."""
    with tempfile.TemporaryDirectory(prefix="husk-") as tmp:
        log = Path(tmp) / "console.log"
        sock = Path(tmp) / "link.sock"
        status = subprocess.run(
            launcher_args(log=log, socket=sock, timeout=timeout, **kw),
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT).returncode
        text = log.read_text(errors="replace") if log.exists() else ""
        return status, text.replace("\r", "")


def stop_process(proc, grace):
    """Ends `proc` if it still runs: SIGTERM, then SIGKILL after `grace` seconds."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Qemu:
    """A QEMU left running in the background; the console goes to a file and
    the debug link is a Unix socket in a private directory."""

    def __init__(self, timeout=300, **kw):
        self.dir = tempfile.TemporaryDirectory(prefix="husk-")
        d = Path(self.dir.name)
        self.log = d / "console.log"
        self.socket = d / "link.sock"
        self.proc = subprocess.Popen(
            launcher_args(log=self.log, socket=self.socket, timeout=timeout, **kw),
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT)

    def console(self):
        return self.log.read_text(errors="replace").replace("\r", "") if self.log.exists() else ""

    def wait_console(self, text, timeout=60):
        """Wait until `text` appears on the guest console; returns the console."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            out = self.console()
            if text in out:
                return out
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"{text!r} not on the console; got:\n{self.console()}")

    def wait_socket(self, timeout=30):
        end = time.monotonic() + timeout
        while time.monotonic() < end and not self.socket.exists():
            time.sleep(0.02)
        assert self.socket.exists(), "debug link socket never appeared"
        return str(self.socket)

    def close(self):
        stop_process(self.proc, 10)
        self.dir.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@pytest.fixture
def qemu_factory():
    """Start any number of QEMUs in a test; all are stopped at its end."""
    started = []

    def start(**kw):
        q = Qemu(**kw)
        started.append(q)
        return q

    yield start
    for q in started:
        q.close()
