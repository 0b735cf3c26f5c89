/* tests/stub-demo/demo_ops.h - the demo machine as a stub target. */
#ifndef DEMO_OPS_H
#define DEMO_OPS_H

#include "demo_machine.h"
#include "stub/stub.h"

extern const struct target_ops demo_target_ops;

#endif
