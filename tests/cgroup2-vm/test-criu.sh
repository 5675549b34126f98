#!/bin/bash
# test-criu.sh: `berth checkpoint` / `berth restore` with CRIU, run inside
# the cgroup2 VM (run-criu.sh): Debian's criu 3.17.1 cannot run on the 6.18
# development kernel, but works on Debian's own 6.1 kernel there.
#
# Asserts real outcomes: a counter continues after restore (process state),
# the restored init is pid 1 of its own pid namespace, the cgroup limits of
# the bundle hold in the new container's cgroup, stdout stays a pipe that
# reaches the restoring caller, --leave-running keeps the container going,
# a pre-dump + --parent-path dump restores, a second checkpoint of the
# restored container restores again (into a new id), a foreground restore
# waits and returns the init's status, and a checkpoint criu
# fails leaves the container running untouched with criu's reason and log.
. "$(dirname "$0")/../integration/lib.sh"

require_root
require_cmd criu

. "$(dirname "$0")/criu-lib.sh"
criu_ready || skip_all "$CRIU_WHY"

B=$(make_bundle) || bail_out "make_bundle failed"
update_config "$B" '
c["root"]["readonly"] = False
c["process"]["args"] = ["sh", "-c", "i=0; while :; do i=$((i+1)); echo $i; echo $i >/tmp/count; sleep 0.2; done"]
c["linux"].setdefault("resources", {})["pids"] = {"limit": 50}
c["linux"]["resources"]["memory"] = {"limit": 67108864}
' || bail_out "update_config failed"
COUNT=$B/rootfs/tmp/count
# count [FILE], advancing [FILE]: the counter of $COUNT or of FILE (another
# bundle's rootfs)
count() { cat "${1:-$COUNT}" 2>/dev/null || echo 0; }
pid_of() { json_get "$(berth state "$1")" 'j["pid"]'; }
# advancing: the counter moves within 3 s
advancing() {
    local a b i
    a=$(count "$@")
    for i in $(seq 30); do
        sleep 0.1
        b=$(count "$@")
        [ "$b" -gt "$a" ] && return 0
    done
    return 1
}

ID=$(new_id)
OUT1=$TEST_TMP/out1
# stdout is a pipe to a reader, as with conmon or containerd
berth run -d --bundle "$B" "$ID" </dev/null > >(cat >"$OUT1") 2>&1
wait_for_status "$ID" running && advancing
check "container runs, counter advancing" [ "$(container_status "$ID")" = running ]
PID0=$(pid_of "$ID")

# ---- --leave-running
run_cmd berth checkpoint --leave-running --image-path "$TEST_TMP/img0" "$ID"
assert_success "checkpoint --leave-running"
check "--leave-running: still running with the same init" [ "$(pid_of "$ID")" = "$PID0" ]
check "--leave-running: counter still advancing" advancing
check "images written" [ -s "$TEST_TMP/img0/inventory.img" ]
# what berth keeps beside criu's images is JSON: runc's descriptors.json
# (fds 0-2, stdout our pipe) and the external mounts
desc=$(cat "$TEST_TMP/img0/descriptors.json" 2>/dev/null)
assert_eq "$(json_get "$desc" 'len(j) == 3 and all(isinstance(x, str) for x in j)')" true \
    "descriptors.json: runc's array of three strings ($desc)"
assert_match "$(json_get "$desc" 'j[1]')" '^pipe:\[' "descriptors.json: fd 1 is the pipe"
ext=$(cat "$TEST_TMP/img0/berth-external.json" 2>/dev/null)
assert_eq "$(json_get "$ext" 'all(m["destination"].startswith("/") and m["source"] for m in j)')" true \
    "berth-external.json: destinations and sources ($(head -c 200 <<<"$ext"))"
