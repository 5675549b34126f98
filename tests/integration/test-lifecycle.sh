#!/bin/bash
# test-lifecycle.sh: `berth create` / `start` / `run` end to end, asserting
# what the container process really gets (read inside with the checker and
# outside through /proc): namespaces, ids, caps, rlimits, env, fds, user and
# time namespaces, sysctl, keyring; plus run's exit status, signal
# forwarding, --detach, --keep, and 50 containers in parallel.
. "$(dirname "$0")/lib.sh"

require_root
require_cmd python3 nsenter chrt ionice

B=$(make_bundle) || bail_out "cannot make a bundle"
cp "$B/config.json" "$TEST_TMP/config.orig"
reset() {
    cp "$TEST_TMP/config.orig" "$B/config.json"
}
host_ns() { stat -L -c %i "/proc/self/ns/$1"; }

# ---- create, then start: the container is set up before start -----------
reset
set_args "$B" /bin/checker pid hostname ns
id=$(new_id)
snapshot_host
berth create --bundle "$B" --pid-file "$TEST_TMP/c.pid" "$id" >"$TEST_TMP/c.out" 2>"$TEST_TMP/c.err"
assert_eq "$?" 0 "create exits 0"
assert_eq "$(container_status "$id")" created "status is created"
pid=$(json_get "$(berth state "$id")" 'j["pid"]')
assert_eq "$(cat "$TEST_TMP/c.pid")" "$pid" "pid file holds the state pid"
check "before start the init has not exec'd the user program (its executable is berth)" \
    cmp -s "/proc/$pid/exe" "$BERTH"
assert_ne "$(stat -L -c %d:%i "/proc/$pid/exe")" "$(stat -L -c %d:%i "$BERTH")" \
    "the init runs berth from the sealed handle, not the host's file (CVE-2019-5736)"
assert_ne "$(stat -L -c %i "/proc/$pid/ns/pid")" "$(host_ns pid)" "own pid namespace (host view)"
assert_ne "$(stat -L -c %i "/proc/$pid/ns/mnt")" "$(host_ns mnt)" "own mount namespace (host view)"
assert_ne "$(stat -L -c %i "/proc/$pid/ns/net")" "$(host_ns net)" "own network namespace (host view)"
assert_eq "$(stat -L -c %i "/proc/$pid/ns/user")" "$(host_ns user)" "no user namespace unless asked"
check "start exits 0" berth start "$id"
wait_for_status "$id" stopped
out=$(cat "$TEST_TMP/c.out")
assert_eq "$(kv pid "$out")" 1 "the process is pid 1 of its pid namespace"
assert_eq "$(kv hostname "$out")" "$(config_get "$B" 'c["hostname"]')" "hostname from config.json"
assert_ne "$(kv ns.uts "$out")" "$(host_ns uts)" "own UTS namespace (inside view)"
assert_eq "$(kv ns.cgroup "$out")" "$(host_ns cgroup)" "cgroup namespace inherited when not listed"
check "delete exits 0" berth delete "$id"
assert_host_unchanged "create/start/delete leaves nothing behind"

# ---- process attributes as root ------------------------------------------
reset
update_config "$B" '
p = c["process"]
caps = ["CAP_KILL", "CAP_NET_BIND_SERVICE"]
p["capabilities"] = {k: list(caps) for k in ["bounding", "effective", "permitted", "inheritable", "ambient"]}
p["capabilities"]["effective"].append("CAP_BOGUS_NAME")
p["rlimits"] = [{"type": "RLIMIT_NOFILE", "soft": 256, "hard": 512}, {"type": "RLIMIT_CORE", "soft": 0, "hard": 0}]
p["noNewPrivileges"] = True
p["oomScoreAdj"] = 123
p["env"] = ["PATH=/bin", "FOO=bar baz"]
c["domainname"] = "example.test"
'
set_args "$B" /bin/checker all
id=$(new_id)
run_cmd berth run --bundle "$B" "$id"
assert_success "run as root exits 0"
assert_contains "$stderr" "CAP_BOGUS_NAME" "unknown capability is a warning"
assert_eq "$(kv CapBnd)" 0000000000000420 "bounding set is exactly KILL+NET_BIND_SERVICE"
assert_eq "$(kv CapEff)" 0000000000000420 "effective set"
assert_eq "$(kv CapPrm)" 0000000000000420 "permitted set"
assert_eq "$(kv CapInh)" 0000000000000420 "inheritable set"
assert_eq "$(kv CapAmb)" 0000000000000420 "ambient set"
assert_eq "$(kv rlimit.RLIMIT_NOFILE)" "256 512" "RLIMIT_NOFILE soft/hard"
assert_eq "$(kv rlimit.RLIMIT_CORE)" "0 0" "RLIMIT_CORE soft/hard"
assert_eq "$(kv NoNewPrivs)" 1 "no_new_privs set"
assert_eq "$(kv oom_score_adj)" 123 "oom_score_adj from oomScoreAdj"
assert_eq "$(kv env.FOO)" "bar baz" "env from process.env"
assert_eq "$(kv env.HOME)" /root "HOME from the container's /etc/passwd"
assert_eq "$(kv domainname)" example.test "domainname"
assert_eq "$(kv fds)" "" "no fd of the host leaks into the container"

