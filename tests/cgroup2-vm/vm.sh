#!/bin/bash
# vm.sh: runs a command as root inside a throw-away QEMU VM whose
# /sys/fs/cgroup is a pure cgroup v2 hierarchy with every controller
# enabled at the root, so berth's v2 driver can be tested on a host that
# only has cgroup v1 (or hybrid).
#
# Usage: tests/cgroup2-vm/vm.sh CMD [ARGS...]
#   exit status = the command's (255: the VM died before reporting one,
#   124: timeout). The command's stdout+stderr is streamed.
#
# The guest boots Debian 12's own kernel (linux-image-amd64, 6.1), fetched
# once with `apt-get download` into the cache (never installed on the
# host). Its root is an overlay: the host's / read-only over 9p, a tmpfs on
# top, so the checkout and the built binaries are at the same paths inside
# and nothing on the host changes. cwd is kept.
#
# Host needs: qemu-system-x86 (contrib/install-deps.sh installs it), a
# static busybox (busybox-static), apt access for the kernel package.
# Knobs: BERTH_VM_CACHE (default /var/cache/berth-cgroup2-vm), BERTH_VM_MEM
# (MiB, 1024), BERTH_VM_CPUS (2), BERTH_VM_TIMEOUT (s, 900),
# BERTH_VM_DEBUG=1 (show the guest kernel console).
#
# BERTH_VM_SYSTEMD=v2|hybrid boots the host's systemd (Debian 12: 252) as
# PID 1 instead, on a unified (v2) or hybrid cgroup layout: the command then
# runs in berth-vm.service (a oneshot unit next to dbus, cgroup
# /system.slice/berth-vm.service) so that the systemd cgroup driver, and
# the engines, talk to a real systemd over D-Bus. Generators and the units
# a throw-away VM does not need (udev, timers, journal flush...) are masked:
# the command starts ~11 s after power-on under TCG.
set -euo pipefail

CACHE=${BERTH_VM_CACHE:-/var/cache/berth-cgroup2-vm}
MEM=${BERTH_VM_MEM:-1024}
CPUS=${BERTH_VM_CPUS:-2}
TIMEOUT=${BERTH_VM_TIMEOUT:-900}
BB=/bin/busybox

say() { echo "cgroup2-vm: $*" >&2; }
die() {
    say "$*"
    exit 255
}

