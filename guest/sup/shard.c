#include "shard.h"
#include "console.h"
#include "cpu.h"
#include "pmm.h"
#include "vm.h"
#include "../lib/string.h"

struct shard shards[MAX_SHARDS];
uint32_t shard_count;

/* Flat binaries linked at USER_CODE_BASE (shards/shard.ld), embedded by
 * shards.S. */
#define IMAGE(n) extern const uint8_t shard_##n##_start[], shard_##n##_end[];
IMAGE(hello) IMAGE(counter) IMAGE(float) IMAGE(fault) IMAGE(spin)
#undef IMAGE

struct shard_image {
    const char *name;
    const uint8_t *start, *end;
};

static const struct shard_image images[] = {
    { "hello",   shard_hello_start,   shard_hello_end },
    { "counter", shard_counter_start, shard_counter_end },
    { "float",   shard_float_start,   shard_float_end },
    { "fault",   shard_fault_start,   shard_fault_end },
    { "spin",    shard_spin_start,    shard_spin_end },
};

static const struct shard_image *find_image(const char *name)
{
    for (unsigned i = 0; i < sizeof images / sizeof images[0]; i++)
        if (!strcmp(images[i].name, name))
            return &images[i];
    return 0;
}

/* Code pages: user, read-only, executable. */
static int load_code(struct shard *s, const struct shard_image *img)
{
    uint64_t size = (uint64_t)(img->end - img->start);
    if (size == 0 || size > USER_CODE_MAX - USER_CODE_BASE) {
        kprintf("[BOOT] error: shard image %s has a bad size %lu\n", img->name, (unsigned long)size);
        return -1;
    }
    for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
        uint64_t pa = pmm_alloc();
        if (!pa)
            return -1;
        uint64_t n = size - off < PAGE_SIZE ? size - off : PAGE_SIZE;
        memcpy(phys_to_virt(pa), img->start + off, n);
        if (vm_map(s->cr3, USER_CODE_BASE + off, pa, PTE_U))
            return -1;
    }
    return 0;
}

int shard_create(const struct shard_request *r, unsigned id)
{
    const struct shard_image *img = find_image(r->image);
    struct shard *s = &shards[id];
    memset(s, 0, sizeof *s);
    if (!img) {
        kprintf("[BOOT] error: no shard image '%s'\n", r->image);
        return -1;
    }
    strlcpy(s->name, r->name, sizeof s->name);
    s->id = id;
    s->arg = r->arg;
    s->cpu = -1;
    s->fault_vector = NO_VECTOR;
    s->expect_vector = r->expect_vector;
    s->daemon = (uint32_t)r->daemon;
    s->mmap_next = USER_MMAP_BASE;
    s->cr3 = vm_new_space();
    uint64_t stack = pmm_alloc();
    if (!s->cr3 || !stack || load_code(s, img) ||
        vm_map(s->cr3, USER_STACK_PAGE, stack, PTE_U | PTE_W | PTE_NX)) {
        kprintf("[BOOT] error: out of memory creating shard %s\n", s->name);
        return -1;
    }
    s->regs.rip = USER_CODE_BASE;
    s->regs.cs = USER_CS;
    s->regs.rflags = 0x202;                 /* IF, and bit 1 which is always set */
    s->regs.rsp = USER_STACK_TOP;
    s->regs.ss = USER_DS;
    s->regs.rdi = r->arg;
    s->regs.rsi = id;
    memcpy(s->fxsave, fpu_initial_state, sizeof s->fxsave);
    s->state = SHARD_READY;
    return 0;
}
