# shellcheck shell=bash disable=SC2154 # variables come from lib.sh / suite.sh
# tests/config-linux.sh: config-linux.md (namespaces, user ns mappings,
# devices, cgroups, sysctl, seccomp, masked/readonly paths).

t_ns_new() {
    B=$(bundle)
    cfg "$B" 'c["linux"]["namespaces"] = [{"type": t} for t in ("pid", "network", "ipc", "uts", "mount", "cgroup")]'
    args "$B" /bin/checker ns
    new_id
    run_to_end "$ID" "$B" || return
    local t bad=""
    for t in pid net ipc uts mnt cgroup; do
        [ "$(kv ns.$t)" != "$(stat -L -c %i /proc/self/ns/$t)" ] && [ -n "$(kv ns.$t)" ] || bad="$bad $t"
    done
    [ -z "$bad" ] && pass || fail "namespaces not new:$bad"
}

t_ns_inherit() {
    B=$(bundle)
    cfg "$B" 'c["linux"]["namespaces"] = [{"type": "pid"}, {"type": "mount"}]; c.pop("hostname", None)'
    args "$B" /bin/checker ns
    new_id
    run_to_end "$ID" "$B" || return
    local t bad=""
    for t in net ipc uts cgroup user; do
        [ "$(kv ns.$t)" = "$(stat -L -c %i /proc/self/ns/$t)" ] || bad="$bad $t"
    done
    [ -z "$bad" ] && pass || fail "unlisted namespaces not inherited:$bad"
}

# A running container whose namespaces the next one can join.
_ns_donor() {
    D=$(bundle donor)
    args "$D" /bin/checker signal-wait
    new_id DID
    create "$DID" "$D" && rt start "$DID" || { fail "donor container failed"; return 1; }
    DPID=$(cat "$D/pid")
}

t_ns_path() {
    _ns_donor || return
    B=$(bundle)
    cfg "$B" "c['linux']['namespaces'] = [{'type': 'pid'}, {'type': 'mount'}, {'type': 'network', 'path': '/proc/$DPID/ns/net'}, {'type': 'uts', 'path': '/proc/$DPID/ns/uts'}]; c.pop('hostname', None)"
    args "$B" /bin/checker ns
    new_id
    run_to_end "$ID" "$B" || return
    expect_eq "$(kv ns.net) $(kv ns.uts)" "$(stat -L -c %i /proc/$DPID/ns/net) $(stat -L -c %i /proc/$DPID/ns/uts)" "net and uts namespace inodes vs the donor's"
}

t_ns_wrong_type() {
    _ns_donor || return
    B=$(bundle)
    cfg "$B" "c['linux']['namespaces'] = [{'type': 'pid'}, {'type': 'mount'}, {'type': 'network', 'path': '/proc/$DPID/ns/ipc'}]"
    new_id
    if create "$ID" "$B"; then fail "create joined an ipc namespace as network"; else expect_eq "$(status "$ID")" none "state after the failed create"; fi
}

t_ns_dup() {
    B=$(bundle)
    cfg "$B" 'c["linux"]["namespaces"].append({"type": "uts"})'
    new_id
    if create "$ID" "$B"; then fail "create accepted a duplicate uts namespace"; else expect_eq "$(status "$ID")" none "state after the failed create"; fi
}

