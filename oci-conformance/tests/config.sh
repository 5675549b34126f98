# shellcheck shell=bash disable=SC2154 # variables come from lib.sh / suite.sh
# tests/config.sh: config.md (root, mounts, process, hostname, hooks,
# annotations, extensibility), each read back from inside the container.

# --- process fixture: one container run as root with most process fields.
_proc_fixture() {
    if [ -z "${PROC_DONE:-}" ]; then
        PROC_DONE=1
        local save=$_result
        _result=""
        B=$(bundle proc)
        cfg "$B" '
p = c["process"]
p["cwd"] = "/tmp"
p["env"] = ["PATH=/bin:/sbin", "OC_A=1", "OC_B=with space=and equals"]
p["user"] = {"uid": 0, "gid": 0, "umask": 23}
p["rlimits"] = [{"type": "RLIMIT_NOFILE", "soft": 1000, "hard": 1001},
                {"type": "RLIMIT_CORE", "soft": 12345, "hard": 23456}]
p["capabilities"] = {"bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW"],
                     "effective": ["CAP_CHOWN", "CAP_KILL"],
                     "permitted": ["CAP_CHOWN", "CAP_KILL"],
                     "inheritable": [], "ambient": []}
p["noNewPrivileges"] = True
p["oomScoreAdj"] = 123
c["hostname"] = "oc-host"
c["domainname"] = "oc.example"'
        args "$B" /bin/checker ids cwd env rlimits caps nnp oom hostname domainname ro /
        new_id
        run_to_end "$ID" "$B" && PROC_OUT=$out
        PROC_ERR=$_note
        cp "$CASE_DIR/diag" "$WORK/proc.diag" 2>/dev/null
        _result=$save _note=""
    fi
    if [ -z "${PROC_OUT:-}" ]; then
        cat "$WORK/proc.diag" >>"$CASE_DIR/diag" 2>/dev/null
        fail "the process fixture container failed: $PROC_ERR"
        return 1
    fi
    out=$PROC_OUT
}

# --- user fixture: uid/gid/additionalGids, no oomScoreAdj, nnp false.
_user_fixture() {
    if [ -z "${USER_DONE:-}" ]; then
        USER_DONE=1
        local save=$_result
        _result=""
        B=$(bundle user)
        cfg "$B" '
p = c["process"]
p["user"] = {"uid": 1000, "gid": 1001, "additionalGids": [2000, 3000], "umask": 63}
p["noNewPrivileges"] = False
p.pop("oomScoreAdj", None)'
        args "$B" /bin/checker ids nnp oom caps
        new_id
        run_to_end "$ID" "$B" && USER_OUT=$out
        USER_ERR=$_note
        cp "$CASE_DIR/diag" "$WORK/user.diag" 2>/dev/null
        _result=$save _note=""
    fi
    if [ -z "${USER_OUT:-}" ]; then
        cat "$WORK/user.diag" >>"$CASE_DIR/diag" 2>/dev/null
        fail "the user fixture container failed: $USER_ERR"
        return 1
    fi
    out=$USER_OUT
}

