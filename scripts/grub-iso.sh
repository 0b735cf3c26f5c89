#!/bin/bash
# Builds a GRUB CD image that boots husk with the guest as its first module,
# the way a real machine would load it:
#   scripts/grub-iso.sh OUT.iso [GUEST_ARGS...]
# Boot it with `scripts/qemu-run.sh --iso OUT.iso`.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 OUT.iso [GUEST_ARGS...]" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
out=$1; shift
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/boot/grub"
cp "$top/build/husk.elf" "$top/build/guest.elf" "$dir/boot/"
cat > "$dir/boot/grub/grub.cfg" <<CFG
set timeout=0
menuentry husk {
  multiboot /boot/husk.elf
  module /boot/guest.elf /boot/guest.elf $*
  boot
}
CFG
grub-mkrescue -o "$out" "$dir" >/dev/null 2>&1 || { echo "grub-iso: grub-mkrescue failed" >&2; exit 1; }
