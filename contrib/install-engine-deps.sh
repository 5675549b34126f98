#!/bin/bash
# install-engine-deps.sh: installs the container engines that
# tests/engines/ drives with berth (podman + conmon + catatonit, containerd
# with ctr and its runc v2 shim, dockerd from docker.io). They are big, so
# contrib/install-deps.sh (quick start, every CI run) does not install them;
# tests/engines/run.sh calls this script. Idempotent: when every package is
# installed it only checks with dpkg-query and never touches apt.
#
# Debian's docker.io and podman units must not start daemons of their own:
# the tests run private daemons on private sockets (ENGINES.md). policy-rc.d
# keeps apt from starting services during the install.
set -euo pipefail

# python3-grpcio: the kubelet side of the Kubernetes test (tests/engines/lib/cri.py).
# uidmap, slirp4netns: rootless podman (tests/engines/test-podman-rootless.sh).
PACKAGES=(podman conmon catatonit containerd docker.io python3-grpcio uidmap slirp4netns)

missing=()
for p in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-engine-deps: all ${#PACKAGES[@]} packages already installed"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install-engine-deps: missing packages: ${missing[*]} (run as root)" >&2
    exit 1
fi

echo "install-engine-deps: installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Exit status 101 of policy-rc.d = "action forbidden": no service is started.
created_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    created_policy=1
fi
rc=0
{ apt-get update </dev/null && apt-get install -y --no-install-recommends "${missing[@]}" </dev/null; } || rc=$?
[ $created_policy = 1 ] && rm -f /usr/sbin/policy-rc.d
[ $rc = 0 ] || { echo "install-engine-deps: apt failed ($rc)" >&2; exit $rc; }
echo "install-engine-deps: done"
