#!/usr/bin/env python3
"""The debugger's breakpoint round trip for `make bench` (docs/benchmarks.md,
"Debugger"): the same guest (build/guest.elf with a `counter` shard), the
same GDB, the same QEMU (TCG, -smp 2), one after the other:

  husk (its stub, default link)   vs   QEMU's own gdbstub on the bare guest
    bench: bp_roundtrip_vs_qemu   (median wall time of one `continue` that ends
                                   on a software breakpoint at timer_preempt,
                                   husk / QEMU: lower is better)
    bench: bp_roundtrip_husk_ms, bench: bp_roundtrip_qemu_ms (the medians)

Both sides wait for the guest's next 1 kHz timer tick inside each round
trip, so the ratio compares what the stubs add to the same guest time.

    bench: ctrl_c_halted_husk_ms, bench: ctrl_c_halted_qemu_ms
                                  (median time from GDB's SIGINT to the stop
                                   shown, with the guest's only CPU in
                                   cli; hlt (`oops`, -smp 1): no guest
                                   interrupt and no exit comes by itself)
stepi and memory-read rates are bench-link's (scripts/bench-link.py).
"""
import argparse
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

GDB_PY = r"""
import gdb, time
if HOLD_ENTRY:
    gdb.execute("hbreak supervisor_main", to_string=True)
    gdb.execute("continue", to_string=True)
    gdb.execute("delete", to_string=True)
gdb.execute("break timer_preempt", to_string=True)
gdb.execute("continue", to_string=True)          # warm up: first hit
times = []
for i in range(ROUNDS):
    t = time.perf_counter()
    gdb.execute("continue", to_string=True)
    times.append(time.perf_counter() - t)
    pc = int(gdb.parse_and_eval("$pc")) & ((1 << 64) - 1)
    assert pc == int(gdb.parse_and_eval("&timer_preempt")) & ((1 << 64) - 1), hex(pc)
print("BENCH rt " + " ".join("%.6f" % t for t in times))
gdb.execute("delete", to_string=True)
"""


CTRL_C_PY = r"""
import gdb, os, signal, threading, time
sent = []
def interrupt():
    time.sleep(0.3)
    sent.append(time.perf_counter())
    os.kill(os.getpid(), signal.SIGINT)
times = []
for i in range(ROUNDS):
    threading.Thread(target=interrupt, daemon=True).start()
    gdb.execute("continue", to_string=True)
    times.append(time.perf_counter() - sent[-1])
print("BENCH cc " + " ".join("%.6f" % t for t in times))
"""


def wait_socket(path, proc, timeout=30):
    end = time.monotonic() + timeout
    while time.monotonic() < end and not path.exists():
        if proc.poll() is not None:
            raise SystemExit(f"bench-debug: QEMU exited early ({proc.returncode})")
        time.sleep(0.02)


def gdb_figures(bare, smp, guest_args, script_text, tag, held=False, ready_line=None):
    """Boots the guest (husk, or bare with QEMU's gdbstub), held before its
    first instruction if `held` (husk.wait; QEMU's -S), waits for its
    console to show ready_line if given, runs script_text in GDB attached to
    it and returns the floats the script printed after `BENCH <tag>`."""
    with tempfile.TemporaryDirectory(prefix="husk-bench-debug-") as tmp:
        tmp = Path(tmp)
        sock = tmp / ("qemu-gdb.sock" if bare else "link.sock")
        log = tmp / "console.log"
        cmd = [str(LAUNCHER), "--smp", str(smp), "--timeout", "300", "--log", str(log),
               "--socket", str(tmp / "link.sock"),
               "--args", guest_args if bare or not held else "husk.wait " + guest_args]
        if bare:
            cmd += ["--bare", "--qemu-gdb", str(sock)] + (["--qemu-gdb-wait"] if held else [])
        qemu = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            wait_socket(sock, qemu)
            end = time.monotonic() + 60
            while ready_line and time.monotonic() < end and \
                    ready_line not in (log.read_text(errors="replace") if log.exists() else ""):
                time.sleep(0.05)
            script = tmp / "bench.py"
            script.write_text(script_text)
            out = subprocess.run(["gdb", "--batch", "-nx", str(GUEST), "-ex", f"target remote {sock}",
                                  "-x", str(script)], capture_output=True, text=True, timeout=240,
                                 stdin=subprocess.DEVNULL)
            m = re.search(rf"BENCH {tag} ([0-9. ]+)", out.stdout)
            if not m:
                raise SystemExit(f"bench-debug: no '{tag}' figures from gdb:\n{out.stdout}\n{out.stderr}")
            return [float(x) for x in m.group(1).split()]
        finally:
            qemu.terminate()
            try:
                qemu.wait(10)
            except subprocess.TimeoutExpired:
                qemu.kill()


def session(bare, rounds):
    """Breakpoint round trips (s), from a held start run to supervisor_main."""
    return gdb_figures(bare, 2, "counter", GDB_PY.replace("HOLD_ENTRY", "True").replace("ROUNDS", str(rounds)),
                       "rt", held=True)


def ctrl_c_session(bare, rounds):
    """Ctrl-C latencies (s) with the guest's only CPU halted, interrupts off."""
    return gdb_figures(bare, 1, "oops", CTRL_C_PY.replace("ROUNDS", str(rounds)), "cc",
                       ready_line="supervisor: halted")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3, help="sessions per side (alternating)")
    ap.add_argument("--rounds", type=int, default=30, help="continues per session")
    args = ap.parse_args()
    husk, qemu = [], []
    for _ in range(args.runs):
        husk += session(False, args.rounds)
        qemu += session(True, args.rounds)
    h, q = statistics.median(husk), statistics.median(qemu)
    print(f"bench: bp_roundtrip_husk_ms {h * 1000:.2f} ms")
    print(f"bench: bp_roundtrip_qemu_ms {q * 1000:.2f} ms")
    print(f"bench: bp_roundtrip_vs_qemu {h / q:.3f} ratio")
    husk_cc, qemu_cc = [], []
    for _ in range(args.runs):
        husk_cc += ctrl_c_session(False, 8)
        qemu_cc += ctrl_c_session(True, 8)
    print(f"bench: ctrl_c_halted_husk_ms {statistics.median(husk_cc) * 1000:.2f} ms")
    print(f"bench: ctrl_c_halted_qemu_ms {statistics.median(qemu_cc) * 1000:.2f} ms")


if __name__ == "__main__":
    sys.exit(main())
