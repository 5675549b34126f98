#!/bin/bash
# run-differential.sh [-v] [CASE NAME...]
#
# berth against runc on the same bundles (README.md here). Needs root and
# runc (Debian's package); without them it prints why and skips. Runs
# $BERTH (default build/berth) with the checker $CHECKER (built from
# tests/integration/helpers/checker.c when missing). TAP on stdout; with
# DIFFERENTIAL_SUMMARY=FILE, "PASSED FAILED SKIPPED" goes there (TODO cases
# count as skipped). Exit status 0 when no case shows an unexplained
# divergence.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/../.." && pwd)
BERTH=${BERTH:-$srcdir/build/berth}
CHECKER=${CHECKER:-$srcdir/tests/integration/helpers/checker}
RUNC=${RUNC:-$(command -v runc || true)}
PYTHON=${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}
summary=${DIFFERENTIAL_SUMMARY:-}

skip_all() {
    echo "1..0 # SKIP $*"
    [ -z "$summary" ] || echo "0 0 1" >"$summary"
    exit 0
}
[ "$(id -u)" = 0 ] || skip_all "needs root: both runtimes create containers"
[ -n "$RUNC" ] || skip_all "runc is not installed (apt-get install runc): it is the oracle"
[ -x "$BERTH" ] || { echo "run-differential: $BERTH not found; build first" >&2; exit 2; }
if [ ! -x "$CHECKER" ] || [ "$srcdir/tests/integration/helpers/checker.c" -nt "$CHECKER" ]; then
    gcc -static -O2 -Wall -o "$CHECKER" "$srcdir/tests/integration/helpers/checker.c" ||
        { echo "run-differential: cannot build the checker" >&2; exit 2; }
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/berth-differential.XXXXXX")
chmod 0755 "$tmp" # the mapped root of the user namespace cases walks through it
cleanup() {
    # whatever a case left running (by pid, through each runtime's state)
    for rt in "$RUNC" "$BERTH"; do
        root=$tmp/root-$([ "$rt" = "$RUNC" ] && echo runc || echo berth)
        [ -d "$root" ] || continue
        for id in $(ls "$root" 2>/dev/null); do
            "$rt" --root "$root" delete --force "$id" >/dev/null 2>&1
        done
    done
    rm -rf "$tmp"
    # the parents both runtimes leave (cgroupsPath of the cases)
    for d in berth-differential kubepods/besteffort/poddiff kubepods/besteffort kubepods; do
        rmdir /sys/fs/cgroup/*/$d /sys/fs/cgroup/$d 2>/dev/null
    done
}
trap cleanup EXIT

out=$tmp/tap
"$PYTHON" "$here/differ.py" --berth "$BERTH" --runc "$RUNC" --checker "$CHECKER" \
    --srcdir "$srcdir" --tmp "$tmp/work" "$@" | tee "$out"
rc=${PIPESTATUS[0]}
if [ -n "$summary" ]; then
    p=$(grep -c '^ok ' "$out" | tr -d ' ')
    s=$(grep -c '^ok .*# SKIP\|^not ok .*# TODO' "$out" | tr -d ' ')
    f=$(grep '^not ok ' "$out" | grep -vc '# TODO' | tr -d ' ')
    grep -q '^# differential:' "$out" || f=$((f + 1)) # the runner broke
    echo "$((p - $(grep -c '^ok .*# SKIP' "$out"))) $f $s" >"$summary"
fi
exit "$rc"
