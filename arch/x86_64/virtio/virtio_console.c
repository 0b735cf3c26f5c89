/* Why the legacy interface of a transitional device rather than the modern
 * capability-based one: the monitor hides its debug link from the guest,
 * and an I/O BAR is hidden by the I/O permission map exactly as COM2 is, on
 * real AMD hardware and under TCG alike. The modern interface lives in a
 * memory BAR that the nested page tables map 1:1 with the rest of the PCI
 * hole (2 MiB pages); hiding it would mean splitting those pages around a
 * BAR the firmware may place anywhere, and a 64-bit BAR may even sit above
 * the 4 GiB the monitor maps. QEMU's virtio-serial-pci on a PCI (not PCIe)
 * bus is transitional by default, so the legacy header is there; the memory
 * BARs are switched off (pci_guest_hide clears Memory Space Enable).
 *
 * Waking: receiveq's MSI-X vector is an NMI (pci_msix.h). While the machine
 * is stopped it goes to the CPU serving the link, which halts instead of
 * polling (a polling vCPU takes a whole host CPU under an emulator, from
 * the client it is waiting for); while the guest runs, to a CPU that runs
 * it, which the NMI intercept makes leave the guest and poll, so a Ctrl-C
 * is seen at once even when the guest never exits.
 *
 * Buffers: RX_BUFS device-writable buffers sit on receiveq all the time;
 * transmitq gets one buffer per flush, so a whole RSP reply leaves in one
 * descriptor and one notification (5.3.6: "the driver ... places outgoing
 * characters in the transmitq"). Everything lives in the monitor's bss,
 * i.e. in the monitor region the guest cannot reach. */
#include "virtio_console.h"

#include "cpu.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "log.h"
#include "pci.h"
#include "pci_guest.h"
#include "pci_msix.h"
#include "percpu.h"
#include "spinlock.h"
#include "virtio_pci_legacy.h"
#include "virtqueue.h"

#define VIRTIO_ID_CONSOLE 3                 /* 5: device ID of a console */
#define QUEUE_RX          0                 /* 5.3.2: receiveq(port0) */
#define QUEUE_TX          1                 /* transmitq(port0) */
#define QUEUE_MEM         (16 * 1024)       /* legacy layout of up to 256 entries */

#define RX_BUFS      8
#define RX_BUF_SIZE  4096
#define RX_LOW_WATER (RX_BUFS / 2)          /* notify when the device holds fewer */
#define TX_BUFS      4
#define TX_BUF_SIZE  (33 * 1024)            /* the stub's largest packet, 32 KiB + 8, in one */
#define TX_STUCK_US  2000000                /* a reader that takes nothing for 2 s: drop */
#define RX_VECTOR    0                      /* MSI-X table entry of receiveq */

static uint8_t rx_queue_mem[QUEUE_MEM] __attribute__((aligned(VIRTQ_LEGACY_ALIGN)));
static uint8_t tx_queue_mem[QUEUE_MEM] __attribute__((aligned(VIRTQ_LEGACY_ALIGN)));
static uint8_t rx_buf[RX_BUFS][RX_BUF_SIZE] __attribute__((aligned(64)));
static uint8_t tx_buf[TX_BUFS][TX_BUF_SIZE] __attribute__((aligned(64)));

enum tx_state { TX_FREE, TX_FILLING, TX_IN_FLIGHT };

static struct {
    struct pci_addr pci;
    uint16_t io;                            /* BAR0 */
    struct virtqueue rx, tx;
    unsigned rx_count;                      /* buffers on receiveq */
    /* the received buffer being handed out */
    bool rx_holding;
    uint16_t rx_id;
    uint32_t rx_len, rx_off;
    /* transmit buffers */
    enum tx_state tx_state[TX_BUFS];
    int tx_filling;                         /* index, or -1 */
    uint32_t tx_fill[TX_BUFS];
    /* waking the CPU that serves the link */
    struct msix msix;
    bool wakes;                             /* receiveq's vector is set */
    char description[128];
} con;

static struct spinlock tx_lock;

static uint64_t phys(const void *p)
{
    return (uint64_t)(uintptr_t)p;         /* the monitor is identity-mapped */
}

