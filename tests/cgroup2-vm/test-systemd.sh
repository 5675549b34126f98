#!/bin/bash
# test-systemd.sh: the systemd cgroup driver (--systemd-cgroup) against a
# real systemd, in the VM of vm.sh with BERTH_VM_SYSTEMD=v2 or hybrid
# (run-systemd.sh runs it in both). Real outcomes: the unit as systemd
# shows it (`systemctl show`), the init in the unit's cgroup, the limits in
# the files, the files unchanged after systemd re-applies the unit
# (daemon-reload) and the container kept across daemon-reexec, pause and
# kill on the unit's cgroup, and after delete (and after every failure) no
# unit, no cgroup directory, no state left. The expected values are the
# ones runc 1.1.5 got from the same systemd for the same config, except
# CPUWeight (berth and runc >= 1.3 map shares 512 to 59, runc 1.1 to 20).
. "$(dirname "$0")/../integration/lib.sh"

require_root
[ -d /run/systemd/system ] || skip_all "systemd is not PID 1 here (run through run-systemd.sh)"
require_cmd systemctl
export BERTH_SYSTEMD_HELPER=${BERTH_SYSTEMD_HELPER:-$(dirname "$BERTH")/berth-systemd}
[ -x "$BERTH_SYSTEMD_HELPER" ] || skip_all "no berth-systemd beside $BERTH (built without libsystemd?)"

if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    MODE=v2
    SDROOT=/sys/fs/cgroup   # systemd's own hierarchy
else
    MODE=hybrid
    SDROOT=/sys/fs/cgroup/unified
fi
diag "cgroup layout under systemd: $MODE"

sdb() { "$BERTH" --root "$BERTH_ROOT" --systemd-cgroup "$@"; }
# prop UNIT NAME: one property as systemctl shows it
prop() { systemctl show "$1" -p "$2" --value 2>/dev/null; }
# v1 controller directory, or the v2 one
cgfile() { # CONTROLLER RELPATH FILE
    if [ $MODE = v2 ]; then cat "/sys/fs/cgroup$2/$3"; else cat "/sys/fs/cgroup/$1$2/$3"; fi
}
unit_gone() { [ "$(prop "$1" LoadState)" = not-found ]; }

B=$(make_bundle) || bail_out "cannot make a bundle"
set_args "$B" sleep 300

# ---- features ---------------------------------------------------------------
run_cmd "$BERTH" features
assert_contains "$output" '"systemd": true' "features: systemd true (built with the driver)"

# ---- create: the unit, its properties, the init inside, the files -------------
ID=$(new_id)
UNIT=berth-$ID.scope
CG=/machine.slice/$UNIT
update_config "$B" "c['linux']['cgroupsPath'] = 'machine.slice:berth:$ID'
c['linux']['resources'] = {'memory': {'limit': 104857600}, 'pids': {'limit': 100},
    'cpu': {'shares': 512, 'quota': 12345, 'period': 100000, 'cpus': '0'},
    'devices': [{'allow': False, 'access': 'rwm'}]}"
run_cmd sdb create --bundle "$B" "$ID"
assert_success "create with --systemd-cgroup"
PID=$(json_get "$(berth state "$ID")" 'j["pid"]')
assert_eq "$(prop "$UNIT" ActiveState)" active "the scope is active"
assert_eq "$(prop "$UNIT" Slice)/$(prop "$UNIT" ControlGroup)" "machine.slice/$CG" \
    "Slice= and ControlGroup= follow cgroupsPath slice:prefix:name"
assert_eq "$(prop "$UNIT" Delegate)/$(prop "$UNIT" DefaultDependencies)" "yes/no" \
    "Delegate=yes, DefaultDependencies=no"
