#!/usr/bin/env python3
"""The debug link's figures for `make bench` (docs/benchmarks.md, "Debug link").

Same guest (build/guest.elf, held at its Multiboot entry), same GDB, same
QEMU (TCG, -smp 2), one run after the other:
  husk on the virtio console   vs   QEMU's own gdbstub on the bare guest
    bench: stepi_vs_qemu      (stepi/s husk / stepi/s QEMU, higher is better)
    bench: memread_vs_qemu    (KiB/s husk / KiB/s QEMU reading random bytes, higher is better)
    bench: memread_zeros_vs_qemu (the same over zeroed RAM, where run-length
                              encoding shortens husk's replies)
  husk on the UART (COM2)
    bench: stepi_uart_per_sec
    bench: memread_uart_kib_per_sec
    bench: uart_bytes_per_stepi  (bytes both ways on the link per stepi, from
                                  the monitor's own counters, `monitor link`)

Each figure is the median over --runs sessions (husk on each link and QEMU
alternate); per-session figures, with the median and slowest single stepi,
go to stderr.
"""
import argparse
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAUNCHER = ROOT / "scripts" / "qemu-run.sh"
GUEST = ROOT / "build" / "guest.elf"
READ_BASE = 0x2000000           # 32 MiB: a random pattern is written here first
ZERO_BASE = 0x3000000           # 48 MiB: RAM nothing has written, all zeros

GDB_PY = r"""
import gdb, time, re

def link_bytes():
    out = gdb.execute("monitor link", to_string=True)
    m = re.search(r"received (\d+) bytes, sent (\d+) bytes", out)
    return int(m.group(1)) + int(m.group(2))

if QEMU_ENTRY:
    gdb.execute("hbreak *%#x" % QEMU_ENTRY, to_string=True)
    gdb.execute("continue", to_string=True)
    gdb.execute("delete", to_string=True)
if COUNT_BYTES:
    a = link_bytes(); b = link_bytes(); overhead = b - a   # one `monitor link` itself
    before = link_bytes()
t = time.perf_counter()
each = []
for i in range(STEPS):
    s = time.perf_counter()
    gdb.execute("stepi", to_string=True)
    each.append(time.perf_counter() - s)
dt = time.perf_counter() - t
each.sort()
print("BENCH stepms %.3f %.3f %.3f" % (each[len(each) // 2] * 1e3, each[len(each) * 9 // 10] * 1e3, each[-1] * 1e3))
if COUNT_BYTES:
    after = link_bytes()
    print("BENCH bytes %d" % (after - before - overhead))
print("BENCH steps %d %.6f" % (STEPS, dt))
gdb.execute("restore %s binary %#x" % (PATTERN, READ_BASE), to_string=True)
t = time.perf_counter()
gdb.execute("dump binary memory /dev/null %#x %#x" % (READ_BASE, READ_BASE + READ_BYTES))
dt = time.perf_counter() - t
print("BENCH read %d %.6f" % (READ_BYTES, dt))
t = time.perf_counter()
gdb.execute("dump binary memory /dev/null %#x %#x" % (ZERO_BASE, ZERO_BASE + READ_BYTES))
dt = time.perf_counter() - t
print("BENCH zeros %d %.6f" % (READ_BYTES, dt))
gdb.execute("detach", to_string=True)
"""


