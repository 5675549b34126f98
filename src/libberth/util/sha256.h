/* sha256.h: SHA-256 (FIPS 180-4), for content keys and checksums of files
 * berth writes itself (the seccomp program cache). Not for secrets: no
 * constant-time claims are made. */
#ifndef BERTH_UTIL_SHA256_H
#define BERTH_UTIL_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define BERTH_SHA256_LEN 32

struct berth_sha256 {
    uint32_t h[8];
    uint64_t len; /* bytes hashed so far */
    uint8_t buf[64];
    size_t used;
};

void berth_sha256_init(struct berth_sha256 *c);
void berth_sha256_update(struct berth_sha256 *c, const void *data, size_t n);
void berth_sha256_final(struct berth_sha256 *c, uint8_t out[BERTH_SHA256_LEN]);
/* One call for one buffer. */
void berth_sha256(const void *data, size_t n, uint8_t out[BERTH_SHA256_LEN]);
/* out gets 2 * BERTH_SHA256_LEN hex digits and a NUL. */
void berth_sha256_hex(const uint8_t d[BERTH_SHA256_LEN], char out[2 * BERTH_SHA256_LEN + 1]);

#endif
