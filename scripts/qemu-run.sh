#!/bin/bash
# The one launcher: every make target, test and benchmark boots QEMU here.
#
#   scripts/qemu-run.sh [--bare] [--smp N] [--guest FILE] [--args "WORDS"]
#                       [--socket PATH] [--log FILE] [--timeout S]
#                       [--qemu-gdb PATH] [--qemu-gdb-wait] [--cpu MODEL]
#                       [--mem SIZE] [--monitor FILE] [--link virtio|uart]
#                       [--iso FILE] [--dry-run] [-- QEMU ARGS]
#
# Hosted (default): QEMU boots the monitor (`--monitor`, build/husk.elf) and
# hands it the guest as the first Multiboot module, whose string is the guest
# path followed by its command line. `--bare` boots the guest alone.
# COM1 is the guest console (terminal, or `--log FILE`). The debug link is
# on the Unix socket `--socket` either way: `--link virtio` (default) puts it
# on a virtio console (virtio-serial-pci, port 0), which the monitor prefers
# and hides from the guest, and leaves COM2 present but unconnected;
# `--link uart` puts it on COM2 (docs/link.md). $HUSK_LINK sets the default,
# so `HUSK_LINK=uart make check` runs every suite on COM2.
# `--qemu-gdb PATH` also opens QEMU's own gdbstub on a Unix socket
# (`--qemu-gdb-wait` holds the CPUs until it attaches:
# `gdb build/husk.elf -ex 'target remote PATH'`).
# `--iso FILE` boots a CD image instead (its boot loader, e.g. GRUB, loads
# the monitor and the guest itself; see scripts/grub-iso.sh).
# The exit status is QEMU's: isa-debug-exit value v gives 2v+1; 124 = timeout.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
bare=0
smp=2
guest="$top/build/guest.elf"
monitor="$top/build/husk.elf"
args=""
socket="$top/build/husk.sock"
log=""
timeout_s=""
qemu_gdb=""
qemu_gdb_wait=0
cpu="max"
mem="512M"
dry_run=0
iso=""
link="${HUSK_LINK:-virtio}"
extra=()

usage() { sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
need() { [ $# -ge 2 ] || { echo "qemu-run: $1 needs a value" >&2; exit 2; }; }

while [ $# -gt 0 ]; do
    case "$1" in
        --bare)          bare=1 ;;
        --smp)           need "$@"; smp=$2; shift ;;
        --guest)         need "$@"; guest=$2; shift ;;
        --monitor)       need "$@"; monitor=$2; shift ;;
        --args)          need "$@"; args=$2; shift ;;
        --socket)        need "$@"; socket=$2; shift ;;
        --log)           need "$@"; log=$2; shift ;;
        --timeout)       need "$@"; timeout_s=$2; shift ;;
        --qemu-gdb)      need "$@"; qemu_gdb=$2; shift ;;
        --qemu-gdb-wait) qemu_gdb_wait=1 ;;
        --cpu)           need "$@"; cpu=$2; shift ;;
        --mem)           need "$@"; mem=$2; shift ;;
        --link)          need "$@"; link=$2; shift ;;
        --iso)           need "$@"; iso=$2; shift ;;
        --dry-run)       dry_run=1 ;;
        -h|--help)       usage ;;
        --)              shift; extra=("$@"); break ;;
        *)               echo "qemu-run: unknown option $1" >&2; usage ;;
    esac
    shift
done

case "$smp" in ''|*[!0-9]*) echo "qemu-run: --smp wants a number" >&2; exit 2 ;; esac
case "$link" in virtio|uart) ;; *) echo "qemu-run: --link wants virtio or uart" >&2; exit 2 ;; esac
[ -f "$guest" ] || { echo "qemu-run: no guest image $guest (run make)" >&2; exit 2; }
case "$guest$args" in *,*) echo "qemu-run: commas are not allowed in --guest/--args (QEMU splits modules on them)" >&2; exit 2 ;; esac

# Under SVM the monitor wants the virtualisation extensions; `max` has SVM and
# NPT under TCG. Accelerator: TCG (this machine has no nested SVM for KVM).
cmd=(qemu-system-x86_64 -accel tcg -cpu "$cpu" -smp "$smp" -m "$mem"
     -display none -monitor none -no-reboot
     -device isa-debug-exit,iobase=0xf4,iosize=0x04)

if [ -n "$log" ]; then
    cmd+=(-serial "file:$log")
else
    cmd+=(-serial stdio)
fi

mkdir -p "$(dirname "$socket")"
rm -f "$socket"
cmd+=(-chardev "socket,id=husklink,path=$socket,server=on,wait=off")
if [ "$link" = virtio ]; then
    # ioeventfd=off: the monitor notifies once per reply; QEMU then runs the
    # queue at once in the CPU's thread instead of handing it to its main loop
    cmd+=(-serial null -device virtio-serial-pci,id=huskvs,ioeventfd=off -device virtconsole,chardev=husklink)
else
    cmd+=(-serial chardev:husklink)
fi

if [ -n "$iso" ]; then
    cmd+=(-cdrom "$iso")
elif [ "$bare" = 1 ]; then
    cmd+=(-kernel "$guest")
    [ -z "$args" ] || cmd+=(-append "$args")
else
    [ -f "$monitor" ] || { echo "qemu-run: no monitor image $monitor (run make)" >&2; exit 2; }
    module="$guest"
    [ -z "$args" ] || module="$guest $args"
    cmd+=(-kernel "$monitor" -initrd "$module")
fi

if [ -n "$qemu_gdb" ]; then
    rm -f "$qemu_gdb"
    cmd+=(-chardev "socket,id=qemugdb,path=$qemu_gdb,server=on,wait=off" -gdb chardev:qemugdb)
    [ "$qemu_gdb_wait" = 0 ] || cmd+=(-S)
fi

cmd+=("${extra[@]}")
[ -z "$timeout_s" ] || cmd=(timeout --foreground -k 5 "$timeout_s" "${cmd[@]}")

if [ "$dry_run" = 1 ]; then
    printf '%q ' "${cmd[@]}"; echo
    exit 0
fi
exec "${cmd[@]}"
