"""The monitor hosting the real guest (build/guest.elf) on 2 CPUs: the guest
prints the same shard output as bare, the monitor's lines are there and
say what the tests rely on, bad guest images are refused cleanly."""
import re
from pathlib import Path

import pytest

from conftest import BUILD, GUEST_ELF, MONITOR_ELF, elf_symbol, run_qemu

pytestmark = pytest.mark.skipif(not GUEST_ELF.exists() or not MONITOR_ELF.exists(),
                                reason="build/guest.elf or build/husk.elf missing (run make)")

# Lines that depend only on the guest's work, not on timing or placement.
SHARD_LINE = re.compile(r"^(\[(hello|counter|spin|float)\] .*|supervisor: shard .* exited with code \d+"
                        r"|supervisor: all shards done .*)$")


def shard_lines(console):
    return sorted(l for l in console.splitlines() if SHARD_LINE.match(l))


def husk_lines(console):
    return [l for l in console.splitlines() if l.startswith("husk: ")]


@pytest.fixture(scope="module")
def bare_run():
    return run_qemu(timeout=120, bare=True, smp=2, args="exit-when-done")


@pytest.fixture(scope="module")
def hosted_run():
    return run_qemu(timeout=120, smp=2, args="exit-when-done")


def test_hosted_guest_prints_the_same_shard_output_as_bare(bare_run, hosted_run):
    bare_status, bare = bare_run
    status, hosted = hosted_run
    assert bare_status == 1, bare
    assert status == 1, hosted               # the guest's own verdict: all shards passed
    assert "supervisor: all shards done (4 passed, 0 failed)" in hosted
    assert shard_lines(hosted) == shard_lines(bare)
    assert "[BOOT] CPUs: 2 up" in hosted     # the AP came up through emulated INIT/SIPI


def test_monitor_lines(hosted_run):
    _, console = hosted_run
    lines = husk_lines(console)
    region_end = elf_symbol(MONITOR_ELF, "__region_end")
    assert lines[0] == f"husk: monitor at 0x1000000, region 0x1000000-{region_end:#x}, debug link COM2"
    assert "husk: cpus 2/2 online, SVM on every CPU" in lines
    assert any(l == f"husk: guest entry {elf_entry(GUEST_ELF):#x}, info 0x9000, cmdline "
               f"'{GUEST_ELF} exit-when-done'" for l in lines), lines
    assert "husk: guest cpu 0 wrote 0x0 to isa-debug-exit" in lines or \
           "husk: guest cpu 1 wrote 0x0 to isa-debug-exit" in lines
    assert "husk: health ok: image unchanged, cpus 2/2 accounted (running 2, parked 0, stopped 0)" in lines
    stats = [l for l in lines if re.match(r"husk: stats: exits \d", l)]
    assert len(stats) == 1
    m = re.fullmatch(r"husk: stats: exits (\d+), uptime_ms (\d+), exits_per_sec (\d+)", stats[0])
    assert m and int(m.group(1)) > 0 and int(m.group(2)) > 0
    # the breakdown adds up to the total; a guest timer tick costs one exit,
    # the EOI store to the LAPIC page: with no debugger stepping, interrupts
    # go straight to the guest's IDT and never exit
    by_reason = [l for l in lines if l.startswith("husk: stats: exits by reason: ")]
    assert len(by_reason) == 1
    counts = dict((name, int(n)) for name, n in
                  re.findall(r"(\S+) (\d+)", by_reason[0][len("husk: stats: exits by reason: "):]))
    # (the other CPU keeps running while the two lines print: a few more)
    total = int(m.group(1))
    assert total <= sum(counts.values()) <= total + total // 100 + 10, by_reason
    assert "INTR" not in counts and counts.get("NPF", 0) > 0, by_reason
    assert counts.get("IOIO") == 1, by_reason      # the write to isa-debug-exit itself


