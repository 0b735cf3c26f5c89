"""Any Multiboot kernel runs under husk as under a Multiboot loader: the
mbinfo guest sees the same machine bare and hosted except for the monitor's
region and the hypervisor identity, and the smp guests (64-bit with the
library, 32-bit without paging) start every AP with INIT-SIPI-SIPI through
the xAPIC in both."""
import re

import pytest

from guests_common import (
    assert_health, assert_verdict_pass, available, boot, describe, field, mbinfo_run, MBINFO_ARGS,
    monitor_region, parse_mmap, requires_monitor, subtract)

MBI_MEM, MBI_CMDLINE, MBI_MMAP = 1 << 0, 1 << 2, 1 << 6
ONE_MIB = 1 << 20


def test_mbinfo_bare_reports_the_machine():
    status, console = mbinfo_run(False)
    assert_verdict_pass("mbinfo", status, console)
    assert "guest mbinfo: start (magic 0x2badb002," in console
    assert int(field(console, "flags"), 16) & (MBI_MEM | MBI_CMDLINE | MBI_MMAP) == MBI_MEM | MBI_CMDLINE | MBI_MMAP
    assert field(console, "cmdline").endswith("mbinfo.elf " + MBINFO_ARGS)
    assert field(console, "cpus") == "2"
    # 128 MiB of RAM: the first upper block ends at or below 128 MiB, and
    # mem_upper is that block's size in KiB (Multiboot spec 3.3).
    mmap = parse_mmap(console)
    upper = [r for r in available(mmap) if r[0] == ONE_MIB]
    assert upper and upper[0][1] <= 128 * ONE_MIB and upper[0][1] > 120 * ONE_MIB, mmap
    assert field(console, "mem_upper") == f"{(upper[0][1] - ONE_MIB) // 1024} KiB"
    assert field(console, "mem_lower") == "639 KiB"
    assert field(console, "hypervisor signature") != "HuskHuskHusk"


@requires_monitor
def test_mbinfo_hosted_differs_only_by_monitor_region_and_identity():
    bstatus, bare = mbinfo_run(False)
    hstatus, hosted = mbinfo_run(True)
    assert_verdict_pass("mbinfo", bstatus, bare)
    assert_verdict_pass("mbinfo", hstatus, hosted)
    assert_health(hosted, cpus=2)
    # Entered as a Multiboot loader enters a kernel: EAX holds the magic.
    assert "guest mbinfo: start (magic 0x2badb002," in hosted

    # The hypervisor is visible, and it is husk.
    assert field(hosted, "hypervisor bit") == "1"
    assert field(hosted, "hypervisor signature") == "HuskHuskHusk"

    # Memory map: one range that is available bare is not available hosted;
    # nothing else changed.
    start, end = monitor_region()
    assert start >= ONE_MIB and end > start and start % 4096 == 0 and end % 4096 == 0
    bare_map, hosted_map = parse_mmap(bare), parse_mmap(hosted)
    assert available(hosted_map) == subtract(available(bare_map), [(start, end)])
    reserved_bare = {e for e in bare_map if e[2] != 1}
    reserved_hosted = {e for e in hosted_map if e[2] != 1 and not (start <= e[0] and e[1] <= end)}
    assert reserved_hosted == reserved_bare, (reserved_bare, reserved_hosted)

    # mem_upper is the first upper block: unchanged, or cut at the region.
    bare_upper = int(field(bare, "mem_upper").split()[0])
    hosted_upper = int(field(hosted, "mem_upper").split()[0])
    assert hosted_upper in (bare_upper, (start - ONE_MIB) // 1024), (bare_upper, hosted_upper)

    # Everything else is identical.
    for key in ("mem_lower", "cmdline", "cpus"):
        assert field(hosted, key) == field(bare, key), key
    wanted = MBI_MEM | MBI_CMDLINE | MBI_MMAP
    assert int(field(hosted, "flags"), 16) & wanted == wanted


def check_smp(status, console, cpus, hosted):
    assert_verdict_pass("smp", status, console)
    assert f"smp: {cpus} of {cpus} cpus checked in" in console, describe(status, console)
    aps = re.findall(r"^smp: cpu (\d+) \(apic id \d+\) checked in, hosted ([01])$", console, re.M)
    assert sorted(int(c) for c, _ in aps) == list(range(1, cpus)), describe(status, console)
    # Every AP the guest started runs under the monitor (its own CPUID says so).
    assert {h for _, h in aps} == {"1" if hosted else "0"}, describe(status, console)


@pytest.mark.parametrize("cpus", [2, 4])
def test_smp_bare(cpus):
    status, console = boot("smp", hosted=False, smp=cpus)
    check_smp(status, console, cpus, hosted=False)


@requires_monitor
@pytest.mark.parametrize("cpus", [2, 4])
def test_smp_hosted(cpus):
    status, console = boot("smp", hosted=True, smp=cpus)
    check_smp(status, console, cpus, hosted=True)
    assert_health(console, cpus=cpus)


# smp32: a 32-bit, paging-off kernel starting its APs by broadcast IPIs with
# the C7/A3 store forms (the monitor decodes them in 32-bit mode); smp32_elf
# is the same kernel as a plain ELF32 file, placed by its program headers.
SMP32 = [(name, cpus) for name in ("smp32", "smp32_elf") for cpus in (2, 4)]


@pytest.mark.parametrize("name,cpus", SMP32)
def test_smp32_bare(name, cpus):
    status, console = boot(name, hosted=False, smp=cpus, args=f"cpus={cpus}")
    assert f"smp32: {cpus} of {cpus} cpus checked in" in console, describe(status, console)
    assert_verdict_pass(name, status, console)


@requires_monitor
@pytest.mark.parametrize("name,cpus", SMP32)
def test_smp32_hosted(name, cpus):
    status, console = boot(name, hosted=True, smp=cpus, args=f"cpus={cpus}")
    assert f"smp32: {cpus} of {cpus} cpus checked in" in console, describe(status, console)
    assert_verdict_pass(name, status, console)
    assert_health(console, cpus=cpus)


# lapic_stores: every 32-bit store form from every GPR to a LAPIC register;
# hosted each is decoded and replayed by the monitor, and must read back.
@pytest.mark.parametrize("hosted", [False, pytest.param(True, marks=requires_monitor)],
                         ids=["bare", "hosted"])
def test_lapic_stores(hosted):
    status, console = boot("lapic_stores", hosted=hosted)
    assert "lapic_stores: 22 stores, 0 read back wrong" in console, describe(status, console)
    assert_verdict_pass("lapic_stores", status, console)
    if hosted:
        assert_health(console, cpus=2)
