"""The guest (issue 3): boots bare with 1 and 2 CPUs, every shard's output,
float results across preemption, each fault kind, the profiling table,
prof-report on real output, exit status from exit-when-done, and the
debugger-visible symbols. Hosted cases run the same checks under husk
whenever build/husk.elf exists (HUSK_HOSTED=0 leaves them out) and also
compare shard output with the bare run."""
import struct
import subprocess

import pytest

from conftest import Qemu, elf_symbol
from guest_console import KILLED as KILLED_LINE
from guest_console import (CHECK_IMAGE, MODES, PROF_REPORT, SHARD_DIR, all_shard_lines, boot,
                           guest_elf, guest_lines, kills, profile, shard_lines, spin_checksum, symbol_range,
                           symbol_type)

PASS_STATUS = 1          # isa-debug-exit 0 -> QEMU exits 2*0+1
FAIL_STATUS = 3          # isa-debug-exit 1
PANIC_STATUS = 5         # isa-debug-exit 2
USER_CODE_BASE = 0x1000
USER_MMAP_BASE = 0x100000
VEC_UD, VEC_GP, VEC_PF = 6, 13, 14
CPU_SIZE, SHARD_SIZE, MAX_CPUS, MAX_SHARDS = 0x48, 0x3C0, 16, 16

HELLO_LINES = [
    "[hello] hello, world from shard 0",
    "[hello] mmap page at 0x100000 holds 0x1234abcd",
    "[hello] bad pointer -> -14, bad syscall -> -38, oversized write -> -22",
    "[hello] goodbye",
]
FLOAT_LINES = [
    "[float] sse sum 1..200000 = 20000100000 ok",
    "[float] x87 sum ok, 20! = 2432902008176640000 ok",
    "[float] sqrt of 1..4000 squared ok",
    "[float] xmm8-15 held over 40 rounds ok",
    "[float] all results correct",
]
DEFAULT_ARGS = "exit-when-done"      # no shard named: hello counter=3 float spin
FAULT_ARGS = "hello fault=null+wcode+xdata+rdtsc+ud2 spin=1 exit-when-done"


# --- the image -------------------------------------------------------------

def test_debugger_symbols_exist():
    elf = guest_elf()
    for fn in ("supervisor_main", "timer_preempt", "handle_sys_exit", "supervisor_oops"):
        assert symbol_type(elf, fn) == "T", fn
        assert elf_symbol(elf, fn) >= 0xFFFFFFFF80200000
    # Plain globals with pinned layouts (docs/guest.md).
    assert symbol_range(elf, "cpus")[1] == CPU_SIZE * MAX_CPUS
    assert symbol_range(elf, "shards")[1] == SHARD_SIZE * MAX_SHARDS
    assert symbol_range(elf, "timer_ticks")[1] == 8
    assert symbol_type(elf, "shard_count") in "bB"


def test_multiboot_header_describes_the_image(tmp_path):
    elf = guest_elf()
    assert subprocess.run([str(CHECK_IMAGE), str(elf)]).returncode == 0
    data = bytearray(elf.read_bytes())
    off = data.find(struct.pack("<I", 0x1BADB002))
    assert 0 <= off < 8192
    magic, flags, checksum, header, load, load_end, bss_end, entry = struct.unpack_from("<8I", data, off)
    assert flags & (1 << 16), "a.out kludge flag"
    assert load == 0x100000 and header == 0x100000
    assert entry == elf_symbol(elf, "boot_entry32")
    assert bss_end > load_end > 0x200000
    # The checker must reject an image whose fields lie.
    struct.pack_into("<I", data, off + 20, load_end + 0x1000)
    bad = tmp_path / "bad.elf"
    bad.write_bytes(bytes(data))
    assert subprocess.run([str(CHECK_IMAGE), str(bad)], capture_output=True).returncode == 1


# --- default run, 1 and 2 CPUs ----------------------------------------------

@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("smp", [1, 2])
def test_default_shards_run_and_pass(mode, smp):
    status, out = boot(mode, smp, DEFAULT_ARGS)
    assert status == PASS_STATUS, out
    assert f"[BOOT] CPUs: {smp} up" in out
    assert "[BOOT] starting 4 shards" in out
    assert shard_lines(out, "hello") == HELLO_LINES
    assert shard_lines(out, "counter") == [
        "[counter] counting at 0x100000", "[counter] value 100000", "[counter] value 200000",
        "[counter] value 300000", "[counter] done after 3 reports"]
    assert shard_lines(out, "float") == FLOAT_LINES
    assert len(shard_lines(out, "spin")) == 1 and shard_lines(out, "spin")[0].startswith("[spin] 8 rounds done")
    for name in ("hello", "counter", "float", "spin"):
        assert f"supervisor: shard {name} (id " in out and ") exited with code 0" in out
    lines = guest_lines(out)
    done = lines.index("supervisor: all shards done (4 passed, 0 failed)")
    assert lines[done + 1].startswith("profile: begin")
    assert lines[-1] == "supervisor: exit-when-done: isa-debug-exit 0"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("smp", [1, 2])
