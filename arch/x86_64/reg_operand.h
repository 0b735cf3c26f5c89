/* x86 register-operand semantics for the monitor's emulated MOVs, as pure
 * functions on a register's value (SDM vol. 1, 3.4.1.1): an 8- or 16-bit
 * write leaves the rest of the register alone, a 32-bit write clears bits
 * 63:32, AH/CH/DH/BH are bits 15:8 of registers 0-3. Unit-tested in
 * tests/unit/monitor/test_reg_operand.c. */
#ifndef HUSK_X86_REG_OPERAND_H
#define HUSK_X86_REG_OPERAND_H

#include <stdbool.h>
#include <stdint.h>

/* The operand as read from a register holding `reg`. */
static inline uint64_t reg_operand_read(uint64_t reg, unsigned size, bool high_byte)
{
    if (high_byte)
        return (reg >> 8) & 0xff;
    switch (size) {
    case 1: return reg & 0xff;
    case 2: return reg & 0xffff;
    case 4: return reg & 0xffffffff;
    default: return reg;
    }
}

/* The register's new value after an operand write of `value`. */
static inline uint64_t reg_operand_write(uint64_t reg, unsigned size, bool high_byte, uint64_t value)
{
    if (high_byte)
        return (reg & ~0xff00ull) | ((value & 0xff) << 8);
    switch (size) {
    case 1: return (reg & ~0xffull) | (value & 0xff);
    case 2: return (reg & ~0xffffull) | (value & 0xffff);
    case 4: return value & 0xffffffff;
    default: return value;
    }
}

/* The GPR (x86 encoding order) that holds the operand: AH..BH live in 0..3. */
static inline unsigned reg_operand_gpr(unsigned reg, bool high_byte)
{
    return high_byte ? reg - 4 : reg;
}

#endif
