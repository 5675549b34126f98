#!/bin/bash
# test-systemd-engines.sh: engines configured for the systemd cgroup driver
# drive berth on a host whose PID 1 is systemd (the VM of vm.sh with
# BERTH_VM_SYSTEMD; run-systemd.sh runs it after test-systemd.sh):
# containerd's runc shim with SystemdCgroup (ctr --runc-systemd-cgroup), a
# Kubernetes pod through containerd's CRI plugin configured with
# contrib/kubernetes/containerd-berth.toml (the calls a kubelet with
# cgroupDriver: systemd makes, by tests/engines/lib/cri.py), docker with
# native.cgroupdriver=systemd and podman with cgroup_manager=systemd (its
# default on such hosts). Checked: the engine called berth with
# --systemd-cgroup, the container's process (and an exec'd one) is in the
# unit the engine's cgroupsPath names, an update reaches the unit's
# property and the cgroup file, and the unit is gone when the engine
# removed the container.
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
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    SDROOT=/sys/fs/cgroup
    MEMPROP=MemoryMax
    memfile() { cat "/sys/fs/cgroup$1/memory.max" 2>&1; }
else
    SDROOT=/sys/fs/cgroup/unified
    MEMPROP=MemoryLimit
    memfile() { cat "/sys/fs/cgroup/memory$1/memory.limit_in_bytes" 2>&1; }
fi
# assert_in_cgroup OUTPUT CGROUP WHAT: OUTPUT, a process's /proc/self/cgroup,
# puts it in CGROUP: the path itself, or "0::/" in a private cgroup
# namespace rooted there (a process outside the root would see "/..").
assert_in_cgroup() {
    if [ "$1" = "0::/" ]; then
        ok "$3 (0::/ in the container's cgroup namespace)"
    else
        assert_contains "$1" "$2" "$3"
    fi
}
# assert_memory UNIT CGROUP BYTES WHAT: the unit's memory property and the
# cgroup's file both hold BYTES.
assert_memory() {
    assert_eq "$(prop "$1" $MEMPROP)/$(memfile "$2")" "$3/$3" "$4: $MEMPROP and the memory file say $3"
}

# Kubernetes through containerd's CRI plugin needs python3-grpcio for the
# kubelet's side (cri.py); the plugin is enabled with the README's snippet.
CRI_SKIP=
if ! /usr/bin/python3 -c 'import grpc' 2>/dev/null; then
    CRI_SKIP="python3-grpcio is not installed (contrib/install-engine-deps.sh)"
elif [ ! -f "$SRCDIR/contrib/kubernetes/containerd-berth.toml" ]; then
    CRI_SKIP="contrib/kubernetes/containerd-berth.toml is missing"
else
    export CONTAINERD_CRI_CONFIG=$TEST_TMP/cri.toml
    # BinaryName is the build's berth (through the call log); the rest is
    # what `containerd config default` has: runc as the default handler, a
    # sandbox image (ours: no registry here), no fixed streaming port.
    sed "s|\"/usr/local/bin/berth\"|\"$RT\"|" "$SRCDIR/contrib/kubernetes/containerd-berth.toml" \
        >"$CONTAINERD_CRI_CONFIG"
    cat >>"$CONTAINERD_CRI_CONFIG" <<T
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "localhost/pause:latest"
  stream_server_port = "0"
