#include "region.h"
#include "guest.h"
#include "idt.h"

extern const uint8_t _bss_end[];

const uint32_t region_probe_offsets[REGION_PROBES_PER_PAGE] = { 0x000, 0x800, 0xFF8 };

static bool parse_hex(const char **p, uint64_t *v)
{
    const char *s = *p;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    uint64_t x = 0;
    int digits = 0;
    for (;; s++, digits++) {
        unsigned d;
        if (*s >= '0' && *s <= '9')
            d = (unsigned)(*s - '0');
        else if (*s >= 'a' && *s <= 'f')
            d = (unsigned)(*s - 'a' + 10);
        else if (*s >= 'A' && *s <= 'F')
            d = (unsigned)(*s - 'A' + 10);
        else
            break;
        x = x * 16 + d;
    }
    *p = s;
    *v = x;
    return digits > 0;
}

bool region_from_cmdline(struct region *r)
{
    char buf[48];
    const char *p = buf;
    if (!cmdline_get("region", buf, sizeof(buf))) {
        printf("region: none on the command line (want region=START-END)\n");
        return false;
    }
    if (!parse_hex(&p, &r->start) || *p++ != '-' || !parse_hex(&p, &r->end) || *p) {
        printf("region: cannot parse '%s'\n", buf);
        return false;
    }
    if ((r->start | r->end) & 0xFFF || r->end <= r->start || r->end > 0x100000000ull ||
        r->start < (uint64_t)(uintptr_t)_bss_end) {
        printf("region: 0x%lx-0x%lx is not a page-aligned range above the guest, below 4 GiB\n",
               r->start, r->end);
        return false;
    }
    printf("region: 0x%lx-0x%lx (%lu pages)\n", r->start, r->end, (r->end - r->start) >> 12);
    return true;
}

void region_scan(const struct region *r, struct region_scan *s)
{
    bool have_first = false;
    *s = (struct region_scan){ .fault_vector = -1 };
    for (uint64_t page = r->start; page < r->end; page += 0x1000) {
        s->pages++;
        for (int i = 0; i < REGION_PROBES_PER_PAGE; i++) {
            uint64_t addr = page + region_probe_offsets[i], v = 0;
            int vec = probe_read64(addr, &v);
            if (vec >= 0) {
                s->faults++;
                if (s->fault_vector < 0)
                    s->fault_vector = vec;
                continue;
            }
            s->reads++;
            if (!have_first) {
                s->first_value = v;
                have_first = true;
            } else if (v != s->first_value) {
                s->differing++;
            }
            if (v == region_pattern(addr))
                s->matching_pattern++;
        }
    }
}

void region_scan_print(const char *what, const struct region_scan *s)
{
    printf("%s: pages %lu reads %lu faults %lu (first %s) value 0x%lx differing %lu pattern %lu\n",
           what, s->pages, s->reads, s->faults, vector_name(s->fault_vector), s->first_value,
           s->differing, s->matching_pattern);
}
