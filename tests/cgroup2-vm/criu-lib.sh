# criu-lib.sh: what the VM tests that run criu share (sourced after
# tests/integration/lib.sh): the guest kernel's modules criu needs, and
# whether criu can run at all.

# The guest kernel's modules (never installed): criu's kerndat needs
# nf_tables, socket dumping needs the *_diag modules, and dumping a network
# namespace needs conntrack over netlink.
load_modules() {
    local k m cache=${BERTH_VM_CACHE:-/var/cache/berth-cgroup2-vm}
    k=$(uname -r)
    if [ ! -e "/lib/modules/$k" ] && [ -d "$cache/k/lib/modules/$k" ]; then
        mkdir -p /lib/modules && ln -s "$cache/k/lib/modules/$k" "/lib/modules/$k"
    fi
    for m in crc32c_generic nf_tables inet_diag unix_diag netlink_diag tcp_diag udp_diag \
        raw_diag af_packet_diag nf_conntrack nf_conntrack_netlink; do
        if command -v modprobe >/dev/null; then modprobe "$m"; else /.vm/busybox modprobe "$m"; fi 2>/dev/null
    done
}

# criu_ready: loads the modules and runs `criu check`; false with the
# reason in $CRIU_WHY when criu cannot run here.
criu_ready() {
    CRIU_WHY=
    if ! command -v criu >/dev/null; then
        CRIU_WHY="criu is not installed"
        return 1
    fi
    load_modules
    if ! criu check >"$TEST_TMP/criu-check" 2>&1; then
        CRIU_WHY="criu cannot run here: $(grep -m1 Error "$TEST_TMP/criu-check")"
        return 1
    fi
}
