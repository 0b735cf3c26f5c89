/*
 * tests/stub-demo/demo_machine.h - a tiny simulated 2-CPU x86_64 machine:
 * flat RAM with a hole, per-CPU registers, breakpoints, debug-register
 * watchpoints and a handful of real instruction encodings. The memory map
 * and program are documented in docs/protocol.md.
 */
#ifndef DEMO_MACHINE_H
#define DEMO_MACHINE_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/target/x86_64_target.h"

#define DEMO_CPUS 2
#define DEMO_RAM_BASE 0x100000ull
#define DEMO_RAM_SIZE (4ull << 20)
#define DEMO_HOLE_BASE 0x300000ull
#define DEMO_HOLE_SIZE 0x1000ull
#define DEMO_ALIAS_BASE 0xffffffff80100000ull
#define DEMO_SW_BREAKS 64
#define DEMO_DEBUG_REGS 4

struct demo_cpu {
    uint8_t regs[X86_64_G_SIZE];   /* exactly a `g` block */
    bool halted;
    bool skip_break_once;          /* like x86 RF: resume past a breakpoint */
};

struct demo_sw_break {
    bool used;
    uint64_t addr;
};

struct demo_debug_reg {
    bool used;
    enum point_type type;          /* POINT_HW_BREAK or a watch kind */
    uint64_t addr;
    unsigned len;
};

struct demo_machine {
    uint8_t *ram;
    struct demo_cpu cpu[DEMO_CPUS];
    struct demo_sw_break sw[DEMO_SW_BREAKS];
    struct demo_debug_reg dr[DEMO_DEBUG_REGS];
    struct resume_action actions[DEMO_CPUS];
    bool running;
    bool interrupt_requested;
};

void demo_reset(struct demo_machine *m);

uint64_t demo_reg(const struct demo_machine *m, int cpu, int regnum);
void demo_set_reg(struct demo_machine *m, int cpu, int regnum, uint64_t v);

/* Virtual (through the demo's page map) or physical address -> RAM offset;
 * false if unmapped. */
bool demo_translate(uint64_t addr, bool physical, uint64_t *ram_offset);
size_t demo_read(struct demo_machine *m, uint64_t addr, uint8_t *buf, size_t len, bool physical);
bool demo_write(struct demo_machine *m, uint64_t addr, const uint8_t *buf, size_t len, bool physical);

int demo_insert_point(struct demo_machine *m, enum point_type type, uint64_t addr, unsigned kind);
int demo_remove_point(struct demo_machine *m, enum point_type type, uint64_t addr, unsigned kind);
void demo_remove_all_points(struct demo_machine *m);

/*
 * Run the resumed CPUs for at most `budget` rounds. Returns true and fills
 * `ev` when the machine stopped (breakpoint, watchpoint, step done, fault,
 * interrupt).
 */
bool demo_run(struct demo_machine *m, unsigned budget, struct stop_event *ev);

#endif
