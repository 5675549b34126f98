# lib.sh: sourced by every tests/integration/test-*.sh script.
#
# Provides TAP output with automatic numbering, a per-script temp dir with an
# isolated berth state root, bundle and config helpers, command capture with
# a timeout, assertions that print diagnostics, and leak checks (mounts,
# processes, state, fifos, cgroups) plus a teardown that force-deletes every
# container the script created. See tests/integration/README.md.
#
# Variables set here:
#   BERTH         absolute path of the binary under test (default build/berth)
#   BERTH_ROOT    isolated --root for this script (inside TEST_TMP)
#   TEST_TMP      per-script temp dir, removed at exit (BERTH_TEST_KEEP=1 keeps)
#   CHECKER       static helper copied into bundles as /bin/checker
#   SRCDIR        repository root
#   ID_PREFIX     prefix of ids from new_id; cgroup leak checks search for it
# After run_cmd:  status, output (stdout), stderr, lines (stdout array)

if [ -n "${_BERTH_TEST_LIB:-}" ]; then
    return 0
fi
_BERTH_TEST_LIB=1

SRCDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TEST_NAME=$(basename "$0" .sh)
BERTH_TEST_TIMEOUT=${BERTH_TEST_TIMEOUT:-60}

BERTH=${BERTH:-$SRCDIR/build/berth}
if [ "${BERTH#/}" = "$BERTH" ]; then
    BERTH=$(cd "$(dirname "$BERTH")" 2>/dev/null && pwd)/$(basename "$BERTH")
fi
export BERTH
# The system python: a pyenv or venv shim on PATH costs a fork per call.
PYTHON=${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}
CHECKER_SRC=$SRCDIR/tests/integration/helpers/checker.c
CHECKER=${CHECKER:-$SRCDIR/tests/integration/helpers/checker}

_tap_n=0
_tap_failed=0
_tap_plan=""
_tap_done=0
_tap_skip_all=0
_lib_leaks=0
_lib_cleanups=()

# ---------------------------------------------------------------- TAP output

diag() {
    local line
    while IFS= read -r line; do
        printf '# %s\n' "$line"
    done <<<"$*"
}

# Indented diagnostic block: diag_block TITLE TEXT (at most 40 lines shown).
diag_block() {
    local title=$1 text=$2 n=0 line
    if [ -z "$text" ]; then
        printf '# %s (empty)\n' "$title"
        return
    fi
    printf '# %s\n' "$title"
    while IFS= read -r line; do
        n=$((n + 1))
        if [ $n -gt 40 ]; then
            printf '#   ... (%d lines in total)\n' "$(printf '%s\n' "$text" | wc -l)"
            break
        fi
        printf '#   %s\n' "$line"
    done <<<"$text"
}

