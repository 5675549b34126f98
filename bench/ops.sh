#!/bin/bash
# ops.sh: the small steps bench/bench.py hands to hyperfine (loops, and the
# --prepare/--setup/--cleanup commands that are not timed).
#
#   ops.sh loop N RT ROOT BUNDLE PREFIX   N sequential `RT run` (create+start+wait+delete)
#   ops.sh floorloop N FLOOR ROOTFS       N sequential runs of the floor program
#   ops.sh par N RT ROOT BUNDLE PREFIX    N `RT create` at once, waits for all
#   ops.sh clean RT ROOT                  delete --force every container under ROOT
#   ops.sh created RT ROOT BUNDLE ID      fresh container ID in state "created"
#   ops.sh running RT ROOT BUNDLE ID      fresh container ID, started (BUNDLE runs a sleep)
#   ops.sh stopped RT ROOT BUNDLE ID      fresh container ID, started and exited
#   ops.sh cs RT ROOT BUNDLE ID           `create` then `start` (the pair engines call)
#   ops.sh many N RT ROOT BUNDLE PREFIX   N containers in state "created", one by one
#   ops.sh lifecycles N P RT ROOT BUNDLE PREFIX
#                                         N `run`s (whole lifecycles), P at a time
#
# Any failure exits non-zero so that hyperfine reports it instead of timing
# a command that did nothing.
set -u
cmd=$1
shift

clean() { # RT ROOT [ID]
    local rt=$1 root=$2 id
    if [ $# -ge 3 ]; then
        "$rt" --root "$root" delete --force "$3" >/dev/null 2>&1
        return 0
    fi
    [ -d "$root" ] || return 0
    local d
    for d in "$root"/*/; do
        [ -d "$d" ] || continue
        id=$(basename "$d")
        "$rt" --root "$root" delete --force "$id" >/dev/null 2>&1
    done
    return 0
}

case "$cmd" in
loop | many)
    # loop: N whole `run`s; many: N containers left in state "created"
    n=$1 rt=$2 root=$3 bundle=$4 prefix=$5 verb=run
    [ "$cmd" = loop ] || verb=create
    for ((i = 0; i < n; i++)); do
        "$rt" --root "$root" $verb --bundle "$bundle" "$prefix$i" >/dev/null 2>&1 </dev/null || {
            echo "ops.sh: $rt $verb $prefix$i failed" >&2
            exit 1
        }
    done
    ;;
floorloop)
    n=$1 floor=$2 rootfs=$3
    for ((i = 0; i < n; i++)); do
        "$floor" "$rootfs" || exit 1
    done
    ;;
par)
    n=$1 rt=$2 root=$3 bundle=$4 prefix=$5
    pids=()
    for ((i = 0; i < n; i++)); do
        "$rt" --root "$root" create --bundle "$bundle" "$prefix$i" >/dev/null 2>&1 </dev/null &
        pids+=($!)
    done
    rc=0
    for p in "${pids[@]}"; do wait "$p" || rc=1; done
    exit $rc
    ;;
clean)
    clean "$@"
    ;;
cs)
    rt=$1 root=$2 bundle=$3 id=$4
    "$rt" --root "$root" create --bundle "$bundle" "$id" >/dev/null 2>&1 </dev/null || exit 1
    "$rt" --root "$root" start "$id" >/dev/null 2>&1 || exit 1
    ;;
lifecycles)
    n=$1 par=$2 rt=$3 root=$4 bundle=$5 prefix=$6
    # xargs gives each run /dev/null as stdin
    seq 0 $((n - 1)) | xargs -P "$par" -I{} "$rt" --root "$root" run --bundle "$bundle" "$prefix{}" \
        >/dev/null 2>&1 || exit 1
    ;;
created | running | stopped)
    rt=$1 root=$2 bundle=$3 id=$4
    clean "$rt" "$root" "$id"
    "$rt" --root "$root" create --bundle "$bundle" "$id" >/dev/null 2>&1 </dev/null || exit 1
    [ "$cmd" = created ] && exit 0
    "$rt" --root "$root" start "$id" >/dev/null 2>&1 || exit 1
    [ "$cmd" = running ] && exit 0
    for ((i = 0; i < 2000; i++)); do
        "$rt" --root "$root" state "$id" 2>/dev/null | grep -q '"status": *"stopped"' && exit 0
    done
    echo "ops.sh: $id did not stop" >&2
    exit 1
    ;;
*)
    echo "ops.sh: unknown step $cmd" >&2
    exit 2
    ;;
esac