t_cwd() { _proc_fixture && expect_eq "$(kv cwd)" /tmp "cwd"; }
t_env() {
    _proc_fixture || return
    expect_eq "$(kv env.OC_A),$(kv env.OC_B),$(kv env.PATH)" "1,with space=and equals,/bin:/sbin" "env OC_A, OC_B, PATH"
}
t_umask() { _proc_fixture && expect_eq "$(kv umask)" 0027 "umask (config 23 = 0027)"; }
t_uid_gid() {
    _user_fixture || return
    expect_eq "$(kv uid) $(kv gid) $(kv euid) $(kv egid)" "1000 1001 1000 1001" "uid gid euid egid"
}
t_additional_gids() {
    _user_fixture || return
    local g
    g=$(kv groups | tr ',' '\n' | sort -n | tr '\n' ' ')
    # The primary gid may or may not be in the list (setgroups(2) does not
    # require it); the additional ones must be there.
    g=${g/1001 /}
    expect_eq "$g" "2000 3000 " "supplementary groups"
}
t_umask_user() { _user_fixture && expect_eq "$(kv umask)" 0077 "umask (config 63 = 0077)"; }
t_rlimits() {
    _proc_fixture || return
    expect_eq "$(kv rlimit.RLIMIT_NOFILE) / $(kv rlimit.RLIMIT_CORE)" "1000 1001 / 12345 23456" "RLIMIT_NOFILE / RLIMIT_CORE soft hard"
}
t_rlimits_dup() {
    B=$(bundle)
    cfg "$B" 'c["process"]["rlimits"] = [{"type": "RLIMIT_NOFILE", "soft": 100, "hard": 100}, {"type": "RLIMIT_NOFILE", "soft": 200, "hard": 200}]'
    new_id
    if create "$ID" "$B"; then fail "create accepted duplicate rlimits"; else expect_eq "$(status "$ID")" none "state after the failed create"; fi
}
t_rlimits_unknown() {
    B=$(bundle)
    cfg "$B" 'c["process"]["rlimits"] = [{"type": "RLIMIT_OC_BOGUS", "soft": 1, "hard": 1}]'
    new_id
    if create "$ID" "$B"; then fail "create accepted rlimit type RLIMIT_OC_BOGUS"; else expect_eq "$(status "$ID")" none "state after the failed create"; fi
}
t_caps() {
    _proc_fixture || return
    expect_eq "eff=$(kv CapEff.names) prm=$(kv CapPrm.names) bnd=$(kv CapBnd.names) inh=$(kv CapInh.names) amb=$(kv CapAmb.names)" \
        "eff=CAP_CHOWN,CAP_KILL prm=CAP_CHOWN,CAP_KILL bnd=CAP_CHOWN,CAP_KILL,CAP_NET_RAW inh= amb=" "capability sets"
}
t_caps_unknown() {
    B=$(bundle)
    cfg "$B" 'c["process"]["capabilities"]["bounding"].append("CAP_OC_BOGUS")'
    args "$B" /bin/checker caps
    new_id
    create "$ID" "$B" || { fail "create failed on an unknown capability (SHOULD warn, not fail): $(head -c 200 "$B/err")"; return; }
    pass
}
t_nnp() { _proc_fixture && expect_eq "$(kv NoNewPrivs)" 1 "NoNewPrivs with noNewPrivileges true"; }
t_nnp_false() { _user_fixture && expect_eq "$(kv NoNewPrivs)" 0 "NoNewPrivs with noNewPrivileges false"; }
t_oom_set() { _proc_fixture && expect_eq "$(kv oom_score_adj)" 123 "oom_score_adj"; }
t_oom_unset() { _user_fixture && expect_eq "$(kv oom_score_adj)" "$(cat /proc/$$/oom_score_adj)" "oom_score_adj without oomScoreAdj (the caller's)"; }
t_hostname() { _proc_fixture && expect_eq "$(kv hostname)" oc-host "hostname"; }
t_domainname() { _proc_fixture && expect_eq "$(kv domainname)" oc.example "domainname"; }
t_root_rw() { _proc_fixture && expect_eq "$(kv ro)" 0 "rootfs writable with readonly false"; }

t_root_ro() {
    B=$(bundle)
    cfg "$B" 'c["root"]["readonly"] = True'
    args "$B" /bin/checker ro / ro /tmp
    new_id
    run_to_end "$ID" "$B" || return
    expect_eq "$(kv ro)" 1 "rootfs read-only with readonly true"
}

t_root_missing() {
    B=$(bundle)
    cfg "$B" 'c["root"]["path"] = "no-such-rootfs"'
    new_id
    if create "$ID" "$B"; then fail "create succeeded with a missing root.path"; else expect_eq "$(status "$ID")" none "state after the failed create"; fi
}

t_cwd_relative() {
    B=$(bundle)
    cfg "$B" 'c["process"]["cwd"] = "tmp"'
    new_id
    if create "$ID" "$B" && rt start "$ID"; then fail "a relative cwd was accepted"; else pass; fi
}

t_mount_order() {
    B=$(bundle)
    cfg "$B" 'c["mounts"] += [{"destination": "/mnt/o", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m"]},
                              {"destination": "/mnt/o", "type": "tmpfs", "source": "tmpfs", "options": ["size=2m"]},
                              {"destination": "/mnt/o/inner", "type": "tmpfs", "source": "tmpfs", "options": ["size=3m"]}]'
    args "$B" /bin/checker mounts
    new_id
    run_to_end "$ID" "$B" || return
    local seq
    seq=$(grep -E '^mount=.* /mnt/o(/inner)? ' <<<"$out" | grep -oE 'size=[0-9]+k' | tr '\n' ' ')
    expect_eq "$seq" "size=1024k size=2048k size=3072k " "tmpfs sizes in mountinfo order at /mnt/o, /mnt/o, /mnt/o/inner"
}