assert_eq "$(prop "$UNIT" Description)" "berth container $ID" "Description names the container"
assert_eq "$(prop "$UNIT" TasksMax)" 100 "TasksMax from pids.limit"
assert_eq "$(prop "$UNIT" CPUQuotaPerSecUSec)" 130ms "CPUQuotaPerSecUSec rounded up to 10 ms (12345/100000)"
assert_eq "$(prop "$UNIT" DevicePolicy)" strict "DevicePolicy=strict for an allow-list"
assert_contains "$(prop "$UNIT" DeviceAllow)" "/dev/char/1:3 rwm" "DeviceAllow has /dev/null"
if [ $MODE = v2 ]; then
    assert_eq "$(prop "$UNIT" MemoryMax)" 104857600 "MemoryMax from memory.limit"
    assert_eq "$(prop "$UNIT" CPUWeight)" 59 "CPUWeight from cpu.shares 512"
    assert_eq "$(prop "$UNIT" AllowedCPUs)" 0 "AllowedCPUs from cpu.cpus"
else
    assert_eq "$(prop "$UNIT" MemoryLimit)" 104857600 "MemoryLimit (v1) from memory.limit"
    assert_eq "$(prop "$UNIT" CPUShares)" 512 "CPUShares (v1) from cpu.shares"
fi
run_cmd cat "$SDROOT$CG/cgroup.procs"
assert_eq "$output" "$PID" "the init is in the unit's cgroup (systemd's hierarchy)"
assert_contains "$(cat /proc/"$PID"/cgroup)" "$CG" "/proc/PID/cgroup names the unit's cgroup"
if [ $MODE = v2 ]; then
    assert_eq "$(cgfile memory "$CG" memory.max)" 104857600 "memory.max written"
    assert_eq "$(cgfile cpu "$CG" cpu.max)" "13000 100000" "cpu.max has the rounded quota systemd has"
    assert_eq "$(cgfile pids "$CG" pids.max)" 100 "pids.max written"
else
    assert_eq "$(cgfile memory "$CG" memory.limit_in_bytes)" 104857600 "memory.limit_in_bytes written"
    assert_eq "$(cgfile cpu "$CG" cpu.cfs_quota_us)" 13000 "cpu.cfs_quota_us has the rounded quota"
    assert_eq "$(cgfile pids "$CG" pids.max)" 100 "pids.max written"
    # controllers systemd does not manage: berth's own directory, same path
    assert_contains "$(cat /sys/fs/cgroup/freezer$CG/cgroup.procs)" "$PID" "v1 freezer: the init is in berth's directory"
    assert_eq "$(cat /sys/fs/cgroup/cpuset$CG/cpuset.cpus)" 0 "v1 cpuset.cpus written"
fi

# ---- start, ps, exec -------------------------------------------------------
run_cmd berth start "$ID"
assert_success "start"
run_cmd berth ps "$ID"
assert_contains "$output" "$PID" "ps lists the init from the unit's cgroup"
run_cmd berth exec "$ID" cat /proc/self/cgroup
assert_contains "$output" "$CG" "an exec'd process is in the unit's cgroup"

# ---- update: properties and files -------------------------------------------
run_cmd berth update --memory 209715200 --pids-limit 50 "$ID"
assert_success "update (without --systemd-cgroup: the unit is in the state)"
assert_eq "$(prop "$UNIT" TasksMax)" 50 "update sets TasksMax"
if [ $MODE = v2 ]; then
    assert_eq "$(prop "$UNIT" MemoryMax)" 209715200 "update sets MemoryMax"
    assert_eq "$(cgfile memory "$CG" memory.max)" 209715200 "update writes memory.max"
else
    assert_eq "$(prop "$UNIT" MemoryLimit)" 209715200 "update sets MemoryLimit"
    assert_eq "$(cgfile memory "$CG" memory.limit_in_bytes)" 209715200 "update writes memory.limit_in_bytes"
fi

# ---- systemd re-applies the unit: nothing changes; a re-exec keeps it ---------
systemctl daemon-reload
run_cmd cgfile pids "$CG" pids.max
assert_eq "$output" 50 "daemon-reload: pids.max kept (the property matches)"
if [ $MODE = v2 ]; then
    assert_eq "$(cgfile cpu "$CG" cpu.max)" "13000 100000" "daemon-reload: cpu.max kept"
else
    assert_eq "$(cgfile cpu "$CG" cpu.cfs_quota_us)" 13000 "daemon-reload: cpu.cfs_quota_us kept"
