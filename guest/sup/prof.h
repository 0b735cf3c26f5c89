/* The per-shard profiling table printed at the end of the run. One line per
 * shard, all starting `profile:`; scripts/prof-report parses it by the
 * column names of its header line. */
#ifndef SUP_PROF_H
#define SUP_PROF_H

void prof_print_table(void);

#endif
