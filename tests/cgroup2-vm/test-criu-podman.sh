#!/bin/bash
# test-criu-podman.sh: what issue 23 named, end to end: podman's `container
# checkpoint` and `container restore` of a container run with -t, through
# conmon and berth, in the cgroup2 VM (run-criu.sh; criu cannot run on the
# host kernel). conmon hands restore a --console-socket; the restored shell
# is the same process tree, on pty 0 of its devpts.
#
# The VM's / is an overlay, which podman's overlay storage cannot stack on:
# its storage goes to a tmpfs (the VM is thrown away afterwards).
if [ -z "${_BERTH_CRIU_PODMAN_TMP:-}" ]; then
    mkdir -p /var/tmp/berth-criu-podman && mount -t tmpfs tmpfs /var/tmp/berth-criu-podman
    export TMPDIR=/var/tmp/berth-criu-podman _BERTH_CRIU_PODMAN_TMP=1
fi
. "$(dirname "$0")/../engines/lib/common.sh"
. "$(dirname "$0")/criu-lib.sh"
command -v podman >/dev/null && command -v conmon >/dev/null ||
    skip_all "podman or conmon is not installed (contrib/install-engine-deps.sh)"
criu_ready || skip_all "$CRIU_WHY"
. "$SRCDIR/tests/engines/lib/podman-setup.sh"

P=localhost/bbx
run_cmd pm import -q "$IMG/rootfs.tar" $P
assert_success "podman: image import"
run_cmd pm run -d -t --name t1 $P sh -c 'while :; do sleep 1; done'
assert_success "podman run -d -t"
assert_contains "$(berth_calls create)" "--console-socket" "podman: conmon passed --console-socket to create"
PID0=$(pm inspect t1 --format '{{.State.Pid}}')
run_cmd pm container checkpoint t1
assert_success "podman container checkpoint of the -t container"
check "checkpoint: the init is gone" [ ! -e "/proc/$PID0" ]
run_cmd pm container restore t1
assert_success "podman container restore of the -t container"
assert_contains "$(berth_calls restore)" "--console-socket" "podman: conmon passed --console-socket to restore"
run_cmd pm inspect t1 --format '{{.State.Status}} restored={{.State.Restored}}'
assert_eq "$output" "running restored=true" "podman: the container runs, restored"
PID1=$(pm inspect t1 --format '{{.State.Pid}}')
assert_ne "$PID1" "$PID0" "restore: a new init process"
assert_eq "$(readlink "/proc/$PID1/fd/0")" /dev/pts/0 "restore: the init's stdin is pty 0 of its devpts"
assert_eq "$(tr '\0' ' ' <"/proc/$PID1/cmdline")" "sh -c while :; do sleep 1; done " "restore: the same shell"
run_cmd pm exec t1 sh -c 'echo exec-ok'
assert_contains "$output" exec-ok "podman exec into the restored container"
run_cmd pm rm -f t1
assert_success "podman rm -f"

done_testing
