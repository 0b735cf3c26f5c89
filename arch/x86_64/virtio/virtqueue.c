#include "virtqueue.h"

#include "lib/string.h"

static size_t align_up(size_t x, size_t a)
{
    return (x + a - 1) & ~(a - 1);
}

static size_t avail_bytes(uint16_t size)
{
    return sizeof(struct virtq_avail) + sizeof(uint16_t) * size + sizeof(uint16_t);   /* + used_event */
}

static size_t used_offset(uint16_t size)
{
    return align_up(sizeof(struct virtq_desc) * size + avail_bytes(size), VIRTQ_LEGACY_ALIGN);
}

size_t virtq_legacy_bytes(uint16_t size)
{
    /* flags, idx, ring[size], avail_event */
    return used_offset(size) + sizeof(struct virtq_used) + sizeof(struct virtq_used_elem) * size +
           sizeof(uint16_t);
}

void virtq_init(struct virtqueue *q, void *mem, uint16_t size)
{
    memset(mem, 0, virtq_legacy_bytes(size));
    q->size = size;
    q->last_used = 0;
    q->next_avail = 0;
    q->desc = mem;
    q->avail = (struct virtq_avail *)((uint8_t *)mem + sizeof(struct virtq_desc) * size);
    q->used = (struct virtq_used *)((uint8_t *)mem + used_offset(size));
    /* 2.6.7: a hint only; the device may still interrupt, so the driver
     * also turns INTx off in the PCI command register */
    q->avail->flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
}

void virtq_offer(struct virtqueue *q, uint16_t id, uint64_t addr, uint32_t len, bool device_writes)
{
    struct virtq_desc *d = &q->desc[id];
    d->addr = addr;
    d->len = len;
    d->flags = device_writes ? VIRTQ_DESC_F_WRITE : 0;
    d->next = 0;
    /* queue sizes are powers of two (2.6), so the ring index wraps with the
     * free-running 16-bit idx */
    q->avail->ring[q->next_avail & (q->size - 1)] = id;
    q->next_avail++;
    /* 2.6.13.2: the descriptor and ring entry must be visible before idx */
    __atomic_store_n(&q->avail->idx, q->next_avail, __ATOMIC_RELEASE);
}

bool virtq_needs_notify(const struct virtqueue *q)
{
    /* 2.6.13.4: idx must be visible before the flag is read (a store-load
     * order, which x86 keeps only with a full fence) */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return !(__atomic_load_n(&q->used->flags, __ATOMIC_RELAXED) & VIRTQ_USED_F_NO_NOTIFY);
}

uint16_t virtq_outstanding(const struct virtqueue *q)
{
    /* the same store-load order as virtq_needs_notify(): our idx store
     * before the device's used idx is read */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return (uint16_t)(q->next_avail - __atomic_load_n(&q->used->idx, __ATOMIC_ACQUIRE));
}

void virtq_enable_interrupts(struct virtqueue *q)
{
    __atomic_store_n(&q->avail->flags, 0, __ATOMIC_RELEASE);
}

bool virtq_has_used(const struct virtqueue *q)
{
    return __atomic_load_n(&q->used->idx, __ATOMIC_ACQUIRE) != q->last_used;
}

bool virtq_take_used(struct virtqueue *q, uint16_t *id, uint32_t *len)
{
    /* 2.6.14: idx first, then (acquire) the element it covers */
    if (__atomic_load_n(&q->used->idx, __ATOMIC_ACQUIRE) == q->last_used)
        return false;
    const struct virtq_used_elem *e = &q->used->ring[q->last_used & (q->size - 1)];
    *id = (uint16_t)e->id;
    *len = e->len;
    q->last_used++;
    return true;
}
