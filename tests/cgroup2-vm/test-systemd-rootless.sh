#!/bin/bash
# test-systemd-rootless.sh: --systemd-cgroup for a rootless user, through
# the user's own systemd instance (runc's rootless systemd manager; issue
# 20), in the VM of vm.sh with systemd as PID 1 (run-systemd.sh). A user
# made here gets its user@UID.service (as a login or lingering would start
# it); berth, run as that user with its session bus, asks that instance for
# the container's scope: the unit as `systemctl --user` shows it, below the
# instance's own cgroup, the init in it, the limits in the files, pause and
# delete on it, and nothing left after delete. On the hybrid layout the
# driver is refused as runc refuses it (v2 only).
. "$(dirname "$0")/../integration/lib.sh"

require_root
[ -d /run/systemd/system ] || skip_all "systemd is not PID 1 here (run through run-systemd.sh)"
require_cmd systemctl useradd setpriv
HELPER=$(dirname "$BERTH")/berth-systemd
[ -x "$HELPER" ] || skip_all "no berth-systemd beside $BERTH (built without libsystemd?)"

U=bsr$$
useradd -m -s /bin/sh "$U" || bail_out "useradd"
RU=$(id -u "$U")
H=$(getent passwd "$U" | cut -d: -f6)
add_cleanup "systemctl stop user@$RU.service; userdel -r $U"
XDG=/run/user/$RU
# as a login would: the user's runtime dir and its systemd instance
systemctl start "user@$RU.service" || bail_out "systemctl start user@$RU.service"
for i in $(seq 100); do [ -S "$XDG/bus" ] && break; sleep 0.1; done
[ -S "$XDG/bus" ] || bail_out "the user's bus $XDG/bus did not appear"

as_u() {
    timeout -k 5 "$BERTH_TEST_TIMEOUT" setpriv --reuid "$RU" --regid "$(id -g "$U")" --init-groups \
        env -i PATH=/usr/bin:/bin HOME="$H" USER="$U" XDG_RUNTIME_DIR="$XDG" \
        DBUS_SESSION_BUS_ADDRESS="unix:path=$XDG/bus" BERTH_SYSTEMD_HELPER="$HELPER" "$@"
}
uprop() { as_u systemctl --user show "$1" -p "$2" --value 2>/dev/null; }

B=$H/bundle
make_bundle "$B" >/dev/null || bail_out "make_bundle"
rm -f "$B/config.json"
chown -R "$U:" "$B"
(cd "$B" && as_u "$BERTH" spec --rootless) || bail_out "berth spec --rootless"
update_config "$B" 'c["process"]["terminal"] = False
c["process"]["args"] = ["sleep", "300"]
c["linux"]["resources"] = {"pids": {"limit": 42}, "memory": {"limit": 67108864}}' &&
    chown "$U:" "$B/config.json" || bail_out "config"

if [ ! -f /sys/fs/cgroup/cgroup.controllers ]; then
    run_cmd as_u "$BERTH" --systemd-cgroup run -d --bundle "$B" c1
    assert_failure "hybrid layout: the rootless systemd driver is refused"
    assert_contains "$stderr" "cannot use rootless systemd cgroups manager on cgroup v1" "... with runc's words"
    check "... leaving no state" [ -z "$(ls -A "$XDG/berth" 2>/dev/null)" ]
    done_testing
    exit
fi

run_cmd as_u "$BERTH" features
assert_contains "$output" '"systemdUser": true' "features: systemdUser true"

MCG=$(as_u systemctl --user show -p ControlGroup --value)
run_cmd as_u "$BERTH" --systemd-cgroup run -d --bundle "$B" c1
assert_success "rootless run -d with --systemd-cgroup (cgroupsPath \"\": user.slice:berth:c1)"
UNIT=berth-c1.scope
CG=$MCG/user.slice/$UNIT
PID=$(json_get "$(as_u "$BERTH" state c1)" 'j["pid"]')
assert_eq "$(uprop $UNIT ActiveState)" active "the user's systemd has the scope active"
assert_eq "$(uprop $UNIT ControlGroup)" "$CG" "... below the user instance's cgroup ($MCG)"
assert_eq "$(cat /proc/$PID/cgroup 2>/dev/null)" "0::$CG" "the init is in the scope's cgroup"
assert_eq "$(cat /sys/fs/cgroup$CG/pids.max 2>/dev/null)" 42 "pids.max written"
assert_eq "$(cat /sys/fs/cgroup$CG/memory.max 2>/dev/null)" 67108864 "memory.max written"
assert_eq "$(uprop $UNIT TasksMax)" 42 "TasksMax= is the pids limit"
assert_eq "$(json_get "$(cat "$XDG/berth/c1/state.json")" 'j["cgroup"].get("unitUser")')" true \
    "state.json records the user's instance"

run_cmd as_u "$BERTH" --systemd-cgroup pause c1
assert_success "pause"
assert_eq "$(cat /sys/fs/cgroup$CG/cgroup.freeze 2>/dev/null)" 1 "pause: cgroup.freeze is 1"
run_cmd as_u "$BERTH" --systemd-cgroup resume c1
assert_success "resume"

run_cmd as_u "$BERTH" delete -f c1
assert_success "delete -f (without --systemd-cgroup: the record says whose unit)"
assert_eq "$(uprop $UNIT LoadState)" not-found "the unit is gone"
check "the cgroup is gone" [ ! -d "/sys/fs/cgroup$CG" ]
check "the state is gone" [ -z "$(ls -A "$XDG/berth" 2>/dev/null)" ]

done_testing
