"""The monitor's fault reports: a guest's triple fault stops that vCPU with
the fixed-format dump (checked against the guest's own code), and the
monitor's own fault goes through its panic path (registers, status 253)."""
import re
import subprocess
import time
from pathlib import Path

import pytest

from conftest import BUILD, MONITOR_ELF, elf_symbol, run_qemu

TRIPLE = BUILD / "tests" / "guests" / "attack_triple_fault.elf"
STATUS_ALL_STOPPED = 2 * 0x7D + 1
STATUS_PANIC = 2 * 0x7E + 1

# every line of the dump, in order (docs/monitor.md)
DUMP = [r"exitcode 0x7f \(SHUTDOWN\) exitinfo1 0x[0-9a-f]{16} exitinfo2 0x[0-9a-f]{16}",
        r"exitintinfo 0x[0-9a-f]{16} eventinj 0x[0-9a-f]{16} int_ctl 0x[0-9a-f]{16} int_state 0x[0-9a-f]+",
        r"intercepts cr_r 0x[0-9a-f]{4} cr_w .* misc1 0x[0-9a-f]{8} misc2 0x[0-9a-f]{8} misc3 0x[0-9a-f]{8}",
        r"iopm 0x[0-9a-f]+ msrpm 0x[0-9a-f]+ tsc_offset 0x[0-9a-f]+ asid 1 tlb_control \d+ np_enable 0x1 n_cr3 0x[0-9a-f]+",
        r"next_rip 0x[0-9a-f]+ insn_len \d+ .*",
        r"rip 0x(?P<rip>[0-9a-f]{16}) rsp 0x[0-9a-f]{16} rflags 0x[0-9a-f]{16} cpl 0",
        r"rax 0x[0-9a-f]{16} rbx 0x[0-9a-f]{16} rcx 0x[0-9a-f]{16} rdx 0x[0-9a-f]{16}",
        r"rsi 0x[0-9a-f]{16} rdi 0x[0-9a-f]{16} rbp 0x[0-9a-f]{16} r8  0x[0-9a-f]{16}",
        r"r9  0x[0-9a-f]{16} r10 0x[0-9a-f]{16} r11 0x[0-9a-f]{16} r12 0x[0-9a-f]{16}",
        r"r13 0x[0-9a-f]{16} r14 0x[0-9a-f]{16} r15 0x[0-9a-f]{16}",
        r"cr0 0x[0-9a-f]+ cr2 0x[0-9a-f]+ cr3 0x[0-9a-f]+ cr4 0x[0-9a-f]+ efer 0x[0-9a-f]+ \(guest sees svme 0\)",
        r"dr6 0x[0-9a-f]+ dr7 0x[0-9a-f]+ g_pat 0x[0-9a-f]+ dbgctl 0x[0-9a-f]+",
        *[rf"{seg:<4} sel 0x[0-9a-f]{{4}} attr 0x[0-9a-f]{{4}} limit 0x[0-9a-f]{{8}} base 0x[0-9a-f]{{16}}"
          for seg in ("cs", "ds", "es", "ss", "fs", "gs", "gdtr", "idtr", "ldtr", "tr")],
        r"star 0x[0-9a-f]+ lstar 0x[0-9a-f]+ cstar 0x[0-9a-f]+ sfmask 0x[0-9a-f]+ kernel_gs_base 0x[0-9a-f]+",
        r"sysenter_cs 0x[0-9a-f]+ sysenter_esp 0x[0-9a-f]+ sysenter_eip 0x[0-9a-f]+"]


def elf_bytes_at(path, vaddr, n):
    """n bytes of the loaded image at vaddr, from the ELF program headers."""
    data = Path(path).read_bytes()
    assert data[:4] == b"\x7fELF"
    is64 = data[4] == 2
    phoff = int.from_bytes(data[32:40] if is64 else data[28:32], "little")
    phentsize = int.from_bytes(data[54:56] if is64 else data[42:44], "little")
    phnum = int.from_bytes(data[56:58] if is64 else data[44:46], "little")
    for i in range(phnum):
        ph = data[phoff + i * phentsize:phoff + (i + 1) * phentsize]
        if int.from_bytes(ph[0:4], "little") != 1:
            continue
        if is64:
            off, va, filesz = (int.from_bytes(ph[a:a + 8], "little") for a in (8, 16, 32))
        else:
            off, va, filesz = (int.from_bytes(ph[a:a + 4], "little") for a in (4, 8, 16))
        if va <= vaddr and vaddr + n <= va + filesz:
            return data[off + vaddr - va:off + vaddr - va + n]
    raise AssertionError(f"{vaddr:#x} not in {path}")


