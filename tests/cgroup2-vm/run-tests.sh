#!/bin/bash
# run-tests.sh: the cgroup v2 suite. Builds the cgroup test driver on the
# host, then runs tests/integration/test-cgroup.sh (the same assertions as
# on the v1/hybrid host) inside the cgroup2 VM of vm.sh.
#
# Usage: tests/cgroup2-vm/run-tests.sh [BERTH_BINARY]   (default build/berth)
# Exit status: the test script's (TAP on stdout); 77 when the VM cannot run.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/run-lib.sh"
OUT=$(mktemp -d /var/tmp/berth-cg2.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
# (config.h's one define the library files here need, from its source)
spec=$(sed -n 's/^AC_DEFINE(\[OCI_SPEC_VERSION\], \["\([^"]*\)".*/\1/p' "$SRC/configure.ac")
gcc -std=gnu11 -O1 -g -D_GNU_SOURCE -DOCI_SPEC_VERSION="\"$spec\"" -I"$SRC/src/libberth" -I"$SRC/libocispec" \
    -o "$OUT/cgroup-driver" "$SRC/tests/integration/helpers/cgroup-driver.c" \
    "$SRC"/src/libberth/cgroup/cgroup*.c "$SRC"/src/libberth/cgroup/systemd-{unit,annotations}.c \
    "$SRC"/src/libberth/util/{fd-pass,error,context,id-list,io,run}.c "$SRC/src/libberth/spec/page-size.c" "$SRC"/src/libberth/state/{state,state-json,state-types}.c "$SRC/src/libberth/container/status.c" \
    "$SRC"/libocispec/*.c -lyajl -lm
# the static checker is built on the host too (the integration lib wants it)
cd "$SRC"
# Not `exec`: the EXIT trap must still remove $OUT afterwards.
rc=0
"$HERE/vm.sh" env BERTH="$BERTH" CGROUP_DRIVER="$OUT/cgroup-driver" \
    BERTH_TEST_TIMEOUT=120 bash "$SRC/tests/integration/test-cgroup.sh" || rc=$?
exit $rc
