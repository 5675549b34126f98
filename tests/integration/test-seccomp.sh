#!/bin/bash
# test-seccomp.sh: linux.seccomp end to end (config-linux.md "Seccomp"):
# filters observed from inside real containers (`berth run`), spec errors
# failing create without leftovers, and SCMP_ACT_NOTIFY with a listener
# (helpers/seccomp-listener.c) that receives the container process state
# and fakes mkdir, while the syscalls berth itself still makes after loading
# the filter (sendmsg, write, openat, close, fcntl) are notified too: they
# must not deadlock (crun#1002, runc#4328).
#
# Skips as a whole while `berth features` reports seccomp as not enabled
# (the module is built but not yet wired into create).
. "$(dirname "$0")/lib.sh"

require_root
require_cmd gcc

run_cmd "$BERTH" features
[ "$status" = 0 ] || bail_out "berth features failed: $stderr"
enabled=$(json_get "$output" 'j["linux"]["seccomp"]["enabled"]')
[ "$enabled" = true ] ||
    skip_all "berth features: linux.seccomp.enabled is $enabled (seccomp not wired into create yet)"

LISTENER=$TEST_TMP/seccomp-listener
gcc -O2 -Wall -o "$LISTENER" "$SRCDIR/tests/integration/helpers/seccomp-listener.c" \
    >"$TEST_TMP/listener-build.log" 2>&1 ||
    bail_out "cannot build seccomp-listener: $(head -c 600 "$TEST_TMP/listener-build.log")"
DUMP=$TEST_TMP/seccomp-dump
gcc -O2 -Wall -o "$DUMP" "$SRCDIR/tests/integration/helpers/seccomp-dump.c" \
    >"$TEST_TMP/dump-build.log" 2>&1 ||
    bail_out "cannot build seccomp-dump: $(head -c 600 "$TEST_TMP/dump-build.log")"

B=$(make_bundle) || bail_out "cannot make a bundle"
# A fresh tmpfs on /tmp per container: mkdir probes need a writable place
# and must not see each other's directories.
update_config "$B" 'c["mounts"].append({"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev"]})' ||
    bail_out "cannot update config"
snapshot_host

# seccomp B 'PYTHON dict literal': sets linux.seccomp of bundle B.
seccomp() {
    update_config "$1" "c['linux']['seccomp'] = $2"
}
# run_sh B SCRIPT: runs `sh -c SCRIPT` in a fresh container of bundle B.
run_sh() {
    set_args "$1" /bin/sh -c "$2"
    run_cmd berth run --bundle "$1" "$(new_id)"
}
MKDIRS="'names': ['mkdir', 'mkdirat']"
PROBE='mkdir /tmp/d; echo rc=$?; if test -d /tmp/d; then echo exists; else echo absent; fi'

# ------------------------------------------------------------------ actions
seccomp "$B" "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{$MKDIRS, 'action': 'SCMP_ACT_ERRNO'}]}"
run_sh "$B" "$PROBE; /bin/checker seccomp"
assert_success "ERRNO: container runs"
assert_contains "$output" "Seccomp=2" "ERRNO: the process runs in seccomp filter mode"
assert_eq "$(kv rc)" 1 "ERRNO: mkdir fails"
assert_contains "$stderr$output" "Operation not permitted" "ERRNO: default errno is EPERM"
assert_contains "$output" absent "ERRNO: the directory was not created"

seccomp "$B" "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{$MKDIRS, 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 28}]}"
run_sh "$B" "$PROBE"
assert_contains "$stderr$output" "No space left on device" "ERRNO: errnoRet 28 gives ENOSPC"

seccomp "$B" "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{$MKDIRS, 'action': 'SCMP_ACT_KILL_PROCESS'}]}"
run_sh "$B" "$PROBE"
assert_eq "$(kv rc)" 159 "KILL_PROCESS: mkdir kills the process with SIGSYS (128+31)"

seccomp "$B" "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{$MKDIRS, 'action': 'SCMP_ACT_LOG'}]}"
run_sh "$B" "$PROBE"
assert_contains "$output" exists "LOG: mkdir is allowed"

