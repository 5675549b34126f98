#!/bin/bash
# test-validate.sh: `berth validate` end to end: the spec's own good and bad
# examples, a set of semantic rules (each reported at its JSON pointer with
# its spec section), the text and JSON formats, host checks, usage errors,
# and that create refuses a config for the same first error.
#
# Needs no root for the validate part; everything lives in TEST_TMP.
. "$(dirname "$0")/lib.sh"

require_cmd python3

EXAMPLES=$SRCDIR/tests/unit/data/spec-examples/config
B=$TEST_TMP/bundle
mkdir -p "$B/rootfs"

# base_config: a small valid config for start, written to $B/config.json.
base_config() {
    cat >"$B/config.json" <<'EOF'
{
    "ociVersion": "1.3.0",
    "root": {"path": "rootfs"},
    "process": {"cwd": "/", "args": ["sh"], "env": ["PATH=/bin"]},
    "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "ipc"}]}
}
EOF
}

# rule DESC LEVEL POINTER TEXT 'PYTHON': applies the mutation to the base
# config, runs validate, and expects a LEVEL line at POINTER containing TEXT
# and the matching exit status (1 for an error, 0 for a warning). Semantic
# rules cite their spec section ('config.md "..."'); schema-level findings
# from libocispec (rule_schema) do not.
rule() {
    _rule '.md "' "$@"
}
rule_schema() {
    _rule '' "$@"
}
_rule() {
    local cite=$1 desc=$2 level=$3 pointer=$4 text=$5 code=$6 want=0 line
    base_config
    update_config "$B" "$code" || {
        not_ok "$desc" "cannot apply: $code"
        return
    }
    [ "$level" = error ] && want=1
    run_cmd "$BERTH" validate --bundle "$B"
    line=$(grep -F -- "$level: $pointer: " <<<"$output" | head -n 1)
    if [ "$status" = "$want" ] && [[ "$line" == *"$text"* ]] && [[ "$line" == *"$cite"* ]]; then
        ok "$desc"
    else
        _fail_with_cmd "$desc" "expected status $want and a line '$level: $pointer: ...$text...'"
    fi
}

# ---- the spec's own examples ----------------------------------------------

