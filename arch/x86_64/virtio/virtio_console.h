/* The debug link over a virtio console (virtio 1.1, 5.3): port 0 only, no
 * features negotiated, so the device has exactly two queues, receiveq(port0)
 * and transmitq(port0) (5.3.2), and no control queue. Driven through the
 * legacy interface of a transitional virtio-pci device, polled. */
#ifndef HUSK_X86_VIRTIO_CONSOLE_H
#define HUSK_X86_VIRTIO_CONSOLE_H

#include <stdbool.h>

#include "arch.h"

/* Finds the first virtio console on PCI, hides it from the guest and brings
 * it up; NULL (and nothing touched) when there is none or it fails. */
const struct arch_link *virtio_console_init(void);

#endif
