#!/bin/sh
# Installs the Debian 12 packages husk needs to build, run and test, only
# when one is missing, so `make run` and `make check` work on a new machine.
set -eu

packages="make gcc binutils qemu-system-x86 gdb lldb python3 python3-pytest
python3-pexpect libcmocka-dev clang libclang-rt-14-dev llvm libedit-dev
libdw-dev libelf-dev elfutils socat grub-pc-bin xorriso mtools"

missing=""
for p in $packages; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
        *"ok installed"*) ;;
        *) missing="$missing $p" ;;
    esac
done

[ -z "$missing" ] && exit 0

echo "deps: installing$missing" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >&2
