#!/bin/bash
# run-criu.sh: the checkpoint/restore suite (tests/cgroup2-vm/test-criu.sh)
# inside the cgroup2 VM of vm.sh, whose Debian 6.1 kernel criu 3.17.1 can
# run on (it cannot on the 6.18 host kernel). criu comes from the host's /
# (read-only in the guest): contrib/install-deps.sh installs it.
#
# Usage: tests/cgroup2-vm/run-criu.sh [BERTH_BINARY]   (default build/berth)
# Exit status: the test script's (TAP on stdout); 77 when the VM cannot run.
set -euo pipefail

VM_NEEDS=criu
. "$(dirname "${BASH_SOURCE[0]}")/run-lib.sh"
cd "$SRC"
exec "$HERE/vm.sh" env BERTH="$BERTH" BERTH_TEST_TIMEOUT=120 bash "$SRC/tests/cgroup2-vm/test-criu.sh"
