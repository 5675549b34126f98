/* state.c: the on-disk container store (layout in state.h).
 *
 * Concurrency rules:
 *  - every mutating verb holds flock(LOCK_EX) on <dir>/lock for its whole
 *    run; the lock file is made together with the dir and never re-created,
 *    so a waiter whose container was deleted meanwhile ends up holding a
 *    lock on an orphan inode and then finds no state.json;
 *  - state.json is only ever replaced by rename(), so a reader without the
 *    lock sees the old or the new document, never a torn one;
 *  - removal first renames the dir out of the id namespace, then unlinks
 *    state.json (the container no longer exists for anyone), then deletes
 *    the rest.
 */
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/io.h"
#include "oci-types.h"
#include "state-json.h"

#define STATE_FILE "state.json"
/* A state.json is a few KiB; anything huge is not ours. */
#define STATE_MAX_SIZE (16 * 1024 * 1024)
/* Nesting of rm_rf_at: the state dir holds files and at most a level or two
 * of helper dirs; a deeper tree is not ours. */
#define RM_MAX_DEPTH 16

/* For errors with a fixed message (engines match them verbatim, so no
 * strerror suffix) that still carry errnum for callers to branch on. */
static int with_status(berth_error_t *err, int errnum)
{
    if (*err)
        (*err)->status = errnum;
    return -errnum;
}

int berth_state_error_not_exist(berth_error_t *err, const char *id)
{
    /* containerd and podman match "does not exist" (FEATURES.md §2a). */
    berth_error_make(err, 0, "container %s does not exist", id);
    return with_status(err, ENOENT);
}

static bool id_char_ok(char c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        return true;
    return c == '_' || c == '.' || c == '+' || c == '-';
}

int berth_id_validate(const char *id, berth_error_t *err)
{
    size_t len = id ? strlen(id) : 0;

    /* runtime.md "Create": an invalid id MUST error. runc's rule
     * (validateID): A-Z a-z 0-9 _ + - . anywhere, but not a name that is
     * no file name ("." and ".."); without "/" an id is never a path. */
    if (len == 0)
        return berth_error_make(err, 0, "invalid container ID format: empty");
    if (len > BERTH_ID_MAX)
        return berth_error_make(err, 0, "invalid container ID format: longer than %d bytes",
                                BERTH_ID_MAX);
    for (size_t i = 0; i < len; i++)
        if (!id_char_ok(id[i]))
            return berth_error_make(err, 0, "invalid container ID format: `%.64s`", id);
    if (strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
        return berth_error_make(err, 0, "invalid container ID format: `%s`", id);
    return 0;
}

/* The error of an operation on the state root; a non-root user without
 * $XDG_RUNTIME_DIR lands on root's default and is told what to do. */
static int root_error(berth_error_t *err, const char *op, const char *root)
{
    if ((errno == EACCES || errno == EPERM) && geteuid() != 0)
        return berth_error_errno(err,
                                 "%s state root `%s` (as uid %d: set XDG_RUNTIME_DIR for "
                                 "$XDG_RUNTIME_DIR/berth, or pass --root)",
                                 op, root, (int)geteuid());
    return berth_error_errno(err, "%s state root `%s`", op, root);
}

/* mkdir -p with 0700 for the components that are missing. */
static int mkdir_p(const char *path, berth_error_t *err)
{
    _cleanup_free_ char *p = strdup(path);

    if (!p)
        return berth_error_make(err, ENOMEM, "mkdir `%s`", path);
    for (char *s = p + 1;; s++) {
        bool end = *s == '\0';
        if (*s != '/' && !end)
            continue;
        *s = '\0';
        if (mkdir(p, 0700) < 0 && errno != EEXIST)
            return root_error(err, "mkdir", p);
        if (end)
            return 0;
        *s = '/';
    }
}

static int open_root(const char *root, berth_error_t *err)
{
    int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    return fd >= 0 ? fd : root_error(err, "open", root);
}

int berth_state_root_own(const char *root, berth_error_t *err)
{
    struct stat st;

    if (mkdir(root, 0700) < 0 && errno != EEXIST)
        return berth_error_errno(err,
                                 "mkdir `%s` (the path in $XDG_RUNTIME_DIR must be "
                                 "writable by the user)",
                                 root);
    if (lstat(root, &st) < 0)
        return berth_error_errno(err, "stat `%s`", root);
    if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid())
        return berth_error_make(err, EPERM, "state root `%s`: not a directory owned by uid %d",
                                root, (int)geteuid());
    if ((st.st_mode & 07777) != (01000 | 0700) && chmod(root, 01000 | 0700) < 0)
        return berth_error_errno(err, "chmod `%s`", root);
    return 0;
}

