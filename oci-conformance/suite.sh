#!/bin/bash
# suite.sh: runs every check against one runtime and prints TAP.
#
#   RUNTIME=/usr/sbin/runc oci-conformance/suite.sh [FILTER]
#
# FILTER (optional) keeps only checks whose tag or function name contains it.
# Needs root, gcc (static libc), busybox-static, python3. Normally called by
# run.sh, which also builds the report; see README.md.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
SRCDIR=$(cd "$HERE/.." && pwd)
: "${RUNTIME:?set RUNTIME to the runtime binary}"
ONLY=${1:-}

. "$HERE/lib.sh"

if [ "$(id -u)" != 0 ]; then
    echo "1..0 # SKIP needs root"
    exit 0
fi

WORK=$(mktemp -d /tmp/oci-conformance.XXXXXX)
chmod 755 "$WORK" # user-namespace containers must reach their rootfs
RT_ROOT=$WORK/root
mkdir -p "$RT_ROOT"
trap 'for d in "$RT_ROOT"/*/; do [ -d "$d" ] && timeout 10 "$RUNTIME" --root "$RT_ROOT" delete --force "$(basename "$d")" >/dev/null 2>&1; done
      awk -v d="$WORK/" "index(\$5, d) == 1 { print \$5 }" /proc/self/mountinfo | sort -r | while read -r m; do umount -l "$m"; done
      [ -n "${KEEP:-}" ] || rm -rf --one-file-system "$WORK"' EXIT

# Static helpers, copied into every rootfs.
HELPERS=${HELPERS:-$WORK/helpers}
mkdir -p "$HELPERS"
[ -x "$HELPERS/checker" ] || gcc -static -O2 -o "$HELPERS/checker" "$SRCDIR/tests/integration/helpers/checker.c" ||
    { echo "Bail out! cannot build the checker (gcc -static)"; exit 1; }

BUSYBOX=""
for b in /bin/busybox /usr/bin/busybox; do [ -x "$b" ] && { BUSYBOX=$b; break; }; done
[ -n "$BUSYBOX" ] || { echo "Bail out! needs busybox-static"; exit 1; }

BASE_ROOTFS=$WORK/base-rootfs
mkdir -p "$BASE_ROOTFS"/{bin,sbin,proc,sys,dev,etc,root,tmp,run,mnt}
chmod 1777 "$BASE_ROOTFS/tmp"
cp "$BUSYBOX" "$BASE_ROOTFS/bin/busybox"
for a in $("$BUSYBOX" --list); do [ "$a" = busybox ] || ln -s busybox "$BASE_ROOTFS/bin/$a"; done
cp "$HELPERS/checker" "$BASE_ROOTFS/bin/"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$BASE_ROOTFS/etc/passwd"
printf 'root:x:0:\nnobody:x:65534:\n' >"$BASE_ROOTFS/etc/group"
BASE_CONFIG=$HERE/base-config.json

echo "# runtime: $RUNTIME"
echo "# version: $("$RUNTIME" --version 2>&1 | head -n 1)"
for t in runtime runtime-linux config config-linux; do
    # shellcheck source=/dev/null
    . "$HERE/tests/$t.sh"
done
echo "1..$_n"
