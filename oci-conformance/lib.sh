# shellcheck shell=bash disable=SC2154 # variables come from lib.sh / suite.sh
# lib.sh: the framework of berth's runtime-agnostic OCI conformance suite.
#
# Sourced by suite.sh. A check is one shell function registered with
#   check LEVEL "spec.md#section: requirement text" function_name
# LEVEL is MUST, SHOULD or MAY. The function ends in exactly one of
#   pass [NOTE] | fail REASON... | skip REASON
# (the first one wins; a function that calls none FAILs with "no result").
# Each check prints one TAP line: ok N - [LEVEL] TAG / not ok N - ... /
# ok N - ... # SKIP reason. Diagnostics follow failures as "# " lines.
#
# Only the runc CLI surface is used: --root R create --bundle B --pid-file P
# ID, start, state, kill, delete [--force]. RUNTIME is the binary (or a
# wrapper script) under test; RT_ROOT is its private --root.

PYTHON=${PYTHON:-/usr/bin/python3}
CONF_TIMEOUT=${CONF_TIMEOUT:-20}

_n=0
_result=""
_ids=()
_cur_tag=""
_cur_level=""

# ------------------------------------------------------------------ results

pass() { [ -n "$_result" ] || { _result=pass; _note="$*"; }; return 0; }
fail() { [ -n "$_result" ] || { _result=fail; _note="$*"; }; return 0; }
skip() { [ -n "$_result" ] || { _result=skip; _note="$*"; }; return 0; }
diag() { printf '%s\n' "$@" >>"$CASE_DIR/diag"; }

_tap_clean() { local d=${1//$'\n'/ }; printf '%s' "${d//#/\\#}"; }

# check LEVEL TAG FUNCTION: runs one requirement check (see header).
check() {
    local level=$1 tag=$2 fn=$3
    if [ -n "${ONLY:-}" ] && [[ "$tag $fn" != *"$ONLY"* ]]; then
        return 0
    fi
    _n=$((_n + 1))
    _result="" _note="" _ids=()
    CASE_DIR=$WORK/case-$_n
    mkdir -p "$CASE_DIR"
    chmod 755 "$CASE_DIR"
    _cur_tag=$tag _cur_level=$level
    "$fn"
    _cleanup_case
    local line="[$level] $(_tap_clean "$tag")"
    case $_result in
    pass) echo "ok $_n - $line" ;;
    skip) echo "ok $_n - $line # SKIP $(_tap_clean "$_note")" ;;
    fail)
        echo "not ok $_n - $line"
        echo "# reason: $(_tap_clean "$_note")"
        ;;
    *)
        echo "not ok $_n - $line"
        echo "# reason: check function $fn gave no result"
        _result=fail
        ;;
    esac
    if [ "$_result" = fail ] && [ -s "$CASE_DIR/diag" ]; then
        head -n 30 "$CASE_DIR/diag" | sed 's/^/#   /'
    fi
    [ -n "${KEEP:-}" ] || rm -rf --one-file-system "$CASE_DIR" 2>/dev/null
}

# ------------------------------------------------------------------ runtime

# Runtimes get an empty pipe, never /dev/null, as stdin: a runtime that
# chowns its stdio to the container's root (crun 1.8.1 does, in a user
# namespace) would otherwise chown the host's /dev/null.

# rt ARGS...: runs the runtime with its private root; stdout/stderr go to
# $CASE_DIR/rt.out/rt.err (the last call), status in $rc.
rt() {
    timeout -k 5 "$CONF_TIMEOUT" "$RUNTIME" --root "$RT_ROOT" "$@" \
        < <(:) >"$CASE_DIR/rt.out" 2>"$CASE_DIR/rt.err"
    rc=$?
    echo "\$ runtime $* -> $rc $(head -c 300 "$CASE_DIR/rt.err" | tr '\n' ' ')" >>"$CASE_DIR/diag"
    return $rc
}

# new_id [VAR]: sets VAR (default ID) to a fresh container id, recorded for
# the cleanup after the check.
new_id() {
    local id="oc-$$-$_n-${#_ids[@]}"
    _ids+=("$id")
    printf -v "${1:-ID}" '%s' "$id"
}

# root_has ID: the runtime's state root still holds something named ID.
root_has() { ls -A "$RT_ROOT" 2>/dev/null | grep -qF -- "$1"; }

# create ID BUNDLE [EXTRA CREATE ARGS]: the container's stdout/stderr are
# BUNDLE/out and BUNDLE/err (the runtime gives its own stdio to the
# container when there is no terminal).
create() {
    local id=$1 b=$2
    shift 2
    timeout -k 5 "$CONF_TIMEOUT" "$RUNTIME" --root "$RT_ROOT" create --bundle "$b" \
        --pid-file "$b/pid" "$@" "$id" < <(:) >"$b/out" 2>"$b/err"
    rc=$?
    echo "\$ runtime create $id -> $rc $(grep -v '^$' "$b/err" | head -c 400 | tr '\n' ' ')" >>"$CASE_DIR/diag"
    return $rc
}

state_json() { rt state "$1" && cat "$CASE_DIR/rt.out"; }

# status ID: the status field of `state`, or "none" when state fails.
status() {
    local j
    j=$(timeout 10 "$RUNTIME" --root "$RT_ROOT" state "$1" 2>/dev/null) || { echo none; return; }
    jget "$j" 'j["status"]' 2>/dev/null || echo invalid
}

