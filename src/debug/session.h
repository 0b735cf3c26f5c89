/* The debug session: one RSP stub on the debug link, driven by whichever
 * CPU is in the monitor and gets the lock first. */
#ifndef HUSK_DEBUG_SESSION_H
#define HUSK_DEBUG_SESSION_H

#include "stub/stub.h"

struct vcpu;

extern struct stub dbg_stub;

/* guest_held: the guest starts stopped (husk.wait) rather than running. */
void session_init(bool guest_held);
/* Drains the link into the stub and sends a ready stop reply; a CPU that
 * finds another one doing it returns at once. */
void session_drive(struct vcpu *v);
/* The thread registers and memory default to: the stub's Hg choice or the
 * CPU of the last stop. */
int session_current_thread(void);
/* The client detached: the next packet starts a new session. */
void session_detached(void);

#endif
