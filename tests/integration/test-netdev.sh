#!/bin/bash
# test-netdev.sh: networking a runtime does itself, as runc 1.4
# (tests/integration/netdev.bats): linux.netDevices moved into the
# container's network namespace (renamed, MTU, MAC and permanent global
# addresses kept, up), into a namespace joined by path and left there at
# delete; every check before the first move; a failed create gives the host
# its devices back. And the loopback of a network namespace berth makes is
# up (runc's "loopback" network), one joined by path is left alone.
# veth pairs stand for devices (this kernel has no dummy driver).
. "$(dirname "$0")/lib.sh"
require_root
require_cmd ip python3

tag=$$
VA=bva$tag  # moved; its peer VB stays on the host
VB=bvb$tag
VC=bvc$tag # a second pair, for a name taken in the container
VD=bvd$tag
NS=berth-test-$tag
add_cleanup "ip link del $VA 2>/dev/null; ip link del $VB 2>/dev/null; ip link del $VC 2>/dev/null; ip netns del $NS 2>/dev/null"
ip link add "$VA" type veth peer name "$VB" 2>"$TEST_TMP/ip.err" ||
    skip_all "cannot make a veth pair: $(cat "$TEST_TMP/ip.err")"

# The device as a user would prepare it: MTU, MAC, addresses of each kind.
prepare() {
    ip link set mtu 1789 dev "$1" && ip link set address 00:11:22:33:44:55 dev "$1" &&
        ip addr add 169.254.169.77/32 dev "$1" && ip addr add 127.0.0.33/8 dev "$1" &&
        ip -6 addr add 2001:db8::77/64 dev "$1" nodad && ip link set "$1" up
}
prepare "$VA" || bail_out "cannot configure $VA"

B=$(make_bundle) || bail_out "cannot make a bundle"
cp "$B/config.json" "$TEST_TMP/config.orig"
reset() { cp "$TEST_TMP/config.orig" "$B/config.json"; }
snapshot_host

# ---- loopback ------------------------------------------------------------------

set_args "$B" ip -o link show lo
id=$(new_id)
run_cmd berth run --bundle "$B" "$id"
assert_match "$output" '<LOOPBACK,UP,LOWER_UP>' "a new network namespace has its loopback up (runc, crun)"

ip netns add "$NS" || bail_out "ip netns add failed"
update_config "$B" "[n.update(path='/run/netns/$NS') for n in c['linux']['namespaces'] if n['type'] == 'network']"
id=$(new_id)
run_cmd berth run --bundle "$B" "$id"
assert_match "$output" '<LOOPBACK>' "a network namespace joined by path is its owner's: lo left down"

# ---- moved into a new network namespace --------------------------------------------

reset
update_config "$B" "c['linux']['netDevices'] = {'$VA': {'name': 'ctr0'}}"
set_args "$B" ip addr show dev ctr0
id=$(new_id)
run_cmd berth run --bundle "$B" "$id"
assert_success "run with linux.netDevices"
assert_match "$output" 'ctr0@.*,UP[,>]' "the device is in the container, renamed and up"
assert_match "$output" 'mtu 1789 ' "its MTU came along"
assert_match "$output" 'ether 00:11:22:33:44:55 ' "its MAC address came along"
assert_match "$output" 'inet 169.254.169.77/32 scope global' "its permanent global IPv4 address was added again"
assert_match "$output" 'inet6 2001:db8::77/64 scope global' "its IPv6 address too (read before the link went down)"
assert_not_contains "$output" "127.0.0.33" "a host-scope address is not carried over (config-linux.md)"
run_cmd ip link show "$VA"
assert_failure "the host no longer has it"

# ---- a namespace joined by path: the device stays there after delete ------------

# (the namespace of that container is gone, and the veth pair with it: the
# kernel frees a namespace asynchronously)
wait_for bash -c "! ip link show $VB >/dev/null 2>&1"
ip link add "$VA" type veth peer name "$VB" && prepare "$VA" || bail_out "cannot remake $VA"
update_config "$B" "[n.update(path='/run/netns/$NS') for n in c['linux']['namespaces'] if n['type'] == 'network']
c['process']['args'] = ['sleep', '300']"
id=$(new_id)
run_cmd berth run -d --bundle "$B" "$id"
assert_success "run -d into a namespace joined by path"
run_cmd berth delete -f "$id"
assert_success "delete"
run_cmd ip netns exec "$NS" ip addr show dev ctr0
assert_match "$output" 'inet 169.254.169.77/32' \
    "after delete the device is still in the joined namespace (config-linux.md: MUST NOT move it out)"

# A name already taken in the container's namespace (ctr0, from above):
# refused before any move.
ip link add "$VC" type veth peer name "$VD" || bail_out "cannot make $VC"
update_config "$B" "c['linux']['netDevices'] = {'$VC': {'name': 'ctr0'}}"
run_cmd berth run -d --bundle "$B" "$(new_id)"
assert_failure "a target name that exists in the container's namespace fails"
assert_contains "$stderr" "netDevices: \`ctr0\` already exists in the container's network namespace" \
    "the error names the device"
run_cmd ip link show "$VC"
assert_success "and the host keeps its device"
ip link del "$VC"
ip netns del "$NS"

# ---- checks first, undo on failure ---------------------------------------------------------

ip link del "$VA" 2>/dev/null
ip link add "$VA" type veth peer name "$VB" && prepare "$VA" || bail_out "cannot remake $VA"
host_view() { ip -o addr show dev "$VA" | awk '{print $3, $4}' | sort | tr '\n' ' '; ip -o link show "$VA" | grep -o 'mtu [0-9]*\|,UP'; }
before=$(host_view)

reset
update_config "$B" "c['linux']['netDevices'] = {'$VA': {}, 'nosuch$tag': {}}"
run_cmd berth run --bundle "$B" "$(new_id)"
assert_failure "a host interface that does not exist fails create"
assert_contains "$stderr" "netDevices: host interface \`nosuch$tag\`: No such device" "the error names it"
assert_eq "$(host_view)" "$before" "the device listed before it was never moved"

# The second move fails (lo cannot leave its namespace): the first comes back.
update_config "$B" "c['linux']['netDevices'] = {'$VA': {}, 'lo': {'name': 'hostlo'}}"
run_cmd berth run --bundle "$B" "$(new_id)"
assert_failure "a device the kernel will not move fails create"
assert_contains "$stderr" "netDevices: move \`lo\` into the container's network namespace as \`hostlo\`" \
    "the error names the move"
assert_eq "$(host_view)" "$before" "the device moved before it is back: name, addresses, MTU, up"

# create fails after the move (no such program): the device comes back.
update_config "$B" "c['linux']['netDevices'] = {'$VA': {'name': 'eth%d'}}"
set_args "$B" /no/such/program
run_cmd berth run --bundle "$B" "$(new_id)"
assert_failure "create fails after the devices moved"
assert_eq "$(host_view)" "$before" "a failed create gives the device back as it was"

# A "%d" template: the kernel picks the name.
set_args "$B" ip -o link show
id=$(new_id)
run_cmd berth run --bundle "$B" "$id"
assert_match "$output" ' eth0@' "a %d template is completed by the kernel (eth0)"

# Without a network namespace of its own: refused, as runc.
reset
update_config "$B" "c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] != 'network']
c['linux']['netDevices'] = {'$VB': {}}"
run_cmd berth run --bundle "$B" "$(new_id)"
assert_failure "netDevices without a network namespace fail"
assert_contains "$stderr" "unable to move network devices without a network namespace" "the error says why"

assert_host_unchanged "no container, cgroup or mount left behind"
done_testing