# MASKED_EQ on the mode argument (chmod: index 1, fchmodat[2]: index 2):
# (mode & 0o077) == 0 denies making a file private, nothing else.
seccomp "$B" "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [
  {'names': ['chmod'], 'action': 'SCMP_ACT_ERRNO', 'args': [{'index': 1, 'value': 0o077, 'valueTwo': 0, 'op': 'SCMP_CMP_MASKED_EQ'}]},
  {'names': ['fchmodat', 'fchmodat2'], 'action': 'SCMP_ACT_ERRNO', 'args': [{'index': 2, 'value': 0o077, 'valueTwo': 0, 'op': 'SCMP_CMP_MASKED_EQ'}]}]}"
run_sh "$B" 'touch /tmp/f; chmod 700 /tmp/f; echo private=$?; chmod 755 /tmp/f; echo open=$?'
assert_eq "$(kv private)/$(kv open)" 1/0 "MASKED_EQ: mode 0700 denied, 0755 allowed"

# Names libseccomp does not know are skipped (as runc), the rest applies.
seccomp "$B" "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['mkdir', 'berth_no_such_syscall', 'mkdirat'], 'action': 'SCMP_ACT_ERRNO'}]}"
run_sh "$B" "$PROBE"
assert_eq "$status/$(kv rc)" 0/1 "unknown syscall names are skipped, known ones filtered"

# Without noNewPrivileges the filter needs CAP_SYS_ADMIN: berth must load it
# before dropping capabilities (docker's default: NNP off, no SYS_ADMIN).
seccomp "$B" "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{$MKDIRS, 'action': 'SCMP_ACT_ERRNO'}]}"
update_config "$B" '
p = c["process"]
p["noNewPrivileges"] = False
p["user"] = {"uid": 1000, "gid": 1000}
for k in p.get("capabilities", {}):
    p["capabilities"][k] = [x for x in p["capabilities"][k] if x != "CAP_SYS_ADMIN"]
'
run_sh "$B" "$PROBE; /bin/checker seccomp nnp"
assert_success "noNewPrivileges false, uid 1000, no CAP_SYS_ADMIN: container runs"
assert_eq "$(kv Seccomp)/$(kv NoNewPrivs)/$(kv rc)" 2/0/1 "filter loaded without no_new_privs, mkdir denied"
update_config "$B" 'c["process"]["noNewPrivileges"] = True; c["process"].pop("user")'

# ----------------------------------------------------- kept programs (issue 22)
# A profile is compiled once: create keeps the program in the container's
# state dir (exec loads it) and in <root>/seccomp~cache for the next
# container with the same profile. What the kernel runs (seccomp-dump) must
# be the same program whichever way berth got it, and an entry that fails a
# check is never used.
CACHE=$BERTH_ROOT/seccomp~cache
K=$(make_bundle) || bail_out "cannot make a bundle"
seccomp "$K" "{'defaultAction': 'SCMP_ACT_ALLOW', 'architectures': ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86'], 'syscalls': [{$MKDIRS, 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 13}, {'names': ['chmod'], 'action': 'SCMP_ACT_ERRNO', 'args': [{'index': 1, 'value': 0o077, 'valueTwo': 0, 'op': 'SCMP_CMP_MASKED_EQ'}]}]}"
set_args "$K" /bin/sleep 1000
# start_kept ID: run -d with --debug; KEPT_LOG gets the seccomp lines,
# KEPT_PID the init.
start_kept() {
    run_cmd berth --debug run -d --bundle "$K" "$1"
    KEPT_LOG=$(grep 'seccomp: program' <<<"$stderr")
    KEPT_PID=$(json_get "$(berth state "$1")" 'j["pid"]')
}
# filter PID: SHA-256 of the first filter the kernel runs for PID.
filter() { "$DUMP" "$1" | sha256sum | cut -d' ' -f1; }
entries() { find "$CACHE" -maxdepth 1 -type f | wc -l; }