int berth_state_dir_create(const char *root, const char *id, berth_error_t *err)
{
    _cleanup_close_ int rootfd = -1, dirfd = -1, lockfd = -1;
    int r;

    if ((r = berth_id_validate(id, err)) < 0 || (r = mkdir_p(root, err)) < 0)
        return r;
    rootfd = open_root(root, err);
    if (rootfd < 0)
        return rootfd;
    /* runtime.md "Create": the id MUST be unique; mkdir is the atomic
     * claim of it. */
    if (mkdirat(rootfd, id, 0700) < 0) {
        if (errno == EEXIST) {
            berth_error_make(err, 0, "container with id %s already exists", id);
            return with_status(err, EEXIST);
        }
        return berth_error_errno(err, "mkdir `%s/%s`", root, id);
    }
    dirfd = openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dirfd < 0)
        return berth_error_errno(err, "open `%s/%s`", root, id);
    /* Made here, once: berth_state_lock never creates it (see header). */
    lockfd = openat(dirfd, "lock", O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (lockfd < 0) {
        r = berth_error_errno(err, "create `%s/%s/lock`", root, id);
        (void)unlinkat(rootfd, id, AT_REMOVEDIR);
        return r;
    }
    return TAKE_FD(dirfd);
}

/* <root>/<id> below rootfd, the id already validated. */
static int open_valid_id(int rootfd, const char *root, const char *id, berth_error_t *err)
{
    int fd = openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

    if (fd < 0 && errno == ENOENT)
        return berth_state_error_not_exist(err, id);
    if (fd < 0)
        return berth_error_errno(err, "open `%s/%s`", root, id);
    return fd;
}

int berth_state_dir_openat(int rootfd, const char *root, const char *id, berth_error_t *err)
{
    int r;

    /* Validate before touching any path: the id is joined to root. */
    if ((r = berth_id_validate(id, err)) < 0)
        return r;
    return open_valid_id(rootfd, root, id, err);
}

int berth_state_dir_open(const char *root, const char *id, berth_error_t *err)
{
    _cleanup_close_ int rootfd = -1;
    int r;

    /* An invalid id is refused as such, before the root is looked at. */
    if ((r = berth_id_validate(id, err)) < 0)
        return r;
    rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0 && errno == ENOENT)
        return berth_state_error_not_exist(err, id);
    if (rootfd < 0)
        return root_error(err, "open", root);
    return open_valid_id(rootfd, root, id, err);
}

/* flock(LOCK_EX), but never a hang: engines run berth with their own
 * timeouts and a stuck command is the worst way to fail. The holder is
 * normally another berth command that finishes in seconds; a lock still
 * held after BERTH_LOCK_TIMEOUT_MS means it leaked into a long-lived
 * process (e.g. an init that did not close it). */
static int lock_bounded(int fd, berth_error_t *err)
{
    struct timespec delay = {0, 1000000}; /* 1 ms, doubling up to 100 ms */
    long waited_ms = 0;

    for (;;) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            return 0;
        if (errno != EWOULDBLOCK && errno != EINTR)
            return berth_error_errno(err, "flock lock file");
        if (waited_ms >= BERTH_LOCK_TIMEOUT_MS)
            return berth_error_make(err, ETIMEDOUT,
                                    "container is locked by another process for over %d s",
                                    BERTH_LOCK_TIMEOUT_MS / 1000);
        (void)nanosleep(&delay, NULL);
        waited_ms += delay.tv_nsec / 1000000;
        if (delay.tv_nsec < 100000000)
            delay.tv_nsec *= 2;
    }
}

