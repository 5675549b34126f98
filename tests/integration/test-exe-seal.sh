#!/bin/bash
# test-exe-seal.sh: CVE-2019-5736, the container rewriting the runtime's
# binary. Each path by which a container can get a process running berth's
# executable, or an fd of it, is attacked with a real writer in the
# container (helpers/exe-attack.c). The binary under test is a copy of
# berth whose hash is compared before and after; every berth call of an
# attack uses that copy.
#
#   exec:        `berth exec CTR /proc/self/exe`, and a `#!/proc/self/exe`
#                script as exec's process
#   init:        process.args /proc/self/exe, and a `#!/proc/self/exe`
#                script as the init's process (the victim container joins
#                the attacker's pid namespace, so the attacker outlives it)
#   map_files:   an attacker with CAP_CHECKPOINT_RESTORE and CAP_SYS_PTRACE
#                also tries /proc/PID/map_files/ (the mapped file, which for
#                an overlayfs file could be the layer below)
#   fds:         --preserve-fds, LISTEN_FDS and stdio carrying the binary
#                are refused; berth's own fds in the preserved range (a
#                cgroup directory, the --log file) never reach the process;
#                with a console socket the process sees only its pty
#
# The berth-in-the-container blocks on `--log /fifo` (a fifo in its rootfs)
# until the attacker holds its handle; the test then opens the fifo for
# reading to let it exit, and the attacker tries to write.
#
# Shown failing on 4943e35 (before exe-seal.c, berth ran from its own
# file): in every exec/init section the attacker held the host's binary
# (runtime=1) and appended to it (written=1, the hash changed); the
# --preserve-fds run passed fd 5, the container's cgroup directory on the
# host; fd 3 = the binary was passed into the container and written.
. "$(dirname "$0")/lib.sh"
require_root
require_cmd gcc sha256sum mkfifo

ATTACK=$TEST_TMP/exe-attack
gcc -static -O2 -o "$ATTACK" "$SRCDIR/tests/integration/helpers/exe-attack.c" 2>"$TEST_TMP/.gcc" ||
    bail_out "cannot build exe-attack: $(cat "$TEST_TMP/.gcc")"

# Two copies, one per method: the overlay needs the state root outside the
# binary's directory, so the copy in TEST_TMP (which holds BERTH_ROOT) gets
# the sealed memfd and the one in TEST_TMP/bin the overlay.
mkdir -p "$TEST_TMP/bin"
COPY_OVERLAY=$TEST_TMP/bin/berth
COPY_MEMFD=$TEST_TMP/berth-copy
cp "$BERTH" "$COPY_OVERLAY"
cp "$BERTH" "$COPY_MEMFD"

# use_copy PATH: the copy the following attacks run and target.
use_copy() {
    BCOPY=$1
    SUM=$(sha256sum <"$BCOPY")
    DEVINO=$(stat -c %d:%i "$BCOPY")
}

# victim_berth ARGS...: the copy under test with this script's root.
victim_berth() {
    "$BCOPY" --root "$BERTH_ROOT" "$@"
}

# attacker_bundle: a bundle whose process is the attacker, with
# a `#!/proc/self/exe` script in its rootfs.
attacker_bundle() {
    local b
    b=$(make_bundle) || bail_out "cannot make a bundle"
    cp "$ATTACK" "$b/rootfs/bin/exe-attack"
    # one argument on a #! line: the global flag that makes berth block
    printf '#!/proc/self/exe --log=/fifo\n' >"$b/rootfs/bin/evil"
    chmod 755 "$b/rootfs/bin/evil"
    set_args "$b" /bin/exe-attack 15 "$DEVINO"
    # writable: the attacker tells the test through /attack.ready; and
    # docker's file capabilities, so that file modes do not stop it
    update_config "$b" "c['root']['readonly'] = False
for k in ('bounding', 'effective', 'permitted'):
    c['process']['capabilities'][k] += ['CAP_DAC_OVERRIDE', 'CAP_FOWNER']"
    printf '%s\n' "$b"
}

# arm BUNDLE: a fresh fifo for the berth-in-the-container to block on, and
# the attacker's target and files reset (bundles are reused: making one
# takes a while).
arm() {
    rm -f "$1/rootfs/fifo" "$1/rootfs/attack.ready" "$1/attack.out"
    mkfifo "$1/rootfs/fifo"
    local args
    args=$(config_get "$1" 'c["process"]["args"][0]')
    [ "$args" != /bin/exe-attack ] || set_args "$1" /bin/exe-attack 15 "$DEVINO"
}

