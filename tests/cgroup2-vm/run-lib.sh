# run-lib.sh: the opening of the run-*.sh wrappers (sourced, after
# `set -euo pipefail`, with the wrapper's own arguments): HERE (this
# folder), SRC (the checkout), BERTH (the binary under test: $1, else
# $BERTH, else build/berth); exits 2 without that binary, and 77 with a
# TAP skip when a command the suite needs (qemu-system-x86_64 and those in
# VM_NEEDS) is missing.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
BERTH=$(readlink -f "${1:-${BERTH:-$SRC/build/berth}}")
[ -x "$BERTH" ] || {
    echo "$(basename "$0" .sh): no berth binary at $BERTH" >&2
    exit 2
}
for t in qemu-system-x86_64 ${VM_NEEDS:-}; do
    command -v "$t" >/dev/null || {
        echo "1..0 # SKIP $t is not installed (contrib/install-deps.sh)"
        exit 77
    }
done