fi
run_cmd berth exec "$ID" sh -c 'echo x >/dev/null && head -c1 /dev/zero | wc -c'
assert_eq "$output" 1 "daemon-reload: allowed devices still usable"
systemctl daemon-reexec
assert_eq "$(prop "$UNIT" ActiveState)" active "daemon-reexec: the unit is still active"
assert_eq "$(cat "$SDROOT$CG/cgroup.procs")" "$PID" "daemon-reexec: the init is still in it"
run_cmd berth update --pids-limit 60 "$ID"
assert_eq "$status/$(prop "$UNIT" TasksMax)" 0/60 "update works after daemon-reexec"

# ---- pause, kill, delete ---------------------------------------------------
run_cmd berth pause "$ID"
assert_eq "$status/$(container_status "$ID")" 0/paused "pause"
if [ $MODE = v2 ]; then
    assert_eq "$(cat "$SDROOT$CG/cgroup.freeze")" 1 "pause froze the unit's cgroup"
else
    assert_eq "$(cat /sys/fs/cgroup/freezer$CG/freezer.state)" FROZEN "pause froze the v1 freezer"
fi
run_cmd berth resume "$ID"
assert_eq "$status/$(container_status "$ID")" 0/running "resume"
run_cmd berth kill --all "$ID" KILL
wait_for_status "$ID" stopped
assert_eq "$(container_status "$ID")" stopped "kill --all stops it"
run_cmd sdb delete "$ID"
assert_success "delete"
wait_for unit_gone "$UNIT"
assert_eq "$(prop "$UNIT" LoadState)" not-found "after delete the unit is gone"
run_cmd ls -d "$SDROOT$CG" /sys/fs/cgroup/freezer$CG /sys/fs/cgroup/cpuset$CG
assert_eq "$output" "" "after delete no cgroup directory is left (systemd's nor berth's)"

# ---- defaults, delete -f of a running container ------------------------------
ID=$(new_id)
update_config "$B" "c['linux']['cgroupsPath'] = ''; c['linux'].pop('resources', None)"
set_args "$B" cat /proc/self/cgroup
run_cmd sdb run --bundle "$B" "$ID"
assert_contains "$output" "/system.slice/berth-$ID.scope" \
    "an empty cgroupsPath is system.slice:berth:ID (runc's default with its prefix)"
assert_eq "$(prop "berth-$ID.scope" LoadState)" not-found "run: the unit is gone once the container is"
ID=$(new_id)
update_config "$B" "c['linux']['cgroupsPath'] = ':xpre:$ID'"
set_args "$B" sleep 300
run_cmd sdb run -d --bundle "$B" "$ID"
assert_eq "$status/$(prop "xpre-$ID.scope" Slice)" 0/system.slice "an empty slice is system.slice"
run_cmd sdb delete -f "$ID"
assert_success "delete -f of a running container"
assert_eq "$(prop "xpre-$ID.scope" LoadState)" not-found "delete -f: the unit is gone"

# ---- checkpoint and restore: criu's process holds the new unit -----------------
# (runc's criuApplyCgroups: the unit starts with criu's pid, the restored
# tree lands in its cgroup)
. "$(dirname "$0")/criu-lib.sh"
if criu_ready; then
    ID=$(new_id)
    UNIT=berth-$ID.scope
    CG=/machine.slice/$UNIT
    update_config "$B" "c['root']['readonly'] = False