def elf_entry(elf):
    out = subprocess.run(["readelf", "-h", str(elf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"Entry point address:\s+(0x[0-9a-f]+)", out).group(1), 16)


def wait_for(pred, timeout, what):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return
        time.sleep(0.02)
    raise SystemExit(f"bench-link: {what} did not happen within {timeout} s")


def session(kind, steps, read_bytes, tmp):
    """One QEMU + one GDB session; returns {steps/s, KiB/s, bytes/step}."""
    sock = Path(tmp) / f"{kind}.sock"
    log = Path(tmp) / f"{kind}.log"
    cmd = [str(LAUNCHER), "--timeout", "600", "--log", str(log)]
    if kind == "qemu":
        cmd += ["--bare", "--qemu-gdb", str(sock), "--qemu-gdb-wait", "--socket", str(Path(tmp) / "unused.sock")]
    else:
        cmd += ["--link", kind, "--socket", str(sock), "--args", "husk.wait"]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(sock.exists, 30, f"{kind}: socket")
        if kind != "qemu":
            wait_for(lambda: log.exists() and "husk.wait" in log.read_text(errors="replace"), 60,
                     f"{kind}: guest held")
        pattern = Path(tmp) / "pattern.bin"
        pattern.write_bytes(random.Random(7).randbytes(read_bytes))
        script = Path(tmp) / "bench.py"
        script.write_text(
            f"QEMU_ENTRY = {elf_entry(GUEST) if kind == 'qemu' else 0}\n"
            f"COUNT_BYTES = {kind == 'uart'}\nSTEPS = {steps}\nREAD_BYTES = {read_bytes}\n"
            f"READ_BASE = {READ_BASE}\nZERO_BASE = {ZERO_BASE}\nPATTERN = {str(pattern)!r}\n" + GDB_PY)
        r = subprocess.run(["gdb", "--batch", "-nx", "-ex", "set pagination off", "-ex", "set remotetimeout 60",
                            str(GUEST), "-ex", f"target remote {sock}", "-x", str(script)],
                           capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL)
        out = r.stdout + r.stderr
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    s = re.search(r"BENCH steps (\d+) ([\d.]+)", out)
    m = re.search(r"BENCH read (\d+) ([\d.]+)", out)
    if not s or not m:
        raise SystemExit(f"bench-link: {kind} session failed:\n{out}")
    z = re.search(r"BENCH zeros (\d+) ([\d.]+)", out)
    res = {"steps": int(s.group(1)) / float(s.group(2)), "kib": int(m.group(1)) / 1024 / float(m.group(2)),
           "zkib": int(z.group(1)) / 1024 / float(z.group(2))}
    q = re.search(r"BENCH stepms ([\d.]+) ([\d.]+) ([\d.]+)", out)
    if q:
        res["stepms"] = tuple(float(x) for x in q.groups())
    b = re.search(r"BENCH bytes (\d+)", out)
    if b:
        res["bytes"] = int(b.group(1)) / steps
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3, help="sessions per configuration (median)")
    ap.add_argument("--steps", type=int, default=300, help="stepi per session")
    ap.add_argument("--read-kib", type=int, default=4096, help="KiB read per session (virtio and QEMU)")
    ap.add_argument("--uart-read-kib", type=int, default=256, help="KiB read per UART session")
    args = ap.parse_args()
    if not GUEST.exists():
        raise SystemExit("bench-link: build/guest.elf missing (run make)")
    results = {"virtio": [], "qemu": [], "uart": []}
    with tempfile.TemporaryDirectory(prefix="husk-bench-") as tmp:
        # the UART sessions alternate with the others too: one session alone
        # measures whatever else the host ran at that moment
        for _ in range(args.runs):
            results["virtio"].append(session("virtio", args.steps, args.read_kib * 1024, tmp))
            results["qemu"].append(session("qemu", args.steps, args.read_kib * 1024, tmp))
            results["uart"].append(session("uart", args.steps, args.uart_read_kib * 1024, tmp))

    def med(kind, key):
        return statistics.median(r[key] for r in results[kind])

    for kind in results:
        for r in results[kind]:
            print(f"bench-link: {kind}: {r['steps']:.0f} stepi/s, {r['kib']:.0f} KiB/s random, "
                  f"{r['zkib']:.0f} KiB/s zeros"
                  + (f", {r['bytes']:.1f} bytes/stepi" if "bytes" in r else "")
                  + (", one stepi: median %.2f ms, 90%% %.2f ms, slowest %.2f ms" % r["stepms"] if "stepms" in r else ""),
                  file=sys.stderr)
    print(f"bench: stepi_vs_qemu {med('virtio', 'steps') / med('qemu', 'steps'):.3f} ratio")
    print(f"bench: memread_vs_qemu {med('virtio', 'kib') / med('qemu', 'kib'):.3f} ratio")
    print(f"bench: memread_zeros_vs_qemu {med('virtio', 'zkib') / med('qemu', 'zkib'):.3f} ratio")
    print(f"bench: stepi_uart_per_sec {med('uart', 'steps'):.0f} 1/s")
    print(f"bench: memread_uart_kib_per_sec {med('uart', 'kib'):.0f} KiB/s")
    print(f"bench: uart_bytes_per_stepi {med('uart', 'bytes'):.1f} bytes")


if __name__ == "__main__":
    main()
