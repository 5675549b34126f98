#!/bin/bash
# test-podman-rootless.sh: rootless podman runs berth (issue 20), as a user
# this script creates (useradd, a range in /etc/subuid and /etc/subgid for
# newuidmap). podman runs its runtime as uid 0 of the user's user namespace:
# berth must see that as rootless (state under $XDG_RUNTIME_DIR/berth, no
# cgroup it may not make, devices bound instead of made).
#
# Facts of this machine (ENGINES.md): root lacks CAP_SYS_RESOURCE, so every
# run passes --ulimit nofile/nproc; /dev/net/tun is mode 0600 here (0666 on
# a normal host), so slirp4netns fails for every runtime until the script
# sets 0666 for the published-port check, restored at exit.
ENGINE=podman-rootless
. "$(dirname "$0")/lib/common.sh"
require_cmd podman conmon useradd userdel runuser newuidmap newgidmap

U=bpr$$
SUB=700000
useradd -m -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 -s /bin/sh "$U" || bail_out "useradd $U"
H=$(getent passwd "$U" | cut -d: -f6)
UID1=$(id -u "$U")
_user_teardown() {
    # the user's containers, then whatever of the user still runs (podman's
    # pause process, conmon), by pid, then the user and its home
    timeout 60 "$TEST_TMP/bin/pmu" rm -a -f -t 0 >/dev/null 2>&1
    local p
    for p in $(ps -u "$UID1" -o pid= 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
    sleep 0.5
    userdel -r "$U" >/dev/null 2>&1
}
add_cleanup '_user_teardown'
usermod --add-subuids $SUB-$((SUB + 65535)) --add-subgids $SUB-$((SUB + 65535)) "$U" ||
    bail_out "usermod --add-subuids"
install -d -o "$U" -g "$U" -m 0700 "$H/run" "$H/bin"
install -m 0755 "$BERTH" "$H/berth-bin"
install -m 0644 -o "$U" "$IMG/rootfs.tar" "$H/rootfs.tar"
# the runtime podman is given: records each call, then berth
cat >"$H/bin/berth" <<W
#!/bin/sh
printf '%s\n' "\$*" >>'$H/calls.log'
exec '$H/berth-bin' "\$@"
W
chmod 755 "$H/bin/berth"
cat >"$H/containers.conf" <<C
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
C
cat >"$H/storage.conf" <<C
[storage]
driver = "overlay"
runroot = "$H/run/containers"
graphroot = "$H/storage"
C
printf 'unqualified-search-registries = []\n' >"$H/registries.conf"
chown "$U:$U" "$H"/*.conf
# pmu: podman as the user, in a login-like environment, through run_cmd
cat >"$TEST_TMP/bin/pmu" <<C
#!/bin/sh
exec runuser -u '$U' -- env -i PATH=/usr/bin:/bin HOME='$H' USER='$U' XDG_RUNTIME_DIR='$H/run' \\
    CONTAINERS_CONF='$H/containers.conf' CONTAINERS_STORAGE_CONF='$H/storage.conf' \\
    CONTAINERS_REGISTRIES_CONF='$H/registries.conf' \\
    podman --runtime '$H/bin/berth' --cgroup-manager cgroupfs "\$@"
C
chmod 755 "$TEST_TMP/bin/pmu"
calls() { grep -E -- "$1" "$H/calls.log" 2>/dev/null; }

I=localhost/bbx
run_cmd pmu import -q "$H/rootfs.tar" $I
assert_success "rootless podman imports the busybox image" || bail_out "no image"

# ---- run ---------------------------------------------------------------------
run_cmd pmu run --rm --network none $I sh -c 'echo hello; id -u; cat /proc/self/uid_map; exit 5'
assert_status 5 "run: the container's exit code is podman's"
assert_eq "${lines[0]}" hello "run: stdout reaches podman"
assert_eq "${lines[1]}" 0 "run: root inside"
assert_match "${lines[2]}" "^ +0 +$UID1 +1" "run: the container's root is the user ($UID1) on the host"
assert_match "$output" "1 +$SUB +65536" "run: the user's /etc/subuid range is mapped (newuidmap via podman)"
assert_match "$(calls '^create ' | head -1)" "^create --bundle" "podman calls berth create"
assert_eq "$(calls '(^| )--root( |=|$)' | wc -l)" 0 "... without --root: berth finds the user's state root itself"
check "... under the user's XDG_RUNTIME_DIR, as uid 0 of its user namespace" [ -d "$H/run/berth" ]

# ---- detached: exec, logs, stop, rm ------------------------------------------
run_cmd pmu run -d --name c1 --network none $I sh -c 'echo started; trap "exit 0" TERM; sleep 1000 & wait'
assert_success "run -d"
run_cmd pmu exec c1 sh -c 'echo in-exec $(id -u); exit 3'
assert_status 3 "exec: its exit code"
assert_eq "$output" "in-exec 0" "exec: runs in the container"
run_cmd pmu logs c1
assert_contains "$output" started "logs: the container's output"
run_cmd pmu top c1 args
assert_contains "$output" "sleep 1000" "top: the container's processes"
run_cmd pmu stop -t 5 c1
assert_success "stop"
assert_eq "$(pmu inspect --format '{{.State.Status}}' c1 2>/dev/null)" exited "stop: exited"
run_cmd pmu rm c1
assert_success "rm"
# The root keeps only the compiled seccomp programs (seccomp~cache, issue 22).
check "rm: berth's state is gone" sh -c "[ -z \"\$(ls -A '$H/run/berth' 2>/dev/null | grep -v '~cache\$')\" ]"
check "... and podman's seccomp program is kept for the next container" sh -c "ls -A '$H/run/berth/seccomp~cache' | grep -q ."

# ---- --userns=keep-id --------------------------------------------------------
run_cmd pmu run --rm --userns=keep-id --network none $I id -u
assert_success "run --userns=keep-id"
assert_eq "$output" "$UID1" "--userns=keep-id: the process has the user's own uid"

# ---- a published port, reached from the host ---------------------------------
if ! command -v slirp4netns >/dev/null; then
    skip "published port: slirp4netns is not installed (contrib/install-engine-deps.sh)"
else
    tun_mode=$(stat -c %a /dev/net/tun)
    add_cleanup "chmod $tun_mode /dev/net/tun"
    chmod 0666 /dev/net/tun
    PORT=$((20000 + $$ % 10000))
    run_cmd pmu run -d --name web -p 127.0.0.1:$PORT:8080 $I \
        sh -c 'mkdir -p /www && echo hi-from-berth >/www/index.html && exec httpd -f -p 8080 -h /www'
    assert_success "run -d -p 127.0.0.1:$PORT:8080 (slirp4netns)"
    got=""
    for i in $(seq 50); do
        got=$(python3 -c "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:$PORT/', timeout=2).read().decode().strip())" 2>/dev/null) && break
        sleep 0.2
    done
    assert_eq "$got" hi-from-berth "a request from the host reaches the container's server"
    run_cmd pmu rm -f -t 0 web
    assert_success "rm -f the server"
fi

done_testing
