#!/bin/bash
# run-rootless.sh: rootless berth with a delegated cgroup v2 subtree
# (tests/cgroup2-vm/test-rootless.sh) inside the cgroup2 VM of vm.sh: this
# host's cgroups are hybrid, where nothing can be delegated to a user.
#
# Usage: tests/cgroup2-vm/run-rootless.sh [BERTH_BINARY]   (default build/berth)
# Exit status: the test script's (TAP on stdout); 77 when the VM cannot run.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
BERTH=$(readlink -f "${1:-${BERTH:-$SRC/build/berth}}")
[ -x "$BERTH" ] || {
    echo "run-rootless: no berth binary at $BERTH" >&2
    exit 2
}
command -v qemu-system-x86_64 >/dev/null || {
    echo "1..0 # SKIP qemu-system-x86_64 is not installed (contrib/install-deps.sh)"
    exit 77
}
cd "$SRC"
exec "$HERE/vm.sh" env BERTH="$BERTH" BERTH_TEST_TIMEOUT=120 bash "$SRC/tests/cgroup2-vm/test-rootless.sh"
