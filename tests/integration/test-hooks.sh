#!/bin/bash
# test-hooks.sh: OCI hooks end to end (config.md "POSIX-platform Hooks",
# runtime.md "Lifecycle"): order of all six kinds, the state on stdin and
# its status per kind, the namespace each kind runs in, args/env exactly,
# timeout, and the failure semantics of every phase.
#
# Every hook is `sh -c SCRIPT NAME OUT`, SCRIPT recording what it sees into
# OUT/NAME.*. Runtime-namespace hooks write to the host dir $OUT directly;
# container-namespace hooks: createContainer runs before pivot_root (its
# path resolves in the runtime namespace and $OUT is still visible),
# startContainer after it, so $OUT is bind-mounted at /hookout.
. "$(dirname "$0")/lib.sh"

require_root
require_cmd python3

# Self-skipping until berth claims the hooks (berth-features.c flips the
# claims in the commit that wires them into create/start).
run_cmd "$BERTH" features
if ! json_get "$output" '" ".join(j.get("hooks") or [])' | grep -qw createRuntime; then
    skip_all "berth features does not claim hooks yet"
fi

OUT=$TEST_TMP/hookout
mkdir -p "$OUT"
HOST_MNT=$(readlink /proc/self/ns/mnt)
HOST_NAME=$(cat /proc/sys/kernel/hostname)

# argv of the hook's own shell: through the parent pid of a child, as the
# mounted /proc numbers it (createContainer still sees the host's /proc
# from inside the container's pid namespace, so $$ would be wrong there).
RECORD='n=$0; o=$1; cat >"$o/$n.state"; echo "$n" >>"$o/order";
pp=$(cut -d" " -f4 /proc/self/stat); tr "\0" "|" </proc/$pp/cmdline >"$o/$n.cmdline";
readlink /proc/self/ns/mnt >"$o/$n.mnt"; cat /proc/sys/kernel/hostname >"$o/$n.host";
env >"$o/$n.env"; true'

# hooks_bundle: a bundle with all six hooks recording into $OUT.
hooks_bundle() {
    local b
    b=$(make_bundle) || return 1
    update_config "$b" "
o = '$OUT'
rec = r'''$RECORD'''
def h(name, out=o):
    # busybox picks its applet by argv[0]: the container shell needs sh
    a0 = 'sh' if name == 'startContainer' else 'hook-' + name
    return {'path': '/bin/sh', 'args': [a0, '-c', rec, name, out],
            'env': ['HOOKVAR=' + name, 'PATH=/usr/sbin:/usr/bin:/sbin:/bin']}
c['hostname'] = 'hookbox'
c['mounts'].append({'destination': '/hookout', 'type': 'bind', 'source': o,
                    'options': ['rbind', 'rw']})
c['hooks'] = {k: [h(k, '/hookout' if k == 'startContainer' else o)]
              for k in ['prestart', 'createRuntime', 'createContainer',
                        'startContainer', 'poststart', 'poststop']}
c['annotations'] = {'org.test.hooks': 'yes'}
" || return 1
    echo "$b"
}

st() { json_get "$(cat "$OUT/$1.state")" "$2"; }

# proc_gone PID: gone, or a zombie waiting for its reaper
proc_gone() {
    local s
    s=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 0
    [ "$s" = Z ]
}

# ---- 1. the happy path: order, state, namespaces, args, env ----------------

B=$(hooks_bundle) || bail_out "cannot make a bundle"
set_args "$B" /bin/sleep 300
snapshot_host
id=$(new_id)
run_cmd berth create --bundle "$B" "$id"
assert_success "create with prestart, createRuntime and createContainer hooks"
assert_eq "$(cat "$OUT/order" 2>/dev/null | tr '\n' ' ')" \
    "prestart createRuntime createContainer " "create runs its three kinds in spec order"
run_cmd berth state "$id"
init_pid=$(json_get "$output" 'j["pid"]')
run_cmd berth start "$id"
assert_success "start with startContainer and poststart hooks"
assert_eq "$(cat "$OUT/order" | tr '\n' ' ')" \
    "prestart createRuntime createContainer startContainer poststart " \
    "start adds startContainer then poststart"
run_cmd berth kill "$id" KILL
wait_for_status "$id" stopped 10
run_cmd berth delete "$id"
assert_success "delete with a poststop hook"
assert_eq "$(cat "$OUT/order" | tr '\n' ' ')" \
    "prestart createRuntime createContainer startContainer poststart poststop " \
    "all six kinds in lifecycle order"

for k in prestart createRuntime createContainer; do
    assert_eq "$(st $k 'j["status"]')" creating "$k sees status creating (runtime.md steps 3-5)"