# TAP descriptions must not contain '#' (a directive) or newlines.
_tap_desc() {
    local d=${1//$'\n'/ }
    printf '%s' "${d//#/\\#}"
}

plan() {
    _tap_plan=$1
    echo "1..$1"
}

done_testing() {
    _tap_done=1
    if [ -z "$_tap_plan" ]; then
        _tap_plan=$_tap_n
        echo "1..$_tap_n"
    fi
}

ok() {
    _tap_n=$((_tap_n + 1))
    echo "ok $_tap_n - $(_tap_desc "$*")"
}

# not_ok DESC [DIAG...]: a failed test; extra arguments become diagnostics.
not_ok() {
    _tap_n=$((_tap_n + 1))
    _tap_failed=$((_tap_failed + 1))
    echo "not ok $_tap_n - $(_tap_desc "$1")"
    shift
    local d
    for d in "$@"; do
        diag "$d"
    done
}

# skip REASON [COUNT]
skip() {
    local i
    for ((i = 0; i < ${2:-1}; i++)); do
        _tap_n=$((_tap_n + 1))
        echo "ok $_tap_n # SKIP $(_tap_desc "$1")"
    done
}

# skip_all REASON: the whole script is skipped (must come before any test).
skip_all() {
    _tap_skip_all=1
    echo "1..0 # SKIP $(_tap_desc "$*")"
    exit 0
}

bail_out() {
    echo "Bail out! $(_tap_desc "$*")"
    _tap_skip_all=1 # the plan no longer matters
    exit 255
}

require_root() {
    [ "$(id -u)" -eq 0 ] || skip_all "needs root (running as uid $(id -u))"
}

# require_cmd CMD...: skips the whole script when a host tool is missing.
require_cmd() {
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null 2>&1 || skip_all "needs \`$c\` on the host"
    done
}

# ------------------------------------------------------ running and asserting

_lib_have_run=0
status=0
output=""
stderr=""
lines=()

# run_cmd [--stdin FILE] CMD ARGS...: runs CMD with stdin from FILE
# (default /dev/null), stdout/stderr captured to files (so a container that
# inherits them cannot hang the test), and a timeout of BERTH_TEST_TIMEOUT
# seconds for external commands and `berth` (status 124 on timeout).
# Sets status, output, stderr, lines; always returns 0.
run_cmd() {
    local stdin=/dev/null
    if [ "${1:-}" = --stdin ]; then
        stdin=$2
        shift 2
    fi
    local -a cmd=("$@")
    if [ "${cmd[0]}" = berth ]; then
        cmd=("$BERTH" --root "$BERTH_ROOT" "${cmd[@]:1}")
    fi
    _lib_run_args=("$@")
    if [ "$(type -t "${cmd[0]}")" = file ]; then
        timeout -k 5 "$BERTH_TEST_TIMEOUT" "${cmd[@]}" <"$stdin" >"$TEST_TMP/.stdout" 2>"$TEST_TMP/.stderr"
    else
        "${cmd[@]}" <"$stdin" >"$TEST_TMP/.stdout" 2>"$TEST_TMP/.stderr"
    fi
    status=$?
    output=$(<"$TEST_TMP/.stdout")
    stderr=$(<"$TEST_TMP/.stderr")
    mapfile -t lines <"$TEST_TMP/.stdout"
    _lib_have_run=1
    return 0
}

# Prints the last run_cmd (command, status, stdout, stderr) as diagnostics.
diag_last_cmd() {
    [ "$_lib_have_run" = 1 ] || return 0
    diag "command: ${_lib_run_args[*]@Q}"
    if [ "$status" = 124 ]; then
        diag "exit status: 124 (timed out after ${BERTH_TEST_TIMEOUT}s?)"
    else
        diag "exit status: $status"
    fi
    diag_block "stdout:" "$output"
    diag_block "stderr:" "$stderr"
}

_fail_with_cmd() {
    not_ok "$1"
    shift
    local d
    for d in "$@"; do
        diag "$d"
    done
    diag_last_cmd
}

# check DESC CMD ARGS...: run_cmd CMD, passes when it exits 0.
check() {
    local desc=$1
    shift
    run_cmd "$@"
    if [ "$status" -eq 0 ]; then
        ok "$desc"
    else
        _fail_with_cmd "$desc"
    fi
}

# assert_status WANT DESC: checks the status of the last run_cmd.
assert_status() {
    if [ "$status" = "$1" ]; then
        ok "$2"
    else
        _fail_with_cmd "$2" "expected exit status $1, got $status"
    fi
}
assert_success() { assert_status 0 "$1"; }
# assert_failure DESC: last run_cmd exited non-zero (but did not time out).
assert_failure() {
    if [ "$status" != 0 ] && [ "$status" != 124 ]; then
        ok "$1"
    else
        _fail_with_cmd "$1" "expected a failure exit status, got $status"
    fi
}

# assert_eq GOT WANT DESC
assert_eq() {
    if [ "$1" == "$2" ]; then
        ok "$3"
    else
        _fail_with_cmd "$3" "got:      '$1'" "expected: '$2'"
    fi
}

assert_ne() {
    if [ "$1" != "$2" ]; then
        ok "$3"
    else
        _fail_with_cmd "$3" "got '$1', expected anything else"
    fi
}

# assert_contains HAYSTACK NEEDLE DESC (fixed string)
assert_contains() {
    if [[ "$1" == *"$2"* ]]; then
        ok "$3"
    else
        _fail_with_cmd "$3" "expected to contain: '$2'" "$(printf 'in:\n%s' "$1" | head -n 40)"
    fi
}

assert_not_contains() {
    if [[ "$1" != *"$2"* ]]; then
        ok "$3"
    else
        _fail_with_cmd "$3" "expected NOT to contain: '$2'" "$(printf 'in:\n%s' "$1" | head -n 40)"
    fi
}

# assert_match STRING REGEX DESC (bash extended regex, unanchored)
assert_match() {
    if [[ "$1" =~ $2 ]]; then
        ok "$3"
    else
        _fail_with_cmd "$3" "expected to match: /$2/" "$(printf 'got:\n%s' "$1" | head -n 40)"
    fi
}

# kv KEY [TEXT]: value of the first KEY=VALUE line of TEXT (default $output),
# e.g. the checker's output: `assert_eq "$(kv uid)" 0 "runs as root"`.
# Returns 1 (and prints nothing) when the key is absent.
kv() {
    local key=$1 text=${2-$output} line
    while IFS= read -r line; do
        if [ "${line%%=*}" = "$key" ] && [[ "$line" == *=* ]]; then
            printf '%s\n' "${line#*=}"
            return 0
        fi
    done <<<"$text"
    return 1
}

# json_get JSON PYEXPR: evaluates PYEXPR with `j` bound to the parsed JSON and
# prints the result (strings raw, everything else as JSON), e.g.
# `json_get "$output" 'j["status"]'`. Returns 1 on invalid JSON or error.
json_get() {
    "$PYTHON" -c '
import json, sys
j = json.loads(sys.argv[1])
v = eval(sys.argv[2], {"j": j})
print(v if isinstance(v, str) else json.dumps(v))
' "$1" "$2"
}

# container_status ID: prints .status of `berth state ID` (empty on error).
container_status() {
    local out
    out=$(timeout 10 "$BERTH" --root "$BERTH_ROOT" state "$1" 2>/dev/null) || return 1
    json_get "$out" 'j["status"]' 2>/dev/null
}

# wait_for_status ID STATUS [SECONDS=10]: polls `berth state`.
wait_for_status() {
    local i tries=$((${3:-10} * 10))
    for ((i = 0; i < tries; i++)); do
        [ "$(container_status "$1")" = "$2" ] && return 0
        sleep 0.1
    done
    return 1
}

# wait_for COND-COMMAND... : retries a command for up to 10s.
wait_for() {
    local i
    for ((i = 0; i < 100; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}

# ---------------------------------------------------------------- berth, ids

# berth ARGS...: the binary under test with this script's isolated root.
berth() {
    "$BERTH" --root "$BERTH_ROOT" "$@"
}

# new_id: prints a fresh container id (bt-NAME-PID-N) and records it so the
# teardown deletes it and the leak checks look for cgroups named after it.
new_id() {
    local n=0
    [ -f "$TEST_TMP/.idcount" ] && read -r n <"$TEST_TMP/.idcount"
    n=$((n + 1))
    echo "$n" >"$TEST_TMP/.idcount"
    echo "$ID_PREFIX$n" >>"$TEST_TMP/.ids"
    printf '%s\n' "$ID_PREFIX$n"
}

# add_cleanup 'SHELL CODE': run at exit, before the container teardown (last
# added runs first). Do not set your own EXIT trap: it would replace ours.
add_cleanup() {
    _lib_cleanups+=("$1")
}

# --------------------------------------------------------- bundles and config

# Builds the static checker when it is missing or older than its source.
# Written to a temp name and renamed, so concurrent runs never see half a file.
build_checker() {
    local out=${1:-$CHECKER}
    if [ -x "$out" ] && [ "$out" -nt "$CHECKER_SRC" ]; then
        return 0
    fi
    gcc -static -O2 -Wall -Wextra -o "$out.tmp.$$" "$CHECKER_SRC" && mv -f "$out.tmp.$$" "$out"
}

# make_bundle [DIR]: makes a busybox bundle with /bin/checker (DIR defaults
# to a fresh dir under TEST_TMP) and prints its path. config.json comes from
# `berth spec` when that works, else the built-in runc-like config; both have
# process.terminal false.
make_bundle() {
    local dir=${1:-}
    if [ -z "$dir" ]; then
        dir=$(mktemp -d "$TEST_TMP/bundle.XXXXXX") || return 1
        rmdir "$dir"
    fi
    build_checker >&2 || {
        diag "cannot build $CHECKER"
        return 1
    }
    BERTH=$BERTH "$SRCDIR/contrib/make-bundle.sh" "$dir" --checker "$CHECKER" \
        >/dev/null 2>"$TEST_TMP/.make-bundle.err" || {
        diag_block "make-bundle.sh failed:" "$(cat "$TEST_TMP/.make-bundle.err")"
        return 1
    }
    dir=$(cd "$dir" && pwd)
    echo "$dir" >>"$TEST_TMP/.bundles"
    printf '%s\n' "$dir"
}

# update_config DIR 'PYTHON': runs the Python statements with `c` bound to
# DIR/config.json and writes it back, e.g.
#   update_config "$B" 'c["process"]["args"] = ["/bin/checker", "ids"]'
#   update_config "$B" 'c["linux"]["namespaces"].append({"type": "user"})'
update_config() {
    "$PYTHON" - "$1/config.json" "$2" <<'PY'
import json, sys
path, code = sys.argv[1], sys.argv[2]
with open(path) as f:
    c = json.load(f)
exec(code, {"c": c, "json": json})
with open(path, "w") as f:
    json.dump(c, f, indent="\t")
    f.write("\n")
PY
    local rc=$?
    [ $rc = 0 ] || diag "update_config failed on $1/config.json: $2"
    return $rc
}

# config_get DIR PYEXPR: prints a value of DIR/config.json (`c` bound;
# strings raw, everything else as JSON), e.g. config_get "$B" 'c["hostname"]'.
config_get() {
    "$PYTHON" - "$1/config.json" "$2" <<'PY'
import json, sys
with open(sys.argv[1]) as f:
    c = json.load(f)
v = eval(sys.argv[2], {"c": c, "json": json})
print(v if isinstance(v, str) else json.dumps(v))
PY
}

# set_args DIR ARG...: sets process.args of DIR/config.json.
set_args() {
    local dir=$1
    shift
    "$PYTHON" - "$dir/config.json" "$@" <<'PY'
import json, sys
with open(sys.argv[1]) as f:
    c = json.load(f)
c["process"]["args"] = sys.argv[2:]
with open(sys.argv[1], "w") as f:
    json.dump(c, f, indent="\t")
    f.write("\n")
PY
}

# ---------------------------------------------------------------- leak checks

# One Python pass over the host prints what the test may have left behind,
# one sorted line per item:
#   mount MOUNTPOINT FSTYPE SOURCE    mounts at or below TEST_TMP / bundles
#   proc PID COMM why                 processes rooted/cwd in those dirs, in a
#                                     cgroup named after ID_PREFIX, or
#                                     descendants of this script
#   state PATH                        entries under BERTH_ROOT (not dotfiles,
#                                     not the shared NAME~cache dirs)
#   fifo PATH                         fifos under TEST_TMP / bundles
#   cgroup PATH                       cgroup dirs whose name has ID_PREFIX
_lib_scan() {
    "$PYTHON" - "$TEST_TMP" "$BERTH_ROOT" "$ID_PREFIX" "$$" "$TEST_TMP/.bundles" <<'PY'
import os, stat, sys

tmp, root, prefix, script_pid, bundles_file = sys.argv[1:6]
scopes = [os.path.realpath(tmp)]
try:
    for line in open(bundles_file):
        p = os.path.realpath(line.strip())
        if p and not any(p == s or p.startswith(s + "/") for s in scopes):
            scopes.append(p)
except OSError:
    pass

def in_scope(path):
    return any(path == s or path.startswith(s + "/") for s in scopes)

def unescape(s):
    return s.encode().decode("unicode_escape")

out = []
for line in open("/proc/self/mountinfo"):
    fields = line.split()
    sep = fields.index("-")
    mnt = unescape(fields[4])
    if in_scope(mnt):
        out.append("mount %s %s %s" % (mnt, fields[sep + 1], fields[sep + 2]))

# Our own ancestry (this python, the shells between it and the script).
me = os.getpid()
parent = {}
zombie = set()
for d in os.listdir("/proc"):
    if not d.isdigit():
        continue
    try:
        with open("/proc/%s/stat" % d) as f:
            s = f.read()
        fields = s[s.rindex(")") + 2:].split()
        parent[int(d)] = int(fields[1])
        if fields[0] in ("Z", "X"):
            zombie.add(int(d))  # dead, holds nothing; only its parent can reap it
    except (OSError, ValueError):
        pass
ours = set()
p = me
while p in parent and p not in ours:
    ours.add(p)
    if p == int(script_pid):
        break
    p = parent[p]

def descends(pid):
    seen = set()
    while pid in parent and pid not in seen:
        seen.add(pid)
        pid = parent[pid]
        if pid == int(script_pid):
            return True
    return False

script = int(script_pid)
for pid in sorted(parent):
    # Skip this scan and its pipeline siblings (children of the subshells
    # between the script and us), but not the script's own children.
    if pid in ours or pid in zombie or (parent[pid] in ours and parent[pid] != script):
        continue
    why = []
    for link in ("root", "cwd"):
        try:
            t = os.readlink("/proc/%d/%s" % (pid, link))
        except OSError:
            continue
        if in_scope(t):
            why.append("%s=%s" % (link, t))
    try:
        with open("/proc/%d/cgroup" % pid) as f:
            if prefix in f.read():
                why.append("cgroup")
    except OSError:
        pass
    if descends(pid):
        why.append("child-of-test")
    if why:
        try:
            comm = open("/proc/%d/comm" % pid).read().strip()
        except OSError:
            continue  # exited meanwhile
        out.append("proc %d %s %s" % (pid, comm, ",".join(why)))

if os.path.isdir(root):
    # <root>/NAME~cache holds what containers share (the compiled seccomp
    # programs): it outlives them by design, no container leaves it.
    for dirpath, dirs, files in os.walk(root):
        if dirpath == root:
            dirs[:] = [d for d in dirs if not d.endswith("~cache")]
        for name in sorted(dirs + files):
            rel = os.path.relpath(os.path.join(dirpath, name), root)
            if not rel.startswith(".") and "/." not in rel:
                out.append("state " + rel)

def walk_fifos(top):
    try:
        dev = os.lstat(top).st_dev
    except OSError:
        return
    stack = [top]
    while stack:
        d = stack.pop()
        try:
            entries = list(os.scandir(d))
        except OSError:
            continue
        for e in entries:
            try:
                st = e.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISFIFO(st.st_mode):
                out.append("fifo " + e.path)
            elif stat.S_ISDIR(st.st_mode) and st.st_dev == dev:
                stack.append(e.path)  # never descend into mounts (e.g. a leaked /proc)

for s in scopes:
    walk_fifos(s)

# Container ids: new_id's prefix, plus any other id the script used that is
# (or was, when teardown read it) in the state root.
ids = set()
try:
    ids.update(n for n in os.listdir(root)
               if not n.startswith(".") and os.path.isdir(os.path.join(root, n)))
except OSError:
    pass
try:
    ids.update(l.strip() for l in open(os.path.join(tmp, ".ids")) if l.strip())
except OSError:
    pass
for dirpath, dirs, files in os.walk("/sys/fs/cgroup"):
    for name in dirs:
        path = os.path.join(dirpath, name)
        # A matching cgroup and everything below it (sub-cgroups made by
        # the runtime or the container must go too).
        if prefix in path or any(part in ids for part in path.split("/")):
            out.append("cgroup " + path)

for line in sorted(set(out)):
    print(line)
PY
}

# snapshot_host [NAME]: records the host state (see _lib_scan) before a test.
snapshot_host() {
    _lib_scan >"$TEST_TMP/.snap.${1:-default}"
}

# assert_host_unchanged DESC [NAME]: compares with snapshot_host NAME; fails
# listing every mount, process, state entry, fifo or cgroup that appeared or
# vanished. Allows 2s for exiting processes to be reaped.
assert_host_unchanged() {
    local desc=$1 snap="$TEST_TMP/.snap.${2:-default}" diff i
    if [ ! -f "$snap" ]; then
        not_ok "$desc" "assert_host_unchanged without snapshot_host ${2:-}"
        return
    fi
    for ((i = 0; i < 20; i++)); do
        diff=$(_lib_scan | diff "$snap" - | grep '^[<>]')
        [ -z "$diff" ] && break
        sleep 0.1
    done
    if [ -z "$diff" ]; then
        ok "$desc"
    else
        not_ok "$desc" "host changed ('<' vanished, '>' appeared):"
        diag "$diff"
    fi
}

# ------------------------------------------------------------------ teardown

_lib_leak() {
    _lib_leaks=$((_lib_leaks + 1))
    echo "# LEAK: $*"
}

_lib_teardown() {
    local i id pid line
    for ((i = ${#_lib_cleanups[@]} - 1; i >= 0; i--)); do
        eval "${_lib_cleanups[$i]}" >/dev/null 2>&1
    done

    # Every container this script created: the ids it asked for plus
    # whatever sits in its private root.
    local -A ids=()
    if [ -f "$TEST_TMP/.ids" ]; then
        while read -r id; do ids[$id]=1; done <"$TEST_TMP/.ids"
    fi
    if [ -d "$BERTH_ROOT" ]; then
        for id in "$BERTH_ROOT"/*; do
            [ -e "$id" ] && ids[$(basename "$id")]=1
        done
    fi
    for id in "${!ids[@]}"; do
        echo "$id" >>"$TEST_TMP/.ids" # the leak scan looks for cgroups named so
        [ -e "$BERTH_ROOT/$id" ] || continue
        timeout -k 2 20 "$BERTH" --root "$BERTH_ROOT" delete --force -- "$id" >/dev/null 2>&1
    done

    # Anything still there after delete --force is a leak: report it and
    # clean it up, killing only processes attributed to this script (by
    # root/cwd link, cgroup name or parentage), never by name.
    local scan kind a b c d
    for ((i = 0; i < 20; i++)); do
        scan=$(_lib_scan)
        grep -q '^proc ' <<<"$scan" || break
        sleep 0.1 # killed processes take a moment to go
    done
    while read -r kind a b c d; do
        case $kind in
        proc)
            _lib_leak "process $a ($b) still running: $c"
            kill -KILL "$a" 2>/dev/null
            wait "$a" 2>/dev/null # reaps our own background jobs quietly
            ;;
        mount) _lib_leak "mount $a ($b from $c) left behind" ;;
        state) _lib_leak "state entry $BERTH_ROOT/$a left behind" ;;
        fifo) _lib_leak "fifo $a left behind" ;;
        cgroup)
            if [[ "$a" == *"$ID_PREFIX"* ]]; then
                _lib_leak "cgroup $a left behind"
            else
                # Named like an id the script chose itself: it might belong
                # to someone else, so it is reported but not removed.
                _lib_leak "cgroup $a left behind (not removed: use new_id for ids)"
            fi
            ;;
        esac
    done <<<"$scan"
    if [ "$_lib_leaks" -gt 0 ]; then
        sleep 0.2
        # Mounts deepest first, lazily when busy; then cgroups leaf first.
        awk '$1 == "mount" { print $2 }' <<<"$scan" | sort -r | while read -r a; do
            umount "$a" 2>/dev/null || umount -l "$a" 2>/dev/null
        done
        awk -v p="$ID_PREFIX" '$1 == "cgroup" && index($2, p) { print $2 }' <<<"$scan" | sort -r | while read -r a; do
            rmdir "$a" 2>/dev/null
        done
    fi

    if [ "${BERTH_TEST_KEEP:-0}" = 1 ]; then
        echo "# BERTH_TEST_KEEP=1: kept $TEST_TMP"
    elif awk '{ print $5 }' /proc/self/mountinfo | grep -q -F "$TEST_TMP"; then
        echo "# not removing $TEST_TMP: mounts remain below it"
        _lib_leaks=$((_lib_leaks + 1))
    else
        rm -rf --one-file-system "$TEST_TMP"
        # Bundles made outside TEST_TMP belong to the test: it removes them.
    fi
}

_lib_exit() {
    local rc=$?
    trap - EXIT
    set +eu
    _lib_teardown
    if [ "$_tap_skip_all" = 0 ]; then
        if [ -z "$_tap_plan" ]; then
            echo "# script exited with status $rc after $_tap_n tests without done_testing"
            [ "$rc" = 0 ] && rc=1
        elif [ "$_tap_plan" != "$_tap_n" ]; then
            echo "# planned $_tap_plan tests but ran $_tap_n"
            [ "$rc" = 0 ] && rc=1
        fi
        if [ "$_tap_failed" -gt 0 ]; then
            echo "# failed $_tap_failed of $_tap_n tests"
            [ "$rc" = 0 ] && rc=1
        fi
    fi
    if [ "$_lib_leaks" -gt 0 ]; then
        echo "# teardown found $_lib_leaks leaked item(s) (see LEAK lines)"
        [ "$rc" = 0 ] && rc=1
    fi
    exit "$rc"
}

# ------------------------------------------------------------------- set up

TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/berth-test-$TEST_NAME.XXXXXX") || bail_out "mktemp failed"
# Searchable by every uid: containers with a user namespace or a non-root
# user must be able to reach their rootfs through this directory.
chmod 0755 "$TEST_TMP"
BERTH_ROOT=$TEST_TMP/root
mkdir -p "$BERTH_ROOT"
ID_PREFIX="bt-${TEST_NAME#test-}-$$-"
export BERTH_ROOT TEST_TMP
trap _lib_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
