#include "fake_gmem.h"

#include <string.h>

#include "guest_mem.h"

uint8_t fake_gmem[FAKE_GMEM_SIZE];
unsigned fake_gmem_writes;

#define PML4 0x1000
#define PDPT 0x2000
#define PD   0x3000
#define PT   0x4000
#define P_RW 0x3

static void put64(uint64_t gpa, uint64_t v)
{
    memcpy(&fake_gmem[gpa], &v, sizeof v);
}

struct paging_regs fake_gmem_reset(void)
{
    memset(fake_gmem, 0, sizeof fake_gmem);
    fake_gmem_writes = 0;
    put64(PML4, PDPT | P_RW);
    put64(PDPT, PD | P_RW);
    put64(PD, PT | P_RW);
    return (struct paging_regs){
        .cr0 = (1ull << 31) | 1,    /* PG, PE */
        .cr3 = PML4,
        .cr4 = 1ull << 5,           /* PAE */
        .efer = (1ull << 10) | (1ull << 8),   /* LMA, LME */
    };
}

void fake_gmem_map(uint64_t va, uint64_t gpa)
{
    put64(PT + ((va >> 12) & 511) * 8, gpa | P_RW);
}

static int in_range(uint64_t gpa, size_t len)
{
    return gpa < FAKE_GMEM_SIZE && len <= FAKE_GMEM_SIZE - gpa;
}

int gmem_read_phys(uint64_t gpa, void *buf, size_t len)
{
    if (!in_range(gpa, len))
        return -1;
    memcpy(buf, &fake_gmem[gpa], len);
    return 0;
}

int gmem_write_phys(uint64_t gpa, const void *buf, size_t len)
{
    if (!in_range(gpa, len))
        return -1;
    fake_gmem_writes++;
    memcpy(&fake_gmem[gpa], buf, len);
    return 0;
}

bool gmem_pte_reader(void *opaque, uint64_t gpa, unsigned size, uint64_t *value)
{
    (void)opaque;
    *value = 0;
    return gmem_read_phys(gpa, value, size) == 0;
}