# ---- personality, scheduler, ioPriority (host view of a created init) -----
reset
update_config "$B" '
c["linux"]["personality"] = {"domain": "LINUX32"}
c["process"]["scheduler"] = {"policy": "SCHED_BATCH", "nice": 5}
c["process"]["ioPriority"] = {"class": "IOPRIO_CLASS_IDLE", "priority": 0}
'
set_args "$B" /bin/uname -m
id=$(new_id)
berth create --bundle "$B" --pid-file "$TEST_TMP/p.pid" "$id" >"$TEST_TMP/p.out" 2>"$TEST_TMP/p.err"
pid=$(cat "$TEST_TMP/p.pid")
assert_contains "$(chrt -p "$pid")" "SCHED_BATCH" "scheduler policy SCHED_BATCH"
assert_eq "$(awk '{print $19}' "/proc/$pid/stat")" 5 "scheduler nice 5"
assert_contains "$(ionice -p "$pid")" "idle" "ioPriority class idle"
berth start "$id" >/dev/null 2>&1
wait_for_status "$id" stopped
assert_match "$(head -n1 "$TEST_TMP/p.out")" '^i[3-6]86$' "personality LINUX32: uname -m is 32-bit"
berth delete "$id" >/dev/null 2>&1

# ---- oomScoreAdj absent: untouched ----------------------------------------
reset
set_args "$B" /bin/checker oom nnp
id=$(new_id)
run_cmd berth run --bundle "$B" "$id"
assert_eq "$(kv oom_score_adj)" "$(cat /proc/self/oom_score_adj)" \
    "without oomScoreAdj the value is inherited, not changed"

# ---- a non-root user --------------------------------------------------------
reset
update_config "$B" '
p = c["process"]
p["user"] = {"uid": 1000, "gid": 1001, "additionalGids": [5, 6], "umask": 63}
p["cwd"] = "/tmp"
caps = ["CAP_NET_BIND_SERVICE"]
p["capabilities"] = {k: list(caps) for k in ["bounding", "effective", "permitted", "inheritable", "ambient"]}
'
set_args "$B" /bin/checker ids cwd caps env
id=$(new_id)
run_cmd berth run --bundle "$B" "$id"
assert_success "run as uid 1000 exits 0"
assert_eq "$(kv uid):$(kv euid):$(kv gid):$(kv egid)" 1000:1000:1001:1001 "uid and gid"
assert_eq "$(kv groups)" 5,6 "additionalGids"
assert_eq "$(kv umask)" 0077 "umask"
assert_eq "$(kv cwd)" /tmp "cwd"
assert_eq "$(kv CapAmb)" 0000000000000400 "ambient capability survives the uid switch"
assert_eq "$(kv CapEff)" 0000000000000400 "effective set of a non-root user via ambient"
assert_eq "$(kv env.HOME)" / "HOME is / for a uid without passwd entry"

