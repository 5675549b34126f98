#!/bin/bash
# test-security.sh: the container-escape CVE classes of OCI runtimes, each
# attacked from a real bundle; every section asserts that the attack fails.
#
# How each section was shown to fail without its defence (run once by hand,
# 2026-11-28, one berth build with all of these defences removed, marked
# "DEFENCE REMOVED"; every section below failed, the normal build passes;
# tests/security/defences-off.sh repeats it one defence at a time):
#   CVE-2019-5736/2016-9962: init.c step 16 without prctl(PR_SET_DUMPABLE, 0):
#     exe.opened=1 (handle on the berth binary), exe.written=1 (the copy of
#     berth used below was overwritten after `start`), ptrace=1, fd.opened=1.
#     Since the sealed executable, /proc/PID/exe of the init is no handle on
#     the binary, and proc-attack counted ptrace and fds only on processes
#     running the binary itself, so 9962 passed with every PR_SET_DUMPABLE
#     of init.c removed (found by tests/security/defences-off.sh,
#     2026-12-07); it now counts any process whose executable is no file of
#     the container's root, and that build fails 9962 (ptrace=1, the
#     exec.fifo of the host's state dir opened).
#   CVE-2021-30465/2019-19921: path-util.c openat2_in_root without
#     RESOLVE_IN_ROOT: the tmpfs lands on the host dir (outside the rootfs)
#     and the container does not see it.
#   CVE-2025-31133: rootfs.c masked_path binding the path "/dev/null" again:
#     with a plain-file "null", /proc/timer_list became that file; with a
#     symlink, create failed, but not with the check's error.
#   CVE-2025-52565: terminal.c opening /dev/console following symlinks:
#     create failed by luck ("File exists"), not with the check's error.
#   CVE-2025-52881/2019-16884: ns-attrs.c writing "/proc/sys/KEY" by path
#     (the code before proc-safe.c): the sentinel files were overwritten.
#   CVE-2022-29162: a config listing inheritable caps makes CapInh non-zero
#     (asserted below, so the check can fail).
#   CVE-2019-19921, procfs/sysfs on a symlink (mount-apply.c
#     check_ordinary_dir, added 2026-12-07): without it both runs succeed,
#     procfs at /tmp/x and sysfs over the root (the failure the issue
#     reported), so the section's first checks fail.
#   CVE-2026-41579, /dev a symlink to a host dir: runc 1.1.5 with the same
#     bundle replaces the host's ptmx and makes fd/stdin/stdout/stderr in
#     the host dir; berth's defence is the same RESOLVE_IN_ROOT as 30465's
#     (path-util.c), shown failing by the same removal.
. "$(dirname "$0")/lib.sh"
require_root
require_cmd gcc sha256sum

ATTACK=$TEST_TMP/proc-attack
gcc -static -O2 -o "$ATTACK" "$SRCDIR/tests/integration/helpers/proc-attack.c" 2>"$TEST_TMP/.gcc" ||
    bail_out "cannot build proc-attack: $(cat "$TEST_TMP/.gcc")"

host_ns_mnt=$(stat -L -c %i /proc/self/ns/mnt)

# ---- CVE-2019-5736, CVE-2016-9962: the waiting init (a clone of berth,
# /proc/PID/exe = the berth binary, host fds open) seen from a second
# container in its pid namespace, with the same uid and capabilities (so
# only non-dumpability protects it). A copy of berth is the victim, so a
# successful attack cannot damage the binary under test.
BCOPY=$TEST_TMP/berth-copy
cp "$BERTH" "$BCOPY"
sum_before=$(sha256sum <"$BCOPY")
A=$(make_bundle) || bail_out "cannot make a bundle"
set_args "$A" /bin/checker sleep 10
V=$(make_bundle) || bail_out "cannot make a bundle"
cp "$ATTACK" "$V/rootfs/bin/proc-attack"
snapshot_host
ida=$(new_id)
idv=$(new_id)
REAL_BERTH=$BERTH
BERTH=$BCOPY
run_cmd berth create --bundle "$A" "$ida"
BERTH=$REAL_BERTH
assert_success "5736: victim container created (init waits for start)"
pida=$(json_get "$(berth state "$ida")" 'j["pid"]')
update_config "$V" "
for n in c['linux']['namespaces']:
    if n['type'] == 'pid':
        n['path'] = '/proc/$pida/ns/pid'
