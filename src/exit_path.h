/* EXIT_PATH marks the code every guest exit runs: the loop around VMRUN,
 * the dispatch, the EOI store's emulation, the per-exit debugger checks.
 * GCC puts `hot` functions in .text.hot, which arch/x86_64/linker.ld
 * places first, so the path spans a page or two of code: under an emulator
 * that empties its TLB at every world switch, each page the monitor
 * touches is a TLB refill on every exit (docs/benchmarks.md, "What an exit
 * costs"). */
#ifndef HUSK_EXIT_PATH_H
#define HUSK_EXIT_PATH_H

#define EXIT_PATH __attribute__((hot))

#endif