static void reg_out8(uint16_t reg, uint8_t v) { outb(con.io + reg, v); }
static void reg_out16(uint16_t reg, uint16_t v) { outw(con.io + reg, v); }
static void reg_out32(uint16_t reg, uint32_t v) { outl(con.io + reg, v); }
static uint8_t reg_in8(uint16_t reg) { return inb(con.io + reg); }
static uint16_t reg_in16(uint16_t reg) { return inw(con.io + reg); }

static void notify(uint16_t queue)
{
    reg_out16(VIRTIO_LEGACY_REG(queue_notify), queue);
}

/* ---- receive ---- */

static void rx_offer(uint16_t id)
{
    virtq_offer(&con.rx, id, phys(rx_buf[id]), RX_BUF_SIZE, true);
}

static size_t console_read(uint8_t *buf, size_t max)
{
    size_t n = 0;
    uint16_t reoffered = 0;
    while (n < max) {
        if (!con.rx_holding) {
            uint32_t len;
            if (!virtq_take_used(&con.rx, &con.rx_id, &len))
                break;
            if (con.rx_id >= con.rx_count)
                continue;                   /* not a buffer we offered: ignore it */
            con.rx_len = len < RX_BUF_SIZE ? len : RX_BUF_SIZE;
            con.rx_off = 0;
            con.rx_holding = true;
        }
        size_t take = con.rx_len - con.rx_off;
        if (take > max - n)
            take = max - n;
        memcpy(buf + n, rx_buf[con.rx_id] + con.rx_off, take);
        n += take;
        con.rx_off += (uint32_t)take;
        if (con.rx_off == con.rx_len) {
            con.rx_holding = false;
            rx_offer(con.rx_id);
            reoffered++;
        }
    }
    /* A device that still holds buffers finds the new ones by itself: QEMU
     * reads receiveq's available ring (2.6.6) whenever it has bytes for us,
     * and only stops reading the socket once it found the ring empty, until
     * a notification (4.1.4.8: Queue Notify) restarts it. So notify only when
     * the device was down to a few buffers besides the ones just offered.
     * Safe: a device that ran dry had returned every older buffer by the
     * time it looked, so it holds none of them now, and this notifies. Each
     * notification is an exit to QEMU and a wake-up of its main loop, in
     * the path of every request. */
    if (reoffered && (uint16_t)(virtq_outstanding(&con.rx) - reoffered) < RX_LOW_WATER &&
        virtq_needs_notify(&con.rx))
        notify(QUEUE_RX);
    return n;
}

/* ---- transmit ---- */

/* Four words a step through general registers. Under QEMU TCG, where the
 * monitor mostly runs, REP MOVS moves one element per pass through its
 * translated block, and a 16 KiB reply was copied at 20 ns per word. */
static void copy_to_tx(uint8_t *dst, const uint8_t *src, size_t n)
{
    for (; n >= 32; n -= 32, src += 32, dst += 32) {
        uint64_t a, b, c, d;
        __builtin_memcpy(&a, src, 8);
        __builtin_memcpy(&b, src + 8, 8);
        __builtin_memcpy(&c, src + 16, 8);
        __builtin_memcpy(&d, src + 24, 8);
        __builtin_memcpy(dst, &a, 8);
        __builtin_memcpy(dst + 8, &b, 8);
        __builtin_memcpy(dst + 16, &c, 8);
        __builtin_memcpy(dst + 24, &d, 8);
    }
    memcpy(dst, src, n);
}

static void tx_reclaim(void)
{
    uint16_t id;
    uint32_t len;
    while (virtq_take_used(&con.tx, &id, &len))
        if (id < TX_BUFS && con.tx_state[id] == TX_IN_FLIGHT)
            con.tx_state[id] = TX_FREE;
}

static void tx_submit(void)
{
    int i = con.tx_filling;
    if (i < 0)
        return;
    con.tx_filling = -1;
    if (con.tx_fill[i] == 0) {
        con.tx_state[i] = TX_FREE;
        return;
    }
    con.tx_state[i] = TX_IN_FLIGHT;
    virtq_offer(&con.tx, (uint16_t)i, phys(tx_buf[i]), con.tx_fill[i], false);
    if (virtq_needs_notify(&con.tx))
        notify(QUEUE_TX);
}

/* A buffer to fill: the one being filled, else a free one, waiting for the
 * device to give one back if all are in flight. -1 when it never does. */
