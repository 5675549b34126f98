#!/bin/bash
# test-faults.sh: a kill -9 of berth at every syscall it makes (issue 21).
#
# For each command (create, run -d, start, exec, pause, resume, update,
# delete) berth runs once under strace to list its syscalls; then, one run
# per point, strace kills it (SIGKILL) on entering the Nth call of that
# syscall (`-e inject=NAME:signal=SIGKILL:when=N`; only berth itself is
# traced, not the container it starts). After each kill, `delete --force`
# must exit 0 and leave nothing of the container: no state entry (hidden
# ones included), no cgroup directory, no live process in its cgroup, no
# mount of its bundle. runtime.md "Errors" asks that a failed create leave
# the host as if it was never attempted; an engine whose runtime was killed
# (OOM, a timeout) can only call delete.
#
# BERTH_FAULT_POINTS=N samples N points per command evenly (default: every
# point). The summary prints how many points were tried and how many of
# them killed berth (a run can finish before its Nth call of a syscall).
. "$(dirname "$0")/lib.sh"

require_root
require_cmd strace

# strace's fault injection (4.16+), and its status for a killed tracee
strace -qq -o /dev/null -e inject=openat:signal=SIGKILL:when=1 /bin/true 2>/dev/null
probe=$?
[ $probe = 137 ] || skip_all "strace cannot kill a tracee at a syscall here (probe status $probe)"

B=$(make_bundle) || bail_out "cannot make a bundle"
set_args "$B" /bin/sleep 1000
POINTS=${BERTH_FAULT_POINTS:-0}

# leftovers ID: prints what is left of container ID on the host, one item
# per line. Processes get up to 2 s to die (the init dies with its parent).
leftovers() {
    local id=$1 d f p st i out
    for ((i = 0; i < 20; i++)); do
        out=""
        for f in $(grep -l -E -- "/$id( \(deleted\))?\$" /proc/[0-9]*/cgroup 2>/dev/null); do
            p=${f#/proc/}
            p=${p%/cgroup}
            st=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | cut -d' ' -f1)
            [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ] && out+="process $p ($st)"$'\n'
        done
        [ -z "$out" ] && break
        sleep 0.1
    done
    printf '%s' "$out"
    for d in /sys/fs/cgroup/*/berth/"$id" /sys/fs/cgroup/berth/"$id"; do
        [ -d "$d" ] && echo "cgroup $d"
    done
    # entries of the state root that were not there before the point
    ls -A "$BERTH_ROOT" 2>/dev/null | sort | comm -13 "$TEST_TMP/root.before" - | sed 's/^/state /'
    grep -F -- "$B" /proc/self/mountinfo | sed 's/^/mount /'
}

# prepare WHAT ID: the container the command under test needs.
prepare() {
    local what=$1 id=$2
    case $what in
    none) return 0 ;;
    created) berth create --bundle "$B" "$id" ;;
    running) berth run -d --bundle "$B" "$id" ;;
    paused) berth run -d --bundle "$B" "$id" && berth pause "$id" ;;
    esac
}

# sweep NAME NEEDS ARGS...: ARGS with ID in place of the container id.
sweep() {
    local name=$1 needs=$2 id trace points=() n total killed=0 bad=0 rc i step
    shift 2
    local -A seen=()

    id=$(new_id)
    prepare "$needs" "$id" >/dev/null 2>&1 || {
        not_ok "$name: prepare a $needs container"
        return
    }
    trace="$TEST_TMP/$name.trace"
    strace -qq -o "$trace" -- "$BERTH" --root "$BERTH_ROOT" "${@//ID/$id}" \
        >/dev/null 2>"$TEST_TMP/$name.err"
    rc=$?
    berth delete --force "$id" >/dev/null 2>&1
    if [ $rc != 0 ]; then
        not_ok "$name: runs under strace" "status $rc: $(cat "$TEST_TMP/$name.err")"
        return
    fi
    # NAME:N for the Nth call of NAME, in the order berth made them
    while read -r n; do
        seen[$n]=$((${seen[$n]:-0} + 1))
        points+=("$n:${seen[$n]}")
    done < <(sed -n 's/^\([a-z0-9_]*\)(.*/\1/p' "$trace")
    total=${#points[@]}
    step=1
    if [ "$POINTS" -gt 0 ] && [ "$total" -gt "$POINTS" ]; then
        step=$(((total + POINTS - 1) / POINTS))
    fi
    local tried=0 failures=""
    for ((i = 0; i < total; i += step)); do
        local sc=${points[$i]%:*} nth=${points[$i]#*:} left out
        tried=$((tried + 1))
        id=$(new_id)
        ls -A "$BERTH_ROOT" 2>/dev/null | sort >"$TEST_TMP/root.before"
        if ! prepare "$needs" "$id" >/dev/null 2>"$TEST_TMP/prep.err"; then
            failures+="  $sc #$nth: prepare: $(cat "$TEST_TMP/prep.err")"$'\n'
            bad=$((bad + 1))
            berth delete --force "$id" >/dev/null 2>&1
            continue
        fi
        timeout -k 5 60 strace -qq -o /dev/null -e trace="$sc" \
            -e inject="$sc:signal=SIGKILL:when=$nth" -- \
            "$BERTH" --root "$BERTH_ROOT" "${@//ID/$id}" >/dev/null 2>&1
        [ $? = 137 ] && killed=$((killed + 1))
        out=$(berth delete --force "$id" 2>&1)
        rc=$?
        left=$(leftovers "$id")
        if [ $rc != 0 ] || [ -n "$left" ]; then
            bad=$((bad + 1))
            failures+="  $sc #$nth (point $((i + 1))): delete --force status $rc${out:+: $out}"$'\n'
            [ -n "$left" ] && failures+=$(sed 's/^/    left: /' <<<"$left")$'\n'
            # clean up so the next point starts from a clean host
            berth delete --force "$id" >/dev/null 2>&1
        fi
    done
    diag "$name: $tried of $total syscalls tried, berth killed at $killed, $bad left something"
    if [ "$bad" = 0 ] && [ "$killed" -gt 0 ]; then
        ok "$name: kill -9 at each of $tried points, then delete --force: nothing left"
    else
        not_ok "$name: kill -9 at each of $tried points, then delete --force: nothing left" \
            "$bad points left something (or none killed berth: $killed)"
        diag "$failures"
    fi
}

snapshot_host
sweep create none create --bundle "$B" ID
sweep run none run -d --bundle "$B" ID
sweep start created start ID
sweep exec running exec ID /bin/true
sweep pause running pause ID
sweep resume paused resume ID
sweep update running update --memory 209715200 --pids-limit 100 ID
sweep delete running delete --force ID
assert_host_unchanged "after the sweeps the host is as before"

done_testing
