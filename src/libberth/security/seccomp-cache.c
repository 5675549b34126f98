/* seccomp-cache.c: compiled seccomp programs on disk.
 *
 * libseccomp needs ~10-17 ms of CPU for an engine's default profile (~400
 * names on three architectures), more than the rest of `berth run`. The
 * program depends only on the profile and on the code that compiles it, so
 * it is compiled once: create keeps it in the container's state dir
 * (exec loads it from there) and in a cache of the state root shared by
 * all containers with the same profile (berth-seccomp.h has the places).
 *
 * An entry can never weaken a filter:
 * - its name is the key of the profile AND of the build (berth_seccomp_key):
 *   an entry of another berth or libseccomp is never looked up, so none is
 *   ever stale;
 * - it is used only when it is a regular file (no symlink, fifo, device),
 *   owned by the euid and writable by nobody else, in a directory with the
 *   same rules (state.c); whoever could still change it owns the state root
 *   and could as well replace the berth binary;
 * - its header repeats the key (a file copied under another name is
 *   refused) and carries the SHA-256 of the instructions (a truncated or
 *   corrupt file is refused);
 * - the kernel checks the program again when it is loaded.
 * Any refusal is not an error: berth compiles the profile as if there were
 * no cache and replaces the entry. */
#include "seccomp-cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/io.h"

#define MAGIC         "BERTHBPF"
#define ENTRY_VERSION 1U

struct entry_header {
    char magic[8];
    uint32_t version;
    uint32_t len; /* instructions */
    uint8_t key[BERTH_SHA256_LEN];
    uint8_t sum[BERTH_SHA256_LEN]; /* of the instructions */
};

/* ---- the key ------------------------------------------------------------- */

/* Hashes the GNU build id note of every loaded object. */
static int hash_build_ids(struct dl_phdr_info *info, size_t size, void *data)
{
    struct berth_sha256 *c = data;

    (void)size;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        const char *p = (const char *)(info->dlpi_addr + ph->p_vaddr), *end = p + ph->p_memsz;

        if (ph->p_type != PT_NOTE)
            continue;
        while (p + sizeof(ElfW(Nhdr)) <= end) {
            const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)p;
            size_t name_len = (n->n_namesz + 3) & ~3U, desc_len = (n->n_descsz + 3) & ~3U;
            const char *name = p + sizeof(*n), *desc = name + name_len;

            if (desc + desc_len > end)
                break;
            if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && memcmp(name, "GNU", 4) == 0)
                berth_sha256_update(c, desc, n->n_descsz);
            p = desc + desc_len;
        }
    }
    return 0;
}

int berth_seccomp_key(const oci_seccomp *s, uint8_t key[BERTH_SHA256_LEN], berth_error_t *err)
{
    static const char tag[] = "berth seccomp program v1";
    const struct scmp_version *v = seccomp_version();
    uint32_t lib[3] = {v->major, v->minor, v->micro};
    _cleanup_free_ char *json = NULL;
    struct berth_sha256 c;
    size_t len = 0;

    /* The profile as the model emits it: every member, in table order, so
     * that a member added to the model is part of the key without a line
     * here. */
    json = oci_emit(&oci_seccomp_desc, s, false, &len);
    if (!json)
        return berth_error_make(err, ENOMEM, "seccomp: serialise the profile");
    berth_sha256_init(&c);
    berth_sha256_update(&c, tag, sizeof(tag));
    (void)dl_iterate_phdr(hash_build_ids, &c);
    berth_sha256_update(&c, lib, sizeof(lib));
    berth_sha256_update(&c, json, len);
    berth_sha256_final(&c, key);
    return 0;
}

/* ---- reading ------------------------------------------------------------- */

int berth_seccomp_entry_read(int dirfd, const char *name, const uint8_t key[BERTH_SHA256_LEN],
                             struct sock_fprog *prog, const char **why)
{
    /* O_NONBLOCK: a fifo planted under the name must not hang berth (it is
     * refused by the S_ISREG check below). */
    _cleanup_close_ int fd =
        openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    _cleanup_free_ uint8_t *buf = NULL;
    struct entry_header h;
    uint8_t sum[BERTH_SHA256_LEN];
    struct stat st;
    size_t body;
    ssize_t n;