# a damaged one is refused with the pointer, before criu runs, leaving nothing
cp -a "$TEST_TMP/img0" "$TEST_TMP/imgbroken"
printf '[{"destination":"/x"}]' >"$TEST_TMP/imgbroken/berth-external.json"
IDB=$(new_id)
run_cmd berth restore -d --image-path "$TEST_TMP/imgbroken" --bundle "$B" "$IDB"
assert_failure "restore with a damaged berth-external.json"
assert_contains "$stderr" "berth-external.json\`: /0/source" "the error names the file and the member"
check "damaged image: no state left" [ ! -e "$BERTH_ROOT/$IDB" ]
check "damaged image: no cgroup left" [ ! -e "/sys/fs/cgroup/berth/$IDB" ]

# ---- a checkpoint criu fails (no page server there) leaves it intact
run_cmd berth checkpoint --page-server 127.0.0.1:1 --image-path "$TEST_TMP/imgbad" "$ID"
assert_failure "checkpoint with an unreachable page server fails"
assert_contains "$stderr" "criu dump failed" "the error says criu failed"
assert_contains "$stderr" "log: $TEST_TMP/imgbad/dump.log" "the error names criu's log"
assert_match "$stderr" 'Error \((criu|compel)/' "the error carries criu's own reason"
check "failed checkpoint: still running with the same init" [ "$(pid_of "$ID")" = "$PID0" ]
check "failed checkpoint: counter still advancing" advancing

# ---- pre-dump, then a dump on top of it
run_cmd berth checkpoint --pre-dump --image-path "$TEST_TMP/img1" "$ID"
assert_success "checkpoint --pre-dump"
check "--pre-dump leaves it running" [ "$(container_status "$ID")" = running ]
run_cmd berth checkpoint --parent-path ../img1 --image-path "$TEST_TMP/img2" "$ID"
assert_success "checkpoint --parent-path ../img1"
C1=$(count)
run_cmd berth state "$ID"
assert_contains "$stderr" "does not exist" "checkpoint ended and deleted the container"
sleep 1
check "checkpoint: the counter stopped at $C1" [ "$(count)" = "$C1" ]
check "checkpoint: the init is gone" [ ! -e "/proc/$PID0" ]

# ---- restore into the same id
OUT2=$TEST_TMP/out2
# our stdout is a pipe (run_cmd would give it a file)
berth restore -d --image-path "$TEST_TMP/img2" --bundle "$B" "$ID" </dev/null > >(cat >"$OUT2") 2>"$TEST_TMP/restore.err"
rc=$?
check "restore -d into the same id (exit $rc: $(head -c 300 "$TEST_TMP/restore.err"))" [ "$rc" = 0 ]
check "restored: running" [ "$(container_status "$ID")" = running ]
PID1=$(pid_of "$ID")
assert_ne "$PID1" "$PID0" "restored: a new init process"
check "restored: counter advancing" advancing
check "restored: counter continued from $C1 (not restarted)" [ "$(count)" -gt "$C1" ]
first=$(head -1 "$OUT2" 2>/dev/null)
check "restored: stdout is our pipe, first line $first follows $C1" [ "${first:-0}" -gt "$C1" ]
assert_match "$(readlink "/proc/$PID1/fd/1")" '^pipe:' "restored: fd 1 is a pipe"
check "restored: init is pid 1 of its own pid namespace" \
    [ "$(awk '/^NSpid:/ {print $NF}' "/proc/$PID1/status")" = 1 ]
assert_ne "$(readlink "/proc/$PID1/ns/pid")" "$(readlink /proc/self/ns/pid)" "restored: own pid namespace"
CG=$(sed -n 's/^0:://p' "/proc/$PID1/cgroup")
assert_eq "$CG" "/berth/$ID" "restored: in the container's cgroup"
assert_eq "$(cat "/sys/fs/cgroup$CG/pids.max" 2>/dev/null)" 50 "restored: pids.max"
assert_eq "$(cat "/sys/fs/cgroup$CG/memory.max" 2>/dev/null)" 67108864 "restored: memory.max"

