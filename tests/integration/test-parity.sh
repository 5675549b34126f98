#!/bin/bash
# test-parity.sh: the divergences from runc found by trying berth as users
# and engines do (issue 17, section 2), each asserted as the outcome runc
# gives; tests/differential compares against runc itself when it is there.
#   - rootfsPropagation r* values; hooks' working directory
#   - a default-deny seccomp profile that lists only the program's syscalls
#     (noNewPrivileges true and false); ENOSYS for syscalls newer than it
#   - a cwd only root can enter, for a non-root user
#   - "ro" /dev and "ro" mounts with mounts beneath them
#   - exit codes and output: exec failures 255, kill --all / ps on a
#     stopped container, list --format json key order
#   - no warnings on stderr for the default configs (advice: --debug)
. "$(dirname "$0")/lib.sh"
require_root
require_cmd python3

B=$(make_bundle) || bail_out "cannot make a bundle"
cp -a "$B" "$TEST_TMP/base"
snapshot_host

# fresh BUNDLE from the base, with PYCODE applied to its config
fresh() {
    rm -rf "$B"
    cp -a "$TEST_TMP/base" "$B"
    update_config "$B" "$1"
}

# ---- rootfsPropagation: the recursive spellings ----------------------------

for p in rshared rslave rprivate runbindable; do
    fresh "c['linux']['rootfsPropagation'] = '$p'
c['process']['args'] = ['/bin/checker', 'mounts']"
    run_cmd berth run --bundle "$B" "$(new_id)"
    assert_success "rootfsPropagation $p is accepted (containerd's CRI sends it)"
    root=$(printf '%s\n' "$output" | awk '$5 == "/" {print}' | head -1)
    case $p in
    rshared) assert_contains "$root" "shared:" "rshared: / has a peer group" ;;
    # rslave: a slave of the host's mount, which is private on a host
    # without systemd: nothing to see in mountinfo then.
    runbindable) assert_contains "$root" "unbindable" "runbindable: / is unbindable" ;;
    rprivate) assert_not_contains "$root" "shared:" "rprivate: / is private" ;;
    esac
done
fresh "c['linux']['rootfsPropagation'] = 'rrshared'"
run_cmd berth run --bundle "$B" "$(new_id)"
assert_failure "rootfsPropagation rrshared is refused"
assert_contains "$stderr" "rootfsPropagation" "the error names the field"

# ---- hooks: createContainer runs in the container's root -------------------

fresh "c['process']['args'] = ['true']
c['hooks'] = {'createContainer': [{'path': '/bin/sh', 'args': ['sh', '-c', 'pwd > $TEST_TMP/hook-cwd']}]}"
run_cmd berth run --bundle "$B" "$(new_id)"
assert_success "run with a createContainer hook"
assert_eq "$(cat "$TEST_TMP/hook-cwd" 2>/dev/null)" "$B/rootfs" \
    "createContainer hook's working directory is the container's root (as runc)"

# ---- seccomp: a default-deny profile listing only the program's syscalls ---

# What the static checker needs to start and answer `seccomp syscall N`;
# none of berth's own set-up syscalls (close_range, capset, setresuid,
# prctl, sendmsg, chdir, getcwd, ...).
PROFILE='{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
 "syscalls": [{"action": "SCMP_ACT_ALLOW", "names": ["read", "write", "exit", "exit_group",
  "execve", "brk", "arch_prctl", "set_tid_address", "set_robust_list", "rseq", "prlimit64",
  "mmap", "munmap", "mprotect", "openat", "close", "fstat", "newfstatat", "readlink",
  "uname", "getrandom", "ioctl", "lseek", "futex"]}]}'
if [ "$(uname -m)" != x86_64 ]; then
    skip "seccomp profiles here name x86_64 syscalls; this host is $(uname -m)" 11
else
    for nnp in True False; do
        fresh "c['process']['noNewPrivileges'] = $nnp
