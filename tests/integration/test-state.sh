#!/bin/bash
# test-state.sh: start, state, kill, delete and list, end to end.
#
# Part 1 fabricates containers by hand (a state dir with state.json, lock,
# config.json and exec.fifo, and an "init" we spawn ourselves that does
# what berth's init does: open exec.fifo for writing, write "0", exec the
# user program). That tests these verbs on their own, independent of
# create, and reaches cases a real container hardly can (a reused pid, an
# init that dies before start). Part 2 runs the same verbs on real
# containers made by `berth create`.
. "$(dirname "$0")/lib.sh"

require_root
require_cmd python3 setsid
build_checker >"$TEST_TMP/build.log" 2>&1 || bail_out "cannot build the checker"

# fab ID [ARGS...]: fabricates a created container whose init, once
# released, execs ARGS (default: checker signal-wait 1) with stdout in
# $TEST_TMP/ID.out. Sets FAB_PID. The state dir looks like create's.
fab() {
    local id=$1
    shift
    local d=$BERTH_ROOT/$id
    local -a args=("$@")
    [ ${#args[@]} -gt 0 ] || args=("$CHECKER" signal-wait 1)
    mkdir -m 0700 "$d" && : >"$d/lock" && mkfifo -m 0600 "$d/exec.fifo" || return 1
    fab_config >"$d/config.json"
    # exec in a subshell started by setsid: the pid we record is the one
    # that opens the fifo and then becomes the user program.
    setsid sh -c 'printf 0 >"$1" || exit 1; shift; exec "$@"' sh "$d/exec.fifo" "${args[@]}" \
        </dev/null >"$TEST_TMP/$id.out" 2>&1 &
    FAB_PID=$!
    fab_write_state "$id" "$FAB_PID" "$(proc_start_time "$FAB_PID")"
}

# The config.json copy of a fabricated container (never run: only start's
# process check and delete's poststop hooks read it).
fab_config() {
    echo '{"ociVersion":"1.3.0","process":{"args":["x"],"cwd":"/"},"root":{"path":"rootfs"}}'
}

proc_start_time() {
    python3 -c '
import sys
s = open("/proc/%s/stat" % sys.argv[1]).read()
print(s[s.rindex(")") + 2:].split()[19])' "$1"
}

# fab_write_state ID PID START_TIME: writes state.json as create would.
fab_write_state() {
    python3 - "$BERTH_ROOT/$1/state.json" "$1" "$2" "$3" "$TEST_TMP" <<'PY'
import json, sys
path, cid, pid, st, tmp = sys.argv[1:6]
json.dump({"ociVersion": "1.3.0", "id": cid, "pid": int(pid), "startTime": int(st),
           "bundle": tmp + "/bundle-" + cid, "rootfs": tmp + "/bundle-" + cid + "/rootfs",
           "created": "2026-11-28T01:02:03.123456789Z", "owner": "root",
           "annotations": {"org.test.key": "v\"1"}, "createdStatus": True},
          open(path, "w"))
PY
}

# proc_gone PID: true once PID has exited (gone or a zombie).
proc_gone() {
    local s
    s=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 0
    [ "$s" = Z ] || [ "$s" = X ]
}

# reap PID: collects our own background child quietly.
reap() {
    wait "$1" 2>/dev/null
    return 0
}

# wait_output ID TEXT: waits until $TEST_TMP/ID.out contains TEXT.
wait_output() {
    wait_for grep -q -x -F "$2" "$TEST_TMP/$1.out"
}

# ------------------------------------------------------------ state, list

id=$(new_id)
fab "$id"
pid=$FAB_PID

run_cmd berth state "$id"
assert_success "state of a created container"
assert_eq "$(json_get "$output" 'j["status"]')" created "status is created"
assert_eq "$(json_get "$output" 'j["pid"]')" "$pid" "pid is the init's"
assert_eq "$(json_get "$output" '[j["ociVersion"], j["id"], j["bundle"], j["rootfs"]]')" \
    "[\"1.3.0\", \"$id\", \"$TEST_TMP/bundle-$id\", \"$TEST_TMP/bundle-$id/rootfs\"]" \
    "ociVersion, id, bundle, rootfs"
assert_eq "$(json_get "$output" '[j["created"], j["owner"], j["annotations"]]')" \
    '["2026-11-28T01:02:03.123456789Z", "root", {"org.test.key": "v\"1"}]' \
    "created, owner, annotations"
assert_eq "$(json_get "$output" 'sorted(k for k in j if k not in ("ociVersion","id","status","pid","bundle","rootfs","created","owner","annotations"))')" \
    "[]" "no private fields (startTime, ...) in the public state"
assert_eq "${lines[0]}:${#lines[@]}" "{:14" "pretty-printed, one member a line, like runc"

run_cmd berth list
assert_success "list"
w_id=$((${#id} + 3 > 12 ? ${#id} + 3 : 12))
w_bundle=$((${#TEST_TMP} + ${#id} + 11))
assert_eq "${lines[0]}" "$(printf '%-*s%-12s%-12s%-*s%-33s%s' $w_id ID PID STATUS $w_bundle BUNDLE CREATED OWNER)" \
    "list header aligned like runc's tabwriter"
assert_match "${lines[1]}" "^$id +$pid +created +$TEST_TMP/bundle-$id +2026-11-28T01:02:03.123456789Z +root\$" \
    "list row"
run_cmd berth list -q
assert_eq "$output" "$id" "list -q prints ids only"
run_cmd berth list --format json
assert_eq "$(json_get "$output" '[(c["id"], c["pid"], c["status"], c["owner"]) for c in j]')" \
    "[[\"$id\", $pid, \"created\", \"root\"]]" "list --format json"
assert_not_contains "$output" $'\n' "list json is one line"

# ------------------------------------------------------------ start

started=$SECONDS
run_cmd berth start "$id"
assert_success "start releases the init"
assert_eq "$(container_status "$id")" running "status is running after start"
wait_output "$id" "ready=1"
assert_eq "$(tr '\0' ' ' <"/proc/$pid/cmdline")" "$CHECKER signal-wait 1 " \
    "the init exec'd the user program"
[ -e "$BERTH_ROOT/$id/exec.fifo" ] && r=present || r=absent
assert_eq "$r" absent "exec.fifo removed by start"
assert_eq "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["createdStatus"])' "$BERTH_ROOT/$id/state.json")" \
    False "state.json records that the init was released"

run_cmd berth start "$id"
assert_failure "start of a running container fails"
assert_contains "$stderr" "cannot start an already running container" "runc's message"

run_cmd berth delete "$id"
assert_failure "delete of a running container fails"
assert_contains "$stderr" "cannot delete container $id that is not stopped: running" "delete message"
[ -d "$BERTH_ROOT/$id" ] && r=kept || r=removed
assert_eq "$r" kept "a refused delete keeps the container"
proc_gone "$pid" && r=dead || r=alive
assert_eq "$r" alive "a refused delete does not kill"

# ------------------------------------------------------------ kill

run_cmd berth kill "$id" USR1
assert_success "kill by name without SIG"
wait_output "$id" "signal=10"
assert_contains "$(cat "$TEST_TMP/$id.out")" "signal.name=USR1" "the init got SIGUSR1"
wait_for proc_gone "$pid"
reap "$pid"
assert_eq "$(container_status "$id")" stopped "status is stopped after the init exited"
run_cmd berth state "$id"
assert_eq "$(json_get "$output" 'j["pid"]')" 0 "a stopped container shows pid 0 like runc"

run_cmd berth kill "$id" KILL
assert_failure "kill of a stopped container fails"
assert_contains "$stderr" "container not running" "containerd's substring"
run_cmd berth start "$id"
assert_failure "start of a stopped container fails"
assert_contains "$stderr" "cannot start a container that has stopped" "runc's message"

run_cmd berth delete "$id"
assert_success "delete of a stopped container"
[ -e "$BERTH_ROOT/$id" ] && r=present || r=gone
assert_eq "$r" gone "delete removed the state dir"
assert_eq "$(ls -A "$BERTH_ROOT")" "" "nothing left in the root"
run_cmd berth state "$id"
assert_failure "state after delete fails"
assert_eq "$stderr" "berth: container $id does not exist" "state: does not exist"

# Every signal spelling reaches the process.
id=$(new_id)
fab "$id" "$CHECKER" signal-wait 4
pid=$FAB_PID
run_cmd berth start "$id"
wait_output "$id" "ready=1"
n=0
for spec in SIGUSR2:12 1:1 sigrtmin+3:37 TERM:15; do
    n=$((n + 1))
    run_cmd berth kill "$id" "${spec%%:*}"
    if [ "$status" = 0 ] && wait_output "$id" "signal=${spec#*:}"; then
        ok "kill $id ${spec%%:*} delivers signal ${spec#*:}"
    else
        _fail_with_cmd "kill $id ${spec%%:*} delivers signal ${spec#*:}" "$(cat "$TEST_TMP/$id.out")"
    fi
done
wait_for proc_gone "$pid"
reap "$pid"
run_cmd berth kill "$id" NOSUCHSIG
assert_failure "unknown signal name"
assert_contains "$stderr" "unknown signal NOSUCHSIG" "unknown signal message"
run_cmd berth kill "$id"
assert_contains "$stderr" "container not running" "default SIGTERM to a stopped container"
berth delete "$id" >/dev/null 2>&1

# The default signal is SIGTERM.
id=$(new_id)
fab "$id"
pid=$FAB_PID
berth start "$id" && wait_output "$id" "ready=1"
run_cmd berth kill "$id"
wait_output "$id" "signal=15"
assert_contains "$(cat "$TEST_TMP/$id.out")" "signal.name=TERM" "kill without a signal sends SIGTERM"
wait_for proc_gone "$pid"
reap "$pid"
berth delete "$id" >/dev/null 2>&1

# kill on a created container (init still waiting on the fifo).
id=$(new_id)
fab "$id"
pid=$FAB_PID
run_cmd berth kill "$id" 9
assert_success "kill of a created container"
wait_for proc_gone "$pid"
reap "$pid"
assert_eq "$(container_status "$id")" stopped "killed created container is stopped"
berth delete "$id" >/dev/null 2>&1

# ------------------------------------------------------------ pid reuse

# A state whose start time does not match the live pid: the pid now names
# another process, which must never be signalled.
id=$(new_id)
fab "$id"
pid=$FAB_PID
fab_write_state "$id" "$pid" $(($(proc_start_time "$pid") + 1))
assert_eq "$(container_status "$id")" stopped "pid with another start time: stopped"
run_cmd berth kill "$id" KILL
assert_contains "$stderr" "container not running" "kill refuses a reused pid"
sleep 0.2
proc_gone "$pid" && r=dead || r=alive
assert_eq "$r" alive "the process that reused the pid was not signalled"
run_cmd berth delete --force "$id"
assert_success "delete --force of a stopped container with a reused pid"
proc_gone "$pid" && r=dead || r=alive
assert_eq "$r" alive "delete --force did not kill the unrelated process"
kill -KILL "$pid"
reap "$pid"

# ------------------------------------------------------------ start edge cases

# The init died before start: start must not hang.
id=$(new_id)
fab "$id"
pid=$FAB_PID
kill -KILL "$pid"
reap "$pid"
BERTH_TEST_TIMEOUT=10 run_cmd berth start "$id"
assert_failure "start of a container whose init died"
assert_contains "$stderr" "cannot start a container that has stopped" "start on a dead init"
berth delete "$id" >/dev/null 2>&1

# The init dies while start waits for it (it never opens the fifo).
id=$(new_id)
d=$BERTH_ROOT/$id
mkdir -m 0700 "$d" && : >"$d/lock" && mkfifo "$d/exec.fifo"
fab_config >"$d/config.json"
sleep 1000 </dev/null >/dev/null 2>&1 &
pid=$!
fab_write_state "$id" "$pid" "$(proc_start_time "$pid")"
t0=$(date +%s%N)
timeout 20 "$BERTH" --root "$BERTH_ROOT" start "$id" >/dev/null 2>"$TEST_TMP/start.err" &
spid=$!
sleep 0.5
proc_gone "$spid" && r=returned || r=waiting
assert_eq "$r" waiting "start waits while the init lives"
kill -KILL "$pid"
reap "$pid"
wait "$spid" 2>/dev/null
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
assert_eq "$rc" 1 "start fails once the init dies"
assert_contains "$(cat "$TEST_TMP/start.err")" "cannot start a container that has stopped" \
    "start reports the init's death"
[ $ms -lt 5000 ] && r=prompt || r="slow (${ms}ms)"
assert_eq "$r" prompt "start returns promptly when the init dies"
berth delete "$id" >/dev/null 2>&1

# runtime.md "Start": MUST error if process is unset, with no effect.
id=$(new_id)
fab "$id"
pid=$FAB_PID
echo '{"ociVersion":"1.3.0","root":{"path":"rootfs"}}' >"$BERTH_ROOT/$id/config.json"
run_cmd berth start "$id"
assert_failure "start without process fails"
assert_contains "$stderr" "config has no process" "no-process message"
assert_eq "$(container_status "$id")" created "still created afterwards"
run_cmd berth delete "$id"
assert_contains "$stderr" "that is not stopped: created" "delete of a created container needs --force (spec)"

# ------------------------------------------------------------ delete --force

run_cmd berth delete --force "$id"
assert_success "delete --force of a created container"
proc_gone "$pid" && r=dead || r=alive
assert_eq "$r" dead "delete --force killed the init before returning"
reap "$pid"
[ -e "$BERTH_ROOT/$id" ] && r=present || r=gone
assert_eq "$r" gone "delete --force removed the state dir"

id=$(new_id)
fab "$id"
pid=$FAB_PID
berth start "$id" && wait_output "$id" "ready=1"
run_cmd berth delete -f "$id"
assert_success "delete -f of a running container"
proc_gone "$pid" && r=dead || r=alive
assert_eq "$r" dead "delete -f killed the running init"
reap "$pid"
assert_eq "$(ls -A "$BERTH_ROOT")" "" "delete -f left nothing in the root"

run_cmd berth delete nosuch
assert_failure "delete of an unknown id fails"
assert_eq "$stderr" "berth: container nosuch does not exist" "delete: does not exist"
run_cmd berth delete --force nosuch
assert_success "delete --force of an unknown id succeeds"
assert_eq "$stderr" "" "silently"
run_cmd berth kill nosuch
assert_eq "$stderr" "berth: container nosuch does not exist" "kill: does not exist"
run_cmd berth start nosuch
assert_eq "$stderr" "berth: container nosuch does not exist" "start: does not exist"

# A state dir whose create has not written state.json yet (or died before
# it): "creating", only --force removes it; a dir without berth's lock file
# is not a container at all.
id=$(new_id)
mkdir -m 0700 "$BERTH_ROOT/$id" && : >"$BERTH_ROOT/$id/lock"
mkdir "$BERTH_ROOT/not-ours"
run_cmd berth list --format json
assert_eq "$(json_get "$output" '[(c["id"], c["status"], c["pid"]) for c in j]')" \
    "[[\"$id\", \"creating\", 0]]" "list: a dir without state.json is creating; a foreign dir is skipped"
run_cmd berth state not-ours
assert_eq "$stderr" "berth: container not-ours does not exist" "state: a foreign dir does not exist"
run_cmd berth kill "$id"
assert_contains "$stderr" "container not running" "kill of a creating container"
run_cmd berth start "$id"
assert_contains "$stderr" "cannot start a container in the creating state" "start of a creating container"
run_cmd berth delete "$id"
assert_contains "$stderr" "that is not stopped: creating" "delete of a creating container needs --force"
run_cmd berth delete --force "$id"
assert_success "delete --force of a creating container"
assert_eq "$(ls -A "$BERTH_ROOT")" "not-ours" "only the foreign dir is left"
rmdir "$BERTH_ROOT/not-ours"

# ------------------------------------------------------------ ids, paths

mkdir -p "$TEST_TMP/outside/victim"
for bad in "../outside/victim" "a/b" "." ".." "a b"; do
    for verb in start state kill delete "delete --force"; do
        run_cmd berth $verb -- "$bad"
        if [ "$status" != 0 ] && [[ "$stderr" == *"invalid container ID format"* ]]; then
            ok "$verb rejects id '$bad'"
        else
            _fail_with_cmd "$verb rejects id '$bad'"
        fi
    done
done
[ -d "$TEST_TMP/outside/victim" ] && r=intact || r=removed
assert_eq "$r" intact "no verb touched a path outside the root"
# runc's rule (validateID): the characters anywhere, so ids such as "..a",
# ".hidden" or "-x" are containers like any other
idb=$(make_bundle) || bail_out "make_bundle"
set_args "$idb" sleep 100
for good in "..a" ".hidden" "-x"; do
    run_cmd berth run -d --bundle "$idb" -- "$good"
    assert_success "run accepts runc's id '$good'"
    assert_eq "$(json_get "$(berth state -- "$good")" 'j["status"]')" running "... state of '$good'"
    assert_contains "$(berth list -q)" "$good" "... list shows '$good'"
    run_cmd berth delete -f -- "$good"
    assert_success "... delete -f '$good'"
    check "... its state is gone" [ ! -e "$BERTH_ROOT/$good" ]
done

# ------------------------------------------------------------ list formats

id1=$(new_id)
fab "$id1"
p1=$FAB_PID
id2=$(new_id)
fab "$id2"
p2=$FAB_PID
berth start "$id2" && wait_output "$id2" "ready=1"
run_cmd berth list --format json
assert_eq "$(json_get "$output" '[(c["id"], c["status"]) for c in j]')" \
    "[[\"$id1\", \"created\"], [\"$id2\", \"running\"]]" "list json: two containers, sorted"
assert_eq "$(json_get "$output" 'sorted(j[0])')" \
    '["annotations", "bundle", "created", "id", "ociVersion", "owner", "pid", "rootfs", "status"]' \
    "list json members as runc's"
run_cmd berth list -q
assert_eq "$output" "$id1"$'\n'"$id2" "list -q, sorted"
run_cmd berth list --format yaml
assert_failure "list rejects an unknown format"
berth delete -f "$id1" >/dev/null 2>&1
berth delete -f "$id2" >/dev/null 2>&1
reap "$p1"
reap "$p2"

run_cmd "$BERTH" --root "$TEST_TMP/no-such-root" list --format json
assert_eq "$status:$output" "0:null" "list json of a missing root prints null like runc"
run_cmd "$BERTH" --root "$TEST_TMP/no-such-root" list
assert_eq "$status:$output" "0:ID          PID         STATUS      BUNDLE      CREATED     OWNER" \
    "list of a missing root prints the header only"
[ -e "$TEST_TMP/no-such-root" ] && r=created || r=absent
assert_eq "$r" absent "list does not create the root"

# ------------------------------------------------------------ kill --all

# With its own pid namespace, --all reaches every process in it. The init
# waits for two signals: were it to exit after one, the kernel would SIGKILL
# the rest of its pid namespace before the child could report.
if unshare --pid --fork true 2>/dev/null; then
    id=$(new_id)
    d=$BERTH_ROOT/$id
    mkdir -m 0700 "$d" && : >"$d/lock" && mkfifo "$d/exec.fifo"
    fab_config >"$d/config.json"
    setsid unshare --pid --fork --kill-child sh -c \
        'printf 0 >"$1"; "$2" signal-wait 1 >"$3.child" & exec "$2" signal-wait 2 >"$3"' \
        sh "$d/exec.fifo" "$CHECKER" "$TEST_TMP/$id.out" </dev/null >/dev/null 2>&1 &
    upid=$!
    wait_for pgrep -P "$upid"
    pid=$(pgrep -P "$upid")
    fab_write_state "$id" "$pid" "$(proc_start_time "$pid")"
    berth start "$id"
    wait_output "$id" "ready=1" && wait_for grep -q ready=1 "$TEST_TMP/$id.out.child"
    run_cmd berth kill --all "$id" USR1
    assert_success "kill --all"
    wait_output "$id" "signal=10" && r=yes || r=no
    assert_eq "$r" yes "kill --all signalled the init"
    wait_for grep -q -x signal=10 "$TEST_TMP/$id.out.child" && r=yes || r=no
    assert_eq "$r" yes "kill --all signalled the other process in the pid namespace"
    berth delete -f "$id" >/dev/null 2>&1
    reap "$upid"
else
    skip "kill --all: cannot create a pid namespace" 3
fi

# Sharing our pid namespace, --all signals only the init (until cgroups).
id=$(new_id)
fab "$id"
pid=$FAB_PID
sleep 1000 </dev/null >/dev/null 2>&1 &
bystander=$!
berth start "$id" && wait_output "$id" "ready=1"
run_cmd berth kill -a "$id" USR2
wait_output "$id" "signal=12" && r=yes || r=no
assert_eq "$r" yes "kill -a without a pid namespace signals the init"
proc_gone "$bystander" && r=dead || r=alive
assert_eq "$r" alive "kill -a without a pid namespace leaves host processes alone"
kill -KILL "$bystander"
reap "$bystander"
wait_for proc_gone "$pid"
reap "$pid"
berth delete "$id" >/dev/null 2>&1

# ------------------------------------------------------------ concurrency

# start racing delete --force on one id, 20 times: the end result is always
# a consistent store (the container gone, its init dead, no stray files),
# and each command either succeeded or failed with a proper message.
bad=""
for i in $(seq 1 20); do
    id=$(new_id)
    fab "$id"
    pid=$FAB_PID
    "$BERTH" --root "$BERTH_ROOT" start "$id" >/dev/null 2>"$TEST_TMP/race.start" &
    s=$!
    "$BERTH" --root "$BERTH_ROOT" delete --force "$id" >/dev/null 2>"$TEST_TMP/race.delete" &
    dl=$!
    wait "$s" 2>/dev/null
    src=$?
    wait "$dl" 2>/dev/null
    drc=$?
    wait_for proc_gone "$pid"
    reap "$pid"
    if [ $drc != 0 ]; then
        bad+=" [$i: delete failed: $(cat "$TEST_TMP/race.delete")]"
    fi
    if [ $src != 0 ] && ! grep -q -e "does not exist" -e "has stopped" "$TEST_TMP/race.start"; then
        bad+=" [$i: start: $(cat "$TEST_TMP/race.start")]"
    fi
    if [ -n "$(ls -A "$BERTH_ROOT")" ]; then
        bad+=" [$i: left: $(ls -A "$BERTH_ROOT")]"
        rm -rf "${BERTH_ROOT:?}"/* "${BERTH_ROOT:?}"/.[!.]*
    fi
done
assert_eq "$bad" "" "20 x start racing delete --force: consistent every time"

# start racing a plain delete: the delete always refuses (created or
# running), and the state stays readable and correct.
bad=""
for i in $(seq 1 20); do
    id=$(new_id)
    fab "$id"
    pid=$FAB_PID
    "$BERTH" --root "$BERTH_ROOT" start "$id" >/dev/null 2>"$TEST_TMP/race.start" &
    s=$!
    "$BERTH" --root "$BERTH_ROOT" delete "$id" >/dev/null 2>"$TEST_TMP/race.delete" &
    dl=$!
    wait "$s" 2>/dev/null
    src=$?
    wait "$dl" 2>/dev/null
    drc=$?
    st=$(container_status "$id")
    [ $src = 0 ] || bad+=" [$i: start failed: $(cat "$TEST_TMP/race.start")]"
    [ $drc != 0 ] || bad+=" [$i: delete succeeded]"
    [ "$st" = running ] || bad+=" [$i: status '$st']"
    berth delete -f "$id" >/dev/null 2>&1
    reap "$pid"
done
assert_eq "$bad" "" "20 x start racing delete: delete refused, state intact"

# ================================================= part 2: real containers

# create_real ID BUNDLE: `berth create` with the container's stdout and
# stderr in $TEST_TMP/ID.out (run_cmd would replace its capture files).
create_real() {
    timeout 30 "$BERTH" --root "$BERTH_ROOT" create --bundle "$2" "$1" \
        </dev/null >"$TEST_TMP/$1.out" 2>&1
}

bundle=$(make_bundle) || bail_out "cannot make a bundle"
# Probe: can berth create and start a container that really runs what
# this part needs?
set_args "$bundle" /bin/checker signal-wait 1
probe=$(new_id)
if ! create_real "$probe" "$bundle" || ! berth start "$probe" >/dev/null 2>&1 ||
    ! wait_output "$probe" "ready=1"; then
    skip "real containers: berth create/start cannot run a container here: $(grep -v warning "$TEST_TMP/$probe.out" | head -c 300)" 1
    berth delete --force "$probe" >/dev/null 2>&1
    done_testing
    exit 0
fi
berth delete --force "$probe" >/dev/null 2>&1

id=$(new_id)
create_real "$id" "$bundle"
run_cmd berth state "$id"
assert_eq "$(json_get "$output" '[j["status"], j["bundle"], j["rootfs"]]')" \
    "[\"created\", \"$bundle\", \"$bundle/rootfs\"]" "real: state after create"
pid=$(json_get "$output" 'j["pid"]')
assert_match "$(json_get "$output" 'j["created"]')" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]+Z$' \
    "real: created is RFC 3339 with nanoseconds"
run_cmd berth kill "$id" 0
assert_success "real: signal 0 to a created container"
run_cmd berth start "$id"
assert_success "real: start"
wait_output "$id" "ready=1" && r=yes || r=no
assert_eq "$r" yes "real: the user process runs after start"
assert_eq "$(container_status "$id")" running "real: running"
run_cmd berth delete "$id"
assert_contains "$stderr" "that is not stopped: running" "real: delete of a running container refused"
run_cmd berth kill "$id" SIGUSR1
assert_success "real: kill SIGUSR1"
wait_output "$id" "signal=10" && r=yes || r=no
assert_eq "$r" yes "real: the container's pid 1 got SIGUSR1"
wait_for_status "$id" stopped && r=stopped || r=$(container_status "$id")
assert_eq "$r" stopped "real: stopped after its process exited"
run_cmd berth kill "$id" KILL
assert_contains "$stderr" "container not running" "real: kill of a stopped container"
run_cmd berth delete "$id"
assert_success "real: delete of a stopped container"
[ -e "$BERTH_ROOT/$id" ] && r=present || r=gone
assert_eq "$r" gone "real: delete removed the state"
proc_gone "$pid" && r=gone || r=alive
assert_eq "$r" gone "real: no init left"

# kill --all reaches every process of the container's pid namespace.
# The init waits for two signals: were it to exit after one, the kernel
# would SIGKILL the rest of its pid namespace before the child could report.
set_args "$bundle" /bin/sh -c '/bin/checker signal-wait 1 & exec /bin/checker signal-wait 2'
id=$(new_id)
create_real "$id" "$bundle"
berth start "$id"
wait_for test "$(grep -c -x ready=1 "$TEST_TMP/$id.out")" = 2
run_cmd berth kill --all "$id" USR2
assert_success "real: kill --all"
wait_for test "$(grep -c -x signal=12 "$TEST_TMP/$id.out")" = 2 && r=both || r="$(cat "$TEST_TMP/$id.out")"
assert_eq "$r" both "real: kill --all signalled the init and its child"
berth delete --force "$id" >/dev/null 2>&1

# delete --force of a running container kills it (init and child).
id=$(new_id)
create_real "$id" "$bundle"
pid=$(json_get "$(berth state "$id")" 'j["pid"]')
berth start "$id"
wait_for test "$(grep -c -x ready=1 "$TEST_TMP/$id.out")" = 2
child=$(pgrep -P "$pid")
assert_match "$pid:$child" '^[1-9][0-9]*:[1-9][0-9]*$' "real: the container runs an init and one child"
run_cmd berth delete --force "$id"
assert_success "real: delete --force of a running container"
proc_gone "$pid" && r=gone || r=alive
assert_eq "$r" gone "real: delete --force killed the init"
wait_for proc_gone "$child" && r=gone || r=alive
assert_eq "$r" gone "real: and the rest of its pid namespace"
assert_eq "$(ls -A "$BERTH_ROOT")" "" "real: nothing left in the root"

# list with real containers, created and running.
set_args "$bundle" /bin/checker signal-wait 1
id1=$(new_id)
id2=$(new_id)
create_real "$id1" "$bundle"
create_real "$id2" "$bundle"
berth start "$id2"
run_cmd berth list --format json
assert_eq "$(json_get "$output" '[(c["id"], c["status"], c["bundle"]) for c in j]')" \
    "[[\"$id1\", \"created\", \"$bundle\"], [\"$id2\", \"running\", \"$bundle\"]]" "real: list json"
run_cmd berth list
assert_match "${lines[2]}" "^$id2 +[0-9]+ +running +$bundle " "real: list table row"
berth delete --force "$id1" >/dev/null 2>&1
berth delete --force "$id2" >/dev/null 2>&1

# Hooks run by start and delete: poststart (runtime.md step 9) sees the
# running container; poststop (step 13) runs once it is destroyed.
set_args "$bundle" /bin/checker signal-wait 1
update_config "$bundle" "c['hooks'] = {
    'poststart': [{'path': '/bin/sh', 'args': ['sh', '-c', 'cat >$TEST_TMP/poststart.json']}],
    'poststop': [{'path': '/bin/sh', 'args': ['sh', '-c', 'cat >$TEST_TMP/poststop.json']}]}"
id=$(new_id)
create_real "$id" "$bundle"
pid=$(json_get "$(berth state "$id")" 'j["pid"]')
run_cmd berth start "$id"
assert_success "real: start with a poststart hook"
assert_eq "$(json_get "$(cat "$TEST_TMP/poststart.json" 2>/dev/null)" '[j["id"], j["status"], j["pid"]]')" \
    "[\"$id\", \"running\", $pid]" "real: poststart hook got the running state on stdin"
[ -e "$TEST_TMP/poststop.json" ] && r=ran || r=not-yet
assert_eq "$r" not-yet "real: poststop does not run before delete"
run_cmd berth delete --force "$id"
assert_success "real: delete --force with a poststop hook"
assert_eq "$(json_get "$(cat "$TEST_TMP/poststop.json" 2>/dev/null)" '[j["id"], j["status"]]')" \
    "[\"$id\", \"stopped\"]" "real: poststop hook ran with the stopped state"

# [1.3] a failing poststart hook: start errors, the container is stopped
# and destroyed (step 12), and poststop still runs (step 13).
rm -f "$TEST_TMP/poststop.json"
update_config "$bundle" "c['hooks']['poststart'] = [{'path': '/bin/sh', 'args': ['sh', '-c', 'echo hook-said-no >&2; exit 3']}]"
id=$(new_id)
create_real "$id" "$bundle"
pid=$(json_get "$(berth state "$id")" 'j["pid"]')
run_cmd berth start "$id"
assert_failure "real: start fails when a poststart hook fails"
assert_contains "$stderr" "hook-said-no" "real: the hook's output is in the error"
proc_gone "$pid" && r=gone || r=alive
assert_eq "$r" gone "real: the container was stopped"
[ -e "$BERTH_ROOT/$id" ] && r=present || r=gone
assert_eq "$r" gone "real: and destroyed"
[ -e "$TEST_TMP/poststop.json" ] && r=ran || r=missing
assert_eq "$r" ran "real: poststop ran after the failed poststart"
update_config "$bundle" "del c['hooks']"

# start racing delete --force on real containers.
bad=""
for i in $(seq 1 20); do
    id=$(new_id)
    create_real "$id" "$bundle" || {
        bad+=" [$i: create failed: $(head -c 200 "$TEST_TMP/$id.out")]"
        continue
    }
    pid=$(json_get "$(berth state "$id")" 'j["pid"]')
    "$BERTH" --root "$BERTH_ROOT" start "$id" >/dev/null 2>"$TEST_TMP/race.start" &
    s=$!
    "$BERTH" --root "$BERTH_ROOT" delete --force "$id" >/dev/null 2>"$TEST_TMP/race.delete" &
    dl=$!
    wait "$s" 2>/dev/null
    src=$?
    wait "$dl" 2>/dev/null
    drc=$?
    [ $drc = 0 ] || bad+=" [$i: delete failed: $(cat "$TEST_TMP/race.delete")]"
    if [ $src != 0 ] && ! grep -q -e "does not exist" -e "has stopped" "$TEST_TMP/race.start"; then
        bad+=" [$i: start: $(cat "$TEST_TMP/race.start")]"
    fi
    proc_gone "$pid" || bad+=" [$i: init $pid alive]"
    [ -z "$(ls -A "$BERTH_ROOT")" ] || bad+=" [$i: left: $(ls -A "$BERTH_ROOT")]"
    berth delete --force "$id" >/dev/null 2>&1
done
assert_eq "$bad" "" "real: 20 x start racing delete --force"

# A container of the systemd cgroup driver whose systemd is gone (here:
# never was PID 1): delete has no unit to stop and must not be stuck on the
# bus. The unit is written into the state by hand; the helper would fail.
if [ -d /run/systemd/system ]; then
    skip "delete of a systemd-driven container without systemd" "systemd is PID 1 here"
else
    id=$(new_id)
    set_args "$bundle" true
    run_cmd berth run -d --bundle "$bundle" "$id"
    wait_for_status "$id" stopped
    "$PYTHON" - "$BERTH_ROOT/$id/state.json" <<'PY'
import json, sys
p = sys.argv[1]
s = json.load(open(p))
s["cgroup"].update(unit="berth-gone.scope", unitV2=True)
json.dump(s, open(p, "w"))
PY
    run_cmd env BERTH_SYSTEMD_HELPER=/nonexistent/berth-systemd "$BERTH" --root "$BERTH_ROOT" delete "$id"
    assert_success "delete of a container recorded with a systemd unit, on a host without systemd"
    assert_eq "$(ls -A "$BERTH_ROOT")" "" "... and its state is gone"
fi

done_testing
