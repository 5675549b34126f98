#!/bin/bash
# test-podman.sh: podman 4.3 + conmon drive berth end to end (issue 8).
# Private config and storage (lib/podman-setup.sh); every container is
# removed, conmon and mounts are gone at exit (lib.sh's leak scan checks).
ENGINE=podman
. "$(dirname "$0")/lib/common.sh"
require_cmd podman conmon
. "$SRCDIR/tests/engines/lib/podman-setup.sh"
PTY=$SRCDIR/tests/engines/lib/pty-run.py

R=(pm run --network none --cgroup-parent "/$CG_PARENT")
I=localhost/bbx

run_cmd pm import -q "$IMG/rootfs.tar" $I
assert_success "podman import of the busybox rootfs tarball" || bail_out "no image"

# cgfile CONTROLLER FILE CONTAINER: a cgroup v1 file of the container's init.
cgfile() {
    local pid path
    pid=$(pm inspect --format '{{.State.Pid}}' "$3" 2>/dev/null)
    path=$(awk -F: -v c="$1" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $2 $3 }' "/proc/$pid/cgroup" 2>/dev/null)
    cat "/sys/fs/cgroup/$path/$2" 2>/dev/null
}
status_of() { pm inspect --format '{{.State.Status}}' "$1" 2>/dev/null; }

# ---------------------------------------------------------------- run
# podman 4.3 on this VM waits 20 s after conmon exits before it reads the
# exit code of an attached run (with runc too), so checks share containers.
mark
run_cmd "${R[@]}" --rm $I sh -c 'echo hello from berth; echo oops >&2; checker caps >/tmp/caps; grep -c "^CapEff.names=.*CAP_CHOWN" /tmp/caps; exit 7'
assert_status 7 "run: the container's exit code 7 is podman's"
assert_eq "${lines[0]}" "hello from berth" "run: stdout reaches podman"
assert_contains "$stderr" oops "run: stderr reaches podman"
assert_eq "${lines[1]}" 1 "default caps include CAP_CHOWN"
calls_if_failed
assert_match "$(berth_calls '^create ')" "--bundle .* --pid-file .* [0-9a-f]{64}" "conmon calls berth create --bundle --pid-file ID"

printf 'line one\nline two\n' >"$TEST_TMP/in.txt"
run_cmd --stdin "$TEST_TMP/in.txt" "${R[@]}" --rm -i $I sh -c 'cat; echo eof'
assert_eq "$output" $'line one\nline two\neof' "run -i: stdin is piped to the container"

run_cmd "${R[@]}" --rm -e FOO=bar -u 1234:1234 -w /home/u --hostname box1 --read-only \
    --cap-drop CAP_CHOWN --init $I sh -c 'echo "$FOO $(id -u):$(id -g) $(pwd) $(hostname)"; checker ro / ro /tmp caps; tr "\0" " " </proc/1/cmdline; echo; echo "sh=$$"'
assert_eq "${lines[0]}" "bar 1234:1234 /home/u box1" "run: env, user, workdir and hostname"
assert_eq "${lines[1]}" "ro=1" "--read-only: / is read-only (EROFS)"
assert_eq "${lines[2]}" "ro=0" "--read-only: /tmp is podman's writable tmpfs"
assert_not_contains "$(kv CapBnd.names)" CAP_CHOWN "--cap-drop CAP_CHOWN: not in the bounding set"
assert_contains "${lines[-2]}" "/run/podman-init --" "--init: pid 1 is podman's init (catatonit)"
assert_ne "${lines[-1]}" "sh=1" "--init: the command is not pid 1"

run_cmd "$PTY" --input 'typed\n' pm run --rm -it --network none --cgroup-parent "/$CG_PARENT" $I \
    sh -c 'tty; read x; echo "got=$x"; exit 3'
assert_status 3 "run -it: exit code through the terminal"
assert_match "$output" "/dev/pts/[0-9]+" "run -it: the process has a pty"
assert_contains "$output" "got=typed" "run -it: typed input reaches the process"

# ----------------------------------------------------- detached lifecycle
mark
run_cmd "${R[@]}" -d --name c1 $I sh -c 'trap "echo got-TERM; exit 0" TERM; sleep 1000 & wait'
assert_success "run -d starts a detached container"
assert_eq "$(status_of c1)" running "run -d: podman sees it running"
pid1=$(pm inspect --format '{{.State.Pid}}' c1)
assert_eq "$(cat /proc/$pid1/comm 2>/dev/null)" sh "run -d: the init pid podman reports is the container's sh"

run_cmd pm top c1 pid args
assert_contains "$output" "sleep 1000" "top lists the container's process"
run_cmd pm ps --format '{{.Names}} {{.Status}}'
assert_match "$output" "c1 Up" "ps shows the container up"
run_cmd pm stats --no-stream --format '{{.PIDs}} {{.MemUsage}}' c1
assert_match "$output" "^2 [0-9.]+[kKMG]i?B" "stats: 2 pids and a memory usage from the cgroup"

