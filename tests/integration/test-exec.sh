#!/bin/bash
# test-exec.sh: `berth exec`. Every flag is read back from inside the
# container with the checker; tty through a console socket and through the
# foreground proxy; detach + pid file; pidfd socket; exit codes; the errors
# podman maps to 126/127; created / paused / stopped containers; exec next
# to another exec; 50 parallel execs; a user + cgroup namespace container.
. "$(dirname "$0")/lib.sh"
require_root
require_cmd gcc python3

RECEIVER=$TEST_TMP/console-receiver
gcc -std=gnu11 -O1 -Wall -o "$RECEIVER" "$SRCDIR/tests/integration/helpers/console-receiver.c" \
    >"$TEST_TMP/build.log" 2>&1 || bail_out "cannot build console-receiver: $(cat "$TEST_TMP/build.log")"

B=$(make_bundle) || bail_out "cannot make a bundle"
# nnp off in the config, so that --no-new-privs is observable
update_config "$B" 'c["process"]["noNewPrivileges"] = False
c["process"]["args"] = ["/bin/checker", "sleep", "300"]'

snapshot_host
id=$(new_id)

# ---- created: exec works before start (runc allows it) ---------------------

run_cmd berth create --bundle "$B" "$id"
assert_success "create"
init_pid=$(json_get "$(berth state "$id")" 'j["pid"]')
run_cmd berth exec "$id" /bin/checker pid ns
assert_success "exec into a created container"
assert_eq "$(kv pid)" 2 "pid 2 of the container's pid namespace (the init is 1)"
for ns in pid mnt net ipc uts; do
    assert_eq "$(kv ns.$ns)" "$(stat -L -c %i /proc/$init_pid/ns/$ns)" "joined the init's $ns namespace"
done
assert_eq "$(container_status "$id")" created "still created after the exec"
run_cmd berth start "$id"
assert_success "start"

# ---- defaults: the container's process settings ------------------------------

run_cmd berth exec "$id" /bin/checker ids cwd env caps nnp fds
assert_success "exec with the container's process settings"
assert_eq "$(kv uid)" 0 "uid from the config"
assert_eq "$(kv cwd)" / "cwd from the config"
assert_eq "$(kv env.PATH)" /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "env from the config"
assert_eq "$(kv env.HOME)" /root "HOME from the container's /etc/passwd"
assert_eq "$(kv CapEff.names)" CAP_KILL,CAP_NET_BIND_SERVICE,CAP_AUDIT_WRITE "capabilities from the config"
assert_eq "$(kv NoNewPrivs)" 0 "no_new_privs as the config says"
assert_eq "$(kv fds)" "" "no fd of berth reaches the process"

# ---- every flag, read back ---------------------------------------------------

run_cmd berth exec --cwd /tmp -e A=1 --env B=two --env=C=3=x -u 1000:1001 -g 10 --additional-gids 20 \
    --no-new-privs "$id" /bin/checker ids cwd env nnp
assert_success "exec with flags"
assert_eq "$(kv cwd)" /tmp "--cwd"
assert_eq "$(kv env.A)" 1 "-e"
assert_eq "$(kv env.B)" two "--env"
assert_eq "$(kv env.C)" 3=x "--env=NAME=VALUE (every use of a repeatable flag kept)"
assert_eq "$(kv env.TERM)" xterm "the config's env is kept besides -e"
assert_eq "$(kv uid)/$(kv euid)" 1000/1000 "--user uid"
assert_eq "$(kv gid)/$(kv egid)" 1001/1001 "--user gid"
assert_eq "$(kv groups)" 10,20 "-g and --additional-gids"
assert_eq "$(kv NoNewPrivs)" 1 "--no-new-privs"

run_cmd berth exec "-e"
assert_status 2 "a repeatable flag without its value is a usage error"
assert_contains "$stderr" "flag needs an argument: -e" "... with the parser's wording"

# capabilities as root (a non-root uid loses them at execve without ambient)
run_cmd berth exec --cap CAP_SYS_ADMIN -c CAP_NET_RAW "$id" /bin/checker caps
assert_contains "$(kv CapBnd.names)" CAP_SYS_ADMIN "--cap: bounding"
assert_contains "$(kv CapPrm.names)" CAP_NET_RAW "-c: permitted"
assert_eq "$(kv CapEff.names)" CAP_KILL,CAP_NET_BIND_SERVICE,CAP_NET_RAW,CAP_SYS_ADMIN,CAP_AUDIT_WRITE \
    "--cap/-c: effective, besides the config's"

