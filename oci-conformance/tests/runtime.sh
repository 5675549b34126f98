# shellcheck shell=bash disable=SC2154 # variables come from lib.sh / suite.sh
# tests/runtime.sh: runtime.md (state, lifecycle, operations, errors).

# A container left in `created` whose process waits for signals once started.
_created() {
    B=$(bundle)
    args "$B" /bin/checker signal-wait
    new_id
    create "$ID" "$B"
}

t_state_created() {
    _created || { fail "create failed"; return; }
    local j
    j=$(state_json "$ID") || { fail "state of a created container failed"; return; }
    echo "state: $j" >>"$CASE_DIR/diag"
    expect_eq "$(jget "$j" 'j.get("status")')" created "status after create"
}

t_state_fields() {
    _created || { fail "create failed"; return; }
    local j
    j=$(state_json "$ID") || { fail "state failed"; return; }
    echo "state: $j" >>"$CASE_DIR/diag"
    local bad
    bad=$(jget "$j" '[k for k, t in (("ociVersion", str), ("id", str), ("status", str), ("bundle", str)) if not isinstance(j.get(k), t)]')
    [ "$bad" = "[]" ] || { fail "missing or mistyped required fields: $bad"; return; }
    expect_eq "$(jget "$j" 'j["id"]')" "$ID" "state id"
}

t_state_ociversion() {
    _created || { fail "create failed"; return; }
    local j v
    j=$(state_json "$ID") || { fail "state failed"; return; }
    v=$(jget "$j" 'j.get("ociVersion")')
    if [[ "$v" =~ ^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$ ]]; then
        pass
    else
        fail "ociVersion '$v' is not SemVer 2.0.0"
    fi
}

t_state_pid() {
    _created || { fail "create failed"; return; }
    local j pid
    j=$(state_json "$ID") || { fail "state failed"; return; }
    pid=$(jget "$j" 'j.get("pid") if isinstance(j.get("pid"), int) and not isinstance(j.get("pid"), bool) else "bad"')
    [ "$pid" != bad ] && [ "$pid" -gt 0 ] || { fail "pid missing or not a positive integer: $j"; return; }
    [ -d "/proc/$pid" ] || { fail "pid $pid is not a live process"; return; }
    [ "$(cat "$B/pid" 2>/dev/null)" = "$pid" ] || { fail "--pid-file says '$(cat "$B/pid" 2>/dev/null)', state says $pid"; return; }
    rt start "$ID" || { fail "start failed"; return; }
    j=$(state_json "$ID") || { fail "state failed"; return; }
    expect_eq "$(jget "$j" 'j.get("pid")')" "$pid" "pid while running"
}

t_state_bundle() {
    _created || { fail "create failed"; return; }
    local j
    j=$(state_json "$ID") || { fail "state failed"; return; }
    local bdl
    bdl=$(jget "$j" 'j.get("bundle")')
    [ "${bdl#/}" != "$bdl" ] || { fail "bundle '$bdl' is not absolute"; return; }
    [ "$(cd "$bdl" 2>/dev/null && pwd -P)" = "$(cd "$B" && pwd -P)" ] || { fail "bundle '$bdl' is not $B"; return; }
    pass
}

t_state_bundle_relative() {
    B=$(bundle)
    new_id
    (cd "$CASE_DIR" && timeout "$CONF_TIMEOUT" "$RUNTIME" --root "$RT_ROOT" create --bundle b "$ID" </dev/null >/dev/null 2>"$CASE_DIR/err") ||
        { skip "runtime refused a relative --bundle path: $(head -c 200 "$CASE_DIR/err")"; return; }
    local j bdl
    j=$(state_json "$ID") || { fail "state failed"; return; }
    bdl=$(jget "$j" 'j.get("bundle")')
    expect_eq "$bdl" "$(cd "$B" && pwd)" "bundle after create --bundle b (relative)"
}

t_state_annotations() {
    B=$(bundle)
    cfg "$B" 'c["annotations"] = {"org.example.key": "value 1", "com.example.other": ""}'
    new_id
    create "$ID" "$B" || { fail "create failed"; return; }
    local j
    j=$(state_json "$ID") || { fail "state failed"; return; }
    echo "state: $j" >>"$CASE_DIR/diag"
    expect_eq "$(jget "$j" 'sorted((j.get("annotations") or {}).items())')" \
        '[["com.example.other", ""], ["org.example.key", "value 1"]]' "state annotations"
}

t_state_running_stopped() {
    _created || { fail "create failed"; return; }
    rt start "$ID" || { fail "start failed"; return; }
    wait_file "$B/out" 5
    [ "$(status "$ID")" = running ] || { fail "status after start: $(status "$ID")"; return; }
    rt kill "$ID" KILL || { fail "kill failed"; return; }
    wait_status "$ID" stopped 10 || { fail "status after the process died: $(status "$ID")"; return; }
    pass
}

