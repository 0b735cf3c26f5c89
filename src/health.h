/* The health line the tests check after every attack: the monitor's code
 * and read-only data are unchanged since boot, and every CPU is in a known
 * state. Also the exit statistics line. */
#ifndef HUSK_HEALTH_H
#define HUSK_HEALTH_H

#include <stdbool.h>
#include <stdint.h>

void health_init(void);            /* takes the boot checksum */
bool health_report(void);          /* prints "husk: health ok: ..." or "husk: health BAD: ..." */
void stats_report(void);           /* prints "husk: stats: ..." */

/* FNV-1a 64, over the image; exposed for the unit tests. */
uint64_t health_checksum(const uint8_t *p, uint64_t len);

#endif
