#!/bin/bash
# test-cgroup.sh: the cgroup driver (src/libberth/cgroup/cgroup.h) and the cgroup
# commands (pause, resume, update, ps, events) with real outcomes: values
# read back from the cgroup files AND enforced (OOM kill -> 137, fork past
# pids.max fails, cpu quota throttles, a denied device cannot be opened,
# freeze stops a counter, kill --all empties the cgroup, destroy removes
# only what was created).
#
# Runs the same assertions on whatever layout the host has: v1/hybrid here,
# pure cgroup v2 inside tests/cgroup2-vm/run.sh. Until `berth create` places
# containers in their cgroup, processes are put there by
# helpers/cgroup-driver.c (built from the library sources) and the commands
# are driven against a state entry that records that cgroup; the `berth run`
# section runs once create is wired and is skipped with a reason before.
. "$(dirname "$0")/lib.sh"

require_root
require_cmd gcc
[ -d /sys/fs/cgroup ] || skip_all "no /sys/fs/cgroup"

# CGROUP_DRIVER: a prebuilt driver (the VM runner builds it on the host,
# where gcc is fast).
DRIVER=${CGROUP_DRIVER:-$TEST_TMP/cgroup-driver}
build_driver() {
    [ -n "${CGROUP_DRIVER:-}" ] && return 0
    local s=$SRCDIR spec
    # (config.h's one define the library files here need, from its source)
    spec=$(sed -n 's/^AC_DEFINE(\[OCI_SPEC_VERSION\], \["\([^"]*\)".*/\1/p' "$s/configure.ac")
    gcc -std=gnu11 -O1 -g -D_GNU_SOURCE -DOCI_SPEC_VERSION="\"$spec\"" -I"$s/src/libberth" -I"$s/libocispec" -o "$DRIVER" \
        "$s/tests/integration/helpers/cgroup-driver.c" "$s"/src/libberth/cgroup/cgroup*.c "$s"/src/libberth/cgroup/systemd-{unit,annotations}.c \
        "$s"/src/libberth/util/{fd-pass,error,context,id-list,io,run}.c "$s/src/libberth/spec/page-size.c" "$s"/src/libberth/state/{state,state-json,state-types}.c "$s/src/libberth/container/status.c" "$s"/libocispec/*.c -lyajl -lm
}
build_driver >"$TEST_TMP/driver.log" 2>&1 ||
    bail_out "cannot build cgroup-driver: $(head -c 800 "$TEST_TMP/driver.log")"

run_cmd "$DRIVER" layout
MODE=$(sed -n 's/^mode=//p' <<<"$output")
diag "cgroup layout: $MODE"
case $MODE in
v1 | hybrid | v2) ok "cgroup layout detected ($MODE)" ;;
*) skip_all "no usable cgroup layout ($output)" ;;
esac
V2=0
[ "$MODE" = v2 ] && V2=1

# cgdir STATE CONTROLLER: the container's directory that drives CONTROLLER
# (STATE: the driver's state.json, its "cgroup" record).
# (a directory's "path" is left out when it is its mount + the cgroup's path)
cgdir() {
    "$PYTHON" -c 'import json, re, sys
cg = json.load(open(sys.argv[1]))["cgroup"]
for d in cg["dirs"]:
    if sys.argv[2] in re.split("[ ,]", d["controllers"]):
        print(d.get("path", d["mount"] + cg["path"])); break' "$1" "$2"
}

# start NAME RESJSON CMD...: starts CMD in cgroup /berth/<id>; sets ST, PID, ID.
start() {
    local name=$1 res=$2
    shift 2
    ID=$(new_id)
    ST=$TEST_TMP/$name.cg
    printf '%s\n' "$res" >"$TEST_TMP/$name.json"
    run_cmd "$DRIVER" start "$ST" -i "$ID" -r "$TEST_TMP/$name.json" -- "$@"
    PID=$(sed -n 's/^pid=//p' <<<"$output")
    add_cleanup "kill -9 $PID 2>/dev/null; '$DRIVER' destroy '$ST' 2>/dev/null"
}
stop() {
    "$DRIVER" kill "$ST" 9 >/dev/null 2>&1
    wait_for bash -c "! kill -0 $PID 2>/dev/null"
    "$DRIVER" destroy "$ST"
}

# ---- values read back --------------------------------------------------
start limits '{"memory":{"limit":67108864},"pids":{"limit":20},"cpu":{"shares":2048,"quota":50000,"period":100000},"hugepageLimits":[{"pageSize":"2MB","limit":4194304}]}' sleep 1000
if [ -z "$PID" ]; then
    _fail_with_cmd "start a process in a cgroup with limits"
else
    ok "process $PID started in cgroup /berth/$ID"
    mem=$(cgdir "$ST" memory) cpu=$(cgdir "$ST" cpu) pids=$(cgdir "$ST" pids)
    if [ $V2 = 1 ]; then
        assert_eq "$(cat "$mem/memory.max")" 67108864 "memory.max read back"
        assert_eq "$(cat "$cpu/cpu.max")" "50000 100000" "cpu.max read back"
        # runc >= 1.3.2 / crun >= 1.23 mapping: 2048 shares -> weight 174
        # (the old linear formula gave 79)
        assert_eq "$(cat "$cpu/cpu.weight")" 174 "cpu.weight from shares (current formula)"
    else
        assert_eq "$(cat "$mem/memory.limit_in_bytes")" 67108864 "memory.limit_in_bytes read back"
        assert_eq "$(cat "$cpu/cpu.cfs_quota_us")" 50000 "cpu.cfs_quota_us read back"
        assert_eq "$(cat "$cpu/cpu.shares")" 2048 "cpu.shares read back"
    fi
    assert_eq "$(cat "$pids/pids.max")" 20 "pids.max read back"
    # hugetlb lives where the host has it: v1, or the cgroup2 mount of a
    # hybrid host (this CI machine), or the unified hierarchy.
    huge=$(cgdir "$ST" hugetlb)
    if [ -e "$huge/hugetlb.2MB.max" ]; then
        assert_eq "$(cat "$huge/hugetlb.2MB.max")" 4194304 "hugetlb.2MB.max read back ($huge)"
    else
        assert_eq "$(cat "$huge/hugetlb.2MB.limit_in_bytes")" 4194304 "hugetlb.2MB.limit_in_bytes read back"
    fi
    assert_contains "$(cat "$mem/cgroup.procs")" "$PID" "the process is in the cgroup"
    stop
    check "destroy removes the cgroup" test ! -e "$mem"
fi

# ---- enforcement -------------------------------------------------------
printf '%s\n' '{"memory":{"limit":33554432,"swap":33554432}}' >"$TEST_TMP/oom.json"
run_cmd "$DRIVER" run -i "$(new_id)" -r "$TEST_TMP/oom.json" -- sh -c 'x=$(head -c 200000000 /dev/zero | tr "\0" a); echo survived'
assert_contains "$output" "exit=137" "a process over its memory limit is OOM-killed (137)"

run_cmd "$DRIVER" run -i "$(new_id)" -r <(echo '{"pids":{"limit":4}}') -- sh -c 'for i in 1 2 3 4 5 6 7 8; do sleep 3 & done; wait'
if [[ "$stderr$output" == *"fork"* || "$stderr$output" == *"Resource temporarily unavailable"* ]]; then
    ok "forking past pids.max fails"
else
    _fail_with_cmd "forking past pids.max fails"
fi

start quota '{"cpu":{"quota":10000,"period":100000}}' sh -c 'while :; do :; done'
sleep 1
run_cmd "$DRIVER" stats "$ST"
thr=$(sed -n 's/^throttled_periods=//p' <<<"$output")
if [ "${thr:-0}" -gt 0 ]; then ok "cpu quota throttles (nr_throttled=$thr)"; else _fail_with_cmd "cpu quota throttles"; fi
stop

# /dev/kmsg (c 1:11) is not in the default allow list; /dev/null is.
run_cmd "$DRIVER" run -i "$(new_id)" -r <(echo '{"devices":[{"allow":false,"access":"rwm"}]}') -- sh -c '(exec 3</dev/kmsg) && echo kmsg-opened; (exec 3</dev/null) && echo null-opened'
assert_not_contains "$output" "kmsg-opened" "a denied device cannot be opened"
assert_contains "$output" "null-opened" "a default device can be opened"

# ---- freezer, kill all -------------------------------------------------
CNT=$TEST_TMP/counter
start freeze '{}' sh -c "while :; do echo x; done >$CNT"
sleep 0.3
check "freeze" "$DRIVER" freeze "$ST"
a=$(stat -c %s "$CNT")
sleep 0.5
b=$(stat -c %s "$CNT")
assert_eq "$b" "$a" "freeze stops the counter"
run_cmd "$DRIVER" frozen "$ST"
assert_eq "$output" "frozen=1" "the cgroup reports frozen"
check "thaw" "$DRIVER" thaw "$ST"
sleep 0.3
c=$(stat -c %s "$CNT")
assert_ne "$c" "$b" "thaw resumes the counter"
"$DRIVER" freeze "$ST" >/dev/null
check "kill --all of a frozen cgroup" "$DRIVER" kill "$ST" 9
if wait_for bash -c "! kill -0 $PID 2>/dev/null"; then ok "every process died"; else not_ok "every process died"; fi
run_cmd "$DRIVER" pids "$ST"
assert_eq "$output" "" "the cgroup is empty"
run_cmd "$DRIVER" frozen "$ST"
assert_eq "$output" "frozen=0" "SIGKILL thawed the cgroup"
"$DRIVER" destroy "$ST"

# ---- paths: relative, pre-existing parents stay -----------------------
PARENT=bt-parent-$$
for d in $(awk '$3 ~ /^cgroup/ && $2 ~ "^/sys/fs/cgroup" {print $2}' /proc/self/mounts); do
    mkdir -p "$d/$PARENT" 2>/dev/null
done
add_cleanup "for d in /sys/fs/cgroup/*/$PARENT /sys/fs/cgroup/$PARENT; do rmdir \"\$d\" 2>/dev/null; done"
ID=$(new_id)
ST=$TEST_TMP/rel.cg
run_cmd "$DRIVER" start "$ST" -i "$ID" -p "$PARENT/$ID" -- sleep 1000
PID=$(sed -n 's/^pid=//p' <<<"$output")
assert_contains "$(cat /proc/"$PID"/cgroup 2>/dev/null)" "/$PARENT/$ID" "relative cgroupsPath lands under our own cgroup"
stop
any=$("$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["cgroup"]["dirs"][0]["mount"])' "$ST")
check "destroy removes the container's cgroup" test ! -e "$any/$PARENT/$ID"
check "destroy keeps the parent it did not create" test -d "$any/$PARENT"

# ---- the commands, against a state entry of a driver-made cgroup --------
# write_state ID PID CGSTATE: a "running" container entry in BERTH_ROOT.
write_state() {
    local dir=$BERTH_ROOT/$1
    mkdir -p "$dir" && chmod 700 "$dir" && : >"$dir/lock"
    "$PYTHON" - "$dir/state.json" "$1" "$2" "$3" <<'PY'
import json, sys
path, cid, pid, cgfile = sys.argv[1:5]
st = open("/proc/%s/stat" % pid).read()
start = int(st[st.rindex(")") + 2:].split()[19])
json.dump({"ociVersion": "1.3.0", "id": cid, "pid": int(pid), "startTime": start,
           "bundle": "/", "rootfs": "/", "created": "2026-01-01T00:00:00Z", "owner": "root",
           "cgroup": json.load(open(cgfile))["cgroup"], "createdStatus": False}, open(path, "w"))
PY
}
start cmds '{"memory":{"limit":67108864}}' sh -c "while :; do echo x; done >$CNT"
write_state "$ID" "$PID" "$ST"
add_cleanup "rm -rf '$BERTH_ROOT/$ID'"
check "berth pause" berth pause "$ID"
assert_eq "$(container_status "$ID")" paused "state shows paused"
# list reads the freezer file by itself (one open and read per container)
assert_match "$(berth list 2>/dev/null | awk -v id="$ID" '$1 == id {print $3}')" "^paused$" "list shows paused"
a=$(stat -c %s "$CNT")
sleep 0.3
assert_eq "$(stat -c %s "$CNT")" "$a" "paused: the counter stopped"
run_cmd berth pause "$ID"
assert_failure "pause of a paused container fails"
check "berth resume" berth resume "$ID"
assert_eq "$(container_status "$ID")" running "state shows running again"
assert_match "$(berth list 2>/dev/null | awk -v id="$ID" '$1 == id {print $3}')" "^running$" "list shows running again"
run_cmd berth resume "$ID"
assert_contains "$stderr" "container not paused" "resume of a running container: runc's error"
run_cmd berth ps --format json "$ID"
assert_eq "$output" "[$PID]" "ps --format json prints the pid array"
run_cmd berth ps "$ID"
assert_contains "$output" "PID" "ps prints ps(1)'s header"
assert_contains "$output" " $PID " "ps lists the container's process"
assert_eq "${#lines[@]}" 2 "ps lists only the container's process"
# runc >= 1.4 (urfave/cli v3): `--` only separates ps(1)'s options, ps never sees it
run_cmd berth ps "$ID" -- -o pid,comm
assert_success "ps ID -- -o pid,comm"
assert_eq "$(echo ${lines[0]})/$(echo ${lines[1]} | cut -d' ' -f1)/${#lines[@]}" "PID COMMAND/$PID/2" "... ps(1) got -o pid,comm, not the --"
run_cmd berth events --stats "$ID"
assert_contains "$output" '"type":"stats"' "events --stats prints a stats record"
json_ok=$("$PYTHON" -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["id"], "memory" in d["data"], "cpu" in d["data"], "pids" in d["data"])' "$output" 2>&1)
assert_eq "$json_ok" "$ID True True True" "events --stats is runc's JSON (id, cpu, memory, pids)"
mem=$(cgdir "$ST" memory)
memfile=memory.limit_in_bytes
[ $V2 = 1 ] && memfile=memory.max
check "update --memory" berth update --memory 96m "$ID"
assert_eq "$(cat "$mem/$memfile")" 100663296 "update --memory is written"
run_cmd --stdin <(echo '{"memory":{"limit":134217728},"pids":{"limit":77}}') berth update --resources - "$ID"
assert_success "update --resources - (stdin JSON)"
assert_eq "$(cat "$mem/$memfile")" 134217728 "update --resources - memory is written"
assert_eq "$(cat "$(cgdir "$ST" pids)/pids.max")" 77 "update --resources - pids is written"
# each of runc's flags lands in its field (cmd-update.c's table), the
# later alias winning, 0 leaving the block IO weight alone
cpu=$(cgdir "$ST" cpu) cpuset=$(cgdir "$ST" cpuset)
run_cmd berth update --cpu-share 256 --cpu-shares 512 --cpu-period 100000 --cpu-quota 50000 \
    --cpuset-cpus 0 --pids-limit 60 --blkio-weight 0 "$ID"
assert_success "update with runc's cpu, cpuset, pids and blkio flags"
if [ $V2 = 1 ]; then
    assert_eq "$(cat "$cpu/cpu.weight")/$(cat "$cpu/cpu.max")" "59/50000 100000" \
        "--cpu-shares 512 (after --cpu-share 256) and --cpu-quota/--cpu-period written"
else
    assert_eq "$(cat "$cpu/cpu.shares")/$(cat "$cpu/cpu.cfs_quota_us")/$(cat "$cpu/cpu.cfs_period_us")" \
        "512/50000/100000" "--cpu-shares 512 (after --cpu-share 256) and --cpu-quota/--cpu-period written"
fi
assert_eq "$(cat "$cpuset/cpuset.cpus")" 0 "--cpuset-cpus written"
# events --stats carries runc's cpuset (v1: read from the cpuset directory)
# and, on v2, the psi of cpu/memory/io when the kernel keeps pressure files
run_cmd berth events --stats "$ID"
stat_view=$("$PYTHON" -c 'import json,sys; d=json.loads(sys.argv[1])["data"]
print(d["cpuset"].get("cpus"), d["cpuset"]["sched_load_balance"], "psi" in d["cpu"], "psi" in d["memory"])' "$output" 2>&1)
if [ $V2 = 1 ]; then
    # runc reads a resource's pressure when its controller is enabled
    has_psi() { [ -e "$cpu/$1.pressure" ] && grep -qw "$1" "$cpu/cgroup.controllers" && echo True || echo False; }
    assert_eq "$stat_view" "None 0 $(has_psi cpu) $(has_psi memory)" \
        "events --stats: no cpuset settings on v2 (as runc), psi as the kernel keeps it"
else
    assert_eq "$stat_view" "[0] $(cat "$cpuset/cpuset.sched_load_balance") False False" \
        "events --stats: the cpuset's CPUs and flags, no psi on v1"
fi
assert_eq "$(cat "$(cgdir "$ST" pids)/pids.max")" 60 "--pids-limit written"
# pids.limit 0 is a real limit: 1 (the init), as runc >= 1.2 and systemd
run_cmd berth update --pids-limit 0 "$ID"
assert_eq "$(cat "$(cgdir "$ST" pids)/pids.max")" 1 "--pids-limit 0 writes 1, as runc"
run_cmd berth exec "$ID" true
assert_failure "with pids.limit 0 no process can join the container"
run_cmd berth update --pids-limit 60 "$ID"
run_cmd berth update --cpu-quota -1 "$ID"
if [ $V2 = 1 ]; then
    assert_eq "$(cat "$cpu/cpu.max")" "max 100000" "--cpu-quota -1 removes the quota"
else
    assert_eq "$(cat "$cpu/cpu.cfs_quota_us")" -1 "--cpu-quota -1 removes the quota"
fi
run_cmd berth update --blkio-weight 5 "$ID"
assert_status 2 "--blkio-weight 5 is a usage error"
assert_contains "$stderr" "invalid --blkio-weight \`5\`: must be 10..1000" "... naming the flag and the range"
run_cmd berth update --memory-swap 12q "$ID"
assert_contains "$stderr" "invalid --memory-swap \`12q\`" "a bad byte size names its flag"
run_cmd berth update --memory 1g --pids-limit abc "$ID"
assert_failure "update with a bad value fails"
assert_eq "$(cat "$mem/$memfile")" 134217728 "a bad value writes nothing"
run_cmd --stdin <(echo '{"memory":{"limit":1048576,"swap":4096}}') berth update -r - "$ID"
assert_failure "update refuses swap below limit (validated first)"
# cgroup v2's table (cgroup-v2.c) has no swappiness: the update is refused
# before the limit beside it is written
if [ $V2 = 1 ]; then
    run_cmd --stdin <(echo '{"memory":{"limit":67108864,"swappiness":10}}') berth update -r - "$ID"
    assert_contains "$stderr" "memory.swappiness 10: cgroup v2 has no swappiness" \
        "update with swappiness on cgroup v2: the table's reason"
    assert_eq "$(cat "$mem/$memfile")" 134217728 "... and the memory limit beside it is not written"
else
    skip "update with swappiness refused: cgroup v2 only (v1 has memory.swappiness)"
fi
berth pause "$ID" >/dev/null 2>&1
"$DRIVER" kill "$ST" 9 >/dev/null
if wait_for bash -c "! kill -0 $PID 2>/dev/null"; then ok "kill of a paused container does not hang"; else not_ok "kill of a paused container does not hang"; fi
rm -rf "${BERTH_ROOT:?}/$ID"
"$DRIVER" destroy "$ST"

# events streaming: stats every interval and an OOM record when a process
# of the container is OOM-killed; it ends when the container stops.
start oomev '{"memory":{"limit":33554432,"swap":33554432}}' sh -c 'sleep 1; sh -c "x=\$(head -c 100000000 /dev/zero | tr \"\\0\" a)"; sleep 1.5'
write_state "$ID" "$PID" "$ST"
add_cleanup "rm -rf '$BERTH_ROOT/$ID'"
run_cmd berth events --interval 500ms "$ID"
assert_success "events streams until the container stops"
assert_contains "$output" '"type":"oom"' "events reports the OOM kill"
assert_contains "$output" '"type":"stats"' "events streams stats records"
rm -rf "${BERTH_ROOT:?}/$ID"
stop

# ---- berth run (once create places the container in its cgroup) --------
B=$(make_bundle) || bail_out "cannot make a bundle"
update_config "$B" 'c["linux"]["resources"] = {"memory": {"limit": 33554432, "swap": 33554432}, "pids": {"limit": 16}}
c["process"]["args"] = ["/bin/sh", "-c", "cat /proc/self/cgroup"]' || bail_out "update_config"
ID=$(new_id)
run_cmd berth run --bundle "$B" "$ID"
if [[ "$output" != *"/berth/$ID"* ]]; then
    skip "berth run in its cgroup: create does not use the cgroup driver yet" 10
else
    ok "berth run places the container in /berth/$ID"
    set_args "$B" /bin/sh -c 'x=$(head -c 100000000 /dev/zero | tr "\0" a); echo survived'
    ID=$(new_id)
    run_cmd berth run --bundle "$B" "$ID"
    assert_status 137 "berth run: over the memory limit -> 137"
    set_args "$B" /bin/sh -c 'for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18; do sleep 2 & done; wait'
    ID=$(new_id)
    run_cmd berth run --bundle "$B" "$ID"
    assert_contains "$stderr$output" "fork" "berth run: forking past pids.limit fails"
    run_cmd berth delete --force "$ID"
    # pause/resume/kill/delete of a real container
    set_args "$B" /bin/sh -c 'while :; do echo x; done >/dev/null'
    ID=$(new_id)
    run_cmd berth run -d --bundle "$B" "$ID"
    assert_success "berth run -d"
    check "berth pause (container)" berth pause "$ID"
    assert_eq "$(container_status "$ID")" paused "state: paused"
    check "berth resume (container)" berth resume "$ID"
    check "berth pause again" berth pause "$ID"
    run_cmd berth delete --force "$ID"
    assert_success "delete --force of a paused container"
    check "its cgroup is gone" test ! -e "/sys/fs/cgroup/pids/berth/$ID" -a ! -e "/sys/fs/cgroup/berth/$ID"
    # kill KILL of a paused container: berth thaws it after the signal (as
    # runc does), so the init really dies and the state says stopped
    ID=$(new_id)
    run_cmd berth run -d --bundle "$B" "$ID"
    assert_success "berth run -d (to pause and kill)"
    PID=$(json_get "$(berth state "$ID")" 'j["pid"]')
    check "berth pause (to kill)" berth pause "$ID"
    check "berth kill KILL of a paused container" berth kill "$ID" KILL
    if wait_for bash -c "! kill -0 $PID 2>/dev/null"; then
        ok "the paused init died after kill KILL"
    else
        not_ok "the paused init died after kill KILL"
    fi
    assert_eq "$(container_status "$ID")" stopped "state: stopped after kill KILL of a paused container"
    run_cmd berth delete "$ID"
    assert_success "delete of the killed paused container"
fi

# ---- where create's init enters its cgroup (init.c cgroup_join_point) ---
# The init moves itself (cgroup-join.h) after the rootfs is prepared, so the
# cgroup binds inside the container cannot come from /proc/self/cgroup, and
# create must still never return before the init is in every hierarchy.
# not_in_own_cgroup PID ID: the hierarchies where berth made /berth/ID but
# PID's cgroup is not /berth/ID (empty when all is well).
not_in_own_cgroup() {
    local pid=$1 id=$2 ctrls path mnt bad=""
    while IFS=: read -r _ ctrls path; do
        if [ -z "$ctrls" ]; then
            mnt=/sys/fs/cgroup
            [ $V2 = 1 ] || mnt=/sys/fs/cgroup/unified
        else
            mnt=$(awk -v c="$ctrls" '$3 == "cgroup" && $4 ~ ("(^|,)" c "(,|$)") {print $2; exit}' /proc/self/mounts)
        fi
        [ -n "$mnt" ] && [ -d "$mnt/berth/$id" ] || continue
        [ "$path" = "/berth/$id" ] || bad="$bad $ctrls:$path"
    done <"/proc/$pid/cgroup"
    printf '%s' "$bad"
}
B=$(make_bundle) || bail_out "cannot make a bundle"
update_config "$B" 'c["linux"]["resources"] = {"memory": {"limit": 33554432}, "pids": {"limit": 16}}' ||
    bail_out "update_config"
set_args "$B" /bin/sleep 1000
ID=$(new_id)
run_cmd berth create --bundle "$B" "$ID"
assert_success "create (no hooks: the init joins after the rootfs is final)"
PID=$(json_get "$(berth state "$ID")" 'j["pid"]')
assert_eq "$(not_in_own_cgroup "$PID" "$ID")" "" "created: the init is in /berth/$ID in every hierarchy"
assert_ne "$(grep -c ":/berth/$ID\$" "/proc/$PID/cgroup")" 0 "created: /proc/PID/cgroup names /berth/$ID"
run_cmd berth start "$ID"
assert_success "start"
run_cmd berth exec "$ID" /bin/sh -c 'cat /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/pids.max 2>/dev/null; cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory.max 2>/dev/null'
assert_eq "$(printf '%s' "$output" | tr '\n' ' ')" "16 33554432" \
    "the container's /sys/fs/cgroup shows its own limits (binds of the container's directories)"
run_cmd berth delete --force "$ID"

# With a createRuntime hook the init joins before the hooks run: the hook
# sees the container's pid in the container's cgroup. (The same bundle:
# make_bundle is slow in the cgroup2 VM.)
update_config "$B" 'del c["linux"]["resources"]' || bail_out "update_config"
HOOKOUT=$TEST_TMP/hook-cgroup.out
printf '%s\n' '#!/bin/sh' \
    'pid=$(sed -n "s/.*\"pid\": *\([0-9]*\).*/\1/p")' \
    "cat /proc/\$pid/cgroup >$HOOKOUT" >"$TEST_TMP/hook-cgroup.sh"
chmod +x "$TEST_TMP/hook-cgroup.sh"
update_config "$B" "c['hooks'] = {'createRuntime': [{'path': '$TEST_TMP/hook-cgroup.sh'}]}" ||
    bail_out "update_config"
set_args "$B" /bin/true
ID=$(new_id)
run_cmd berth create --bundle "$B" "$ID"
assert_success "create with a createRuntime hook"
assert_ne "$(grep -c ":/berth/$ID\$" "$HOOKOUT" 2>/dev/null)" 0 \
    "the createRuntime hook sees the init in the container's cgroup"
if [ $V2 = 0 ]; then
    assert_eq "$(grep -v -e 'name=' -e '^0::' "$HOOKOUT" | grep -c -v ":/berth/$ID\$")" 0 \
        "the createRuntime hook sees the init in every v1 hierarchy"
fi
run_cmd berth delete --force "$ID"

# The setup's kernel objects are charged to berth, not to the container: a
# memory limit below what create's mounts would take still runs /bin/true.
# v1 only: on v2 the init is born in its cgroup (CLONE_INTO_CGROUP) and its
# whole setup is charged there.
if [ $V2 = 1 ] || [ ! -d /sys/fs/cgroup/memory ]; then
    skip "a 176 KiB memory limit is enough: needs the v1 memory controller (v2 charges the setup)"
else
    update_config "$B" 'c["linux"]["resources"] = {"memory": {"limit": 180224}}
del c["hooks"]' || bail_out "update_config"
    set_args "$B" /bin/true
    ID=$(new_id)
    run_cmd berth run --bundle "$B" "$ID"
    assert_success "run of /bin/true under a 176 KiB memory limit (joining before the mounts needed 192-240 KiB)"
    run_cmd berth delete --force "$ID"
fi

# What cgroup v2 cannot convert (config-linux.md "Unified": the runtime
# MUST generate an error) is refused by validate and by run before anything
# exists, with the reason of the v2 table; v1 applies the same config.
update_config "$B" 'c["linux"]["resources"] = {"memory": {"swappiness": 60}, "cpu": {"realtimeRuntime": 1000}}
c.pop("hooks", None)' || bail_out "update_config"
set_args "$B" /bin/true
if [ $V2 = 1 ]; then
    run_cmd berth validate --bundle "$B"
    assert_failure "validate: swappiness and realtimeRuntime on cgroup v2"
    assert_contains "$output" "/linux/resources/memory/swappiness" "... names the field's pointer"
    assert_contains "$output" "cgroup v2 has no realtime group scheduling" "... with the table's reason"
    ID=$(new_id)
    run_cmd berth run --bundle "$B" "$ID"
    assert_failure "run with swappiness on cgroup v2 fails"
    assert_contains "$stderr" "cgroup v2 has no swappiness" "... with the table's reason"
    assert_eq "$(ls -d /sys/fs/cgroup/berth/"$ID" "$BERTH_ROOT/$ID" 2>/dev/null)" "" \
        "... before its cgroup or state exists"
else
    run_cmd berth validate --bundle "$B"
    assert_success "validate: swappiness and realtimeRuntime are v1 fields"
    assert_not_contains "$output" "swappiness" "... and nothing is said about them on v1"
fi

# ---- rdma (linux.resources.rdma -> rdma.max) ----------------------------
# Needs the rdma controller and an RDMA device. Inside the cgroup2 VM (/.vm)
# a soft one is made for the test: rdma_rxe over a dummy link (the guest
# kernel's modules); on other hosts an existing device is used or the
# section is skipped with the reason.
rdma_dev() {
    local d m k
    d=$(ls /sys/class/infiniband 2>/dev/null | head -1)
    [ -n "$d" ] && { echo "$d"; return 0; }
    [ -e /.vm ] || { echo "no RDMA device on this host" >&2; return 1; }
    command -v rdma >/dev/null || { echo "no rdma tool (iproute2)" >&2; return 1; }
    k=$(uname -r)
    if [ ! -e "/lib/modules/$k" ] && [ -d "${BERTH_VM_CACHE:-/var/cache/berth-cgroup2-vm}/k/lib/modules/$k" ]; then
        mkdir -p /lib/modules && ln -s "${BERTH_VM_CACHE:-/var/cache/berth-cgroup2-vm}/k/lib/modules/$k" "/lib/modules/$k"
    fi
    # rdma_rxe needs the crc32 shash (crc32_generic) to add a device
    for m in crc32_generic dummy rdma_rxe; do
        if command -v modprobe >/dev/null; then modprobe "$m"; else /.vm/busybox modprobe "$m"; fi 2>/dev/null ||
            { echo "cannot load $m" >&2; return 1; }
    done
    ip link add berthrdma0 type dummy && ip link set berthrdma0 up || return 1
    add_cleanup "ip link del berthrdma0 2>/dev/null"
    rdma link add berthrxe0 type rxe netdev berthrdma0 || return 1
    add_cleanup "rdma link delete berthrxe0 2>/dev/null"
    echo berthrxe0
}
if ! awk '$1 == "rdma" && $4 == 1 {f = 1} END {exit !f}' /proc/cgroups; then
    skip "rdma: no rdma controller on this kernel" 1
elif ! DEV=$(rdma_dev 2>"$TEST_TMP/rdma.err"); then
    skip "rdma: $(tail -1 "$TEST_TMP/rdma.err")" 1
else
    B=$(make_bundle) || bail_out "cannot make a bundle"
    update_config "$B" "c['linux']['resources'] = {'rdma': {'$DEV': {'hcaHandles': 3, 'hcaObjects': 300}}}
c['process']['args'] = ['sleep', '1000']" || bail_out "update_config"
    ID=$(new_id)
    run_cmd berth run -d --bundle "$B" "$ID"
    assert_success "run -d with linux.resources.rdma on $DEV"
    PID=$(json_get "$(berth state "$ID")" 'j["pid"]')
    if [ $V2 = 1 ]; then
        RD=/sys/fs/cgroup$(sed -n 's/^0:://p' "/proc/$PID/cgroup")
    else
        RD=/sys/fs/cgroup/rdma$(awk -F: '$2 == "rdma" {print $3}' "/proc/$PID/cgroup")
    fi
    assert_contains "$(cat "$RD/cgroup.procs" 2>/dev/null)" "$PID" "the init is in the cgroup of rdma.max ($RD)"
    assert_eq "$(sed "s/ *$//" "$RD/rdma.max" 2>/dev/null)" "$DEV hca_handle=3 hca_object=300" "rdma.max read back"
    run_cmd berth delete -f "$ID"
    assert_success "delete"
    # one of the two: the other stays the kernel's "max"
    update_config "$B" "c['linux']['resources'] = {'rdma': {'$DEV': {'hcaObjects': 40}}}"
    ID=$(new_id)
    run_cmd berth run -d --bundle "$B" "$ID"
    PID=$(json_get "$(berth state "$ID")" 'j["pid"]')
    RD=${RD%/*}/$ID
    assert_eq "$(sed "s/ *$//" "$RD/rdma.max" 2>/dev/null)" "$DEV hca_handle=max hca_object=40" "hcaObjects alone"
    run_cmd berth delete -f "$ID"
    # a device the kernel does not know: create fails naming the file, and
    # nothing is left
    update_config "$B" "c['linux']['resources'] = {'rdma': {'nosuchdev0': {'hcaHandles': 1}}}"
    ID=$(new_id)
    run_cmd berth run -d --bundle "$B" "$ID"
    assert_failure "run with an rdma device the kernel does not know"
    assert_contains "$stderr" "rdma.max" "the error names rdma.max"
    assert_contains "$stderr" "No such device" "... and the kernel's reason"
    assert_eq "$(ls -d "${RD%/*}/$ID" "$BERTH_ROOT/$ID" 2>/dev/null)" "" "nothing left after the failed create"
fi

done_testing