def test_profile_counts_are_plausible(mode, smp):
    status, out = boot(mode, smp, DEFAULT_ARGS)
    assert status == PASS_STATUS
    prof = profile(out)
    assert list(prof) == ["hello", "counter", "float", "spin"]
    for name, row in prof.items():
        assert row["state"] == "done" and row["result"] == "pass" and row["exit"] == 0, row
        assert row["syscalls"] == sum(v for k, v in row.items() if k.startswith("sys_")), row
        assert row["sys_exit"] == 1 and row["switches"] >= 1, row
        assert 0 < row["cpus"] < (1 << smp), row
        assert row["avg_cycles"] > 0, row
    hello = prof["hello"]
    # Every line it printed, plus the bad-pointer and oversized writes.
    assert hello["sys_write"] == len(HELLO_LINES) + 2
    assert (hello["sys_mmap"], hello["sys_getid"], hello["sys_yield"]) == (1, 1, 1)
    counter = prof["counter"]
    assert counter["sys_sleep"] == 3 and counter["sys_write"] == 5
    # 3 sleeps of 20 ticks: the counter lives at least 60 ms.
    assert counter["ticks"] >= 60
    assert prof["float"]["preempts"] > 100 and prof["float"]["ticks"] > 100
    assert prof["spin"]["preempts"] > 10


def test_two_cpus_share_the_work():
    status, out = boot("bare", 2, DEFAULT_ARGS)
    prof = profile(out)
    used = 0
    for row in prof.values():
        used |= row["cpus"]
    assert used == 0b11, prof


# --- float state across preemption -------------------------------------------

@pytest.mark.parametrize("mode", MODES)
def test_float_state_survives_thousands_of_switches(mode):
    # Two SSE/x87 users on one CPU: every switch between them must swap the
    # whole FXSAVE image or their registers mix.
    status, out = boot(mode, 1, "float float spin=4 exit-when-done")
    assert status == PASS_STATUS, out
    # Both print the same lines; their interleaving is up to the scheduler.
    assert sorted(shard_lines(out, "float")) == sorted(FLOAT_LINES * 2)
    assert shard_lines(out, "float")[-1] == "[float] all results correct"
    # Two rows named float: the dict form would merge them, read the lines.
    table = [line.split() for line in out.splitlines() if line.startswith("profile: float")]
    assert len(table) == 2
    for cols in table:
        switches, preempts = int(cols[7]), int(cols[8])
        assert switches >= 1000 and preempts >= 1000, cols


# --- faults ------------------------------------------------------------------

@pytest.mark.parametrize("mode", MODES)
def test_each_fault_kills_only_its_shard(mode):
    status, out = boot(mode, 2, FAULT_ARGS)
    assert status == PASS_STATUS, out
    k = kills(out)
    assert set(k) == {"fault-null", "fault-wcode", "fault-xdata", "fault-rdtsc", "fault-ud2"}, out
    fault_elf = SHARD_DIR / "fault.elf"
    fault_bin = (SHARD_DIR / "fault.bin").read_bytes()
    main, main_size = symbol_range(fault_elf, "shard_main")

    def in_main(rip):
        return main <= int(rip, 16) < main + main_size

    null = k["fault-null"]
    assert (int(null["vector"]), null["error"], null["cr2"]) == (VEC_PF, "0x4", "0x0")
    assert null["decoded"] == "read not-present user" and in_main(null["rip"])

    wcode = k["fault-wcode"]     # wrote to its own first byte of shard_main
    assert (int(wcode["vector"]), wcode["error"]) == (VEC_PF, "0x7")
    assert int(wcode["cr2"], 16) == main and wcode["decoded"] == "write protection user"

    xdata = k["fault-xdata"]     # jumped into its first mmap page (NX)
    assert (int(xdata["vector"]), xdata["error"]) == (VEC_PF, "0x15")
    assert int(xdata["rip"], 16) == int(xdata["cr2"], 16) == USER_MMAP_BASE

    rdtsc = k["fault-rdtsc"]     # CR4.TSD: #GP(0) at the rdtsc itself
    assert (int(rdtsc["vector"]), rdtsc["error"]) == (VEC_GP, "0x0") and rdtsc["cr2"] is None
    at = int(rdtsc["rip"], 16) - USER_CODE_BASE
    assert fault_bin[at:at + 2] == b"\x0f\x31"

    ud2 = k["fault-ud2"]
    assert (int(ud2["vector"]), ud2["error"]) == (VEC_UD, "0x0")
    at = int(ud2["rip"], 16) - USER_CODE_BASE
    assert fault_bin[at:at + 2] == b"\x0f\x0b"

    # None survived; everyone else finished.
    assert "survived" not in out
    assert shard_lines(out, "hello") == HELLO_LINES
    x, total = spin_checksum(1)
    assert shard_lines(out, "spin") == [f"[spin] 1 rounds done, checksum {x:016x} sum {total}"]
    prof = profile(out)
    for name in k:
        assert prof[name]["state"] == "killed" and prof[name]["exit"] == -1
        assert prof[name]["result"] == "pass" and prof[name]["sys_exit"] == 0
    assert prof["hello"]["state"] == prof["spin"]["state"] == "done"
    assert "supervisor: all shards done (7 passed, 0 failed)" in out