# ---- user namespace + time namespace (two-stage launch) -------------------
reset
update_config "$B" '
l = c["linux"]
l["namespaces"] += [{"type": "user"}, {"type": "time"}]
l["uidMappings"] = [{"containerID": 0, "hostID": 200000, "size": 65536}]
l["gidMappings"] = [{"containerID": 0, "hostID": 200000, "size": 65536}]
l["timeOffsets"] = {"boottime": {"secs": 1000000, "nanosecs": 0}, "monotonic": {"secs": 7, "nanosecs": 5}}
c["root"]["readonly"] = False
'
set_args "$B" /bin/sh -c 'cat /proc/uptime; /bin/checker ids'
id=$(new_id)
berth create --bundle "$B" --pid-file "$TEST_TMP/u.pid" "$id" >"$TEST_TMP/u.out" 2>"$TEST_TMP/u.err"
assert_eq "$?" 0 "create with user+time namespaces exits 0"
pid=$(cat "$TEST_TMP/u.pid")
assert_eq "$(awk '{print $1, $2, $3}' "/proc/$pid/uid_map")" "0 200000 65536" "uid_map written"
assert_eq "$(awk '{print $1, $2, $3}' "/proc/$pid/gid_map")" "0 200000 65536" "gid_map written"
assert_eq "$(stat -c %u "/proc/$pid")" 200000 "init runs as the mapped host uid"
assert_eq "$(awk '$1 == "monotonic" {print $2, $3}' "/proc/$pid/timens_offsets")" "7 5" \
    "monotonic offset of the time namespace"
assert_ne "$(stat -L -c %i "/proc/$pid/ns/time")" "$(host_ns time)" "own time namespace"
assert_eq "$(stat -c %u "$BERTH_ROOT/$id/exec.fifo")" 200000 "exec.fifo belongs to the container root"
check "start (userns) exits 0" berth start "$id"
wait_for_status "$id" stopped
out=$(cat "$TEST_TMP/u.out")
uptime=$(head -n1 <<<"$out" | cut -d. -f1)
if [ "${uptime:-0}" -ge 1000000 ]; then ok "boottime offset visible in /proc/uptime ($uptime)"; else
    not_ok "boottime offset visible in /proc/uptime" "got: $out"; fi
assert_eq "$(kv uid "$out")" 0 "root inside the user namespace"
check "delete (userns)" berth delete "$id"

# ---- sysctl ----------------------------------------------------------------------
reset
update_config "$B" 'c["linux"]["sysctl"] = {"net.ipv4.ip_forward": "1", "net.ipv4.tcp_syncookies": "0"}'
set_args "$B" /bin/sh -c 'cat /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv4/tcp_syncookies'
host_fwd=$(cat /proc/sys/net/ipv4/ip_forward)
id=$(new_id)
run_cmd berth run --bundle "$B" "$id"
assert_success "run with sysctl exits 0"
assert_eq "${lines[0]}:${lines[1]}" "1:0" "sysctl values set in the container's network namespace"
assert_eq "$(cat /proc/sys/net/ipv4/ip_forward)" "$host_fwd" "host sysctl unchanged"

# user.* sysctls are the ucounts of the container's user namespace (runc >= 1.4)
reset
update_config "$B" 'c["linux"]["sysctl"] = {"user.max_user_namespaces": "7"}'
set_args "$B" /bin/cat /proc/sys/user/max_user_namespaces
host_userns=$(cat /proc/sys/user/max_user_namespaces)
run_cmd berth run --bundle "$B" "$(new_id)"
assert_failure "user.* sysctl without a user namespace is refused"
assert_contains "$stderr" 'sysctl "user.max_user_namespaces" needs a user namespace' "... naming the key and the namespace"
update_config "$B" '
l = c["linux"]
l["namespaces"].append({"type": "user"})
l["uidMappings"] = [{"containerID": 0, "hostID": 200000, "size": 65536}]
l["gidMappings"] = [{"containerID": 0, "hostID": 200000, "size": 65536}]
'
run_cmd berth run --bundle "$B" "$(new_id)"
assert_success "run with a user.* sysctl in a user namespace"
assert_eq "$output" 7 "user.max_user_namespaces set in the container's user namespace"
assert_eq "$(cat /proc/sys/user/max_user_namespaces)" "$host_userns" "the host's ucounts unchanged"

