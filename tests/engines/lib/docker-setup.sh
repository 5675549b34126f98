# docker-setup.sh: a private dockerd 20.10 on a private containerd
# (ENGINES.md "dockerd 20.10"). Sourced after common.sh and
# containerd-setup.sh. Own data-root, exec-root, pidfile, config file and
# unix socket under $DD; `dk` is /usr/bin/docker against that socket.
DD=$TEST_TMP/docker
DK_SOCK=$DD/docker.sock
mkdir -p "$DD"/{data,exec,cfg}
echo '{}' >"$DD/daemon.json"
cat >"$TEST_TMP/bin/dk" <<C
#!/bin/sh
export DOCKER_CONFIG='$DD/cfg'
exec /usr/bin/docker -H 'unix://$DK_SOCK' "\$@"
C
chmod 755 "$TEST_TMP/bin/dk"

start_dockerd() {
    local cata
    cata=$(command -v catatonit || echo /usr/libexec/podman/catatonit)
    start_daemon dockerd "$DD/dockerd.log" /usr/sbin/dockerd \
        --config-file "$DD/daemon.json" --data-root "$DD/data" --exec-root "$DD/exec" \
        --pidfile "$DD/docker.pid" -H "unix://$DK_SOCK" --containerd "$CD_SOCK" \
        --bridge none --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
        --userland-proxy=false --exec-opt "native.cgroupdriver=${DOCKER_CGROUP_DRIVER:-cgroupfs}" \
        --storage-driver overlay2 --init-path "$cata" --add-runtime "berth=$RT"
    wait_socket "$DK_SOCK" 60 || return 1
    local i
    for ((i = 0; i < 100; i++)); do
        dk version >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    return 1
}

stop_dockerd() {
    local c
    for c in $(dk ps -a -q 2>/dev/null); do timeout 30 dk rm -f "$c" >/dev/null 2>&1; done
    stop_daemon dockerd
    # dockerd leaves its data-root (and overlay layers) mounted.
    umount_below "$DD"
}