t_mount_relative_dest() {
    B=$(bundle)
    cfg "$B" 'c["mounts"].append({"destination": "mnt/rel", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m"]})'
    args "$B" /bin/checker mounts
    new_id
    run_to_end "$ID" "$B" || return
    if grep -qE '^mount=[^ ]+ [^ ]+ [^ ]+ [^ ]+ /mnt/rel ' <<<"$out"; then pass; else fail "no mount at /mnt/rel"; fi
}

t_mount_bind_ro() {
    B=$(bundle)
    mkdir -p "$CASE_DIR/src"
    echo hello >"$CASE_DIR/src/file"
    cfg "$B" "c['mounts'].append({'destination': '/mnt/b', 'type': 'bind', 'source': '$CASE_DIR/src', 'options': ['rbind', 'ro', 'nosuid', 'nodev', 'noexec']})"
    args "$B" /bin/sh -c 'cat /mnt/b/file; /bin/checker ro /mnt/b mounts'
    new_id
    run_to_end "$ID" "$B" || return
    grep -q '^hello$' <<<"$out" || { fail "bind mount content not visible"; return; }
    [ "$(kv ro)" = 1 ] || { fail "ro bind mount is writable (ro=$(kv ro))"; return; }
    local line
    line=$(grep -E '^mount=[^ ]+ [^ ]+ [^ ]+ [^ ]+ /mnt/b ' <<<"$out" | tail -n 1)
    local o
    o=$(awk '{print $6}' <<<"${line#mount=}")
    [[ ",$o," == *",nosuid,"* && ",$o," == *",nodev,"* && ",$o," == *",noexec,"* ]] || { fail "mount options at /mnt/b: $o"; return; }
    pass
}

t_mount_data() {
    B=$(bundle)
    cfg "$B" 'c["mounts"].append({"destination": "/mnt/t", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "mode=0710", "size=512k"]})'
    args "$B" /bin/checker stat /mnt/t mounts
    new_id
    run_to_end "$ID" "$B" || return
    expect_eq "$(kv stat.mode)" 0710 "mode of a tmpfs mounted with mode=0710 (unknown options go to mount(2) data)"
}

# --- hooks
_hook_bundle() {
    B=$(bundle)
    LOG=$CASE_DIR/log
    mkdir -p "$LOG"
    HOOK=$CASE_DIR/hook.sh
    cat >"$HOOK" <<'SH'
#!/bin/sh
# hook.sh NAME LOGDIR: records the state on stdin, the order, the netns,
# the arguments and the environment.
cat >"$2/$1.state"
echo "$@" >"$2/$1.args"
env >"$2/$1.env"
readlink /proc/self/ns/net >"$2/$1.netns"
echo "$1" >>"$2/order"
SH
    chmod 755 "$HOOK"
    cp "$HOOK" "$B/rootfs/bin/oc-hook.sh"
    cfg "$B" "
h = lambda n, p='$HOOK', l='$LOG': {'path': p, 'args': ['hook.sh', n, l], 'env': ['OC_HOOK=' + n]}
c['mounts'].append({'destination': '/hooklog', 'type': 'bind', 'source': '$LOG', 'options': ['rbind', 'rw']})
c['hooks'] = {'prestart': [h('prestart')],
              'createRuntime': [h('createRuntime1'), h('createRuntime2')],
              'createContainer': [h('createContainer')],
              'startContainer': [{'path': '/bin/oc-hook.sh', 'args': ['hook.sh', 'startContainer', '/hooklog']}],
              'poststart': [h('poststart')],
              'poststop': [h('poststop')]}"
    args "$B" /bin/checker signal-wait
}

# Runs the hook container through create, start, kill, delete once per
# check and records what the hooks saw at each step.
_hook_run() {
    _hook_bundle
    new_id
    create "$ID" "$B" || { fail "create with hooks failed: $(head -c 300 "$B/err")"; return 1; }
    ORDER_CREATE=$(tr '\n' ' ' <"$LOG/order" 2>/dev/null)
    CPID=$(cat "$B/pid")
    CNETNS=$(readlink "/proc/$CPID/ns/net")
    rt start "$ID" || { fail "start with hooks failed"; return 1; }
    ORDER_START=$(tr '\n' ' ' <"$LOG/order" 2>/dev/null)
    rt kill "$ID" KILL
    wait_status "$ID" stopped 10
    rt delete "$ID" || { fail "delete with hooks failed"; return 1; }
    ORDER_DELETE=$(tr '\n' ' ' <"$LOG/order" 2>/dev/null)
    echo "order: create=[$ORDER_CREATE] start=[$ORDER_START] delete=[$ORDER_DELETE]" >>"$CASE_DIR/diag"
}

