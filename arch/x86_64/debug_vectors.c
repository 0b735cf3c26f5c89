/* x86 exception vector names for `monitor catch` and `monitor why`. Pure
 * (no VMCB, no hardware) so the catchpoint parser can be unit-tested. */
#include <stddef.h>

#include "arch_debug.h"

static const char *const vector_names[32] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", 0, "#TS", "#NP", "#SS", "#GP", "#PF", 0,
    "#MF", "#AC", "#MC", "#XM", "#VE", "#CP", 0, 0, 0, 0, 0, 0, "#HV", "#VC", "#SX", 0,
};

const char *arch_dbg_vector_name(unsigned vector)
{
    return vector < 32 ? vector_names[vector] : 0;
}

int arch_dbg_vector_by_name(const char *name)
{
    for (int i = 0; i < 32; i++) {
        const char *n = vector_names[i];
        if (!n)
            continue;
        /* "#GP", "GP" and "gp" all name vector 13 */
        const char *a = name[0] == '#' ? name + 1 : name, *b = n[0] == '#' ? n + 1 : n;
        size_t k = 0;
        while (a[k] && b[k] && (a[k] | 0x20) == (b[k] | 0x20))
            k++;
        if (!a[k] && !b[k])
            return i;
    }
    return -1;
}
