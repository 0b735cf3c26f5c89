/* Shared checks of the attack guests. */
#ifndef GUEST_ATTACK_H
#define GUEST_ATTACK_H

#include <stdbool.h>

/* Prints "WHAT: raised GOT (expected WANT)" and returns GUEST_PASS when they match. */
int expect_vector(const char *what, int got, int want);

/* After an attack: hosted, the monitor still answers CPUID leaf 0x40000000
 * (every CPUID is an exit, so each answer is a round trip through it);
 * bare there is nothing to ask and this is true. */
bool monitor_still_answers(void);

/* Prints which reference applies: "environment: hosted" or "environment: bare". */
bool environment_is_hosted(void);

#endif
