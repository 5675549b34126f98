#!/bin/bash
# test-rootless.sh: rootless berth on a pure cgroup v2 host with a delegated
# subtree (issue 20), run inside the cgroup2 VM (run-rootless.sh). A uid
# with no passwd entry (setpriv) owns /sys/fs/cgroup/<deleg> the way systemd
# delegates user@UID.service: the directory and its cgroup.procs,
# cgroup.subtree_control and cgroup.threads. berth, started from a cgroup
# inside it (the kernel's delegation containment rule: a process moves only
# between cgroups below one whose cgroup.procs the mover may write), makes
# the container's cgroup there and applies the limits, read back from the
# files; pause, update and delete act on it. Outside the delegated subtree
# a cgroupsPath is a permission error, as runc's; no cgroupsPath and no
# limits run without a cgroup.
. "$(dirname "$0")/../integration/lib.sh"

require_root
require_cmd setpriv
[ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] || skip_all "not a pure cgroup v2 host"

RU=4242
DELEG=rl-deleg-$$
D=/sys/fs/cgroup/$DELEG
W=/tmp/rl-$$ # the user's own files: bundle, XDG_RUNTIME_DIR
install -d -o $RU -g $RU -m 0755 "$W"
install -d -o $RU -g $RU -m 0700 "$W/run"
add_cleanup "rm -rf '$W'"

mkdir "$D" "$D/shell" || bail_out "mkdir $D"
chown $RU:$RU "$D" "$D"/cgroup.procs "$D"/cgroup.subtree_control "$D"/cgroup.threads
chown $RU:$RU "$D/shell" "$D"/shell/cgroup.procs
add_cleanup "find '$D' -depth -type d -exec rmdir {} \\; 2>/dev/null"
# the controllers the limits below need, offered to the delegated subtree
echo "+pids +memory" >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null

# as_ru [--deleg] ARGS: berth as uid 4242, in the delegated subtree's
# "shell" cgroup with --deleg (where a user's session would be)
as_ru() {
    local cg=""
    if [ "$1" = --deleg ]; then
        cg=$D/shell
        shift
    fi
    timeout -k 5 "$BERTH_TEST_TIMEOUT" sh -c '[ -z "$1" ] || echo $$ >"$1/cgroup.procs" || exit 99
        shift
        exec setpriv --reuid '$RU' --regid '$RU' --clear-groups env -i PATH=/usr/bin:/bin \
            HOME='"$W"' XDG_RUNTIME_DIR='"$W/run"' "$@"' sh "$cg" "$BERTH" "$@"
}

B=$W/bundle
make_bundle "$B" >/dev/null || bail_out "make_bundle"
rm -f "$B/config.json"
chown -R $RU:$RU "$B"
(cd "$B" && as_ru spec --rootless) || bail_out "berth spec --rootless as uid $RU"
config() { update_config "$B" "$1" && chown $RU:$RU "$B/config.json"; }
config 'c["process"]["terminal"] = False
c["process"]["args"] = ["sleep", "300"]
c["linux"]["cgroupsPath"] = "/'$DELEG'/c1"
c["linux"]["resources"] = {"pids": {"limit": 20}, "memory": {"limit": 67108864}}' || bail_out config

# ---- a delegated subtree: the cgroup made, the limits written --------------
run_cmd as_ru --deleg run -d --bundle "$B" c1
assert_success "rootless run -d with cgroupsPath in the delegated subtree"
PID=$(json_get "$(as_ru state c1)" 'j["pid"]')
assert_eq "$(cat /proc/$PID/cgroup 2>/dev/null)" "0::/$DELEG/c1" "the init is in the delegated cgroup"
assert_eq "$(cat "$D/c1/pids.max" 2>/dev/null)" 20 "pids.max written"
assert_eq "$(cat "$D/c1/memory.max" 2>/dev/null)" 67108864 "memory.max written"
assert_eq "$(stat -c %u "$D/c1")" $RU "the cgroup belongs to the user"

run_cmd as_ru pause c1
assert_success "pause"
assert_eq "$(cat "$D/c1/cgroup.freeze" 2>/dev/null)" 1 "pause: cgroup.freeze is 1"
assert_eq "$(json_get "$(as_ru state c1)" 'j["status"]')" paused "state: paused"
run_cmd as_ru resume c1
assert_success "resume"
assert_eq "$(cat "$D/c1/cgroup.freeze" 2>/dev/null)" 0 "resume: cgroup.freeze is 0"

run_cmd as_ru update --pids-limit 30 c1
assert_success "update --pids-limit"
assert_eq "$(cat "$D/c1/pids.max" 2>/dev/null)" 30 "update: pids.max rewritten"
run_cmd as_ru ps --format json c1
assert_eq "$(json_get "$output" 'j')" "[$PID]" "ps: the cgroup's processes"

run_cmd as_ru delete -f c1
assert_success "delete -f"
check "delete: the container's cgroup is removed" [ ! -d "$D/c1" ]
check "delete: the init is gone" [ ! -e "/proc/$PID" ]

# ---- outside the delegated subtree: an error, nothing left ----------------
config 'c["linux"]["cgroupsPath"] = "/rl-not-delegated-'$$'/c2"
c["process"]["args"] = ["true"]'
run_cmd as_ru --deleg run --bundle "$B" c2
assert_failure "a cgroupsPath outside what is delegated fails"
assert_contains "$stderr" "Permission denied" "... with the permission error"
check "... leaving no state" [ -z "$(ls -A "$W/run/berth")" ]
check "... and no cgroup" [ ! -d "/sys/fs/cgroup/rl-not-delegated-$$" ]

# ---- no cgroupsPath, no limits: no cgroup --------------------------------
config 'del c["linux"]["cgroupsPath"]
del c["linux"]["resources"]
c["process"]["args"] = ["sleep", "300"]'
before=$(cat /proc/self/cgroup)
run_cmd as_ru run -d --bundle "$B" c3
assert_success "no cgroupsPath and no limits: runs without a cgroup of its own"
PID=$(json_get "$(as_ru state c3)" 'j["pid"]')
assert_eq "$(cat /proc/$PID/cgroup 2>/dev/null)" "$before" "... the init stays in the cgroup berth was started in"
check "... no /berth cgroup was made" [ ! -d /sys/fs/cgroup/berth/c3 ]
run_cmd as_ru delete -f c3
assert_success "... and delete -f removes it"

done_testing
