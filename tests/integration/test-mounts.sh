#!/bin/bash
# test-mounts.sh: mounts[], devices, maskedPaths/readonlyPaths,
# rootfsPropagation and symlink-escape safety, each observed FROM INSIDE a
# real container (`berth run` + /bin/checker) and, where it matters, from the
# host (files written through a mount, the host mount table).
# shellcheck source=tests/integration/lib.sh disable=SC2154
. "$(dirname "$0")/lib.sh"

require_root
require_cmd python3

# The host's mount points, without other test scripts' (run in parallel).
host_mounts() {
    awk -v t="$TEST_TMP" '$5 !~ "^/tmp/berth-test-" || index($5, t) == 1 {print $5}' /proc/self/mountinfo | sort
}
host_mounts >"$TEST_TMP/mounts.before"
snapshot_host

# crun BUNDLE ARGS...: `berth run` of BUNDLE with process.args = ARGS.
crun() {
    local b=$1
    shift
    set_args "$b" "$@"
    BERTH_TEST_TIMEOUT=30 run_cmd berth run -b "$b" "$(new_id)"
}
# mount_line MOUNTPOINT: the container's mountinfo line of MOUNTPOINT (last).
mount_line() {
    printf '%s\n' "$output" | awk -v m="$1" '$1 ~ /^mount=/ && $5 == m' | tail -n 1
}
fstype() { awk '{for (i = 1; i <= NF; i++) if ($i == "-") {print $(i + 1); exit}}' <<<"$1"; }
mntopts() { awk '{print $6}' <<<"$1"; }
superopts() { awk '{for (i = 1; i <= NF; i++) if ($i == "-") {print $(i + 3); exit}}' <<<"$1"; }
has_opt() { [[ ",$(mntopts "$1")," == *",$2,"* ]]; }
# opt_is LINE OPT DESC: the per-mount options of LINE contain OPT.
opt_is() {
    if has_opt "$1" "$2"; then ok "$3"; else not_ok "$3" "mount line: $1"; fi
}
ro_values() { printf '%s\n' "$output" | grep '^ro=' | tr '\n' ' '; }

# Base config: no user namespace, own network namespace (so sysfs is real).
base_bundle() {
    local b
    b=$(make_bundle) || return 1
    update_config "$b" '
c["process"].get("capabilities", {}).pop("ambient", None)
c["linux"].pop("devices", None)
' || return 1
    printf '%s\n' "$b"
}

# ----------------------------------------------------- every mount type
H=$TEST_TMP/host
mkdir -p "$H/src/sub" "$H/lower" "$H/upper" "$H/work"
echo hello >"$H/src/file"
echo fromlower >"$H/lower/lowerfile"
mount -t tmpfs berth-mnt-sub "$H/src/sub"
add_cleanup "umount -l '$H/src/sub' 2>/dev/null"
B=$(base_bundle) || bail_out "cannot make a bundle"
update_config "$B" "
c['mounts'] += [
  {'destination': '/mnt/bind-ro', 'type': 'none', 'source': '$H/src', 'options': ['bind', 'ro']},
  {'destination': '/mnt/rbind', 'type': 'none', 'source': '$H/src', 'options': ['rbind', 'rw']},
  {'destination': '/mnt/rro', 'type': 'none', 'source': '$H/src', 'options': ['rbind', 'rro']},
  {'destination': '/mnt/rflags', 'type': 'none', 'source': '$H/src', 'options': ['rbind', 'rnosuid', 'rnodev', 'rnoexec', 'rnoatime']},
  {'destination': '/mnt/file', 'type': 'bind', 'source': '$H/src/file', 'options': ['bind', 'ro']},
  {'destination': '/mnt/remount', 'type': 'none', 'source': '$H/src', 'options': ['bind']},
  {'destination': '/mnt/remount', 'type': 'none', 'source': '$H/src', 'options': ['remount', 'bind', 'ro']},
  {'destination': '/mnt/tmp', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['nosuid', 'nodev', 'noexec', 'noatime', 'size=1m', 'mode=0710', 'uid=7']},
  {'destination': '/mnt/strict', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['strictatime', 'nosymfollow']},
  {'destination': '/mnt/proc2', 'type': 'proc', 'source': 'proc', 'options': ['nosuid', 'noexec']},
  {'destination': '/mnt/sys2', 'type': 'sysfs', 'source': 'sysfs', 'options': ['ro']},
  {'destination': '/mnt/pts2', 'type': 'devpts', 'source': 'devpts', 'options': ['newinstance', 'ptmxmode=0600']},
  {'destination': '/mnt/mq2', 'type': 'mqueue', 'source': 'mqueue', 'options': []},
  {'destination': '/mnt/ovl', 'type': 'overlay', 'source': 'overlay', 'options': ['lowerdir=$H/lower', 'upperdir=$H/upper', 'workdir=$H/work']},
  {'destination': 'rel/dest', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['size=2m']},
]
" || bail_out "cannot update config"
crun "$B" /bin/checker mounts ro /mnt/bind-ro ro /mnt/rbind ro /mnt/rbind/sub ro /mnt/rro \
    ro /mnt/rro/sub ro /mnt/file ro /mnt/remount stat /mnt/tmp
