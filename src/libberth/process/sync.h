/* sync.h: the parent <-> container-init protocol of `berth create`.
 *
 * berth never re-executes itself: the init is a clone of the `berth create`
 * process and shares its parsed config (copy-on-write). The only thing the
 * two sides exchange is a few typed, fixed-size messages over a
 * SOCK_SEQPACKET socketpair (message boundaries are kept, and the parent sees
 * EOF as soon as every child copy of the other end is gone, i.e. the child
 * died). Both ends are O_CLOEXEC, so nothing of it reaches the user process.
 *
 * Sequence chart. "boot" exists only on the two-stage path (a namespace is
 * joined by path, or a time namespace is requested; see namespaces.h); on the
 * one-stage path the init itself is the clone and the boot column is empty.
 *
 *   parent (berth create)          boot (2-stage only)       init
 *   ---------------------          -------------------       ----
 *   validate, state dir,
 *   exec.fifo, the cgroup2 dir
 *   idmapped bind trees (idmap.h:
 *   open_tree + MOUNT_ATTR_IDMAP;
 *   no message: the clone
 *   inherits the fds and the init
 *   move_mount()s them in prepare)
 *   socketpair, clone3 ----------> the clone (boot, or the init on 1-stage)
 *   (CLONE_INTO_CGROUP on v2)
 *   state.json "planned" (before
 *   any cgroup dir exists)
 *   v1 cgroup dirs, resources,     (meanwhile: its own setup, the mounts;
 *   their `tasks` fds              it waits for this message at the first
 *        ---- CGROUP_READY + fds -> step that needs the cgroup; first thing
 *                                  with a user or cgroup namespace or two
 *                                  stages, see init.c cgroup_join_point)
 *   1-stage: state.json (pid,
 *   start time)
 *        ---- RECORDED ----------> (taken by whichever receive comes next,
 *                                  init.c init_recv; needed before READY)
 *                                  setns(paths), user first
 *                                  [unshare(CLONE_NEWUSER)]
 *        <--- USERNS_READY ------- (from the boot, or from the init)
 *   write /proc/PID/uid_map,
 *   gid_map (setgroups deny
 *   only when unprivileged)
 *        ---- USERNS_MAPPED -----> setresuid/gid(0)
 *                                  unshare(the other new ns),
 *                                  timens offsets,
 *                                  clone(CLONE_PARENT) ----> (pid 1)
 *        <--- INIT_PID(pid) ------ _exit(0)                  waits for:
 *        ---- INIT_GO ------------------------------------> (every later message
 *   2-stage: state.json (pid,                                has a known pid)
 *   start time)
 *        ---- RECORDED ------------------------------------>
 *                                                            setsid, hostname,
 *                                                            keyring,
 *                                                            rootfs prepare
 *        <--- HOOKS (with prestart/createRuntime/createContainer hooks) --
 *   prestart, createRuntime
 *        ---- HOOKS_DONE ---------------------------------->  createContainer,
 *                                                            pivot, sysctl,
 *                                                            [terminal:]
 *        <--- TERMINAL + pty master (SCM_RIGHTS) ----------
 *   to --console-socket, or
 *   kept for run's proxy                                     finalize, rlimits,
 *                                                            oom, personality,
 *                                                            scheduler, ioprio
 *        <--- SECCOMP (only with a notify action) ---------  load filter (here
 *   pidfd_getfd the listener fd,                             without nnp, after
 *   send it to listenerPath                                  the fds with nnp)
 *                                                            caps, user, nnp,
 *                                                            umask, cwd,
 *                                                            lookup args[0], fds
 *        <--- WARN(text): any number, any time, from either child ---------
 *        <--- ERROR(errno, text): on any failure, then the child _exit(1)s
 *                                                            [RECORDED taken:]
 *                                                            parent-death
 *                                                            signal cleared
 *        <--- READY ---------------------------------------  close sync socket
 *   pid file, exit                                           open exec.fifo
 *                                                            O_WRONLY: blocks
 *                                                            until `berth start`
 *                                                            startContainer,
 *                                                            answer "0" (or
 *                                                            "1"+error), execve
 *
 * `berth run` starts what it created without the fifo (no exec.fifo is
 * made): after READY the init keeps the socket and waits for START;
 *        ---- START ---------------------------------------> parent-death signal
 *                                                            cleared,
 *                                                            startContainer
 *        <--- STARTED (or ERROR) --------------------------  execve
 *   pid file, poststart hooks
 *
 * Any error on either side aborts create: the parent kills and reaps the
 * children, runs poststop if the create hooks had begun, removes the cgroup
 * and the state directory, so the host is left as before.
 *
 * `berth exec` speaks the same messages with its own two children (joiner
 * and process: INIT_PID, INIT_GO, TERMINAL, SECCOMP, WARN,
 * ERROR; EOF at the process's execve means "running"); its chart is in
 * exec.c.
 */