for f in "$EXAMPLES"/good/*.json; do
    cp "$f" "$B/config.json"
    run_cmd "$BERTH" validate --bundle "$B"
    if [ "$status" = 0 ] && [[ "${lines[-1]}" == "0 errors, "* ]]; then
        ok "good example $(basename "$f"): no error"
    else
        _fail_with_cmd "good example $(basename "$f"): no error"
    fi
done

declare -A bad_pointer=(
    [invalid-json.json]="error: invalid JSON"
    [linux-hugepage.json]="error: /linux/resources/hugepageLimits/0/pageSize: "
    [linux-netdevice.json]="error: /linux/netDevices/eth0/name: "
    [linux-rdma.json]="error: /linux/resources/rdma/mlx5_1/hcaHandles: "
)
for f in "$EXAMPLES"/bad/*.json; do
    name=$(basename "$f")
    want=${bad_pointer[$name]:-}
    if [ -z "$want" ]; then
        not_ok "bad example $name: expected pointer known" "add it to bad_pointer"
        continue
    fi
    cp "$f" "$B/config.json"
    run_cmd "$BERTH" validate --bundle "$B"
    if [ "$status" = 1 ] && [[ "${lines[0]}" == "$want"* ]] && [[ "$output" == *"1 error, "* ]]; then
        ok "bad example $name: reported at the right pointer"
    else
        _fail_with_cmd "bad example $name: reported at the right pointer" "expected: $want"
    fi
done

# What engines send (tests/unit/data/validate/engine-like.json): its pod
# namespace paths do not exist here, so without host checks.
cp "$SRCDIR/tests/unit/data/validate/engine-like.json" "$B/config.json"
run_cmd "$BERTH" validate --bundle "$B" --no-host-checks
assert_eq "$status/$output" "0/0 errors, 0 warnings" "an engine-like config: no diagnostic"

# ---- semantic rules ---------------------------------------------------------

base_config
run_cmd "$BERTH" validate --bundle "$B"
assert_eq "$output" "0 errors, 0 warnings" "base config: clean"

rule "duplicate rlimit" error /process/rlimits/1/type 'config.md "POSIX process": duplicate rlimit type' \
    'c["process"]["rlimits"] = [{"type": "RLIMIT_NOFILE", "soft": 1, "hard": 1}] * 2'
rule_schema "relative cwd rejected by the schema" error /process/cwd "absolute" \
    'c["process"]["cwd"] = "srv"'
rule "env without =" error /process/env/1 "KEY=value" \
    'c["process"]["env"].append("JUSTANAME")'
rule "unknown capability is only a warning" warning /process/capabilities/bounding/0 "unknown capability" \
    'c["process"]["capabilities"] = {"bounding": ["CAP_DOES_NOT_EXIST"]}'
rule "hostname needs a UTS namespace" error /hostname "UTS namespace" \
    'c["hostname"] = "box"'
rule "uidMappings need a user namespace" error /linux/uidMappings "need a user namespace" \
    'c["linux"]["uidMappings"] = [{"containerID": 0, "hostID": 1000, "size": 1}]'
rule "timeOffsets need a time namespace" error /linux/timeOffsets "time namespace" \
    'c["linux"]["timeOffsets"] = {"monotonic": {"secs": 10}}'
rule "idmap without mappings or user namespace" error /mounts/0/options "user namespace" \
    'c["mounts"] = [{"destination": "/d", "source": "/tmp", "options": ["rbind", "idmap"]}]'
rule "net sysctl needs a network namespace" error /linux/sysctl/net.ipv4.ip_forward "network namespace" \
    'c["linux"]["sysctl"] = {"net.ipv4.ip_forward": "1"}'
rule "non-namespaced sysctl" error /linux/sysctl/vm.swappiness "not namespaced" \
    'c["linux"]["sysctl"] = {"vm.swappiness": "10"}'
rule "errnoRet on a non-errno action" error /linux/seccomp/syscalls/0/errnoRet "SCMP_ACT_ERRNO" \
    'c["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["ptrace"], "action": "SCMP_ACT_KILL", "errnoRet": 1}]}'
rule "notify without listenerPath" error /linux/seccomp/listenerPath "listenerPath" \
    'c["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mount"], "action": "SCMP_ACT_NOTIFY"}]}'
rule "swap below the memory limit" error /linux/resources/memory/swap "below limit" \
    'c["linux"]["resources"] = {"memory": {"limit": 2000000, "swap": 1000000}}'
rule "duplicate device path" error /linux/devices/1/path "different device" \
    'c["linux"]["devices"] = [{"type": "c", "path": "/dev/x", "major": 1, "minor": 3}, {"type": "c", "path": "/dev/x", "major": 1, "minor": 5}]'
rule "closID with a slash" error /linux/intelRdt/closID "plain directory name" \
    'c["linux"]["intelRdt"] = {"closID": "a/b"}'
rule "MPOL_BIND without nodes" error /linux/memoryPolicy/nodes "at least one node" \
    'c["linux"]["memoryPolicy"] = {"mode": "MPOL_BIND"}'
rule "SCHED_FIFO without priority" error /process/scheduler/priority "1..99" \
    'c["process"]["scheduler"] = {"policy": "SCHED_FIFO"}'
rule "ociVersion from the future" error /ociVersion "unsupported" \
    'c["ociVersion"] = "1.4.0"'
rule "relative mount destination is deprecated" warning /mounts/0/destination "deprecated" \
    'c["mounts"] = [{"destination": "tmp", "type": "tmpfs", "source": "tmpfs"}]'
rule_schema "unknown member is a warning" warning /linux/frobnicate "unknown" \
    'c["linux"]["frobnicate"] = True'

# Every diagnostic is reported, not just the first, with a correct summary.
base_config
update_config "$B" 'c["hostname"] = "a"; c["domainname"] = "b"; c["process"]["env"] = ["X"]; c["mounts"] = [{"destination": "rel", "type": "tmpfs"}]'
run_cmd "$BERTH" validate --bundle "$B"
assert_eq "${lines[-1]}" "3 errors, 1 warning" "all diagnostics reported, summary counts them"

# ---- JSON format ------------------------------------------------------------

run_cmd "$BERTH" validate --bundle "$B" --format json
if [ "$status" = 1 ] &&
    [ "$(json_get "$output" '",".join(sorted(d["pointer"] for d in j if d["level"] == "error"))')" = \
        "/domainname,/hostname,/process/env/0" ] &&
    [ "$(json_get "$output" '[d["level"] for d in j if d["pointer"] == "/mounts/0/destination"][0]')" = warning ] &&
    [ "$(json_get "$output" 'sorted(set(k for d in j for k in d))')" = '["level", "message", "pointer"]' ]; then
    ok "--format json: an array of {level, pointer, message}"
else
    _fail_with_cmd "--format json: an array of {level, pointer, message}"
fi
base_config
run_cmd "$BERTH" validate -b "$B" -f json
assert_eq "$status/$output" "0/[]" "--format json on a clean config: []"

# A value with a newline cannot forge a diagnostic line in text output.
base_config
update_config "$B" 'c["linux"]["intelRdt"] = {"closID": "a\nerror: /fake: forged"}'
run_cmd "$BERTH" validate --bundle "$B" --no-host-checks
if [ "${#lines[@]}" = 2 ] && [[ "${lines[0]}" == *'closID "a\nerror: /fake: forged"'* ]]; then
    ok "text output escapes newlines in values"
else
    _fail_with_cmd "text output escapes newlines in values"
fi
base_config

# ---- host checks, defaults, usage ---------------------------------------------

rmdir "$B/rootfs"
run_cmd "$BERTH" validate --bundle "$B"
assert_contains "$output" "error: /root/path: config.md \"Root\": a directory MUST exist at" \
    "missing rootfs is an error"
run_cmd "$BERTH" validate --bundle "$B" --no-host-checks
assert_eq "$status/$output" "0/0 errors, 0 warnings" "--no-host-checks skips the rootfs"
mkdir "$B/rootfs"

run_cmd bash -c 'cd "$1" && "$2" validate' _ "$B" "$BERTH"
assert_eq "$status/$output" "0/0 errors, 0 warnings" "the bundle defaults to the current directory"

run_cmd "$BERTH" validate --bundle "$TEST_TMP/nonexistent"
if [ "$status" = 1 ] && [[ "$output$stderr" == *"No such file or directory"* ]]; then
    ok "missing config.json: status 1 and the errno text"
else
    _fail_with_cmd "missing config.json: status 1 and the errno text"
fi

run_cmd "$BERTH" validate --bundle "$B" --format xml
assert_status 2 "--format xml is a usage error"
run_cmd "$BERTH" validate --bundle "$B" extra
assert_status 2 "a positional argument is a usage error"

# ---- create applies the same rules before any side effect ---------------------

base_config
update_config "$B" 'c["linux"]["uidMappings"] = [{"containerID": 0, "hostID": 1000, "size": 1}]'
id=$(new_id)
run_cmd berth create --bundle "$B" "$id"
if [[ "$stderr$output" == *"not implemented"* ]] || [ "$status" = 2 ]; then
    skip "create is not implemented yet" 2
else
    if [ "$status" != 0 ] &&
        [[ "$stderr" == *'/linux/uidMappings: config-linux.md "User namespace mappings"'* ]]; then
        ok "create fails with validate's first error"
    else
        _fail_with_cmd "create fails with validate's first error"
    fi
    if [ -e "$BERTH_ROOT/$id" ]; then
        not_ok "a refused create leaves no state" "found $BERTH_ROOT/$id"
    else
        ok "a refused create leaves no state"
    fi
fi

done_testing