c['process']['user'] = {'uid': 1000, 'gid': 1000}
c['linux']['seccomp'] = json.loads('''$PROFILE''')
c['process']['args'] = ['/bin/checker', 'seccomp', 'syscall', '439', 'syscall', '61', 'caps']"
        run_cmd berth run --bundle "$B" "$(new_id)"
        assert_success "default-deny profile, noNewPrivileges $nnp: the container starts"
        assert_eq "$(kv Seccomp)" 2 "noNewPrivileges $nnp: the filter is on"
        assert_eq "$(kv syscall.439)" ENOSYS \
            "noNewPrivileges $nnp: faccessat2 (newer than the profile) fails with ENOSYS"
        assert_eq "$(kv syscall.61)" EPERM "noNewPrivileges $nnp: wait4 (older, unlisted) gets the default errno"
    done
    # CAP_SYS_ADMIN, kept for the late load without no_new_privs, is gone.
    assert_eq "$(kv CapPrm)/$(kv CapEff)" 0000000000000000/0000000000000000 \
        "noNewPrivileges false: no capability reaches the user's process"
    # A profile that also lets berth's own syscalls through (the old
    # order worked with it): ENOSYS on its own, and a kill default too.
    fresh "p = json.loads('''$PROFILE''')
p['syscalls'][0]['names'] += ['prctl', 'sendto', 'sendmsg', 'recvfrom', 'recvmsg', 'capget',
    'capset', 'setgroups', 'setresuid', 'setresgid', 'umask', 'chdir', 'getcwd', 'close_range',
    'fcntl', 'access', 'getuid', 'getdents64', 'fstatfs', 'statfs', 'pread64']
p['defaultAction'] = 'SCMP_ACT_KILL_PROCESS'
p['syscalls'].append({'names': ['wait4'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 1})
c['linux']['seccomp'] = p
c['process']['args'] = ['/bin/checker', 'syscall', '439', 'syscall', '61']"
    run_cmd berth run --bundle "$B" "$(new_id)"
    assert_eq "$status/$(kv syscall.439)/$(kv syscall.61)" 0/ENOSYS/EPERM \
        "kill-by-default profile: a syscall newer than all it names gets ENOSYS, not the kill"
    # The default action lets new syscalls through: no ENOSYS stub.
    fresh "c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [
    {'names': ['wait4'], 'action': 'SCMP_ACT_ERRNO'}]}
c['process']['args'] = ['/bin/checker', 'syscall', '439', 'syscall', '61']"
    run_cmd berth run --bundle "$B" "$(new_id)"
    assert_eq "$(kv syscall.439)/$(kv syscall.61)" EFAULT/EPERM \
        "an allow-by-default profile gets no ENOSYS stub (faccessat2 runs: EFAULT)"
fi

# ---- cwd that only root can enter ------------------------------------------

fresh "c['process']['user'] = {'uid': 1000, 'gid': 1000}
c['process']['cwd'] = '/secret'
c['process']['args'] = ['/bin/checker', 'cwd', 'ids']"
mkdir -m 0700 "$B/rootfs/secret"
run_cmd berth run --bundle "$B" "$(new_id)"
assert_success "a 0700 root-owned cwd with user 1000 (entered before the user switch, as runc)"
assert_eq "$(kv cwd)/$(kv uid)" /secret/1000 "the process runs as 1000 in /secret"
chown 1000:1000 "$B/rootfs/secret"
run_cmd berth run --bundle "$B" "$(new_id)"
assert_eq "$status/$(kv cwd)" 0//secret "a 0700 cwd of the user's own"
fresh "c['process']['cwd'] = '/a/new/dir'
c['process']['args'] = ['/bin/checker', 'cwd', 'stat', '/a/new/dir']"
run_cmd berth run --bundle "$B" "$(new_id)"
assert_eq "$status/$(kv cwd)/$(kv stat.mode)/$(kv stat.uid)" "0//a/new/dir/0755/0" \
    "a missing cwd is made, 0755 and root's (as runc)"

# ---- user namespace: a bind source its root cannot reach -------------------

