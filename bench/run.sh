#!/bin/bash
# bench/run.sh BERTH [--quick] [--no-profile] [--disk-state] [--no-engines] [--out FILE]
#
# Benchmarks BERTH (a built berth binary) against Debian's crun and runc and
# the floor program (bench/floor.c) and writes docs/performance.md. See
# bench/README.md. Needs root, hyperfine, crun, runc, strace, gcc, python3;
# perf is optional. About 6-8 minutes on 2 cores; --quick about 2.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(dirname "$here")

berth="" args=() out=$srcdir/docs/performance.md
while [ $# -gt 0 ]; do
    case "$1" in
    --quick | --no-profile | --disk-state | --no-engines) args+=("$1"); shift ;;
    --out) out=$2; shift 2 ;;
    -h | --help) sed -n '2,9p' "$0"; exit 0 ;;
    *) [ -z "$berth" ] || { echo "bench: one BERTH binary only" >&2; exit 2; }; berth=$1; shift ;;
    esac
done
[ -n "$berth" ] || { echo "usage: $0 BERTH [--quick] [--no-profile] [--out FILE]" >&2; exit 2; }
berth=$(cd "$(dirname "$berth")" && pwd)/$(basename "$berth")
[ -x "$berth" ] || { echo "bench: $berth is not executable" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "bench: needs root (containers, cgroups)" >&2; exit 2; }
for t in hyperfine crun runc strace gcc python3 /usr/bin/time; do
    command -v "$t" >/dev/null || {
        echo "bench: $t missing (contrib/install-deps.sh installs it)" >&2
        exit 2
    }
done
mkdir -p "$(dirname "$out")"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
json=${out%.md}.json
extra=()
[ -f "$here/ANALYSIS.md" ] && extra=(--extra "$here/ANALYSIS.md")

# crun 1.8.1 refuses the hybrid layout while /sys/fs/cgroup/unified is
# mounted. Unmounting it in a private mount namespace for the WHOLE run
# (rather than wrapping every crun call in unshare+sh) keeps crun's figures
# free of a wrapper's fork/exec, and all three runtimes see the same mounts.
# unshare(1) makes the new namespace's mounts private, so nothing leaks out.
exec unshare -m --propagation private sh -c '
    if [ -d /sys/fs/cgroup/unified ] && mountpoint -q /sys/fs/cgroup/unified; then
        umount /sys/fs/cgroup/unified
    fi
    exec "$@"' sh python3 "$here/bench.py" "$berth" --srcdir "$srcdir" --out "$out" \
    --json "$json" "${extra[@]}" "${args[@]}"
