#!/bin/bash
# test-placement.sh: where the container's processes run and allocate, as
# runc >= 1.4 (tests/integration/memorypolicy.bats, cpu_affinity.bats):
# linux.memoryPolicy read back from /proc/self/numa_maps of the init and of
# an exec'd process; the CPU affinity of a `taskset`-pinned caller not
# inherited (reset to the container's cpuset); process.execCPUAffinity
# initial and final for exec; a node or CPU the host lacks fails cleanly.
. "$(dirname "$0")/lib.sh"
require_root
require_cmd taskset python3

# The first line of numa_maps of the shell the container runs: its policy.
POLICY_ARGS='["/bin/sh", "-c", "head -n 1 /proc/self/numa_maps | cut -d \" \" -f 2"]'
AFFINITY_ARGS='["/bin/grep", "-F", "Cpus_allowed_list:", "/proc/self/status"]'
# What a process may run on when nothing narrows it: ours, unpinned.
ALL_CPUS=$(awk '/^Cpus_allowed_list:/ {print $2}' /proc/self/status)
NCPUS=$(nproc --all)

B=$(make_bundle) || bail_out "cannot make a bundle"
cp "$B/config.json" "$TEST_TMP/config.orig"
reset() { cp "$TEST_TMP/config.orig" "$B/config.json"; }
snapshot_host

# ---- linux.memoryPolicy: the init ------------------------------------------

if [ -r /proc/self/numa_maps ]; then
    reset
    update_config "$B" "c['process']['args'] = $POLICY_ARGS
c['linux']['memoryPolicy'] = {'mode': 'MPOL_INTERLEAVE', 'nodes': '0'}"
    id=$(new_id)
    run_cmd berth run --bundle "$B" "$id"
    assert_success "run with MPOL_INTERLEAVE"
    assert_eq "$output" "interleave:0" "the init's policy is interleave on node 0"

    update_config "$B" "c['linux']['memoryPolicy'] = {'mode': 'MPOL_BIND', 'nodes': '0', 'flags': ['MPOL_F_STATIC_NODES']}"
    id=$(new_id)
    run_cmd berth run --bundle "$B" "$id"
    assert_eq "$output" "bind=static:0" "MPOL_BIND with MPOL_F_STATIC_NODES"

    update_config "$B" "c['linux']['memoryPolicy'] = {'mode': 'MPOL_DEFAULT'}"
    id=$(new_id)
    run_cmd berth run --bundle "$B" "$id"
    assert_eq "$output" "default" "MPOL_DEFAULT without nodes"

    # ---- exec: the container's policy, as runc's setns init --------------
    reset
    update_config "$B" "c['process']['args'] = ['/bin/sleep', '300']
c['linux']['memoryPolicy'] = {'mode': 'MPOL_PREFERRED', 'nodes': '0', 'flags': ['MPOL_F_RELATIVE_NODES']}"
    id=$(new_id)
    run_cmd berth run -d --bundle "$B" "$id"
    assert_success "run -d with MPOL_PREFERRED"
    run_cmd berth exec "$id" /bin/sh -c 'head -n 1 /proc/self/numa_maps | cut -d " " -f 2'
    assert_eq "$output" "prefer=relative:0" "an exec'd process gets the container's policy"
    berth delete -f "$id" >/dev/null 2>&1

    # ---- a node the host does not have: the kernel's error, nothing left -
    if [ ! -d /sys/devices/system/node/node1 ]; then
        reset
        update_config "$B" "c['process']['args'] = ['/bin/true']
c['linux']['memoryPolicy'] = {'mode': 'MPOL_BIND', 'nodes': '1'}"
        id=$(new_id)
        run_cmd berth run --bundle "$B" "$id"
        assert_failure "MPOL_BIND on a node the host lacks fails"
        assert_contains "$stderr" "memoryPolicy: set_mempolicy MPOL_BIND nodes \`1\`: Invalid argument" \
            "the error names the field, the call and the errno"
        assert_host_unchanged "a refused memory policy leaves nothing behind"
    else
        skip "the host has a NUMA node 1: no missing node to ask for" 3
    fi
    update_config "$B" "c['linux']['memoryPolicy'] = {'mode': 'MPOL_BIND', 'nodes': '1024'}"
    id=$(new_id)
    run_cmd berth run --bundle "$B" "$id"
    assert_contains "$stderr" "invalid memory policy node 1024" "a node no kernel can have is refused"
else
    skip "no /proc/self/numa_maps (kernel without CONFIG_NUMA)" 10
fi

# ---- CPU affinity -------------------------------------------------------------

if [ "$NCPUS" -lt 2 ]; then
    skip "one CPU: a pinned caller cannot be told from an unpinned one" 14
    done_testing
    exit 0
fi
pinned() { taskset -c 0 "$BERTH" --root "$BERTH_ROOT" "$@"; }