# ---- a second checkpoint of the restored container, restored into a new id
run_cmd berth checkpoint --image-path "$TEST_TMP/img3" "$ID"
assert_success "second checkpoint (of the restored container)"
C2=$(count)
ID2=$(new_id)
berth restore -d --image-path "$TEST_TMP/img3" --bundle "$B" "$ID2" </dev/null >/dev/null 2>"$TEST_TMP/restore2.err"
rc=$?
check "restore into a new id (exit $rc: $(head -c 300 "$TEST_TMP/restore2.err"))" [ "$rc" = 0 ]
check "second restore: counter continued from $C2" advancing
check "second restore: counter beyond $C2" [ "$(count)" -gt "$C2" ]
assert_eq "$(sed -n 's/^0:://p' "/proc/$(pid_of "$ID2")/cgroup")" "/berth/$ID2" "second restore: its own cgroup"
run_cmd berth delete -f "$ID2"
assert_success "delete the restored container"
check "delete removed its cgroup" [ ! -d "/sys/fs/cgroup/berth/$ID2" ]

# ---- prestart/createRuntime hooks run at criu's setup-namespaces
# notification, as runc: the restored tree exists and has not run yet, so
# the counter does not move while the hook looks at it twice
HB=$(make_bundle) || bail_out "make_bundle failed"
cp "$B/config.json" "$HB/config.json"
echo 0 >"$HB/rootfs/tmp/count"
HOOK='p=$(sed -n "s/.*\"pid\": *\([0-9]*\).*/\1/p"); a=$(cat '"$HB"'/rootfs/tmp/count); sleep 1; b=$(cat '"$HB"'/rootfs/tmp/count); echo "$p $a $b" >>'"$TEST_TMP"'/hook.out'
HOOK=$HOOK python3 - "$HB/config.json" <<'PY' || bail_out "cannot add the hook"
import json, os, sys
c = json.load(open(sys.argv[1]))
h = {"path": "/bin/sh", "args": ["sh", "-c", os.environ["HOOK"]]}
c["hooks"] = {"prestart": [h], "createRuntime": [h]}
json.dump(c, open(sys.argv[1], "w"))
PY
IDH=$(new_id)
run_cmd berth restore -d --image-path "$TEST_TMP/img3" --bundle "$HB" "$IDH"
assert_success "restore with prestart and createRuntime hooks"
read -r hp ha hb < <(head -1 "$TEST_TMP/hook.out" 2>/dev/null)
assert_eq "$(wc -l <"$TEST_TMP/hook.out" 2>/dev/null)" 2 "prestart and createRuntime each ran once"
assert_eq "$hp" "$(pid_of "$IDH")" "the hooks got the restored init's pid"
check "the tree did not run during the hook (count $ha, then $hb)" [ -n "$ha" -a "$ha" = "$hb" ]
check "after the hooks the restored counter runs" advancing "$HB/rootfs/tmp/count"
run_cmd berth delete -f "$IDH"
assert_success "delete"

# ---- intelRdt: criu's process joins the container's resctrl group (its
# schemata first) before it restores, so the tree is there from the start,
# as runc; against a resctrl-shaped directory (the VM has no resctrl)
R=$TEST_TMP/resctrl
mkdir -p "$R/info/L3" "$R/info/MB"
echo ok >"$R/info/last_cmd_status"
rdt() { BERTH_RESCTRL_ROOT=$R "$BERTH" --root "$BERTH_ROOT" "$@"; }
RB=$(make_bundle) || bail_out "make_bundle failed"
cp "$B/config.json" "$RB/config.json"
update_config "$RB" "c['linux']['intelRdt'] = {'l3CacheSchema': 'L3:0=f', 'enableMonitoring': True}" ||
    bail_out "update_config failed"