t_hooks_order() {
    _hook_run || return
    expect_eq "$ORDER_CREATE|$ORDER_START|$ORDER_DELETE" \
        "prestart createRuntime1 createRuntime2 createContainer |prestart createRuntime1 createRuntime2 createContainer startContainer poststart |prestart createRuntime1 createRuntime2 createContainer startContainer poststart poststop " \
        "hooks run after create | after start | after delete"
}

t_hooks_state() {
    _hook_run || return
    local n bad=""
    for n in prestart createRuntime1 createContainer startContainer poststart poststop; do
        [ -s "$LOG/$n.state" ] || { bad="$bad $n:no-state"; continue; }
        local r
        r=$(jget "$(cat "$LOG/$n.state")" "'ok' if j.get('id') == '$ID' and j.get('bundle') == '$B' and j.get('status') in ('creating', 'created', 'running', 'stopped', 'paused') and isinstance(j.get('ociVersion'), str) else 'bad'" 2>/dev/null)
        [ "$r" = ok ] || bad="$bad $n:$(head -c 200 "$LOG/$n.state")"
    done
    [ -z "$bad" ] && pass || fail "state on stdin wrong for:$bad"
}

t_hooks_pid() {
    _hook_run || return
    local n bad=""
    for n in createRuntime1 poststart; do
        local p
        p=$(jget "$(cat "$LOG/$n.state" 2>/dev/null)" 'j.get("pid")' 2>/dev/null)
        [ "$p" = "$CPID" ] || bad="$bad $n:pid=$p"
    done
    [ -z "$bad" ] && pass || fail "pid in the state of runtime-namespace hooks is not the container pid $CPID:$bad"
}

t_hooks_ns() {
    _hook_run || return
    local host n bad=""
    host=$(readlink /proc/self/ns/net)
    for n in prestart createRuntime1 poststart poststop; do
        [ "$(cat "$LOG/$n.netns" 2>/dev/null)" = "$host" ] || bad="$bad $n:$(cat "$LOG/$n.netns" 2>/dev/null)(want runtime $host)"
    done
    for n in createContainer startContainer; do
        [ "$(cat "$LOG/$n.netns" 2>/dev/null)" = "$CNETNS" ] || bad="$bad $n:$(cat "$LOG/$n.netns" 2>/dev/null)(want container $CNETNS)"
    done
    [ -z "$bad" ] && pass || fail "hooks ran in the wrong network namespace:$bad"
}

t_hooks_args_env() {
    _hook_run || return
    local n bad=""
    for n in prestart createRuntime1 createContainer poststart poststop; do
        [ "$(cat "$LOG/$n.args" 2>/dev/null)" = "$n $LOG" ] || bad="$bad $n:args=[$(cat "$LOG/$n.args" 2>/dev/null)]"
        local e
        e=$(grep -v '^PWD=\|^SHLVL=\|^_=' "$LOG/$n.env" 2>/dev/null | tr '\n' ' ')
        [ "$e" = "OC_HOOK=$n " ] || bad="$bad $n:env=[$e]"
    done
    [ -z "$bad" ] && pass || fail "hook args/env not as configured:$bad"
}

t_hook_timeout() {
    B=$(bundle)
    args "$B" /bin/checker pid
    cfg "$B" "c['hooks'] = {'createRuntime': [{'path': '/bin/sleep', 'args': ['sleep', '30'], 'timeout': 1}]}"
    new_id
    local t0=$SECONDS
    if create "$ID" "$B"; then fail "create succeeded although the hook ran past its timeout"; return; fi
    [ $((SECONDS - t0)) -lt 15 ] || { fail "create took $((SECONDS - t0))s with a 1s hook timeout"; return; }
    local st
    st=$(status "$ID")
    [ "$st" = none ] || [ "$st" = stopped ] || { fail "status after the hook timeout: $st"; return; }
    pass
}

