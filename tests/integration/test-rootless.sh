#!/bin/bash
# test-rootless.sh: berth as an unprivileged user (issue 20), as runc runs
# it: a user this script creates (useradd, a range of its own in
# /etc/subuid and /etc/subgid), `berth spec --rootless`, the state under
# $XDG_RUNTIME_DIR/berth, no cgroup where the user may create none (and a
# clear error when the config asks for limits), ids mapped through
# newuidmap/newgidmap, a second user kept out.
#
# Real outcomes: the process's uid_map, owners of files on the host, the
# state root's mode and owner, the pids `ps` lists, nothing left behind.
. "$(dirname "$0")/lib.sh"

require_root
require_cmd useradd userdel runuser newuidmap newgidmap

U=brl$$
U2=brl2$$
SUB=600000 # the test user's subordinate ids: 600000-665535
useradd -m -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 -s /bin/sh "$U" ||
    bail_out "useradd $U"
add_cleanup "userdel -r $U"
useradd -m -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 -s /bin/sh "$U2" ||
    bail_out "useradd $U2"
add_cleanup "userdel -r $U2"
usermod --add-subuids $SUB-$((SUB + 65535)) --add-subgids $SUB-$((SUB + 65535)) "$U" ||
    bail_out "usermod --add-subuids"
UID1=$(id -u "$U")
GID1=$(id -g "$U")
H=$(getent passwd "$U" | cut -d: -f6)
H2=$(getent passwd "$U2" | cut -d: -f6)
XDG=$H/run
install -d -o "$U" -g "$U" -m 0700 "$XDG"
# the binary where the user can run it (the build tree may be private)
install -m 0755 "$BERTH" "$H/berth"

# as_user [USER [XDG]] -- ARGS: berth as that user, with a clean
# environment as a login session has it
as() {
    local user=$1 xdg=$2 home
    shift 2
    home=$(getent passwd "$user" | cut -d: -f6)
    timeout -k 5 "$BERTH_TEST_TIMEOUT" runuser -u "$user" -- env -i PATH=/usr/bin:/bin \
        HOME="$home" USER="$user" ${xdg:+XDG_RUNTIME_DIR=$xdg} "$H/berth" "$@"
}
as_user() { as "$U" "$XDG" "$@"; }
# the user's containers are force-deleted at the end, whatever failed
add_cleanup 'for d in "$XDG"/berth/*; do [ -d "$d" ] && as_user delete -f "${d##*/}"; done'

B=$H/bundle
make_bundle "$B" >/dev/null || bail_out "make_bundle"
rm -f "$B/config.json"
chown -R "$U:$U" "$B"
( cd "$B" && as_user spec --rootless ) || bail_out "berth spec --rootless as $U"
config() { # PYTHON: edits the user's config.json
    update_config "$B" "$1" && chown "$U:$U" "$B/config.json"
}
config 'c["process"]["terminal"] = False
c["process"]["args"] = ["sh", "-c", "cat /proc/self/uid_map; id -u"]' || bail_out "config"

snapshot_host

# ---- run: the user's own id mapped, no cgroup, state under XDG -----------
run_cmd as_user run --bundle "$B" r1
assert_success "berth run as an unprivileged user"
assert_match "$output" "^ +0 +$UID1 +1" "the container's root is the user's uid ($UID1) on the host"
assert_contains "$output" $'\n0' "... and root inside"
run_cmd stat -c '%U %a' "$XDG/berth"
assert_eq "$output" "$U 1700" "the state root is \$XDG_RUNTIME_DIR/berth, the user's, 0700 with the sticky bit"
check "run left no state behind" [ -z "$(ls -A "$XDG/berth")" ]

# ---- the lifecycle -------------------------------------------------------
config 'c["process"]["args"] = ["sleep", "300"]'
run_cmd as_user create --bundle "$B" c1
assert_success "create"
run_cmd as_user start c1
assert_success "start"
assert_eq "$(json_get "$(as_user state c1)" 'j["status"]')" running "state: running"
state_json=$(cat "$XDG/berth/c1/state.json")
assert_eq "$(json_get "$state_json" '"cgroup" in j')" false \
    "no cgroup recorded: the user may create none here"
