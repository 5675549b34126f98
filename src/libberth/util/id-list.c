/* id-list.c: cpuset(7) list format (id-list.h). */
#include "id-list.h"

#include <errno.h>

#define ID_MAX    1000000000UL /* ids of any list; far above any kernel's CPUs or nodes */
#define WORD_BITS (sizeof(unsigned long) * CHAR_BIT)

static const char *parse_id(const char *s, unsigned long *ret)
{
    unsigned long n = 0;

    if (*s < '0' || *s > '9')
        return NULL;
    for (; *s >= '0' && *s <= '9'; s++) {
        n = n * 10 + (unsigned long)(*s - '0');
        if (n > ID_MAX)
            return NULL;
    }
    *ret = n;
    return s;
}

int berth_id_list_parse(const char *list, unsigned long *mask, size_t nbits, unsigned long *ret_bad)
{
    const char *s = list;

    if (!s || !*s)
        return -EINVAL;
    for (;;) {
        unsigned long lo, hi;
        const char *end = parse_id(s, &lo);

        if (!end)
            return *s >= '0' && *s <= '9' ? -ERANGE : -EINVAL;
        hi = lo;
        if (*end == '-') {
            s = end + 1;
            end = parse_id(s, &hi);
            if (!end)
                return *s >= '0' && *s <= '9' ? -ERANGE : -EINVAL;
            if (hi < lo)
                return -EINVAL;
        }
        if (mask) {
            if (hi >= nbits) {
                if (ret_bad)
                    *ret_bad = hi;
                return -ERANGE;
            }
            for (unsigned long id = lo; id <= hi; id++)
                mask[id / WORD_BITS] |= 1UL << (id % WORD_BITS);
        }
        if (*end == '\0')
            return 0;
        if (*end != ',')
            return -EINVAL;
        s = end + 1;
    }
}
