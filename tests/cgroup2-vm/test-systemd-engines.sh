#!/bin/bash
# test-systemd-engines.sh: engines configured for the systemd cgroup driver
# drive berth on a host whose PID 1 is systemd (the VM of vm.sh with
# BERTH_VM_SYSTEMD; run-systemd.sh runs it after test-systemd.sh):
# containerd's runc shim with SystemdCgroup (ctr --runc-systemd-cgroup, the
# call kubeadm's containerd makes) and podman with cgroup_manager=systemd
# (its default on such hosts). Checked: the engine called berth with
# --systemd-cgroup, the container's process is in the unit the engine's
# cgroupsPath names, and the unit is gone when the engine removed the
# container.
ENGINE=systemd
# The VM's root is an overlayfs, on which neither containerd's overlay
# snapshotter nor podman's overlay driver can stack: the engines' storage
# (under TEST_TMP) goes to /run, systemd's tmpfs.
if [ -z "${TMPDIR:-}" ] && [ "$(stat -f -c %T /tmp)" = overlayfs ] && [ -d /run/systemd/system ]; then
    export TMPDIR=/run/berth-engines-tmp
    mkdir -p "$TMPDIR"
fi
. "$(dirname "$0")/../engines/lib/common.sh"
[ -d /run/systemd/system ] || skip_all "systemd is not PID 1 here (run through run-systemd.sh)"
require_cmd systemctl
export BERTH_SYSTEMD_HELPER=${BERTH_SYSTEMD_HELPER:-$(dirname "$BERTH")/berth-systemd}
[ -x "$BERTH_SYSTEMD_HELPER" ] || skip_all "no berth-systemd beside $BERTH"
prop() { systemctl show "$1" -p "$2" --value 2>/dev/null; }
unit_gone() { [ "$(prop "$1" LoadState)" = not-found ]; }

# ---- containerd + runc shim, SystemdCgroup --------------------------------
if command -v containerd >/dev/null && command -v containerd-shim-runc-v2 >/dev/null; then
    . "$SRCDIR/tests/engines/lib/containerd-setup.sh"
    NS=bts$$
    containerd_client "$NS"
    RUNC=(--runc-binary "$RT" --runc-root "$CD/runc" --runc-systemd-cgroup)
    I=localhost/bbx:latest
    _ctrd_teardown() {
        containerd_remove_all
        stop_containerd
    }
    add_cleanup _ctrd_teardown
    start_containerd || bail_out "containerd did not start: $(tail -n 5 "$CD/containerd.log")"
    run_cmd c image import "$IMG/oci.tar"
    assert_success "containerd: image import"

    ID=$(new_id)
    run_cmd c run --rm "${RUNC[@]}" --cgroup "system.slice:cri-containerd:$ID" $I "$ID" cat /proc/self/cgroup
    assert_contains "$output" "/system.slice/cri-containerd-$ID.scope" \
        "containerd (SystemdCgroup): the process is in cri-containerd-ID.scope"
    assert_contains "$(berth_calls "create")" "--systemd-cgroup" "containerd: the shim passed --systemd-cgroup"
    wait_for unit_gone "cri-containerd-$ID.scope"
    assert_eq "$(prop "cri-containerd-$ID.scope" LoadState)" not-found "containerd: the unit is gone after run --rm"

    ID=$(new_id)
    run_cmd c run -d "${RUNC[@]}" --cgroup "machine.slice:cri-containerd:$ID" $I "$ID" sleep 300
    assert_success "containerd: a detached task"
    assert_eq "$(prop "cri-containerd-$ID.scope" ActiveState)" active "containerd: its unit is active"
    run_cmd c task kill -s SIGKILL "$ID"
    wait_for sh -c "! /usr/bin/ctr -a '$CD_SOCK' -n '$NS' task ls | grep -q '^$ID .*RUNNING'"
    run_cmd c task rm "$ID"
    assert_success "containerd: task rm"
    run_cmd c container rm "$ID"
    wait_for unit_gone "cri-containerd-$ID.scope"
    assert_eq "$(prop "cri-containerd-$ID.scope" LoadState)" not-found "containerd: the unit is gone after task rm"
else
    skip "containerd with SystemdCgroup" "containerd is not installed (contrib/install-engine-deps.sh)"
fi

# ---- podman, cgroup_manager = systemd --------------------------------------
if command -v podman >/dev/null && command -v conmon >/dev/null; then
    . "$SRCDIR/tests/engines/lib/podman-setup.sh"
    P=localhost/bbx
    run_cmd pm import -q "$IMG/rootfs.tar" $P
    assert_success "podman: image import"
    # (podman's default private cgroup namespace would show "/")
    run_cmd pm --cgroup-manager systemd run --rm --cgroupns host $P cat /proc/self/cgroup
    assert_match "$output" '/machine\.slice/libpod-[0-9a-f]{64}\.scope' \
        "podman (cgroup_manager=systemd): the process is in machine.slice/libpod-ID.scope"
    assert_contains "$(berth_calls "create")" "--systemd-cgroup" "podman: conmon passed --systemd-cgroup"
    run_cmd pm --cgroup-manager systemd run -d --name sdp $P sleep 300
    CID=$output
    assert_eq "$(prop "libpod-$CID.scope" ActiveState)" active "podman: the container's unit is active"
    sdroot=/sys/fs/cgroup
    [ -f $sdroot/cgroup.controllers ] || sdroot=/sys/fs/cgroup/unified
    run_cmd pm inspect --format '{{.State.Pid}}' sdp
    assert_contains "$(cat "$sdroot/machine.slice/libpod-$CID.scope/cgroup.procs" 2>&1)" "$output" \
        "podman: the container's init is in the unit's cgroup"
    run_cmd pm --cgroup-manager systemd rm -f -t 0 sdp
    assert_success "podman: rm -f"
    wait_for unit_gone "libpod-$CID.scope"
    assert_eq "$(prop "libpod-$CID.scope" LoadState)" not-found "podman: the unit is gone after rm"
else
    skip "podman with cgroup_manager=systemd" "podman is not installed (contrib/install-engine-deps.sh)"
fi

done_testing