mkdir -p "$TEST_TMP/private/data"
echo from-the-host >"$TEST_TMP/private/data/file"
chmod 0700 "$TEST_TMP/private"
chmod 0755 "$TEST_TMP"
fresh "import os
c['linux']['namespaces'].append({'type': 'user'})
c['linux']['uidMappings'] = [{'containerID': 0, 'hostID': 100000, 'size': 65536}]
c['linux']['gidMappings'] = [{'containerID': 0, 'hostID': 100000, 'size': 65536}]
c['mounts'].append({'destination': '/vol', 'type': 'bind', 'source': '$TEST_TMP/private/data',
                    'options': ['rbind', 'ro']})
c['process']['args'] = ['/bin/cat', '/vol/file']
for d, dirs, files in os.walk('$B'):
    os.lchown(d, 100000, 100000)
    for f in files + dirs:
        os.lchown(os.path.join(d, f), 100000, 100000)"
run_cmd berth run --bundle "$B" "$(new_id)"
assert_eq "$status/$output" "0/from-the-host" \
    "user namespace: a bind source below a 0700 host dir is opened by berth create (as runc)"
# the two-stage launch (a time namespace makes it) gets them with INIT_GO
update_config "$B" 'c["linux"]["namespaces"].append({"type": "time"})'
run_cmd berth run --bundle "$B" "$(new_id)"
assert_eq "$status/$output" "0/from-the-host" "the same with the two-stage launch"

# ---- read-only /dev, and ro mounts with mounts beneath ---------------------

fresh "c['root']['readonly'] = False
for m in c['mounts']:
    if m['destination'] == '/dev':
        m['options'].append('ro')
c['mounts'].append({'destination': '/data', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['ro']})
c['mounts'].append({'destination': '/data/sub', 'type': 'tmpfs', 'source': 'tmpfs', 'options': []})
c['process']['args'] = ['/bin/checker', 'ro', '/dev', 'stat', '/dev/pts', 'ro', '/dev/null',
    'ro', '/dev/shm', 'ro', '/data', 'ro', '/data/sub']"
run_cmd berth run --bundle "$B" "$(new_id)"
assert_success "a ro tmpfs /dev: populated, then remounted read-only (as runc)"
ro=$(printf '%s\n' "$output" | grep '^ro=' | tr '\n' ' ')
assert_eq "$ro" "ro=1 ro=0 ro=0 ro=1 ro=0 " "/dev ro; /dev/null and /dev/shm writable; /data ro, /data/sub rw"
assert_eq "$(kv stat.type)" dir "/dev/pts exists"

# ---- readonlyPaths that resolve to the root: the root read-only (runc) ----
# "/" itself, and an image's symlink to it; /proc, /dev and /dev/shm keep
# their own flags (the root mount alone, as root.readonly)
for rop in "/" "/toroot"; do
    fresh "c['root']['readonly'] = False
c['linux']['readonlyPaths'] = ['$rop']
c['process']['args'] = ['/bin/checker', 'ro', '/', 'ro', '/dev/shm', 'ro', '/proc/self/attr']"
    ln -sfn / "$B/rootfs/toroot"
    run_cmd berth run --bundle "$B" "$(new_id)"
    assert_success "readonlyPaths [\"$rop\"]"
    ro=$(printf '%s\n' "$output" | grep '^ro=' | tr '\n' ' ')
    assert_eq "${ro%% *}" "ro=1" "readonlyPaths [\"$rop\"]: the root is read-only (EROFS), as runc"
    assert_eq "$(printf '%s\n' "$output" | grep '^ro=' | sed -n 2p)" "ro=0" "... /dev/shm keeps its own flags"
done

# ---- the default configs: nothing on stderr --------------------------------

fresh "c['process']['args'] = ['true']
c['process']['capabilities']['ambient'] = list(c['process']['capabilities']['bounding'])"
run_cmd berth run --bundle "$B" "$(new_id)"
assert_eq "$status/$stderr" "0/" "ambient without inheritable (runc spec, podman, docker): silent"
run_cmd berth --debug run --bundle "$B" "$(new_id)"
assert_contains "$stderr" "not both permitted and inheritable" "--debug says why they are not raised"
run_cmd berth validate --bundle "$B" --no-host-checks
assert_contains "$output" "not both permitted and inheritable" "validate gives the advice"

