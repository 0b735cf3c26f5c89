/* A split virtqueue (virtio 1.1, 2.6) in the legacy layout, which is what a
 * legacy or transitional PCI device expects: descriptor table, available
 * ring, then the used ring at the next 4096-byte boundary, all in one
 * physically contiguous block whose page number the driver writes to the
 * device (2.6.2 "Legacy Interfaces: A Note on Virtqueue Layout").
 * Little-endian fields; the monitor is the only driver, x86 is
 * little-endian, so legacy's "guest-native endian" is the same (2.6.3). */
#ifndef HUSK_X86_VIRTQUEUE_H
#define HUSK_X86_VIRTQUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VIRTQ_LEGACY_ALIGN 4096

/* 2.6.5 The Virtqueue Descriptor Table */
struct virtq_desc {
    uint64_t addr;          /* guest-physical: here, the monitor's physical */
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};
_Static_assert(sizeof(struct virtq_desc) == 16, "virtq_desc is 16 bytes");

#define VIRTQ_DESC_F_NEXT  1
#define VIRTQ_DESC_F_WRITE 2        /* device writes (a receive buffer) */

/* 2.6.6 The Virtqueue Available Ring: flags, idx, ring[size] (no used_event:
 * VIRTIO_F_EVENT_IDX is not negotiated) */
struct virtq_avail {
    uint16_t flags;
    uint16_t idx;
    uint16_t ring[];
};
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1

/* 2.6.8 The Virtqueue Used Ring */
struct virtq_used_elem {
    uint32_t id;            /* head of the descriptor chain used */
    uint32_t len;           /* bytes the device wrote into it */
};
_Static_assert(sizeof(struct virtq_used_elem) == 8, "virtq_used_elem is 8 bytes");

struct virtq_used {
    uint16_t flags;
    uint16_t idx;
    struct virtq_used_elem ring[];
};
#define VIRTQ_USED_F_NO_NOTIFY 1

struct virtqueue {
    uint16_t size;                  /* entries, as the device reports it */
    uint16_t last_used;             /* used->idx we have consumed up to */
    uint16_t next_avail;            /* our copy of avail->idx */
    struct virtq_desc *desc;
    struct virtq_avail *avail;
    struct virtq_used *used;
};

/* Bytes the legacy layout of a queue of `size` entries takes. */
size_t virtq_legacy_bytes(uint16_t size);

/* Lays the queue out in mem (4096-aligned, virtq_legacy_bytes(size) long,
 * zeroed here) with interrupts suppressed: the monitor polls. */
void virtq_init(struct virtqueue *q, void *mem, uint16_t size);

/* Makes descriptor `id` (one buffer at physical addr, len bytes; writable
 * by the device when device_writes) available. The caller notifies the
 * device afterwards when virtq_needs_notify() says so. */
void virtq_offer(struct virtqueue *q, uint16_t id, uint64_t addr, uint32_t len, bool device_writes);

/* Whether the device wants a notification for buffers just offered
 * (2.6.10: it may set VIRTQ_USED_F_NO_NOTIFY while it is busy). */
bool virtq_needs_notify(const struct virtqueue *q);

/* Buffers offered that the device has not returned yet, as the device
 * sees it right now (read after the caller's offers are visible). */
uint16_t virtq_outstanding(const struct virtqueue *q);

/* Lets the device interrupt for this queue from now on (2.6.7: clears the
 * VIRTQ_AVAIL_F_NO_INTERRUPT that virtq_init() set). */
void virtq_enable_interrupts(struct virtqueue *q);

/* Whether the device has returned a buffer not taken yet. */
bool virtq_has_used(const struct virtqueue *q);

/* Takes the next used buffer: true with its descriptor id and written
 * length, false when the device has returned nothing new. */
bool virtq_take_used(struct virtqueue *q, uint16_t *id, uint32_t *len);

#endif