int berth_state_lock(int dirfd, berth_error_t *err)
{
    _cleanup_close_ int fd = -1;
    int r;

    /* No O_CREAT: after a delete unlinked it, a late opener must fail
     * rather than lock a fresh file in a dying directory. */
    fd = openat(dirfd, "lock", O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT)
        return berth_error_make(err, ENOENT, "container does not exist (no lock file)");
    if (fd < 0)
        return berth_error_errno(err, "open lock file");
    r = lock_bounded(fd, err);
    if (r < 0)
        return r;
    return TAKE_FD(fd);
}

bool berth_state_dir_is_removed(int dirfd)
{
    struct stat st;

    /* A removed directory keeps its inode while we hold an fd to it, with
     * a link count of 0. */
    return fstat(dirfd, &st) == 0 && st.st_nlink == 0;
}

/* Creates a uniquely named temp file in dirfd (mkostemp's job, but relative
 * to the dir fd so no path is resolved twice). */
static int open_temp(int dirfd, char *name, size_t size)
{
    for (int tries = 0; tries < 100; tries++) {
        unsigned long long rnd = 0;
        int fd;

        if (getrandom(&rnd, sizeof(rnd), 0) < 0)
            rnd = ((unsigned long long)getpid() << 20) ^ (unsigned long long)tries;
        snprintf(name, size, ".%s.%012llx", STATE_FILE, rnd & 0xffffffffffffULL);
        fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0 || errno != EEXIST)
            return fd < 0 ? -errno : fd;
    }
    return -EEXIST;
}

/* The new file takes state.json's name atomically: readers never see a
 * partial file. No fsync: the store does not outlive a reboot anyway. An
 * existing state.json is exchanged with the new file and then unlinked
 * under the temporary name, not renamed over: ext4 (a /run that is no
 * tmpfs) starts writeback of a file renamed over another (auto_da_alloc),
 * ~0.1 ms of create's second record. */
static int replace_state_file(int dirfd, const char *tmp)
{
    if (renameat2(dirfd, tmp, dirfd, STATE_FILE, RENAME_EXCHANGE) == 0) {
        int r;

        /* the old state, under tmp now; no file (a directory): swapped
         * back and refused, as rename() would have */
        if (unlinkat(dirfd, tmp, 0) == 0 || errno == ENOENT)
            return 0;
        r = -errno;
        (void)renameat2(dirfd, tmp, dirfd, STATE_FILE, RENAME_EXCHANGE);
        return r;
    }
    /* ENOENT: no state.json yet; EINVAL: no RENAME_EXCHANGE here */
    if (errno != ENOENT && errno != EINVAL)
        return -errno;
    return renameat(dirfd, tmp, dirfd, STATE_FILE) < 0 ? -errno : 0;
}

int berth_state_write(int dirfd, const struct berth_container_state *s, berth_error_t *err)
{
    _cleanup_free_ char *json = NULL;
    _cleanup_close_ int fd = -1;
    char tmp[64];
    size_t len = 0;
    int r;

    r = berth_state_json_encode(s, &json, &len, err);
    if (r < 0)
        return r;
    fd = open_temp(dirfd, tmp, sizeof(tmp));
    if (fd < 0)
        return berth_error_make(err, -fd, "create temporary state file");
    r = berth_write_all(fd, json, len);
    if (r == 0) {
        int c = close(TAKE_FD(fd));
        r = c < 0 ? -errno : 0;
    }
    if (r == 0)
        r = replace_state_file(dirfd, tmp);
    if (r < 0) {
        (void)unlinkat(dirfd, tmp, 0);
        return berth_error_make(err, -r, "write %s", STATE_FILE);
    }
    return 0;
}

/* Reads name below dirfd. A file that fits in stack[] (state.json is
 * ~1.1 KiB) is read there and *text points into it; a larger one goes to
 * *heap (the caller frees it) and *text points there. list reads one file
 * per id: no heap copy of the text, so no large allocation per id either
 * (each made glibc consolidate the previous id's freed small chunks). A
 * regular file (O_NOFOLLOW, written by us) read short is read to its end:
 * no second read for the EOF. */