static int tx_buffer(void)
{
    if (con.tx_filling >= 0)
        return con.tx_filling;
    uint64_t start = 0;
    for (;;) {
        tx_reclaim();
        for (int i = 0; i < TX_BUFS; i++)
            if (con.tx_state[i] == TX_FREE) {
                con.tx_state[i] = TX_FILLING;
                con.tx_fill[i] = 0;
                con.tx_filling = i;
                return i;
            }
        uint64_t now = arch_time_us();
        if (!start)
            start = now;
        else if (now - start > TX_STUCK_US)
            return -1;
        cpu_relax();
    }
}

static size_t console_write(const uint8_t *buf, size_t n)
{
    size_t done = 0;
    spin_lock(&tx_lock);
    while (done < n) {
        int i = tx_buffer();
        if (i < 0)
            break;
        size_t room = TX_BUF_SIZE - con.tx_fill[i];
        size_t take = n - done < room ? n - done : room;
        copy_to_tx(tx_buf[i] + con.tx_fill[i], buf + done, take);
        con.tx_fill[i] += (uint32_t)take;
        done += take;
        if (con.tx_fill[i] == TX_BUF_SIZE)
            tx_submit();
    }
    spin_unlock(&tx_lock);
    return done;
}

static void console_flush(void)
{
    spin_lock(&tx_lock);
    tx_submit();
    tx_reclaim();
    spin_unlock(&tx_lock);
}

static const char *console_describe(void)
{
    return con.description;
}

/* ---- waking the CPU that waits for input ---- */

static bool console_wake_route(unsigned cpu)
{
    if (!con.wakes || cpu >= MAX_CPUS)
        return false;
    msix_route_nmi(&con.msix, RX_VECTOR, percpus[cpu].apic_id);
    return true;
}

static bool console_wake_arm(void)
{
    if (!con.wakes)
        return false;
    console_wake_route(this_cpu()->index);
    /* input that came before the route changed is in the used ring; after
     * it, it interrupts this CPU */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return !con.rx_holding && !virtq_has_used(&con.rx);
}

static const struct arch_link virtio_link = {
    .name = "virtio-console",
    .read = console_read,
    .write = console_write,
    .flush = console_flush,
    .describe = console_describe,
    .wake_arm = console_wake_arm,
    .wake_route = console_wake_route,
    .wake_spin_us = 50,
};

/* ---- bring-up ---- */

static bool is_console(struct pci_addr a, uint16_t vendor, uint16_t device, void *ctx)
{
    (void)ctx;
    return vendor == VIRTIO_PCI_VENDOR && device >= VIRTIO_PCI_TRANSITIONAL_FIRST &&
           device <= VIRTIO_PCI_TRANSITIONAL_LAST && pci_read16(a, PCI_SUBSYSTEM_ID) == VIRTIO_ID_CONSOLE;
}

static bool setup_queue(uint16_t index, struct virtqueue *q, uint8_t *mem)
{
    reg_out16(VIRTIO_LEGACY_REG(queue_select), index);
    uint16_t size = reg_in16(VIRTIO_LEGACY_REG(queue_size));
    /* a legacy device fixes the size; it must be a power of two (2.6) */
    if (size == 0 || (size & (size - 1)) || virtq_legacy_bytes(size) > QUEUE_MEM)
        return false;
    virtq_init(q, mem, size);
    reg_out32(VIRTIO_LEGACY_REG(queue_address), (uint32_t)(phys(mem) / VIRTQ_LEGACY_ALIGN));
    return true;
}

static bool fail(const char *why)
{
    reg_out8(VIRTIO_LEGACY_REG(device_status), VIRTIO_STATUS_FAILED);
    log_console("virtio console at %02x:%02x.%x: %s; using COM2", con.pci.bus, con.pci.dev, con.pci.fn, why);
    return false;
}

/* receiveq's MSI-X vector: with MSI-X enabled first (4.1.4.8), the queue
 * vector register takes a table entry; a device that cannot use it reads
 * back VIRTIO_MSI_NO_VECTOR (4.1.5.1.2). Configuration changes get none. */