c['linux']['cgroupsPath'] = 'machine.slice:berth:$ID'
c['linux']['resources'] = {'memory': {'limit': 67108864}, 'pids': {'limit': 50}}
c['process']['args'] = ['sh', '-c', 'i=0; while :; do i=\$((i+1)); echo \$i >/tmp/count; sleep 0.2; done']"
    COUNT=$B/rootfs/tmp/count
    count() { cat "$COUNT" 2>/dev/null || echo 0; }
    # stdio pipes, as from conmon or containerd (a file from run_cmd would
    # not be the same file at restore)
    sdb run -d --bundle "$B" "$ID" </dev/null > >(cat >/dev/null) 2>&1
    check "run -d the counter with --systemd-cgroup" [ "$(container_status "$ID")" = running ]
    wait_for bash -c "[ \$(cat $COUNT 2>/dev/null || echo 0) -gt 2 ]"
    run_cmd sdb checkpoint --image-path "$TEST_TMP/sdimg" "$ID"
    assert_success "checkpoint of a systemd-driven container"
    C1=$(count)
    assert_eq "$(prop "$UNIT" LoadState)" not-found "checkpoint: the unit is gone with the container"
    sdb restore -d --image-path "$TEST_TMP/sdimg" --bundle "$B" "$ID" </dev/null > >(cat >/dev/null) 2>"$TEST_TMP/sdrestore.err"
    rc=$?
    check "restore --systemd-cgroup (exit $rc: $(head -c 300 "$TEST_TMP/sdrestore.err"))" [ "$rc" = 0 ]
    [ "$rc" = 0 ] || grep -E "Error|Warn" "$TEST_TMP/sdimg/restore.log" | tail -15 | while read -r l; do diag "restore.log: $l"; done
    PID=$(json_get "$(berth state "$ID")" 'j["pid"]')
    assert_eq "$(prop "$UNIT" ActiveState)" active "restored: the scope is active"
    assert_eq "$(prop "$UNIT" ControlGroup)" "$CG" "restored: ControlGroup= from cgroupsPath"
    assert_eq "$(prop "$UNIT" Delegate)" yes "restored: Delegate=yes"
    assert_contains "$(cat "$SDROOT$CG/cgroup.procs")" "$PID" "restored: the init is in the unit's cgroup"
    others=0
    for p in $(cat "$SDROOT$CG/cgroup.procs"); do
        ns=$(readlink "/proc/$p/ns/pid") || continue # a `sleep 0.2` of the loop, gone
        if [ "$ns" != "$(readlink "/proc/$PID/ns/pid")" ]; then
            others=$((others + 1))
            diag "in the unit, outside the container: $p $(cat "/proc/$p/cmdline" | tr '\0' ' ')"
        fi
    done
    assert_eq "$others" 0 "restored: only the container's processes in the unit (criu left it)"
    assert_eq "$(prop "$UNIT" TasksMax)" 50 "restored: TasksMax from pids.limit"
    if [ $MODE = v2 ]; then
        assert_eq "$(prop "$UNIT" MemoryMax)" 67108864 "restored: MemoryMax"
        assert_eq "$(cgfile memory "$CG" memory.max)" 67108864 "restored: memory.max written"
    else
        assert_eq "$(prop "$UNIT" MemoryLimit)" 67108864 "restored: MemoryLimit"
        assert_eq "$(cgfile memory "$CG" memory.limit_in_bytes)" 67108864 "restored: memory.limit_in_bytes written"
    fi
    sleep 1
    check "restored: the counter continued from $C1" [ "$(count)" -gt "$C1" ]
    run_cmd sdb delete -f "$ID"
    assert_success "delete -f of the restored container"
    assert_eq "$(prop "$UNIT" LoadState)" not-found "delete: the restored container's unit is gone"
    # criu fails (no images): the unit it started with criu's pid goes too
    ID=$(new_id)
    mkdir -p "$TEST_TMP/noimg"
    update_config "$B" "c['linux']['cgroupsPath'] = 'machine.slice:berth:$ID'"
    run_cmd sdb restore -d --image-path "$TEST_TMP/noimg" --bundle "$B" "$ID"
    assert_failure "restore from an empty image directory fails"
    assert_contains "$stderr" "criu restore failed" "... with criu's reason"
    assert_eq "$(prop "berth-$ID.scope" LoadState)" not-found "failed restore: no unit left"
    check "failed restore: no cgroup left" [ ! -d "$SDROOT/machine.slice/berth-$ID.scope" ]
    check "failed restore: no state left" [ ! -e "$BERTH_ROOT/$ID" ]
    update_config "$B" "c['process']['args'] = ['sleep', '300']; c['linux'].pop('resources', None)"
else
    skip "checkpoint/restore with --systemd-cgroup: $CRIU_WHY"
fi

