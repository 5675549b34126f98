/* copy-tree.h: recursive copy of a directory's content between two open
 * directories, for the `tmpcopyup` mount option (config.md "Linux mount
 * options": copy up the contents to a tmpfs). Never follows symlinks: links
 * are copied as links, so a rootfs cannot make us read host files. */
#ifndef BERTH_COPY_TREE_H
#define BERTH_COPY_TREE_H

#include "error.h"

/* Copies everything inside directory `src` (any fd of it, O_PATH allowed)
 * into directory `dst`: directories, regular files, symlinks, fifos and
 * device nodes, with their mode and owner. */
int berth_copy_tree(int src, int dst, berth_error_t *err);

#endif
