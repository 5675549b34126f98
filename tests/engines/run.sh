#!/bin/bash
# tests/engines/run.sh [-v] [--no-install] [NAME...]: real container engines
# drive berth end to end (podman, containerd, docker; see README.md).
#
# Installs the engines' Debian packages first (contrib/install-engine-deps.sh;
# apt only when something is missing), then runs test-NAME.sh for each NAME
# (default: all), one after another (they share the host's cgroups and
# /run/containerd/s), each under ENGINES_TIMEOUT seconds (default 480).
# Prints "PASS|FAIL|CRASH name counts (time)" per engine, the failing tests
# with their diagnostics (-v: the whole TAP), and a last line
# "N passed, N failed, N skipped". With ENGINES_SUMMARY=FILE it writes
# "PASSED FAILED SKIPPED" there; logs go to $ENGINES_LOGDIR (default: a new
# temp dir). A script that could not run at all (no root, apt failed) counts
# as one failure: CI must not pass because a capability went missing.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/../.." && pwd)
verbose=0 install=1 names=()
while [ $# -gt 0 ]; do
    case "$1" in
    -v|--verbose) verbose=1 ;;
    --no-install) install=0 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "engines: unknown option $1" >&2; exit 2 ;;
    *) names+=("$1") ;;
    esac
    shift
done
[ ${#names[@]} -gt 0 ] || names=(podman podman-rootless containerd docker)

BERTH=${BERTH:-$srcdir/build/berth}
case $BERTH in /*) ;; *) BERTH=$PWD/$BERTH ;; esac
export BERTH
logdir=${ENGINES_LOGDIR:-$(mktemp -d "${TMPDIR:-/tmp}/berth-engines.XXXXXX")}
mkdir -p "$logdir"
timeout_s=${ENGINES_TIMEOUT:-480}

P=0 F=0 S=0
finish() {
    echo "$P passed, $F failed, $S skipped"
    [ -n "${ENGINES_SUMMARY:-}" ] && echo "$P $F $S" >"$ENGINES_SUMMARY"
    [ "$F" = 0 ]
    exit
}

if [ "$(id -u)" != 0 ]; then
    echo "engines: not run: needs root (private daemons, cgroups, mounts)"
    F=1; finish
fi
if [ ! -x "$BERTH" ]; then
    echo "engines: not run: berth binary $BERTH not found"
    F=1; finish
fi
if [ $install = 1 ] && ! "$srcdir/contrib/install-engine-deps.sh" >"$logdir/install.log" 2>&1; then
    echo "engines: not run: contrib/install-engine-deps.sh failed:"
    tail -n 20 "$logdir/install.log" | sed 's/^/  | /'
    F=1; finish
fi
CHECKER=${CHECKER:-$srcdir/tests/integration/helpers/checker}
if [ ! -x "$CHECKER" ] || [ "$srcdir/tests/integration/helpers/checker.c" -nt "$CHECKER" ]; then
    gcc -static -O2 -Wall -Wextra -o "$CHECKER.tmp.$$" "$srcdir/tests/integration/helpers/checker.c" &&
        mv -f "$CHECKER.tmp.$$" "$CHECKER" || { echo "engines: cannot build the checker"; F=1; finish; }
fi
export CHECKER

for n in "${names[@]}"; do
    s=$here/test-$n.sh
    log=$logdir/$n.tap
    if [ ! -f "$s" ]; then
        echo "engines: no test script $s" >&2
        F=$((F + 1))
        continue
    fi
    t0=$(date +%s)
    timeout -k 60 "$timeout_s" bash "$s" >"$log" 2>&1
    rc=$?
    secs=$(($(date +%s) - t0))
    p=$(grep -c -E '^ok [0-9]+' "$log")
    sk=$(grep -c -E '^ok [0-9]+ .*# (SKIP|skip)' "$log")
    p=$((p - sk))
    f=$(grep -c -E '^not ok [0-9]+' "$log")
    crash=""
    if [ $rc = 124 ] || [ $rc = 137 ]; then
        crash="timed out after ${timeout_s}s"
    elif grep -q '^Bail out!' "$log"; then
        crash=$(grep -m1 '^Bail out!' "$log")
    elif grep -q '^# LEAK:' "$log"; then
        crash="left things behind: $(grep -c '^# LEAK:' "$log") leaks"
    elif [ $rc != 0 ] && [ "$f" = 0 ]; then
        crash="exit status $rc without a failed test"
    elif ! grep -q -E '^1\.\.[0-9]+' "$log"; then
        crash="no TAP plan"
    fi
    P=$((P + p)) S=$((S + sk)) F=$((F + f))
    if [ -n "$crash" ]; then
        F=$((F + 1))
        printf 'CRASH %-10s %d ok, %d not ok, %d skipped (%ds): %s\n' "$n" "$p" "$f" "$sk" "$secs" "$crash"
    elif [ "$f" != 0 ]; then
        printf 'FAIL  %-10s %d ok, %d not ok, %d skipped (%ds)\n' "$n" "$p" "$f" "$sk" "$secs"
    else
        printf 'PASS  %-10s %d ok, %d skipped (%ds)\n' "$n" "$p" "$sk" "$secs"
    fi
    if [ $verbose = 1 ]; then
        sed 's/^/    /' "$log"
    elif [ "$f" != 0 ] || [ -n "$crash" ]; then
        # Each failed test with its diagnostics, and every leak or bail-out.
        awk '/^not ok/ { show = 1; n++ } /^ok / { show = 0 } /^(Bail out!|# LEAK:)/ { print "    " $0; next }
             show && n <= 40 { print "    " $0 }' "$log"
    fi
    grep -E '^# (skip|SKIP)|^ok .*# SKIP' "$log" | sed 's/^/    /'
done
echo "engine logs: $logdir"
finish
