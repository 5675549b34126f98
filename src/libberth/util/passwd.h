/* passwd.h: a uid's entry in a passwd(5) file, read directly.
 *
 * Why not getpwuid(3): inside the container only the container's
 * /etc/passwd may be read (NSS modules would be the host's), and on the host
 * glibc's NSS costs a dozen syscalls and cannot be used by a static binary.
 * berth needs two fields: the name (`list`'s OWNER) and the home directory
 * (HOME of the process, as runc). */
#ifndef BERTH_PASSWD_H
#define BERTH_PASSWD_H

#include <sys/types.h>

/* Looks uid up in the passwd file at path. Returns 1 and sets *ret_name and
 * *ret_home (malloc'd; either may be NULL when not wanted) when found, 0
 * when not (or the file is unreadable), -ENOMEM. */
int berth_passwd_lookup(const char *path, uid_t uid, char **ret_name, char **ret_home);

#endif
