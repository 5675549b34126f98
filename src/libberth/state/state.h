/* state.h: the on-disk container store under --root.
 *
 * Layout: <root>/<id>/ (0700) holding
 *   state.json  written atomically (temp file + rename), see struct below
 *   exec.fifo   the create->start handshake (exists only while "created")
 *   lock        flock()ed by every command touching the container, so that
 *               concurrent berth invocations on one id serialise
 *   config.json a copy of the bundle config taken at create time (the spec:
 *               later edits to the bundle have no effect)
 */
#ifndef BERTH_STATE_H
#define BERTH_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/cleanup.h"
#include "util/error.h"

enum berth_status {
    BERTH_STATUS_CREATING,
    BERTH_STATUS_CREATED,
    BERTH_STATUS_RUNNING,
    BERTH_STATUS_PAUSED,
    BERTH_STATUS_STOPPED,
};

const char *berth_status_name(enum berth_status s);

struct berth_annotation {
    char *key;
    char *value;
};

/* What berth records about a container's cgroups, as state.json holds it
 * ("cgroup" object, state-json.c) and cgroup.h fills and reads it. State
 * sits below cgroups in the layers, so the record is plain data here. */
struct berth_cgroup_record_dir {
    bool v2;           /* "hierarchy": "v1" or "v2" */
    char *controllers; /* v1: "cpu,cpuacct"; v2: "hugetlb memory ..." */
    char *mount;       /* mount point of the hierarchy */
    char *path;        /* absolute directory of the container */
    char *created;     /* topmost directory berth created, NULL = none */
    bool devices;      /* v2: serves the device filter */
    bool freezer;      /* v2: serves freeze */
};

struct berth_cgroup_record {
    char *path; /* the container's cgroup path as resolved, "/berth/ID" */
    struct berth_cgroup_record_dir *dirs;
    size_t ndirs;
    char *unit;     /* systemd driver: "berth-ID.scope"; NULL with cgroupfs */
    bool unit_v2;   /* systemd runs the unified layout */
    bool unit_user; /* the unit is the user's systemd instance's (rootless) */
    bool planned;   /* written by create before making anything: which
                       directories exist, and which of them berth made, is
                       not known (a create killed before its final record) */
};

void berth_cgroup_record_free(struct berth_cgroup_record *rec);
DEFINE_CLEANUP_FUNC(struct berth_cgroup_record *, berth_cgroup_record_free)

/* Everything berth remembers about a container. */
struct berth_container_state {
    char *id;
    char *bundle;                       /* absolute */
    char *rootfs;                       /* absolute */
    pid_t pid;                          /* init pid in the host pid ns; 0 while creating */
    uint64_t start_time;                /* field 22 of /proc/<pid>/stat, guards pid reuse */
    char *created;                      /* RFC3339 with nanoseconds, UTC */
    char *owner;                        /* user name (or uid) of the creator */
    char *cgroup_path;                  /* as resolved at create, may be NULL */
    struct berth_cgroup_record *cgroup; /* the directories and which of them
                                           berth created; NULL = no cgroup */
    bool created_status;                /* init is still waiting on exec.fifo */
    struct berth_annotation *annotations;
    size_t annotations_len;
};

void berth_container_state_free(struct berth_container_state *s);

/* Valid ids match ^[A-Za-z0-9][A-Za-z0-9_.+-]*$ (and are not too long). */
#define BERTH_ID_MAX 1024
int berth_id_validate(const char *id, berth_error_t *err);

/* Creates <root>/<id> exclusively ("container with id %s already exists"),
 * creating <root> with 0700 if needed, and the lock file in it. Returns an
 * O_DIRECTORY fd. */
int berth_state_dir_create(const char *root, const char *id, berth_error_t *err);

/* Opens <root>/<id>; -ENOENT error "container %s does not exist". */
int berth_state_dir_open(const char *root, const char *id, berth_error_t *err);
/* The same below an fd of root (root names it in messages). */
int berth_state_dir_openat(int rootfd, const char *root, const char *id, berth_error_t *err);

/* Sets *err to exactly "container %s does not exist" with status ENOENT
 * and returns -ENOENT. */
int berth_state_error_not_exist(berth_error_t *err, const char *id);

