/* The debugger's global table of hardware breakpoint slots and its DR7
 * encoding (AMD APM vol. 2, 13.1.1.5 "Debug-Control Register (DR7)"). */
#include "debug/hwbp.h"

#include "exit_path.h"
#include "spinlock.h"

/* DR7 per slot i: L at bit 2i, G at bit 2i+1, R/W at 16+4i, LEN at 18+4i. */
#define DR7_G(i)          (1ull << (2 * (i) + 1))
#define DR7_RW_SHIFT(i)   (16 + 4 * (i))
#define DR7_LEN_SHIFT(i)  (18 + 4 * (i))

/* R/W field per kind of point (13.1.1.5). Read-only watchpoints do not
 * exist in hardware: Z3 uses read/write and filters writes in hwbp_on_hit. */
static const struct {
    bool valid;
    uint8_t rw;
} point_rw[] = {
    [POINT_HW_BREAK]     = { true, 0 },   /* 00: instruction execution */
    [POINT_WATCH_WRITE]  = { true, 1 },   /* 01: data writes */
    [POINT_WATCH_READ]   = { true, 3 },   /* 11: data reads or writes */
    [POINT_WATCH_ACCESS] = { true, 3 },
};

/* LEN field per watched length: 00 one byte, 01 two, 11 four, 10 eight
 * (eight only in long mode, which is where the debugged kernel runs). */
static const uint8_t len_field[9] = { [1] = 0, [2] = 1, [4] = 3, [8] = 2 };

static struct hwbp_slot table[HWBP_SLOTS];
static uint64_t generation;
static struct spinlock lock;
static hwbp_read_fn reader;

void hwbp_set_reader(hwbp_read_fn read) { reader = read; }

static bool type_valid(enum point_type type)
{
    return (unsigned)type < sizeof point_rw / sizeof point_rw[0] && point_rw[type].valid;
}

/* Execute breakpoints always use LEN 00 (13.1.1.5); the Z1 "kind" is the
 * client's idea of the instruction size and does not matter. */
static unsigned effective_len(enum point_type type, unsigned len)
{
    return type == POINT_HW_BREAK ? 1 : len;
}

static bool len_valid(enum point_type type, uint64_t addr, unsigned len)
{
    if (type == POINT_HW_BREAK)
        return true;
    if (len != 1 && len != 2 && len != 4 && len != 8)
        return false;
    return (addr & (len - 1)) == 0;   /* the CPU ignores the low address bits */
}

static int find(enum point_type type, uint64_t addr, unsigned len)
{
    for (int i = 0; i < HWBP_SLOTS; i++)
        if (table[i].used && table[i].type == type && table[i].addr == addr && table[i].len == len)
            return i;
    return -1;
}

/* Guests conventionally take DR0 first; the debugger takes DR3 first so the
 * two collide as late as possible (a guest slot the debugger uses is not
 * loaded while the debugger holds it). */
static int free_slot(void)
{
    for (int i = HWBP_SLOTS - 1; i >= 0; i--)
        if (!table[i].used)
            return i;
    return -1;
}

static uint64_t read_le(const uint8_t *b, unsigned len)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < len; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

int hwbp_insert(enum point_type type, uint64_t addr, unsigned len)
{
    if (!type_valid(type) || !len_valid(type, addr, len))
        return TARGET_EINVAL;
    len = effective_len(type, len);

    /* read outside the lock: the reader walks guest page tables */
    uint8_t bytes[8];
    bool known = type == POINT_WATCH_READ && reader && reader(addr, bytes, len);

    spin_lock(&lock);
    int i = find(type, addr, len);
    if (i >= 0) {
        table[i].refs++;
        spin_unlock(&lock);
        return TARGET_OK;
    }
    i = free_slot();
    if (i < 0) {
        spin_unlock(&lock);
        return TARGET_ENOSPC;
    }
    table[i] = (struct hwbp_slot){
        .used = true, .type = type, .addr = addr, .len = len, .refs = 1,
        .snapshot_valid = known, .snapshot = known ? read_le(bytes, len) : 0,
    };
    __atomic_add_fetch(&generation, 1, __ATOMIC_RELEASE);
    spin_unlock(&lock);
    return TARGET_OK;
}

