"""Helpers for tests/e2e/test_guest.py: boot the guest once per
(mode, CPUs, command line) and parse what it prints."""
import os
import re
import subprocess

import pytest

from conftest import BUILD, GUEST_ELF, ROOT, run_qemu

SHARD_DIR = BUILD / "guest" / "shards"
PROF_REPORT = ROOT / "scripts" / "prof-report"
CHECK_IMAGE = ROOT / "guest" / "check-image.py"
# Hosted runs need the monitor; HUSK_HOSTED=0 leaves them out.
HOSTED = (BUILD / "husk.elf").exists() and os.environ.get("HUSK_HOSTED") != "0"

# The two ways to boot the same guest.
MODES = [
    pytest.param("bare", id="bare"),
    pytest.param("hosted", id="hosted",
                 marks=pytest.mark.skipif(not HOSTED, reason="build/husk.elf is not built (or HUSK_HOSTED=0)")),
]

KILLED = re.compile(r"supervisor: shard (?P<name>\S+) \(id (?P<id>\d+)\) killed by (?P<mnemonic>\S+) "
                    r"\(vector (?P<vector>\d+)\) error (?P<error>0x[0-9a-f]+)(?: \[(?P<decoded>[^\]]*)\])? "
                    r"at rip (?P<rip>0x[0-9a-f]+)(?: cr2 (?P<cr2>0x[0-9a-f]+))?$")

_boots = {}


def boot(mode, smp, args, timeout=90):
    """(exit status, console) of one boot; identical requests share it."""
    key = (mode, smp, args)
    if key not in _boots:
        _boots[key] = run_qemu(bare=(mode == "bare"), smp=smp, args=args, timeout=timeout)
    return _boots[key]


def guest_lines(console):
    """The console without the monitor's own `husk: ` lines (hosted runs)."""
    return [line for line in console.splitlines() if not line.startswith("husk: ")]


def shard_lines(console, prefix):
    """The lines a shard printed, in order: those starting with [prefix]."""
    tag = f"[{prefix}]"
    return [line for line in console.splitlines() if line.startswith(tag)]


def all_shard_lines(console):
    """Every shard-printed line, grouped by prefix (stable across CPU
    interleaving, which is not deterministic)."""
    groups = {}
    for line in console.splitlines():
        m = re.match(r"^\[([a-z0-9-]+)\] ", line)
        if m and m.group(1) != "BOOT":
            groups.setdefault(m.group(1), []).append(line)
    return groups


def kills(console):
    return {m.group("name"): m for m in map(KILLED.match, console.splitlines()) if m}


def profile(console):
    """The profile table as {shard name: {column: value}}; numbers parsed."""
    lines = [line[len("profile:"):].split() for line in console.splitlines()
             if line.startswith("profile:")]
    assert lines and lines[0][0] == "begin" and lines[-1] == ["end"], \
        f"no complete profile table in:\n{console}"
    header = lines[1]
    rows = {}
    for body in lines[2:-1]:
        assert len(body) == len(header), f"row {body} does not match header {header}"
        row = dict(zip(header, body))
        for key in row:
            if key in ("id", "exit", "switches", "preempts", "ticks", "cycles", "syscalls",
                       "avg_cycles") \
                    or key.startswith("sys_"):
                row[key] = int(row[key])
        row["cpus"] = int(row["cpus"], 16)
        rows[row["shard"]] = row
    return rows


def symbol_range(elf, name):
    """(start, size) of a sized symbol, from nm -S."""
    out = subprocess.run(["nm", "-S", str(elf)], check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[3] == name:
            return int(parts[0], 16), int(parts[1], 16)
    raise KeyError(f"{name} has no sized symbol in {elf}")


def symbol_type(elf, name):
    out = subprocess.run(["nm", str(elf)], check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == name:
            return parts[1]
    raise KeyError(f"{name} not in {elf}")


def spin_checksum(rounds):
    """The spin shard's arithmetic, as a reference: (xorshift state, sum)."""
    x, total, mask = 88172645463325252, 0, (1 << 64) - 1
    for _ in range(rounds * (1 << 20)):
        x ^= (x << 13) & mask
        x ^= x >> 7
        x ^= (x << 17) & mask
        total += x & 0xFFFF
    return x, total


def guest_elf():
    assert GUEST_ELF.exists(), "build/guest.elf missing: run make"
    return GUEST_ELF