[ $# -ge 1 ] || die "usage: $0 CMD [ARGS...]"
[ "$(id -u)" = 0 ] || die "needs root"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing (apt-get install qemu-system-x86)"
if [ ! -x $BB ] || ldd $BB >/dev/null 2>&1; then
    die "$BB must be a static busybox (busybox-static)"
fi
mkdir -p "$CACHE"

# ---- the guest kernel: Debian's, unpacked once -------------------------
exec 8>"$CACHE/lock"
flock 8
if [ ! -e "$CACHE/kernel.ok" ]; then
    pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
    if [ -z "$pkg" ]; then
        apt-get update -qq >&2
        pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
    fi
    [ -n "$pkg" ] || die "cannot find the kernel package behind linux-image-amd64"
    say "downloading $pkg (once)"
    rm -rf "$CACHE/k" "$CACHE/dl"
    mkdir -p "$CACHE/dl"
    # _apt cannot write into a root-only cache: the warning is expected
    (cd "$CACHE/dl" && { apt-get download -qq "$pkg" 2>&1 | grep -v 'unsandboxed' >&2 || true; })
    dpkg -x "$CACHE"/dl/*.deb "$CACHE/k"
    # the package ships no modules.dep (depmod runs at install time)
    kv=$(ls "$CACHE/k/lib/modules" | head -1)
    if command -v depmod >/dev/null; then depmod -b "$CACHE/k" "$kv"; else $BB depmod -b "$CACHE/k" "$kv"; fi
    rm -rf "$CACHE/dl"
    touch "$CACHE/kernel.ok"
fi
KVER=$(ls "$CACHE/k/lib/modules" | head -1)
KMOD=$CACHE/k/lib/modules/$KVER
KERNEL=$CACHE/k/boot/vmlinuz-$KVER

# ---- the initramfs: busybox + the modules to reach the 9p root ---------
# keyed by this script's content: two checkouts sharing the cache never boot
# each other's stages
SELF=$(readlink -f "${BASH_SOURCE[0]}")
INITRD=$CACHE/initrd-$KVER-$(sha256sum "$SELF" | cut -c1-12).gz
if [ ! -e "$INITRD" ]; then
    say "building the initramfs"
    t=$(mktemp -d)
    mkdir -p "$t"/{bin,proc,sys,dev,mnt,lower,root,mods}
    cp $BB "$t/bin/busybox"
    for a in sh mount umount mkdir insmod switch_root cat sleep poweroff; do ln -s busybox "$t/bin/$a"; done
    # modules in dependency order (modules.dep lists a module's deps)
    declare -A done_=()
    add_mod() {
        local rel=$1 dep
        [ -n "${done_[$rel]:-}" ] && return 0
        done_[$rel]=1
        for dep in $(awk -F': ' -v m="$rel" '$1 == m {print $2}' "$KMOD/modules.dep"); do add_mod "$dep"; done
        cp "$KMOD/$rel" "$t/mods/"
        basename "$rel" >>"$t/mods/list"
    }
    for m in virtio_pci 9pnet_virtio 9p overlay; do
        rel=$(awk -F: -v m="/$m.ko" '{ if (substr($1, length($1) - length(m) + 1) == m || substr($1, length($1) - length(m) - 3 + 1) == m ".xz") { print $1; exit } }' "$KMOD/modules.dep")
        if [ -z "$rel" ]; then
            grep -q "/$m.ko" "$KMOD/modules.builtin" 2>/dev/null || die "module $m not found"
            continue
        fi
        add_mod "$rel"
    done
    touch "$t/mods/list"
    cat >"$t/init" <<'INIT'
#!/bin/sh
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs dev /dev
for m in $(cat /mods/list); do insmod /mods/$m 2>/dev/null; done
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=262144 host /lower || poweroff -f
mount -t tmpfs tmpfs /mnt
mkdir -p /mnt/up /mnt/work
mount -t overlay -o lowerdir=/lower,upperdir=/mnt/up,workdir=/mnt/work root /root || poweroff -f
mkdir -p /root/.vm
cp /bin/busybox /root/.vm/busybox
cp /stage2 /root/.vm/stage2
cp /systemd-stage /root/.vm/systemd-stage
stage=/.vm/stage2
case " $(cat /proc/cmdline) " in *" berth.systemd=1 "*) stage=/.vm/systemd-stage ;; esac
mount --move /proc /root/proc
mount --move /sys /root/sys
mount --move /dev /root/dev
exec switch_root /root /.vm/busybox sh $stage
INIT
    cat >"$t/systemd-stage" <<'SDSTAGE'
# inside the overlay root, before systemd: systemd mounts /sys/fs/cgroup,
# /run and /dev/*; the control share goes to /.vm/ctl (not under /run).
B=/.vm/busybox
$B mkdir -p /.vm/ctl
$B mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 ctl /.vm/ctl
# the host may be a container: systemd would then ignore the kernel's
# cgroup arguments; a fresh machine id per boot
$B rm -f /.dockerenv /run/.containerenv /etc/machine-id
: >/etc/fstab
$B mkdir -p /etc/systemd/system-generators /etc/systemd/system
for g in /lib/systemd/system-generators/* /usr/lib/systemd/system-generators/*; do
    [ -e "$g" ] && $B ln -sf /dev/null "/etc/systemd/system-generators/${g##*/}"
done
for u in systemd-udevd.service systemd-udevd-control.socket systemd-udevd-kernel.socket \
    systemd-udev-trigger.service systemd-udev-settle.service systemd-journal-flush.service \
    systemd-timesyncd.service systemd-binfmt.service systemd-pstore.service \
    systemd-random-seed.service systemd-fsck-root.service systemd-remount-fs.service \
    systemd-sysusers.service systemd-hwdb-update.service ldconfig.service \
    systemd-update-utmp.service systemd-firstboot.service systemd-machine-id-commit.service \
    systemd-modules-load.service systemd-sysctl.service systemd-journald-audit.socket \
    systemd-networkd.service systemd-resolved.service apparmor.service \
    proc-sys-fs-binfmt_misc.automount sys-kernel-debug.mount sys-kernel-tracing.mount \
    dev-hugepages.mount dev-mqueue.mount sys-fs-fuse-connections.mount \
    sys-kernel-config.mount systemd-repart.service cryptsetup.target \
    systemd-boot-system-token.service systemd-tmpfiles-clean.timer; do
    $B ln -sf /dev/null "/etc/systemd/system/$u"
done
# the host's /tmp (and so the caller's files there) must survive the boot:
# no --remove
$B mkdir -p /etc/systemd/system/systemd-tmpfiles-setup.service.d
$B cat >/etc/systemd/system/systemd-tmpfiles-setup.service.d/berth-vm.conf <<'UNIT'
[Service]
ExecStart=
ExecStart=systemd-tmpfiles --create --boot --exclude-prefix=/dev
UNIT
$B cat >/etc/systemd/system/berth-vm.service <<'UNIT'
[Unit]
Description=berth VM command
Wants=dbus.service
After=dbus.service basic.target
[Service]
Type=oneshot
Environment=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
StandardInput=null
ExecStart=/.vm/busybox sh -c '/bin/bash /.vm/ctl/cmd </dev/null >>/.vm/ctl/out 2>&1; echo $$? >/.vm/ctl/rc.tmp; /.vm/busybox mv /.vm/ctl/rc.tmp /.vm/ctl/rc; /.vm/busybox sync; /.vm/busybox poweroff -f'
UNIT
$B hostname systemd-vm
exec /lib/systemd/systemd --unit=berth-vm.service
SDSTAGE
    cat >"$t/stage2" <<'STAGE2'