run_cmd berth exec -u 1000 "$id" /bin/checker ids
assert_eq "$(kv uid)/$(kv gid)" 1000/0 "--user uid alone keeps gid 0"

run_cmd berth exec -u nobody "$id" /bin/checker ids
assert_failure "--user with a name is refused"
assert_contains "$stderr" "uid[:gid]" "the error shows the accepted form"

echo "hello" >"$TEST_TMP/preserved"
run_cmd berth exec --preserve-fds 2 "$id" /bin/checker fds 3<"$TEST_TMP/preserved" 4</dev/null
assert_eq "$(kv fds)" 3,4 "--preserve-fds 2: fds 3 and 4 reach the process"
run_cmd berth exec "$id" /bin/checker fds 3<"$TEST_TMP/preserved"
assert_eq "$(kv fds)" "" "without --preserve-fds an inherited fd 3 is closed"
run_cmd berth exec --preserve-fds 5 "$id" /bin/checker fds 3<"$TEST_TMP/preserved"
assert_success "--preserve-fds 5 with only fd 3 open"
assert_eq "$(kv fds)" 3 "none of berth's own fds fills the rest of the range"

# LSM labels: applied where the host has the LSM, an error elsewhere
if grep -qw apparmor /sys/kernel/security/lsm 2>/dev/null; then
    run_cmd berth exec --apparmor unconfined "$id" /bin/checker label
    assert_success "--apparmor unconfined"
else
    run_cmd berth exec --apparmor berth-test "$id" /bin/checker label
    assert_failure "--apparmor without AppArmor on the host is an error"
    assert_contains "$stderr" "berth-test" "the error names the profile"
fi
if grep -qw selinux /sys/kernel/security/lsm 2>/dev/null; then
    skip "SELinux host: --process-label needs a policy label (not tested)"
else
    run_cmd berth exec --process-label system_u:system_r:container_t:s0 "$id" /bin/checker label
    assert_failure "--process-label without SELinux on the host is an error"
    assert_contains "$stderr" "container_t" "the error names the label"
fi

# --process FILE: a runtime-spec process object, used as it is
cat >"$TEST_TMP/process.json" <<'JSON'
{"args": ["/bin/checker", "ids", "cwd", "env"], "cwd": "/etc", "env": ["ONLY=this"],
 "user": {"uid": 7, "gid": 8, "additionalGids": [9]}}
JSON
run_cmd berth exec --process "$TEST_TMP/process.json" "$id"
assert_success "--process FILE"
assert_eq "$(kv uid)/$(kv gid)/$(kv groups)" 7/8/9 "--process: user"
assert_eq "$(kv cwd)" /etc "--process: cwd"
assert_eq "$(kv env.ONLY)" this "--process: env"
assert_eq "$(kv env.TERM)" "" "--process: the config's env is not merged in"
printf '{"args": ["/bin/true"], "cwd": "relative"}' >"$TEST_TMP/bad.json"
run_cmd berth exec -p "$TEST_TMP/bad.json" "$id"
assert_failure "--process with a relative cwd"
assert_contains "$stderr" "cwd" "the error names the field"