assert_success "container with every mount type runs"
assert_eq "$(ro_values)" "ro=1 ro=0 ro=0 ro=1 ro=1 ro=1 ro=1 " \
    "bind,ro ro; rbind,rw rw (submount too); rbind,rro ro down to the submount; file bind ro; remount,bind,ro ro"
assert_eq "$(fstype "$(mount_line /mnt/rbind/sub)")" tmpfs "rbind carries the host submount"
assert_eq "$(fstype "$(mount_line /mnt/bind-ro/sub)")" "" "bind does not carry submounts"
l=$(mount_line /mnt/rro/sub)
opt_is "$l" ro "rro: the submount under the rro bind is read-only (mount_setattr AT_RECURSIVE)"
l=$(mount_line /mnt/rflags/sub)
opt_is "$l" nosuid "rnosuid reaches the submount"
opt_is "$l" nodev "rnodev reaches the submount"
opt_is "$l" noexec "rnoexec reaches the submount"
opt_is "$l" noatime "rnoatime reaches the submount"
l=$(mount_line /mnt/tmp)
assert_eq "$(fstype "$l")" tmpfs "tmpfs mounted"
for o in nosuid nodev noexec noatime; do opt_is "$l" "$o" "tmpfs option $o"; done
assert_match "$(superopts "$l")" 'size=1024k' "unknown option size=1m goes to mount(2) data"
assert_eq "$(kv stat.mode) $(kv stat.uid)" "0710 7" "data options mode=0710,uid=7 reach tmpfs"
l=$(mount_line /mnt/strict)
opt_is "$l" nosymfollow "nosymfollow set"
if has_opt "$l" relatime || has_opt "$l" noatime; then
    not_ok "strictatime: neither relatime nor noatime" "$l"
else
    ok "strictatime: neither relatime nor noatime"
fi
l=$(mount_line /mnt/proc2)
assert_eq "$(fstype "$l")" proc "second proc mount"
opt_is "$l" noexec "proc noexec"
assert_eq "$(fstype "$(mount_line /mnt/sys2)")" sysfs "sysfs mount"
opt_is "$(mount_line /mnt/sys2)" ro "sysfs ro"
l=$(mount_line /mnt/pts2)
assert_eq "$(fstype "$l")" devpts "devpts mount"
assert_match "$(superopts "$l")" 'ptmxmode=600' "devpts data ptmxmode=0600"
assert_eq "$(fstype "$(mount_line /mnt/mq2)")" mqueue "mqueue mount"
assert_eq "$(fstype "$(mount_line /mnt/ovl)")" overlay "overlay mount"
assert_match "$(superopts "$(mount_line /mnt/ovl)")" "lowerdir=$H/lower" "overlay lowerdir from config"
assert_eq "$(fstype "$(mount_line /rel/dest)")" tmpfs "relative destination rel/dest lands at /rel/dest"