# inside the overlay root: cgroup2, the control share, run, report, off
B=/.vm/busybox
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
$B mount -t tmpfs -o mode=755 tmpfs /run
$B mkdir -p /dev/pts /dev/shm /run/vm
$B mount -t devpts devpts /dev/pts
$B mount -t tmpfs tmpfs /dev/shm
$B mount -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup
for c in $($B cat /sys/fs/cgroup/cgroup.controllers); do echo "+$c" >/sys/fs/cgroup/cgroup.subtree_control; done
$B mount -t bpf bpf /sys/fs/bpf 2>/dev/null
$B mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 ctl /run/vm
$B ln -sf /proc/self/fd /dev/fd 2>/dev/null
$B hostname cgroup2-vm
$B ip link set lo up 2>/dev/null
( /bin/bash /run/vm/cmd </dev/null 2>&1; echo $? >/run/vm/rc.tmp ) | $B cat >>/run/vm/out
$B mv /run/vm/rc.tmp /run/vm/rc
$B sync
$B umount /run/vm
$B poweroff -f
STAGE2
    chmod 755 "$t/init" "$t"
    (cd "$t" && find . | $BB cpio -o -H newc 2>/dev/null | gzip -1 >"$INITRD.tmp")
    mv "$INITRD.tmp" "$INITRD"
    rm -rf "$t"
fi
flock -u 8

# ---- one run -----------------------------------------------------------
RUN=$(mktemp -d "$CACHE/run.XXXXXX")
QPID=
TPID=
cleanup() {
    [ -n "$QPID" ] && kill "$QPID" 2>/dev/null
    [ -n "$TPID" ] && kill "$TPID" 2>/dev/null
    rm -rf "$RUN"
}
trap cleanup EXIT
{
    echo "cd $(printf '%q' "$(pwd -P)") || exit 127"
    printf 'exec'
    printf ' %q' "$@"
    echo
} >"$RUN/cmd"
: >"$RUN/out"

# shellcheck disable=SC2054 # qemu option values contain commas
accel=(-accel tcg,thread=multi -cpu max)
if [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo; then accel=(-accel kvm -cpu host); fi
append="console=ttyS0 panic=-1 rdinit=/init mitigations=off"
case ${BERTH_VM_SYSTEMD:-} in
'') append+=" cgroup_no_v1=all" ;;
v2) append+=" berth.systemd=1 systemd.unified_cgroup_hierarchy=1 cgroup_no_v1=all" ;;
hybrid) append+=" berth.systemd=1 systemd.unified_cgroup_hierarchy=0 systemd.legacy_systemd_cgroup_controller=0" ;;
*) die "BERTH_VM_SYSTEMD must be v2 or hybrid" ;;
esac
[ -z "${BERTH_VM_SYSTEMD:-}" ] || [ -x /lib/systemd/systemd ] || die "BERTH_VM_SYSTEMD needs systemd installed on the host (apt-get install systemd dbus)"
[ -n "${BERTH_VM_DEBUG:-}" ] || append+=" quiet loglevel=1 systemd.show_status=0"

set +e
timeout -k 5 "$TIMEOUT" qemu-system-x86_64 "${accel[@]}" -m "$MEM" -smp "$CPUS" \
    -nodefaults -no-user-config -display none -no-reboot -serial "file:$RUN/console" \
    -kernel "$KERNEL" -initrd "$INITRD" -append "$append" \
    -fsdev local,id=host,path=/,security_model=none,readonly=on,multidevs=remap \
    -device virtio-9p-pci,fsdev=host,mount_tag=host \
    -fsdev local,id=ctl,path="$RUN",security_model=passthrough,multidevs=remap \
    -device virtio-9p-pci,fsdev=ctl,mount_tag=ctl \
    </dev/null >"$RUN/qemu.log" 2>&1 &
QPID=$!
tail -n +1 -F --pid=$QPID "$RUN/out" 2>/dev/null &
TPID=$!
wait $QPID
qrc=$?
QPID=
wait $TPID
TPID=
set -e
if [ -n "${BERTH_VM_DEBUG:-}" ] || [ ! -f "$RUN/rc" ]; then
    say "---- guest console ----"
    tr -d '\r' <"$RUN/console" >&2 || true
    cat "$RUN/qemu.log" >&2 || true
fi
[ "$qrc" = 124 ] && {
    say "timed out after ${TIMEOUT}s"
    exit 124
}
[ -f "$RUN/rc" ] || die "the VM stopped without a status (qemu exit $qrc)"
exit "$(cat "$RUN/rc")"
