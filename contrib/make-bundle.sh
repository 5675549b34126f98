#!/bin/bash
# make-bundle.sh DIR [--checker PATH] [--builtin-config]
#
# Makes an OCI bundle from Debian's busybox-static, without downloading
# anything:
#   DIR/rootfs      /bin/busybox plus a symlink per applet, the usual
#                   directories, /etc/passwd and /etc/group (root, nobody),
#                   and optionally a static helper copied to /bin/checker
#   DIR/config.json from `$BERTH spec` when $BERTH is set and works, else a
#                   built-in config equivalent to `runc spec`. Either way
#                   process.terminal is false so scripts can run it.
# --builtin-config skips `berth spec` even when $BERTH is set.
set -euo pipefail

die() { echo "make-bundle: $*" >&2; exit 1; }
usage() { echo "usage: $0 DIR [--checker PATH] [--builtin-config]" >&2; exit 2; }

dir="" checker="" builtin=0
while [ $# -gt 0 ]; do
    case "$1" in
    --checker) [ $# -ge 2 ] || usage; checker=$2; shift 2 ;;
    --checker=*) checker=${1#--checker=}; shift ;;
    --builtin-config) builtin=1; shift ;;
    -h|--help) usage ;;
    -*) echo "make-bundle: unknown option $1" >&2; usage ;;
    *) [ -z "$dir" ] || usage; dir=$1; shift ;;
    esac
done
[ -n "$dir" ] || usage

busybox=""
for b in /bin/busybox /usr/bin/busybox; do
    [ -x "$b" ] && { busybox=$b; break; }
done
[ -n "$busybox" ] || die "busybox not found (apt-get install busybox-static)"
# A dynamic busybox would need its libraries inside the rootfs.
if ! "$busybox" --list >/dev/null 2>&1 || \
   LC_ALL=C ldd "$busybox" 2>&1 | grep -q '=>'; then
    die "$busybox is not a static busybox (apt-get install busybox-static)"
fi
if [ -n "$checker" ] && [ ! -x "$checker" ]; then
    die "checker \`$checker\` is not an executable file"
fi

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
rootfs=$dir/rootfs
[ ! -e "$rootfs" ] || die "$rootfs already exists"

mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,etc,root,tmp,var/tmp,run,home}
chmod 1777 "$rootfs/tmp" "$rootfs/var/tmp"
chmod 0700 "$rootfs/root"
cp "$busybox" "$rootfs/bin/busybox"
chmod 0755 "$rootfs/bin/busybox"
(
    cd "$rootfs/bin"
    for applet in $("$busybox" --list); do
        [ "$applet" = busybox ] || ln -s busybox "$applet"
    done
)

cat >"$rootfs/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat >"$rootfs/etc/group" <<'GROUP'
root:x:0:
nobody:x:65534:
GROUP
echo "berth" >"$rootfs/etc/hostname"
: >"$rootfs/etc/hosts"
: >"$rootfs/etc/resolv.conf"

if [ -n "$checker" ]; then
    cp "$checker" "$rootfs/bin/checker"
    chmod 0755 "$rootfs/bin/checker"
fi

