#!/bin/bash
# install-deps.sh: installs everything berth needs to build and test on a
# fresh Debian 12 machine. Idempotent: when every package is already
# installed it only checks (dpkg-query) and never touches apt, so repeated
# runs (CI, quickstart) take well under a second. Needs root for apt.
# The container engines for tests/engines (podman, containerd, docker.io)
# are big and are installed by contrib/install-engine-deps.sh, which
# tests/engines/run.sh calls, so the quick start stays light.
set -euo pipefail

PACKAGES=(
    build-essential autoconf automake libtool pkg-config git
    libyajl-dev libseccomp-dev libcap-dev libselinux1-dev
    # the default static-pie berth links the .a files of the four above
    # (libyajl_s.a, libseccomp.a, libcap.a, libselinux.a) and of these:
    # libc.a and rcrt1.o, libsepol.a, libpcre2-8.a (libselinux's deps)
    libc6-dev libsepol-dev libpcre2-dev
    libsystemd-dev            # sd-bus, for berth-systemd (the systemd cgroup driver's helper)
    check                     # unit test framework (tests/unit)
    busybox-static            # rootfs for test bundles (contrib/make-bundle.sh)
    clang libclang-rt-14-dev  # libFuzzer targets (tests/fuzz)
    clang-format              # make check-format
    python3                   # tests edit and check JSON with it
    runc                      # reference runtime for comparisons (tests/differential)
    golang-github-containers-common  # its seccomp.json: the profile podman and CRI-O send (tests/differential)
    crun hyperfine strace     # bench/ (make bench): crun comparison, timing, syscall counts
    qemu-system-x86           # tests/cgroup2-vm: the cgroup v2 test VM
    systemd dbus              # ... and its systemd mode (PID 1 and the system bus in the VM)
    criu                      # checkpoint/restore (usable in the cgroup2 VM: tests/cgroup2-vm/run-criu.sh)
    uidmap                    # newuidmap/newgidmap: rootless mappings (tests/integration/test-rootless.sh)
    iproute2 procps util-linux
)

missing=()
for p in "${PACKAGES[@]}"; do
    # "install ok installed" is the only state that means usable; half-
    # installed or removed-with-config packages count as missing.
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    if [ "$status" != "install ok installed" ]; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#PACKAGES[@]} packages already installed"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages: ${missing[*]}" >&2
    echo "install-deps: run this script as root to install them" >&2
    exit 1
fi

echo "install-deps: installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update </dev/null
apt-get install -y --no-install-recommends "${missing[@]}" </dev/null
echo "install-deps: done"
