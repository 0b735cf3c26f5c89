#!/usr/bin/python3
"""Benchmarks of the monitor (make bench-monitor). Prints one line per figure:

  bench: hosted_over_bare VALUE ratio   guest wall time of the `spin` shard
                                        (CPU-bound, 1 kHz guest timer running),
                                        in TSC cycles (the `cycles` column of the
                                        guest's profile table), hosted / bare:
                                        the median of the ratios of back-to-back
                                        pairs (bare then hosted, or hosted then
                                        bare, alternately)
  bench: hosted_over_bare_cpu VALUE ratio
                                        the same pairs measured in QEMU's own CPU
                                        time (all its threads)
  bench: boot_added_ms VALUE ms         QEMU start to the guest's first console
                                        line, hosted minus bare (medians)
  bench: exits_per_sec VALUE 1/s        #VMEXITs per second over the hosted
                                        spin runs (the monitor's stats line)

Why pairs: on a shared or virtualised host the speed of the same QEMU run
changes from one run to the next by far more than the monitor's cost (here
by up to 2x), but it changes slowly enough that two runs started one after
the other mostly see the same speed. The ratio within a pair cancels it; the
median over pairs drops the pairs that straddle a change; 21 pairs, as the
median of 11 moved by +-0.02 between runs of the same build. The stderr
line also gives the ratio of the plain medians.

Every QEMU boot goes through scripts/qemu-run.sh. Options: --runs N (pairs,
>= 5), --spin N (rounds of the spin shard), --monitor ELF (default
build/husk.elf)."""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAUNCHER = ROOT / "scripts" / "qemu-run.sh"
STATS_RE = re.compile(r"^husk: stats: exits (\d+), uptime_ms (\d+), exits_per_sec (\d+)", re.M)
BOOT_LINE = "[BOOT] "


MONITOR = None


def launch(hosted, args, log, tmp, timeout):
    cmd = [str(LAUNCHER), "--smp", "2", "--log", str(log), "--socket", str(Path(tmp) / "link.sock"),
           "--timeout", str(timeout), "--args", args]
    if not hosted:
        cmd.append("--bare")
    elif MONITOR:
        cmd += ["--monitor", MONITOR]
    return subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, cwd=ROOT)


def spin_row(text):
    """The spin shard's row of the guest's profile table, {column: text}."""
    header = row = None
    for line in text.splitlines():
        words = line.split()
        if words[:2] == ["profile:", "shard"]:
            header = words[1:]
        elif words[:2] == ["profile:", "spin"] and header:
            row = dict(zip(header, words[1:]))
    return row if row and row.get("state") == "done" and row.get("result") == "pass" else None


def spin_run(hosted, rounds):
    """Returns (spin shard TSC cycles, QEMU CPU seconds, (exits, uptime_ms) or None)."""
    with tempfile.TemporaryDirectory(prefix="husk-bench-") as tmp:
        log = Path(tmp) / "console.log"
        proc = launch(hosted, f"spin={rounds} exit-when-done", log, tmp, 300)
        # wait4: the launcher's CPU time with what it waited for (QEMU)
        _, raw, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(raw)
        status = proc.returncode
        cpu = usage.ru_utime + usage.ru_stime
        text = log.read_text(errors="replace").replace("\r", "")
    row = spin_row(text)
    if status != 1 or not row:
        sys.exit(f"bench-monitor: {'hosted' if hosted else 'bare'} spin run failed "
                 f"(status {status}):\n{text}")
    s = STATS_RE.search(text)
    return int(row["cycles"]), cpu, (int(s.group(1)), int(s.group(2))) if s else None


def boot_run(hosted):
    """Milliseconds from starting QEMU to the guest's first console line."""
    with tempfile.TemporaryDirectory(prefix="husk-bench-") as tmp:
        log = Path(tmp) / "console.log"
        start = time.monotonic()
        proc = launch(hosted, "exit-when-done", log, tmp, 60)
        elapsed = None
        while proc.poll() is None and time.monotonic() - start < 60:
            if log.exists() and BOOT_LINE in log.read_text(errors="replace"):
                elapsed = (time.monotonic() - start) * 1000
                break
            time.sleep(0.001)
        proc.terminate()
        proc.wait()
    if elapsed is None:
        sys.exit(f"bench-monitor: no guest console line ({'hosted' if hosted else 'bare'})")
    return elapsed


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--spin", type=int, default=16)
    ap.add_argument("--monitor")
    opt = ap.parse_args()
    global MONITOR
    MONITOR = opt.monitor
    if opt.runs < 5:
        ap.error("--runs must be at least 5 (medians of interleaved runs)")

    bare, hosted, bare_cpu, hosted_cpu, exits, uptime = [], [], [], [], 0, 0
    for pair in range(opt.runs):        # back to back; which goes first alternates
        for is_hosted in ((False, True) if pair % 2 == 0 else (True, False)):
            cycles, cpu, stats = spin_run(is_hosted, opt.spin)
            (hosted if is_hosted else bare).append(cycles)
            (hosted_cpu if is_hosted else bare_cpu).append(cpu)
            if stats:
                exits += stats[0]
                uptime += stats[1]
    boot_bare, boot_hosted = [], []
    for _ in range(opt.runs):
        boot_bare.append(boot_run(False))
        boot_hosted.append(boot_run(True))

    ratio = statistics.median(h / b for h, b in zip(hosted, bare))
    cpu_ratio = statistics.median(h / b for h, b in zip(hosted_cpu, bare_cpu))
    print(f"bench: hosted_over_bare {ratio:.3f} ratio", flush=True)
    print(f"bench: hosted_over_bare_cpu {cpu_ratio:.3f} ratio")
    print(f"bench: boot_added_ms {statistics.median(boot_hosted) - statistics.median(boot_bare):.1f} ms")
    print(f"bench: exits_per_sec {exits * 1000 // max(uptime, 1)} 1/s")
    print(f"# ratio of the plain medians {statistics.median(hosted) / statistics.median(bare):.3f}; "
          f"pair ratios {sorted(round(h / b, 3) for h, b in zip(hosted, bare))}", file=sys.stderr)
    print(f"# spin Mcycles bare {[x // 1000000 for x in bare]} hosted {[x // 1000000 for x in hosted]}; QEMU cpu s bare {[round(x, 2) for x in bare_cpu]} "
          f"hosted {[round(x, 2) for x in hosted_cpu]}; boot ms bare "
          f"{[round(x, 1) for x in boot_bare]} hosted {[round(x, 1) for x in boot_hosted]}", file=sys.stderr)


if __name__ == "__main__":
    main()