t_userns() {
    [ -e /proc/self/ns/user ] || { skip "host kernel has no user namespaces"; return; }
    B=$(bundle)
    chown -R 100000:100000 "$B/rootfs"
    touch "$B/rootfs/etc/oc-host-root-owned"
    chown 0:0 "$B/rootfs/etc/oc-host-root-owned"
    cfg "$B" '
c["linux"]["namespaces"].append({"type": "user"})
c["linux"]["uidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 65536}]
c["linux"]["gidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 65536}]
c["mounts"] = [m for m in c["mounts"] if m["destination"] not in ("/sys",)]'
    args "$B" /bin/sh -c 'awk "{print \"uid_map=\" \$1 \" \" \$2 \" \" \$3}" /proc/self/uid_map; awk "{print \"gid_map=\" \$1 \" \" \$2 \" \" \$3}" /proc/self/gid_map; /bin/checker ns ids'
    new_id
    run_to_end "$ID" "$B" || return
    expect_eq "$(kv uid_map)|$(kv gid_map)|$(kv uid)" "0 100000 65536|0 100000 65536|0" "uid_map|gid_map|uid"
}

t_devices_default() {
    B=$(bundle)
    local d a=()
    for d in null zero full random urandom tty; do a+=(stat "/dev/$d"); done
    args "$B" /bin/sh -c "for d in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
        n=\${d%%:*}; /bin/checker stat /dev/\$n | sed \"s/^/\$n./\"; done; /bin/checker stat /dev/ptmx | sed 's/^/ptmx./'; /bin/checker ro /dev/null"
    new_id
    run_to_end "$ID" "$B" || return
    local bad="" spec n mj mn
    for spec in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
        IFS=: read -r n mj mn <<<"$spec"
        [ "$(kv $n.stat.type)/$(kv $n.stat.major):$(kv $n.stat.minor)" = "chr/$mj:$mn" ] || bad="$bad /dev/$n=$(kv $n.stat.type)/$(kv $n.stat.major):$(kv $n.stat.minor)"
    done
    case "$(kv ptmx.stat.type)" in
    lnk) [[ "$(kv ptmx.stat.link)" == *pts/ptmx ]] || bad="$bad /dev/ptmx->$(kv ptmx.stat.link)" ;;
    chr) [ "$(kv ptmx.stat.major):$(kv ptmx.stat.minor)" = 5:2 ] || bad="$bad /dev/ptmx-chr" ;;
    *) bad="$bad /dev/ptmx=$(kv ptmx.stat.type)" ;;
    esac
    [ "$(kv ro)" = 0 ] || bad="$bad /dev/null-not-writable(ro=$(kv ro))"
    [ -z "$bad" ] && pass || fail "default devices wrong:$bad"
}

t_devices_config() {
    B=$(bundle)
    cfg "$B" '
c["linux"]["devices"] = [{"path": "/dev/oc-null", "type": "c", "major": 1, "minor": 3, "fileMode": 438, "uid": 12, "gid": 34}]
c["linux"]["resources"]["devices"].append({"allow": True, "type": "c", "major": 1, "minor": 3, "access": "rwm"})'
    args "$B" /bin/checker stat /dev/oc-null ro /dev/oc-null
    new_id
    run_to_end "$ID" "$B" || return
    expect_eq "$(kv stat.type) $(kv stat.major):$(kv stat.minor) $(kv stat.mode) $(kv stat.uid):$(kv stat.gid) ro=$(kv ro)" \
        "chr 1:3 0666 12:34 ro=0" "type major:minor mode uid:gid of /dev/oc-null"
}

t_devices_allowlist() {
    [ -c /dev/fuse ] || { skip "host has no /dev/fuse to probe with"; return; }
    B=$(bundle)
    cfg "$B" '
c["mounts"].append({"destination": "/dev/oc-fuse", "type": "bind", "source": "/dev/fuse", "options": ["bind"]})'
    args "$B" /bin/sh -c '( exec 3</dev/oc-fuse ) 2>/dev/null && echo read=ok || echo read=denied'
    new_id
    run_to_end "$ID" "$B" || return
    expect_eq "$(kv read)" denied "open of /dev/fuse (bind-mounted; the allow list denies all but the defaults)"
}

t_sysctl() {
    B=$(bundle)
    cfg "$B" 'c["linux"]["sysctl"] = {"net.ipv4.ip_forward": "1", "kernel.msgmax": "12345"}'
    args "$B" /bin/sh -c 'echo fwd=$(cat /proc/sys/net/ipv4/ip_forward); echo msgmax=$(cat /proc/sys/kernel/msgmax)'
    new_id
    run_to_end "$ID" "$B" || return
    expect_eq "$(kv fwd) $(kv msgmax)" "1 12345" "net.ipv4.ip_forward kernel.msgmax"
}

t_masked() {
    B=$(bundle)
    args "$B" /bin/sh -c 'echo kcore=$(head -c 16 /proc/kcore 2>/dev/null | wc -c); echo fw=$(ls /sys/firmware 2>/dev/null | wc -l)'
    new_id
    run_to_end "$ID" "$B" || return
    expect_eq "$(kv kcore) $(kv fw)" "0 0" "bytes readable from /proc/kcore, entries in /sys/firmware"
}