# ---- session keyring (seen from the host: the config masks /proc/keys) -------
reset
id=$(new_id)
berth create --bundle "$B" "$id" >/dev/null 2>&1
assert_contains "$(cat /proc/keys)" "_ses.$id" "a new session keyring named after the id"
berth delete --force "$id" >/dev/null 2>&1
id=$(new_id)
berth create --no-new-keyring --bundle "$B" "$id" >/dev/null 2>&1
assert_eq "$(container_status "$id")" created "create --no-new-keyring works"
assert_not_contains "$(cat /proc/keys)" "_ses.$id" "--no-new-keyring makes no keyring"
berth delete --force "$id" >/dev/null 2>&1

# ---- preserve-fds and socket activation ---------------------------------------
reset
set_args "$B" /bin/checker fds env
id=$(new_id)
exec 7<"$B/config.json"
run_cmd sh -c 'exec 3</etc/hostname 4</etc/passwd 5</etc/group; exec "$@"' sh \
    "$BERTH" --root "$BERTH_ROOT" run --preserve-fds 2 --bundle "$B" "$id"
exec 7<&-
assert_success "run --preserve-fds 2 exits 0"
assert_eq "$(kv fds)" 3,4 "fds 3 and 4 passed, 5 and 7 not"
assert_eq "$(kv fd.4)" /etc/passwd "fd 4 is the caller's fd"
id=$(new_id)
run_cmd sh -c 'exec 3</etc/hostname 4</etc/passwd; export LISTEN_FDS=1 LISTEN_PID=$$; exec "$@"' sh \
    "$BERTH" --root "$BERTH_ROOT" run --preserve-fds 1 --bundle "$B" "$id"
assert_success "run with LISTEN_FDS exits 0"
assert_eq "$(kv fds)" 3,4 "LISTEN_FDS fds come first, then --preserve-fds"
assert_eq "$(kv env.LISTEN_FDS):$(kv env.LISTEN_PID)" 1:1 "LISTEN_FDS and LISTEN_PID (the container pid)"

# ---- joining namespaces by path ----------------------------------------------
reset
set_args "$B" /bin/checker sleep 30
a=$(new_id)
berth run --detach --pid-file "$TEST_TMP/a.pid" --bundle "$B" "$a" >/dev/null 2>&1
apid=$(cat "$TEST_TMP/a.pid")
update_config "$B" "
c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] not in ('network', 'uts')]
c['linux']['namespaces'] += [{'type': 'network', 'path': '/proc/$apid/ns/net'}, {'type': 'uts', 'path': '/proc/$apid/ns/uts'}]
del c['hostname']
"
set_args "$B" /bin/checker pid ns hostname
id=$(new_id)
run_cmd berth run --bundle "$B" "$id"
assert_success "run joining network+uts by path exits 0"
assert_eq "$(kv ns.net)" "$(stat -L -c %i "/proc/$apid/ns/net")" "joined the network namespace"
assert_eq "$(kv ns.uts)" "$(stat -L -c %i "/proc/$apid/ns/uts")" "joined the UTS namespace"
assert_ne "$(kv ns.pid)" "$(stat -L -c %i "/proc/$apid/ns/pid")" "still a new pid namespace"
assert_eq "$(kv pid)" 1 "pid 1 in the new pid namespace (two-stage launch)"
berth kill "$a" KILL >/dev/null 2>&1
wait_for_status "$a" stopped
berth delete "$a" >/dev/null 2>&1

# joining a user namespace (and the network one it owns) by path, with new
# pid/mount namespaces that must belong to the joined user namespace
reset
update_config "$B" '
l = c["linux"]
l["namespaces"].append({"type": "user"})
l["uidMappings"] = [{"containerID": 0, "hostID": 300000, "size": 65536}]
l["gidMappings"] = [{"containerID": 0, "hostID": 300000, "size": 65536}]
'
set_args "$B" /bin/checker sleep 30
a=$(new_id)
berth run --detach --pid-file "$TEST_TMP/ua.pid" --bundle "$B" "$a" >/dev/null 2>&1
apid=$(cat "$TEST_TMP/ua.pid")
update_config "$B" "
l = c['linux']
l['namespaces'] = [n for n in l['namespaces'] if n['type'] not in ('user', 'network')]
l['namespaces'] += [{'type': 'user', 'path': '/proc/$apid/ns/user'}, {'type': 'network', 'path': '/proc/$apid/ns/net'}]
del l['uidMappings'], l['gidMappings']
"
set_args "$B" /bin/checker pid ids ns
id=$(new_id)
run_cmd berth run --bundle "$B" "$id"
assert_success "run joining a user namespace by path exits 0"
assert_eq "$(kv ns.user)" "$(stat -L -c %i "/proc/$apid/ns/user")" "joined the user namespace"
assert_eq "$(kv uid)" 0 "root of the joined user namespace"
assert_eq "$(kv pid)" 1 "new pid namespace under the joined user namespace (procfs mounted)"
berth kill "$a" KILL >/dev/null 2>&1
wait_for_status "$a" stopped
berth delete "$a" >/dev/null 2>&1