/* name below dirfd; "ID/state.json" below the root in one openat2 that
 * follows no symlink on the way (the id's directory is ours). */
static int open_below(int dirfd, const char *name)
{
    struct open_how how = {.flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC,
                           .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS};
    int fd;

    if (!strchr(name, '/'))
        return openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    fd = (int)syscall(SYS_openat2, dirfd, name, &how, sizeof(how));
    if (fd < 0 && errno == ENOSYS) /* before 5.6: the caller's slow path */
        errno = ENOENT;
    return fd;
}

static int read_text(int dirfd, const char *name, char *stack, size_t size, char **heap,
                     const char **text, berth_error_t *err)
{
    _cleanup_close_ int fd = -1;
    _cleanup_free_ char *buf = NULL;
    size_t len = 0, cap = 0;
    ssize_t n;

    fd = open_below(dirfd, name);
    if (fd < 0)
        return berth_error_errno(err, "open %s", name);
    do
        n = read(fd, stack, size - 1);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return berth_error_errno(err, "read %s", name);
    if ((size_t)n < size - 1) {
        stack[n] = '\0';
        *text = stack;
        return 0;
    }
    cap = 2 * size;
    buf = malloc(cap + 1);
    if (!buf)
        return berth_error_make(err, ENOMEM, "read %s", name);
    memcpy(buf, stack, len = (size_t)n);
    for (;;) {
        size_t want;
        if (cap - len < 4096) {
            char *nb;
            if (cap >= STATE_MAX_SIZE)
                return berth_error_make(err, EFBIG, "read %s", name);
            cap *= 2;
            nb = realloc(buf, cap + 1);
            if (!nb)
                return berth_error_make(err, ENOMEM, "read %s", name);
            buf = nb;
        }
        want = cap - len;
        n = read(fd, buf + len, want);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return berth_error_errno(err, "read %s", name);
        len += (size_t)n;
        if ((size_t)n < want)
            break;
    }
    buf[len] = '\0';
    *text = *heap = TAKE_PTR(buf);
    return 0;
}

int berth_state_read_file(int dirfd, const char *name, char **ret, berth_error_t *err)
{
    char stack[4096];
    const char *text;
    char *heap = NULL;
    int r;

    r = read_text(dirfd, name, stack, sizeof(stack), &heap, &text, err);
    if (r < 0)
        return r;
    *ret = heap ? heap : strdup(text);
    return *ret ? 0 : berth_error_make(err, ENOMEM, "read %s", name);
}

/* name (state.json, or ID/state.json below the root) decoded. */
static int read_state(int dirfd, const char *name, struct berth_container_state **ret,
                      berth_error_t *err)
{
    _cleanup_free_ char *heap = NULL;
    char stack[4096];
    const char *text;
    int r;

    r = read_text(dirfd, name, stack, sizeof(stack), &heap, &text, err);
    if (r < 0)
        return r;
    return berth_state_json_decode(text, ret, err);
}

int berth_state_read(int dirfd, struct berth_container_state **ret, berth_error_t *err)
{
    return read_state(dirfd, STATE_FILE, ret, err);
}

int berth_state_read_at(int rootfd, const char *id, struct berth_container_state **ret,
                        berth_error_t *err)
{
    char path[BERTH_ID_MAX + sizeof(STATE_FILE) + 1];
    int r;

    if ((r = berth_id_validate(id, err)) < 0)
        return r;
    snprintf(path, sizeof(path), "%s/%s", id, STATE_FILE);
    return read_state(rootfd, path, ret, err);
}

/* Removes everything below dirfd but `keep` (NULL: all), without
 * following symlinks. */