# The init: a caller pinned to CPU 0 does not pin the container (runc 1.2+).
reset
update_config "$B" "c['process']['args'] = $AFFINITY_ARGS"
id=$(new_id)
run_cmd pinned run --bundle "$B" "$id"
assert_success "run under taskset -c 0"
assert_eq "$output" "Cpus_allowed_list:	$ALL_CPUS" "the init's affinity is reset to every CPU"

# ... to the container's cpuset when it has one.
if [ -d /sys/fs/cgroup/cpuset ] || grep -qw cpuset /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
    update_config "$B" "c['linux'].setdefault('resources', {})['cpu'] = {'cpus': '1', 'mems': '0'}"
    id=$(new_id)
    run_cmd pinned run --bundle "$B" "$id"
    assert_eq "$output" "Cpus_allowed_list:	1" "reset to the cpuset (1), not the caller's CPU 0"
else
    skip "no cpuset controller" 1
fi

# execCPUAffinity is not for the init (config.md).
reset
update_config "$B" "c['process']['args'] = $AFFINITY_ARGS
c['process']['execCPUAffinity'] = {'initial': '1', 'final': '1'}"
id=$(new_id)
run_cmd pinned run --bundle "$B" "$id"
assert_eq "$output" "Cpus_allowed_list:	$ALL_CPUS" "execCPUAffinity does not apply to the init"

# ---- exec --------------------------------------------------------------------
reset
update_config "$B" "c['process']['args'] = ['/bin/sleep', '300']"
ct=$(new_id)
run_cmd berth run -d --bundle "$B" "$ct"
assert_success "run -d a container to exec into"

run_cmd pinned exec "$ct" /bin/grep -F Cpus_allowed_list: /proc/self/status
assert_eq "$output" "Cpus_allowed_list:	$ALL_CPUS" "exec: a pinned caller's affinity is not inherited"

proc() { # proc AFFINITY-JSON: a process.json for exec --process
    printf '{"terminal": false, "cwd": "/", "args": %s, "execCPUAffinity": %s}\n' \
        "$AFFINITY_ARGS" "$1" >"$TEST_TMP/process.json"
}
proc '{"initial": "0", "final": "1"}'
run_cmd pinned exec --process "$TEST_TMP/process.json" "$ct"
assert_eq "$output" "Cpus_allowed_list:	1" "exec: final is the process's affinity"

# initial only: berth runs on it while it clones the process, which keeps it
# (the spec leaves the rest to the kernel); berth takes its own back.
proc '{"initial": "1"}'
run_cmd pinned exec --process "$TEST_TMP/process.json" "$ct"
assert_eq "$output" "Cpus_allowed_list:	1" "exec: initial is what the process inherits"
if command -v strace >/dev/null; then
    run_cmd taskset -c 0 strace -f -qq -e trace=sched_setaffinity -o "$TEST_TMP/strace" \
        "$BERTH" --root "$BERTH_ROOT" exec --process "$TEST_TMP/process.json" "$ct"
    calls=$(grep -c 'sched_setaffinity(0, [0-9]*, \[1\( \.\.\.\)\?\]) = 0' "$TEST_TMP/strace")
    back=$(grep -c 'sched_setaffinity(0, [0-9]*, \[0\( \.\.\.\)\?\]) = 0' "$TEST_TMP/strace")
    assert_eq "$calls:$back" "1:1" "berth sets initial before the clone and its own mask back after"
else
    skip "no strace" 1
fi

# A --process without execCPUAffinity takes the container's (runc).
berth delete -f "$ct" >/dev/null 2>&1
update_config "$B" "c['process']['execCPUAffinity'] = {'final': '1'}"
ct=$(new_id)
run_cmd berth run -d --bundle "$B" "$ct"
printf '{"terminal": false, "cwd": "/", "args": %s}\n' "$AFFINITY_ARGS" >"$TEST_TMP/process.json"
run_cmd pinned exec --process "$TEST_TMP/process.json" "$ct"
assert_eq "$output" "Cpus_allowed_list:	1" "exec --process without one takes the config's execCPUAffinity"

# A CPU the host does not have: exec fails, naming the field; nothing runs.
proc "{\"final\": \"$NCPUS\"}"
run_cmd pinned exec --process "$TEST_TMP/process.json" "$ct"
assert_status 255 "exec with a final CPU the host lacks fails (255, as runc)"
assert_contains "$stderr" "execCPUAffinity.final: sched_setaffinity \`$NCPUS\`: Invalid argument" \
    "the error names the field, the call and the errno"
assert_eq "$(cat "/sys/fs/cgroup/pids/berth/$ct/cgroup.procs" 2>/dev/null | wc -l)" 1 \
    "only the init is left in the container's cgroup"
berth delete -f "$ct" >/dev/null 2>&1

assert_host_unchanged "no container, cgroup or mount left behind"
done_testing