t_console_size_ignored() {
    B=$(bundle)
    cfg "$B" 'c["process"]["consoleSize"] = {"height": 40, "width": 100}'
    args "$B" /bin/checker pid
    new_id
    run_to_end "$ID" "$B" || return
    expect_eq "$(kv pid)" 1 "container with consoleSize and terminal false ran"
}

t_args_empty() {
    B=$(bundle)
    cfg "$B" 'c["process"]["args"] = []'
    new_id
    if create "$ID" "$B" && rt start "$ID"; then fail "a container with empty process.args started"; else pass; fi
}

t_args_path_lookup() {
    B=$(bundle)
    cfg "$B" 'c["process"]["env"] = ["PATH=/sbin:/bin"]'
    args "$B" checker pid
    new_id
    run_to_end "$ID" "$B" || return
    expect_eq "$(kv pid)" 1 "args[0] 'checker' found through PATH (execvp semantics)"
}

_hook_invalid() {
    B=$(bundle)
    cfg "$B" "c['hooks'] = {'createRuntime': [$1]}"
    new_id
    if create "$ID" "$B"; then fail "create accepted hook $1"; else expect_eq "$(status "$ID")" none "state after the failed create"; fi
}
t_hook_relative() { _hook_invalid "{'path': 'bin/true'}"; }
t_hook_timeout_zero() { _hook_invalid "{'path': '/bin/true', 'timeout': 0}"; }

t_annotation_empty_key() {
    B=$(bundle)
    cfg "$B" 'c["annotations"] = {"": "x"}'
    new_id
    if create "$ID" "$B"; then fail "create accepted an empty annotation key"; else pass; fi
}

_hook_fail_at() {
    local kind=$1
    B=$(bundle)
    args "$B" /bin/checker signal-wait
    cfg "$B" "c['hooks'] = {'$kind': [{'path': '/bin/false'}]}"
    new_id
}

t_hook_fail_create() {
    local kind=$1
    _hook_fail_at "$kind"
    if create "$ID" "$B"; then fail "create succeeded although a $kind hook failed"; return; fi
    local pid st
    pid=$(cat "$B/pid" 2>/dev/null)
    st=$(status "$ID")
    [ "$st" = none ] || [ "$st" = stopped ] || { fail "status after the failed $kind hook: $st"; return; }
    [ -z "$pid" ] || [ ! -d "/proc/$pid" ] || [ "$(cat /proc/$pid/stat 2>/dev/null | awk '{print $3}')" = Z ] ||
        { fail "container process $pid still alive"; return; }
    pass
}
t_hook_fail_prestart() { t_hook_fail_create prestart; }
t_hook_fail_createRuntime() { t_hook_fail_create createRuntime; }
t_hook_fail_createContainer() { t_hook_fail_create createContainer; }

t_hook_fail_start() {
    local kind=$1
    _hook_fail_at "$kind"
    create "$ID" "$B" || { fail "create failed"; return; }
    local pid
    pid=$(cat "$B/pid")
    if rt start "$ID"; then fail "start succeeded although a $kind hook failed"; return; fi
    local i
    for ((i = 0; i < 100; i++)); do [ -d "/proc/$pid" ] && [ "$(awk '{print $3}' /proc/$pid/stat 2>/dev/null)" != Z ] || break; sleep 0.05; done
    [ ! -d "/proc/$pid" ] || [ "$(awk '{print $3}' /proc/$pid/stat 2>/dev/null)" = Z ] || { fail "container process still alive (status $(status "$ID"))"; return; }
    pass
}
t_hook_fail_startContainer() { t_hook_fail_start startContainer; }
t_hook_fail_poststart() { t_hook_fail_start poststart; }

t_hook_fail_poststop() {
    _hook_fail_at poststop
    create "$ID" "$B" && rt start "$ID" && rt kill "$ID" KILL && wait_status "$ID" stopped 10 || { fail "could not get a stopped container"; return; }
    rt delete "$ID" || { fail "delete failed because a poststop hook failed (MUST only warn)"; return; }
    expect_eq "$(status "$ID")" none "state after delete"
}

t_annotations_unknown() {
    B=$(bundle)
    cfg "$B" 'c["annotations"] = {"org.example.unknown.to.anyone": "x"}; c["ocConformanceUnknownField"] = {"a": 1}; c["process"]["ocUnknown"] = True'
    args "$B" /bin/checker pid
    new_id
    run_to_end "$ID" "$B" || return
    expect_eq "$(kv pid)" 1 "container ran with unknown properties"
}