done
assert_eq "$(st startContainer 'j["status"]')" created "startContainer sees created (step 7)"
assert_eq "$(st poststart 'j["status"]')" running "poststart sees running (step 9)"
assert_eq "$(st poststop 'j["status"]')" stopped "poststop sees stopped (step 13)"
for k in prestart createRuntime createContainer startContainer poststart poststop; do
    assert_eq "$(st $k 'j["id"]') $(st $k 'j["bundle"]') $(st $k 'j["ociVersion"]')" \
        "$id $B 1.3.0" "$k: id, bundle, ociVersion"
    assert_eq "$(st $k 'j["annotations"]["org.test.hooks"]')" yes "$k: annotations"
done
# runtime.md "State" pid: as seen by the runtime / by the container
for k in prestart createRuntime poststart; do
    assert_eq "$(st $k 'j["pid"]')" "$init_pid" "$k: pid is the init's host pid"
done
for k in createContainer startContainer; do
    assert_eq "$(st $k 'j["pid"]')" 1 "$k: pid as seen in the container's pid namespace"
done
for k in prestart createRuntime poststart poststop; do
    assert_eq "$(cat "$OUT/$k.mnt")" "$HOST_MNT" "$k runs in the runtime mount namespace"
    assert_eq "$(cat "$OUT/$k.host")" "$HOST_NAME" "$k runs in the runtime UTS namespace"
done
for k in createContainer startContainer; do
    assert_ne "$(cat "$OUT/$k.mnt")" "$HOST_MNT" "$k runs in the container mount namespace"
    assert_eq "$(cat "$OUT/$k.host")" hookbox "$k sees the container hostname"
done
assert_eq "$(cat "$OUT/createContainer.mnt")" "$(cat "$OUT/startContainer.mnt")" \
    "createContainer and startContainer share the container's mount namespace"
for k in prestart createRuntime createContainer startContainer poststart poststop; do
    a0=hook-$k
    [ $k = startContainer ] && a0="sh"
    assert_match "$(cat "$OUT/$k.cmdline")" "^$a0\\|-c\\|" "$k: argv[0] is args[0] exactly"
    assert_contains "$(cat "$OUT/$k.env")" "HOOKVAR=$k" "$k: env from the config"
    assert_not_contains "$(cat "$OUT/$k.env")" "BERTH_ROOT" "$k: nothing of berth's environment"
done
assert_host_unchanged "nothing left after delete"

# ---- 2. failures ----------------------------------------------------------

# fail_bundle KIND SCRIPT [TIMEOUT]: bundle whose KIND hook runs SCRIPT,
# plus a poststop hook recording into $OUT.
fail_bundle() {
    local b
    b=$(make_bundle) || return 1
    set_args "$b" /bin/sleep 300
    update_config "$b" "
h = {'path': '/bin/sh', 'args': ['sh', '-c', '''$2''']}
if '${3:-}': h['timeout'] = int('${3:-0}')
c['hooks'] = {'$1': [h], 'poststop': [{'path': '/bin/sh',
    'args': ['sh', '-c', 'cat > $OUT/poststop-after-fail.state']}]}
" || return 1
    echo "$b"
}

for k in prestart createRuntime createContainer; do
    rm -f "$OUT/poststop-after-fail.state"
    B=$(fail_bundle $k 'echo broken-hook-output >&2; exit 3') || bail_out "bundle"
    snapshot_host
    id=$(new_id)
    run_cmd berth create --bundle "$B" "$id"
    assert_failure "create fails when a $k hook fails"
    assert_contains "$stderr" "$k hook #0" "error names the $k hook"
    assert_contains "$stderr" "exit status 3" "error has the exit status"
    assert_contains "$stderr" "broken-hook-output" "error has the hook's stderr"
    run_cmd berth state "$id"
    assert_failure "no container after a failed $k hook"
    assert_eq "$(st poststop-after-fail 'j["status"]' 2>/dev/null)" stopped \
        "$k failure: poststop still runs (runtime.md: continue at step 12)"
    assert_host_unchanged "failed $k hook leaves nothing behind"
done

# timeout: the hook is killed, create fails and leaves nothing
B=$(fail_bundle createRuntime "echo \$\$ > $OUT/sleeper.pid; exec sleep 60" 1) || bail_out bundle
snapshot_host
id=$(new_id)
t0=$(date +%s)
run_cmd berth create --bundle "$B" "$id"
t1=$(date +%s)
assert_failure "create fails when a hook times out"
assert_contains "$stderr" "timed out after 1 s" "timeout error"
[ $((t1 - t0)) -lt 10 ] && ok "timeout aborts within seconds" || not_ok "took $((t1 - t0)) s"
sleeper=$(cat "$OUT/sleeper.pid" 2>/dev/null)
if [ -n "$sleeper" ] && wait_for proc_gone "$sleeper"; then
    ok "timed-out hook was killed"
else
    not_ok "timed-out hook $sleeper still alive"
fi
assert_host_unchanged "timed-out hook leaves nothing behind"