k1=$(new_id)
start_kept "$k1"
assert_contains "$KEPT_LOG" "compiled:" "kept: the first container compiles the profile"
key=$(sed -n 's/.*seccomp: program \([0-9a-f]\{64\}\) compiled.*/\1/p' <<<"$KEPT_LOG")
assert_eq "$(stat -c '%a %u %F' "$CACHE/$key" 2>&1)" "600 0 regular file" \
    "kept: the cache entry is named by the key, 0600, root's"
assert_eq "$(stat -c %a "$CACHE")" 700 "kept: the cache dir is root's only (0700)"
assert_eq "$(stat -c %i "$BERTH_ROOT/$k1/seccomp.bpf" 2>&1)" "$(stat -c %i "$CACHE/$key")" \
    "kept: the container's program is a link to the cache entry"
F1=$(filter "$KEPT_PID")
assert_eq "$(( $("$DUMP" "$KEPT_PID" | wc -c) + 80 ))" "$(stat -c %s "$CACHE/$key")" \
    "kept: the entry is the program the kernel runs plus its 80-byte header"

k2=$(new_id)
start_kept "$k2"
assert_contains "$KEPT_LOG" "program $key from the cache" "kept: the second container takes the cache's program"
assert_not_contains "$KEPT_LOG" "compiled" "kept: and compiles nothing"
assert_eq "$(filter "$KEPT_PID")" "$F1" "kept: the cached program is the compiled one, byte for byte"
run_cmd berth exec "$k2" /bin/sh -c 'mkdir /tmp/x; echo rc=$?'
assert_eq "$(kv rc)" 1 "kept: the filter of a cached program denies mkdir"

run_cmd berth --debug exec -d --pid-file "$TEST_TMP/x.pid" "$k2" /bin/sleep 1000
assert_contains "$stderr" "seccomp: program from the container" "kept: exec loads the container's program"
xpid=$(cat "$TEST_TMP/x.pid" 2>/dev/null)
assert_eq "$(filter "$xpid")" "$F1" "kept: the exec'd process runs the same filter"
kill -KILL "$xpid" 2>/dev/null

# Corrupt in place (the container's links share the inode): refused.
python3 - "$CACHE/$key" <<'PY'
import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(100); b = f.read(1); f.seek(100); f.write(bytes([b[0] ^ 0x40]))
PY
k3=$(new_id)
start_kept "$k3"
assert_contains "$KEPT_LOG" "refused (its checksum does not match), compiled again" \
    "corrupt entry: refused and compiled again"
assert_eq "$(filter "$KEPT_PID")" "$F1" "corrupt entry: the container runs the profile's filter"
run_cmd berth --debug exec -d --pid-file "$TEST_TMP/y.pid" "$k2" /bin/sleep 1000
assert_contains "$stderr" "program from the cache, an entry refused: its checksum does not match" \
    "corrupt entry: exec refuses the container's copy and takes the rewritten cache entry"
ypid=$(cat "$TEST_TMP/y.pid" 2>/dev/null)
assert_eq "$(filter "$ypid")" "$F1" "corrupt entry: the exec'd process runs the profile's filter"
kill -KILL "$ypid" 2>/dev/null

# Another profile's entry under this key, a loose mode, a symlink, a fifo.
cp "$CACHE/$key" "$TEST_TMP/good"
seccomp "$K" "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['chmod'], 'action': 'SCMP_ACT_ERRNO'}]}"
k4=$(new_id)
start_kept "$k4"
key2=$(sed -n 's/.*seccomp: program \([0-9a-f]\{64\}\) compiled.*/\1/p' <<<"$KEPT_LOG")
F2=$(filter "$KEPT_PID")
assert_ne "$F2" "$F1" "a second profile has a filter of its own"
refused_as() { # SETUP-DONE-ALREADY WHY DESC
    local id
    id=$(new_id)
    start_kept "$id"
    assert_contains "$KEPT_LOG" "refused ($1), compiled again" "$2: refused"
    assert_eq "$(filter "$KEPT_PID")" "$F2" "$2: the container runs its own profile's filter"
    berth delete -f "$id" >/dev/null 2>&1
}
rm -f "$CACHE/$key2"; cp "$TEST_TMP/good" "$CACHE/$key2"
refused_as "written for another profile or build" "another profile's program under this key"
chmod 0622 "$CACHE/$key2"
refused_as "owned by another user or writable by others" "an entry writable by others"
rm -f "$CACHE/$key2"; ln -s "$CACHE/$key" "$CACHE/$key2"
refused_as "a symlink" "a symlink in the cache"
rm -f "$CACHE/$key2"; mkfifo "$CACHE/$key2"
refused_as "not a regular file" "a fifo in the cache (and no hang)"
assert_eq "$(stat -c %F "$CACHE/$key2")" "regular file" "a refused entry is replaced by the compiled program"

