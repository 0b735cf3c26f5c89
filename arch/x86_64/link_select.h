/* Chooses the debug link's transport at boot: the virtio console when the
 * machine has one, else COM2 when it answers, else none. */
#ifndef HUSK_X86_LINK_SELECT_H
#define HUSK_X86_LINK_SELECT_H

#include <stdbool.h>

void link_select(bool com2_present);

#endif
