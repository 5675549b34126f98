#!/bin/bash
# run.sh: runs the OCI conformance suite against one or more runtimes and
# writes docs/conformance.md (one column per runtime) plus raw TAP.
#
#   oci-conformance/run.sh --runtime PATH [--runtime PATH]... [--out FILE]
#                          [--tap-dir DIR] [--filter TEXT]
#   oci-conformance/run.sh                  # build/berth (if built), runc, crun
#
# A runtime's column is named after the binary's basename. crun on a hybrid
# cgroup host is run through crun-hybrid-wrapper.sh (see README.md).
# Exit status: 1 when a runtime named berth has an unexpected MUST failure.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
SRCDIR=$(cd "$HERE/.." && pwd)
runtimes=() out=$SRCDIR/docs/conformance.md tapdir=$HERE/results filter=""
while [ $# -gt 0 ]; do
    case $1 in
    --runtime) runtimes+=("$2"); shift ;;
    --runtime=*) runtimes+=("${1#*=}") ;;
    --out) out=$2; shift ;;
    --tap-dir) tapdir=$2; shift ;;
    --filter) filter=$2; shift ;;
    -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
if [ ${#runtimes[@]} = 0 ]; then
    for r in "$SRCDIR/build/berth" /usr/sbin/runc /usr/bin/crun; do
        [ -x "$r" ] && runtimes+=("$r")
    done
fi
[ "$(id -u)" = 0 ] || { echo "run.sh: needs root" >&2; exit 2; }
mkdir -p "$tapdir" "$(dirname "$out")"

hybrid=0
if mountpoint -q /sys/fs/cgroup/unified 2>/dev/null && [ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ]; then
    hybrid=1
fi

# The static checker is built once for all runtimes.
export HELPERS
HELPERS=$(mktemp -d /tmp/oci-conformance-helpers.XXXXXX)
trap 'rm -rf "$HELPERS"' EXIT
gcc -static -O2 -o "$HELPERS/checker" "$SRCDIR/tests/integration/helpers/checker.c" || exit 1

# Raising our own oom_score_adj needs no privilege; the check that an unset
# oomScoreAdj is left alone then sees a value that is not the default 0.
echo 7 >/proc/self/oom_score_adj 2>/dev/null

report_args=()
for r in "${runtimes[@]}"; do
    case $r in /*) ;; *) r=$(cd "$(dirname "$r")" && pwd)/$(basename "$r") ;; esac
    name=$(basename "$r")
    exe=$r
    note=""
    if [ "$name" = crun ] && [ $hybrid = 1 ] && "$r" --version 2>/dev/null | grep -q '^crun version 1\.[0-9]\.'; then
        export CRUN=$r
        exe=$HERE/crun-hybrid-wrapper.sh
        note="run through crun-hybrid-wrapper.sh (unified cgroup mount hidden)"
    fi
    version=$("$r" --version 2>&1 | head -n 1)
    echo "=== $name ($version) ${note:+[$note]}" >&2
    start=$(date +%s)
    RUNTIME=$exe timeout 900 "$HERE/suite.sh" $filter >"$tapdir/$name.tap" 2>"$tapdir/$name.stderr"
    echo "    $(grep -c '^ok' "$tapdir/$name.tap") ok, $(grep -c '^not ok' "$tapdir/$name.tap") not ok, $(($(date +%s) - start))s -> $tapdir/$name.tap" >&2
    report_args+=("$name=$tapdir/$name.tap=$version${note:+ ($note)}")
done

python3 "$HERE/report.py" --known "$HERE/known-deviations.txt" --out "$out" "${report_args[@]}"
