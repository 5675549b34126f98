# podman-setup.sh: private podman (ENGINES.md "podman 4.3 + conmon 2.1").
# Sourced after common.sh. Everything lives under $PD; `pm` (a script in
# $TEST_TMP/bin, so run_cmd applies its timeout) is podman with the private
# config, --runtime $RT and --cgroup-manager cgroupfs on every call.
PD=$TEST_TMP/podman
mkdir -p "$PD"/{root,run,tmp,static,volumes}
catatonit=$(command -v catatonit || echo /usr/libexec/podman/catatonit)
cat >"$PD/containers.conf" <<C
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
netns = "none"
init_path = "$catatonit"

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$PD/events.log"
tmp_dir = "$PD/tmp"
static_dir = "$PD/static"
volume_path = "$PD/volumes"
runtime = "berth"

[engine.runtimes]
berth = ["$RT"]
C
cat >"$PD/storage.conf" <<C
[storage]
driver = "overlay"
runroot = "$PD/run"
graphroot = "$PD/root"
C
cat >"$TEST_TMP/bin/pm" <<C
#!/bin/sh
export CONTAINERS_CONF='$PD/containers.conf' CONTAINERS_STORAGE_CONF='$PD/storage.conf'
export CONTAINERS_REGISTRIES_CONF='$PD/registries.conf'
# conmon inherits podman's working directory and drops an "oom" file there
# when the cgroup's OOM eventfd fires (v1 fires it on the cgroup's removal
# too): here, not in the caller's checkout.
cd '$PD' || exit 1
exec /usr/bin/podman --runtime '$RT' --cgroup-manager cgroupfs --events-backend file "\$@"
C
printf 'unqualified-search-registries = []\n' >"$PD/registries.conf"
chmod 755 "$TEST_TMP/bin/pm"

# podman passes no --root, so berth keeps its compiled seccomp programs in
# /run/berth/seccomp~cache: one the test made goes with the test.
[ -e /run/berth/seccomp~cache ] && PM_HAD_CACHE=1 || PM_HAD_CACHE=0
[ -e /run/berth ] && PM_HAD_ROOT=1 || PM_HAD_ROOT=0
# With cgroupfs, podman puts conmon in <controller>/libpod_parent/conmon
# whatever --cgroup-parent says; the ones this script made go with it.
PM_NEW_CG=$(for c in /sys/fs/cgroup/*/; do [ -e "${c}libpod_parent" ] || echo "${c}libpod_parent"; done)

_podman_teardown() {
    # Containers first (conmon and the container processes go with them),
    # then podman's storage mounts; conmon is daemonised, so any left over
    # is found by its private path and killed by pid.
    timeout 60 pm rm -a -f -t 0 >/dev/null 2>&1
    timeout 30 pm rmi -a -f >/dev/null 2>&1
    kill_procs_mentioning "$PD/"
    # podman passes no --root: berth's state of our containers is in
    # /run/berth; a container podman lost track of must not stay there.
    local id
    for id in $(awk '$1 == "create" { print $NF }' "$CALLS" | sort -u); do
        [ -d "/run/berth/$id" ] && timeout 20 "$BERTH" delete --force "$id" >/dev/null 2>&1
    done
    [ "$PM_HAD_CACHE" = 1 ] || rm -rf /run/berth/seccomp~cache
    [ "$PM_HAD_ROOT" = 1 ] || rmdir /run/berth 2>/dev/null
    local cg
    for cg in $PM_NEW_CG; do
        [ -d "$cg" ] && rmdir "$cg/conmon" "$cg" 2>/dev/null
    done
    umount_below "$PD"
}
add_cleanup '_podman_teardown'