t_readonly_paths() {
    B=$(bundle)
    mkdir -p "$B/rootfs/tmp/rodir"
    cfg "$B" 'c["linux"]["readonlyPaths"].append("/tmp/rodir")'
    args "$B" /bin/checker ro /proc/sys/kernel/domainname ro /tmp/rodir
    new_id
    run_to_end "$ID" "$B" || return
    expect_eq "$(grep '^ro=' <<<"$out" | tr '\n' ' ')" "ro=1 ro=1 " "/proc/sys/kernel/domainname and /tmp/rodir read-only"
}

# --- cgroups: values read back from the host side of the container's cgroup.
_cg_container() {
    B=$(bundle)
    cfg "$B" "$1"
    args "$B" /bin/checker signal-wait
    new_id
    create "$ID" "$B" || { fail "create failed: $(grep -v '^$' "$B/err" | head -c 300)"; return 1; }
    CPID=$(cat "$B/pid")
}

_cg_expect() {
    local ctl=$1 file=$2 want=$3 f
    f=$(host_cgroup_file "$CPID" "$ctl" "$file") || { skip "host has no $ctl cgroup file $file for the container"; return; }
    echo "file: $f" >>"$CASE_DIR/diag"
    expect_eq "$(cat "$f")" "$want" "$f"
}

t_cg_memory() {
    [ -d /sys/fs/cgroup/memory ] || [ -e /sys/fs/cgroup/memory.max ] || { skip "host has no memory cgroup"; return; }
    _cg_container 'c["linux"]["resources"]["memory"] = {"limit": 67108864}' || return
    if [ -d /sys/fs/cgroup/memory ]; then _cg_expect memory memory.limit_in_bytes 67108864; else _cg_expect memory memory.max 67108864; fi
}
t_cg_pids() {
    _cg_container 'c["linux"]["resources"]["pids"] = {"limit": 42}' || return
    _cg_expect pids pids.max 42
}
t_cg_cpu_shares() {
    [ -d /sys/fs/cgroup/cpu ] || { skip "host has no cgroup v1 cpu controller (v2 maps shares to weight)"; return; }
    _cg_container 'c["linux"]["resources"]["cpu"] = {"shares": 512}' || return
    _cg_expect cpu cpu.shares 512
}
t_cg_cpu_quota() {
    [ -d /sys/fs/cgroup/cpu ] || { skip "host has no cgroup v1 cpu controller"; return; }
    _cg_container 'c["linux"]["resources"]["cpu"] = {"quota": 50000, "period": 100000}' || return
    local f g
    f=$(host_cgroup_file "$CPID" cpu cpu.cfs_quota_us) && g=$(host_cgroup_file "$CPID" cpu cpu.cfs_period_us) || { skip "no cfs files"; return; }
    expect_eq "$(cat "$f") $(cat "$g")" "50000 100000" "cfs quota period"
}
t_cg_path() {
    local rel="oc-conformance-$$-$_n"
    _cg_container "c['linux']['cgroupsPath'] = '/$rel'" || return
    local line bad=""
    while IFS= read -r line; do
        local p=${line#*:*:}
        local ctls=${line#*:}; ctls=${ctls%%:*}
        case $ctls in memory | pids | cpu,cpuacct | devices)
            [ "$p" = "/$rel" ] || bad="$bad $ctls:$p" ;;
        esac
    done <"/proc/$CPID/cgroup"
    echo "cgroup: $(tr '\n' ' ' </proc/$CPID/cgroup)" >>"$CASE_DIR/diag"
    [ -z "$bad" ] && pass || fail "container not in /$rel:$bad"
}

t_seccomp() {
    B=$(bundle)
    cfg "$B" 'c["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
        "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 99}]}'
    args "$B" /bin/sh -c '/bin/checker seccomp; mkdir /tmp/oc-dir 2>&1; echo mkdir=$?; [ -d /tmp/oc-dir ] && echo exists=1 || echo exists=0'
    new_id
    run_to_end "$ID" "$B" || return
    [ "$(kv Seccomp)" = 2 ] || { fail "no seccomp filter (Seccomp=$(kv Seccomp))"; return; }
    grep -q "Cannot assign requested address\|Address not available" <<<"$out" || { fail "mkdir did not fail with errno 99 (EADDRNOTAVAIL)"; return; }
    expect_eq "$(kv exists)" 0 "directory created despite the filter"
}

t_seccomp_default_errno() {
    B=$(bundle)
    cfg "$B" 'c["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ALLOW",
        "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}'
    args "$B" /bin/sh -c 'mkdir /tmp/oc-dir 2>&1; echo mkdir=$?'
    new_id
    run_to_end "$ID" "$B" || return
    grep -q "Operation not permitted" <<<"$out" && pass || fail "mkdir without errnoRet did not fail with EPERM"
}

t_seccomp_errno_bad_action() {
    B=$(bundle)
    cfg "$B" 'c["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ALLOW",
        "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_KILL", "errnoRet": 5}]}'
    new_id
    if create "$ID" "$B"; then fail "create accepted errnoRet on SCMP_ACT_KILL"; else pass; fi
}


