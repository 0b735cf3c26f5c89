/* Physical frame allocator: hands out zeroed 4 KiB frames from FRAMES_FROM
 * upwards, only from ranges the Multiboot map lists as available. */
#ifndef SUP_PMM_H
#define SUP_PMM_H
#include <stdint.h>
#include "multiboot.h"

void pmm_init(const struct boot_info *bi);
/* Physical address of a zeroed frame, or 0 when memory is exhausted. */
uint64_t pmm_alloc(void);
uint64_t pmm_free_frames(void);
/* End of the highest available range. */
uint64_t pmm_top(void);

#endif
