#!/bin/bash
# test-docker.sh: dockerd 20.10 with berth as an --add-runtime runtime,
# through a private containerd and its runc v2 shim, end to end (issue 8).
# Private daemons, sockets and data (lib/docker-setup.sh); every container,
# shim, daemon and mount is gone at exit (lib.sh's leak scan checks).
ENGINE=docker
. "$(dirname "$0")/lib/common.sh"
require_cmd dockerd containerd /usr/bin/docker
. "$SRCDIR/tests/engines/lib/containerd-setup.sh"
. "$SRCDIR/tests/engines/lib/docker-setup.sh"
PTY=$SRCDIR/tests/engines/lib/pty-run.py

_docker_teardown() {
    stop_dockerd
    stop_containerd
}
add_cleanup _docker_teardown
start_containerd || bail_out "containerd did not start: $(tail -n 5 "$CD/containerd.log")"
start_dockerd || bail_out "dockerd did not start: $(tail -n 5 "$DD/dockerd.log")"

R=(dk run --runtime berth --network none --cgroup-parent "/$CG_PARENT")
I=localhost/bbx

run_cmd dk import "$IMG/rootfs.tar" $I
assert_success "docker import of the busybox rootfs tarball" || bail_out "no image"

# cgfile CONTROLLER FILE CONTAINER: the container's cgroup v1 file.
cgfile() {
    local id
    id=$(dk inspect --format '{{.Id}}' "$3" 2>/dev/null)
    cat "/sys/fs/cgroup/$1/$CG_PARENT/$id/$2" 2>/dev/null
}
status_of() { dk inspect --format '{{.State.Status}}' "$1" 2>/dev/null; }

# ---------------------------------------------------------------- run
mark
run_cmd "${R[@]}" --rm $I sh -c 'echo hello from berth; echo oops >&2; exit 7'
assert_status 7 "run: the container's exit code 7 is docker's"
assert_eq "$output" "hello from berth" "run: stdout reaches docker"
assert_contains "$stderr" oops "run: stderr reaches docker"
calls_if_failed
assert_match "$(berth_calls ' create ')" "--log-format json create --bundle .* --pid-file .*/init.pid [0-9a-f]{64}$" \
    "the shim calls berth create --bundle --pid-file ID"

printf 'line one\nline two\n' >"$TEST_TMP/in.txt"
run_cmd --stdin "$TEST_TMP/in.txt" "${R[@]}" --rm -i $I sh -c 'cat; echo eof'
assert_eq "$output" $'line one\nline two\neof' "run -i: stdin is piped to the container"

run_cmd "${R[@]}" --rm -e FOO=bar -u 1234:1234 -w /home/u --hostname box1 $I \
    sh -c 'echo "$FOO $(id -u):$(id -g) $(pwd) $(hostname)"'
assert_eq "$output" "bar 1234:1234 /home/u box1" "run: env, user, workdir and hostname"

run_cmd "${R[@]}" --rm --read-only $I checker ro / stat /dev/null
assert_eq "$(kv ro)" 1 "--read-only: / is read-only (EROFS)"
assert_eq "$(kv stat.type)" chr "--read-only: /dev still works"

run_cmd "${R[@]}" --rm $I checker caps seccomp
assert_contains "$(kv CapEff.names)" CAP_CHOWN "default caps include CAP_CHOWN"
assert_eq "$(kv Seccomp)" 2 "docker's default seccomp profile is loaded"
run_cmd "${R[@]}" --rm --cap-drop CHOWN $I sh -c 'checker caps; chown 1:1 /tmp && echo chowned'
assert_not_contains "$(kv CapEff.names)" CAP_CHOWN "--cap-drop CHOWN: not in the effective set"
assert_not_contains "$output" chowned "--cap-drop CHOWN: chown fails"

run_cmd "${R[@]}" --rm --init $I sh -c 'tr "\0" " " </proc/1/cmdline; echo; echo "sh=$$"'
assert_contains "${lines[0]}" "docker-init --" "--init: pid 1 is docker's init (catatonit)"
assert_ne "${lines[1]}" "sh=1" "--init: the command is not pid 1"

run_cmd "$PTY" --input 'typed\n' dk run --rm -it --runtime berth --network none --cgroup-parent "/$CG_PARENT" $I \
    sh -c 'tty; read x; echo "got=$x"; exit 3'
assert_status 3 "run -it: exit code through the terminal"
assert_match "$output" "/dev/pts/[0-9]+" "run -it: the process has a pty"
assert_contains "$output" "got=typed" "run -it: typed input reaches the process"

# ----------------------------------------------------- detached lifecycle
mark
run_cmd "${R[@]}" -d --name c1 $I sh -c 'trap "echo got-TERM; exit 0" TERM; sleep 1000 & wait'
assert_success "run -d starts a detached container"
assert_eq "$(status_of c1)" running "run -d: docker sees it running"
pid1=$(dk inspect --format '{{.State.Pid}}' c1)
assert_eq "$(cat /proc/$pid1/comm 2>/dev/null)" sh "run -d: the init pid docker reports is the container's sh"

