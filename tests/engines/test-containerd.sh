#!/bin/bash
# test-containerd.sh: containerd 1.6 + ctr + the runc v2 shim with berth as
# its runc binary (--runc-binary), end to end (issue 8). A private daemon
# (lib/containerd-setup.sh); every task, container, shim and snapshot mount
# is gone at exit (lib.sh's leak scan checks).
ENGINE=containerd
. "$(dirname "$0")/lib/common.sh"
require_cmd containerd ctr containerd-shim-runc-v2
. "$SRCDIR/tests/engines/lib/containerd-setup.sh"
PTY=$SRCDIR/tests/engines/lib/pty-run.py

NS=bt$$
containerd_client "$NS"
RUNC=(--runc-binary "$RT" --runc-root "$CD/runc")
I=localhost/bbx:latest

_ctrd_teardown() {
    containerd_remove_all
    timeout 10 c image rm "$I" >/dev/null 2>&1
    stop_containerd
    local d
    for d in /sys/fs/cgroup/*/"$NS"; do
        [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
    done
}
add_cleanup _ctrd_teardown
start_containerd || bail_out "containerd did not create $CD_SOCK: $(tail -n 5 "$CD/containerd.log")"

run_cmd c image import "$IMG/oci.tar"
assert_success "ctr image import of the OCI layout archive" || bail_out "no image"

# cgv CONTROLLER FILE ID: containerd puts task ID in cgroup /NS/ID.
cgv() {
    local d
    for d in /sys/fs/cgroup/"$1"/"$NS/$3"; do
        [ -f "$d/$2" ] && { cat "$d/$2"; return; }
    done
}
task_status() { c task ls 2>/dev/null | awk -v id="$1" '$1 == id { print $3 }'; }
task_pid() { c task ls 2>/dev/null | awk -v id="$1" '$1 == id { print $2 }'; }
# spec_for ID PYTHON ARGS...: ctr's default spec for a container with the
# image rootfs (a copy per container), edited with PYTHON (`s` bound).
spec_for() {
    local id=$1 py=$2
    shift 2
    mkdir -p "$TEST_TMP/b-$id"
    cp -a "$IMG/rootfs" "$TEST_TMP/b-$id/rootfs"
    c oci spec >"$TEST_TMP/b-$id/config.json" || return 1
    "$PYTHON" - "$TEST_TMP/b-$id" "$py" "$NS/$id" "$@" <<'PY'
import json, sys
d, py, cg, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
p = d + "/config.json"
s = json.load(open(p))
s["root"] = {"path": d + "/rootfs", "readonly": False}
s["process"]["args"] = args
s["linux"]["cgroupsPath"] = "/" + cg
exec(py)
json.dump(s, open(p, "w"))
PY
    echo "$TEST_TMP/b-$id/config.json"
}

# ---------------------------------------------------------------- run
# (ctr never closes the container's stdin at EOF: read a known amount.)
mark
run_cmd c run --rm "${RUNC[@]}" $I r1 sh -c 'echo hello from berth; echo oops >&2; exit 7'
assert_status 7 "run: the container's exit code 7 is ctr's"
assert_eq "$output" "hello from berth" "run: stdout through the shim"
assert_contains "$stderr" oops "run: stderr through the shim"
calls_if_failed
assert_match "$(berth_calls ' create ')" "^--root $CD/runc/$NS --log .*/log.json --log-format json create --bundle .* --pid-file .*/init.pid r1$" \
    "the shim calls berth --root --log --log-format json create --bundle --pid-file ID"
if berth_calls '(^| )--version' >/dev/null; then
    diag "the shim called berth --version: $(berth_calls '(^| )--version' | head -n1)"
else
    diag "containerd 1.6 never called berth --version (go-runc Version()) on these paths"
fi

printf 'line one\nline two\n' >"$TEST_TMP/in.txt"
run_cmd --stdin "$TEST_TMP/in.txt" c run --rm "${RUNC[@]}" $I r2 sh -c 'head -n 2; echo eof'
assert_eq "$output" $'line one\nline two\neof' "run: stdin is piped to the container"

# ctr 1.6 has no --user/--hostname and ignores --env/--cwd with --config:
# all four come from the spec file.
spec=$(spec_for r3 's["process"]["user"] = {"uid": 1234, "gid": 1234}; s["hostname"] = "box1"; s["process"]["env"] = ["PATH=/bin", "FOO=bar"]; s["process"]["cwd"] = "/home/u"' \
    sh -c 'echo "$FOO $(id -u):$(id -g) $(pwd) $(hostname)"')
run_cmd c run --rm "${RUNC[@]}" --config "$spec" r3
assert_eq "$output" "bar 1234:1234 /home/u box1" "run: env, user, workdir and hostname"

run_cmd c run --rm "${RUNC[@]}" --read-only $I r4 checker ro / stat /dev/null
assert_eq "$(kv ro)" 1 "--read-only: / is read-only (EROFS)"
assert_eq "$(kv stat.type)" chr "--read-only: /dev still works"

run_cmd c run --rm "${RUNC[@]}" $I r5 checker caps
assert_contains "$(kv CapEff.names)" CAP_CHOWN "default caps include CAP_CHOWN"
run_cmd c run --rm "${RUNC[@]}" --cap-drop CAP_CHOWN $I r6 sh -c 'checker caps; chown 1:1 /tmp && echo chowned'
assert_not_contains "$(kv CapEff.names)" CAP_CHOWN "--cap-drop CAP_CHOWN: not in the effective set"
assert_not_contains "$output" chowned "--cap-drop CAP_CHOWN: chown fails"

# ctr has no --init: bind-mount the static catatonit as pid 1, as podman does.
cata=$(command -v catatonit || echo /usr/libexec/podman/catatonit)
run_cmd c run --rm "${RUNC[@]}" --mount "type=bind,src=$cata,dst=/sbin/init,options=rbind:ro" $I r7 \
    /sbin/init -- sh -c 'tr "\0" " " </proc/1/cmdline; echo; echo "sh=$$"; exit 4'
assert_status 4 "init process: exit code passes through it"
assert_contains "${lines[0]}" "/sbin/init --" "init process: pid 1 is the init"
assert_ne "${lines[1]}" "sh=1" "init process: the command is not pid 1"

run_cmd "$PTY" --input 'typed\n' c run --rm -t "${RUNC[@]}" $I r8 sh -c 'tty; read x; echo "got=$x"; exit 3'
assert_status 3 "run -t: exit code through the terminal"
assert_match "$output" "/dev/pts/[0-9]+" "run -t: the process has a pty"
assert_contains "$output" "got=typed" "run -t: typed input reaches the process"
assert_contains "$(berth_calls ' create .* r8$')" "--console-socket" "run -t: create gets --console-socket"

# ----------------------------------------------------- detached lifecycle
mark
run_cmd c run -d "${RUNC[@]}" $I c1 sh -c 'trap "echo got-TERM; exit 9" TERM; sleep 1000 & wait'
assert_success "run -d"
assert_eq "$(task_status c1)" RUNNING "run -d: task RUNNING"
pid1=$(task_pid c1)
assert_eq "$(cat /proc/$pid1/comm 2>/dev/null)" sh "run -d: the task pid is the container's sh"

run_cmd c task ps c1
assert_contains "$output" "$pid1" "task ps lists the init pid"
assert_eq "$(echo "$output" | tail -n +2 | wc -l)" 2 "task ps: sh and sleep"
assert_contains "$(berth_calls ' ps ')" "ps --format json c1" "task ps calls berth ps --format json"
run_cmd c task metrics c1
assert_match "$output" "pids.current +2" "task metrics: pids.current 2"
assert_match "$output" "memory.usage_in_bytes +[1-9][0-9]*" "task metrics: memory usage"

run_cmd c task pause c1
assert_success "pause"
assert_eq "$(task_status c1)" PAUSED "pause: task PAUSED"
assert_eq "$(cgv freezer freezer.state c1)" FROZEN "pause: freezer FROZEN"
run_cmd c task resume c1
assert_eq "$(task_status c1)" RUNNING "resume: RUNNING"
assert_eq "$(cgv freezer freezer.state c1)" THAWED "resume: freezer THAWED"

run_cmd c task kill c1
assert_success "kill (SIGTERM)"
poll 50 '[ "$(task_status c1)" = STOPPED ]'
assert_eq "$(task_status c1)" STOPPED "kill: task STOPPED"
run_cmd c task rm c1
assert_contains "$stderr" "exit code 9" "task rm reports the trapped exit code 9"
# restart: a new task of the same container
run_cmd c task start -d c1
assert_eq "$(task_status c1)" RUNNING "restart: a new task RUNNING"
assert_ne "$(task_pid c1)" "$pid1" "restart: a new init pid"
run_cmd c task kill -s SIGKILL c1
poll 50 '[ "$(task_status c1)" = STOPPED ]'
run_cmd c task rm c1
assert_contains "$stderr" "exit code 137" "kill -s SIGKILL: exit 137"
run_cmd c container rm c1
assert_success "container rm"
assert_eq "$(c container ls -q | grep -c '^c1$')" 0 "rm: container gone"
calls_if_failed

# ------------------------------------------------------------- resources
mark
run_cmd c run -d "${RUNC[@]}" --memory-limit 67108864 --cpus 0.5 $I c2 sleep 1000
assert_success "run -d with --memory-limit --cpus"
assert_eq "$(cgv memory memory.limit_in_bytes c2)" 67108864 "--memory-limit: memory.limit_in_bytes"
assert_eq "$(cgv cpu cpu.cfs_quota_us c2)/$(cgv cpu cpu.cfs_period_us c2)" 50000/100000 "--cpus 0.5: cfs quota/period"
skip "update: ctr 1.6 has no 'task update' command (the shim's update path is covered by test-docker.sh's docker update)"
c task kill -s SIGKILL c2 >/dev/null 2>&1
poll 50 '[ "$(task_status c2)" = STOPPED ]'
c task rm c2 >/dev/null 2>&1
c container rm c2 >/dev/null 2>&1

run_cmd c run --rm "${RUNC[@]}" --memory-limit 33554432 $I oom tail /dev/zero
assert_status 137 "--memory-limit 32M: the memory hog init is OOM-killed, exit 137"

spec=$(spec_for p1 's["linux"].setdefault("resources", {})["pids"] = {"limit": 8}' \
    sh -c 'cat /proc/self/cgroup >/dev/null; i=0; while [ $i -lt 20 ]; do sleep 2 & i=$((i+1)); done; wait; echo done')
run_cmd c run --rm "${RUNC[@]}" --config "$spec" p1
assert_match "$stderr$output" "can't fork|Resource temporarily unavailable" "pids limit 8: fork fails inside"
calls_if_failed

# ---------------------------------------------------------------- exec
mark
run_cmd c run -d "${RUNC[@]}" $I c3 sleep 1000
run_cmd c task exec --exec-id e1 c3 sh -c 'echo "in $(cat /proc/1/comm)"; exit 5'
assert_status 5 "exec: exit code 5"
assert_eq "$output" "in sleep" "exec: output from inside the container (its pid 1 is the sleep)"
run_cmd "$PTY" c task exec -t --exec-id e2 c3 sh -c 'tty; exit 2'
assert_status 2 "exec -t: exit code"
assert_match "$output" "/dev/pts/[0-9]+" "exec -t: a pty"
run_cmd c task exec -d --exec-id e3 c3 sh -c 'echo detached >/tmp/mark'
assert_success "exec -d"
retry 10 c task exec --exec-id w c3 test -s /tmp/mark
run_cmd c task exec --exec-id e4 c3 cat /tmp/mark
assert_eq "$output" detached "exec -d: the detached process ran"
run_cmd c task exec --exec-id e5 c3 /no/such/binary
assert_failure "exec of a missing binary fails"
assert_match "$stderr" "no such file or directory|not found" "exec of a missing binary: the error names the cause"
calls_if_failed

# ------------------------------------------------------------- errors
mark
run_cmd c run --rm "${RUNC[@]}" $I m1 /no/such/binary
assert_failure "run of a missing binary fails"
assert_match "$stderr" "/no/such/binary.*(no such file or directory|not found)" "run of a missing binary: berth's error reaches ctr"
calls_if_failed
c container rm m1 >/dev/null 2>&1

c task kill -s SIGKILL c3 >/dev/null 2>&1
poll 50 '[ "$(task_status c3)" = STOPPED ]'
c task rm c3 >/dev/null 2>&1
c container rm c3 >/dev/null 2>&1
run_cmd c container ls -q
assert_eq "$output" "" "no container left"
done_testing
