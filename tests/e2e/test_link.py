"""The debug link on each transport (docs/link.md): the monitor picks the
virtio console when QEMU has one (`--link virtio`, the default) and COM2
otherwise (`--link uart`); either way the socket carries the bytes, the
monitor counts them, and the guest never sees the virtio device."""
import os
import random
import re
import socket
import subprocess
import time

import pytest

from clients import gdb_batch
from conftest import GUEST_ELF, MONITOR_ELF, Qemu
from guests_common import assert_health, assert_verdict_pass, boot, describe

LINKS = ["virtio", "uart"]
TRANSPORT = {"virtio": "virtio-console", "uart": "uart"}
# Bytes no RSP stub acts on: no '$', '#', '+', '-', '}', '*' or Ctrl-C, so
# the test means the same with and without a stub behind the link.
PAYLOAD = bytes(ord("a") + i % 26 for i in range(6000))
LINK_STATS_RE = re.compile(
    r"^husk: stats: link (\S+) \((.*)\): received (\d+) bytes, sent (\d+) bytes, dropped (\d+) bytes$", re.M)

requires_monitor = pytest.mark.skipif(not MONITOR_ELF.exists(), reason="build/husk.elf not built")


def link_stats(console):
    found = LINK_STATS_RE.findall(console)
    assert len(found) == 1, "expected one link stats line\n" + console
    name, device, rx, tx, dropped = found[0]
    return name, device, int(rx), int(tx), int(dropped)


@requires_monitor
@pytest.mark.parametrize("link", LINKS)
def test_monitor_chooses_the_transport_the_machine_has(link):
    with Qemu(timeout=60, link=link, args="exit-when-done") as q:
        q.proc.wait(70)
        console = q.console()
    lines = [l for l in console.splitlines() if l.startswith("husk: debug link: ")]
    assert len(lines) == 1, console
    if link == "virtio":
        assert re.fullmatch(r"husk: debug link: virtio console, pci 00:[0-9a-f]{2}\.[0-7], legacy io 0x[0-9a-f]+, "
                            r"queues \d+/\d+ entries, wakes its CPU by MSI-X NMI", lines[0]), lines[0]
    else:
        assert lines[0] == ("husk: debug link: 16550 UART COM2, io 0x2f8, 115200 8N1, FIFO on, "
                            "wakes its CPU by NMI (IRQ 3)"), lines[0]
    assert link_stats(console)[0] == TRANSPORT[link]


@requires_monitor
@pytest.mark.parametrize("link", LINKS)
def test_link_carries_bytes_to_the_monitor(link):
    """Every byte written to the socket while the guest runs is taken off
    the link and counted, exactly once. Sent once the monitor has set the
    link up: bytes a 16550 holds before the monitor programs it are cleared
    with its FIFO, as on a real machine."""
    with Qemu(timeout=90, link=link, args="exit-when-done") as q:
        path = q.wait_socket()
        q.wait_console("husk: debug link: ")
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        end = time.monotonic() + 10
        while True:
            try:
                s.connect(path)
                break
            except OSError:
                assert time.monotonic() < end, "cannot connect to the link"
                time.sleep(0.05)
        s.sendall(PAYLOAD)
        status = q.proc.wait(90)
        s.close()
        console = q.console()
    assert status == 1, describe(status, console)        # the guest's own verdict: every shard passed
    name, device, rx, tx, dropped = link_stats(console)
    assert name == TRANSPORT[link], console
    assert rx == len(PAYLOAD), f"monitor received {rx} of {len(PAYLOAD)} bytes\n{console}"
    assert dropped == 0, console