# startContainer failure: start errors, the container stops
B=$(fail_bundle startContainer 'echo start-hook-broke; exit 4') || bail_out bundle
snapshot_host
id=$(new_id)
run_cmd berth create --bundle "$B" "$id"
assert_success "create with a failing startContainer hook (not run yet)"
run_cmd berth start "$id"
assert_failure "start fails when a startContainer hook fails"
assert_contains "$stderr" "startContainer hook #0" "error names the startContainer hook"
assert_contains "$stderr" "start-hook-broke" "error has the hook's output"
wait_for_status "$id" stopped 10
assert_eq "$(container_status "$id")" stopped "container is stopped after startContainer failure"
run_cmd berth delete "$id"
assert_success "delete after a failed start"
assert_host_unchanged "failed startContainer leaves nothing behind after delete"

# poststart failure [1.3]: start errors, the container is stopped and (as
# "continue the lifecycle at step 12" says, like crun) destroyed, poststop
# included
rm -f "$OUT/poststop-after-fail.state"
B=$(fail_bundle poststart 'exit 5') || bail_out bundle
snapshot_host
id=$(new_id)
run_cmd berth create --bundle "$B" "$id"
run_cmd berth state "$id"
pid=$(json_get "$output" 'j["pid"]')
run_cmd berth start "$id"
assert_failure "start fails when a poststart hook fails (spec 1.3)"
assert_contains "$stderr" "poststart hook #0" "error names the poststart hook"
if [ -n "$pid" ] && [ "$pid" != 0 ] && wait_for proc_gone "$pid"; then
    ok "the container's process is gone after the poststart failure"
else
    not_ok "init $pid still alive after the poststart failure"
fi
run_cmd berth state "$id"
assert_failure "the container was destroyed (runtime.md: continue at step 12)"
assert_eq "$(st poststop-after-fail 'j["status"]' 2>/dev/null)" stopped \
    "poststart failure: poststop hooks ran"
run_cmd berth delete --force "$id"
assert_success "delete --force of the destroyed container succeeds"
assert_host_unchanged "failed poststart leaves nothing behind"

# poststop failure: a warning, delete succeeds, later hooks still run
B=$(make_bundle) || bail_out bundle
set_args "$B" /bin/true
update_config "$B" "c['hooks'] = {'poststop': [
    {'path': '/bin/sh', 'args': ['sh', '-c', 'echo pstop-broke; exit 6']},
    {'path': '/bin/sh', 'args': ['sh', '-c', 'echo ran > $OUT/second-poststop']}]}"
snapshot_host
id=$(new_id)
run_cmd berth run --bundle "$B" "$id"
assert_success "run (ends with delete) succeeds although a poststop hook fails"
assert_contains "$stderr" "poststop hook #0" "poststop failure is reported as a warning"
assert_eq "$(cat "$OUT/second-poststop" 2>/dev/null)" ran "the next poststop hook still runs"
run_cmd berth state "$id"
assert_failure "container deleted"
assert_host_unchanged "nothing left after run with a failing poststop hook"

# `berth run` starts what it created over its own socket (no exec.fifo):
# all six kinds still run in order, startContainer sees "created" ...
rm -f "$OUT"/*
B=$(hooks_bundle) || bail_out "cannot make the hooks bundle"
set_args "$B" /bin/sh -c 'echo ran-by-run'
id=$(new_id)
run_cmd berth run --bundle "$B" "$id"
assert_success "run with all six hooks"
assert_eq "$output" ran-by-run "run: the program ran"
assert_eq "$(tr '\n' ' ' <"$OUT/order")" \
    "prestart createRuntime createContainer startContainer poststart poststop " \
    "run: the six kinds in spec order"
assert_eq "$(st startContainer 'j["status"]')" created "run: startContainer sees created"
assert_eq "$(st poststart 'j["status"]')" running "run: poststart sees running"
# ... a detached run leaves a running container ...
set_args "$B" /bin/sleep 1000
rm -f "$OUT"/*
id=$(new_id)
run_cmd berth run -d --bundle "$B" "$id"
assert_success "run -d with hooks"
assert_eq "$(container_status "$id")" running "run -d: running"
run_cmd berth delete --force "$id"
# ... and a failing startContainer hook fails run, stops the container
# (poststop runs) and leaves nothing behind.
B=$(make_bundle) || bail_out bundle
set_args "$B" /bin/sh -c 'echo must-not-run'
update_config "$B" "c['hooks'] = {
    'startContainer': [{'path': '/bin/sh', 'args': ['sh', '-c', 'echo start-broke >&2; exit 4']}],
    'poststop': [{'path': '/bin/sh', 'args': ['sh', '-c', 'echo ran > $OUT/run-poststop']}]}"
snapshot_host
id=$(new_id)
run_cmd berth run --bundle "$B" "$id"
assert_failure "run fails when a startContainer hook fails"
assert_not_contains "$output" must-not-run "run: the program did not run"
assert_contains "$stderr" "startContainer" "run: the error names the hook"
assert_eq "$(cat "$OUT/run-poststop" 2>/dev/null)" ran "run: poststop ran after the failed start"
run_cmd berth state "$id"
assert_failure "run: the container is gone"
assert_host_unchanged "a run whose startContainer hook fails leaves nothing behind"

done_testing