# jget JSON PYEXPR
jget() {
    "$PYTHON" -c '
import json, sys
j = json.loads(sys.argv[1])
v = eval(sys.argv[2], {"j": j})
print(v if isinstance(v, str) else json.dumps(v))' "$1" "$2"
}

# wait_status ID STATUS [SECONDS]
wait_status() {
    local i
    for ((i = 0; i < ${3:-10} * 20; i++)); do
        [ "$(status "$1")" = "$2" ] && return 0
        sleep 0.05
    done
    return 1
}

wait_file() {
    local i
    for ((i = 0; i < ${2:-10} * 20; i++)); do
        [ -s "$1" ] && return 0
        sleep 0.05
    done
    return 1
}

# run_to_end ID BUNDLE: create, start, wait until stopped, delete. Output of
# the container in $out. Returns 1 (after fail) when a step fails.
run_to_end() {
    local id=$1 b=$2
    create "$id" "$b" || { fail "create failed: $(head -c 300 "$b/err")"; return 1; }
    rt start "$id" || { fail "start failed: $(head -c 300 "$CASE_DIR/rt.err")"; return 1; }
    wait_status "$id" stopped 10 || { fail "container did not stop"; return 1; }
    rt delete "$id" || { fail "delete of a stopped container failed"; return 1; }
    out=$(cat "$b/out")
    cp "$b/out" "$CASE_DIR/container.out"
    echo "container stdout:" >>"$CASE_DIR/diag"
    head -n 60 "$b/out" | sed 's/^/  | /' >>"$CASE_DIR/diag"
    [ -s "$b/err" ] && { echo "container stderr:"; head -n 10 "$b/err" | sed 's/^/  | /'; } >>"$CASE_DIR/diag"
    return 0
}

# kv KEY [TEXT]: value of KEY=... in TEXT (default $out).
kv() {
    local key=$1 text=${2-$out} line
    while IFS= read -r line; do
        if [ "${line%%=*}" = "$key" ] && [[ "$line" == *=* ]]; then
            printf '%s\n' "${line#*=}"
            return 0
        fi
    done <<<"$text"
    return 1
}

# expect_eq GOT WANT WHAT: pass, or fail with both values.
expect_eq() {
    if [ "$1" == "$2" ]; then pass; else fail "$3: got '$1', want '$2'"; fi
}

_cleanup_case() {
    local id pid
    for id in "${_ids[@]}" $(ls -A "$RT_ROOT" 2>/dev/null); do
        timeout 10 "$RUNTIME" --root "$RT_ROOT" delete --force "$id" >/dev/null 2>&1
    done
    # Whatever a broken runtime left behind: kill by pid files we own.
    for pid in $(cat "$CASE_DIR"/*/pid 2>/dev/null); do
        [ -d "/proc/$pid" ] && grep -q "oc-$$-" "/proc/$pid/cgroup" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    done
    # Unmount anything left under the case dir, deepest first.
    awk -v d="$CASE_DIR" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r |
        while read -r m; do umount -l "$m" 2>/dev/null; done
    return 0
}

# ------------------------------------------------------------------ bundles

# bundle [NAME]: a fresh bundle dir in the case dir with a copy of the base
# rootfs and the base config; prints its absolute path.
bundle() {
    local b=$CASE_DIR/${1:-b}
    mkdir -p "$b"
    cp -a "$BASE_ROOTFS" "$b/rootfs"
    cp "$BASE_CONFIG" "$b/config.json"
    echo "$b"
}

# cfg BUNDLE 'PYTHON': edits BUNDLE/config.json bound to c.
cfg() {
    "$PYTHON" - "$1/config.json" "$2" <<'PY' || { echo "cfg failed: $2" >>"$CASE_DIR/diag"; return 1; }
import json, sys
path, code = sys.argv[1], sys.argv[2]
with open(path) as f:
    c = json.load(f)
exec(code, {"c": c, "json": json})
with open(path, "w") as f:
    json.dump(c, f, indent="\t")
PY
}

# args BUNDLE ARG...: sets process.args.
args() {
    local b=$1
    shift
    "$PYTHON" - "$b/config.json" "$@" <<'PY'
import json, sys
with open(sys.argv[1]) as f:
    c = json.load(f)
c["process"]["args"] = sys.argv[2:]
with open(sys.argv[1], "w") as f:
    json.dump(c, f, indent="\t")
PY
}

# host_cgroup_file PID CONTROLLER FILE: host path of FILE in PID's v1 cgroup
# of CONTROLLER (or the v2 path on a unified host).
host_cgroup_file() {
    local pid=$1 ctl=$2 file=$3 line rel
    while IFS= read -r line; do
        local rest=${line#*:}
        local ctls=${rest%%:*}
        rel=${rest#*:}
        if [[ ",$ctls," == *",$ctl,"* ]]; then
            for d in /sys/fs/cgroup/$ctl /sys/fs/cgroup/$ctls; do
                [ -e "$d$rel/$file" ] && { echo "$d$rel/$file"; return 0; }
            done
        fi
        if [ -z "$ctls" ] && [ -e "/sys/fs/cgroup$rel/$file" ] && [ ! -d /sys/fs/cgroup/$ctl ]; then
            echo "/sys/fs/cgroup$rel/$file"
            return 0
        fi
    done <"/proc/$pid/cgroup"
    return 1
}