static int rm_rf_at(int dirfd, int depth, const char *keep)
{
    _cleanup_closedir_ DIR *d = NULL;
    struct dirent *de;
    int fd, r = 0;

    if (depth > RM_MAX_DEPTH)
        return -ELOOP;
    fd = dup(dirfd);
    if (fd < 0)
        return -errno;
    d = fdopendir(fd);
    if (!d) {
        safe_close(fd);
        return -errno;
    }
    rewinddir(d); /* the dup shares dirfd's position */
    while ((errno = 0, de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
            (keep && strcmp(de->d_name, keep) == 0))
            continue;
        if (unlinkat(dirfd, de->d_name, 0) == 0 || errno == ENOENT)
            continue;
        if (errno == EISDIR || errno == EPERM) {
            _cleanup_close_ int sub =
                openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            int q = sub < 0 ? -errno : rm_rf_at(sub, depth + 1, NULL);
            if (q == 0 && unlinkat(dirfd, de->d_name, AT_REMOVEDIR) < 0 && errno != ENOENT)
                q = -errno;
            if (q < 0 && r == 0)
                r = q;
            continue;
        }
        if (r == 0)
            r = -errno;
    }
    if (errno != 0 && r == 0)
        r = -errno;
    return r;
}

/* Where a delete hides <root>/<id> (see berth_state_dir_remove). Named
 * after the id, so that a delete killed after the rename leaves something
 * the next `delete --force` of that id finds (berth_state_dir_purge); '~'
 * is in no id, so list skips it and no create can claim it. */
static char *hidden_name(const char *id)
{
    char *name = NULL;

    if (asprintf(&name, ".deleted~%s", id) < 0)
        return NULL;
    return name;
}

/* rm -rf of <root>/<name>, the lock file last: a removal cut short (a
 * delete killed half way) leaves a directory that still reads as a
 * container, whose next delete finishes it, or an empty one. */
static int remove_dir_at(int rootfd, int dirfd, const char *name)
{
    int r = rm_rf_at(dirfd, 0, "lock");

    if (r == 0 && unlinkat(dirfd, "lock", 0) < 0 && errno != ENOENT)
        r = -errno;
    if (r == 0 && unlinkat(rootfd, name, AT_REMOVEDIR) < 0)
        r = -errno;
    return r;
}

/* remove_dir_at of <root>/<name>, opened here; -errno. */
static int remove_named(int rootfd, const char *name)
{
    _cleanup_close_ int fd = openat(rootfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

    return fd < 0 ? -errno : remove_dir_at(rootfd, fd, name);
}

/* Moves <root>/<id> out of the id namespace; returns the new name, or NULL
 * to remove it in place. A hidden dir of an earlier container with this id
 * (its delete was killed) is finished first. */
static char *hide_dir(int rootfd, const char *id)
{
    _cleanup_free_ char *name = hidden_name(id);

    if (!name)
        return NULL;
    for (int tries = 0; tries < 2; tries++) {
        if (renameat2(rootfd, id, rootfd, name, RENAME_NOREPLACE) == 0)
            return TAKE_PTR(name);
        if (errno != EEXIST || remove_named(rootfd, name) < 0)
            return NULL;
    }
    return NULL;
}

int berth_state_dir_remove(const char *root, const char *id, berth_error_t *err)
{
    _cleanup_close_ int rootfd = -1, dirfd = -1;
    _cleanup_free_ char *hidden = NULL;
    const char *name = id;
    int r;

    if ((r = berth_id_validate(id, err)) < 0)
        return r;
    rootfd = open_root(root, err);
    if (rootfd < 0)
        return rootfd;
    dirfd = openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dirfd < 0)
        return berth_error_errno(err, "open `%s/%s`", root, id);
    /* Rename first: from here on the id is free and `list` skips the dir.
     * Then state.json: whatever fails later, nobody (including a command
     * blocked on our lock, which reads through its dir fd) finds this
     * container any more. */
    hidden = hide_dir(rootfd, id);
    if (hidden)
        name = hidden;
    if (unlinkat(dirfd, STATE_FILE, 0) < 0 && errno != ENOENT)
        return berth_error_errno(err, "remove `%s/%s/%s`", root, name, STATE_FILE);
    r = remove_dir_at(rootfd, dirfd, name);
    if (r < 0)
        return berth_error_make(err, -r, "remove state directory `%s/%s`", root, name);
    return 0;
}

