#!/bin/sh
# crun-hybrid-wrapper.sh: runs crun (CRUN, default crun) in a private mount
# namespace without /sys/fs/cgroup/unified. crun 1.8.1 refuses hybrid
# cgroup v1 + v2 hosts ("cgroups in hybrid mode not supported"); hiding the
# v2 mount makes it use plain v1. run.sh uses this automatically for crun on
# such hosts. --propagation slave: host mounts still propagate into crun's
# namespace (rootfsPropagation checks), and the umount stays private to it.
exec unshare -m --propagation slave sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null; exec "$0" "$@"' "${CRUN:-crun}" "$@"