@requires_monitor
def test_guest_sees_no_virtio_console(monkeypatch):
    """pci_scan bare sees QEMU's virtio console; hosted, the monitor's own
    device is absent from configuration space, its function reads all ones
    at every width, a write to its command register does not land, and its
    legacy I/O BAR reads all ones; every other function is still there."""
    monkeypatch.setenv("HUSK_LINK", "virtio")
    bare_status, bare = boot("pci_scan", hosted=False)
    assert_verdict_pass("pci_scan", bare_status, bare)
    m = re.search(r"^virtio console bdf=(0x[0-9a-f]+) io=(0x[0-9a-f]+)$", bare, re.M)
    assert m, bare
    status, hosted = boot("pci_scan", hosted=True, args=f"bdf={m.group(1)} io={m.group(2)}")
    assert_verdict_pass("pci_scan", status, hosted)
    assert_health(hosted, 2)
    for line in ("ok: no virtio console is visible",
                 "ok: its function's configuration space reads all ones",
                 "ok: a write to its command register does not land",
                 "ok: its legacy I/O BAR reads all ones, writes dropped"):
        assert line in hosted, hosted
    functions = lambda text: re.findall(r"^pci (\S+) (\S+) class (\S+)$", text, re.M)
    console_fn = [f for f in functions(bare) if f[1] == "1af4:1003"]
    assert len(console_fn) == 1, bare
    assert functions(hosted) == [f for f in functions(bare) if f not in console_fn], (bare, hosted)


STREAM_BASE = 0x2000000             # 32 MiB: guest RAM, clear of the monitor region
# 16 MiB each way on the virtio console. Towards the target the emulated
# 16550 moves a byte per main-loop pass of QEMU (about 3.5 us, and hex
# doubles it), so on the UART this test writes 1 MiB (HUSK_UART_STREAM_MIB
# changes it) and test_gdb_reads_16_mib_over_the_uart reads 16 MiB that
# QEMU itself put in guest memory.
STREAM_SIZE = {"virtio": 16 << 20, "uart": int(os.environ.get("HUSK_UART_STREAM_MIB", "1")) << 20}
LOADED_BASE = 0x3000000             # 48 MiB: where QEMU's loader device puts that pattern


def load_segments(elf):
    """[(physical address, file bytes)] of the loadable segments with file
    contents (readelf -lW), as a Multiboot loader puts them in memory."""
    out = subprocess.run(["readelf", "-lW", str(elf)], check=True, capture_output=True, text=True).stdout
    data = elf.read_bytes()
    segs = []
    for m in re.finditer(r"^\s*LOAD\s+(0x[0-9a-f]+) (0x[0-9a-f]+) (0x[0-9a-f]+) (0x[0-9a-f]+)", out, re.M):
        off, paddr, filesz = int(m.group(1), 16), int(m.group(3), 16), int(m.group(4), 16)
        if filesz:
            segs.append((paddr, data[off:off + filesz]))
    assert segs, out
    return segs


@requires_monitor
@pytest.mark.parametrize("link", LINKS)
def test_gdb_streams_memory_each_way(link, tmp_path):
    """GDB writes 16 MiB (UART: 1 MiB) of a random pattern into guest memory over the link
    and reads it back, and reads the guest image where the monitor loaded
    it; every byte must match (the guest is held before its first
    instruction, paging off: addresses are physical)."""
    size = STREAM_SIZE[link]
    pattern = random.Random(7).randbytes(size)
    (tmp_path / "pattern.bin").write_bytes(pattern)
    segments = load_segments(GUEST_ELF)
    commands = ["set pagination off", "set remotetimeout 60", f"target remote {{sock}}",
                f"restore {tmp_path}/pattern.bin binary {STREAM_BASE:#x}",
                f"dump binary memory {tmp_path}/back.bin {STREAM_BASE:#x} {STREAM_BASE + size:#x}"]
    for i, (paddr, data) in enumerate(segments):
        commands.append(f"dump binary memory {tmp_path}/seg{i}.bin {paddr:#x} {paddr + len(data):#x}")
    commands += ["monitor link", "detach"]
    with Qemu(timeout=900, link=link, args="husk.wait") as q:
        sock = q.wait_socket()
        q.wait_console("husk.wait", timeout=60)
        out = gdb_batch(GUEST_ELF, commands=[c.format(sock=sock) for c in commands], timeout=860)
    back = (tmp_path / "back.bin").read_bytes() if (tmp_path / "back.bin").exists() else b""
    assert len(back) == size, out
    first_bad = next((i for i in range(size) if back[i] != pattern[i]), None) if back != pattern else None
    assert back == pattern, f"{size} bytes read back differ first at +{first_bad:#x}\n{out}"
    for i, (paddr, data) in enumerate(segments):
        got = (tmp_path / f"seg{i}.bin").read_bytes()
        assert got == data, f"guest image segment at {paddr:#x} differs\n{out}"
    m = re.search(r"link (\S+) \(.*\): received (\d+) bytes, sent (\d+) bytes, dropped (\d+) bytes", out)
    assert m and m.group(1) == TRANSPORT[link], out
    assert int(m.group(2)) >= size and int(m.group(3)) >= 2 * size, out   # hex replies
    assert int(m.group(4)) == 0, out