t_ns_time() {
    [ -e /proc/self/ns/time ] || { skip "host kernel has no time namespaces"; return; }
    B=$(bundle)
    cfg "$B" 'c["linux"]["namespaces"].append({"type": "time"}); c["linux"]["timeOffsets"] = {"monotonic": {"secs": 86400, "nanosecs": 0}, "boottime": {"secs": 172800, "nanosecs": 0}}'
    args "$B" /bin/sh -c '/bin/checker ns; awk "{print \"off.\" \$1 \"=\" \$2}" /proc/self/timens_offsets'
    new_id
    run_to_end "$ID" "$B" || return
    [ "$(kv ns.time)" != "$(stat -L -c %i /proc/self/ns/time)" ] || { fail "time namespace not new"; return; }
    expect_eq "$(kv off.monotonic) $(kv off.boottime)" "86400 172800" "timens_offsets monotonic boottime"
}

t_devices_allow() {
    [ -c /dev/fuse ] || { skip "host has no /dev/fuse to probe with"; return; }
    B=$(bundle)
    cfg "$B" '
c["mounts"].append({"destination": "/dev/oc-fuse", "type": "bind", "source": "/dev/fuse", "options": ["bind"]})
c["linux"]["resources"]["devices"].append({"allow": True, "type": "c", "major": 10, "minor": 229, "access": "r"})'
    args "$B" /bin/sh -c '( exec 3</dev/oc-fuse ) 2>/dev/null && echo read=ok || echo read=denied'
    new_id
    run_to_end "$ID" "$B" || return
    expect_eq "$(kv read)" ok "open of /dev/fuse (bind-mounted) allowed by c 10:229 r after deny-all"
}

_cg_v1_file() { # _cg_v1_file CONTROLLER FILE: skip unless the host has it
    [ -e "/sys/fs/cgroup/$1/$2" ] || { skip "host has no $1 cgroup v1 file $2${3:+ ($3)}"; return 1; }
}
t_cg_mem_reservation() {
    _cg_v1_file memory memory.soft_limit_in_bytes || return
    _cg_container 'c["linux"]["resources"]["memory"] = {"limit": 134217728, "reservation": 33554432}' || return
    _cg_expect memory memory.soft_limit_in_bytes 33554432
}
t_cg_mem_swap() {
    _cg_v1_file memory memory.memsw.limit_in_bytes "swap accounting off" || return
    _cg_container 'c["linux"]["resources"]["memory"] = {"limit": 67108864, "swap": 134217728}' || return
    _cg_expect memory memory.memsw.limit_in_bytes 134217728
}
t_cg_cpuset() {
    _cg_v1_file cpuset cpuset.cpus || return
    _cg_container 'c["linux"]["resources"]["cpu"] = {"cpus": "0", "mems": "0"}' || return
    _cg_expect cpuset cpuset.cpus 0
}
t_cg_blkio() {
    _cg_v1_file blkio blkio.weight "no BFQ I/O scheduler" || return
    _cg_container 'c["linux"]["resources"]["blockIO"] = {"weight": 300}' || return
    _cg_expect blkio blkio.weight 300
}
t_cg_netcls() {
    _cg_v1_file net_cls net_cls.classid "net_cls not mounted" || return
    _cg_container 'c["linux"]["resources"]["network"] = {"classID": 1048577}' || return
    _cg_expect net_cls net_cls.classid 1048577
}
t_cg_hugetlb() {
    local f
    f=$(ls /sys/fs/cgroup/hugetlb/hugetlb.2MB.limit_in_bytes 2>/dev/null) || { skip "host has no cgroup v1 hugetlb controller (hugetlb is on the unified mount here)"; return; }
    _cg_container 'c["linux"]["resources"]["hugepageLimits"] = [{"pageSize": "2MB", "limit": 4194304}]' || return
    _cg_expect hugetlb hugetlb.2MB.limit_in_bytes 4194304
}
t_cg_unified() {
    [ -e /sys/fs/cgroup/cgroup.controllers ] || { skip "host is not cgroup v2 (unified needs v2 controllers)"; return; }
    _cg_container 'c["linux"]["resources"]["unified"] = {"pids.max": "17"}' || return
    local f
    f=/sys/fs/cgroup$(cut -d: -f3 "/proc/$CPID/cgroup" | head -n 1)/pids.max
    expect_eq "$(cat "$f")" 17 "$f"
}