IDR=$(new_id)
run_cmd rdt restore -d --image-path "$TEST_TMP/img3" --bundle "$RB" "$IDR"
assert_success "restore with intelRdt"
assert_eq "$(cat "$R/$IDR/schemata" 2>&1)" "L3:0=f" "restore: the group's schemata"
rpid=$(cat "$R/$IDR/tasks" 2>/dev/null)
assert_match "$rpid" '^[0-9]+$' "restore: criu's process went into the group's tasks"
assert_eq "$(cat "$R/$IDR/mon_groups/$IDR/tasks" 2>&1)" "$rpid" "and into its monitoring group"
check "restore with intelRdt: the counter runs" advancing "$RB/rootfs/tmp/count"
run_cmd rdt delete -f "$IDR"
assert_success "delete"
assert_eq "$(ls "$R")" info "delete removed the group restore made"
# criu fails (nothing to restore): the group goes with the rest
mkdir -p "$TEST_TMP/imgempty"
IDR=$(new_id)
run_cmd rdt restore -d --image-path "$TEST_TMP/imgempty" --bundle "$RB" "$IDR"
assert_failure "restore with intelRdt from an empty image directory"
assert_eq "$(ls "$R")" info "failed restore: no resctrl group left"
check "failed restore: no state left" [ ! -e "$BERTH_ROOT/$IDR" ]

# ---- foreground restore: waits for the init like run, then deletes it
ID3=$(new_id)
berth restore --image-path "$TEST_TMP/img3" --bundle "$B" "$ID3" </dev/null >/dev/null 2>"$TEST_TMP/restore3.err" &
RPID=$!
wait_for_status "$ID3" running 30
check "foreground restore: running" [ "$(container_status "$ID3")" = running ]
berth kill "$ID3" KILL
wait $RPID
rc=$?
assert_eq "$rc" 137 "foreground restore exits with the init's status (SIGKILL)"
check "foreground restore deleted the container afterwards" [ -z "$(container_status "$ID3")" ]

# ---- a terminal container (process.terminal): the pty master goes to
# --console-socket at create, and criu's new master for the restored
# slave to restore's --console-socket (runc: orphan-pts-master), or to
# restore's own stdio in the foreground. A shell variable set through the
# first master is read back through the second: the same shell, restored.
RECEIVER=$TEST_TMP/console-receiver
gcc -std=gnu11 -O1 -Wall -o "$RECEIVER" "$SRCDIR/tests/integration/helpers/console-receiver.c" \
    >"$TEST_TMP/build.log" 2>&1 || bail_out "cannot build console-receiver: $(cat "$TEST_TMP/build.log")"
# receiver N SOCK INPUT: in the background (RECV_PID), output in recvN.out
receiver() {
    rm -f "$2"
    "$RECEIVER" "$2" "$3" 60 >"$TEST_TMP/recv$1.out" 2>"$TEST_TMP/recv$1.err" &
    RECV_PID=$!
    add_cleanup "kill $RECV_PID 2>/dev/null; wait $RECV_PID 2>/dev/null"
    wait_for test -S "$2"
}
TB=$(make_bundle) || bail_out "make_bundle failed"
update_config "$TB" '
c["process"]["terminal"] = True
c["process"]["args"] = ["sh"]
' || bail_out "update_config failed"
TID=$(new_id)
receiver 1 "$TEST_TMP/c1.sock" 'X=before-$((6*7)); echo set""-done\n' || bail_out "no receiver"
R1=$RECV_PID
run_cmd berth run -d --console-socket "$TEST_TMP/c1.sock" --bundle "$TB" "$TID"
assert_success "run -d a terminal container"
wait_for grep -q set-done "$TEST_TMP/recv1.out"
check "the shell ran the first input (set-done)" grep -q set-done "$TEST_TMP/recv1.out"
run_cmd berth checkpoint --image-path "$TEST_TMP/imgt" "$TID"
assert_success "checkpoint of a terminal container (criu needs orphan_pts_master)"
wait "$R1"
assert_eq "$?" 0 "the first master saw the pty close when the shell was checkpointed"

# refused before anything is made, as create refuses them
run_cmd berth restore -d --image-path "$TEST_TMP/imgt" --bundle "$TB" "$TID"
assert_failure "restore -d of a terminal container without --console-socket"
assert_contains "$stderr" "cannot allocate tty if berth will detach without setting console socket" \
    "runc's wording"
check "refused: no state left" [ ! -e "$BERTH_ROOT/$TID" ]
run_cmd berth restore -d --console-socket "$TEST_TMP/nobody.sock" --image-path "$TEST_TMP/imgt" \
    --bundle "$TB" "$TID"