# ---- run: exit status, signals, --detach, --keep --------------------------------
reset
set_args "$B" /bin/sh -c 'exit 3'
id=$(new_id)
snapshot_host
run_cmd berth run --bundle "$B" "$id"
assert_status 3 "run returns the exit status of the process"
assert_eq "$(container_status "$id")" "" "run deletes the container afterwards"
assert_host_unchanged "run leaves nothing behind"

set_args "$B" /bin/checker signal-wait 1
id=$(new_id)
"$BERTH" --root "$BERTH_ROOT" run --pid-file "$TEST_TMP/k.pid" --bundle "$B" "$id" \
    </dev/null >"$TEST_TMP/k.out" 2>&1 &
rpid=$!
wait_for grep -q ready=1 "$TEST_TMP/k.out"
kill -KILL "$(cat "$TEST_TMP/k.pid")"
wait $rpid
assert_eq "$?" 137 "killed by SIGKILL: run exits 137"

id=$(new_id)
"$BERTH" --root "$BERTH_ROOT" run --bundle "$B" "$id" </dev/null >"$TEST_TMP/s.out" 2>&1 &
rpid=$!
wait_for grep -q ready=1 "$TEST_TMP/s.out"
kill -USR1 $rpid
wait $rpid
rc=$?
assert_contains "$(cat "$TEST_TMP/s.out")" "signal.name=USR1" "SIGUSR1 sent to berth run reaches the process"
assert_eq "$rc" 0 "run exits with the process' status after forwarding"

set_args "$B" /bin/checker sleep 30
id=$(new_id)
run_cmd berth run --detach --bundle "$B" "$id"
assert_success "run --detach exits 0 at once"
assert_eq "$(container_status "$id")" running "detached container is running"
berth kill "$id" KILL >/dev/null 2>&1
wait_for_status "$id" stopped
check "delete the detached container" berth delete "$id"

set_args "$B" /bin/true
id=$(new_id)
run_cmd berth run --keep --bundle "$B" "$id"
assert_success "run --keep exits 0"
assert_eq "$(container_status "$id")" stopped "--keep keeps the stopped container"
check "delete the kept container" berth delete "$id"

# ---- 50 containers in parallel ---------------------------------------------------
reset
set_args "$B" /bin/true
snapshot_host
: >"$TEST_TMP/par.ok"
par_ids=()
for i in $(seq 50); do par_ids[i]=$(new_id); done # new_id is not parallel-safe
for i in $(seq 50); do
    (
        pid=${par_ids[i]}
        berth create --bundle "$B" "$pid" >/dev/null 2>"$TEST_TMP/par.$i.err" &&
            berth start "$pid" 2>>"$TEST_TMP/par.$i.err" &&
            wait_for_status "$pid" stopped &&
            berth delete "$pid" 2>>"$TEST_TMP/par.$i.err" &&
            echo "$i" >>"$TEST_TMP/par.ok"
    ) &
done
wait
n=$(wc -l <"$TEST_TMP/par.ok")
if [ "$n" -eq 50 ]; then ok "50 parallel create/start/delete all succeed"; else
    not_ok "50 parallel create/start/delete all succeed" "only $n did" \
        "$(cat "$TEST_TMP"/par.*.err 2>/dev/null | sort | uniq -c | head)"
fi
assert_host_unchanged "50 parallel containers leave nothing behind"