run_cmd pm pause c1
assert_success "pause"
assert_eq "$(status_of c1)" paused "pause: podman state paused"
assert_eq "$(cgfile freezer freezer.state c1)" FROZEN "pause: the freezer cgroup is FROZEN"
run_cmd pm unpause c1
assert_eq "$(status_of c1)" running "unpause: running again"
assert_eq "$(cgfile freezer freezer.state c1)" THAWED "unpause: the freezer cgroup is THAWED"

run_cmd pm stop -t 2 c1
assert_success "stop"
assert_eq "$(status_of c1)" exited "stop: exited"
assert_eq "$(pm inspect --format '{{.State.ExitCode}}' c1)" 0 "stop: the init trapped SIGTERM and exited 0"
run_cmd pm logs c1
assert_contains "$output" got-TERM "stop: SIGTERM reached the init"
run_cmd pm start c1
assert_eq "$(status_of c1)" running "start: a stopped container runs again"
run_cmd pm kill -s KILL c1
assert_success "kill -s KILL"
poll 50 '[ "$(status_of c1)" = exited ]'
assert_eq "$(pm inspect --format '{{.State.ExitCode}}' c1)" 137 "kill -s KILL: exit code 137"
run_cmd pm restart -t 1 c1
assert_eq "$(status_of c1)" running "restart: running"
assert_ne "$(pm inspect --format '{{.State.Pid}}' c1)" "$pid1" "restart: a new init process"
calls_if_failed

# ------------------------------------------------------ resources, update
mark
run_cmd "${R[@]}" -d --name c2 --memory 64m --pids-limit 20 --cpus 0.5 $I sleep 1000
assert_success "run -d with --memory --pids-limit --cpus"
assert_eq "$(cgfile memory memory.limit_in_bytes c2)" 67108864 "--memory 64m: memory.limit_in_bytes"
assert_eq "$(cgfile pids pids.max c2)" 20 "--pids-limit 20: pids.max"
assert_eq "$(cgfile cpu cpu.cfs_quota_us c2)/$(cgfile cpu cpu.cfs_period_us c2)" 50000/100000 "--cpus 0.5: cfs quota/period"
run_cmd pm update --memory 96m --cpus 1.5 c2
assert_success "update of a running container"
assert_eq "$(cgfile memory memory.limit_in_bytes c2)" 100663296 "update --memory 96m: memory.limit_in_bytes"
assert_eq "$(cgfile cpu cpu.cfs_quota_us c2)" 150000 "update --cpus 1.5: cpu.cfs_quota_us"
assert_contains "$(berth_calls '^update ')" "--resources" "podman calls berth update --resources"
calls_if_failed
run_cmd pm rm -f -t 0 c2
assert_success "rm -f of a running container"

# tail keeps the whole of an endless line in memory. (conmon does not
# report OOMKilled on this cgroup v1 host, with runc either: not asserted.)
run_cmd "${R[@]}" --rm --memory 32m --memory-swap 32m $I tail /dev/zero
assert_status 137 "--memory 32m: the memory hog init is OOM-killed, exit 137"

run_cmd "${R[@]}" --rm --pids-limit 8 $I sh -c 'i=0; while [ $i -lt 20 ]; do sleep 2 & i=$((i+1)); done; wait; echo done'
assert_match "$stderr$output" "can't fork|Resource temporarily unavailable" "--pids-limit 8: fork fails inside"

# ---------------------------------------------------------------- exec
mark
run_cmd pm exec c1 sh -c 'echo "in $(hostname)"; exit 5'
assert_status 5 "exec: exit code 5"
assert_match "$output" "^in [0-9a-f]{12}$" "exec: output from inside the container"
run_cmd "$PTY" pm exec -it c1 sh -c 'tty; exit 2'
assert_status 2 "exec -it: exit code"
assert_match "$output" "/dev/pts/[0-9]+" "exec -it: a pty"
run_cmd pm exec -d c1 sh -c 'echo detached >/tmp/mark'
assert_success "exec -d"
retry 10 pm exec c1 test -s /tmp/mark
run_cmd pm exec c1 cat /tmp/mark
assert_eq "$output" detached "exec -d: the detached process ran"
run_cmd pm exec c1 /no/such/binary
assert_status 127 "exec of a missing binary: podman reports 127"
calls_if_failed

# ------------------------------------------------------------- errors
mark
run_cmd "${R[@]}" --rm $I /no/such/binary
assert_status 127 "run of a missing binary: podman reports 127"
assert_match "$stderr" "no such file or directory|not found" "run of a missing binary: podman's error names it"
calls_if_failed

run_cmd pm rm -f -t 0 c1
assert_success "rm -f c1"
run_cmd pm ps -a -q
assert_eq "$output" "" "no container left"
done_testing
