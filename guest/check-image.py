#!/usr/bin/python3
"""Checks that guest.elf can be loaded through its Multiboot a.out kludge
fields: the header sits in the first 8 KiB, and from the header on the file
bytes are exactly the physical image (file offset - physical address is the
same for every loaded segment), so QEMU's -kernel and the husk monitor load
the same bytes an ELF loader would. Exit status 1 with a reason otherwise."""
import struct
import sys

MB_MAGIC = 0x1BADB002
AOUT_KLUDGE = 1 << 16
PT_LOAD = 1


def fail(msg):
    print(f"check-image: {sys.argv[1]}: {msg}", file=sys.stderr)
    sys.exit(1)


def main():
    data = open(sys.argv[1], "rb").read()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        fail("not an ELF64 file")
    entry, phoff = struct.unpack_from("<QQ", data, 24)
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    for off in range(0, min(8192, len(data)) - 32, 4):
        magic, flags, checksum = struct.unpack_from("<III", data, off)
        if magic == MB_MAGIC and (magic + flags + checksum) & 0xFFFFFFFF == 0:
            break
    else:
        fail("no Multiboot header in the first 8 KiB")
    if not flags & AOUT_KLUDGE:
        fail("Multiboot header lacks the a.out kludge flag (bit 16)")
    header_addr, load_addr, load_end, bss_end, entry_addr = struct.unpack_from("<5I", data, off + 12)
    delta = off - header_addr            # file offset = physical address + delta
    file_end = 0
    for i in range(phnum):
        p_type, _flags, p_offset, _vaddr, p_paddr, p_filesz, p_memsz, _align = \
            struct.unpack_from("<IIQQQQQQ", data, phoff + i * phentsize)
        if p_type != PT_LOAD:
            continue
        if p_filesz:
            file_end = max(file_end, p_paddr + p_filesz)
        if p_filesz and p_offset - p_paddr != delta:
            fail(f"segment at phys {p_paddr:#x} is at file offset {p_offset:#x}, "
                 f"want {p_paddr + delta:#x}")
        if p_filesz and not load_addr <= p_paddr and p_paddr + p_filesz <= load_end:
            fail(f"segment at phys {p_paddr:#x} outside load_addr..load_end_addr")
        if p_paddr + p_memsz > bss_end:
            fail(f"segment at phys {p_paddr:#x} ends beyond bss_end_addr {bss_end:#x}")
    if load_addr + delta < 0 or load_end + delta > len(data):
        fail("load range runs past the end of the file")
    if load_end != file_end:
        fail(f"load_end_addr {load_end:#x} is not the end of the loaded bytes {file_end:#x}")
    if entry_addr != entry:
        fail(f"entry_addr {entry_addr:#x} differs from the ELF entry {entry:#x}")


if __name__ == "__main__":
    main()