# kill KILL of a container sharing the host's pid namespace reaches every
# process of its cgroup (runc >= 1.2): its init dying would not take the
# rest along, as the init of a pid namespace does.
SB=$(make_bundle) || bail_out "cannot make a bundle"
update_config "$SB" 'c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "pid"]'
set_args "$SB" sh -c 'sleep 1000 & exec sleep 999'
sid=$(new_id)
run_cmd berth run -d --bundle "$SB" "$sid"
assert_success "run -d without a pid namespace"
wait_for bash -c "'$BERTH' --root '$BERTH_ROOT' ps --format json '$sid' | grep -q ,"
spids=$(berth ps --format json "$sid" | tr -d '[] ' | tr , ' ')
assert_eq "$(wc -w <<<"$spids")" 2 "the init and its background child are in the cgroup"
run_cmd berth kill "$sid" KILL
assert_success "kill KILL"
gone() { for p in $spids; do case "$(awk '{print $3}' /proc/$p/stat 2>/dev/null)" in '' | Z | X) ;; *) return 1 ;; esac; done; }
wait_for gone && r=yes || r=no
assert_eq "$r" yes "kill KILL without a pid namespace: every process of the cgroup is gone, not just the init"
berth delete -f "$sid" >/dev/null 2>&1
assert_host_unchanged "the shared-pid-namespace container leaves nothing behind"

# --pidfd-socket on create and run (runc >= 1.2, pidfd-socket.bats): the
# engine gets a pidfd of the init, labelled "standard" as runc's, and can
# signal the container through it.
pidfd_listener() { # pidfd_listener SOCKET SIGNAL: prints "TEXT PID", then signals through the fd
    "$PYTHON" - "$1" "$2" >"$TEST_TMP/pidfd.out" 2>&1 <<'PY' &
import os, signal, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(1)
s.settimeout(20)  # berth failed before it connected: the test goes on
c, _ = s.accept()
msg, fds, _, _ = socket.recv_fds(c, 64, 1)
with open(f"/proc/self/fdinfo/{fds[0]}") as f:
    pid = [l.split()[1] for l in f if l.startswith("Pid:")][0]
print(msg.rstrip(b"\0").decode(), pid, flush=True)
# Like runc's pidfd-kill: the signal once the command returned (a kill
# while run still sets up would fail run, as with runc).
for _ in range(200):
    if os.path.exists(sys.argv[1] + ".go"):
        break
    time.sleep(0.05)
signal.pidfd_send_signal(fds[0], getattr(signal, sys.argv[2]))
PY
    py=$!
    wait_for test -S "$1"
}
PB=$(make_bundle) || bail_out "cannot make a bundle"
set_args "$PB" sleep 1000
snapshot_host pidfd
for cmd in create run; do
    rm -f "$TEST_TMP/pidfd.sock" "$TEST_TMP/pidfd.sock.go"
    pidfd_listener "$TEST_TMP/pidfd.sock" SIGKILL
    pid_id=$(new_id)
    if [ $cmd = run ]; then
        run_cmd berth run -d --pidfd-socket "$TEST_TMP/pidfd.sock" --pid-file "$TEST_TMP/pidfd.pid" --bundle "$PB" "$pid_id"
    else
        run_cmd berth create --pidfd-socket "$TEST_TMP/pidfd.sock" --pid-file "$TEST_TMP/pidfd.pid" --bundle "$PB" "$pid_id"
    fi
    assert_success "$cmd --pidfd-socket"
    [ "$status" = 0 ] || kill $py
    touch "$TEST_TMP/pidfd.sock.go"
    wait $py
    assert_eq "$(cat "$TEST_TMP/pidfd.out")" "standard $(cat "$TEST_TMP/pidfd.pid")" \
        "$cmd: the engine got a pidfd of the init, labelled \"standard\""
    wait_for_status "$pid_id" stopped
    assert_eq "$(container_status "$pid_id")" stopped "$cmd: SIGKILL through the pidfd stopped the container"
    berth delete -f "$pid_id" >/dev/null 2>&1
done
rm -f "$TEST_TMP/pidfd.sock"
pid_id=$(new_id)
run_cmd berth create --pidfd-socket "$TEST_TMP/pidfd.sock" --bundle "$PB" "$pid_id"
assert_failure "create --pidfd-socket with nobody listening fails"
assert_contains "$stderr" "pidfd socket \`$TEST_TMP/pidfd.sock\`" "the error names the socket"
assert_host_unchanged "--pidfd-socket failures leave nothing behind" pidfd

done_testing