/* flock(LOCK_EX) on <dir>/lock; returns the lock fd (close to release).
 * Never creates the lock file (berth_state_dir_create does): -ENOENT when
 * the container was deleted. After it returns, a state.json that is gone
 * means the container was deleted while we waited. Waits at most
 * BERTH_LOCK_TIMEOUT_MS, then fails with -ETIMEDOUT.
 *
 * The lock belongs to the open file, not the process: a child forked
 * while the fd is open holds the lock too, until it closes the fd or execs
 * (the fd is O_CLOEXEC). So create MUST close the lock fd (and the state
 * dir fd) in the init right after clone, before it blocks on exec.fifo;
 * otherwise `start` waits for a lock the init holds, and the init waits
 * for `start`. */
#define BERTH_LOCK_TIMEOUT_MS 30000
int berth_state_lock(int dirfd, berth_error_t *err);

/* True when the directory of dirfd has been removed (link count 0). */
bool berth_state_dir_is_removed(int dirfd);

int berth_state_write(int dirfd, const struct berth_container_state *s, berth_error_t *err);

struct oci_config;
/* Writes <dir>/config.json (created exclusively, 0600): the config the
 * container was made from, emitted from the parsed model. runtime.md
 * "Create": later edits of the bundle's config.json have no effect, and
 * start, delete and exec read this copy. */
int berth_state_write_config(int dirfd, const struct oci_config *cfg, berth_error_t *err);

/* The state dir of a new container (create, restore): made exclusively,
 * locked (held until the caller returns: start/kill/delete of the id
 * wait), with the config copy. *ret_dirfd is set as soon as the dir
 * exists, so that the caller removes it when this or a later step fails. */
int berth_state_dir_claim(const char *root, const char *id, const struct oci_config *cfg,
                          int *ret_dirfd, int *ret_lockfd, berth_error_t *err);
int berth_state_read(int dirfd, struct berth_container_state **ret, berth_error_t *err);
/* The same for <rootfd>/<id>/state.json in one open (list): no directory
 * fd; -ENOENT also for what the slow path (berth_state_dir_openat, then
 * berth_state_read) must tell apart: a container being created or
 * deleted, or a kernel without openat2. */
int berth_state_read_at(int rootfd, const char *id, struct berth_container_state **ret,
                        berth_error_t *err);

/* Reads a small file of the state dir (e.g. the config.json copy) into a
 * NUL-terminated buffer; refuses symlinks and files over 16 MiB. */
int berth_state_read_file(int dirfd, const char *name, char **ret, berth_error_t *err);

/* Removes <root>/<id> and everything in it: renames the dir out of the way
 * (the id is free again at once), unlinks state.json (the container is gone
 * for everyone from then on) and deletes the rest. Call it with the lock
 * held. */
int berth_state_dir_remove(const char *root, const char *id, berth_error_t *err);

/* For `delete --force` of an id that does not exist: what a berth killed
 * half way left under that id and nobody else can reach any more, removed
 * best effort: the hidden dir of a delete killed after its rename, and an
 * empty <root>/<id> of a create killed before its lock file. */
void berth_state_dir_purge(const char *root, const char *id);

/* The state root of a rootless user under $XDG_RUNTIME_DIR (runc's): made
 * 0700 with the sticky bit (the XDG spec: files there without it may be
 * pruned), and refused unless it is a directory of ours, so that one user
 * can never write into another's state. */
int berth_state_root_own(const char *root, berth_error_t *err);

/* <root>/<name>~cache, a directory of files shared by the containers of
 * root (the seccomp programs: berth-seccomp.h). '~' is in no id, so list
 * skips it and no create claims it. create: made (with root) when missing.
 * Returns its fd, or -1 when it is missing, cannot be made, or is anything
 * but a directory of this euid that nobody else can enter: a cache is an
 * optimisation and never an error. */
int berth_state_cache_open(const char *root, const char *name, bool create);

/* Lists ids under root (sorted); ret is a NULL-terminated strv.
 * *ret_rootfd (may be NULL) gets an fd of root, -1 when root does not
 * exist: for berth_state_dir_openat of each id without reopening root. */
int berth_state_list(const char *root, int *ret_rootfd, char ***ret, berth_error_t *err);

/* The rest of the module's door: other modules include this header only
 * (docs/architecture.md, "Doors"). */
#include "state/state-json.h"

#endif