check MUST "config.md#process: cwd is the working directory" t_cwd
check MUST "config.md#process: cwd MUST be absolute (relative cwd is an error)" t_cwd_relative
check MUST "config.md#process: env is the environment" t_env
check MUST "config.md#posix-platform-user: umask" t_umask
check MUST "config.md#posix-platform-user: umask of a non-root user" t_umask_user
check MUST "config.md#posix-platform-user: uid and gid" t_uid_gid
check MUST "config.md#posix-platform-user: additionalGids" t_additional_gids
check MUST "config.md#posix-process: rlimits soft and hard MUST match" t_rlimits
check MUST "config.md#posix-process: duplicate rlimits type MUST error" t_rlimits_dup
check MUST "config.md#posix-process: unmappable rlimit type MUST error" t_rlimits_unknown
check MUST "config.md#linux-process: capabilities sets as configured" t_caps
check SHOULD "config.md#linux-process: unknown capability MUST warn, SHOULD NOT fail" t_caps_unknown
check MUST "config.md#linux-process: noNewPrivileges true sets no_new_privs" t_nnp
check MUST "config.md#linux-process: noNewPrivileges false leaves no_new_privs unset" t_nnp_false
check MUST "config.md#linux-process: oomScoreAdj set MUST be applied" t_oom_set
check MUST "config.md#linux-process: oomScoreAdj unset MUST NOT change oom_score_adj" t_oom_unset
check MUST "config.md#hostname: hostname in the container UTS namespace" t_hostname
check MUST "config.md#domainname: domainname in the container UTS namespace" t_domainname
check MUST "config.md#root: readonly false leaves the root writable" t_root_rw
check MUST "config.md#root: readonly true MUST make the root read-only" t_root_ro
check MUST "config.md#root: a directory MUST exist at root.path (missing is an error)" t_root_missing
check MUST "config.md#mounts: mounts MUST be mounted in the listed order" t_mount_order
check MUST "config.md#mounts: relative destination MUST be relative to /" t_mount_relative_dest
check MUST "config.md#linux-mount-options: bind, ro, nosuid, nodev, noexec" t_mount_bind_ro
check SHOULD "config.md#linux-mount-options: unknown options as filesystem data (mode=, size=)" t_mount_data
check MUST "config.md#posix-platform-hooks: hooks MUST be called in the listed order at create, start, delete" t_hooks_order
check MUST "config.md#posix-platform-hooks: the state MUST be passed to hooks over stdin" t_hooks_state
check MUST "runtime.md#state: pid in the state of runtime-namespace hooks is the pid seen by the runtime" t_hooks_pid
check MUST "config.md#posix-platform-hooks: each hook runs in its namespace (runtime vs container)" t_hooks_ns
check MUST "config.md#posix-platform-hooks: hook args and env passed as configured" t_hooks_args_env
check MUST "config.md#posix-platform-hooks: timeout aborts the hook (create errors)" t_hook_timeout
check MUST "config.md#process: consoleSize MUST be ignored when terminal is false" t_console_size_ignored
check MUST "runtime.md#lifecycle step 3: failing prestart hook MUST error and stop the container" t_hook_fail_prestart
check MUST "runtime.md#lifecycle step 4: failing createRuntime hook MUST error and stop the container" t_hook_fail_createRuntime
check MUST "runtime.md#lifecycle step 5: failing createContainer hook MUST error and stop the container" t_hook_fail_createContainer
check MUST "runtime.md#lifecycle step 7: failing startContainer hook MUST error and stop the container" t_hook_fail_startContainer
check MUST "runtime.md#lifecycle step 9: failing poststart hook MUST error and stop the container (1.3)" t_hook_fail_poststart
check MUST "runtime.md#lifecycle step 13: failing poststop hook MUST only warn, delete continues" t_hook_fail_poststop
check MUST "config.md#process: args MUST have at least one entry (empty args is an error)" t_args_empty
check MUST "config.md#process: args[0] has execvp file semantics (PATH lookup)" t_args_path_lookup
check MUST "config.md#posix-platform-hooks: hook path MUST be absolute (relative is an error)" t_hook_relative
check MUST "config.md#posix-platform-hooks: hook timeout MUST be greater than zero (0 is an error)" t_hook_timeout_zero
check MUST "config.md#annotations: keys MUST NOT be empty (config.md#valid-values: error)" t_annotation_empty_key
check MUST "config.md#extensibility: unknown properties and annotation keys MUST be ignored" t_annotations_unknown
