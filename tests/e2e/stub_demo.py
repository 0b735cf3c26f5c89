"""Helpers for the stub's end-to-end tests: start build/stub-demo on a
private socket (clients.py drives gdb and lldb against it), speak raw RSP."""
import os
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from conftest import stop_process

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "build" / "stub-demo"

# Set HUSK_STUB_CORPUS_DIR to keep every byte the clients send (seed corpus).
CORPUS_DIR = os.environ.get("HUSK_STUB_CORPUS_DIR")


class Demo:
    """A stub-demo process serving one Unix socket in a private directory."""

    def __init__(self):
        self.dir = tempfile.TemporaryDirectory(prefix="husk-stub-")
        self.socket = Path(self.dir.name) / "demo.sock"
        cmd = [str(DEMO)]
        if CORPUS_DIR:
            logs = Path(CORPUS_DIR) / f"{os.getpid()}-{time.monotonic_ns()}"
            logs.mkdir(parents=True, exist_ok=True)
            cmd += ["--log-dir", str(logs)]
        cmd.append(str(self.socket))
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        end = time.monotonic() + 10
        while not self.socket.exists():
            if self.proc.poll() is not None or time.monotonic() > end:
                raise RuntimeError("stub-demo did not start: "
                                   + self.proc.stderr.read().decode(errors="replace"))
            time.sleep(0.02)

    def connect(self, timeout=5):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(timeout)
        s.connect(str(self.socket))
        return s

    def alive(self):
        return self.proc.poll() is None

    def close(self):
        stop_process(self.proc, 5)
        self.proc.stderr.close()
        self.dir.cleanup()


def packet(body):
    """Frame an RSP packet body (bytes)."""
    return b"$" + body + b"#" + b"%02x" % (sum(body) & 0xff)


def decode(body):
    """Undo `}` escapes and `*` run-length encoding of a packet body."""
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i]
        if c == ord("}"):
            out.append(body[i + 1] ^ 0x20)
            i += 2
        elif c == ord("*"):
            out += bytes([out[-1]]) * (body[i + 1] - 29)
            i += 2
        else:
            out.append(c)
            i += 1
    return bytes(out)


def read_packet(sock, timeout=5):
    """The body of the next packet from sock, decoded; acks are skipped."""
    import time as _time
    data = b""
    end = _time.monotonic() + timeout
    while True:
        start = data.find(b"$")
        if start >= 0:
            hash_at = data.find(b"#", start)
            if hash_at >= 0 and len(data) >= hash_at + 3:
                return decode(data[start + 1:hash_at])
        if _time.monotonic() > end:
            raise AssertionError(f"no packet within {timeout}s; got {data[:200]!r}")
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError(f"connection closed; got {data[:200]!r}")
        data += chunk
