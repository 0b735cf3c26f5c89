/* The legacy virtio PCI interface (virtio 1.1, 4.1.4.8 "Legacy Interfaces:
 * A Note on PCI Device Layout"): a header of registers at the start of
 * I/O BAR0, followed by the device-specific configuration. */
#ifndef HUSK_X86_VIRTIO_PCI_LEGACY_H
#define HUSK_X86_VIRTIO_PCI_LEGACY_H

#include <stddef.h>
#include <stdint.h>

#define VIRTIO_PCI_VENDOR 0x1af4
/* 4.1.2.3: transitional devices have IDs 0x1000-0x103f and give the virtio
 * device ID in the PCI subsystem device ID */
#define VIRTIO_PCI_TRANSITIONAL_FIRST 0x1000
#define VIRTIO_PCI_TRANSITIONAL_LAST  0x103f

/* The header, laid out as the port offsets from BAR0 (read and written one
 * register at a time with IN/OUT; never accessed through this struct). */
struct virtio_legacy_header {
    uint32_t device_features;   /* R  */
    uint32_t driver_features;   /* RW */
    uint32_t queue_address;     /* RW: physical page number (4096-byte) of the selected queue */
    uint16_t queue_size;        /* R  */
    uint16_t queue_select;      /* RW */
    uint16_t queue_notify;      /* RW: a queue index */
    uint8_t device_status;      /* RW; writing 0 resets the device */
    uint8_t isr_status;         /* R, clears on read */
    /* device-specific configuration follows while MSI-X is disabled */
} __attribute__((packed));
_Static_assert(offsetof(struct virtio_legacy_header, queue_address) == 0x08, "legacy queue_address");
_Static_assert(offsetof(struct virtio_legacy_header, queue_size) == 0x0c, "legacy queue_size");
_Static_assert(offsetof(struct virtio_legacy_header, queue_notify) == 0x10, "legacy queue_notify");
_Static_assert(offsetof(struct virtio_legacy_header, device_status) == 0x12, "legacy device_status");
_Static_assert(sizeof(struct virtio_legacy_header) == 0x14, "legacy header is 20 bytes");

#define VIRTIO_LEGACY_REG(field) ((uint16_t)offsetof(struct virtio_legacy_header, field))

/* With MSI-X enabled the header grows by two registers, which name the
 * MSI-X table entry of configuration changes and of the selected queue
 * (4.1.4.8); the device-specific configuration moves to 0x18. */
#define VIRTIO_LEGACY_MSIX_CONFIG_VECTOR 0x14
#define VIRTIO_LEGACY_MSIX_QUEUE_VECTOR  0x16
#define VIRTIO_MSI_NO_VECTOR             0xffff

/* 2.1 Device Status Field (FEATURES_OK does not exist for legacy devices) */
#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER      2
#define VIRTIO_STATUS_DRIVER_OK   4
#define VIRTIO_STATUS_NEEDS_RESET 64
#define VIRTIO_STATUS_FAILED      128

#endif