t_state_missing() {
    if rt state "oc-does-not-exist-$$"; then fail "state of an unknown id succeeded"; else pass; fi
}

t_state_noid() {
    if rt state; then fail "state without an id succeeded"; else pass; fi
}

t_create_noid() {
    B=$(bundle)
    local before
    before=$(ls -A "$RT_ROOT")
    if timeout "$CONF_TIMEOUT" "$RUNTIME" --root "$RT_ROOT" create --bundle "$B" </dev/null >/dev/null 2>&1; then
        fail "create without an id succeeded"
    else
        [ "$(ls -A "$RT_ROOT")" = "$before" ] || { fail "state root changed: $(ls -A "$RT_ROOT")"; return; }
        pass
    fi
}

t_create_nobundle() {
    local empty=$CASE_DIR/empty
    mkdir -p "$empty"
    new_id
    if create "$ID" "$empty"; then
        fail "create with a bundle without config.json succeeded"
    else
        expect_eq "$(status "$ID")" none "state after the failed create"
    fi
}

t_create_dup() {
    _created || { fail "create failed"; return; }
    local pid1 b2
    pid1=$(jget "$(state_json "$ID")" 'j["pid"]')
    b2=$(bundle b2)
    if create "$ID" "$b2"; then
        fail "second create with the same id succeeded"
        return
    fi
    local j
    j=$(state_json "$ID") || { fail "the first container is gone after the duplicate create"; return; }
    [ "$(jget "$j" 'j["pid"]')" = "$pid1" ] && [ -d "/proc/$pid1" ] || { fail "first container changed: $j"; return; }
    expect_eq "$(jget "$j" '(j["status"], j["bundle"])')" "[\"created\", \"$B\"]" "first container's state"
}

t_create_invalid_id() {
    B=$(bundle)
    local bad="../oc-escape-$$"
    if create "$bad" "$B"; then
        timeout 10 "$RUNTIME" --root "$RT_ROOT" delete --force "$bad" >/dev/null 2>&1
        fail "create accepted the id '$bad'"
    else
        [ ! -e "$RT_ROOT/$bad" ] || { fail "state written outside the root"; return; }
        pass
    fi
}

t_create_applies() {
    command -v nsenter >/dev/null || { skip "host has no nsenter"; return; }
    _created || { fail "create failed"; return; }
    local pid h m
    pid=$(cat "$B/pid")
    h=$(nsenter -t "$pid" -u hostname 2>&1)
    m=$(awk '{print $5}' "/proc/$pid/mountinfo" | tr '\n' ' ')
    echo "mount points: $m" >>"$CASE_DIR/diag"
    [ "$h" = oci-conformance ] || { fail "hostname in the created container's UTS namespace: '$h'"; return; }
    [[ " $m " == *" /proc "* && " $m " == *" /dev/shm "* && " $m " == *" /dev/pts "* ]] || { fail "mounts of config.json missing before start"; return; }
    pass
}

t_args_not_before_start() {
    B=$(bundle)
    mkdir -p "$CASE_DIR/shared"
    cfg "$B" "c['mounts'].append({'destination': '/shared', 'type': 'bind', 'source': '$CASE_DIR/shared', 'options': ['rbind', 'rw']})"
    args "$B" /bin/sh -c 'echo ran >/shared/marker'
    new_id
    create "$ID" "$B" || { fail "create failed"; return; }
    sleep 0.5
    [ ! -e "$CASE_DIR/shared/marker" ] || { fail "process.args ran before start"; return; }
    rt start "$ID" || { fail "start failed"; return; }
    wait_file "$CASE_DIR/shared/marker" 5 || { fail "process.args did not run after start"; return; }
    pass
}

t_config_frozen() {
    B=$(bundle)
    args "$B" /bin/checker hostname
    new_id
    create "$ID" "$B" || { fail "create failed"; return; }
    cfg "$B" 'c["hostname"] = "changed-after-create"; c["process"]["args"] = ["/bin/checker", "exit", "3"]'
    rt start "$ID" || { fail "start failed"; return; }
    wait_status "$ID" stopped 10 || { fail "did not stop"; return; }
    out=$(cat "$B/out")
    expect_eq "$(kv hostname)" oci-conformance "hostname after editing config.json between create and start"
}

t_start_runs() {
    B=$(bundle)
    args "$B" /bin/checker pid
    new_id
    run_to_end "$ID" "$B" || return
    expect_eq "$(kv pid)" 1 "the process is pid 1 of its pid namespace"
}