crun "$B" /bin/sh -c 'cat /mnt/ovl/lowerfile && echo up >/mnt/ovl/newfile && echo changed >/mnt/ovl/lowerfile'
assert_eq "$output" fromlower "overlay: file from lowerdir visible in the container"
assert_eq "$(cat "$H/upper/newfile" 2>&1)" up "overlay: a new file lands in upperdir on the host"
assert_eq "$(cat "$H/upper/lowerfile" 2>&1) $(cat "$H/lower/lowerfile")" "changed fromlower" \
    "overlay: a changed file is copied up; lowerdir untouched"
crun "$B" /bin/sh -c 'echo t >/mnt/strict/f; ln -s f /mnt/strict/l; cat /mnt/strict/l 2>/dev/null || echo nofollow; cp /bin/busybox /mnt/tmp/bb; /mnt/tmp/bb true 2>/dev/null || echo noexec'
assert_eq "$(tr '\n' ' ' <<<"$output")" "nofollow noexec " \
    "nosymfollow: a symlink on the mount is not followed; noexec: a binary on the tmpfs cannot run"
run_cmd touch "$H/src/sub/host-writable"
assert_success "host submount stays writable after rro in the container"

# ------------------------------------------------------- cgroup mounts
BG=$(base_bundle) || bail_out "cannot make a bundle"
update_config "$BG" '
c["mounts"] = [m for m in c["mounts"] if m["type"] not in ("cgroup", "cgroup2")]
c["mounts"].append({"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup", "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]})
if not any(n["type"] == "cgroup" for n in c["linux"]["namespaces"]):
    c["linux"]["namespaces"].append({"type": "cgroup"})
'
crun "$BG" /bin/sh -c 'cat /proc/self/cgroup; echo ---; ls /sys/fs/cgroup; echo ---; cat /sys/fs/cgroup/pids/cgroup.procs; echo ---; grep -c . /sys/fs/cgroup/memory/cgroup.procs; echo ---; ls /sys/fs/cgroup/pids | grep -c "^bt-" ; true'
assert_success "container with a cgroup mount and a cgroup namespace runs"
cgself=$(sed -n '1,/^---$/p' <<<"$output" | grep -v '^---$')
assert_eq "$(grep -cv ':/$' <<<"$cgself")" 0 "cgroup namespace: every /proc/self/cgroup line is the root /"
ls_cg=$(awk 'BEGIN{n=0} /^---$/{n++; next} n==1' <<<"$output" | tr '\n' ' ')
assert_match "$ls_cg" '(^| )pids( |$)' "cgroup v1 hierarchies mounted under /sys/fs/cgroup ($ls_cg)"
procs=$(awk 'BEGIN{n=0} /^---$/{n++; next} n==2' <<<"$output" | tr '\n' ' ')
assert_match "$procs" '^1 ' "pids hierarchy root is the container's cgroup (holds pid 1, not host pids)"
assert_eq "$(awk 'BEGIN{n=0} /^---$/{n++; next} n==4' <<<"$output")" 0 \
    "no sibling container cgroups visible: the tree is rooted at the container's cgroup"
crun "$BG" /bin/checker ro /sys/fs/cgroup/pids mounts
assert_eq "$(kv ro)" 1 "cgroup mount ro"
update_config "$BG" '
c["mounts"][-1] = {"destination": "/sys/fs/cgroup", "type": "cgroup2", "source": "cgroup", "options": ["nosuid", "noexec", "nodev"]}
'
crun "$BG" /bin/checker mounts
if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
    assert_eq "$(fstype "$(mount_line /sys/fs/cgroup)")" cgroup2 "type cgroup2 on a v2 host: cgroup2 at /sys/fs/cgroup"
elif [ -d /sys/fs/cgroup/unified ]; then
    assert_eq "$(fstype "$(mount_line /sys/fs/cgroup/unified)")" cgroup2 \
        "type cgroup2 on a hybrid host: the host layout, unified hierarchy at /sys/fs/cgroup/unified"
else
    skip "host has no cgroup2 hierarchy"
fi

# ------------------------------------------------- rootfsPropagation
# The rootfs sits on a shared host mount (this host's / may be private), so
# "slave" has a master to follow and "private" has something to cut off.
for p in private slave shared unbindable; do
    BP=$(base_bundle) || bail_out "cannot make a bundle"
    mount --bind "$BP/rootfs" "$BP/rootfs" && mount --make-shared "$BP/rootfs" ||
        bail_out "cannot make a shared host mount"
    add_cleanup "umount -l '$BP/rootfs' 2>/dev/null"
    update_config "$BP" "c['linux']['rootfsPropagation'] = '$p'"
    crun "$BP" /bin/checker mounts
    l=$(mount_line /)
    case $p in
    private)
        if [[ "$l" == *shared:* || "$l" == *master:* || "$l" == *unbindable* ]]; then
            not_ok "rootfsPropagation private: / has no peer group nor master" "$l"
        else ok "rootfsPropagation private: / has no peer group nor master"; fi ;;
    slave)
        assert_match "$l" " master:[0-9]+ " "rootfsPropagation slave: / is a slave of the shared host mount"
        assert_not_contains "$l" "shared:" "rootfsPropagation slave: / is not shared back to the host" ;;
    shared)
        assert_match "$l" " shared:[0-9]+ " "rootfsPropagation shared: / has a peer group"
        hostpeer=$(awk -v m="$BP/rootfs" '$5 == m {for (i = 7; $i != "-"; i++) if ($i ~ /^shared:/) print $i}' /proc/self/mountinfo)
        assert_not_contains "$l" "$hostpeer " "rootfsPropagation shared: a peer group of its own, not the host's ($hostpeer)" ;;
    unbindable) assert_contains "$l" "unbindable" "rootfsPropagation unbindable" ;;
    esac
    umount -l "$BP/rootfs"