int hwbp_remove(enum point_type type, uint64_t addr, unsigned len)
{
    if (!type_valid(type))
        return TARGET_EINVAL;
    len = effective_len(type, len);
    spin_lock(&lock);
    int i = find(type, addr, len);
    if (i < 0) {
        spin_unlock(&lock);
        return TARGET_EINVAL;
    }
    if (--table[i].refs == 0) {
        table[i] = (struct hwbp_slot){ 0 };
        __atomic_add_fetch(&generation, 1, __ATOMIC_RELEASE);
    }
    spin_unlock(&lock);
    return TARGET_OK;
}

void hwbp_clear_all(void)
{
    spin_lock(&lock);
    for (int i = 0; i < HWBP_SLOTS; i++)
        table[i] = (struct hwbp_slot){ 0 };
    __atomic_add_fetch(&generation, 1, __ATOMIC_RELEASE);
    spin_unlock(&lock);
}

EXIT_PATH uint64_t hwbp_generation(void) { return __atomic_load_n(&generation, __ATOMIC_ACQUIRE); }

uint64_t hwbp_snapshot(struct hwbp_slot out[HWBP_SLOTS])
{
    spin_lock(&lock);
    for (int i = 0; i < HWBP_SLOTS; i++)
        out[i] = table[i];
    uint64_t gen = generation;
    spin_unlock(&lock);
    return gen;
}

uint64_t hwbp_dr7_bits(const struct hwbp_slot slots[HWBP_SLOTS])
{
    uint64_t dr7 = 0;
    for (unsigned i = 0; i < HWBP_SLOTS; i++) {
        const struct hwbp_slot *s = &slots[i];
        if (!s->used)
            continue;
        /* G, not L: the table is global and must survive a guest's
         * hardware task switch, which clears the L bits (13.1.1.5) */
        dr7 |= DR7_G(i);
        dr7 |= (uint64_t)point_rw[s->type].rw << DR7_RW_SHIFT(i);
        dr7 |= (uint64_t)len_field[s->len] << DR7_LEN_SHIFT(i);
    }
    return dr7;
}

unsigned hwbp_used_mask(const struct hwbp_slot slots[HWBP_SLOTS])
{
    unsigned mask = 0;
    for (unsigned i = 0; i < HWBP_SLOTS; i++)
        if (slots[i].used)
            mask |= 1u << i;
    return mask;
}

enum hwbp_verdict hwbp_on_hit(unsigned slot, uint64_t now, bool now_valid, struct hwbp_hit *hit)
{
    if (slot >= HWBP_SLOTS)
        return HWBP_NOT_OURS;
    spin_lock(&lock);
    struct hwbp_slot *s = &table[slot];
    if (!s->used) {
        spin_unlock(&lock);
        return HWBP_NOT_OURS;
    }
    *hit = (struct hwbp_hit){ slot, s->type, s->addr, s->len };
    enum hwbp_verdict verdict = HWBP_REPORT;
    if (s->type == POINT_WATCH_READ && now_valid) {
        uint64_t mask = s->len == 8 ? ~0ull : (1ull << (8 * s->len)) - 1;
        now &= mask;
        /* A changed value means the access wrote (x86 traps after it):
         * not a read to report. An unchanged value may still be a write of
         * the same value; x86 cannot tell, and a read is the likelier. */
        if (s->snapshot_valid && s->snapshot != now)
            verdict = HWBP_RESUME;
        s->snapshot = now;
        s->snapshot_valid = true;
    }
    spin_unlock(&lock);
    return verdict;
}

void hwbp_hit_to_stop(const struct hwbp_hit *hit, struct stop_event *ev)
{
    ev->signal = 5;     /* SIGTRAP */
    if (hit->type == POINT_HW_BREAK) {
        ev->reason = STOP_HW_BREAK;
        return;
    }
    ev->reason = STOP_WATCH;
    ev->watch_kind = hit->type;
    ev->data_addr = hit->addr;
    ev->hw_index = hit->slot;
}