# --cgroup: a sub-cgroup of the container's (memory hierarchy only)
memline=$(grep -E '^[0-9]+:([^:]*,)?memory(,[^:]*)?:' /proc/$init_pid/cgroup || true)
if [ -n "$memline" ] && [ -d /sys/fs/cgroup/memory ]; then
    sub=/sys/fs/cgroup/memory${memline##*:}/sub
    mkdir "$sub"
    add_cleanup "rmdir '$sub' 2>/dev/null"
    run_cmd berth exec --cgroup memory:sub "$id" /bin/checker cgroup
    assert_success "--cgroup memory:sub"
    assert_match "$output" "cgroup=[0-9]+:([^:]*,)?memory(,[^:]*)?:.*/sub" "the process is in the sub-cgroup"
    run_cmd berth exec --cgroup memory:nosuch "$id" /bin/checker cgroup
    assert_failure "--cgroup of a missing sub-cgroup"
    assert_contains "$stderr" "nosuch" "the error names it"
    run_cmd berth exec --cgroup memory,bogus:sub "$id" /bin/true
    assert_eq "$status" 255 "--cgroup naming an unknown controller is refused (runc)"
    assert_contains "$stderr" "unknown controller \`bogus\`" "the error names the controller"
    rmdir "$sub"
else
    skip "no v1 memory hierarchy for the --cgroup test" 6
fi
run_cmd berth exec --cgroup ../escape "$id" /bin/true
assert_failure "--cgroup with .. is refused"

# ---- exit codes and errors (podman maps them to 126/127) --------------------

run_cmd berth exec "$id" /bin/checker exit 7
assert_status 7 "the process's exit status"
run_cmd berth exec "$id" /bin/sh -c 'kill -9 $$'
assert_status 137 "killed by SIGKILL: 128+9"
run_cmd berth exec "$id" /bin/nope
assert_failure "missing binary"
assert_contains "$stderr" 'exec: "/bin/nope": no such file or directory' "path and podman's substring"
run_cmd berth exec "$id" nope
assert_failure "binary not in PATH"
assert_contains "$stderr" 'exec: "nope": executable file not found in $PATH' "name and podman's substring"
run_cmd berth exec --cwd /nope "$id" /bin/true
assert_failure "missing cwd"
assert_contains "$stderr" "chdir /nope: no such file or directory" "cwd error names the path"
run_cmd berth exec --cwd /proc/self/fd/3 --preserve-fds 0 "$id" /bin/true 3<"$TEST_TMP"
assert_failure "cwd through an fd of the host (CVE-2024-21626)"

# ---- signals are forwarded in the foreground --------------------------------

"$BERTH" --root "$BERTH_ROOT" exec "$id" /bin/checker signal-wait >"$TEST_TMP/sig.out" 2>&1 &
fg=$!
wait_for grep -q ready=1 "$TEST_TMP/sig.out"
kill -TERM $fg
wait $fg
assert_eq "$(kv signal.name "$(cat "$TEST_TMP/sig.out")")" TERM "SIGTERM to berth reaches the process"

# ---- tty ---------------------------------------------------------------------

SOCK=$TEST_TMP/console.sock
rm -f "$SOCK"
"$RECEIVER" "$SOCK" "" 20 >"$TEST_TMP/recv.out" 2>"$TEST_TMP/recv.err" &
RECV_PID=$!
add_cleanup "kill $RECV_PID 2>/dev/null; wait $RECV_PID 2>/dev/null"
wait_for test -S "$SOCK"
run_cmd berth exec -t -d --console-socket "$SOCK" "$id" /bin/sh -c 'tty; echo "h""i"'
assert_success "exec -t -d --console-socket"
wait "$RECV_PID"
out=$(tr -d '\r' <"$TEST_TMP/recv.out")
assert_match "$out" $'(^|\n)/dev/pts/[0-9]+(\n|$)' "stdin is a pty of the container's devpts"
assert_match "$out" $'(^|\n)hi(\n|$)' "output through the console socket"
run_cmd berth exec -t "$id" /bin/sh -c 'test -t 1 && echo is""tty'
assert_success "foreground exec -t proxies the pty"
assert_contains "$output" istty "stdout is a tty inside"
run_cmd berth exec -t -d "$id" /bin/true
assert_failure "-t -d without --console-socket"
assert_contains "$stderr" "console socket" "the error says why"

# ---- detach, pid file, pidfd socket -------------------------------------------

run_cmd berth exec -d --pid-file "$TEST_TMP/exec.pid" "$id" /bin/checker sleep 30
assert_success "exec -d --pid-file"
epid=$(cat "$TEST_TMP/exec.pid")
assert_eq "$(stat -L -c %i /proc/$epid/ns/pid)" "$(stat -L -c %i /proc/$init_pid/ns/pid)" \
    "the pid file names the process, in the container's pid namespace"
assert_eq "$(tr '\0' ' ' </proc/$epid/cmdline)" "/bin/checker sleep 30 " "it runs the command"
# exec while another exec runs
run_cmd berth exec "$id" /bin/sh -c 'ps -o pid,args | grep -c "[c]hecker sleep 30$"'
assert_eq "$output" 1 "a second exec runs (and sees the first) while it runs"
kill "$epid"

"$PYTHON" - "$TEST_TMP/pidfd.sock" >"$TEST_TMP/pidfd.out" 2>&1 <<'PY' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(1)
c, _ = s.accept()
msg, fds, _, _ = socket.recv_fds(c, 64, 1)
with open(f"/proc/self/fdinfo/{fds[0]}") as f:
    print([l.split()[1] for l in f if l.startswith("Pid:")][0], flush=True)
PY
py=$!
wait_for test -S "$TEST_TMP/pidfd.sock"
run_cmd berth exec -d --pid-file "$TEST_TMP/exec2.pid" --pidfd-socket "$TEST_TMP/pidfd.sock" "$id" /bin/checker sleep 30
assert_success "exec --pidfd-socket"
wait $py
assert_eq "$(cat "$TEST_TMP/pidfd.out")" "$(cat "$TEST_TMP/exec2.pid")" "the received fd is a pidfd of the process"
kill "$(cat "$TEST_TMP/exec2.pid")"

# ---- 50 parallel execs ----------------------------------------------------------

for i in $(seq 50); do
    "$BERTH" --root "$BERTH_ROOT" exec "$id" /bin/checker pid >"$TEST_TMP/par.$i" 2>&1 &
done
wait
good=$(cat "$TEST_TMP"/par.* | grep -c '^pid=')
uniq=$(cat "$TEST_TMP"/par.* | grep '^pid=' | sort -u | wc -l)
assert_eq "$good" 50 "50 parallel execs all ran"
assert_eq "$uniq" 50 "as 50 distinct processes"

# ---- paused and stopped ------------------------------------------------------------

run_cmd berth pause "$id"
if [ "$status" = 0 ]; then
    run_cmd berth exec "$id" /bin/true
    assert_failure "exec into a paused container"
    assert_contains "$stderr" "paused" "the error says paused"
    "$BERTH" --root "$BERTH_ROOT" exec --ignore-paused "$id" /bin/checker pid >"$TEST_TMP/ip.out" 2>&1 &
    ip=$!
    sleep 0.5
    assert_eq "$(kill -0 $ip 2>/dev/null && echo waiting)" waiting "--ignore-paused: the exec waits while frozen"
    run_cmd berth resume "$id"
    wait $ip
    assert_match "$(cat "$TEST_TMP/ip.out")" "^pid=[0-9]+" "--ignore-paused: it runs after resume"
else
    skip "pause failed here: $stderr" 4
fi

run_cmd berth kill "$id" KILL
wait_for_status "$id" stopped 10
run_cmd berth exec "$id" /bin/true
assert_failure "exec into a stopped container"
assert_contains "$stderr" "cannot exec in a stopped container" "runc's wording"
run_cmd berth delete "$id"
run_cmd berth exec "$id" /bin/true
assert_contains "$stderr" "does not exist" "exec into a missing container"
assert_host_unchanged "nothing left behind"

# ---- user + cgroup namespaces ----------------------------------------------------

B2=$(make_bundle) || bail_out "cannot make a bundle"
update_config "$B2" 'c["process"]["args"] = ["/bin/checker", "sleep", "300"]
c["linux"]["namespaces"] += [{"type": "user"}, {"type": "cgroup"}]
c["linux"]["uidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 65536}]
c["linux"]["gidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
chown -R 100000:100000 "$B2/rootfs"
id=$(new_id)
run_cmd berth run -d --bundle "$B2" "$id"
if [ "$status" = 0 ]; then
    init_pid=$(json_get "$(berth state "$id")" 'j["pid"]')
    run_cmd berth exec -u 5 "$id" /bin/checker ids ns cgroup
    assert_success "exec into a user-namespaced container"
    assert_eq "$(kv ns.user)" "$(stat -L -c %i /proc/$init_pid/ns/user)" "joined its user namespace"
    assert_eq "$(kv ns.cgroup)" "$(stat -L -c %i /proc/$init_pid/ns/cgroup)" "joined its cgroup namespace"
    assert_eq "$(kv uid)" 5 "uid 5 inside"
    run_cmd berth delete -f "$id"
else
    skip "user namespace container did not run: $stderr" 4
fi

# ---- the container's seccomp filter, rlimits, time namespace ----------------------

B3=$(make_bundle) || bail_out "cannot make a bundle"
update_config "$B3" 'c["process"]["args"] = ["/bin/checker", "sleep", "300"]
c["process"]["rlimits"] = [{"type": "RLIMIT_NOFILE", "soft": 321, "hard": 654}]
c["process"]["oomScoreAdj"] = 123
c["linux"]["namespaces"].append({"type": "time"})
c["linux"]["timeOffsets"] = {"monotonic": {"secs": 86400, "nanosecs": 0}}
c["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ALLOW",
    "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}'
id=$(new_id)
run_cmd berth run -d --bundle "$B3" "$id"
if [ "$status" = 0 ]; then
    init_pid=$(json_get "$(berth state "$id")" 'j["pid"]')
    run_cmd berth exec "$id" /bin/checker seccomp rlimits oom ns
    assert_success "exec into a container with seccomp, rlimits and a time namespace"
    assert_eq "$(kv Seccomp)" 2 "the container's seccomp filter applies to the exec'd process"
    assert_eq "$(kv rlimit.RLIMIT_NOFILE)" "321 654" "the container's rlimits"
    assert_eq "$(kv oom_score_adj)" 123 "the container's oomScoreAdj"
    assert_eq "$(kv ns.time)" "$(stat -L -c %i /proc/$init_pid/ns/time)" "joined its time namespace"
    run_cmd berth exec "$id" /bin/mkdir /tmp/x
    assert_failure "the filter really denies mkdir"
    run_cmd berth delete -f "$id"
else
    skip "seccomp/time namespace container did not run: $stderr" 6
fi

# ---- seccomp notify: the exec'd process's listener fd goes to listenerPath ----------

LISTENER=$TEST_TMP/seccomp-listener
if gcc -O2 -Wall -o "$LISTENER" "$SRCDIR/tests/integration/helpers/seccomp-listener.c" \
    >"$TEST_TMP/listener-build.log" 2>&1; then
    # start_listener DIR: the agent on $TEST_TMP/l.sock (mkdir answered 0, not run)
    start_listener() {
        local i
        mkdir -p "$1"
        "$LISTENER" "$TEST_TMP/l.sock" "$1" 0 2>"$1/stderr" &
        LISTENER_PID=$!
        add_cleanup "kill -KILL $LISTENER_PID 2>/dev/null; wait $LISTENER_PID 2>/dev/null"
        for i in $(seq 100); do
            [ -e "$1/ready" ] && return 0
            sleep 0.05
        done
        return 1
    }
    B4=$(make_bundle) || bail_out "cannot make a bundle"
    update_config "$B4" 'c["process"]["args"] = ["/bin/checker", "sleep", "300"]
c["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "'"$TEST_TMP"'/l.sock",
    "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_NOTIFY"}]}'
    start_listener "$TEST_TMP/lcreate" || bail_out "seccomp-listener did not start"
    id=$(new_id)
    run_cmd berth run -d --bundle "$B4" "$id"
    assert_success "container with a NOTIFY filter"
    # a second agent takes over the socket path for the exec's connection
    start_listener "$TEST_TMP/lexec" || bail_out "seccomp-listener did not start"
    run_cmd berth exec -d --pid-file "$TEST_TMP/notify.pid" "$id" /bin/sh -c \
        'mkdir /tmp/made; echo rc=$?; test -d /tmp/made && echo made || echo absent; sleep 1'
    assert_success "exec under a NOTIFY filter"
    wait_for test -s "$TEST_TMP/lexec/state.json"
    st=$(cat "$TEST_TMP/lexec/state.json" 2>/dev/null)
    assert_eq "$(json_get "$st" '[j["state"]["id"], j["state"]["status"]]')" "[\"$id\", \"running\"]" \
        "NOTIFY: the exec's state goes to the listener"
    assert_eq "$(json_get "$st" 'j["pid"]')" "$(cat "$TEST_TMP/notify.pid")" "NOTIFY: with the exec'd pid"
    wait_for grep -q answered "$TEST_TMP/lexec/log"
    assert_contains "$(cat "$TEST_TMP/lexec/log" 2>/dev/null)" answered "NOTIFY: the exec's mkdir went to the agent"
    run_cmd berth delete -f "$id"
else
    skip "cannot build seccomp-listener" 5
fi

done_testing
