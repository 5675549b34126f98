/* passwd.c: see passwd.h. */
#include "passwd.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"

/* name:password:uid:gid:gecos:home:shell; NULL fields when malformed. */
static int split(char *line, char *fields[7])
{
    char *s = line;
    int n = 0;

    line[strcspn(line, "\n")] = '\0';
    for (char *tok = strsep(&s, ":"); tok && n < 7; tok = strsep(&s, ":"))
        fields[n++] = tok;
    return n;
}

static bool uid_is(const char *field, uid_t uid)
{
    char *end;
    unsigned long v;

    if (!field[0])
        return false;
    errno = 0;
    v = strtoul(field, &end, 10);
    return !*end && errno == 0 && v == uid;
}

int berth_passwd_lookup(const char *path, uid_t uid, char **ret_name, char **ret_home)
{
    _cleanup_fclose_ FILE *f = fopen(path, "re");
    char line[1024];

    while (f && fgets(line, sizeof(line), f)) {
        char *fields[7] = {0};

        if (split(line, fields) < 6 || !uid_is(fields[2], uid))
            continue;
        if (ret_name && !(*ret_name = strdup(fields[0])))
            return -ENOMEM;
        if (ret_home && !(*ret_home = strdup(fields[5]))) {
            if (ret_name)
                free(*ret_name);
            return -ENOMEM;
        }
        return 1;
    }
    return 0;
}
