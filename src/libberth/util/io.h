/* io.h: writing a whole buffer to an fd. */
#ifndef BERTH_IO_H
#define BERTH_IO_H

#include <stddef.h>

/* Writes all len bytes (retrying short writes and EINTR); 0 or -errno. */
int berth_write_all(int fd, const void *buf, size_t len);

#endif
