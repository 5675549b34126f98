/* version.h: `berth --version`. */
#ifndef BERTH_VERSION_H
#define BERTH_VERSION_H

#include <stdio.h>

void berth_print_version(FILE *out);

#endif
