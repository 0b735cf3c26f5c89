#include "link_select.h"

#include "link_uart.h"
#include "log.h"
#include "virtio/virtio_console.h"

static const struct arch_link *chosen;

void link_select(bool com2_present)
{
    const struct arch_link *l = virtio_console_init();
    if (!l && com2_present)
        l = link_uart();
    chosen = l;
    if (l)
        log_console("debug link: %s", l->describe());
    else
        log_console("debug link: none (no virtio console, no COM2)");
}

const struct arch_link *arch_link(void)
{
    return chosen;
}