c['process']['args'] = ['/bin/proc-attack', '3', '$(stat -c %d:%i "$BCOPY")']"
# start the victim while the attacker holds on: its init execs, the binary
# is no longer busy, a held handle could now be opened for writing
(sleep 1.5; "$REAL_BERTH" --root "$BERTH_ROOT" start "$ida" >/dev/null 2>&1) &
starter=$!
run_cmd berth run --bundle "$V" "$idv"
wait "$starter"
assert_success "5736: attacker ran in the victim's pid namespace"
assert_eq "$(kv exe.opened)" 0 "5736: /proc/PID/exe of the waiting init cannot be opened"
assert_eq "$(kv exe.written)" 0 "5736: the runtime binary was not written through it"
assert_eq "$(sha256sum <"$BCOPY")" "$sum_before" "5736: the berth binary is unchanged"
assert_eq "$(kv ptrace)" 0 "9962: the waiting init cannot be ptraced"
assert_eq "$(kv fd.opened)" 0 "9962: no fd of the waiting init can be opened (state dir, fifo)"
diag "reached: exe=$(kv exe.target) fd=$(kv fd.target)"
berth delete --force "$ida" >/dev/null 2>&1

# ---- CVE-2024-21626: no host fd reaches the process; a cwd through a
# leaked fd (/proc/self/fd/N) never lands outside the rootfs.
B=$(make_bundle) || bail_out "cannot make a bundle"
set_args "$B" /bin/checker fds cwd
run_cmd berth run --bundle "$B" "$(new_id)"
assert_success "21626: run exits 0"
assert_eq "$(kv fds)" "" "21626: no fd besides stdio in the container process"
escaped=""
for n in 3 4 5 6 7 8 9 10; do
    update_config "$B" "c['process']['cwd'] = '/proc/self/fd/$n'"
    run_cmd berth run --bundle "$B" "$(new_id)"
    if [ "$status" = 0 ]; then
        cwd=$(kv cwd)
        case $cwd in
        /proc/*) ;; # a path of the container's own procfs
        *) escaped="$escaped fd$n:$cwd" ;;
        esac
    fi
done
assert_eq "$escaped" "" "21626: cwd /proc/self/fd/3..10 never leaves the rootfs"

# ---- CVE-2021-30465, CVE-2019-19921: a host process swaps rootfs/mnt
# between a directory and a symlink to a host directory while `run` mounts
# a tmpfs there, 25 times; every run must find its tmpfs inside its root.
B=$(make_bundle) || bail_out "cannot make a bundle"
HOSTDIR=$TEST_TMP/hostdir
mkdir -p "$HOSTDIR"
update_config "$B" "c['mounts'].append({'destination': '/mnt', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['size=64k']})"
set_args "$B" /bin/checker mounts
mkdir -p "$B/rootfs/mnt"
# renameat2(RENAME_EXCHANGE) swaps a directory and a symlink atomically
# (plain rename(2) refuses to replace one by the other)
ln -sfn "$HOSTDIR" "$B/rootfs/mnt.alt"
"$PYTHON" -c '
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
a, b = sys.argv[1].encode(), sys.argv[2].encode()
while True:
    libc.renameat2(-100, a, -100, b, 2)
' "$B/rootfs/mnt" "$B/rootfs/mnt.alt" &
swapper=$!
add_cleanup "kill $swapper 2>/dev/null; wait $swapper 2>/dev/null"
lost=0
for i in $(seq 25); do
    run_cmd berth run --bundle "$B" "$(new_id)"
    [ "$status" = 0 ] || continue # a create that fails on the race is fine
    if ! grep -q "size=64k" <<<"$output"; then
        lost=$((lost + 1))
        diag "run $i: no tmpfs in the container: $(grep -c . <<<"$output") mounts, stderr: $stderr"
    fi
done
kill "$swapper" 2>/dev/null
wait "$swapper" 2>/dev/null
assert_eq "$lost" 0 "30465: the tmpfs never left the rootfs (seen by the container in all runs)"
assert_eq "$(grep -c " $HOSTDIR " /proc/self/mountinfo)" 0 "30465: no mount on the host dir"
assert_eq "$(ls -A "$HOSTDIR")" "" "30465: nothing written into the host dir"

# ---- CVE-2025-31133: maskedPaths use /dev/null; here the container's /dev
# is a bind of a directory whose "null" is a symlink to /proc/sysrq-trigger
# (then a regular file): binding "it" would unmask a host-affecting file.
for kind in symlink file; do
    B=$(make_bundle) || bail_out "cannot make a bundle"
    mkdir -p "$B/fakedev"
    if [ $kind = symlink ]; then
        ln -s /proc/sysrq-trigger "$B/fakedev/null"
    else
        : >"$B/fakedev/null"
    fi
    update_config "$B" "
c['mounts'] = [m for m in c['mounts'] if m['destination'] != '/dev']
c['mounts'].append({'destination': '/dev', 'type': 'bind', 'source': '$B/fakedev', 'options': ['rbind']})
c['linux']['maskedPaths'] = ['/proc/timer_list']"
    set_args "$B" /bin/checker stat /proc/timer_list
    run_cmd berth run --bundle "$B" "$(new_id)"
    if [ "$status" = 0 ]; then
        assert_eq "$(kv stat.type):$(kv stat.major):$(kv stat.minor)" chr:1:3 \
            "31133 ($kind): the masked path is the null device"
    else
        assert_contains "$stderr" "not the null device" "31133 ($kind): create refuses a fake /dev/null"
    fi
done

# ---- CVE-2025-52565: the /dev/console bind target swapped for a symlink
# (here: the container's /dev is a bind of a directory whose "console"
# points at /proc/sysrq-trigger); the pty must not be bound through it.
RECEIVER=$TEST_TMP/console-receiver
if gcc -std=gnu11 -O1 -o "$RECEIVER" "$SRCDIR/tests/integration/helpers/console-receiver.c" 2>/dev/null; then
    B=$(make_bundle) || bail_out "cannot make a bundle"
    mkdir -p "$B/fakedev/pts"
    ln -s pts/ptmx "$B/fakedev/ptmx"
    ln -s /proc/sysrq-trigger "$B/fakedev/console"
    mknod "$B/fakedev/null" c 1 3
    update_config "$B" "
c['mounts'] = [m for m in c['mounts'] if m['destination'] != '/dev']
c['mounts'].insert(1, {'destination': '/dev', 'type': 'bind', 'source': '$B/fakedev', 'options': ['rbind']})
c['process']['terminal'] = True"
    SOCK=$TEST_TMP/console.sock
    rm -f "$SOCK"
    "$RECEIVER" "$SOCK" "" 20 >/dev/null 2>&1 &
    recv=$!
    add_cleanup "kill $recv 2>/dev/null; wait $recv 2>/dev/null"
    wait_for test -S "$SOCK"
    idc=$(new_id)
    run_cmd berth create --bundle "$B" --console-socket "$SOCK" "$idc"
    assert_failure "52565: create refuses a /dev/console that is a symlink"
    assert_contains "$stderr" "/dev/console is a symlink" "52565: the error names the symlink"
    kill "$recv" 2>/dev/null
    wait "$recv" 2>/dev/null
else
    skip "cannot build console-receiver" 2
fi

# ---- CVE-2025-52881: a config mount over /proc/sys/... would take the
# sysctl write (here: a host sentinel file bound over ip_forward).
B=$(make_bundle) || bail_out "cannot make a bundle"
SENT=$TEST_TMP/sentinel-sysctl
echo sentinel >"$SENT"
update_config "$B" "
c['mounts'].append({'destination': '/proc/sys/net/ipv4/ip_forward', 'type': 'bind', 'source': '$SENT', 'options': ['bind']})
c['linux']['sysctl'] = {'net.ipv4.ip_forward': '1'}"
set_args "$B" /bin/checker exit 0
run_cmd berth run --bundle "$B" "$(new_id)"
assert_eq "$(cat "$SENT")" sentinel "52881: the sysctl write did not go to the file bound over /proc/sys"

# ---- CVE-2019-16884: a fake procfs (a bundle directory) at /proc cannot
# take the sysctl (or LSM attr) writes.
B=$(make_bundle) || bail_out "cannot make a bundle"
mkdir -p "$B/fakeproc/sys/kernel"
echo sentinel >"$B/fakeproc/sys/kernel/domainname"
update_config "$B" "
c['mounts'] = [m for m in c['mounts'] if m['destination'] != '/proc']
c['mounts'].append({'destination': '/proc', 'type': 'bind', 'source': '$B/fakeproc', 'options': ['rbind']})
c['linux']['maskedPaths'] = []
c['linux']['readonlyPaths'] = []
c['linux']['sysctl'] = {'kernel.domainname': 'pwned'}"
run_cmd berth run --bundle "$B" "$(new_id)"
assert_eq "$(cat "$B/fakeproc/sys/kernel/domainname")" sentinel "16884: the fake /proc was not written"

# ---- CVE-2019-19921 (runc's hardening): procfs and sysfs only on an
# ordinary directory of the image. With /proc a symlink to /tmp/x, procfs
# would land at /tmp/x; with /sys -> /, sysfs would cover the whole root.
for attack in "proc:/proc:tmp/x" "sysfs:/sys:."; do
    IFS=: read -r fstype dest target <<<"$attack"
    B=$(make_bundle) || bail_out "cannot make a bundle"
    mkdir -p "$B/rootfs/tmp/x"
    rm -rf "$B/rootfs$dest" && ln -s "$target" "$B/rootfs$dest"
    update_config "$B" "c['linux'].setdefault('namespaces', []).append({'type': 'network'}) if not any(n['type'] == 'network' for n in c['linux']['namespaces']) else None"
    set_args "$B" /bin/checker exit 0
    id=$(new_id)
    run_cmd berth run --bundle "$B" "$id"
    assert_failure "19921: $fstype on $dest -> $target is refused"
    assert_contains "$stderr" "filesystem \"$fstype\" must be mounted on ordinary directory" \
        "... with runc's words"
    check "... leaving no state" [ ! -e "$BERTH_ROOT/$id" ]
    check "... and nothing mounted where the link points" \
        sh -c "! grep -q ' $B/rootfs' /proc/self/mountinfo"
done

# ---- CVE-2026-41579: an image whose /dev is a symlink to a host path
# (absolute). runc before 1.3.6/1.4.3 joined "rootfs/dev/ptmx" as a string
# and followed the link on the host: it removed the host's `ptmx` there and
# made its /dev symlinks (fd, stdin, stdout, stderr) in the host directory
# (runc 1.1.5 here does, with this very bundle). berth resolves every /dev
# path in the root (openat2 RESOLVE_IN_ROOT): the link's target is taken
# inside the rootfs, with a /dev tmpfs and without one.
for variant in tmpfs none; do
    B=$(make_bundle) || bail_out "cannot make a bundle"
    victim=$TEST_TMP/victim-$variant
    mkdir -p "$victim"
    echo host >"$victim/ptmx"
    echo host >"$victim/keep"
    rm -rf "$B/rootfs/dev" && ln -s "$victim" "$B/rootfs/dev"
    [ "$variant" = none ] && update_config "$B" "c['mounts'] = [m for m in c['mounts'] if not m['destination'].startswith('/dev')]"
    set_args "$B" /bin/checker exit 0
    run_cmd berth run --bundle "$B" "$(new_id)"
    assert_success "41579: /dev -> a host dir, /dev mount: $variant: the container runs"
    assert_eq "$(ls -A "$victim" | tr '\n' ' ')" "keep ptmx " \
        "41579 ($variant): nothing made in the host dir the image's /dev points to"
    assert_eq "$(cat "$victim/ptmx")" host "41579 ($variant): the host's ptmx is still its file"
    # the link's target, inside the rootfs: the tmpfs's mount point, or
    # where the devices were made
    if [ "$variant" = tmpfs ]; then
        check "41579 ($variant): /dev's tmpfs went inside the rootfs" test -d "$B/rootfs$victim"
    else
        check "41579 ($variant): the devices went inside the rootfs" \
            test -c "$B/rootfs$victim/null" -a -L "$B/rootfs$victim/ptmx"
    fi
done

# ---- LSM labels: a label the host cannot apply is an error naming why.
B=$(make_bundle) || bail_out "cannot make a bundle"
set_args "$B" /bin/checker label
feat=$(berth features)
aa=$(json_get "$feat" 'j["linux"]["apparmor"]["enabled"]')
se=$(json_get "$feat" 'j["linux"]["selinux"]["enabled"]')
host_aa=false
if [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ] && [ -d /sys/kernel/security/apparmor ]; then
    host_aa=true
fi
host_se=false
if [ "$(stat -f -c %t /sys/fs/selinux 2>/dev/null)" = f97cff8c ] &&
    [ "$(cat /sys/fs/selinux/enforce 2>/dev/null)" != "" ] && ! "$BERTH" --version | grep -q "libselinux: disabled"; then
    host_se=true
fi
assert_eq "$aa" "$host_aa" "features: apparmor.enabled is whether this host can apply a profile"
assert_eq "$se" "$host_se" "features: selinux.enabled is whether this host can apply a label"
if [ "$aa" = false ]; then
    update_config "$B" "c['process']['apparmorProfile'] = 'berth-test'"
    run_cmd berth run --bundle "$B" "$(new_id)"
    assert_failure "apparmorProfile without AppArmor fails"
    assert_contains "$stderr" "AppArmor is not enabled" "the error names why"
    update_config "$B" "del c['process']['apparmorProfile']"
    skip "AppArmor is not enabled on this host: profile not applied for real"
else
    skip "AppArmor is enabled: no profile fixture loaded for this test" 3
fi
if [ "$se" = false ]; then
    update_config "$B" "c['process']['selinuxLabel'] = 'system_u:system_r:container_t:s0'"
    run_cmd berth run --bundle "$B" "$(new_id)"
    assert_failure "selinuxLabel without SELinux fails"
    assert_contains "$stderr" "SELinux" "the error names why"
    update_config "$B" "del c['process']['selinuxLabel']; c['linux']['mountLabel'] = 'system_u:object_r:container_file_t:s0'"
    run_cmd berth run --bundle "$B" "$(new_id)"
    assert_failure "mountLabel without SELinux fails"
    skip "SELinux is not enabled on this host: label not applied for real"
else
    skip "SELinux is enabled: no policy fixture for this test" 4
fi

# ---- CVE-2022-29162: no inheritable capabilities unless asked.
B=$(make_bundle) || bail_out "cannot make a bundle"
set_args "$B" /bin/checker caps
run_cmd berth run --bundle "$B" "$(new_id)"
assert_eq "$(kv CapInh)" 0000000000000000 "29162: default config: CapInh is empty"
update_config "$B" "c['process']['capabilities']['inheritable'] = ['CAP_KILL']"
run_cmd berth run --bundle "$B" "$(new_id)"
assert_eq "$(kv CapInh)" 0000000000000020 "29162: only what the config lists is inheritable"

# ---- The host's mount namespace, other cgroups, the state dir.
B=$(make_bundle) || bail_out "cannot make a bundle"
set_args "$B" /bin/checker ns stat "$BERTH_ROOT" ro /sys/fs/cgroup
run_cmd berth run --bundle "$B" "$(new_id)"
assert_ne "$(kv ns.mnt)" "$host_ns_mnt" "own mount namespace"
assert_match "$(kv stat.error)" "." "the state dir is not visible in the container"
assert_ne "$(kv ro)" 0 "/sys/fs/cgroup is not writable"

assert_host_unchanged "no mount, process, state or cgroup left behind"
done_testing
