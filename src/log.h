/* The monitor's log. Every line goes to a ring buffer in memory (read later
 * by the debugger's `monitor log`); lines that matter to a person watching
 * the console (boot, faults, health, stats) also go to COM1. Every console
 * line starts with "husk: " so tests tell monitor lines from guest lines. */
#ifndef HUSK_LOG_H
#define HUSK_LOG_H

#include <stddef.h>

#define LOG_RING_SIZE (64 * 1024)

/* To the ring only. */
void log_ring(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* To the ring and to the console. */
void log_console(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Copies up to len bytes of the ring, oldest first; returns the count. */
size_t log_read(char *buf, size_t len);

#endif