    *why = NULL;
    if (fd < 0 && errno == ENOENT)
        return -ENOENT;
    if (fd < 0)
        return *why = errno == ELOOP ? "a symlink" : "cannot be opened", -EBADMSG;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
        return *why = "not a regular file", -EBADMSG;
    if (st.st_uid != geteuid() || (st.st_mode & 022))
        return *why = "owned by another user or writable by others", -EBADMSG;
    if (st.st_size < (off_t)sizeof(h) ||
        st.st_size > (off_t)(sizeof(h) + BPF_MAXINSNS * sizeof(struct sock_filter)))
        return *why = "of a wrong size", -EBADMSG;
    buf = malloc(st.st_size);
    if (!buf)
        return *why = "out of memory", -EBADMSG;
    n = pread(fd, buf, st.st_size, 0);
    if (n != st.st_size)
        return *why = "cannot be read", -EBADMSG;
    memcpy(&h, buf, sizeof(h));
    body = st.st_size - sizeof(h);
    if (memcmp(h.magic, MAGIC, sizeof(h.magic)) != 0 || h.version != ENTRY_VERSION)
        return *why = "not a berth seccomp program", -EBADMSG;
    if (h.len == 0 || body != h.len * sizeof(struct sock_filter))
        return *why = "truncated or of a wrong length", -EBADMSG;
    if (memcmp(h.key, key, BERTH_SHA256_LEN) != 0)
        return *why = "written for another profile or build", -EBADMSG;
    berth_sha256(buf + sizeof(h), body, sum);
    if (memcmp(sum, h.sum, sizeof(sum)) != 0)
        return *why = "its checksum does not match", -EBADMSG;
    prog->filter = malloc(body);
    if (!prog->filter)
        return *why = "out of memory", -EBADMSG;
    memcpy(prog->filter, buf + sizeof(h), body);
    prog->len = h.len;
    return 0;
}

/* ---- writing ------------------------------------------------------------- */

#define TMP_PREFIX "tmp~"

int berth_seccomp_entry_write(int dirfd, const char *name, const uint8_t key[BERTH_SHA256_LEN],
                              const struct sock_fprog *prog, berth_error_t *err)
{
    size_t body = prog->len * sizeof(struct sock_filter);
    struct entry_header h = {.magic = MAGIC, .version = ENTRY_VERSION, .len = prog->len};
    _cleanup_free_ uint8_t *buf = malloc(sizeof(h) + body);
    _cleanup_close_ int fd = -1;
    char tmp[64];
    int r;

    if (!buf)
        return berth_error_make(err, ENOMEM, "seccomp: program `%s`", name);
    memcpy(h.key, key, BERTH_SHA256_LEN);
    berth_sha256(prog->filter, body, h.sum);
    memcpy(buf, &h, sizeof(h));
    memcpy(buf + sizeof(h), prog->filter, body);
    snprintf(tmp, sizeof(tmp), TMP_PREFIX "%d~%ld", (int)getpid(), (long)time(NULL));
    fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return berth_error_errno(err, "seccomp: create program `%s`", tmp);
    r = berth_write_all(fd, buf, sizeof(h) + body);
    /* Renamed over a refused entry too: the checks at reading decide. */
    if (r == 0 && renameat(dirfd, tmp, dirfd, name) < 0)
        r = -errno;
    if (r < 0) {
        (void)unlinkat(dirfd, tmp, 0);
        return berth_error_make(err, -r, "seccomp: write program `%s`", name);
    }
    return 0;
}

/* ---- trimming ------------------------------------------------------------ */

struct aged {
    char name[2 * BERTH_SHA256_LEN + 1];
    time_t ctime;
};

static int older_first(const void *a, const void *b)
{
    const struct aged *x = a, *y = b;

    return (x->ctime > y->ctime) - (x->ctime < y->ctime);
}

void berth_seccomp_cache_trim(int dirfd)
{
    struct aged v[BERTH_SECCOMP_CACHE_MAX * 2];
    size_t n = 0, total = 0;
    _cleanup_closedir_ DIR *d = NULL;
    int fd = dup(dirfd);
    struct dirent *de;
    struct stat st;

    if (fd < 0)
        return;
    d = fdopendir(fd);
    if (!d) {
        close(fd);
        return;
    }
    rewinddir(d);
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.' || fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
            continue;
        /* a writer killed between create and rename */
        if (strncmp(de->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) == 0) {
            if (st.st_ctime < time(NULL) - 60)
                (void)unlinkat(dirfd, de->d_name, 0);
            continue;
        }
        total++;
        if (n < sizeof(v) / sizeof(v[0]) && strlen(de->d_name) < sizeof(v[0].name)) {
            strcpy(v[n].name, de->d_name);
            v[n++].ctime = st.st_ctime;
        }
    }
    if (total <= BERTH_SECCOMP_CACHE_MAX)
        return;
    qsort(v, n, sizeof(v[0]), older_first);
    for (size_t i = 0; i < n && total > BERTH_SECCOMP_CACHE_MAX; i++, total--)
        (void)unlinkat(dirfd, v[i].name, 0);
}
