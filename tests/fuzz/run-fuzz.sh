#!/bin/sh
# run-fuzz.sh [SECONDS]: fuzzes libocispec for SECONDS (default 60).
#
# Configures a separate build directory (FUZZ_BUILD_DIR, default
# <srcdir>/build-fuzz) with CC=clang --enable-fuzzing, builds
# tests/fuzz/fuzz-config, seeds a corpus from the runtime-spec examples
# (OCI_SPEC_DIR, default <srcdir>/../shared/runtime-spec, if present) and
# tests/unit/data, and runs libFuzzer. Exits non-zero on any crash, leak or
# sanitizer report; the failing input is left in <builddir>/fuzz-artifacts/.
set -eu

secs=${1:-60}
case $secs in
'' | *[!0-9]*)
    echo "usage: $0 [SECONDS]" >&2
    exit 2
    ;;
esac

srcdir=$(cd "$(dirname "$0")/../.." && pwd)
builddir=${FUZZ_BUILD_DIR:-$srcdir/build-fuzz}
spec=${OCI_SPEC_DIR:-$srcdir/../shared/runtime-spec}
corpus=$builddir/fuzz-corpus
artifacts=$builddir/fuzz-artifacts

command -v clang >/dev/null || {
    echo "run-fuzz.sh: clang is required" >&2
    exit 1
}
[ -x "$srcdir/configure" ] || (cd "$srcdir" && ./autogen.sh)
mkdir -p "$builddir" "$corpus" "$artifacts"
cd "$builddir"
if ! grep -q 'enable-fuzzing' config.status 2>/dev/null; then
    "$srcdir/configure" -q CC=clang --enable-fuzzing
fi
make -j"$(nproc)" tests/fuzz/fuzz-config

# Seeds: every JSON example we have (copied, so libFuzzer may add to the
# corpus without touching the sources).
seed() {
    [ -d "$1" ] || return 0
    find "$1" -name '*.json' -type f | while read -r f; do
        cp "$f" "$corpus/seed-$(echo "$f" | cksum | cut -d' ' -f1).json"
    done
}
seed "$srcdir/tests/unit/data"
if [ -d "$spec/schema/test" ]; then
    seed "$spec/schema/test"
else
    echo "run-fuzz.sh: no runtime-spec checkout at $spec, seeding from tests/unit/data only"
fi

# Dictionary: every member name and allowed value of the descriptor tables.
dict=$builddir/fuzz-oci.dict
{
    sed -n 's/.*OCI_[A-Z_]*(oci_[a-z_]*, \([A-Za-z0-9]*\),.*/"\\"\1\\""/p' \
        "$srcdir"/libocispec/oci-*.c
    grep -ho '"[A-Za-z0-9_][A-Za-z0-9_]*"' "$srcdir"/libocispec/oci-config*.c "$srcdir"/libocispec/oci-state.c
    printf '"{"\n"}"\n"["\n"]"\n":"\n","\n"null"\n"true"\n"false"\n"-0"\n"1e3"\n'
    printf '"18446744073709551615"\n"9223372036854775808"\n"4294967296"\n"\\\\u0000"\n'
} | sort -u >"$dict"

rm -f "$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* "$artifacts"/oom-*
status=0
./tests/fuzz/fuzz-config -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -dict="$dict" -artifact_prefix="$artifacts/" -print_final_stats=1 \
    "$corpus" || status=$?

if [ -n "$(find "$artifacts" -type f)" ]; then
    echo "run-fuzz.sh: failing inputs in $artifacts:" >&2
    ls -l "$artifacts" >&2
    [ "$status" -ne 0 ] || status=1
fi
if [ "$status" -ne 0 ]; then
    echo "run-fuzz.sh: FAILED (libFuzzer exit status $status)" >&2
    exit "$status"
fi
echo "run-fuzz.sh: no crash in $secs s"