void berth_state_dir_purge(const char *root, const char *id)
{
    _cleanup_close_ int rootfd = -1;
    _cleanup_free_ char *hidden = NULL;
    berth_error_t ignored = NULL;

    if (berth_id_validate(id, &ignored) < 0 || (rootfd = open_root(root, &ignored)) < 0) {
        berth_error_release(&ignored);
        return;
    }
    /* a create killed between the mkdir and its lock file: empty */
    (void)unlinkat(rootfd, id, AT_REMOVEDIR);
    hidden = hidden_name(id);
    if (hidden)
        (void)remove_named(rootfd, hidden);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int strv_push(char ***v, size_t *n, size_t *cap, const char *s)
{
    if (*n + 2 > *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        char **nv = realloc(*v, nc * sizeof(char *));
        if (!nv)
            return -ENOMEM;
        *v = nv;
        *cap = nc;
    }
    (*v)[*n] = strdup(s);
    if (!(*v)[*n])
        return -ENOMEM;
    (*v)[++*n] = NULL;
    return 0;
}

int berth_state_cache_open(const char *root, const char *name, bool create)
{
    _cleanup_free_ char *dir = NULL;
    berth_error_t ignored = NULL;
    struct stat st;
    int fd;

    if (asprintf(&dir, "%s/%s~cache", root, name) < 0)
        return -1;
    if (create && mkdir(dir, 0700) < 0 && errno == ENOENT && mkdir_p(root, &ignored) == 0)
        (void)mkdir(dir, 0700);
    berth_error_release(&ignored);
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) < 0 || st.st_uid != geteuid() || (st.st_mode & 077)) {
        close(fd);
        return -1;
    }
    return fd;
}

int berth_state_list(const char *root, int *ret_rootfd, char ***ret, berth_error_t *err)
{
    _cleanup_closedir_ DIR *d = NULL;
    _cleanup_strv_ char **ids = NULL;
    _cleanup_close_ int rootfd = -1;
    size_t n = 0, cap = 0;
    struct dirent *de;

    ids = calloc(1, sizeof(char *));
    if (!ids)
        return berth_error_make(err, ENOMEM, "list containers");
    cap = 1;
    rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0 && errno != ENOENT)
        return root_error(err, "open", root);
    if (rootfd >= 0) {
        int fd = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);

        if (fd < 0 || !(d = fdopendir(fd))) {
            safe_close(fd);
            return root_error(err, "read", root);
        }
    }
    /* A root that does not exist yet simply holds no containers. */
    while (d && (errno = 0, de = readdir(d))) {
        berth_error_t ignored = NULL;
        /* Skips ".", "..", hidden .deleted~* dirs, the ~cache dirs and
         * temp files: none is a valid id. */
        if (berth_id_validate(de->d_name, &ignored) < 0) {
            berth_error_release(&ignored);
            continue;
        }
        if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
            continue;
        if (strv_push(&ids, &n, &cap, de->d_name) < 0)
            return berth_error_make(err, ENOMEM, "list containers");
    }
    if (d && errno != 0)
        return berth_error_errno(err, "read state root `%s`", root);
    qsort(ids, n, sizeof(char *), cmp_str);
    *ret = TAKE_PTR(ids);
    if (ret_rootfd)
        *ret_rootfd = TAKE_FD(rootfd);
    return 0;
}

int berth_state_write_config(int dirfd, const struct oci_config *cfg, berth_error_t *err)
{
    _cleanup_free_ char *json = NULL;
    _cleanup_close_ int fd = -1;
    size_t len = 0;

    json = oci_emit(&oci_config_desc, cfg, false, &len);
    if (!json)
        return berth_error_make(err, ENOMEM, "serialise config.json");
    fd = openat(dirfd, "config.json", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return berth_error_errno(err, "create state config.json");
    if (write(fd, json, len) != (ssize_t)len)
        return berth_error_errno(err, "write state config.json");
    return 0;
}

int berth_state_dir_claim(const char *root, const char *id, const struct oci_config *cfg,
                          int *ret_dirfd, int *ret_lockfd, berth_error_t *err)
{
    *ret_dirfd = berth_state_dir_create(root, id, err);
    if (*ret_dirfd < 0)
        return *ret_dirfd;
    *ret_lockfd = berth_state_lock(*ret_dirfd, err);
    if (*ret_lockfd < 0)
        return *ret_lockfd;
    return berth_state_write_config(*ret_dirfd, cfg, err);
}