done

# Per-mount propagation flags.
BPR=$(base_bundle) || bail_out "cannot make a bundle"
update_config "$BPR" "
c['mounts'] += [
  {'destination': '/mnt/shared', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['shared']},
  {'destination': '/mnt/unb', 'type': 'none', 'source': '$H/src', 'options': ['rbind', 'runbindable']},
]"
crun "$BPR" /bin/checker mounts
assert_contains "$(mount_line /mnt/shared)" "shared:" "mount option shared: the mount gets a peer group"
assert_contains "$(mount_line /mnt/unb/sub)" "unbindable" "runbindable reaches the submount"

# ----------------------------------------- maskedPaths / readonlyPaths
BM=$(base_bundle) || bail_out "cannot make a bundle"
mkdir -p "$BM/rootfs/opt/secret-dir" "$BM/rootfs/opt/ro-dir/sub"
echo secret >"$BM/rootfs/opt/secret-file"
echo hidden >"$BM/rootfs/opt/secret-dir/x"
update_config "$BM" "
c['mounts'].append({'destination': '/opt/ro-dir/sub', 'type': 'tmpfs', 'source': 'tmpfs', 'options': []})
c['linux']['maskedPaths'] = ['/opt/secret-file', '/opt/secret-dir', '/proc/kcore', '/opt/missing']
c['linux']['readonlyPaths'] = ['/opt/ro-dir', '/proc/sys', '/opt/missing2']
"
crun "$BM" /bin/checker stat /opt/secret-file stat /opt/secret-dir ro /opt/secret-dir \
    ro /opt/ro-dir ro /opt/ro-dir/sub ro /proc/sys/kernel/hostname mounts
assert_success "container with masked and read-only paths runs (missing ones skipped)"
assert_eq "$(kv stat.type) $(kv stat.major):$(kv stat.minor)" "chr 1:3" "masked file is /dev/null"
assert_eq "$(ro_values)" "ro=1 ro=1 ro=1 ro=1 " \
    "masked dir ro; readonlyPaths dir ro, recursively (its submount too); /proc/sys ro"
assert_eq "$(fstype "$(mount_line /opt/secret-dir)")" tmpfs "masked directory is a tmpfs"
crun "$BM" /bin/sh -c 'cat /opt/secret-file; ls -A /opt/secret-dir; echo end'
assert_eq "$output" end "masked file reads empty, masked dir is empty"

