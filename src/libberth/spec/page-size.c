/* page-size.c: see page-size.h. */
#include "page-size.h"

#include <errno.h>
#include <stddef.h>

int berth_page_size_kb(const char *s, uint64_t *ret_kb)
{
    uint64_t n = 0, mult;
    const char *c = s;

    if (!s || *s < '1' || *s > '9')
        return -EINVAL;
    for (; *c >= '0' && *c <= '9'; c++) {
        if (n > 1000000000ULL)
            return -EINVAL;
        n = n * 10 + (uint64_t)(*c - '0');
    }
    if (c[0] == 'K')
        mult = 1;
    else if (c[0] == 'M')
        mult = 1024;
    else if (c[0] == 'G')
        mult = 1024 * 1024;
    else
        return -EINVAL;
    if (c[1] != 'B' || c[2] != '\0')
        return -EINVAL;
    *ret_kb = n * mult;
    return 0;
}