t_rootfs_slave() {
    command -v nsenter >/dev/null || { skip "host has no nsenter"; return; }
    # The rootfs is a shared mount of its own (as an image's overlay mount
    # would be), so the host has a peer group to propagate from whatever its
    # own propagation is.
    B=$(bundle)
    mkdir -p "$B/rootfs/mnt/late"
    mount --bind "$B/rootfs" "$B/rootfs" && mount --make-shared "$B/rootfs" ||
        { skip "cannot make a shared bind mount on this host"; return; }
    cfg "$B" 'c["linux"]["rootfsPropagation"] = "slave"'
    args "$B" /bin/checker signal-wait
    new_id
    create "$ID" "$B" || { fail "create failed"; return; }
    local pid
    pid=$(cat "$B/pid")
    # A mount made on the host after create must appear in the container...
    mount -t tmpfs -o size=1m oc-late "$B/rootfs/mnt/late" || { skip "cannot mount on the host"; return; }
    local seen
    seen=$(awk '$5 == "/mnt/late"' "/proc/$pid/mountinfo")
    umount "$B/rootfs/mnt/late"
    [ -n "$seen" ] || { fail "a host mount below the rootfs did not propagate into the container"; return; }
    # ...but not the other way around.
    nsenter -t "$pid" -m mount -t tmpfs oc-back /mnt 2>>"$CASE_DIR/diag" || { skip "cannot mount inside the container"; return; }
    if awk -v d="$B/rootfs/mnt" '$5 == d' /proc/self/mountinfo | grep -q .; then
        umount "$B/rootfs/mnt"
        fail "a container mount propagated back to the host"
        return
    fi
    pass
}

t_personality() {
    B=$(bundle)
    cfg "$B" 'c["linux"]["personality"] = {"domain": "LINUX32"}'
    args "$B" /bin/sh -c 'echo machine=$(uname -m)'
    new_id
    run_to_end "$ID" "$B" || return
    [ "$(uname -m)" = x86_64 ] || { skip "host is not x86_64"; return; }
    expect_eq "$(kv machine)" i686 "uname -m with LINUX32"
}

t_apparmor() {
    [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ] || { skip "host lacks AppArmor (not enabled)"; return; }
    skip "AppArmor is enabled but the suite has no profile to load yet"
}

t_intelrdt() {
    grep -q ' resctrl ' /proc/self/mountinfo || { skip "host has no resctrl filesystem mounted"; return; }
    skip "resctrl present: check not written yet"
}