# ------------------------------------------------------------ devices
BD=$(base_bundle) || bail_out "cannot make a bundle"
update_config "$BD" "
c['linux']['devices'] = [
  {'path': '/dev/mychr', 'type': 'c', 'major': 1, 'minor': 5, 'fileMode': 416, 'uid': 1000, 'gid': 1001},
  {'path': '/dev/myblk', 'type': 'b', 'major': 7, 'minor': 0, 'fileMode': 384},
  {'path': '/dev/myunb', 'type': 'u', 'major': 1, 'minor': 9},
  {'path': '/dev/myfifo', 'type': 'p', 'fileMode': 420, 'uid': 5},
]"
crun "$BD" /bin/checker stat /dev/mychr stat /dev/myblk stat /dev/myunb stat /dev/myfifo \
    stat /dev/null stat /dev/tty stat /dev/core stat /dev/shm stat /dev/mqueue mounts
assert_success "container with linux.devices runs"
st=$(printf '%s\n' "$output" | grep -E '^stat\.(type|major|minor|mode|uid|gid)=' | cut -d= -f2 | paste -sd' ')
assert_match "$st" '^chr 0640 1 5 1000 1001 blk 0600 7 0 0 0 chr 0666 1 9 0 0 fifo 0644 0 0 5 0 chr 0666 1 3 0 0 chr 0666 5 0 0 0' \
    "linux.devices c/b/u/p with major/minor, fileMode, uid/gid; defaults null and tty"
assert_eq "$(printf '%s\n' "$output" | grep '^stat.link=' | tr '\n' ' ')" "stat.link=/proc/kcore " \
    "/dev/core -> /proc/kcore"
assert_eq "$(fstype "$(mount_line /dev/shm)") $(fstype "$(mount_line /dev/mqueue)")" "tmpfs mqueue" \
    "/dev/shm and /dev/mqueue mounted"

BDE=$(base_bundle) || bail_out "cannot make a bundle"
update_config "$BDE" "c['linux']['devices'] = [{'path': '/bin/busybox', 'type': 'c', 'major': 1, 'minor': 3}]"
crun "$BDE" /bin/true
assert_failure "an existing file that is not the device fails the create"
assert_match "$stderr" 'linux.devices\[0\].*already exists and is not the requested device' "error names the device"

BDU=$(base_bundle) || bail_out "cannot make a bundle"
update_config "$BDU" "
c['linux']['namespaces'].append({'type': 'user'})
c['linux']['uidMappings'] = [{'containerID': 0, 'hostID': 100000, 'size': 65536}]
c['linux']['gidMappings'] = [{'containerID': 0, 'hostID': 100000, 'size': 65536}]
c['linux']['devices'] = [{'path': '/dev/kmsg', 'type': 'c', 'major': 1, 'minor': 11}]
c['mounts'] = [m for m in c['mounts'] if m['type'] not in ('cgroup', 'cgroup2')]
for m in c['mounts']:
    if m['destination'] == '/dev/pts':
        m['options'] = [o for o in m['options'] if o != 'gid=5']
"
crun "$BDU" /bin/checker stat /dev/kmsg stat /dev/null mounts
assert_eq "$(printf '%s\n' "$output" | grep -E '^stat\.(type|major|minor)=' | cut -d= -f2 | paste -sd' ')" \
    "chr 1 11 chr 1 3" "user namespace: linux.devices and defaults are the host nodes"
assert_eq "$(fstype "$(mount_line /dev/kmsg)") $(fstype "$(mount_line /dev/null)")" "devtmpfs devtmpfs" \
    "user namespace: device nodes are bind mounts of the host's"