assert_failure "restore with a console socket nobody listens on"
assert_contains "$stderr" "nobody.sock" "the error names the socket"
check "nobody listening: no state left" [ ! -e "$BERTH_ROOT/$TID" ]
check "nobody listening: no cgroup left" [ ! -e "/sys/fs/cgroup/berth/$TID" ]
run_cmd berth restore -d --console-socket "$TEST_TMP/c1.sock" --image-path "$TEST_TMP/img3" \
    --bundle "$B" "$(new_id)"
assert_failure "restore --console-socket of a container without a terminal"
assert_contains "$stderr" "cannot use console socket if berth will not allocate tty" "runc's wording"

receiver 2 "$TEST_TMP/c2.sock" 'echo got-$X; tty; exit 3\n' || bail_out "no receiver"
R2=$RECV_PID
run_cmd berth restore -d --console-socket "$TEST_TMP/c2.sock" --image-path "$TEST_TMP/imgt" \
    --bundle "$TB" "$TID"
assert_success "restore -d --console-socket of the terminal container"
wait "$R2"
rc=$?
out=$(tr -d '\r' <"$TEST_TMP/recv2.out")
assert_eq "$rc" 0 "the new master reached the socket and saw the shell exit"
assert_match "$out" $'(^|\n)got-before-42(\n|$)' "the restored shell kept its variable, read through the new master"
assert_match "$out" $'(^|\n)/dev/pts/0(\n|$)' "the restored shell's tty is pty 0 of its own devpts"
assert_contains "$(cat "$TEST_TMP/recv2.err")" "name=/dev/pts/" "pty name sent along with the fd"
wait_for_status "$TID" stopped 10
check "the restored shell exited" [ "$(container_status "$TID")" = stopped ]
run_cmd berth delete "$TID"
assert_success "delete the restored terminal container"

# the foreground: restore proxies the new master to its own stdio, as run
printf 'echo fg-$X\nexit 5\n' | berth restore --image-path "$TEST_TMP/imgt" --bundle "$TB" "$(new_id)" \
    >"$TEST_TMP/fg.out" 2>"$TEST_TMP/fg.err"
rc=$?
out=$(tr -d '\r' <"$TEST_TMP/fg.out")
assert_eq "$rc" 5 "foreground restore of a terminal container exits with the shell's status ($(head -c 300 "$TEST_TMP/fg.err"))"
assert_match "$out" $'(^|\n)fg-before-42(\n|$)' "foreground: the restored shell answered on restore's stdout"

# ---- org.criu.config (runc's and crun's annotation): criu reads that
# configuration file after berth's options, so its log-file wins; empty:
# no file at all
CB=$(make_bundle) || bail_out "make_bundle failed"
printf 'log-file conf.log\n' >"$TEST_TMP/criu.conf"
update_config "$CB" "
c['process']['args'] = ['sleep', '1000']
c['annotations'] = {'org.criu.config': '$TEST_TMP/criu.conf'}
" || bail_out "update_config failed"
CID=$(new_id)
run_cmd berth run -d --bundle "$CB" "$CID"
assert_success "run -d with org.criu.config"
run_cmd berth checkpoint --leave-running --image-path "$TEST_TMP/imgc" "$CID"
assert_success "checkpoint with org.criu.config"
check "criu took the log file of org.criu.config's file" [ -s "$TEST_TMP/imgc/conf.log" ]
check "and not berth's" [ ! -e "$TEST_TMP/imgc/dump.log" ]
berth delete -f "$CID" >/dev/null 2>&1
update_config "$CB" "c['annotations'] = {'org.criu.config': ''}" || bail_out "update_config failed"
run_cmd berth run -d --bundle "$CB" "$CID"
run_cmd berth checkpoint --leave-running --image-path "$TEST_TMP/imgc2" "$CID"
assert_success "checkpoint with an empty org.criu.config"
check "an empty org.criu.config: no file, berth's log" [ -s "$TEST_TMP/imgc2/dump.log" ]
run_cmd berth delete -f "$CID"
assert_success "delete"

done_testing
