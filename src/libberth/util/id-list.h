/* id-list.h: cpuset(7) "list format" ("0-3,7"): comma-separated numbers or
 * ascending ranges. The one parser of cpus, mems, process.execCPUAffinity
 * and linux.memoryPolicy.nodes, for validation and for the bit masks
 * handed to sched_setaffinity(2) and set_mempolicy(2). */
#ifndef BERTH_ID_LIST_H
#define BERTH_ID_LIST_H

#include <limits.h>
#include <stddef.h>

#define BERTH_MASK_WORDS(nbits)                                                                    \
    (((nbits) + sizeof(unsigned long) * CHAR_BIT - 1) / (sizeof(unsigned long) * CHAR_BIT))

/* Parses list; with mask, sets bit N of mask (nbits bits, already zeroed by
 * the caller) for each id N. Returns 0, -EINVAL for a malformed list
 * (empty, a descending range, not digits), -ERANGE for an id >= nbits
 * (with mask) or above 10^9 (without). *ret_bad, when not NULL, is set to
 * the offending id for -ERANGE. */
int berth_id_list_parse(const char *list, unsigned long *mask, size_t nbits,
                        unsigned long *ret_bad);

#endif
