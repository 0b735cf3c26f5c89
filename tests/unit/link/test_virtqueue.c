/* The split virtqueue in the legacy layout (virtio 1.1, 2.6.2): offsets a
 * legacy device computes from the queue size alone, and the driver's side of
 * the available and used rings, with this test playing the device. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "virtio/virtqueue.h"

static uint8_t mem[16384] __attribute__((aligned(4096)));

/* The legacy device's formula (2.6.2): descriptors, then the available ring
 * (flags, idx, ring[size], used_event), then the used ring (flags, idx,
 * ring[size], avail_event) at the next 4096-byte boundary. */
static size_t spec_used_offset(size_t size)
{
    size_t avail_end = 16 * size + 2 * (3 + size);
    return (avail_end + 4095) & ~(size_t)4095;
}

static void test_layout(void **state)
{
    (void)state;
    static const uint16_t sizes[] = { 1, 2, 16, 64, 128, 256 };
    for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        uint16_t n = sizes[i];
        struct virtqueue q;
        memset(mem, 0xa5, sizeof mem);
        virtq_init(&q, mem, n);
        assert_int_equal(q.size, n);
        assert_ptr_equal(q.desc, mem);
        assert_int_equal((uint8_t *)q.avail - mem, 16 * n);
        assert_int_equal((uint8_t *)q.used - mem, spec_used_offset(n));
        assert_int_equal(virtq_legacy_bytes(n), spec_used_offset(n) + 2 * 3 + 8 * n);
        /* zeroed, except the driver's request for no interrupts */
        assert_int_equal(q.avail->flags, VIRTQ_AVAIL_F_NO_INTERRUPT);
        assert_int_equal(q.avail->idx, 0);
        assert_int_equal(q.used->idx, 0);
        for (size_t b = 0; b < virtq_legacy_bytes(n); b++)
            assert_int_equal(mem[b], b == 16u * n ? VIRTQ_AVAIL_F_NO_INTERRUPT : 0);
        assert_int_equal(mem[virtq_legacy_bytes(n)], 0xa5);   /* nothing written past the end */
    }
    assert_int_equal(virtq_legacy_bytes(128), 5126);
    assert_int_equal(virtq_legacy_bytes(256), 10246);
}

static void test_offer(void **state)
{
    (void)state;
    struct virtqueue q;
    virtq_init(&q, mem, 8);
    virtq_offer(&q, 3, 0x1234000, 4096, true);
    virtq_offer(&q, 5, 0x5678000, 17, false);
    assert_int_equal(q.avail->idx, 2);
    assert_int_equal(q.avail->ring[0], 3);
    assert_int_equal(q.avail->ring[1], 5);
    assert_int_equal(q.desc[3].addr, 0x1234000);
    assert_int_equal(q.desc[3].len, 4096);
    assert_int_equal(q.desc[3].flags, VIRTQ_DESC_F_WRITE);
    assert_int_equal(q.desc[5].addr, 0x5678000);
    assert_int_equal(q.desc[5].len, 17);
    assert_int_equal(q.desc[5].flags, 0);                   /* device reads it, no chain */
    /* the ring index wraps at the queue size; idx runs on */
    for (int i = 0; i < 7; i++)
        virtq_offer(&q, (uint16_t)i, 0x1000 * (uint64_t)i, 1, false);
    assert_int_equal(q.avail->idx, 9);
    assert_int_equal(q.avail->ring[0], 6);                  /* the 9th offer, slot 8 & 7 */
    assert_int_equal(q.avail->ring[1], 5);                  /* untouched */
}

static void test_used(void **state)
{
    (void)state;
    struct virtqueue q;
    uint16_t id;
    uint32_t len;
    virtq_init(&q, mem, 4);
    assert_false(virtq_take_used(&q, &id, &len));
    /* the device returns buffers 2 then 0 */
    q.used->ring[0] = (struct virtq_used_elem){ 2, 100 };
    q.used->ring[1] = (struct virtq_used_elem){ 0, 7 };
    q.used->idx = 2;
    assert_true(virtq_take_used(&q, &id, &len));
    assert_int_equal(id, 2);
    assert_int_equal(len, 100);
    assert_true(virtq_take_used(&q, &id, &len));
    assert_int_equal(id, 0);
    assert_int_equal(len, 7);
    assert_false(virtq_take_used(&q, &id, &len));

    /* the 16-bit index wraps: 65535 -> 0 */
    virtq_init(&q, mem, 4);
    q.last_used = 0xffff;
    q.used->ring[3] = (struct virtq_used_elem){ 1, 1 };
    q.used->ring[0] = (struct virtq_used_elem){ 3, 3 };
    q.used->idx = 1;
    assert_true(virtq_take_used(&q, &id, &len));
    assert_int_equal(id, 1);
    assert_true(virtq_take_used(&q, &id, &len));
    assert_int_equal(id, 3);
    assert_false(virtq_take_used(&q, &id, &len));
}

static void test_notify_suppression(void **state)
{
    (void)state;
    struct virtqueue q;
    virtq_init(&q, mem, 4);
    assert_true(virtq_needs_notify(&q));
    q.used->flags = VIRTQ_USED_F_NO_NOTIFY;
    assert_false(virtq_needs_notify(&q));
}

/* What the receive side decides its notifications by: buffers offered and
 * not yet returned, as the used ring says, across the 16-bit wrap. */
static void test_outstanding(void **state)
{
    (void)state;
    struct virtqueue q;
    virtq_init(&q, mem, 4);
    assert_int_equal(virtq_outstanding(&q), 0);
    for (uint16_t id = 0; id < 3; id++)
        virtq_offer(&q, id, 0x1000u * id, 64, true);
    assert_int_equal(virtq_outstanding(&q), 3);
    q.used->ring[0] = (struct virtq_used_elem){ 1, 5 };
    q.used->idx = 1;
    assert_int_equal(virtq_outstanding(&q), 2);     /* taken or not, it is back */
    q.used->idx = 3;
    assert_int_equal(virtq_outstanding(&q), 0);

    virtq_init(&q, mem, 4);
    q.next_avail = 0xfffe;
    q.used->idx = 0xfffe;
    virtq_offer(&q, 0, 0x1000, 64, true);
    virtq_offer(&q, 1, 0x2000, 64, true);
    virtq_offer(&q, 2, 0x3000, 64, true);
    assert_int_equal(q.avail->idx, 1);
    assert_int_equal(virtq_outstanding(&q), 3);
    q.used->idx = 0;
    assert_int_equal(virtq_outstanding(&q), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_offer),
        cmocka_unit_test(test_used),
        cmocka_unit_test(test_notify_suppression),
        cmocka_unit_test(test_outstanding),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
