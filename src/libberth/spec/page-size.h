/* page-size.h: the page sizes of linux.resources.hugepageLimits
 * (config-linux.md "Huge page limits": "<size><unit-prefix>B" with base-1024
 * prefixes, 64KB, 2MB, 1GB), read by validation and by the cgroup writers
 * that name hugetlb.<size>.* files. */
#ifndef BERTH_PAGE_SIZE_H
#define BERTH_PAGE_SIZE_H

#include <stdint.h>

/* 0 and the size in KiB, or -EINVAL. */
int berth_page_size_kb(const char *s, uint64_t *ret_kb);

#endif
