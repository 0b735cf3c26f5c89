/* The 8254 PIT, channel 2, as a busy-wait clock for calibration and the AP
 * start delays; it runs at the same rate bare and hosted. */
#ifndef SUP_PIT_H
#define SUP_PIT_H
#include <stdint.h>

void pit_wait_us(uint32_t us);

#endif
