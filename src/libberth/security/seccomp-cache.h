/* seccomp-cache.h: compiled seccomp programs kept on disk, so that a
 * profile is compiled once and not once per container and per exec (why
 * and how it is made safe: seccomp-cache.c). Internal to security/. */
#ifndef BERTH_SECCOMP_CACHE_H
#define BERTH_SECCOMP_CACHE_H

#include <linux/filter.h>
#include <stdint.h>

#include "util/error.h"
#include "util/sha256.h"
#include "oci-types.h"

/* The key of a profile's program: SHA-256 over a format tag, the build ids
 * of every object loaded in this process (berth, and libseccomp when it is
 * a shared library), libseccomp's version and the profile as the model
 * emits it. A new berth or libseccomp build gives new keys, so an entry
 * written by another build is never looked up. */
int berth_seccomp_key(const oci_seccomp *s, uint8_t key[BERTH_SHA256_LEN], berth_error_t *err);

/* Reads dirfd/name and returns its program in *prog (owned by the caller)
 * if, and only if, every check holds: a regular file (no symlink, fifo or
 * device), owned by this euid and writable by nobody else, of the exact
 * size its header gives, written for `key`, whose instructions match the
 * checksum of the header. -ENOENT: no entry; -EBADMSG: an entry that was
 * refused, *why says which check failed. */
int berth_seccomp_entry_read(int dirfd, const char *name, const uint8_t key[BERTH_SHA256_LEN],
                             struct sock_fprog *prog, const char **why);

/* Writes prog as dirfd/name (a temporary file renamed into place, so a
 * reader never sees half an entry), mode 0600. */
int berth_seccomp_entry_write(int dirfd, const char *name, const uint8_t key[BERTH_SHA256_LEN],
                              const struct sock_fprog *prog, berth_error_t *err);

/* Keeps the cache below BERTH_SECCOMP_CACHE_MAX entries: removes the least
 * recently linked ones (st_ctime: every container that uses an entry links
 * it) and temporary files of writers that died. Best effort. */
void berth_seccomp_cache_trim(int dirfd);

#define BERTH_SECCOMP_CACHE_MAX 64

#endif
