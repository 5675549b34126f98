/* seccomp-enosys.c: syscalls newer than the profile fail with ENOSYS.
 *
 * A profile written before a syscall existed denies it with its default
 * action, typically EPERM. libc then cannot tell "denied" from "not
 * implemented" and does not fall back: glibc's faccessat2 and clone3
 * wrappers retry with the old syscall only on ENOSYS, so an old profile on
 * a new libc breaks programs that worked. runc (libcontainer/seccomp/
 * patchbpf) answers every syscall numbered above the highest one the
 * profile names with ENOSYS, and engines' profiles rely on it; berth does
 * the same with a stub put in front of libseccomp's program:
 *
 *   per architecture of the profile (and the native one):
 *     ld  [arch]; jne ARCH, next section
 *     ld  [nr];   (x86_64: nr with bit 30 set is x32, compared to x32's)
 *     jgt MAX  -> ret ERRNO(ENOSYS)
 *     ja  filter
 *   filter: libseccomp's program, which loads what it needs itself.
 *
 * Not applied when the default action lets unknown syscalls through
 * anyway (ALLOW, LOG, TRACE: a tracer handles new syscalls itself) or
 * already returns ENOSYS (defaultErrnoRet 38). */
#include "seccomp-enosys.h"

#include <errno.h>
#include <stddef.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"

#define X32_SYSCALL_BIT 0x40000000u
#define NO_MAX          UINT32_MAX /* nothing is above it: the section never answers */
#define RET_ENOSYS      (SECCOMP_RET_ERRNO | ENOSYS)

/* Instructions of one section (below), the x86_64 one being the longest. */
#define SECTION_MAX 10
/* Architectures one profile can name, plus the native one. */
#define ARCH_MAX 33

struct arch_max {
    uint32_t token; /* SCMP_ARCH_*, which is the AUDIT_ARCH_* value */
    uint32_t max;   /* highest syscall number the profile names, or NO_MAX */
    uint32_t x32;   /* x86_64 only: the same for the x32 ABI, or NO_MAX */
};

bool berth_seccomp_wants_enosys(uint32_t default_action)
{
    uint32_t a = default_action & SECCOMP_RET_ACTION_FULL;

    if (a == SCMP_ACT_ALLOW || a == SCMP_ACT_LOG ||
        a == (SCMP_ACT_TRACE(0) & SECCOMP_RET_ACTION_FULL))
        return false;
    return default_action != SCMP_ACT_ERRNO(ENOSYS);
}

/* The highest number among the profile's names for arch: unknown names and
 * libseccomp's negative pseudo-syscalls do not count. */
static uint32_t highest(const oci_seccomp *s, uint32_t arch)
{
    uint32_t max = NO_MAX;

    for (size_t i = 0; i < s->syscalls_len; i++)
        for (size_t j = 0; j < s->syscalls[i].names_len; j++) {
            int nr = seccomp_syscall_resolve_name_arch(arch, s->syscalls[i].names[j]);
            if (nr < 0)
                continue;
            if (max == NO_MAX || (uint32_t)nr > max)
                max = (uint32_t)nr;
        }
    return max;
}

static bool has(const uint32_t *tokens, size_t n, uint32_t token)
{
    for (size_t i = 0; i < n; i++)
        if (tokens[i] == token)
            return true;
    return false;
}

/* One entry per audit architecture: x32 shares x86_64's (bit 30 of the
 * syscall number tells them apart). Each highest number is computed once
 * (the native architecture usually comes twice: added, and in the profile). */
static size_t collect(const oci_seccomp *s, const uint32_t *tokens, size_t ntokens,
                      struct arch_max *out)
{
    size_t n = 0;

    for (size_t i = 0; i < ntokens && n < ARCH_MAX; i++) {
        uint32_t t = tokens[i] == SCMP_ARCH_X32 ? SCMP_ARCH_X86_64 : tokens[i];
        bool seen = false;

        for (size_t k = 0; k < n; k++)
            seen |= out[k].token == t;
        if (seen)
            continue;
        out[n] = (struct arch_max){.token = t, .max = NO_MAX, .x32 = NO_MAX};
        if (has(tokens, ntokens, t))
            out[n].max = highest(s, t);
        if (t == SCMP_ARCH_X86_64 && has(tokens, ntokens, SCMP_ARCH_X32))
            out[n].x32 = highest(s, SCMP_ARCH_X32);
        n++;
    }
    return n;
}

/* Emits one section at p (room for SECTION_MAX); returns its length.
 * `to_filter` is the distance from the section's start to the filter. */
static size_t section(struct sock_filter *p, const struct arch_max *a, uint32_t to_filter)
{
    size_t n = 0;
    bool x86_64 = a->token == SCMP_ARCH_X86_64;
    /* Length of the part after the arch check, to skip it on a mismatch. */
    uint8_t body = x86_64 ? 8 : 4;

    p[n++] =
        (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
    p[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, a->token, 0, body);
    p[n++] =
        (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
    if (x86_64)
        p[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, X32_SYSCALL_BIT, 3, 0);
    p[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, a->max, 0, 1);
    p[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, RET_ENOSYS);
    p[n] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, to_filter - n - 1);
    n++;
    if (x86_64) {
        p[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, a->x32, 0, 1);
        p[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, RET_ENOSYS);
        p[n] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, to_filter - n - 1);
        n++;
    }
    return n;
}

int berth_seccomp_enosys_patch(const oci_seccomp *s, const uint32_t *archs, size_t narchs,
                               struct sock_fprog *prog, berth_error_t *err)
{
    uint32_t tokens[ARCH_MAX];
    struct arch_max a[ARCH_MAX];
    size_t ntokens = 0, n, len = 0, at = 0;
    _cleanup_free_ struct sock_filter *out = NULL;

    /* The native architecture always (runc: docker's profiles omit it on
     * some hosts), then the profile's. */
    tokens[ntokens++] = seccomp_arch_native();
    for (size_t i = 0; i < narchs && ntokens < ARCH_MAX; i++)
        tokens[ntokens++] = archs[i];
    n = collect(s, tokens, ntokens, a);
    for (size_t i = 0; i < n; i++)
        len += a[i].token == SCMP_ARCH_X86_64 ? SECTION_MAX : 6;
    if (prog->len + len > BPF_MAXINSNS)
        return berth_error_make(err, E2BIG, "seccomp: BPF program of %zu instructions",
                                prog->len + len);
    out = calloc(len + prog->len, sizeof(*out));
    if (!out)
        return berth_error_make(err, ENOMEM, "seccomp: ENOSYS stub");
    for (size_t i = 0; i < n; i++) {
        size_t rest = len - at;
        at += section(out + at, &a[i], (uint32_t)rest);
    }
    memcpy(out + len, prog->filter, prog->len * sizeof(*out));
    free(prog->filter);
    prog->filter = TAKE_PTR(out);
    prog->len += len;
    return 0;
}
