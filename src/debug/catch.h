/* Catchpoints (`monitor catch`) and the exception history behind
 * `monitor why`. */
#ifndef HUSK_DEBUG_CATCH_H
#define HUSK_DEBUG_CATCH_H

#include <stdint.h>

#include "catch_spec.h"
#include "stub/stub.h"

struct vcpu;

uint32_t catch_mask(void);
void catch_set(uint32_t mask);
/* Prints the exceptions v took most recently, oldest first. */
void catch_print_history(struct stub *s, struct vcpu *v);

#endif
