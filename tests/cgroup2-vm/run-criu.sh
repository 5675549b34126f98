#!/bin/bash
# run-criu.sh: the checkpoint/restore suites (tests/cgroup2-vm/test-criu.sh,
# and podman's checkpoint/restore in test-criu-podman.sh) inside the
# cgroup2 VM of vm.sh, whose Debian 6.1 kernel criu 3.17.1 can run on (it
# cannot on the 6.18 host kernel). criu comes from the host's / (read-only
# in the guest): contrib/install-deps.sh installs it.
#
# Usage: tests/cgroup2-vm/run-criu.sh [BERTH_BINARY]   (default build/berth)
# Exit status: the first failing script's (TAP on stdout); 77 when the VM
# cannot run.
set -euo pipefail

VM_NEEDS=criu
. "$(dirname "${BASH_SOURCE[0]}")/run-lib.sh"
cd "$SRC"
exec "$HERE/vm.sh" env BERTH="$BERTH" BERTH_TEST_TIMEOUT=120 bash -c 'r=0; for t; do bash "$t"; s=$?; [ $r != 0 ] || r=$s; done; exit $r' _ \
    "$SRC/tests/cgroup2-vm/test-criu.sh" "$SRC/tests/cgroup2-vm/test-criu-podman.sh"