# --debug: what runc's says of a create, as records in the --log file
fresh "c['process']['args'] = ['true']
c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [
    {'names': ['not_a_syscall', 'wait4'], 'action': 'SCMP_ACT_ERRNO'}]}"
run_cmd berth --debug --log "$TEST_TMP/debug.json" --log-format json run --bundle "$B" "$(new_id)"
dbg=$("$PYTHON" -c 'import json, sys
print("\n".join(json.loads(l)["msg"] for l in open(sys.argv[1]) if json.loads(l)["level"] == "debug"))' \
    "$TEST_TMP/debug.json" 2>&1)
assert_contains "$dbg" "namespace mount: new" "--debug: the namespaces"
assert_contains "$dbg" "cgroup: /berth/" "--debug: the cgroup"
assert_contains "$dbg" "compiled: 1 rules" "--debug: the seccomp filter"
assert_contains "$dbg" "syscall \`not_a_syscall\` unknown to libseccomp, skipped" \
    "--debug: unknown syscall names"
assert_eq "$stderr" "" "--log: nothing on stderr when nothing failed"

# ---- a cgroupsPath that already holds processes: a warning (runc 1.2+) ------

pop=/berth-parity-pop-$$
sleep 300 &
foreign=$!
disown $foreign # berth's delete ends it: no job report
add_cleanup "kill $foreign 2>/dev/null; rmdir /sys/fs/cgroup/*$pop /sys/fs/cgroup$pop 2>/dev/null"
for h in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
    [ -f "$h/cgroup.procs" ] || continue
    mkdir -p "$h$pop" 2>/dev/null && echo $foreign >"$h$pop/cgroup.procs" 2>/dev/null
done
fresh "c['process']['args'] = ['true']
c['linux']['cgroupsPath'] = '$pop'"
id=$(new_id)
run_cmd berth create --bundle "$B" "$id"
assert_eq "$status/$stderr" "0/berth: warning: container's cgroup is not empty: 1 process(es) found" \
    "a cgroupsPath with a process in it: created, with runc 1.2's warning"
run_cmd berth delete -f "$id"

# ---- cgroup v1 update: write orders the kernel refuses in one direction ----

if [ -f /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes ] &&
    [ -f /sys/fs/cgroup/cpu/cpu.cfs_quota_us ]; then
    parent=/berth-parity-$$
    mkdir -p "/sys/fs/cgroup/cpu$parent"
    add_cleanup "rmdir /sys/fs/cgroup/*$parent 2>/dev/null"
    echo 50000 >"/sys/fs/cgroup/cpu$parent/cpu.cfs_quota_us" # half a CPU
    fresh "c['process']['args'] = ['/bin/checker', 'sleep', '300']
c['linux']['cgroupsPath'] = '$parent/ctr'
c['linux']['resources'] = {'memory': {'limit': 67108864, 'swap': 134217728},
                           'cpu': {'quota': 50000, 'period': 100000}}"
    id=$(new_id)
    run_cmd berth run -d --bundle "$B" "$id"
    assert_success "run -d with memory+swap and a cpu quota under a limited parent"
    mem=/sys/fs/cgroup/memory$parent/ctr cpu=/sys/fs/cgroup/cpu$parent/ctr
    run_cmd berth update --memory -1 "$id"
    assert_eq "$status/$(cat $mem/memory.limit_in_bytes)/$(cat $mem/memory.memsw.limit_in_bytes)" \
        0/9223372036854771712/9223372036854771712 \
        "update --memory -1 under a swap limit: both unlimited (runc), not EINVAL"
    run_cmd berth update --memory 32m --memory-swap 48m "$id"
    assert_eq "$status/$(cat $mem/memory.limit_in_bytes)/$(cat $mem/memory.memsw.limit_in_bytes)" \
        0/33554432/50331648 "shrinking both: memory first, then swap"
    run_cmd berth update --memory 96m --memory-swap 128m "$id"
    assert_eq "$status/$(cat $mem/memory.limit_in_bytes)/$(cat $mem/memory.memsw.limit_in_bytes)" \
        0/100663296/134217728 "growing both: swap first, then memory"
    run_cmd berth update --cpu-period 50000 --cpu-quota 25000 "$id"
    assert_eq "$status/$(cat $cpu/cpu.cfs_quota_us)/$(cat $cpu/cpu.cfs_period_us)" 0/25000/50000 \
        "a shorter period the parent's limit refuses first: quota, then period again (runc)"
    run_cmd berth delete -f "$id"
else
    skip "needs cgroup v1 memory with swap accounting and cpu (this host: $(stat -fc %T /sys/fs/cgroup))" 5
fi

# ---- exit codes and output of the commands ---------------------------------

fresh "c['process']['args'] = ['/bin/checker', 'sleep', '300']"
id=$(new_id)
run_cmd berth run -d --bundle "$B" "$id"
assert_success "run -d"
exec_fails() {
    local what=$1
    shift
    run_cmd berth exec "$@"
    assert_eq "$status" 255 "exec failure exits 255: $what"
    assert_contains "$stderr" "exec failed: " "runc's prefix: $what"
}
exec_fails "missing binary" "$id" /nonexistent
exec_fails "missing cwd" --cwd /nope "$id" true
exec_fails "bad user" --user nobody-x "$id" true
exec_fails "no such container" no-such-container true
run_cmd berth exec "$id" /bin/sh -c 'exit 3'
assert_eq "$status" 3 "the process's own status is passed through"
# checkpoint --parent-path is checked as runc does, before criu is needed
mkdir -p "$TEST_TMP/img/pre"
touch "$TEST_TMP/img/afile"
run_cmd berth checkpoint --image-path "$TEST_TMP/img/new" --parent-path /abs "$id"
assert_eq "$status/$stderr" "1/berth: checkpoint: --parent-path must be relative" \
    "checkpoint --parent-path: an absolute path is refused"
run_cmd berth checkpoint --image-path "$TEST_TMP/img/new" --parent-path ../nope "$id"
assert_contains "$stderr" "invalid --parent-path: stat $TEST_TMP/img/nope: No such file or directory" \
    "checkpoint --parent-path: a missing parent is named (relative to the images dir)"
run_cmd berth checkpoint --image-path "$TEST_TMP/img/new" --parent-path ../afile "$id"
assert_contains "$stderr" "invalid --parent-path: $TEST_TMP/img/afile: not a directory" \
    "checkpoint --parent-path: a file is refused"
assert_eq "$(container_status "$id")" running "a refused checkpoint leaves the container running"
run_cmd berth pause "$id"
run_cmd berth exec "$id" true
assert_eq "$status" 255 "exec into a paused container: refused, 255"
assert_contains "$stderr" "--ignore-paused" "and says how to override"
run_cmd berth resume "$id"
run_cmd berth kill "$id" KILL
wait_for_status "$id" stopped
run_cmd berth exec "$id" true
assert_eq "$status" 255 "exec into a stopped container: 255"
run_cmd berth kill --all "$id" KILL
assert_eq "$status/$stderr" "0/" "kill --all on a stopped container exits 0 (containerd's shim sends it)"
run_cmd berth kill "$id" KILL
assert_eq "$status" 1 "kill (not --all) on a stopped container is an error (runtime.md)"
run_cmd berth ps "$id"
assert_eq "$status/${lines[0]%% *}/${#lines[@]}" "0/UID/1" "ps on a stopped container: the header only"
run_cmd berth ps --format json "$id"
assert_eq "$status/$output" "0/null" "ps --format json on a stopped container: null (as runc)"
run_cmd berth list --format json
keys=$(printf '%s' "$output" | "$PYTHON" -c 'import json, sys; print(",".join(json.load(sys.stdin)[0]))')
assert_eq "$keys" "ociVersion,id,pid,status,bundle,rootfs,created,owner" "list --format json: runc's key order"
run_cmd berth delete "$id"
assert_success "delete"

assert_host_unchanged
done_testing