t_start_twice() {
    _created || { fail "create failed"; return; }
    rt start "$ID" || { fail "first start failed"; return; }
    wait_file "$B/out" 5
    local pid
    pid=$(jget "$(state_json "$ID")" 'j["pid"]')
    if rt start "$ID"; then fail "second start succeeded"; return; fi
    [ "$(status "$ID")" = running ] && [ -d "/proc/$pid" ] || { fail "container changed by the failed start"; return; }
    [ "$(grep -c '^ready=1' "$B/out")" = 1 ] || { fail "program ran twice"; return; }
    pass
}

t_start_stopped() {
    B=$(bundle)
    args "$B" /bin/sh -c 'echo run >>/tmp/count; cat /tmp/count | wc -l'
    new_id
    create "$ID" "$B" && rt start "$ID" && wait_status "$ID" stopped 10 || { fail "could not get a stopped container"; return; }
    if rt start "$ID"; then fail "start of a stopped container succeeded"; return; fi
    expect_eq "$(status "$ID")" stopped "status after the failed start"
}

t_start_missing() {
    if rt start "oc-missing-$$"; then fail "start of an unknown id succeeded"; else pass; fi
}

t_start_noprocess() {
    B=$(bundle)
    cfg "$B" 'del c["process"]'
    new_id
    if ! create "$ID" "$B"; then
        pass "create already refused a config without process"
        return
    fi
    if rt start "$ID"; then fail "start succeeded without process"; else pass; fi
}

t_kill_signal() {
    _created || { fail "create failed"; return; }
    rt start "$ID" || { fail "start failed"; return; }
    wait_file "$B/out" 5 || { fail "container did not get ready"; return; }
    rt kill "$ID" USR1 || { fail "kill USR1 failed"; return; }
    local i
    for ((i = 0; i < 100; i++)); do grep -q '^signal=' "$B/out" && break; sleep 0.05; done
    out=$(cat "$B/out")
    expect_eq "$(kv signal.name)" USR1 "signal seen by the container process"
}

t_kill_numeric() {
    _created || { fail "create failed"; return; }
    rt start "$ID" || { fail "start failed"; return; }
    wait_file "$B/out" 5 || { fail "container did not get ready"; return; }
    rt kill "$ID" 12 || { fail "kill ID 12 failed"; return; }
    local i
    for ((i = 0; i < 100; i++)); do grep -q '^signal=' "$B/out" && break; sleep 0.05; done
    out=$(cat "$B/out")
    expect_eq "$(kv signal)" 12 "signal number seen by the container process"
}

t_kill_missing() {
    if rt kill "oc-missing-$$" TERM; then fail "kill of an unknown id succeeded"; else pass; fi
}

t_kill_created() {
    _created || { fail "create failed"; return; }
    rt kill "$ID" KILL || { fail "kill of a created container failed"; return; }
    wait_status "$ID" stopped 10 || { fail "status after kill: $(status "$ID")"; return; }
    pass
}

t_kill_stopped() {
    _created || { fail "create failed"; return; }
    rt start "$ID" && rt kill "$ID" KILL && wait_status "$ID" stopped 10 || { fail "could not get a stopped container"; return; }
    if rt kill "$ID" TERM; then fail "kill of a stopped container succeeded"; return; fi
    expect_eq "$(status "$ID")" stopped "status after the failed kill"
}

t_delete_running() {
    _created || { fail "create failed"; return; }
    rt start "$ID" || { fail "start failed"; return; }
    local pid
    pid=$(cat "$B/pid")
    if rt delete "$ID"; then fail "delete of a running container succeeded"; return; fi
    [ "$(status "$ID")" = running ] && [ -d "/proc/$pid" ] || { fail "container changed by the failed delete: $(status "$ID")"; return; }
    pass
}

t_delete_created() {
    _created || { fail "create failed"; return; }
    local pid
    pid=$(cat "$B/pid")
    if rt delete "$ID"; then
        fail "delete of a created container succeeded (status now: $(status "$ID"))"
        return
    fi
    [ "$(status "$ID")" = created ] && [ -d "/proc/$pid" ] || { fail "container changed by the failed delete"; return; }
    pass
}

t_delete_stopped() {
    B=$(bundle)
    args "$B" /bin/checker pid
    new_id
    create "$ID" "$B" && rt start "$ID" && wait_status "$ID" stopped 10 || { fail "could not get a stopped container"; return; }
    rt delete "$ID" || { fail "delete of a stopped container failed"; return; }
    [ "$(status "$ID")" = none ] || { fail "state still answers after delete"; return; }
    ! root_has "$ID" || { fail "left in the state root: $(ls -A "$RT_ROOT")"; return; }
    pass
}

