#!/bin/bash
# runtime-tools-validation.sh RUNTIME_TOOLS_DIR [RUNTIME...]
#
# Runs the OCI conformance suite of opencontainers/runtime-tools (its
# validation/*/*.t programs) under each RUNTIME (default: runc and
# build/berth) and prints, per test, "ok N / not ok N" for each runtime,
# marking the lines where they differ. Needs root and the runtime-tools
# tree already built (`make runtimetest validation-executables` with
# GOFLAGS=-mod=vendor; commit 260e151 builds with Debian 12's Go 1.19). The
# tree is not part of berth and CI has no network to fetch it, so this is a
# tool for sessions, not a CI step; docs/divergences.md has the last result.
set -uo pipefail
dir=${1:?usage: $0 RUNTIME_TOOLS_DIR [RUNTIME...]}
shift
srcdir=$(cd "$(dirname "$0")/.." && pwd)
runtimes=("$@")
[ ${#runtimes[@]} -gt 0 ] || runtimes=("$(command -v runc)" "$srcdir/build/berth")
out=$(mktemp -d "${TMPDIR:-/tmp}/runtime-tools.XXXXXX")
cd "$dir" || exit 2
for t in validation/*/*.t; do
    n=$(basename "$t" .t)
    line=$n
    prev=""
    for rt in "${runtimes[@]}"; do
        RUNTIME=$rt timeout 120 "$t" >"$out/$n.$(basename "$rt").tap" 2>&1
        r="ok $(grep -c '^ok' "$out/$n.$(basename "$rt").tap") / not ok $(grep -c '^not ok' "$out/$n.$(basename "$rt").tap")"
        [ -n "$prev" ] && [ "$r" != "$prev" ] && line="$line *"
        line="$line | $(basename "$rt"): $r"
        prev=$r
    done
    echo "$line"
done
echo "TAP output: $out"
