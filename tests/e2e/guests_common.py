"""Helpers for the test-guest suites (test_multiboot.py, test_isolation.py):
the guest registry, boots bare and hosted, console parsing, and the monitor
region derived from the two memory maps."""
import re
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

import pytest

from conftest import BUILD, LAUNCHER, MONITOR_ELF, ROOT

GUESTS_TABLE = ROOT / "tests" / "guests" / "guests.tbl"
GUESTS_BUILD = BUILD / "tests" / "guests"

# QEMU status for guest verdict v is 2v+1: pass (0) is 1.
STATUS_PASS = 1
# The monitor's own statuses (src/vcpu.h): every vCPU stopped with a fault.
STATUS_MONITOR_ALL_STOPPED = 2 * 0x7D + 1
STATUS_TIMEOUT = 124

MEM = "128M"

requires_monitor = pytest.mark.skipif(
    not MONITOR_ELF.exists(), reason="build/husk.elf not built yet (hosted case)")

HEALTH_RE = re.compile(r"^husk: health (\S+): (.*)$", re.M)


def guest_table():
    """{name: cpus} from tests/guests/guests.tbl, in table order."""
    table = {}
    for line in GUESTS_TABLE.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, cpus = line.split()[:2]
            table[name] = int(cpus)
    return table


def guest_names():
    return list(guest_table())


def guest_cpus(name):
    """The CPU count the registry gives a guest (QEMU -smp)."""
    return guest_table()[name]


def guest_elf(name):
    path = GUESTS_BUILD / f"{name}.elf"
    assert path.exists(), f"{path} missing: run make"
    return path


def boot(name, hosted, smp=2, args="", timeout=40, mem=MEM):
    """Boot guest `name` to completion; returns (QEMU status, console text)."""
    with tempfile.TemporaryDirectory(prefix="husk-guest-") as tmp:
        log = Path(tmp) / "console.log"
        cmd = [str(LAUNCHER), "--smp", str(smp), "--mem", mem,
               "--guest", str(guest_elf(name)), "--log", str(log),
               "--socket", str(Path(tmp) / "link.sock"), "--timeout", str(timeout)]
        if not hosted:
            cmd.append("--bare")
        if args:
            cmd += ["--args", args]
        status = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, cwd=ROOT).returncode
        text = log.read_text(errors="replace").replace("\r", "") if log.exists() else ""
        return status, text


def describe(status, console):
    return f"QEMU status {status}; console:\n{console}"


def assert_verdict_pass(name, status, console):
    assert f"guest {name}: verdict pass" in console, describe(status, console)
    assert status == STATUS_PASS, describe(status, console)


def assert_health(console, cpus):
    """The monitor's health line: image unchanged and every CPU accounted for."""
    lines = HEALTH_RE.findall(console)
    assert lines, "no 'husk: health' line\n" + console
    verdict, detail = lines[-1]
    assert verdict == "ok", f"health {verdict}: {detail}"
    assert "image unchanged" in detail, detail
    m = re.search(r"cpus (\d+)/(\d+) accounted", detail)
    assert m and int(m.group(1)) == int(m.group(2)) == cpus, detail


def field(console, key):
    """Value after 'key: ' on the first line that starts with it."""
    m = re.search(rf"^{re.escape(key)}: (.*)$", console, re.M)
    assert m, f"no '{key}:' line\n{console}"
    return m.group(1)


def parse_mmap(console):
    """[(start, end, type)] from mbinfo's 'mmap:' lines."""
    return [(int(a, 16), int(b, 16), int(t)) for a, b, t in
            re.findall(r"^mmap: (0x[0-9a-f]+)-(0x[0-9a-f]+) type (\d+)$", console, re.M)]


def available(mmap):
    """Merged, sorted list of (start, end) ranges of type 1."""
    ranges = sorted((s, e) for s, e, t in mmap if t == 1 and e > s)
    merged = []
    for s, e in ranges:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def subtract(ranges, holes):
    """Parts of `ranges` not covered by `holes` (both sorted lists of (start, end))."""
    out = []
    for s, e in ranges:
        cur = s
        for hs, he in holes:
            if he <= cur or hs >= e:
                continue
            if hs > cur:
                out.append((cur, hs))
            cur = max(cur, he)
        if cur < e:
            out.append((cur, e))
    return out


MBINFO_ARGS = "mbinfo-probe x=1"


@lru_cache(maxsize=None)
def mbinfo_run(hosted):
    """mbinfo booted once per session each way: (status, console)."""
    return boot("mbinfo", hosted=hosted, args=MBINFO_ARGS)


@lru_cache(maxsize=None)
def monitor_region():
    """(start, end) of the monitor region: available bare, not available hosted.
    It must be one range (DESIGN.md: the monitor reserves one region)."""
    bstatus, bare = mbinfo_run(False)
    hstatus, hosted = mbinfo_run(True)
    assert bstatus == STATUS_PASS, describe(bstatus, bare)
    assert hstatus == STATUS_PASS, describe(hstatus, hosted)
    missing = subtract(available(parse_mmap(bare)), available(parse_mmap(hosted)))
    assert len(missing) == 1, f"expected one hidden range, got {[(hex(s), hex(e)) for s, e in missing]}"
    return missing[0]


STAND_IN_REGION = (0x4000000, 0x4400000)


def region_arg(hosted):
    """`region=START-END` for an attack guest. Hosted: the real monitor
    region. Bare: the same range when the monitor can tell it, else a
    stand-in range of ordinary RAM; the bare run is the reference that the
    probes themselves work, so it must not depend on the monitor."""
    if hosted:
        start, end = monitor_region()
    else:
        try:
            start, end = monitor_region() if MONITOR_ELF.exists() else STAND_IN_REGION
        except AssertionError:
            start, end = STAND_IN_REGION
    return f"region={start:#x}-{end:#x}"