# The cache stays bounded: the least recently linked entries go.
for i in $(seq 1 70); do printf x >"$CACHE/$(printf '%064x' "$i")"; done
seccomp "$K" "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['fchmod'], 'action': 'SCMP_ACT_ERRNO'}]}"
k5=$(new_id)
start_kept "$k5"
assert_eq "$(entries)" 64 "the cache is trimmed to 64 entries when a program is added"
for id in "$k1" "$k2" "$k3" "$k4" "$k5"; do berth delete -f "$id" >/dev/null 2>&1; done
assert_eq "$(ls "$BERTH_ROOT")" "seccomp~cache" "delete removes the containers' programs with them"

# ------------------------------------------------------------------ errors
seccomp "$B" "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{$MKDIRS, 'action': 'SCMP_ACT_ALLOW', 'errnoRet': 1}]}"
run_sh "$B" true
assert_failure "errnoRet on SCMP_ACT_ALLOW fails create (MUST)"
assert_contains "$stderr" errnoRet "the error names errnoRet"

# ------------------------------------------------------------------ notify
# start_listener DIR VAL: starts the agent on DIR/l.sock; sets LISTENER_PID.
start_listener() {
    local dir=$1 i
    mkdir -p "$dir"
    "$LISTENER" "$dir/l.sock" "$dir" "$2" 2>"$dir/stderr" &
    LISTENER_PID=$!
    add_cleanup "kill -KILL $LISTENER_PID 2>/dev/null; wait $LISTENER_PID 2>/dev/null"
    for i in $(seq 100); do
        [ -e "$dir/ready" ] && return 0
        sleep 0.05
    done
    return 1
}
# wait_gone PID: waits up to 10 s for our background PID to exit.
wait_gone() {
    local i
    for i in $(seq 200); do
        kill -0 "$1" 2>/dev/null || return 0
        sleep 0.05
    done
    return 1
}

L=$TEST_TMP/listener
start_listener "$L" 0 || bail_out "seccomp-listener did not start: $(cat "$L/stderr")"
# Every syscall berth makes after loading (sendmsg/write/openat/close/
# fcntl) is notified as well; the agent lets them continue.
seccomp "$B" "{'defaultAction': 'SCMP_ACT_ALLOW', 'listenerPath': '$L/l.sock', 'listenerMetadata': 'berth-test',
  'syscalls': [{$MKDIRS, 'action': 'SCMP_ACT_NOTIFY'},
               {'names': ['sendmsg', 'sendto', 'write', 'openat', 'close', 'fcntl'], 'action': 'SCMP_ACT_NOTIFY'}]}"
