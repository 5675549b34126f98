#!/bin/bash
# run-rootless.sh: rootless berth with a delegated cgroup v2 subtree
# (tests/cgroup2-vm/test-rootless.sh) inside the cgroup2 VM of vm.sh: this
# host's cgroups are hybrid, where nothing can be delegated to a user.
#
# Usage: tests/cgroup2-vm/run-rootless.sh [BERTH_BINARY]   (default build/berth)
# Exit status: the test script's (TAP on stdout); 77 when the VM cannot run.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/run-lib.sh"
cd "$SRC"
exec "$HERE/vm.sh" env BERTH="$BERTH" BERTH_TEST_TIMEOUT=120 bash "$SRC/tests/cgroup2-vm/test-rootless.sh"