run_cmd dk top c1
assert_contains "$output" "sleep 1000" "top lists the container's processes"
assert_contains "$(berth_calls ' ps ')" "ps --format json" "top: the shim calls berth ps --format json"
run_cmd dk ps --format '{{.Names}} {{.Status}}'
assert_match "$output" "c1 Up" "ps shows the container up"
run_cmd dk stats --no-stream --format '{{.PIDs}} {{.MemUsage}}' c1
assert_match "$output" "^2 [0-9.]+[kKMG]i?B" "stats: 2 pids and a memory usage from the cgroup"

run_cmd dk pause c1
assert_success "pause"
assert_eq "$(status_of c1)" paused "pause: docker state paused"
assert_eq "$(cgfile freezer freezer.state c1)" FROZEN "pause: the freezer cgroup is FROZEN"
run_cmd dk unpause c1
assert_eq "$(status_of c1)" running "unpause: running again"
assert_eq "$(cgfile freezer freezer.state c1)" THAWED "unpause: the freezer cgroup is THAWED"

run_cmd dk stop -t 5 c1
assert_success "stop"
assert_eq "$(status_of c1)" exited "stop: exited"
assert_eq "$(dk inspect --format '{{.State.ExitCode}}' c1)" 0 "stop: the init trapped SIGTERM and exited 0"
run_cmd dk logs c1
assert_contains "$output" got-TERM "stop: SIGTERM reached the init"
run_cmd dk start c1
assert_eq "$(status_of c1)" running "start: a stopped container runs again"
run_cmd dk kill -s KILL c1
assert_success "kill -s KILL"
poll 50 '[ "$(status_of c1)" = exited ]'
assert_eq "$(dk inspect --format '{{.State.ExitCode}}' c1)" 137 "kill -s KILL: exit code 137"
run_cmd dk restart -t 1 c1
assert_eq "$(status_of c1)" running "restart: running"
assert_ne "$(dk inspect --format '{{.State.Pid}}' c1)" "$pid1" "restart: a new init process"
calls_if_failed

# ------------------------------------------------------ resources, update
mark
run_cmd "${R[@]}" -d --name c2 --memory 64m --pids-limit 20 --cpus 0.5 $I sleep 1000
assert_success "run -d with --memory --pids-limit --cpus"
assert_eq "$(cgfile memory memory.limit_in_bytes c2)" 67108864 "--memory 64m: memory.limit_in_bytes"
assert_eq "$(cgfile pids pids.max c2)" 20 "--pids-limit 20: pids.max"
assert_eq "$(cgfile cpu cpu.cfs_quota_us c2)/$(cgfile cpu cpu.cfs_period_us c2)" 50000/100000 "--cpus 0.5: cfs quota/period"
run_cmd dk update --memory 96m --memory-swap 192m --cpus 1.5 --pids-limit 30 c2
assert_success "update of a running container"
assert_eq "$(cgfile memory memory.limit_in_bytes c2)" 100663296 "update --memory 96m: memory.limit_in_bytes"
assert_eq "$(cgfile cpu cpu.cfs_quota_us c2)" 150000 "update --cpus 1.5: cpu.cfs_quota_us"
assert_eq "$(cgfile pids pids.max c2)" 30 "update --pids-limit 30: pids.max"
assert_contains "$(berth_calls ' update ')" "update --resources" "the shim calls berth update --resources"
calls_if_failed
run_cmd dk rm -f c2
assert_success "rm -f of a running container"

run_cmd "${R[@]}" --rm --memory 32m --memory-swap 32m $I tail /dev/zero
assert_status 137 "--memory 32m: the memory hog init is OOM-killed, exit 137"

run_cmd "${R[@]}" --rm --pids-limit 8 $I sh -c 'i=0; while [ $i -lt 20 ]; do sleep 2 & i=$((i+1)); done; wait; echo done'
assert_match "$stderr$output" "can't fork|Resource temporarily unavailable" "--pids-limit 8: fork fails inside"

# ---------------------------------------------------------------- exec
mark
run_cmd dk exec c1 sh -c 'echo "in $(hostname)"; exit 5'
assert_status 5 "exec: exit code 5"
assert_match "$output" "^in [0-9a-f]{12}$" "exec: output from inside the container"
run_cmd "$PTY" dk exec -it c1 sh -c 'tty; exit 2'
assert_status 2 "exec -it: exit code"
assert_match "$output" "/dev/pts/[0-9]+" "exec -it: a pty"
run_cmd dk exec -d c1 sh -c 'echo detached >/tmp/mark'
assert_success "exec -d"
retry 10 dk exec c1 test -s /tmp/mark
run_cmd dk exec c1 cat /tmp/mark
assert_eq "$output" detached "exec -d: the detached process ran"
run_cmd dk exec c1 /no/such/binary
assert_failure "exec of a missing binary fails"
assert_match "$stderr$output" "no such file or directory|not found" "exec of a missing binary: the error names the cause"
calls_if_failed

# ------------------------------------------------------------- errors
mark
run_cmd "${R[@]}" --rm $I /no/such/binary
assert_status 127 "run of a missing binary: docker reports 127"
assert_match "$stderr" "/no/such/binary.*(no such file or directory|not found)" "run of a missing binary: berth's error reaches docker"
calls_if_failed

run_cmd dk rm -f c1
assert_success "rm -f c1"
run_cmd dk ps -a -q
assert_eq "$output" "" "no container left"
done_testing