@requires_monitor
def test_gdb_reads_16_mib_over_the_uart(tmp_path):
    """16 MiB of a random pattern that QEMU's generic loader device wrote
    into guest RAM before anything ran, read through GDB over COM2 and
    compared byte for byte: the guest's known contents, without first
    pushing 16 MiB through the UART's slow direction."""
    size = 16 << 20
    pattern = random.Random(11).randbytes(size)
    (tmp_path / "pattern.bin").write_bytes(pattern)
    loader = f"loader,file={tmp_path}/pattern.bin,addr={LOADED_BASE:#x},force-raw=on"
    with Qemu(timeout=900, link="uart", args="husk.wait", extra=["-device", loader]) as q:
        sock = q.wait_socket()
        q.wait_console("husk.wait", timeout=60)
        out = gdb_batch(GUEST_ELF, sock=sock, timeout=860, commands=[
            "set remotetimeout 60",
            f"dump binary memory {tmp_path}/back.bin {LOADED_BASE:#x} {LOADED_BASE + size:#x}",
            "monitor link", "detach"])
    back = (tmp_path / "back.bin").read_bytes() if (tmp_path / "back.bin").exists() else b""
    assert len(back) == size, out
    first_bad = next((i for i in range(size) if back[i] != pattern[i]), None) if back != pattern else None
    assert back == pattern, f"{size} bytes read differ first at +{first_bad:#x}\n{out}"
    m = re.search(r"link (\S+) \(.*\): received (\d+) bytes, sent (\d+) bytes, dropped (\d+) bytes", out)
    assert m and m.group(1) == "uart" and int(m.group(3)) >= 2 * size and int(m.group(4)) == 0, out


def cpu_seconds(pid):
    """User + system CPU time of a process and its descendants (the
    launcher execs `timeout`, which runs QEMU)."""
    total, todo = 0, [pid]
    tick = os.sysconf("SC_CLK_TCK")
    while todo:
        p = todo.pop()
        try:
            fields = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for t in os.listdir(f"/proc/{p}/task"):
                todo += [int(c) for c in open(f"/proc/{p}/task/{t}/children").read().split()]
        except FileNotFoundError:
            pass
    return total


def assert_idle_host_cpu(q, what):
    before = cpu_seconds(q.proc.pid)
    time.sleep(2)
    spent = cpu_seconds(q.proc.pid) - before
    assert spent < 0.5, f"QEMU used {spent:.2f} s of CPU in 2 s {what}"


@requires_monitor
@pytest.mark.parametrize("link", LINKS)
def test_a_held_machine_costs_the_host_no_cpu_and_still_answers(link):
    """While every CPU is stopped and no client talks, the CPU that serves
    the link halts, woken by the device's NMI (virtio's MSI-X vector, the
    UART's IRQ through the IOAPIC), instead of polling (which keeps one
    host CPU busy: about 2 s of CPU in 2 s). A client that comes then is
    answered; one that leaves with `disconnect` leaves the machine stopped,
    halted again, and the next finds it where the last left it."""
    with Qemu(timeout=90, link=link, args="husk.wait") as q:
        path = q.wait_socket()
        q.wait_console("husk.wait", timeout=60)
        time.sleep(0.5)
        assert_idle_host_cpu(q, "while the machine was held")
        pr = 'printf "PC=%lx\\n", $pc'
        first = gdb_batch(GUEST_ELF, sock=path, commands=[pr, "stepi", pr, "monitor link", "disconnect"])
        pcs = [int(x, 16) for x in re.findall(r"PC=([0-9a-f]+)", first)]
        assert len(pcs) == 2 and pcs[0] != pcs[1], first
        assert "wakes its CPU by " in first and f"link {TRANSPORT[link]} " in first, first
        time.sleep(0.5)
        assert_idle_host_cpu(q, "after a client disconnected from the stopped machine")
        second = gdb_batch(GUEST_ELF, sock=path, commands=[pr])
        assert [int(x, 16) for x in re.findall(r"PC=([0-9a-f]+)", second)] == [pcs[1]], second