def test_guest_sees_the_reduced_memory_map(bare_run, hosted_run):
    """The monitor's 2 MiB region is cut out: one more range, 2 MiB less."""
    _, bare = bare_run
    _, hosted = hosted_run
    pat = re.compile(r"\[BOOT\] memory: (\d+) KiB available in (\d+) ranges")
    b = pat.search(bare)
    h = pat.search(hosted)
    assert b and h
    region = elf_symbol(MONITOR_ELF, "__region_end") - 0x1000000
    assert int(b.group(1)) - int(h.group(1)) == region // 1024
    assert int(h.group(2)) == int(b.group(2)) + 1


def elf_entry(path):
    """Entry the guest's Multiboot header names (a.out kludge, offset 28)."""
    data = Path(path).read_bytes()[:8192]
    for off in range(0, len(data) - 32, 4):
        magic, flags, csum = (int.from_bytes(data[off + i:off + i + 4], "little") for i in (0, 4, 8))
        if magic == 0x1BADB002 and (magic + flags + csum) & 0xFFFFFFFF == 0:
            assert flags & (1 << 16), "guest is expected to use the a.out kludge"
            return int.from_bytes(data[off + 28:off + 32], "little")
    raise AssertionError("no multiboot header")


def test_image_without_multiboot_header_is_refused(tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x90" * 20000)
    status, console = run_qemu(timeout=60, guest=junk)
    assert status == 2 * 0x7C + 1, console
    assert "husk: boot error: no multiboot header in the first 8 KiB" in console


def test_guest_overlapping_the_monitor_is_refused(tmp_path):
    """An a.out kludge image that wants to load at 16 MiB, onto the monitor."""
    image = bytearray(0x2000)
    load = 0x1000000
    flags = 0x10000
    hdr = [0x1BADB002, flags, (-(0x1BADB002 + flags)) & 0xFFFFFFFF, load, load, load + 0x1000,
           load + 0x2000, load + 0x20]
    for i, v in enumerate(hdr):
        image[4 * i:4 * i + 4] = v.to_bytes(4, "little")
    guest = tmp_path / "overlap.bin"
    guest.write_bytes(bytes(image))
    status, console = run_qemu(timeout=60, guest=guest)
    assert status == 2 * 0x7C + 1, console
    assert "husk: boot error: guest segment outside the guest's usable memory" in console


def test_four_cpus_hosted():
    """Every AP started at boot, parked, then started by the guest's own
    INIT/SIPI: all four run shards and are accounted for at the end."""
    status, console = run_qemu(timeout=180, smp=4, args="exit-when-done")
    assert status == 1, console
    assert "husk: cpus 4/4 online, SVM on every CPU" in console
    assert "[BOOT] CPUs: 4 up" in console
    assert "supervisor: all shards done (4 passed, 0 failed)" in console
    assert "husk: health ok: image unchanged, cpus 4/4 accounted (running 4, parked 0, stopped 0)" in console


MBINFO = BUILD / "tests" / "guests" / "mbinfo.elf"


@pytest.mark.skipif(not MBINFO.exists(), reason="run make")
def test_guest_map_ends_where_the_nested_tables_end():
    """With RAM above 4 GiB the guest is not told about it: the nested
    tables map 0-4 GiB only, so memory there would not be the guest's."""
    from guests_common import available, parse_mmap
    _, bare = run_qemu(timeout=120, bare=True, guest=MBINFO, extra=("-m", "5G"))
    _, hosted = run_qemu(timeout=120, guest=MBINFO, extra=("-m", "5G"))
    bare_ranges, hosted_ranges = available(parse_mmap(bare)), available(parse_mmap(hosted))
    assert bare_ranges and max(e for _, e in bare_ranges) > 1 << 32, bare
    assert hosted_ranges and max(e for _, e in hosted_ranges) <= 1 << 32, hosted
    # below 4 GiB, everything but the monitor region is still there
    region_end = elf_symbol(MONITOR_ELF, "__region_end")
    low = [(s, min(e, 1 << 32)) for s, e in bare_ranges if s < 1 << 32]
    lost = sum(e - s for s, e in low) - sum(e - s for s, e in hosted_ranges)
    assert lost == region_end - 0x1000000, (low, hosted_ranges)