# ------------------------------------------------ idmapped bind mounts
I=$TEST_TMP/idsrc
mkdir -p "$I/sub"
echo x >"$I/owned1000"
chown 1000:1000 "$I/owned1000"
echo y >"$I/owned0"
mount -t tmpfs berth-idmap-sub "$I/sub"
add_cleanup "umount -l '$I/sub' 2>/dev/null"
echo z >"$I/sub/insub"
BI=$(base_bundle) || bail_out "cannot make a bundle"
update_config "$BI" "
c['mounts'] += [
  {'destination': '/mnt/id', 'type': 'none', 'source': '$I', 'options': ['bind', 'idmap', 'ro'],
   'uidMappings': [{'containerID': 1000, 'hostID': 2000, 'size': 10}, {'containerID': 0, 'hostID': 0, 'size': 1}],
   'gidMappings': [{'containerID': 1000, 'hostID': 3000, 'size': 10}, {'containerID': 0, 'hostID': 0, 'size': 1}]},
]"
crun "$BI" /bin/sh -c 'stat -c "%n %u:%g" /mnt/id/owned1000 /mnt/id/owned0; grep " /mnt/id " /proc/self/mountinfo; touch /mnt/id/w 2>/dev/null || echo rofs'
assert_success "container with an idmapped bind (mount uid/gidMappings, no user namespace) runs"
assert_contains "$output" "/mnt/id/owned1000 2000:3000" "idmap: on-disk 1000:1000 shows as 2000:3000 (the mount's mappings)"
assert_contains "$output" "/mnt/id/owned0 0:0" "idmap: on-disk 0:0 shows as 0:0"
assert_match "$(grep ' /mnt/id ' <<<"$output")" '(^|[ ,])idmapped([ ,]|$)' "mountinfo flags the mount idmapped"
assert_contains "$output" rofs "other options (ro) still apply to the idmapped mount"
assert_eq "$(stat -c %u:%g "$I/owned1000")" 1000:1000 "host file ownership unchanged"

# ridmap with the container's user namespace mappings (no mount mappings).
BU=$(base_bundle) || bail_out "cannot make a bundle"
mkdir -p "$BU/rootfs/mnt/rid" "$BU/rootfs/mnt/plain"
update_config "$BU" "
c['linux']['namespaces'].append({'type': 'user'})
c['linux']['uidMappings'] = [{'containerID': 0, 'hostID': 100000, 'size': 65536}]
c['linux']['gidMappings'] = [{'containerID': 0, 'hostID': 100000, 'size': 65536}]
c['mounts'] = [m for m in c['mounts'] if m['type'] not in ('cgroup', 'cgroup2')]
for m in c['mounts']:
    if m['destination'] == '/dev/pts':
        m['options'] = [o for o in m['options'] if o != 'gid=5']
c['mounts'] += [
  {'destination': '/mnt/rid', 'type': 'none', 'source': '$I', 'options': ['rbind', 'ridmap']},
  {'destination': '/mnt/plain', 'type': 'none', 'source': '$I', 'options': ['rbind']},
]"
crun "$BU" /bin/sh -c 'stat -c "%n %u" /mnt/rid/owned0 /mnt/rid/sub/insub /mnt/plain/owned0; grep " /mnt/rid/sub " /proc/self/mountinfo; echo new >/mnt/rid/fromctr && echo wrote'
assert_success "container in a user namespace with a ridmap bind runs"
assert_contains "$output" "/mnt/rid/owned0 0" "ridmap, container mappings: host root's file is the container root's"
assert_contains "$output" "/mnt/plain/owned0 65534" "without idmap the same file is unmapped (overflow uid)"
assert_contains "$output" "/mnt/rid/sub/insub 0" "ridmap: the submount is idmapped too"
assert_match "$(grep ' /mnt/rid/sub ' <<<"$output")" 'idmapped' "ridmap: mountinfo flags the submount idmapped"
assert_eq "$(stat -c %u:%g "$I/fromctr" 2>&1)" 0:0 "a file the container root writes lands as host 0:0 (mapped back)"

BX=$(base_bundle) || bail_out "cannot make a bundle"
update_config "$BX" "c['mounts'].append({'destination': '/mnt/x', 'type': 'none', 'source': '$I', 'options': ['bind', 'idmap']})"
crun "$BX" /bin/true
assert_failure "idmap without mappings and without a user namespace fails"
assert_match "$stderr" 'mounts/[0-9]+|mounts\[[0-9]+\]' "the error names the mount"
umount "$I/sub"