[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"
T
fi

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
    run_cmd c task exec --exec-id e1 "$ID" cat /proc/self/cgroup
    assert_contains "$output" "/machine.slice/cri-containerd-$ID.scope" \
        "containerd: an exec'd process is in the task's unit"
    run_cmd c task kill -s SIGKILL "$ID"
    wait_for sh -c "! /usr/bin/ctr -a '$CD_SOCK' -n '$NS' task ls | grep -q '^$ID .*RUNNING'"
    run_cmd c task rm "$ID"
    assert_success "containerd: task rm"
    run_cmd c container rm "$ID"
    wait_for unit_gone "cri-containerd-$ID.scope"
    assert_eq "$(prop "cri-containerd-$ID.scope" LoadState)" not-found "containerd: the unit is gone after task rm"

    # ---- a Kubernetes pod: the kubelet's calls to the CRI plugin ---------------
    if [ -z "$CRI_SKIP" ]; then
        CRI=(/usr/bin/python3 "$SRCDIR/tests/engines/lib/cri.py" "$CD_SOCK")
        # A burstable-less (BestEffort) pod as a kubelet with cgroupDriver:
        # systemd describes it: the pod's slice, named after its uid.
        export CRI_POD_NAME=web CRI_POD_UID=8d2c6a4e-7b1f-4c3a-9e5d-1a2b3c4d5e6f CRI_HANDLER=berth
        export CRI_CGROUP_PARENT=kubepods-besteffort-pod${CRI_POD_UID//-/_}.slice
        PODCG=/kubepods.slice/kubepods-besteffort.slice/$CRI_CGROUP_PARENT
        c -n k8s.io image import "$IMG/oci.tar" >/dev/null
        run_cmd "${CRI[@]}" version
        assert_contains "$output" "containerd v1" "CRI: containerd answers the kubelet's Version (CRI v1)"
        run_cmd "${CRI[@]}" runp
        assert_success "CRI: RunPodSandbox with the berth handler"
        POD=$output
        assert_eq "$(prop "cri-containerd-$POD.scope" ControlGroup)" "$PODCG/cri-containerd-$POD.scope" \
            "CRI: the sandbox is the unit cri-containerd-ID.scope in the pod's slice (slice:prefix:name expanded)"
        run_cmd "${CRI[@]}" create "$POD" app localhost/bbx:latest 67108864 sleep 300
        assert_success "CRI: CreateContainer"
        CID=$output
        run_cmd "${CRI[@]}" start "$CID"
        assert_success "CRI: StartContainer"
        CCG=$PODCG/cri-containerd-$CID.scope
        assert_eq "$(prop "cri-containerd-$CID.scope" ActiveState)" active "CRI: the container's unit is active"
        assert_memory "cri-containerd-$CID.scope" "$CCG" 67108864 "CRI: the container's memory limit"
        assert_contains "$(cat /proc/"$(cat "$SDROOT$CCG/cgroup.procs" | head -n1)"/cgroup)" "$CCG" \
            "CRI: the container's process is in the unit's cgroup"
        run_cmd "${CRI[@]}" exec "$CID" cat /proc/self/cgroup
        assert_in_cgroup "$output" "$CCG" "CRI: ExecSync runs in the container's unit"
        run_cmd "${CRI[@]}" exec "$CID" sh -c 'exit 3'
        assert_status 3 "CRI: ExecSync returns the exit code"
        run_cmd "${CRI[@]}" update "$CID" 33554432
        assert_success "CRI: UpdateContainerResources"
        assert_memory "cri-containerd-$CID.scope" "$CCG" 33554432 "CRI: after the update"
        assert_contains "$(berth_calls "update")" "--systemd-cgroup" "CRI: the update went through berth update --systemd-cgroup"
        run_cmd "${CRI[@]}" stop "$CID"
        run_cmd "${CRI[@]}" rm "$CID"
        assert_success "CRI: StopContainer, RemoveContainer"
        wait_for unit_gone "cri-containerd-$CID.scope"
        assert_eq "$(prop "cri-containerd-$CID.scope" LoadState)" not-found "CRI: the container's unit is gone"
        run_cmd "${CRI[@]}" stopp "$POD"
        run_cmd "${CRI[@]}" rmp "$POD"
        assert_success "CRI: StopPodSandbox, RemovePodSandbox"
        wait_for unit_gone "cri-containerd-$POD.scope"
        assert_eq "$(prop "cri-containerd-$POD.scope" LoadState)" not-found "CRI: the sandbox's unit is gone"
        # a kubelet removes the pod's slice itself once the pod is gone
        systemctl stop "$CRI_CGROUP_PARENT" 2>/dev/null
    else
        skip "a Kubernetes pod through containerd's CRI" "$CRI_SKIP"
    fi

    # ---- docker, native.cgroupdriver=systemd ----------------------------------
    if command -v dockerd >/dev/null && [ -x /usr/bin/docker ]; then
        DOCKER_CGROUP_DRIVER=systemd
        . "$SRCDIR/tests/engines/lib/docker-setup.sh"
        add_cleanup stop_dockerd
        if start_dockerd; then
            run_cmd dk import "$IMG/rootfs.tar" localhost/bbx
            # (the VM's kernel has AppArmor, the host no apparmor_parser;
            # docker's private cgroup namespace would show "/")
            DR=(dk run --runtime berth --network none --security-opt apparmor=unconfined)
            run_cmd "${DR[@]}" --rm --cgroupns host localhost/bbx cat /proc/self/cgroup
            assert_match "$output" '/system\.slice/docker-[0-9a-f]{64}\.scope' \
                "docker (native.cgroupdriver=systemd): the process is in system.slice/docker-ID.scope"
            run_cmd "${DR[@]}" -d -m 64m --memory-swap 128m localhost/bbx sleep 300
            assert_success "docker: a detached container with -m 64m"
            DID=$output
            DCG=/system.slice/docker-$DID.scope
            assert_memory "docker-$DID.scope" "$DCG" 67108864 "docker: -m 64m"
            run_cmd dk exec "$DID" cat /proc/self/cgroup
            assert_in_cgroup "$output" "$DCG" "docker: an exec'd process is in the container's unit"
            run_cmd dk update -m 32m --memory-swap 64m "$DID"
            assert_success "docker update -m 32m"
            assert_memory "docker-$DID.scope" "$DCG" 33554432 "docker: after update -m 32m"
            run_cmd dk rm -f "$DID"
            assert_success "docker rm -f"
            wait_for unit_gone "docker-$DID.scope"
            assert_eq "$(prop "docker-$DID.scope" LoadState)" not-found "docker: the unit is gone after rm -f"
        else
            not_ok "dockerd (native.cgroupdriver=systemd) started"
            diag "$(tail -n 5 "$DD/dockerd.log")"
        fi
    else
        skip "docker with native.cgroupdriver=systemd" "docker.io is not installed (contrib/install-engine-deps.sh)"
    fi
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
    run_cmd pm exec sdp cat /proc/self/cgroup
    assert_in_cgroup "$output" "/machine.slice/libpod-$CID.scope" "podman exec: the process is in the container's unit"
    run_cmd pm --cgroup-manager systemd update --memory 48m sdp
    assert_success "podman update --memory 48m"
    assert_memory "libpod-$CID.scope" "/machine.slice/libpod-$CID.scope" 50331648 "podman: after update --memory 48m"
    assert_contains "$(berth_calls "update")" "--systemd-cgroup" "podman: the update went through berth update --systemd-cgroup"
    run_cmd pm --cgroup-manager systemd rm -f -t 0 sdp
    assert_success "podman: rm -f"
    wait_for unit_gone "libpod-$CID.scope"
    assert_eq "$(prop "libpod-$CID.scope" LoadState)" not-found "podman: the unit is gone after rm"
else
    skip "podman with cgroup_manager=systemd" "podman is not installed (contrib/install-engine-deps.sh)"
fi

done_testing