write_builtin_config() {
    cat >"$dir/config.json" <<'CONFIG'
{
	"ociVersion": "1.3.0",
	"process": {
		"terminal": false,
		"user": {
			"uid": 0,
			"gid": 0
		},
		"args": [
			"sh"
		],
		"env": [
			"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
			"TERM=xterm"
		],
		"cwd": "/",
		"capabilities": {
			"bounding": [
				"CAP_AUDIT_WRITE",
				"CAP_KILL",
				"CAP_NET_BIND_SERVICE"
			],
			"effective": [
				"CAP_AUDIT_WRITE",
				"CAP_KILL",
				"CAP_NET_BIND_SERVICE"
			],
			"permitted": [
				"CAP_AUDIT_WRITE",
				"CAP_KILL",
				"CAP_NET_BIND_SERVICE"
			],
			"ambient": [
				"CAP_AUDIT_WRITE",
				"CAP_KILL",
				"CAP_NET_BIND_SERVICE"
			]
		},
		"rlimits": [
			{
				"type": "RLIMIT_NOFILE",
				"hard": 1024,
				"soft": 1024
			}
		],
		"noNewPrivileges": true
	},
	"root": {
		"path": "rootfs",
		"readonly": true
	},
	"hostname": "berth",
	"mounts": [
		{
			"destination": "/proc",
			"type": "proc",
			"source": "proc"
		},
		{
			"destination": "/dev",
			"type": "tmpfs",
			"source": "tmpfs",
			"options": ["nosuid", "strictatime", "mode=755", "size=65536k"]
		},
		{
			"destination": "/dev/pts",
			"type": "devpts",
			"source": "devpts",
			"options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]
		},
		{
			"destination": "/dev/shm",
			"type": "tmpfs",
			"source": "shm",
			"options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]
		},
		{
			"destination": "/dev/mqueue",
			"type": "mqueue",
			"source": "mqueue",
			"options": ["nosuid", "noexec", "nodev"]
		},
		{
			"destination": "/sys",
			"type": "sysfs",
			"source": "sysfs",
			"options": ["nosuid", "noexec", "nodev", "ro"]
		},
		{
			"destination": "/sys/fs/cgroup",
			"type": "cgroup",
			"source": "cgroup",
			"options": ["nosuid", "noexec", "nodev", "relatime", "ro"]
		}
	],
	"linux": {
		"resources": {
			"devices": [
				{
					"allow": false,
					"access": "rwm"
				}
			]
		},
		"namespaces": [
			{"type": "pid"},
			{"type": "network"},
			{"type": "ipc"},
			{"type": "uts"},
			{"type": "mount"}
		],
		"maskedPaths": [
			"/proc/acpi",
			"/proc/asound",
			"/proc/kcore",
			"/proc/keys",
			"/proc/latency_stats",
			"/proc/timer_list",
			"/proc/timer_stats",
			"/proc/sched_debug",
			"/sys/firmware",
			"/proc/scsi"
		],
		"readonlyPaths": [
			"/proc/bus",
			"/proc/fs",
			"/proc/irq",
			"/proc/sys",
			"/proc/sysrq-trigger"
		]
	}
}
CONFIG
}

# `berth spec` writes config.json into the bundle; it "works" only when it
# exits 0 and leaves a JSON object with process.args behind.
config_from_berth() {
    [ -n "${BERTH:-}" ] && [ -x "$BERTH" ] || return 1
    rm -f "$dir/config.json"
    (cd "$dir" && "$BERTH" spec </dev/null >/dev/null 2>"$dir/.spec.err") || return 1
    if [ ! -s "$dir/config.json" ]; then
        echo "exited 0 but wrote no config.json" >"$dir/.spec.err"
        return 1
    fi
    command -v python3 >/dev/null || return 1
    python3 - "$dir/config.json" <<'PY' 2>>"$dir/.spec.err" || return 1
import json, sys
path = sys.argv[1]
with open(path) as f:
    c = json.load(f)
if not isinstance(c, dict) or not c.get("process", {}).get("args"):
    sys.exit("berth spec wrote no process.args")
c["process"]["terminal"] = False
with open(path, "w") as f:
    json.dump(c, f, indent="\t")
    f.write("\n")
PY
}

source="built-in"
if [ "$builtin" = 0 ] && [ -n "${BERTH:-}" ]; then
    if config_from_berth; then
        source="$BERTH spec"
    else
        echo "make-bundle: \`${BERTH} spec\` did not produce a usable config.json" \
             "($(head -c 300 "$dir/.spec.err" 2>/dev/null | tr '\n' ' ')); using the built-in config" >&2
    fi
    rm -f "$dir/.spec.err"
fi
[ "$source" != built-in ] || write_builtin_config
echo "make-bundle: bundle $dir ready (config from $source)" >&2
