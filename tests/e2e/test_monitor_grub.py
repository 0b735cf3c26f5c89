"""GRUB loads husk and its guest module as a real machine's boot loader
would. GRUB puts the module low, under the guest's own load address, so this
also checks that the monitor moves the module out of the way before loading."""
import subprocess
from pathlib import Path

from conftest import LAUNCHER, ROOT
from guest_console import guest_lines


def test_grub_boots_monitor_and_guest(tmp_path):
    iso = tmp_path / "husk.iso"
    subprocess.run([str(ROOT / "scripts" / "grub-iso.sh"), str(iso), "hello", "exit-when-done"],
                   check=True, timeout=60)
    log = tmp_path / "console.log"
    status = subprocess.run([str(LAUNCHER), "--iso", str(iso), "--log", str(log),
                             "--socket", str(tmp_path / "link.sock"), "--timeout", "120"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, timeout=150).returncode
    text = log.read_text(errors="replace").replace("\r", "")
    assert "husk: cpus 2/2 online, SVM on every CPU" in text, text
    assert "husk: guest entry" in text and "cmdline '/boot/guest.elf hello exit-when-done'" in text, text
    guest = "\n".join(guest_lines(text))
    assert "[hello] hello, world from shard 0" in guest, text
    assert "supervisor: all shards done (1 passed, 0 failed)" in guest, text
    assert "husk: health ok" in text, text
    assert status == 1, (status, text)