static bool setup_wake(void)
{
    if (!msix_init(&con.msix, con.pci))
        return false;
    reg_out16(VIRTIO_LEGACY_MSIX_CONFIG_VECTOR, VIRTIO_MSI_NO_VECTOR);
    reg_out16(VIRTIO_LEGACY_REG(queue_select), QUEUE_RX);
    reg_out16(VIRTIO_LEGACY_MSIX_QUEUE_VECTOR, RX_VECTOR);
    if (reg_in16(VIRTIO_LEGACY_MSIX_QUEUE_VECTOR) != RX_VECTOR)
        return false;
    reg_out16(VIRTIO_LEGACY_REG(queue_select), QUEUE_TX);
    reg_out16(VIRTIO_LEGACY_MSIX_QUEUE_VECTOR, VIRTIO_MSI_NO_VECTOR);
    /* to the boot CPU (this one) until the debugger routes it; receiveq's
     * interrupts stay on from now on */
    msix_route_nmi(&con.msix, RX_VECTOR, this_cpu()->apic_id);
    virtq_enable_interrupts(&con.rx);
    return true;
}

/* 3.1.2 Legacy Interface: Device Initialization */
static bool bring_up(void)
{
    reg_out8(VIRTIO_LEGACY_REG(device_status), 0);                  /* reset */
    reg_out8(VIRTIO_LEGACY_REG(device_status), VIRTIO_STATUS_ACKNOWLEDGE);
    reg_out8(VIRTIO_LEGACY_REG(device_status), VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    /* no feature: one port (no MULTIPORT), no size, no emergency write */
    (void)inl(con.io + VIRTIO_LEGACY_REG(device_features));
    reg_out32(VIRTIO_LEGACY_REG(driver_features), 0);
    if (!setup_queue(QUEUE_RX, &con.rx, rx_queue_mem) || !setup_queue(QUEUE_TX, &con.tx, tx_queue_mem))
        return fail("unusable queue size");
    con.wakes = setup_wake();
    con.rx_count = RX_BUFS < con.rx.size ? RX_BUFS : con.rx.size;
    for (uint16_t id = 0; id < con.rx_count; id++)
        rx_offer(id);
    con.tx_filling = -1;
    reg_out8(VIRTIO_LEGACY_REG(device_status),
             VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_DRIVER_OK);
    if (reg_in8(VIRTIO_LEGACY_REG(device_status)) & (VIRTIO_STATUS_NEEDS_RESET | VIRTIO_STATUS_FAILED))
        return fail("device refused the driver");
    /* 5.3.6.1: buffers are on receiveq before DRIVER_OK's notification */
    notify(QUEUE_RX);
    return true;
}

const struct arch_link *virtio_console_init(void)
{
    if (!pci_scan(is_console, 0, &con.pci))
        return 0;
    uint32_t bar0 = pci_read32(con.pci, PCI_BAR0);
    if (!(bar0 & PCI_BAR_IO)) {
        log_console("virtio console at %02x:%02x.%x has no legacy I/O BAR (modern only); using COM2",
                    con.pci.bus, con.pci.dev, con.pci.fn);
        return 0;
    }
    con.io = (uint16_t)(bar0 & PCI_BAR_IO_MASK);
    if (!pci_guest_hide(con.pci)) {
        log_console("cannot hide the virtio console from the guest; using COM2");
        return 0;
    }
    /* I/O decoding and bus mastering (the device reads and writes our
     * rings); memory decoding stays off; INTx off: nothing is polled by
     * interrupt, and the line may be shared with a guest device (PCI 3.0,
     * 6.2.2, Command register bit 10) */
    uint16_t command = pci_read16(con.pci, PCI_COMMAND) & (uint16_t)~PCI_COMMAND_MEMORY;
    pci_write16(con.pci, PCI_COMMAND,
                command | PCI_COMMAND_IO | PCI_COMMAND_BUS_MASTER | PCI_COMMAND_INTX_DISABLE);
    if (!bring_up())
        return 0;
    snprintf(con.description, sizeof con.description,
             "virtio console, pci %02x:%02x.%x, legacy io 0x%x, queues %u/%u entries, %s", con.pci.bus,
             con.pci.dev, con.pci.fn, con.io, con.rx.size, con.tx.size,
             con.wakes ? "wakes its CPU by MSI-X NMI" : "polled");
    return &virtio_link;
}