# ---- failures leave nothing ---------------------------------------------------
# fails SPEC DESC WANT-IN-STDERR: create fails, then no unit, state or cgroup
fails() {
    local id=$1 unit=$2 want=$3 desc=$4
    run_cmd sdb create --bundle "$B" "$id"
    assert_failure "$desc: create fails"
    assert_contains "$stderr" "$want" "$desc: the error says why"
    assert_eq "$(prop "$unit" LoadState)" not-found "$desc: no unit left"
    run_cmd ls "$BERTH_ROOT"
    assert_eq "$output" "" "$desc: no state left"
}
ID=$(new_id)
update_config "$B" "c['linux']['cgroupsPath'] = '/machine/$ID'"
fails "$ID" "berth-$ID.scope" \
    "expected cgroupsPath to be of format \"slice:prefix:name\" for systemd cgroups, got \"/machine/$ID\" instead" \
    "a cgroupfs path"
ID=$(new_id)
update_config "$B" "c['linux']['cgroupsPath'] = 'machine.slice:berth:$ID'
c['linux']['resources'] = {'cpu': {'cpus': '63'}}"
fails "$ID" "berth-$ID.scope" "cpuset.cpus" "a file write failing after the unit started (no cpu 63)"
run_cmd ls -d "$SDROOT/machine.slice/berth-$ID.scope"
assert_failure "... and its cgroup is gone with it"
ID=$(new_id)
update_config "$B" "c['linux']['cgroupsPath'] = 'bad--name.slice:berth:$ID'; c['linux'].pop('resources', None)"
fails "$ID" "berth-$ID.scope" "invalid slice name: bad--name.slice" "an invalid slice name"
ID=$(new_id)
update_config "$B" "c['linux']['cgroupsPath'] = 'machine.slice:berth:$ID'"
BERTH_SYSTEMD_HELPER=/nonexistent/berth-systemd fails "$ID" "berth-$ID.scope" \
    "helper \`/nonexistent/berth-systemd\`: No such file or directory" "a missing helper"

# ---- org.systemd.property.NAME annotations (runc's): unit properties ---------
AB=$(make_bundle) || bail_out "cannot make a bundle"
set_args "$AB" sleep 300
ID=$(new_id)
UNIT=berth-$ID.scope
update_config "$AB" "c['annotations'] = {'org.systemd.property.TimeoutStopSec': '7',
    'org.systemd.property.CollectMode': \"'inactive-or-failed'\",
    'org.systemd.property.Description': \"'from an annotation'\"}"
run_cmd sdb run -d --bundle "$AB" "$ID"
assert_success "run -d with org.systemd.property annotations"
assert_eq "$(prop "$UNIT" TimeoutStopUSec)" 7s "TimeoutStopSec 7 sent as TimeoutStopUSec (runc's conversion)"
assert_eq "$(prop "$UNIT" CollectMode)" inactive-or-failed "CollectMode from a GVariant string"
assert_eq "$(prop "$UNIT" Description)" "from an annotation" "an annotation comes after berth's own properties"
run_cmd sdb delete -f "$ID"
assert_success "delete"
check "the unit is gone" unit_gone "$UNIT"
# refused before anything is made (runc's wording), or by systemd (its
# error): nothing left either way
for bad in "Xx|'1'|annotation org.systemd.property.Xx name incorrect: too short" \
    "NoSuchProperty|'uint64 1'|NoSuchProperty"; do
    IFS='|' read -r name value msg <<<"$bad"
    update_config "$AB" "c['annotations'] = {'org.systemd.property.$name': $value}"
    ID=$(new_id)
    run_cmd sdb run -d --bundle "$AB" "$ID"
    assert_failure "org.systemd.property.$name=$value fails"
    assert_contains "$stderr" "$msg" "$name: the error"
    check "$name: no unit left" unit_gone "berth-$ID.scope"
    check "$name: no state left" [ ! -e "$BERTH_ROOT/$ID" ]
done
# the cgroupfs driver leaves them alone, as runc
ID=$(new_id)
run_cmd "$BERTH" --root "$BERTH_ROOT" run -d --bundle "$AB" "$ID"
assert_success "without --systemd-cgroup the annotation is not a property"
run_cmd "$BERTH" --root "$BERTH_ROOT" delete -f "$ID"

done_testing
