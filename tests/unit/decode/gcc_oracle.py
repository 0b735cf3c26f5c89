#!/usr/bin/python3
"""The decoder against gcc's own output: disassemble objects built from
gcc_forms.c for 64-, 32- and 16-bit code with objdump, decode every
instruction with decode_cli, and require for each MOV between a register or
an immediate and memory (the instructions the monitor emulates) the length,
kind, size, register and immediate objdump shows; for MOV between registers
kind OTHER; for anything else -1 or a length equal to objdump's.

usage: gcc_oracle.py DECODE_CLI OBJECT:MODE..."""
import re
import subprocess
import sys

KIND = {"other": 0, "store_reg": 1, "store_imm": 2, "load": 3, "to_dr": 4, "from_dr": 5}

REG64 = ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi"] + [f"r{i}" for i in range(8, 16)]
REGS = {}
for n, r in enumerate(REG64):
    REGS[r] = (n, 8, False)
    REGS[("e" + r[1:]) if n < 8 else r + "d"] = (n, 4, False)
    REGS[r[1:] if n < 8 else r + "w"] = (n, 2, False)
for n, r in enumerate(["al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil"]):
    REGS[r] = (n, 1, False)
for n in range(8, 16):
    REGS[f"r{n}b"] = (n, 1, False)
for n, r in enumerate(["ah", "ch", "dh", "bh"]):
    REGS[r] = (n + 4, 1, True)
SUFFIX = {"b": 1, "w": 2, "l": 4, "q": 8}

LINE = re.compile(r"^\s*[0-9a-f]+:\t((?:[0-9a-f]{2} )+)\s*\t(\S+)\s*([^#<]*)")


def split_operands(text):
    depth, cur, out = 0, "", []
    for ch in text.strip():
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
            continue
        depth += ch == "("
        depth -= ch == ")"
        cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


def is_memory(op):
    return "(" in op or re.fullmatch(r"(%[a-z]s:)?-?(0x)?[0-9a-f]+", op) is not None


def expected(mnemonic, operands):
    """(kind, size, reg, high, imm) for a MOV with memory, 'other' for MOV
    between registers, None for anything else."""
    base = mnemonic.rstrip("bwlq") if mnemonic not in ("mov", "movabs") else mnemonic
    if base not in ("mov", "movabs") or len(operands) != 2:
        return None
    src, dst = operands
    if any(o.lstrip("%") in ("es", "cs", "ss", "ds", "fs", "gs") or re.match(r"%[cd]r\d", o) for o in operands):
        return None
    size = SUFFIX.get(mnemonic[-1]) if mnemonic not in ("mov", "movabs") else None
    if src.startswith("$"):
        if not is_memory(dst):
            return None                      # B8+r / C7 to a register: not emulated
        return ("store_imm", size, 0, False, int(src[1:], 16))
    if src.startswith("%") and dst.startswith("%"):
        reg, rsize, high = REGS[dst.lstrip("%")]
        return ("other", rsize, None, None, None)
    if src.startswith("%") and is_memory(dst):
        reg, rsize, high = REGS[src.lstrip("%")]
        return ("store_reg", rsize, reg, high, 0)
    if is_memory(src) and dst.startswith("%"):
        reg, rsize, high = REGS[dst.lstrip("%")]
        return ("load", rsize, reg, high, 0)
    return None


def main():
    cli, objects = sys.argv[1], sys.argv[2:]
    insns = []
    for spec in objects:
        obj, mode = spec.rsplit(":", 1)
        flags = ["-M", "i8086"] if mode == "16" else []
        dump = subprocess.run(["objdump", "-d", "--insn-width=16", *flags, obj],
                              check=True, capture_output=True, text=True).stdout
        for line in dump.splitlines():
            m = LINE.match(line)
            if m:
                insns.append((mode, m.group(1).split(), m.group(2), split_operands(m.group(3)), line.strip()))
    feed = "".join(f"{mode} {''.join(b)}\n" for mode, b, *_ in insns)
    out = subprocess.run([cli], input=feed, check=True, capture_output=True, text=True).stdout.splitlines()
    assert len(out) == len(insns)

    failures, movs = [], 0
    for (mode, code, mnemonic, operands, text), result in zip(insns, out):
        rc, length, kind, size, reg, high, _dr, imm = (int(x) for x in result.split())
        want = expected(mnemonic, operands)
        if want is None:
            # Not ours: the decoder may refuse it, but if it claims it, the
            # length must be right.
            if rc == 0 and length != len(code):
                failures.append(f"{mode}: {text}: decoded length {length}")
            continue
        movs += 1
        wkind, wsize, wreg, whigh, wimm = want
        got = (rc, length, kind, size)
        need = (0, len(code), KIND[wkind], wsize if wsize else size)
        if got != need or (wreg is not None and (reg, bool(high)) != (wreg, whigh)) or \
                (wkind == "store_imm" and imm != wimm):
            failures.append(f"{mode}: {text}: got rc {rc} len {length} kind {kind} size {size} "
                            f"reg {reg} high {high} imm {imm:#x}; want {want} len {len(code)}")
    for f in failures:
        print("FAIL", f)
    print(f"gcc_oracle: {len(insns)} instructions, {movs} MOVs checked, {len(failures)} failures")
    return 1 if failures or movs < 100 else 0


if __name__ == "__main__":
    sys.exit(main())
