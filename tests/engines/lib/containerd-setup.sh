# containerd-setup.sh: a private containerd 1.6 (ENGINES.md): own config,
# root, state and unix sockets under $CD, CRI disabled unless
# CONTAINERD_CRI_CONFIG names a file of CRI settings to append (the
# Kubernetes test: contrib/kubernetes/containerd-berth.toml). Sourced after
# common.sh. `start_containerd` starts it and sets CD_SOCK; `stop_containerd`
# kills leftover shims of this daemon (found by its socket path, by pid),
# stops it and unmounts its snapshots. Shim sockets are still made in
# /run/containerd/s (containerd 1.6 has no setting for that).
CD=$TEST_TMP/ctrd
CD_SOCK=$CD/containerd.sock
mkdir -p "$CD"/{root,state}
cat >"$CD/config.toml" <<C
version = 2
root = "$CD/root"
state = "$CD/state"
disabled_plugins = [$([ -n "${CONTAINERD_CRI_CONFIG:-}" ] || echo '"io.containerd.grpc.v1.cri"')]

[grpc]
  address = "$CD_SOCK"

[ttrpc]
  address = "$CD_SOCK.ttrpc"

[debug]
  address = ""
  level = "info"

[metrics]
  address = ""
C
[ -z "${CONTAINERD_CRI_CONFIG:-}" ] || cat "$CONTAINERD_CRI_CONFIG" >>"$CD/config.toml"

start_containerd() {
    start_daemon containerd "$CD/containerd.log" /usr/bin/containerd --config "$CD/config.toml"
    wait_socket "$CD_SOCK" 30
}

# containerd_client NS: `c` in $TEST_TMP/bin, ctr on our socket in
# namespace NS.
containerd_client() {
    cat >"$TEST_TMP/bin/c" <<C
#!/bin/sh
exec /usr/bin/ctr -a '$CD_SOCK' -n '$1' "\$@"
C
    chmod 755 "$TEST_TMP/bin/c"
}

# Kills and removes every task and container of `c`'s namespace (teardown).
containerd_remove_all() {
    local t
    for t in $(c task ls -q 2>/dev/null); do
        timeout 10 c task kill -s SIGKILL "$t" >/dev/null 2>&1
        timeout 10 c task rm -f "$t" >/dev/null 2>&1
    done
    for t in $(c container ls -q 2>/dev/null); do timeout 10 c container rm "$t" >/dev/null 2>&1; done
}

stop_containerd() {
    stop_daemon containerd
    # The shims outlive containerd; each has our socket in its command line.
    kill_procs_mentioning "$CD_SOCK"
    sleep 0.2
    umount_below "$CD"
}