PID=$(json_get "$(as_user state c1)" 'j["pid"]')
assert_eq "$(stat -c %U "/proc/$PID")" "$U" "the init runs as the user on the host"
assert_eq "$(awk '/^Cpus_allowed_list/ {print $2}' "/proc/$PID/status" 2>/dev/null | wc -l)" 1 \
    "the init is alive"
check "the init stays in the caller's cgroups (none of berth's)" \
    sh -c "! grep -q '/berth/' /proc/$PID/cgroup"
run_cmd as_user exec c1 id -u
assert_success "exec"
assert_eq "$output" 0 "exec runs as the container's root"
as_user exec -d c1 sleep 200 >/dev/null 2>&1
run_cmd as_user ps --format json c1
assert_success "ps without a cgroup"
assert_eq "$(json_get "$output" 'len(j)')" 2 "ps lists the init and the exec'd process (its pid namespace)"
assert_contains "$output" "$PID" "... the init among them"
run_cmd as_user pause c1
assert_failure "pause without a cgroup fails"
assert_contains "$stderr" "has no cgroup" "... saying the container has no cgroup"
assert_contains "$stderr" "linux.cgroupsPath" "... and how to give it one"
run_cmd as_user list
assert_contains "$output" "c1" "list shows the user's container"

# ---- another user sees nothing and touches nothing ----------------------
run_cmd as "$U2" "$H2/run" list
assert_not_contains "$output" "c1" "a second user's list does not show it"
run_cmd as "$U2" "" --root "$XDG/berth" kill c1 KILL
assert_failure "a second user cannot kill it through the first user's root"
assert_contains "$stderr" "Permission denied" "... denied by the state root's mode"
run_cmd as "$U2" "" --root "$XDG/berth" delete -f c1
assert_failure "... nor delete it"
assert_eq "$(json_get "$(as_user state c1)" 'j["status"]')" running "it still runs"

run_cmd as_user kill c1 KILL
assert_success "kill"
wait_for "c1 stopped" sh -c "[ \"\$(json_get \"\$(as_user state c1 2>/dev/null)\" 'j[\"status\"]' 2>/dev/null)\" = stopped ]" 2>/dev/null ||
    sleep 1
run_cmd as_user delete c1
assert_success "delete"
check "the container's processes are gone" [ ! -e "/proc/$PID" ]

# ---- limits without a cgroup: refused, nothing left -------------------------
config 'c["process"]["args"] = ["true"]
c["linux"]["resources"] = {"pids": {"limit": 20}}'
run_cmd as_user run --bundle "$B" lim
assert_failure "a pids limit without a cgroup the user may create fails"
assert_contains "$stderr" "linux.resources.pids.limit" "... naming the field"
assert_contains "$stderr" "delegate a cgroup" "... and the way out"
check "... leaving no state" [ ! -e "$XDG/berth/lim" ]
config 'del c["linux"]["resources"]'
# no user namespace: runc's error, before anything exists
config 'c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "user"]
saved = (c["linux"].pop("uidMappings"), c["linux"].pop("gidMappings"))'
run_cmd as_user run --bundle "$B" nouserns
assert_failure "a config without a user namespace fails for an unprivileged user"
assert_contains "$stderr" "rootless container requires user namespaces" "... with runc's words"
check "... leaving no state" [ ! -e "$XDG/berth/nouserns" ]
( cd "$B" && rm -f config.json && as_user spec --rootless ) || bail_out "berth spec --rootless again"
config 'c["process"]["terminal"] = False
c["process"]["args"] = ["true"]'
# --rootless=false: berth does not drop a cgroup it may not make
run_cmd as_user --rootless=false run --bundle "$B" rf
assert_failure "--rootless=false: the cgroup is required"
assert_contains "$stderr" "Permission denied" "... and the permission error is the error"

# ---- what needs the host's privilege degrades as runc's rootless mode ------
# sysfs without a network namespace: the host's /sys bound (a fresh sysfs is
# tied to the netns owner); with one of the user's: a fresh sysfs; and that
# network namespace has no host device, only lo
cp "$B/config.json" "$TEST_TMP/config.saved"
config 'c["mounts"] = [m for m in c["mounts"] if m["destination"] != "/sys"] + [
    {"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"]}]
