/* pid-file.h: the --pid-file of create, run, exec and restore. */
#ifndef BERTH_PID_FILE_H
#define BERTH_PID_FILE_H

#include <sys/types.h>

#include "error.h"

/* Writes pid to path atomically (temp file in the same directory + rename),
 * so a reader (containerd, conmon) never sees a partial pid. */
int berth_pid_file_write(const char *path, pid_t pid, berth_error_t *err);

#endif
