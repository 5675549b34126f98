/* seccomp.c: owns the translation of linux.seccomp into a seccomp(2)
 * filter (libseccomp, in the parent) and the one-syscall load in the init.
 * See berth-seccomp.h for the split and why it is made that way. */
#include "berth-seccomp.h"
#include "seccomp-cache.h"
#include "seccomp-enosys.h"

#include <ctype.h>
#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ---- actions, architectures, operators, flags ----------------------------- */

struct name_value {
    const char *name;
    uint32_t value;
};

/* config-linux.md "Seccomp": the names of libseccomp's seccomp.h.
 * SCMP_ACT_KILL is libseccomp's old name of SCMP_ACT_KILL_THREAD. */
static const struct name_value actions[] = {
    {"SCMP_ACT_KILL", SCMP_ACT_KILL},
    {"SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS},
    {"SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD},
    {"SCMP_ACT_TRAP", SCMP_ACT_TRAP},
    {"SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0)},
    {"SCMP_ACT_TRACE", SCMP_ACT_TRACE(0)},
    {"SCMP_ACT_ALLOW", SCMP_ACT_ALLOW},
    {"SCMP_ACT_LOG", SCMP_ACT_LOG},
    {"SCMP_ACT_NOTIFY", SCMP_ACT_NOTIFY},
};

static const struct name_value operators[] = {
    {"SCMP_CMP_NE", SCMP_CMP_NE},
    {"SCMP_CMP_LT", SCMP_CMP_LT},
    {"SCMP_CMP_LE", SCMP_CMP_LE},
    {"SCMP_CMP_EQ", SCMP_CMP_EQ},
    {"SCMP_CMP_GE", SCMP_CMP_GE},
    {"SCMP_CMP_GT", SCMP_CMP_GT},
    {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
};

static const struct name_value filter_flags[] = {
    {"SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC},
    {"SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG},
    {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW},
    {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", 1U << 5},
};

#define FLAG_NEW_LISTENER       (1U << 3)
#define FLAG_TSYNC_ESRCH        (1U << 4)
#define FLAG_WAIT_KILLABLE_RECV (1U << 5)

static const struct name_value *lookup(const struct name_value *t, size_t n, const char *name)
{
    for (size_t i = 0; name && i < n; i++)
        if (strcmp(t[i].name, name) == 0)
            return &t[i];
    return NULL;
}
#define LOOKUP(t, name) lookup((t), sizeof(t) / sizeof((t)[0]), (name))

static bool takes_errno(uint32_t action)
{
    uint32_t kind = action & SECCOMP_RET_ACTION_FULL;
    return kind == SECCOMP_RET_ERRNO || kind == SECCOMP_RET_TRACE;
}

/* `what` names the field for the message ("defaultAction", "syscalls[3]").
 * errnoRet: "When the action doesn't support an errno, the runtime MUST
 * print and error and fail. The default is EPERM." (config-linux.md
 * "Seccomp"; validation checks this too, this is the defensive copy). */
static int parse_action(const char *name, bool errno_present, uint32_t errno_ret, const char *what,
                        uint32_t *ret, berth_error_t *err)
{
    const struct name_value *a = LOOKUP(actions, name);

    if (!a)
        return berth_error_make(err, EINVAL, "seccomp %s: unknown action `%s`", what,
                                name ? name : "");
    if (!takes_errno(a->value)) {
        if (errno_present)
            return berth_error_make(err, EINVAL,
                                    "seccomp %s: errnoRet is set but action `%s` does not return "
                                    "an errno (only SCMP_ACT_ERRNO and SCMP_ACT_TRACE do)",
                                    what, name);
        *ret = a->value;
        return 0;
    }
    if (errno_present && errno_ret > SECCOMP_RET_DATA)
        return berth_error_make(err, EINVAL, "seccomp %s: errnoRet %u is larger than %u", what,
                                errno_ret, SECCOMP_RET_DATA);
    *ret = (a->value & SECCOMP_RET_ACTION_FULL) | (errno_present ? errno_ret : EPERM);
    return 0;
}

/* "SCMP_ARCH_X86_64" -> libseccomp's "x86_64". */
static int parse_arch(const char *name, uint32_t *ret, berth_error_t *err)
{
    static const char prefix[] = "SCMP_ARCH_";
    char lower[32];
    size_t n;

    if (!name || strncmp(name, prefix, sizeof(prefix) - 1) != 0 ||
        (n = strlen(name + sizeof(prefix) - 1)) == 0 || n >= sizeof(lower))
        return berth_error_make(err, EINVAL, "seccomp: unknown architecture `%s`",
                                name ? name : "");
    for (size_t i = 0; i <= n; i++)
        lower[i] = tolower((unsigned char)name[sizeof(prefix) - 1 + i]);
    *ret = seccomp_arch_resolve_name(lower);
    if (*ret == 0)
        return berth_error_make(
            err, EINVAL, "seccomp: architecture `%s` is not supported by libseccomp %u.%u.%u", name,
            seccomp_version()->major, seccomp_version()->minor, seccomp_version()->micro);
    return 0;
}

bool berth_seccomp_name_known(enum berth_seccomp_name kind, const char *name)
{
    berth_error_t ignored = NULL;
    uint32_t arch;
    bool ok;

    switch (kind) {
    case BERTH_SECCOMP_ACTION:
        return LOOKUP(actions, name) != NULL;
    case BERTH_SECCOMP_OPERATOR:
        return LOOKUP(operators, name) != NULL;
    case BERTH_SECCOMP_ARCH:
        ok = parse_arch(name, &arch, &ignored) == 0;
        berth_error_release(&ignored);
        return ok;
    }
    return false;
}

/* Requested flags must be in supportedFlags of `berth features` (kernel and
 * libseccomp both support them); anything else fails, naming the flag. */
static int parse_flags(const oci_seccomp *s, unsigned int *ret, berth_error_t *err)
{
    char **supported = NULL;
    size_t n_supported = 0;
    unsigned int flags = 0;
    int r = 0;

    if (s->flags_len == 0) {
        *ret = 0;
        return 0;
    }
    r = berth_seccomp_supported_flags(oci_seccomp_flags, &supported, &n_supported, err);
    if (r < 0)
        return r;
    for (size_t i = 0; i < s->flags_len && r == 0; i++) {
        const struct name_value *f = LOOKUP(filter_flags, s->flags[i]);
        bool ok = false;

        for (size_t j = 0; f && j < n_supported; j++)
            ok = ok || strcmp(supported[j], f->name) == 0;
        if (!f)
            r = berth_error_make(err, EINVAL, "seccomp: unknown flag `%s`",
                                 s->flags[i] ? s->flags[i] : "");
        else if (!ok)
            r = berth_error_make(err, EOPNOTSUPP,
                                 "seccomp: flag `%s` is not supported by this kernel or libseccomp "
                                 "%u.%u.%u",
                                 f->name, seccomp_version()->major, seccomp_version()->minor,
                                 seccomp_version()->micro);
        else
            flags |= f->value;
    }
    strv_free(supported);
    if (r == 0)
        *ret = flags;
    return r;
}

/* ---- rules ------------------------------------------------------------------ */

static void seccomp_ctx_release(scmp_filter_ctx *ctx)
{
    if (*ctx)
        seccomp_release(*ctx);
}

static int remember_unknown(struct berth_seccomp *f, const char *name, berth_error_t *err)
{
    char **v = realloc(f->unknown, (f->unknown_len + 2) * sizeof(char *));

    if (!v)
        return berth_error_make(err, ENOMEM, "seccomp: unknown syscall list");
    f->unknown = v;
    v[f->unknown_len] = strdup(name);
    if (!v[f->unknown_len])
        return berth_error_make(err, ENOMEM, "seccomp: unknown syscall list");
    v[++f->unknown_len] = NULL;
    return 0;
}

static int parse_args(const oci_syscall *sc, size_t i, struct scmp_arg_cmp *cmp, bool *same_index,
                      berth_error_t *err)
{
    unsigned seen = 0;

    *same_index = false;
    for (size_t j = 0; j < sc->args_len; j++) {
        const oci_syscall_arg *a = &sc->args[j];
        const struct name_value *op = LOOKUP(operators, a->op);

        if (!op)
            return berth_error_make(err, EINVAL,
                                    "seccomp syscalls[%zu].args[%zu]: unknown "
                                    "operator `%s`",
                                    i, j, a->op ? a->op : "");
        if (a->index > 5)
            return berth_error_make(err, EINVAL,
                                    "seccomp syscalls[%zu].args[%zu]: index %u is "
                                    "outside 0..5",
                                    i, j, a->index);
        if (seen & (1U << a->index))
            *same_index = true;
        seen |= 1U << a->index;
        /* SCMP_CMP_MASKED_EQ: (arg & value) == valueTwo, as runc passes
         * them to libseccomp (datum_a is the mask). */
        cmp[j] = (struct scmp_arg_cmp){.arg = a->index,
                                       .op = op->value,
                                       .datum_a = a->value,
                                       .datum_b = a->valueTwo_present ? a->valueTwo : 0};
    }
    return 0;
}

static int add_rule(scmp_filter_ctx ctx, struct berth_seccomp *f, uint32_t action, int nr,
                    const char *name, unsigned n_cmp, const struct scmp_arg_cmp *cmp,
                    berth_error_t *err)
{
    int r = seccomp_rule_add_array(ctx, action, nr, n_cmp, cmp);

    if (r < 0)
        return berth_error_make(err, -r, "seccomp: add rule for syscall `%s`", name);
    f->rules++;
    return 0;
}

/* One spec entry. Conditions on distinct arguments are AND-ed in one rule
 * (libseccomp semantics). Several conditions on the same argument cannot be
 * AND-ed by libseccomp; like runc, every condition then becomes a rule of
 * its own, i.e. they are OR-ed. */
static int add_syscall(scmp_filter_ctx ctx, struct berth_seccomp *f, const oci_syscall *sc,
                       size_t i, uint32_t default_action, berth_error_t *err)
{
    _cleanup_free_ struct scmp_arg_cmp *cmp = calloc(sc->args_len + 1, sizeof(*cmp));
    char what[48];
    uint32_t action;
    bool same_index;
    int r;

    if (!cmp)
        return berth_error_make(err, ENOMEM, "seccomp: syscalls[%zu]", i);
    snprintf(what, sizeof(what), "syscalls[%zu]", i);
    r = parse_action(sc->action, sc->errnoRet_present, sc->errnoRet, what, &action, err);
    if (r < 0)
        return r;
    r = parse_args(sc, i, cmp, &same_index, err);
    if (r < 0)
        return r;
    if (action == SCMP_ACT_NOTIFY)
        f->notify = true;
    /* libseccomp refuses a rule whose action is the default one (EACCES);
     * it would change nothing, so it is dropped, as runc and crun do. */
    if (action == default_action)
        return 0;
    for (size_t k = 0; k < sc->names_len; k++) {
        const char *name = sc->names[k] ? sc->names[k] : "";
        int nr = seccomp_syscall_resolve_name(name);

        if (nr == __NR_SCMP_ERROR) {
            r = remember_unknown(f, name, err);
        } else if (!same_index) {
            r = add_rule(ctx, f, action, nr, name, sc->args_len, cmp, err);
        } else {
            for (size_t j = 0; j < sc->args_len && r == 0; j++)
                r = add_rule(ctx, f, action, nr, name, 1, &cmp[j], err);
        }
        if (r < 0)
            return r;
    }
    return 0;
}

/* ---- export ----------------------------------------------------------------- */

/* libseccomp 2.5 exports only to an fd: a memfd, read back into memory, so
 * that the init later needs nothing but the seccomp(2) syscall. */
static int export_bpf(scmp_filter_ctx ctx, struct sock_fprog *prog, berth_error_t *err)
{
    _cleanup_close_ int fd = memfd_create("berth-seccomp-bpf", MFD_CLOEXEC);
    _cleanup_free_ struct sock_filter *insns = NULL;
    struct stat st;
    int r;

    if (fd < 0)
        return berth_error_errno(err, "seccomp: memfd_create");
    r = seccomp_export_bpf(ctx, fd);
    if (r < 0)
        return berth_error_make(err, -r, "seccomp: export BPF program");
    if (fstat(fd, &st) < 0)
        return berth_error_errno(err, "seccomp: fstat BPF program");
    if (st.st_size == 0 || st.st_size % sizeof(struct sock_filter) != 0 ||
        st.st_size / sizeof(struct sock_filter) > BPF_MAXINSNS)
        return berth_error_make(err, E2BIG, "seccomp: BPF program of %lld bytes",
                                (long long)st.st_size);
    insns = malloc(st.st_size);
    if (!insns)
        return berth_error_make(err, ENOMEM, "seccomp: BPF program");
    if (pread(fd, insns, st.st_size, 0) != st.st_size)
        return berth_error_errno(err, "seccomp: read back BPF program");
    prog->len = st.st_size / sizeof(struct sock_filter);
    prog->filter = TAKE_PTR(insns);
    return 0;
}

static int make_handover(struct berth_seccomp *f, berth_error_t *err)
{
    void *p = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

    if (p == MAP_FAILED)
        return berth_error_errno(err, "seccomp: map the notify fd handover slot");
    f->handover = p;
    *f->handover = BERTH_SECCOMP_SLOT_PENDING;
    return 0;
}

/* ---- build -------------------------------------------------------------------- */

/* The profile's defaultAction and architectures, as libseccomp values. */
struct profile_head {
    uint32_t def;
    uint32_t archs[32];
    size_t narchs;
};

static int build_ctx(const oci_seccomp *s, scmp_filter_ctx *ret_ctx, struct berth_seccomp *f,
                     struct profile_head *h, berth_error_t *err)
{
    _cleanup_(seccomp_ctx_release) scmp_filter_ctx ctx = NULL;
    uint32_t def;
    int r;

    r = parse_action(s->defaultAction, s->defaultErrnoRet_present, s->defaultErrnoRet,
                     "defaultAction", &def, err);
    if (r < 0)
        return r;
    /* The default applies to the runtime's own syscalls after the load too;
     * a notifying default would route them to an agent (validation). */
    if (def == SCMP_ACT_NOTIFY)
        return berth_error_make(err, EINVAL,
                                "seccomp: SCMP_ACT_NOTIFY cannot be the default "
                                "action");
    ctx = seccomp_init(def);
    if (!ctx)
        return berth_error_make(err, EINVAL, "seccomp: init filter with default action `%s`",
                                s->defaultAction);
    /* no_new_privs is the config's business (process.noNewPrivileges);
     * libseccomp would set it on its own load otherwise. Unused by our raw
     * load, set for anyone who loads the ctx with seccomp_load(). */
    (void)seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
    /* Binary tree search keeps large profiles (docker's ~400 names) fast;
     * an older libseccomp without it just keeps the linear list. */
    (void)seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
    for (size_t i = 0; i < s->architectures_len; i++) {
        uint32_t arch;
        r = parse_arch(s->architectures[i], &arch, err);
        if (r < 0)
            return r;
        r = seccomp_arch_add(ctx, arch);
        if (r < 0 && r != -EEXIST)
            return berth_error_make(err, -r, "seccomp: add architecture `%s`", s->architectures[i]);
        if (h->narchs < sizeof(h->archs) / sizeof(h->archs[0]))
            h->archs[h->narchs++] = arch;
    }
    h->def = def;
    for (size_t i = 0; i < s->syscalls_len; i++) {
        r = add_syscall(ctx, f, &s->syscalls[i], i, def, err);
        if (r < 0)
            return r;
    }
    *ret_ctx = TAKE_PTR(ctx);
    return 0;
}

/* libseccomp's part: the profile as classic BPF in f->prog. */
static int compile(const oci_seccomp *s, struct berth_seccomp *f, berth_error_t *err)
{
    _cleanup_(seccomp_ctx_release) scmp_filter_ctx ctx = NULL;
    struct profile_head h = {0};
    int r;

    r = build_ctx(s, &ctx, f, &h, err);
    if (r < 0)
        return r;
    if (f->notify && (!s->listenerPath || !*s->listenerPath))
        /* config-linux.md "Seccomp": listenerPath is where the fd goes. */
        return berth_error_make(err, EINVAL,
                                "seccomp: SCMP_ACT_NOTIFY is used but "
                                "listenerPath is not set");
    r = export_bpf(ctx, &f->prog, err);
    if (r < 0)
        return r;
    /* Newer syscalls than the profile knows: ENOSYS (seccomp-enosys.c). */
    if (berth_seccomp_wants_enosys(h.def)) {
        unsigned short before = f->prog.len;

        r = berth_seccomp_enosys_patch(s, h.archs, h.narchs, &f->prog, err);
        if (r < 0)
            return r;
        f->enosys_len = f->prog.len - before;
    }
    f->origin = BERTH_SECCOMP_COMPILED;
    return 0;
}

/* The program compiled before for this key, if one passes every check. A
 * refused entry is no error: the profile is compiled (and the entry
 * replaced by berth_seccomp_save). */
static bool find_compiled(struct berth_seccomp *f, const struct berth_seccomp_places *at)
{
    char name[2 * BERTH_SHA256_LEN + 1];
    const char *why = NULL;

    if (at->container_dirfd >= 0 &&
        berth_seccomp_entry_read(at->container_dirfd, BERTH_SECCOMP_PROGRAM, f->key, &f->prog,
                                 &why) == 0) {
        f->origin = BERTH_SECCOMP_FROM_CONTAINER;
        return true;
    }
    f->refused = why;
    berth_sha256_hex(f->key, name);
    if (at->cache_dirfd >= 0 &&
        berth_seccomp_entry_read(at->cache_dirfd, name, f->key, &f->prog, &why) == 0) {
        f->origin = BERTH_SECCOMP_FROM_CACHE;
        return true;
    }
    if (why)
        f->refused = why;
    return false;
}

static bool uses_notify(const oci_seccomp *s)
{
    for (size_t i = 0; i < s->syscalls_len; i++)
        if (s->syscalls[i].action && strcmp(s->syscalls[i].action, "SCMP_ACT_NOTIFY") == 0)
            return true;
    return false;
}

int berth_seccomp_build(const oci_seccomp *s, const struct berth_seccomp_places *at,
                        struct berth_seccomp **ret, berth_error_t *err)
{
    _cleanup_seccomp_ struct berth_seccomp *f = calloc(1, sizeof(*f));
    int r;

    if (!f)
        return berth_error_make(err, ENOMEM, "seccomp");
    /* Flags depend on the kernel as well: never part of a kept program. */
    r = parse_flags(s, &f->flags, err);
    if (r < 0)
        return r;
    r = berth_seccomp_key(s, f->key, err);
    if (r < 0)
        return r;
    /* A kept program was compiled from this very profile (the key), which
     * therefore passed every check of compile(). */
    if (!find_compiled(f, at ? at : &BERTH_SECCOMP_NO_PLACES)) {
        r = compile(s, f, err);
        if (r < 0)
            return r;
    }
    f->notify = uses_notify(s);
    if (f->notify) {
        f->flags |= FLAG_NEW_LISTENER;
        /* TSYNC and a listener exclude each other unless TSYNC failures are
         * reported as ESRCH (seccomp(2)); the init is single-threaded. */
        if (f->flags & SECCOMP_FILTER_FLAG_TSYNC)
            f->flags |= FLAG_TSYNC_ESRCH;
        r = make_handover(f, err);
        if (r < 0)
            return r;
    } else {
        /* Only meaningful for a listener; the kernel refuses it alone. */
        f->flags &= ~FLAG_WAIT_KILLABLE_RECV;
    }
    *ret = TAKE_PTR(f);
    return 0;
}

int berth_seccomp_save(const struct berth_seccomp *f, const struct berth_seccomp_places *at,
                       berth_error_t *err)
{
    char name[2 * BERTH_SHA256_LEN + 1];
    bool cached = f->origin == BERTH_SECCOMP_FROM_CACHE;

    berth_sha256_hex(f->key, name);
    if (f->origin == BERTH_SECCOMP_COMPILED && at->cache_dirfd >= 0) {
        berth_error_t ignored = NULL;

        cached = berth_seccomp_entry_write(at->cache_dirfd, name, f->key, &f->prog, &ignored) == 0;
        berth_error_release(&ignored);
        berth_seccomp_cache_trim(at->cache_dirfd);
    }
    if (at->container_dirfd < 0 || f->origin == BERTH_SECCOMP_FROM_CONTAINER)
        return 0;
    /* One link instead of a copy; its ctime is the entry's last use, which
     * the trim goes by. A link that fails (the entry trimmed meanwhile)
     * falls back to a copy. */
    if (cached && linkat(at->cache_dirfd, name, at->container_dirfd, BERTH_SECCOMP_PROGRAM, 0) == 0)
        return 0;
    return berth_seccomp_entry_write(at->container_dirfd, BERTH_SECCOMP_PROGRAM, f->key, &f->prog,
                                     err);
}

void berth_seccomp_free(struct berth_seccomp *f)
{
    if (!f)
        return;
    free(f->prog.filter);
    strv_free(f->unknown);
    if (f->handover)
        (void)munmap((void *)f->handover, sizeof(int));
    free(f);
}

/* ---- load (in the init) ---------------------------------------------------- */

/* Syscalls berth itself still makes after this returns (measured with
 * strace on the x86_64 init, init.c step numbers), so a profile must allow
 * them; a notified one is answered by the agent, which has the listener
 * fd before any of them can block (the parent fetched it with
 * pidfd_getfd; the init makes no syscall for the handover, crun#1002,
 * runc#4328):
 *
 * process.noNewPrivileges true (loaded after step 15, right before READY):
 *   prctl(PR_SET_DUMPABLE, 0), prctl(PR_SET_PDEATHSIG, 0), sendto (READY on
 *   the sync socket), close, openat("/proc/self/fd/N", O_WRONLY) of
 *   exec.fifo (blocks until `berth start`), write("0"), close, execve;
 *   under `berth run` instead of the fifo: recvfrom (START), sendto
 *   (STARTED), close, execve.
 * process.noNewPrivileges false (seccomp(2) then needs CAP_SYS_ADMIN, so it
 * is loaded before step 9 drops capabilities, as runc does): additionally
 *   prctl(PR_CAPBSET_DROP, ...) per capability, prctl(PR_SET_KEEPCAPS),
 *   setgroups, setresgid, setresuid, capget, capset,
 *   prctl(PR_CAP_AMBIENT, ...), sendto (warnings), umask, chdir,
 *   newfstatat + access (args[0] lookup), getuid, openat/newfstatat/read/
 *   close of /etc/passwd (HOME), close_range, fcntl (preserved fds),
 *   access("/proc/self/fd/N"), then the list above.
 * On failure only: sendto (ERROR) or write (stderr), exit_group. */
int berth_seccomp_load(struct berth_seccomp *f, int *ret_notify_fd, berth_error_t *err)
{
    long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, f->flags, &f->prog);
    int saved = errno;

    if (f->handover)
        __atomic_store_n(f->handover, r < 0 ? -saved : (int)r, __ATOMIC_RELEASE);
    if (r < 0) {
        if (saved == EACCES)
            return berth_error_make(err, saved,
                                    "load seccomp filter (needs "
                                    "process.noNewPrivileges or CAP_SYS_ADMIN)");
        return berth_error_make(err, saved, "load seccomp filter");
    }
    if (ret_notify_fd)
        *ret_notify_fd = (f->flags & FLAG_NEW_LISTENER) ? (int)r : -1;
    return 0;
}