c["process"]["args"] = ["sh", "-c", "test -d /sys/kernel && echo sys-ok; cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d \" \" | tr \"\\n\" \" \""]'
run_cmd as_user run --bundle "$B" sys1
assert_success "a sysfs mount without a network namespace (bound from the host)"
assert_contains "$output" sys-ok "... /sys is there"
config 'c["linux"]["namespaces"].append({"type": "network"})'
run_cmd as_user run --bundle "$B" sys2
assert_success "a sysfs mount with a network namespace of the user's"
assert_contains "$output" sys-ok "... /sys is there"
assert_eq "$(tail -n 1 <<<"$output" | xargs)" lo "... and the network namespace has only lo"
cp "$TEST_TMP/config.saved" "$B/config.json"

# ---- oomScoreAdj: raising works, lowering says why it cannot ---------------
config 'c["process"]["args"] = ["cat", "/proc/self/oom_score_adj"]
c["process"]["oomScoreAdj"] = 300'
run_cmd as_user run --bundle "$B" oom1
assert_success "oomScoreAdj above the caller's"
assert_eq "$output" 300 "... is the process's oom_score_adj"
config 'c["process"]["oomScoreAdj"] = -100'
run_cmd as_user run --bundle "$B" oom2
assert_failure "oomScoreAdj below the caller's fails"
assert_contains "$stderr" "CAP_SYS_RESOURCE" "... saying what it needs"
check "... leaving no state" [ ! -e "$XDG/berth/oom2" ]
config 'del c["process"]["oomScoreAdj"]'

# ---- more ids through newuidmap/newgidmap ---------------------------------
config 'c["linux"]["uidMappings"] = [{"containerID": 0, "hostID": '"$UID1"', "size": 1},
    {"containerID": 1, "hostID": '$SUB', "size": 65536}]
c["linux"]["gidMappings"] = [{"containerID": 0, "hostID": '"$GID1"', "size": 1},
    {"containerID": 1, "hostID": '$SUB', "size": 65536}]
c["root"]["readonly"] = False
c["process"]["capabilities"]["bounding"] += ["CAP_CHOWN"]
c["process"]["capabilities"]["effective"] += ["CAP_CHOWN"]
c["process"]["capabilities"]["permitted"] += ["CAP_CHOWN"]
c["process"]["args"] = ["sh", "-c", "cat /proc/self/uid_map; touch /tmp/owned && chown 1000:1000 /tmp/owned; touch /tmp/root"]'
run_cmd as_user run --bundle "$B" m1
assert_success "run with the user's subordinate ids mapped (newuidmap)"
assert_match "$output" "1 +$SUB +65536" "uid_map has the /etc/subuid range"
assert_eq "$(stat -c '%u:%g' "$B/rootfs/tmp/owned" 2>/dev/null)" "$((SUB + 999)):$((SUB + 999))" \
    "a file chowned to 1000:1000 inside is owned by the mapped ids on the host"
assert_eq "$(stat -c '%u:%g' "$B/rootfs/tmp/root" 2>/dev/null)" "$UID1:$GID1" \
    "a file root made inside is the user's on the host"
rm -f "$B/rootfs/tmp/owned" "$B/rootfs/tmp/root"
# a range beyond what /etc/subuid grants
config 'c["linux"]["uidMappings"][1]["hostID"] = 900000'
run_cmd as_user run --bundle "$B" m2
assert_failure "a range the user was not granted is refused"
assert_contains "$stderr" "newuidmap" "... by newuidmap"
assert_contains "$stderr" "/etc/subuid" "... naming /etc/subuid"
check "... leaving no state" [ ! -e "$XDG/berth/m2" ]

# ---- no XDG_RUNTIME_DIR: a clear error, or --root ---------------------------
run_cmd as "$U" "" list
assert_failure "without XDG_RUNTIME_DIR the default root is root's"
assert_contains "$stderr" "set XDG_RUNTIME_DIR" "... and the error says what to do"
run_cmd as "$U" "" --root "$H/state" list
assert_success "--root of the user's own works without XDG_RUNTIME_DIR"
# an XDG state root that is not the user's own is refused
install -d -o root -m 0755 "$H/run2" "$H/run2/berth"
run_cmd as "$U" "$H/run2" list
assert_failure "a state root owned by someone else is refused"
assert_contains "$stderr" "not a directory owned by uid $UID1" "... saying why"

assert_host_unchanged "nothing left on the host"
done_testing
