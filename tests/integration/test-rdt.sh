#!/bin/bash
# test-rdt.sh: linux.intelRdt as runc 1.4's intelrdt manager, against a
# resctrl-shaped directory (BERTH_RESCTRL_ROOT: this host has no resctrl):
# the group per container or per closID, the schemata in one write, the
# init and every exec'd process in its tasks (and the monitoring group's),
# update --l3-cache-schema/--mem-bw-schema, delete removing only what create
# made; the refusals (no resctrl, CAT/MBA missing, a closID that does not
# exist) leave nothing behind.
. "$(dirname "$0")/lib.sh"
require_root
require_cmd python3

R=$TEST_TMP/resctrl
mkdir -p "$R/info/L3" "$R/info/MB"
echo "ok" >"$R/info/last_cmd_status"
B=$(make_bundle) || bail_out "cannot make a bundle"
set_args "$B" sleep 300
cp "$B/config.json" "$TEST_TMP/config.orig"
reset() { cp "$TEST_TMP/config.orig" "$B/config.json"; }
rdt() { BERTH_RESCTRL_ROOT=$R "$BERTH" --root "$BERTH_ROOT" "$@"; }
snapshot_host

# ---- a group of the container's own ------------------------------------------

update_config "$B" "c['linux']['intelRdt'] = {'l3CacheSchema': 'L3:0=f', 'memBwSchema': 'MB:0=50',
    'schemata': ['L2:0=3'], 'enableMonitoring': True}"
id=$(new_id)
run_cmd rdt run -d --pid-file "$TEST_TMP/init.pid" --bundle "$B" "$id"
assert_success "run -d with intelRdt"
pid=$(cat "$TEST_TMP/init.pid")
assert_eq "$(cat "$R/$id/schemata" 2>&1)" $'L3:0=f\nMB:0=50\nL2:0=3' \
    "the group's schemata: l3CacheSchema, memBwSchema, then the schemata lines, in one write"
assert_eq "$(cat "$R/$id/tasks" 2>&1)" "$pid" "the init is in the group's tasks"
assert_eq "$(cat "$R/$id/mon_groups/$id/tasks" 2>&1)" "$pid" "and in its monitoring group (enableMonitoring)"

run_cmd rdt exec -d --pid-file "$TEST_TMP/exec.pid" "$id" sleep 300
assert_success "exec -d"
assert_eq "$(tail -n1 "$R/$id/tasks")" "$(cat "$TEST_TMP/exec.pid")" "an exec'd process joins the group"
assert_eq "$(tail -n1 "$R/$id/mon_groups/$id/tasks")" "$(cat "$TEST_TMP/exec.pid")" \
    "and the monitoring group"

run_cmd rdt update --l3-cache-schema "L3:0=3" --mem-bw-schema "MB:0=20" "$id"
assert_success "update --l3-cache-schema --mem-bw-schema"
assert_eq "$(cat "$R/$id/schemata")" $'L3:0=3\nMB:0=20' "update writes the new schemas"

run_cmd rdt delete -f "$id"
assert_success "delete -f"
assert_eq "$(ls "$R")" "info" "delete removes the group create made (and its monitoring group)"

# ---- a closID: shared, pre-configured, never removed -------------------------

reset
mkdir "$R/shared"
update_config "$B" "c['linux']['intelRdt'] = {'closID': 'shared'}"
id=$(new_id)
run_cmd rdt run -d --pid-file "$TEST_TMP/init.pid" --bundle "$B" "$id"
assert_success "run -d with an existing closID"
assert_eq "$(cat "$R/shared/tasks" 2>&1)" "$(cat "$TEST_TMP/init.pid")" "the init joins the closID's group"
assert_eq "$(ls "$R/shared")" "tasks" "no schemata written when none is given"
run_cmd rdt delete -f "$id"
assert_eq "$(ls "$R")" $'info\nshared' "delete leaves a closID group (others may share it)"
rm -rf "$R/shared"

update_config "$B" "c['linux']['intelRdt'] = {'closID': 'nosuch'}"
run_cmd rdt run -d --bundle "$B" "$(new_id)"
assert_failure "a closID without schemata that does not exist fails"
assert_contains "$stderr" "clos dir \`$R/nosuch\` not accessible (must be pre-created" "runc's reason"

# ---- refusals ------------------------------------------------------------------

reset
update_config "$B" "c['linux']['intelRdt'] = {'l3CacheSchema': 'L3:0=f'}"
rmdir "$R/info/L3"
run_cmd rdt run -d --bundle "$B" "$(new_id)"
assert_failure "l3CacheSchema without CAT fails"
assert_contains "$stderr" "intelRdt.l3CacheSchema is specified in config, but Intel RDT/CAT is not enabled" \
    "runc's message"
mkdir "$R/info/L3"

# The kernel refuses the schemata: its last_cmd_status is in the error.
update_config "$B" "c['linux']['intelRdt'] = {'l3CacheSchema': 'L3:0=f'}"
id=$(new_id)
mkdir -p "$R/$id/schemata" # a directory: the write fails as a refused schema would
echo "L3: mask f has non-consecutive 1-bits" >"$R/info/last_cmd_status"
run_cmd rdt run -d --bundle "$B" "$id"
assert_failure "a refused schemata write fails create"
assert_contains "$stderr" "(last_cmd_status: L3: mask f has non-consecutive 1-bits)" \
    "the error carries the kernel's last_cmd_status"
rmdir "$R/$id/schemata" "$R/$id"

if ! grep -q ' - resctrl ' /proc/self/mountinfo; then
    run_cmd berth run -d --bundle "$B" "$(new_id)"
    assert_failure "without resctrl (and without BERTH_RESCTRL_ROOT) intelRdt fails"
    assert_contains "$stderr" "no resctrl filesystem is mounted on this host" "the error says so"
else
    skip "this host has resctrl mounted" 2
fi

run_cmd rdt update --l3-cache-schema "L3:0=3" "$(new_id)"
assert_failure "update of a container that does not exist fails"
reset
id=$(new_id)
run_cmd berth run -d --bundle "$B" "$id"
run_cmd rdt update --l3-cache-schema "L3:0=3" "$id"
assert_contains "$stderr" "updating a non-existent Intel RDT configuration is not supported" \
    "update of a container without intelRdt: runc's error"
berth delete -f "$id" >/dev/null 2>&1

assert_eq "$(ls "$R")" "info" "no group left behind"
assert_host_unchanged "no container, cgroup or mount left behind"
done_testing