t_delete_cgroup() {
    _created || { fail "create failed"; return; }
    local pid f
    pid=$(cat "$B/pid")
    f=$(host_cgroup_file "$pid" pids cgroup.procs) || { skip "no pids cgroup found for the container"; return; }
    local dir=${f%/cgroup.procs}
    [ "$dir" != /sys/fs/cgroup/pids ] || { skip "container in the root pids cgroup"; return; }
    rt start "$ID" && rt kill "$ID" KILL && wait_status "$ID" stopped 10 || { fail "could not stop the container"; return; }
    rt delete "$ID" || { fail "delete failed"; return; }
    [ ! -d "$dir" ] || { fail "cgroup $dir is still there after delete"; return; }
    pass
}

t_delete_missing() {
    if rt delete "oc-missing-$$"; then fail "delete of an unknown id succeeded"; else pass; fi
}

t_id_reuse() {
    B=$(bundle)
    args "$B" /bin/checker pid
    new_id
    run_to_end "$ID" "$B" || return
    rm -f "$B/out"
    run_to_end "$ID" "$B" || return
    pass
}

t_create_fail_clean() {
    B=$(bundle)
    cfg "$B" "c['mounts'].append({'destination': '/x', 'type': 'bind', 'source': '$CASE_DIR/does-not-exist', 'options': ['rbind']})"
    new_id
    if create "$ID" "$B"; then fail "create with a bind mount of a missing source succeeded"; return; fi
    [ "$(status "$ID")" = none ] || { fail "state after the failed create: $(status "$ID")"; return; }
    ! root_has "$ID" || { fail "left in the state root: $(ls -A "$RT_ROOT")"; return; }
    local left
    left=$(find /sys/fs/cgroup -maxdepth 5 -type d -name "*$ID*" 2>/dev/null | head -n 3)
    [ -z "$left" ] || { fail "cgroup left behind: $left"; return; }
    pass
}

check MUST "runtime.md#state: status is created after create" t_state_created
check MUST "runtime.md#state: ociVersion, id, status, bundle present with JSON types of state-schema.json" t_state_fields
check MUST "config.md#specification-version / runtime.md#state: ociVersion is SemVer" t_state_ociversion
check MUST "runtime.md#state: pid REQUIRED when created or running, the container process" t_state_pid
check MUST "runtime.md#state: bundle is the absolute path of the bundle" t_state_bundle
check MUST "runtime.md#state: bundle absolute even when create got a relative path" t_state_bundle_relative
check MAY "runtime.md#state: annotations of config.json in the state" t_state_annotations
check MUST "runtime.md#state: status running after start, stopped after the process exits" t_state_running_stopped
check MUST "runtime.md#query-state: state of a container that does not exist MUST error" t_state_missing
check MUST "runtime.md#query-state: state without an id MUST error" t_state_noid
check MUST "runtime.md#create: create without an id MUST error" t_create_noid
check MUST "runtime.md#create: create with an unusable bundle MUST error, no container" t_create_nobundle
check MUST "runtime.md#create: non-unique id MUST error, no new container, first unaffected" t_create_dup
check MUST "runtime.md#create: invalid id (../x) MUST error" t_create_invalid_id
check MUST "runtime.md#create: all properties except process MUST be applied by create (before start)" t_create_applies
check MUST "runtime.md#lifecycle step 2: process.args MUST NOT run before start" t_args_not_before_start
check MUST "runtime.md#lifecycle step 2: config.json updates after create MUST NOT affect the container" t_config_frozen
check MUST "runtime.md#start: start MUST run the user-specified program" t_start_runs
check MUST "runtime.md#start: start of a running container MUST error, no effect" t_start_twice
check MUST "runtime.md#start: start of a stopped container MUST error, no effect" t_start_stopped
check MUST "runtime.md#start: start of an unknown id MUST error" t_start_missing
check MUST "runtime.md#start: start MUST error if process was not set" t_start_noprocess
check MUST "runtime.md#kill: kill MUST send the signal to the container process" t_kill_signal
check MUST "runtime.md#kill: kill of a created container is allowed" t_kill_created
check MUST "runtime.md#kill: kill with a numeric signal (as engines send it)" t_kill_numeric
check MUST "runtime.md#kill: kill of an unknown id MUST error" t_kill_missing
check MUST "runtime.md#kill: kill of a stopped container MUST error, no effect" t_kill_stopped
check MUST "runtime.md#delete: delete of a running container MUST error, no effect" t_delete_running
check MUST "runtime.md#delete: delete of a created container MUST error, no effect" t_delete_created
check MUST "runtime.md#delete: delete of a stopped container removes it" t_delete_stopped
check MUST "runtime.md#delete: delete MUST remove resources created by create (cgroup)" t_delete_cgroup
check MUST "runtime.md#delete: delete of an unknown id MUST error" t_delete_missing
check MAY "runtime.md#delete: the id MAY be reused after delete" t_id_reuse
check MUST "runtime.md#errors: a failed create leaves the environment as if never attempted" t_create_fail_clean
