/* IOIO exits: COM2 belongs to the monitor (reads give 0xff as from an
 * absent device, writes are dropped), and a guest's write to
 * isa-debug-exit first gets the health and stats lines printed.
 * EXITINFO1 layout: APM vol. 2, 15.10.2; EXITINFO2 is the next RIP. */
#include "cpu.h"
#include "exits.h"
#include "guest_insn.h"
#include "guest_mem.h"
#include "health.h"
#include "log.h"
#include "pci_guest.h"
#include "permission_maps.h"
#include "uart.h"

#define IO_IN     (1u << 0)
#define IO_STRING (1u << 2)
#define IO_REP    (1u << 3)
#define IO_SIZE(info)  (((info) >> 4) & 7)        /* 1, 2 or 4 as a bit mask */
#define IO_ASIZE(info) (((info) >> 7) & 7)        /* 16, 32, 64 as bits 0..2 */
#define IO_PORT(info)  ((uint16_t)((info) >> 16))

#define STRING_CHUNK 4096   /* iterations per exit: a huge REP cannot hog the CPU */

static uint64_t addr_mask(uint32_t info)
{
    switch (IO_ASIZE(info)) {
    case 1: return 0xffff;
    case 2: return 0xffffffff;
    default: return ~0ull;
    }
}

static void set_rax_sized(struct vcpu *v, unsigned size, uint64_t value)
{
    uint64_t rax = gpr_get(v, 0);
    if (size == 4)
        rax = value & 0xffffffff;
    else if (size == 2)
        rax = (rax & ~0xffffull) | (value & 0xffff);
    else
        rax = (rax & ~0xffull) | (value & 0xff);
    gpr_set(v, 0, rax);
}

/* INS/OUTS to a port the monitor owns: INS stores 0xff bytes at ES:rDI,
 * OUTS consumes nothing; both step rSI/rDI and rCX like the CPU. */
static void string_to_absent_port(struct vcpu *v, uint32_t info, unsigned size, uint64_t next_rip)
{
    struct vmcb_save *s = &vmcb_of(v)->save;
    uint64_t mask = addr_mask(info);
    uint64_t count = (info & IO_REP) ? (gpr_get(v, 1) & mask) : 1;
    uint64_t n = count < STRING_CHUNK ? count : STRING_CHUNK;
    int64_t step = (s->rflags & (1u << 10)) ? -(int64_t)size : (int64_t)size;   /* DF */
    unsigned reg = (info & IO_IN) ? 7 : 6;                                       /* rDI : rSI */
    uint64_t ptr = gpr_get(v, reg);
    if (info & IO_IN) {
        struct paging_regs r = guest_paging(v);
        static const uint8_t ones[4] = { 0xff, 0xff, 0xff, 0xff };
        unsigned access = s->cpl == 3 ? WALK_USER : 0;
        for (uint64_t i = 0; i < n; i++) {
            uint64_t lin = (s->es.base + ((ptr + (uint64_t)step * i) & mask));
            if (gmem_write_virt(&r, lin, ones, size, access) != WALK_OK) {
                exit_stop(v, "INS from a monitor port into unmapped guest memory");
                return;
            }
        }
    }
    gpr_set(v, reg, (gpr_get(v, reg) & ~mask) | ((ptr + (uint64_t)step * n) & mask));
    if (info & IO_REP)
        gpr_set(v, 1, (gpr_get(v, 1) & ~mask) | ((count - n) & mask));
    if (count - n == 0 || !(info & IO_REP))
        guest_complete(v, next_rip);
    /* else: RIP stays at the REP instruction, which resumes where it stopped */
}

static void debug_exit_write(struct vcpu *v, uint16_t port, unsigned size, uint64_t value)
{
    log_console("guest cpu %u wrote 0x%lx to isa-debug-exit", v->index, value);
    health_report();
    stats_report();
    if (size == 4)
        outl(port, (uint32_t)value);
    else if (size == 2)
        outw(port, (uint16_t)value);
    else
        outb(port, (uint8_t)value);
}

void exit_ioio(struct vcpu *v)
{
    struct vmcb_control *c = &vmcb_of(v)->control;
    uint32_t info = (uint32_t)c->exit_info1;
    uint16_t port = IO_PORT(info);
    unsigned size = IO_SIZE(info) & 4 ? 4 : IO_SIZE(info) & 2 ? 2 : 1;
    /* COM2 and the I/O BARs of the hidden debug-link device: absent ports */
    bool is_com2 = (port >= COM2_BASE && port < COM2_BASE + COM_PORTS) || pci_guest_hidden_port(port);
    bool is_pci = pci_guest_config_port(port);
    bool is_exit = port >= ISA_DEBUG_EXIT_PORT && port < ISA_DEBUG_EXIT_PORT + ISA_DEBUG_EXIT_SIZE;

    if (info & IO_STRING) {
        if (is_com2) {
            string_to_absent_port(v, info, size, c->exit_info2);
            return;
        }
        exit_stop(v, is_pci ? "string I/O to PCI configuration ports is not emulated"
                            : "string I/O to isa-debug-exit is not emulated");
        return;
    }
    if (is_com2) {
        if (info & IO_IN)
            set_rax_sized(v, size, ~0ull);
    } else if (is_pci) {
        if (info & IO_IN)
            set_rax_sized(v, size, pci_guest_in(port, size));
        else
            pci_guest_out(port, size, (uint32_t)gpr_get(v, 0));
    } else if (is_exit) {
        if (info & IO_IN)
            set_rax_sized(v, size, size == 4 ? inl(port) : size == 2 ? inw(port) : inb(port));
        else
            debug_exit_write(v, port, size, gpr_get(v, 0));
    } else {
        exit_stop(v, "I/O exit for a port the monitor does not own");
        return;
    }
    guest_complete(v, c->exit_info2);
}