@pytest.mark.skipif(not TRIPLE.exists() or not MONITOR_ELF.exists(), reason="run make")
def test_triple_fault_stops_the_vcpu_with_a_full_report():
    status, console = run_qemu(timeout=60, guest=TRIPLE, smp=2, extra=("-m", "128M"))
    assert status == STATUS_ALL_STOPPED, console
    lines = [l for l in console.splitlines() if l.startswith("husk: cpu 0 ")]
    head = lines[0]
    # the first fault (#UD: valid, exception, vector 6) is kept in EXITINTINFO
    assert head.startswith("husk: cpu 0 stopped: triple fault (SHUTDOWN) (exit 0x7f SHUTDOWN, "), head
    m = re.search(r"exitintinfo (0x[0-9a-f]+)\)$", head)
    assert m and int(m.group(1), 16) & 0x80000fff == 0x80000306, head
    body = lines[1:1 + len(DUMP)]
    assert len(body) == len(DUMP), lines
    for line, pattern in zip(body, DUMP):
        assert re.fullmatch("husk: cpu 0 " + pattern, line), (pattern, line)
    rip = int(re.fullmatch("husk: cpu 0 " + DUMP[5], body[5]).group("rip"), 16)
    assert elf_bytes_at(TRIPLE, rip, 2) == b"\x0f\x0b", f"no ud2 at rip {rip:#x}"
    assert "husk: no vCPU left running: ending the run" in console
    assert "husk: health ok: image unchanged, cpus 2/2 accounted (running 0, parked 1, stopped 1)" in console


def gdb(sock, *commands, timeout=60):
    cmd = ["gdb", "--batch", "-nx", str(MONITOR_ELF), "-ex", "set pagination off",
           "-ex", f"target remote {sock}"]
    for c in commands:
        cmd += ["-ex", c]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


@pytest.mark.skipif(not MONITOR_ELF.exists(), reason="run make")
def test_monitor_fault_goes_through_the_panic_path(tmp_path):
    """QEMU's own gdbstub plants a ud2 at monitor_main before the boot CPU
    gets there: the monitor's #UD handler must print its registers with RIP
    at monitor_main and end the run with status 253."""
    target = elf_symbol(MONITOR_ELF, "monitor_main")
    qsock = tmp_path / "qemu-gdb.sock"
    log = tmp_path / "console.log"
    proc = subprocess.Popen(
        ["scripts/qemu-run.sh", "--log", str(log), "--socket", str(tmp_path / "link.sock"),
         "--timeout", "90", "--qemu-gdb", str(qsock), "--qemu-gdb-wait"],
        cwd=BUILD.parent, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        end = time.monotonic() + 30
        while not qsock.exists() and time.monotonic() < end:
            time.sleep(0.05)
        r = gdb(qsock, "hbreak arch_boot_bsp", "continue",
                f"set {{unsigned short}}{target:#x} = 0x0b0f", "delete", "detach")
        assert r.returncode == 0, r.stderr
        status = proc.wait(90)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    console = log.read_text(errors="replace").replace("\r", "")
    assert status == STATUS_PANIC, console
    assert "husk: PANIC: cpu 0: exception 6 #UD error 0x0" in console, console
    m = re.search(r"^husk: PANIC: rip 0x([0-9a-f]{16}) cs 0x8 ", console, re.M)
    assert m and int(m.group(1), 16) == target, console
    assert re.search(r"^husk: PANIC: rax 0x[0-9a-f]{16} rbx ", console, re.M), console
    assert re.search(r"^husk: PANIC: cr0 0x[0-9a-f]+ cr2 ", console, re.M), console


@pytest.mark.skipif(not MONITOR_ELF.exists(), reason="run make")
@pytest.mark.parametrize("cpu, missing", [("qemu64,-svm", "the CPU has no SVM"),
                                          ("qemu64,+svm", "the CPU has no nested paging")])
def test_machine_without_what_the_monitor_needs(cpu, missing, tmp_path):
    """A clear boot error and status 249, before any guest code runs."""
    log = tmp_path / "console.log"
    status = subprocess.run(["scripts/qemu-run.sh", "--cpu", cpu, "--log", str(log), "--socket",
                             str(tmp_path / "link.sock"), "--timeout", "60"], cwd=BUILD.parent,
                            stdin=subprocess.DEVNULL, capture_output=True).returncode
    console = log.read_text(errors="replace").replace("\r", "")
    assert status == 2 * 0x7C + 1, console
    assert f"husk: boot error: {missing}" in console
    assert "[BOOT]" not in console