#ifndef BERTH_SYNC_H
#define BERTH_SYNC_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

enum berth_sync_type {
    BERTH_SYNC_USERNS_READY = 1, /* child -> parent: write my id maps */
    BERTH_SYNC_USERNS_MAPPED,    /* parent -> child: maps written */
    BERTH_SYNC_INIT_PID,         /* boot -> parent: value = init pid (host) */
    BERTH_SYNC_WARN,             /* child -> parent: text is a warning */
    BERTH_SYNC_ERROR,            /* child -> parent: value = errno, text */
    BERTH_SYNC_READY,            /* init -> parent: set up, waiting for start */
    BERTH_SYNC_TERMINAL,         /* init -> parent: the next message carries the
                                    pty master (SCM_RIGHTS), text = pty name */
    BERTH_SYNC_INIT_GO,          /* parent -> init (2-stage): pid known, go on */
    BERTH_SYNC_SECCOMP,          /* init -> parent: loading a filter with a
                                    notify listener, take its fd (pidfd_getfd) */
    BERTH_SYNC_HOOKS,            /* init -> parent: mounts done, run prestart
                                    and createRuntime hooks now */
    BERTH_SYNC_HOOKS_DONE,       /* parent -> init: they succeeded */
    BERTH_SYNC_START,            /* parent -> init (run only): start now */
    BERTH_SYNC_STARTED,          /* init -> parent (run only): startContainer
                                    hooks done, exec follows */
    BERTH_SYNC_CGROUP_READY,     /* parent -> child: the v1 cgroup dirs exist,
                                    resources applied; value = number of
                                    `tasks` fds in the next message */
    BERTH_SYNC_RECORDED,         /* parent -> init: state.json holds the init's
                                    pid and start time; it may outlive berth
                                    create from now on (see the chart) */
};

#define BERTH_SYNC_TEXT_MAX 1024

struct berth_sync_msg {
    uint32_t type;                  /* enum berth_sync_type */
    int32_t value;                  /* errno (ERROR), pid (INIT_PID), else 0 */
    char text[BERTH_SYNC_TEXT_MAX]; /* NUL-terminated (WARN, ERROR) */
};

/* A SOCK_SEQPACKET|SOCK_CLOEXEC socketpair: fds[0] parent, fds[1] child. */
int berth_sync_pair(int fds[2], berth_error_t *err);

/* Sends one message; only the used part of text goes over the wire. */
int berth_sync_send(int fd, enum berth_sync_type type, int32_t value, const char *text,
                    berth_error_t *err);

/* Receives one message. Returns 0 on EOF (peer gone), 1 on a message. */
int berth_sync_recv(int fd, struct berth_sync_msg *msg, berth_error_t *err);

/* Receives one message and fails unless it is of type `want` (an ERROR from
 * the peer becomes the error). */
int berth_sync_expect(int fd, enum berth_sync_type want, berth_error_t *err);

/* Child side: sends *err as an ERROR message; when that fails, writes it to
 * stderr ("berth init: ..."), so it is never lost. */
void berth_sync_send_error(int fd, const berth_error_t *err);

/* Turns a received ERROR message into *err, keeping its errno. */
int berth_sync_error_from(const struct berth_sync_msg *msg, berth_error_t *err);

const char *berth_sync_type_name(uint32_t type);

#endif