id=$(new_id)
set_args "$B" /bin/sh -c "$PROBE"
run_cmd berth run --bundle "$B" "$id"
assert_success "NOTIFY: container runs (no deadlock on notified runtime syscalls)"
assert_eq "$(kv rc)/$(tail -n 1 <<<"$output")" 0/absent "NOTIFY: the agent's answer (0) is mkdir's result, nothing created"
wait_gone "$LISTENER_PID"
assert_eq "$?" 0 "NOTIFY: the agent sees the filter go away when the container exits"
st=$(cat "$L/state.json" 2>/dev/null)
assert_eq "$(cat "$L/fds" 2>/dev/null)" 1 "NOTIFY: exactly one fd sent with SCM_RIGHTS"
assert_eq "$(json_get "$st" 'j["fds"]')" '["seccompFd"]' "NOTIFY: fds names it seccompFd"
assert_eq "$(json_get "$st" 'j["metadata"]')" berth-test "NOTIFY: metadata is listenerMetadata"
assert_eq "$(json_get "$st" '[j["state"]["id"], j["state"]["status"], j["state"]["bundle"]]')" \
    "[\"$id\", \"creating\", \"$B\"]" "NOTIFY: state has id, status creating, bundle"
assert_eq "$(json_get "$st" 'j["ociVersion"] == j["state"]["ociVersion"] != ""')" true \
    "NOTIFY: ociVersion set"
pid=$(json_get "$st" 'j["pid"]')
assert_eq "$(json_get "$st" 'j["state"]["pid"]')" "$pid" "NOTIFY: pid equals state.pid"
log=$(cat "$L/log" 2>/dev/null)
assert_match "$(head -n 1 <<<"$log")" "^nr=[0-9]+ pid=$pid continued\$" \
    "NOTIFY: berth's own syscalls after the load went to the agent (pid as seen by the runtime)"
assert_match "$log" "nr=[0-9]+ pid=[0-9]+ answered" "NOTIFY: the agent answered the container's mkdir"

# Two-stage launch (a time namespace: the init is forked by a boot child,
# see namespaces.h): the parent has no pidfd of the init yet.
L2=$TEST_TMP/listener2
start_listener "$L2" 0 || bail_out "seccomp-listener did not start: $(cat "$L2/stderr")"
seccomp "$B" "{'defaultAction': 'SCMP_ACT_ALLOW', 'listenerPath': '$L2/l.sock',
  'syscalls': [{$MKDIRS, 'action': 'SCMP_ACT_NOTIFY'}]}"
update_config "$B" 'c["linux"]["namespaces"].append({"type": "time"})'
run_sh "$B" "$PROBE"
assert_eq "$status/$(kv rc)/$(tail -n 1 <<<"$output")" 0/0/absent "NOTIFY: two-stage launch (time namespace) works too"
update_config "$B" 'c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "time"]'

# Nobody listening: create MUST fail ("If sending to this socket fails").
seccomp "$B" "{'defaultAction': 'SCMP_ACT_ALLOW', 'listenerPath': '$TEST_TMP/nobody.sock',
  'syscalls': [{$MKDIRS, 'action': 'SCMP_ACT_NOTIFY'}]}"
run_sh "$B" true
assert_failure "NOTIFY: create fails when listenerPath does not accept"
assert_contains "$stderr" "listenerPath" "the error names listenerPath"

# The init's own error must reach the user even when the filter (loaded
# before READY for a notify profile) denies the socket that would carry it.
L3=$TEST_TMP/listener3
start_listener "$L3" 0 || bail_out "seccomp-listener did not start: $(cat "$L3/stderr")"
seccomp "$B" "{'defaultAction': 'SCMP_ACT_ALLOW', 'listenerPath': '$L3/l.sock',
  'syscalls': [{$MKDIRS, 'action': 'SCMP_ACT_NOTIFY'},
               {'names': ['sendmsg', 'sendto'], 'action': 'SCMP_ACT_ERRNO'}]}"
update_config "$B" 'c["process"]["noNewPrivileges"] = True'
run_sh "$B" true
assert_failure "a filter that denies berth's own socket fails the container"
assert_contains "$stderr" "berth init: write to sync socket (READY): Operation not permitted" \
    "the init's real error reaches stderr when the sync socket cannot carry it"
assert_not_contains "$stderr" "pidfd_getfd" "and berth create reports the init's exit, not its own ESRCH"
kill -KILL "$LISTENER_PID" 2>/dev/null
wait "$LISTENER_PID" 2>/dev/null

assert_host_unchanged "nothing left behind (mounts, processes, state, fifos, cgroups)"
done_testing