# start_attacker BUNDLE ID: runs it detached, its stdout to BUNDLE/attack.out.
start_attacker() {
    arm "$1"
    victim_berth run -d --bundle "$1" "$2" >"$1/attack.out" 2>"$1/attack.err" </dev/null ||
        bail_out "cannot start the attacker: $(cat "$1/attack.err")"
}

# release FIFO_ROOTFS: once the attacker holds a handle, lets the blocked
# berth-in-the-container go on (it opens FIFO_ROOTFS/fifo for writing, more
# than once): a reader that also holds the fifo open for writing (O_RDWR)
# never sees an end, so it stays for 3 s whatever berth does.
release() {
    local i
    for ((i = 0; i < 100; i++)); do
        [ -e "$1/attack.ready" ] && break
        sleep 0.1
    done
    timeout 3 cat <>"$1/fifo" >/dev/null &
    releaser=$!
    rm -f "$1/fifo"
}

# finish_attacker BUNDLE ID: waits for the attacker to report, then checks.
finish_attacker() {
    local b=$1 id=$2 what=$3 i
    for ((i = 0; i < 250; i++)); do
        grep -q '^target=' "$b/attack.out" 2>/dev/null && break
        sleep 0.1
    done
    output=$(cat "$b/attack.out")
    wait "$releaser" 2>/dev/null
    diag "$what: $(tr '\n' ' ' <<<"$output")"
    assert_ne "$(kv held)" 0 "$what: the attacker got a handle on the process running berth"
    assert_eq "$(kv runtime)" 0 "$what: that handle is not the host's berth binary"
    assert_eq "$(kv written)" 0 "$what: writing through it failed"
    assert_eq "$(sha256sum <"$BCOPY")" "$SUM" "$what: the berth binary is unchanged"
    berth delete --force "$id" >/dev/null 2>&1
}

A=$(attacker_bundle)
V=$(make_bundle) || bail_out "cannot make a bundle"
printf '#!/proc/self/exe --log=/fifo\n' >"$V/rootfs/bin/evil"
chmod 755 "$V/rootfs/bin/evil"
for method in overlayfs memfd; do
    if [ $method = overlayfs ]; then use_copy "$COPY_OVERLAY"; else use_copy "$COPY_MEMFD"; fi
    set_args "$V" /bin/true
    run_cmd victim_berth --debug run --bundle "$V" "$(new_id)"
    assert_contains "$stderr" "re-executing from a sealed $method handle" \
        "$method: run re-executes berth from a sealed $method handle"

    # ---- exec: /proc/self/exe, and a #!/proc/self/exe script, as exec's process
    for how in /proc/self/exe /bin/evil; do
        ida=$(new_id)
        start_attacker "$A" "$ida"
        victim_berth exec "$ida" "$how" --log /fifo state x >"$TEST_TMP/exec.out" 2>&1 &
        execer=$!
        release "$A/rootfs"
        wait "$execer"
        finish_attacker "$A" "$ida" "$method: exec $how"
    done

    # ---- init: /proc/self/exe, and a #!/proc/self/exe script, as the init's
    # process; the victim container joins the attacker's pid namespace.
    for how in /proc/self/exe /bin/evil; do
        ida=$(new_id)
        start_attacker "$A" "$ida"
        pida=$(json_get "$(berth state "$ida")" 'j["pid"]')
        update_config "$V" "
for n in c['linux']['namespaces']:
    if n['type'] == 'pid':
        n['path'] = '/proc/$pida/ns/pid'"
        set_args "$V" "$how" --log /fifo state x
        arm "$V"
        idv=$(new_id)
        run_cmd victim_berth run -d --bundle "$V" "$idv"
        assert_success "$method: init $how: the victim container started"
        release "$V/rootfs"
        finish_attacker "$A" "$ida" "$method: init $how"
        berth delete --force "$idv" >/dev/null 2>&1
        update_config "$V" "
for n in c['linux']['namespaces']:
    n.pop('path', None)"
    done
done

# ---- map_files: an attacker that may read /proc/PID/map_files (for an
# overlayfs file, the mapping could name the layer's file below)
use_copy "$COPY_OVERLAY"
update_config "$A" "
for k in ('bounding', 'effective', 'permitted'):
    c['process']['capabilities'][k] += ['CAP_CHECKPOINT_RESTORE', 'CAP_SYS_PTRACE']"
ida=$(new_id)
start_attacker "$A" "$ida"
victim_berth exec "$ida" /proc/self/exe --log /fifo state x >"$TEST_TMP/exec.out" 2>&1 &
execer=$!
release "$A/rootfs"
wait "$execer"
finish_attacker "$A" "$ida" "map_files"
assert_ne "$(kv mapped)" 0 "map_files: the attacker could open /proc/PID/map_files entries"