# --------------------------------------------- symlink escape attempts
ESC=$TEST_TMP/escape
mkdir -p "$ESC/etc"
echo host-passwd >"$ESC/etc/passwd"
BE=$(base_bundle) || bail_out "cannot make a bundle"
rm -rf "$BE/rootfs/etc"
ln -s / "$BE/rootfs/etc"
ln -s ../../../../../../../../.. "$BE/rootfs/up"
ln -s "$ESC" "$BE/rootfs/abs"
mkdir -p "$BE/rootfs/deep/a"
ln -s ../../../../.. "$BE/rootfs/deep/a/b"
update_config "$BE" "
c['process'].pop('user', None)
c['process']['user'] = {'uid': 0, 'gid': 0}
c['mounts'] += [
  {'destination': '/etc/escaped-tmp', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['size=1m']},
  {'destination': '/up/escaped-up', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['size=1m']},
  {'destination': '/abs/etc', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['size=1m']},
  {'destination': '/deep/a/b/escaped-deep', 'type': 'none', 'source': '$H/src', 'options': ['bind']},
  {'destination': '/etc/passwd-bind', 'type': 'none', 'source': '$H/src/file', 'options': ['bind']},
]
c['linux']['devices'] = [{'path': '/etc/evil-null', 'type': 'c', 'major': 1, 'minor': 3},
                         {'path': '/up/evil-zero', 'type': 'c', 'major': 1, 'minor': 5}]
c['linux']['maskedPaths'] = ['/abs/etc/passwd', '/up/etc/hostname']
c['linux']['readonlyPaths'] = ['/up/tmp']
" || bail_out "cannot update config"
ls -A / >"$TEST_TMP/root.before"
host_mounts >"$TEST_TMP/esc.before"
ls -A /etc >"$TEST_TMP/etc.before"
md5sum /etc/hostname /etc/passwd "$ESC/etc/passwd" >"$TEST_TMP/sums.before"
crun "$BE" /bin/checker mounts stat /etc/evil-null
assert_success "container whose rootfs has escaping symlinks runs"
assert_eq "$(fstype "$(mount_line /escaped-tmp)")" tmpfs "/etc -> / resolved inside the rootfs: tmpfs at container /escaped-tmp"
assert_eq "$(fstype "$(mount_line /escaped-up)")" tmpfs "../ chain stops at the rootfs root"
assert_eq "$(fstype "$(mount_line /escaped-deep/sub)")" "" "bind through a ../ chain lands at /escaped-deep inside"
assert_contains "$(mount_line /escaped-deep)" "$H/src" "bind through a ../ chain is the configured source"
assert_eq "$(fstype "$(mount_line "$ESC/etc")")" tmpfs "absolute symlink to a host dir resolved inside the rootfs"
assert_eq "$(kv stat.type) $(kv stat.major):$(kv stat.minor)" "chr 1:3" "device through /etc -> / created inside the rootfs"
host_mounts >"$TEST_TMP/esc.after"
run_cmd diff "$TEST_TMP/esc.before" "$TEST_TMP/esc.after"
assert_success "host mount table unchanged by the escape attempts"
ls -A / >"$TEST_TMP/root.after"
run_cmd diff "$TEST_TMP/root.before" "$TEST_TMP/root.after"
assert_success "host / unchanged (no escaped-tmp, evil-null, passwd-bind...)"
ls -A /etc >"$TEST_TMP/etc.after"
run_cmd diff "$TEST_TMP/etc.before" "$TEST_TMP/etc.after"
assert_success "host /etc has the same entries"
run_cmd md5sum -c "$TEST_TMP/sums.before"
assert_success "host /etc/hostname, /etc/passwd and the file behind the absolute link unchanged"
assert_eq "$(ls -A "$ESC")" etc "host dir behind the absolute link has nothing new"
found=""
for f in /escaped-tmp /escaped-up /escaped-deep /evil-null /evil-zero /passwd-bind; do
    [ -e "$f" ] && found="$found $f"
done
assert_eq "$found" "" "no escaped path exists on the host"

# ------------------------------------------------------------- no leaks
umount "$H/src/sub"
host_mounts >"$TEST_TMP/mounts.after"
run_cmd diff "$TEST_TMP/mounts.before" "$TEST_TMP/mounts.after"
assert_success "host mount table unchanged after all containers exited"
assert_host_unchanged "no mounts, processes or files left behind"

done_testing
