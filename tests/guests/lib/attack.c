#include "attack.h"
#include "guest.h"
#include "idt.h"

int expect_vector(const char *what, int got, int want)
{
    printf("%s: raised %s (expected %s)\n", what, vector_name(got), vector_name(want));
    return got == want ? GUEST_PASS : GUEST_FAIL;
}

bool monitor_still_answers(void)
{
    if (!hosted_by_husk())
        return true;
    for (int i = 0; i < 100; i++)
        if (!hosted_by_husk())
            return check(false, "monitor answers cpuid 0x40000000 after the attack");
    return check(true, "monitor answers cpuid 0x40000000 after the attack");
}

bool environment_is_hosted(void)
{
    bool hosted = hosted_by_husk();
    printf("environment: %s\n", hosted ? "hosted" : "bare");
    return hosted;
}