check SHOULD "config-linux.md#namespaces: time namespace with timeOffsets" t_ns_time
check MUST "config-linux.md#namespaces: listed namespaces without path are new" t_ns_new
check MUST "config-linux.md#namespaces: unlisted namespace types are inherited from the runtime" t_ns_inherit
check MUST "config-linux.md#namespaces: path MUST place the process in that namespace" t_ns_path
check MUST "config-linux.md#namespaces: path of another namespace type MUST error" t_ns_wrong_type
check MUST "config-linux.md#namespaces: duplicated namespace type MUST error" t_ns_dup
check MUST "config-linux.md#user-namespace-mappings: uidMappings and gidMappings applied" t_userns
check MUST "config-linux.md#default-devices: null zero full random urandom tty ptmx supplied" t_devices_default
check MUST "config-linux.md#devices: linux.devices MUST be available (type, numbers, fileMode, uid, gid)" t_devices_config
check MUST "config-linux.md#allowed-device-list: a deny-all allow list blocks unlisted devices" t_devices_allowlist
check MUST "config-linux.md#allowed-device-list: an allow entry after deny-all grants access (listed order)" t_devices_allow
check MUST "config-linux.md#sysctl: sysctl values set in the container" t_sysctl
check MUST "config-linux.md#masked-paths: masked paths cannot be read" t_masked
check MUST "config-linux.md#readonly-paths: readonly paths are read-only" t_readonly_paths
check MUST "config-linux.md#memory: memory.limit written to the container cgroup" t_cg_memory
check MUST "config-linux.md#pids: pids.limit written to the container cgroup" t_cg_pids
check MUST "config-linux.md#cpu: cpu.shares written to the container cgroup" t_cg_cpu_shares
check MUST "config-linux.md#cpu: cpu.quota and period written to the container cgroup" t_cg_cpu_quota
check MUST "config-linux.md#memory: memory.reservation written to the container cgroup" t_cg_mem_reservation
check MUST "config-linux.md#memory: memory.swap written to the container cgroup" t_cg_mem_swap
check MUST "config-linux.md#cpu: cpus (cpuset) written to the container cgroup" t_cg_cpuset
check MUST "config-linux.md#block-io: blockIO.weight written to the container cgroup" t_cg_blkio
check MUST "config-linux.md#network: classID written to the container cgroup" t_cg_netcls
check MUST "config-linux.md#huge-page-limits: hugepageLimits written to the container cgroup" t_cg_hugetlb
check MUST "config-linux.md#unified: unified values written (cgroup v2)" t_cg_unified
check MUST "config-linux.md#cgroups-path: absolute cgroupsPath relative to the cgroup mount" t_cg_path
check MUST "config-linux.md#seccomp: SCMP_ACT_ERRNO rule with errnoRet observed inside" t_seccomp
check MUST "config-linux.md#seccomp: errnoRet unset means EPERM" t_seccomp_default_errno
check MUST "config-linux.md#rootfs-mount-propagation: slave receives host mounts, does not send" t_rootfs_slave
check MUST "config-linux.md#personality: LINUX32 personality" t_personality
check MUST "config.md#linux-process: apparmorProfile applied" t_apparmor
check MUST "config-linux.md#intelrdt: intelRdt unset MUST NOT touch resctrl" t_intelrdt
check MUST "config-linux.md#seccomp: errnoRet with an action without errno MUST fail" t_seccomp_errno_bad_action

t_userns_no_chown() {
    [ -e /proc/self/ns/user ] || { skip "host kernel has no user namespaces"; return; }
    t_userns
    [ "$_result" = pass ] || { _result=""; skip "user namespace container did not run (see the mappings check)"; return; }
    _result=""
    expect_eq "$(stat -c %u:%g "$B/rootfs/etc/oc-host-root-owned")" 0:0 "owner of a rootfs file after a user-namespace container ran"
}

t_cg_pids_zero() {
    _cg_container 'c["linux"]["resources"]["pids"] = {"limit": 0}' || return
    _cg_expect pids pids.max 0
}

t_seccomp_meta_without_path() {
    B=$(bundle)
    cfg "$B" 'c["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ALLOW", "listenerMetadata": "x"}'
    new_id
    if create "$ID" "$B"; then fail "create accepted listenerMetadata without listenerPath"; else pass; fi
}

t_seccomp_empty_names() {
    B=$(bundle)
    cfg "$B" 'c["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": [], "action": "SCMP_ACT_ERRNO"}]}'
    new_id
    if create "$ID" "$B"; then fail "create accepted a syscall rule with empty names"; else pass; fi
}

check SHOULD "config-linux.md#user-namespace-mappings: runtime SHOULD NOT chown the rootfs" t_userns_no_chown
check SHOULD "config-linux.md#pids: limit 0 SHOULD be written as 0" t_cg_pids_zero
check MUST "config-linux.md#seccomp: listenerMetadata MUST NOT be set without listenerPath (error)" t_seccomp_meta_without_path
check MUST "config-linux.md#seccomp: syscall names MUST contain at least one entry (error)" t_seccomp_empty_names
