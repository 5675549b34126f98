# common.sh: sourced by tests/engines/test-*.sh after setting ENGINE.
#
# Builds on tests/integration/lib.sh (TAP numbering, run_cmd with timeout,
# assertions, TEST_TMP, add_cleanup, leak scan at exit) and adds:
#   RT            the runtime path given to the engine: a tiny wrapper that
#                 appends each call's argv to $CALLS and execs $BERTH (so a
#                 failure report shows the engine's exact call);
#                 BERTH_ENGINES_TRACE=0 points the engines at $BERTH itself
#   IMG           image dir from lib/make-image.sh (rootfs/, rootfs.tar, oci.tar)
#   CG_PARENT     a cgroup parent private to this script (removed at exit)
#   start_daemon NAME LOG CMD...  background daemon, pid in DAEMON_PID[NAME]
#   stop_daemon NAME              TERM, wait up to 20s, then KILL, by pid
#   wait_socket PATH [SEC]
#   kill_procs_mentioning STRING  kills (by pid) processes whose command
#                                 line holds STRING, e.g. a private socket
#                                 path: leftover shims of our own daemon
#   umount_below DIR              unmounts everything below DIR, deepest first
#   cg_value CONTROLLER FILE PATTERN  value of a cgroup v1 file in a cgroup
#                                 whose path contains PATTERN
#   berth_calls PATTERN           the traced calls matching PATTERN
#   expect_bug DESC               diag line marking a known berth bug
# conmon and the containerd shims daemonise: they are reparented to the
# nearest child subreaper, else to pid 1. A pid 1 that reaps slowly (some VM
# inits do) leaves conmon a zombie, and podman then waits 20 s per container
# for it to go. So the script re-executes itself as a child subreaper; bash
# reaps any child promptly (waitpid(-1) on SIGCHLD).
if [ -z "${_BERTH_ENGINES_SUBREAPER:-}" ]; then
    export _BERTH_ENGINES_SUBREAPER=1
    exec /usr/bin/python3 -c 'import ctypes, os, sys
if ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) != 0:  # PR_SET_CHILD_SUBREAPER
    sys.exit("prctl(PR_SET_CHILD_SUBREAPER) failed")
os.execv("/bin/bash", ["bash"] + sys.argv[1:])' "$0" "$@"
fi
. "$(dirname "${BASH_SOURCE[0]}")/../../integration/lib.sh"

require_root
export PATH=$TEST_TMP/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin
mkdir -p "$TEST_TMP/bin"
# Engine calls go through /tmp paths: keep socket paths short (108 bytes).
BERTH_TEST_TIMEOUT=${BERTH_TEST_TIMEOUT:-60}

[ -x "$BERTH" ] || bail_out "berth binary $BERTH not found (build it or set BERTH)"
CALLS=$TEST_TMP/berth-calls.log
mkdir -p "$TEST_TMP/configs"
: >"$CALLS"
if [ "${BERTH_ENGINES_TRACE:-1}" = 1 ]; then
    RT=$TEST_TMP/bin/berth
    cat >"$RT" <<W
#!/bin/sh
printf '%s\n' "\$*" >>'$CALLS'
# keep each created bundle's config.json for failure reports
prev=
for a in "\$@"; do
    if [ "\$prev" = --bundle ] || [ "\$prev" = -b ]; then
        cp "\$a/config.json" '$TEST_TMP/configs/'"\$(basename "\$a")".json 2>/dev/null
    fi
    prev=\$a
done
exec '$BERTH' "\$@"
W
    chmod 755 "$RT"
else
    RT=$BERTH
fi

IMG=$TEST_TMP/img
CHECKER=$CHECKER bash "$SRCDIR/tests/engines/lib/make-image.sh" "$IMG" ||
    bail_out "cannot build the busybox image"

# A cgroup parent of our own: podman --cgroup-parent and docker
# --cgroup-parent put containers below it, so leftovers are easy to find.
CG_PARENT=berth-engines-$ENGINE-$$
add_cleanup '_cg_remove_parent'
_cg_remove_parent() {
    local d
    for d in /sys/fs/cgroup/*/"$CG_PARENT"; do
        [ -d "$d" ] || continue
        find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
    done
}

declare -A DAEMON_PID=()

# start_daemon NAME LOG CMD...: runs CMD in the background (new session, no
# stdin), pid in DAEMON_PID[NAME].
start_daemon() {
    local name=$1 log=$2
    shift 2
    setsid "$@" </dev/null >>"$log" 2>&1 &
    DAEMON_PID[$name]=$!
}

stop_daemon() {
    local name=$1 pid=${DAEMON_PID[$1]:-} i
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < 200; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    unset "DAEMON_PID[$name]"
}

wait_socket() {
    local sock=$1 sec=${2:-30} i
    for ((i = 0; i < sec * 10; i++)); do
        [ -S "$sock" ] && return 0
        sleep 0.1
    done
    return 1
}

kill_procs_mentioning() {
    local s=$1 p
    for p in /proc/[0-9]*; do
        [ "${p#/proc/}" = $$ ] && continue
        if tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -q -F -- "$s"; then
            kill -KILL "${p#/proc/}" 2>/dev/null
        fi
    done
}

umount_below() {
    local dir=$1 m
    awk '{ print $5 }' /proc/self/mountinfo | grep -F "$dir" | sort -r | while read -r m; do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
    done
}

# cg_value CONTROLLER FILE PATTERN: first match under /sys/fs/cgroup/CONTROLLER.
cg_value() {
    local f
    f=$(find "/sys/fs/cgroup/$1" -path "*$3*" -name "$2" 2>/dev/null | head -n1)
    [ -n "$f" ] && cat "$f"
}

berth_calls() {
    grep -E -- "$1" "$CALLS" 2>/dev/null
}

# On a failed test: the last berth calls the engine made.
diag_calls() {
    diag_block "last berth calls (of $(wc -l <"$CALLS")):" "$(tail -n "${1:-6}" "$CALLS")"
}

# assert_* wrappers that also show the engine's berth calls on failure.
_n_failed_before=0
mark() { _n_failed_before=$_tap_failed; }
calls_if_failed() { [ "$_tap_failed" = "$_n_failed_before" ] || diag_calls 8; }

host_has_oom_kill() {
    # cgroup v1 memory controller with a writable limit.
    [ -f /sys/fs/cgroup/memory/memory.limit_in_bytes ]
}

# retry N CMD...: up to N tries of CMD, 0.3 s apart (engine CLIs are slow:
# lib.sh's wait_for would make 100 calls).
retry() {
    local n=$1 i
    shift
    for ((i = 0; i < n; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.3
    done
    return 1
}

# poll N 'SHELL CONDITION': evaluates the condition up to N times, 0.2 s apart.
poll() {
    local n=$1 i
    for ((i = 0; i < n; i++)); do
        eval "$2" && return 0
        sleep 0.2
    done
    return 1
}
