#!/bin/bash
# test-create-errors.sh: every error path of `berth create` reports its
# cause, exits 1, and leaves the host exactly as before (runtime.md
# "Errors"): no state dir, no fifo, no process, no mount, no cgroup, no pid
# file.
. "$(dirname "$0")/lib.sh"

require_root
require_cmd python3

B=$(make_bundle) || bail_out "cannot make a bundle"
cp "$B/config.json" "$TEST_TMP/config.orig"

# reset: a fresh copy of the good config with args that would work.
reset() {
    cp "$TEST_TMP/config.orig" "$B/config.json"
    set_args "$B" /bin/checker pid
}

# create_fails DESC NEEDLE [CREATE ARGS...]: create must fail with status 1,
# an error containing NEEDLE, and nothing left on the host.
create_fails() {
    local desc=$1 needle=$2
    shift 2
    local id
    id=$(new_id)
    snapshot_host
    run_cmd berth create --bundle "$B" "$@" "$id"
    assert_status 1 "$desc: exit status 1"
    assert_contains "$stderr" "$needle" "$desc: error names the cause"
    assert_host_unchanged "$desc: host unchanged"
    if [ -e "$BERTH_ROOT/$id" ]; then
        not_ok "$desc: no state dir" "$BERTH_ROOT/$id exists"
    else
        ok "$desc: no state dir"
    fi
}

reset
echo '{"ociVersion": "1.3.0", "process": ' >"$B/config.json"
create_fails "invalid JSON" "invalid JSON"

reset
update_config "$B" 'c["root"]["path"] = "nonexistent-rootfs"'
create_fails "missing rootfs" "nonexistent-rootfs"

reset
set_args "$B" /bin/nope
create_fails "missing executable" 'exec: "/bin/nope": no such file or directory'

reset
set_args "$B" nope-not-in-path
create_fails "executable not in PATH" 'exec: "nope-not-in-path": executable file not found in $PATH'

reset
set_args "$B" /etc/passwd
create_fails "non-executable args[0]" 'exec: "/etc/passwd": permission denied'

reset
# A missing cwd is made (as runc); one below a regular file cannot be.
update_config "$B" 'c["process"]["cwd"] = "/etc/passwd/sub"'
create_fails "cwd below a file" "process.cwd \`/etc/passwd/sub\`"

reset
update_config "$B" 'c["process"]["cwd"] = "relative/dir"'
create_fails "relative cwd" "cwd"

reset
update_config "$B" 'c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "network"] + [{"type": "network", "path": "/proc/self/ns/uts"}]'
create_fails "namespace path of the wrong type" "/proc/self/ns/uts"

reset
update_config "$B" 'c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "uts"]; c["hostname"] = "box"'
create_fails "hostname without a UTS namespace" "UTS namespace"

reset
create_fails "pid file in a missing directory" "$TEST_TMP/no/such/dir/pid" \
    --pid-file "$TEST_TMP/no/such/dir/pid"

reset
create_fails "bundle that does not exist" "$TEST_TMP/no-bundle" --bundle "$TEST_TMP/no-bundle"

reset
snapshot_host
for bad in "bad/id" "." "a b" ".."; do
    run_cmd berth create --bundle "$B" -- "$bad"
    assert_status 1 "invalid id \`$bad\`: exit status 1"
done
assert_host_unchanged "invalid ids: host unchanged"

# Duplicate id: the second create fails and the first container is intact.
reset
id=$(new_id)
berth create --bundle "$B" --pid-file "$TEST_TMP/first.pid" "$id" >/dev/null 2>&1
first_pid=$(cat "$TEST_TMP/first.pid" 2>/dev/null)
run_cmd berth create --bundle "$B" --pid-file "$TEST_TMP/second.pid" "$id"
assert_status 1 "duplicate id: exit status 1"
assert_contains "$stderr" "container with id $id already exists" "duplicate id: error message"
assert_eq "$(container_status "$id")" created "duplicate id: the first container is still created"
assert_eq "$(json_get "$(berth state "$id")" 'j["pid"]')" "$first_pid" \
    "duplicate id: the first container keeps its pid"
if [ -e "$TEST_TMP/second.pid" ]; then
    not_ok "duplicate id: no pid file written" "$(cat "$TEST_TMP/second.pid")"
else
    ok "duplicate id: no pid file written"
fi
check "duplicate id: delete --force of the first" berth delete --force "$id"

done_testing
