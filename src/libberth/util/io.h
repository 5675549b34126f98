/* io.h: small fd helpers: writing a whole buffer, telling whether two fds
 * are the same file. */
#ifndef BERTH_IO_H
#define BERTH_IO_H

#include <stdbool.h>
#include <stddef.h>

/* Writes all len bytes (retrying short writes and EINTR); 0 or -errno. */
int berth_write_all(int fd, const void *buf, size_t len);

/* True when fds a and b refer to the same file (device and inode); false
 * also when either cannot be stat'ed. */
bool berth_fd_same_file(int a, int b);

#endif
