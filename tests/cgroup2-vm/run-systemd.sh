#!/bin/bash
# run-systemd.sh: the systemd cgroup driver's suite (test-systemd.sh, the
# rootless user's instance: test-systemd-rootless.sh, then the engines
# configured for it: test-systemd-engines.sh) in the VM of vm.sh
# with systemd as PID 1: on the unified layout, then on the hybrid one (the
# layouts on which engines use the driver). TAP on stdout,
# the two runs one after the other; the exit status is the first failing
# run's.
#
# Usage: tests/cgroup2-vm/run-systemd.sh [BERTH_BINARY]   (default build/berth;
#   berth-systemd is expected beside it). 77 when the VM cannot run.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/run-lib.sh"
[ -x /lib/systemd/systemd ] || {
    echo "1..0 # SKIP systemd is not installed on the host (contrib/install-deps.sh)"
    exit 77
}
[ -x "$(dirname "$BERTH")/berth-systemd" ] || {
    echo "1..0 # SKIP no berth-systemd beside $BERTH (configure found no libsystemd)"
    exit 77
}
cd "$SRC"
rc=0
for layout in ${BERTH_SYSTEMD_LAYOUTS:-v2 hybrid}; do
    echo "# ---- systemd on the $layout layout"
    r=0
    BERTH_VM_SYSTEMD=$layout BERTH_VM_MEM=2048 "$HERE/vm.sh" env BERTH="$BERTH" \
        BERTH_TEST_TIMEOUT=120 bash -c 'r=0; for t; do "$t"; s=$?; [ $r != 0 ] || r=$s; done; exit $r' _ \
        "$HERE/test-systemd.sh" "$HERE/test-systemd-rootless.sh" "$HERE/test-systemd-engines.sh" || r=$?
    [ $rc != 0 ] || rc=$r
done
exit $rc
