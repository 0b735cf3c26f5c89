/* The target's register layout, learned from its target description
 * (target.xml and the files it includes), with QEMU's i386-64bit layout as
 * the fallback when the target offers none. */
#ifndef PROXY_REGS_H
#define PROXY_REGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REGS_MAX 192

struct reg_desc {
    char name[24];
    char feature[48];    /* e.g. org.gnu.gdb.i386.core */
    int bitsize;
    int regnum;
    size_t offset;       /* byte offset in the 'g' packet */
};

struct reg_layout {
    struct reg_desc regs[REGS_MAX];
    int count;
    size_t g_size;       /* bytes of every register, in regnum order */
};

void regs_clear(struct reg_layout *l);
/* Adds the <reg> elements of one XML document; returns how many. The names
 * of <xi:include href="..."> files are passed to `include` (may be NULL). */
int regs_parse_xml(struct reg_layout *l, const char *xml,
                   void (*include)(void *ctx, const char *href), void *ctx);
/* Sorts by regnum and computes offsets; call after the last parse. */
void regs_finish(struct reg_layout *l);
void regs_default_layout(struct reg_layout *l);

const struct reg_desc *regs_find(const struct reg_layout *l, const char *name);
/* Reads a register of up to 64 bits from a raw 'g' buffer; false when the
 * buffer does not reach it or it is wider than 64 bits. */
bool regs_get(const struct reg_layout *l, const uint8_t *g, size_t glen,
              const char *name, uint64_t *value);

#endif