def test_fault_words_repeat_instead_of_commas():
    status, out = boot("bare", 2, "fault=null fault fault=ud2+null exit-when-done", timeout=30)
    assert status == PASS_STATUS, out
    assert "[BOOT] starting 4 shards" in out
    killed = [(m["name"], int(m["vector"])) for m in map(KILLED_LINE.match, out.splitlines()) if m]
    assert sorted(killed) == sorted([("fault-null", VEC_PF)] * 3 + [("fault-ud2", VEC_UD)])


@pytest.mark.parametrize("mode", MODES)
def test_supervisor_fault_prints_state_and_stops(mode):
    status, out = boot(mode, 2, "hello oops exit-when-done", timeout=30)
    assert status == PANIC_STATUS, out
    start, size = symbol_range(guest_elf(), "supervisor_oops")
    line = next(l for l in out.splitlines() if "PANIC" in l)
    assert line == ("supervisor: PANIC on CPU 0: #PF (vector 14) error 0x2 "
                    "[write not-present supervisor] in the supervisor")
    regs = out[out.index(line):].split()
    rip = int(regs[regs.index("rip") + 1], 16)
    assert start <= rip < start + size
    assert int(regs[regs.index("cr2") + 1], 16) == 0
    assert "[hello]" not in out      # it never reached the shards


# --- counter, command line, exit status --------------------------------------

def test_endless_counter_is_stopped_by_exit_when_done():
    status, out = boot("bare", 2, "counter spin=2 exit-when-done")
    assert status == PASS_STATUS, out
    values = [int(l.split()[-1]) for l in shard_lines(out, "counter") if "value" in l]
    assert values and values == [100000 * (i + 1) for i in range(len(values))]
    assert not any("done after" in l for l in shard_lines(out, "counter"))
    row = profile(out)["counter"]
    assert row["state"] == "stopped" and row["result"] == "pass"


def test_without_exit_when_done_the_guest_stays_up():
    with Qemu(bare=True, smp=1, args="hello", timeout=60) as q:
        out = q.wait_console("profile: end", timeout=30)
        assert "supervisor: all shards done (1 passed, 0 failed)" in out
        assert "isa-debug-exit" not in out
        assert q.proc.poll() is None, "QEMU exited without exit-when-done"


@pytest.mark.parametrize("args, errors", [
    ("bogus hello exit-when-done", ["[BOOT] error: unknown word 'bogus'"]),
    ("spin=abc fault=nope hello exit-when-done",
     ["[BOOT] error: 'spin': want a number", "[BOOT] error: 'fault': unknown fault kind 'nope'"]),
    (" ".join(["hello"] * 17) + " exit-when-done", ["[BOOT] error: more than 16 shards requested"]),
])
def test_bad_command_line_words_fail_the_run_cleanly(args, errors):
    status, out = boot("bare", 1, args, timeout=30)
    assert status == FAIL_STATUS, out
    for e in errors:
        assert any(l.startswith(e) for l in out.splitlines()), (e, out)
    assert "[hello] goodbye" in out          # the valid words still ran
    assert "command-line errors" in out


# --- prof-report -------------------------------------------------------------

def test_prof_report_formats_real_output():
    status, out = boot("bare", 2, FAULT_ARGS)
    r = subprocess.run([str(PROF_REPORT)], input=out, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    rep = r.stdout
    assert rep.startswith("husk guest profile: 7 shards, 7 passed, 0 failed (timer 1000 ticks/s)")
    prof = profile(out)
    hello = prof["hello"]
    assert f"hello (id {hello['id']}): pass, done, exit code 0" in rep
    assert f"  {hello['syscalls']} syscalls, {hello['avg_cycles']} cycles each on average:" in rep
    assert f"write {hello['sys_write']} (" in rep
    k = kills(out)["fault-wcode"]
    assert f"  killed by #PF (vector 14), error 0x7 [write protection user], rip {k['rip']}, cr2 {k['cr2']}" in rep
    total = sum(row["syscalls"] for row in prof.values())
    assert f"total: {total} syscalls" in rep


def test_prof_report_rejects_input_without_a_table():
    r = subprocess.run([str(PROF_REPORT)], input="[BOOT] hi\nprofile: begin\n", capture_output=True, text=True)
    assert r.returncode == 1 and "no complete profiling table" in r.stderr


# --- hosted == bare ----------------------------------------------------------

@pytest.mark.parametrize("args", [DEFAULT_ARGS, FAULT_ARGS])
@pytest.mark.parametrize("mode", [m for m in MODES if m.id == "hosted"])
def test_hosted_shard_output_matches_bare(mode, args):
    _, bare = boot("bare", 2, args)
    status, hosted = boot(mode, 2, args)
    assert status == PASS_STATUS, hosted
    assert all_shard_lines(hosted) == all_shard_lines(bare)
    assert {n: (m["vector"], m["error"], m["rip"], m["cr2"]) for n, m in kills(hosted).items()} == \
        {n: (m["vector"], m["error"], m["rip"], m["cr2"]) for n, m in kills(bare).items()}