# ---- fds the caller passes: the binary itself is refused, whichever way
# it would reach the container; the container tries to write to it later.
use_copy "$COPY_OVERLAY"
B=$(make_bundle) || bail_out "cannot make a bundle"
set_args "$B" /bin/sh -c 'sleep 1; for f in 0 3; do echo pwned >>/proc/self/fd/$f; done'
snapshot_host
run_cmd victim_berth run -d --preserve-fds 1 --bundle "$B" "$(new_id)" 3<"$BCOPY"
assert_failure "fds: --preserve-fds with fd 3 = the berth binary is refused"
assert_contains "$stderr" "fd 3 is berth's own executable" "fds: the error names the fd and why"
run_cmd --stdin "$BCOPY" victim_berth run -d --bundle "$B" "$(new_id)"
assert_failure "fds: stdin = the berth binary is refused"
assert_contains "$stderr" "fd 0 is berth's own executable" "fds: the error names stdin"
run_cmd sh -c 'LISTEN_PID=$$ LISTEN_FDS=1 exec "$@"' sh "$BCOPY" --root "$BERTH_ROOT" \
    run -d --bundle "$B" "$(new_id)" 3<"$BCOPY"
assert_failure "fds: LISTEN_FDS with fd 3 = the berth binary is refused"
sleep 1.5
assert_eq "$(sha256sum <"$BCOPY")" "$SUM" "fds: the berth binary is unchanged"
assert_host_unchanged "fds: the refused creates left nothing behind"

C=$(make_bundle) || bail_out "cannot make a bundle"
set_args "$C" /bin/sh -c 'sleep 30'
idc=$(new_id)
victim_berth run -d --bundle "$C" "$idc" </dev/null >/dev/null 2>&1 ||
    bail_out "cannot start a container"
run_cmd victim_berth exec --preserve-fds 1 "$idc" /bin/true 3<"$BCOPY"
assert_failure "fds: exec --preserve-fds with fd 3 = the berth binary is refused"
assert_contains "$stderr" "fd 3 is berth's own executable" "fds: exec's error names the fd"

# berth's own fds in the preserved range: nothing but what the caller passed.
# The fds are closed first so berth's own would land in 3..12.
set_args "$B" /bin/checker fds
run_cmd bash -c 'for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 3 ] && eval "exec $fd>&-"; done
exec "$@"' bash "$BCOPY" --root "$BERTH_ROOT" run --preserve-fds 10 --bundle "$B" "$(new_id)" 3</dev/null
assert_success "fds: run --preserve-fds 10 with only fd 3 open"
assert_eq "$(kv fds)" "3" "fds: the process has only the caller's fd 3 (no cgroup or state dir of berth's)"
run_cmd bash -c 'for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
exec "$@"' bash "$BCOPY" --root "$BERTH_ROOT" --log "$TEST_TMP/exec.log" exec --preserve-fds 4 "$idc" /bin/checker fds
assert_success "fds: exec --log FILE --preserve-fds 4 with no fd open"
assert_eq "$(kv fds)" "" "fds: the --log file (berth's fd 3) does not reach the process"
berth delete --force "$idc" >/dev/null 2>&1

# With a console socket, the process's fds are its pty and nothing else.
RECEIVER=$TEST_TMP/console-receiver
gcc -std=gnu11 -O1 -o "$RECEIVER" "$SRCDIR/tests/integration/helpers/console-receiver.c" \
    2>"$TEST_TMP/.gcc" || bail_out "cannot build console-receiver: $(cat "$TEST_TMP/.gcc")"
update_config "$B" "c['process']['terminal'] = True"
SOCK=$TEST_TMP/console.sock
"$RECEIVER" "$SOCK" "" 20 >"$TEST_TMP/recv.out" 2>"$TEST_TMP/recv.err" &
recv=$!
add_cleanup "kill $recv 2>/dev/null; wait $recv 2>/dev/null"
wait_for test -S "$SOCK" || bail_out "console-receiver did not listen"
idt=$(new_id)
run_cmd victim_berth run -d --console-socket "$SOCK" --bundle "$B" "$idt"
assert_success "fds: run -d with a console socket"
wait "$recv"
assert_contains "$(cat "$TEST_TMP/recv.out")" "fds=" "fds: the process reported its fds over the pty"
assert_match "$(tr -d '\r' <"$TEST_TMP/recv.out" | grep '^fds=')" '^fds=$' \
    "fds: with a terminal the process has no fd besides its pty"
berth delete --force "$idt" >/dev/null 2>&1

done_testing
