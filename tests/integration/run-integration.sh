#!/bin/bash
# run-integration.sh [-v] [--timeout SEC] [PATTERN...]
#
# Runs every tests/integration/test-*.sh (or those whose name contains one
# of the PATTERNs) against $BERTH (default build/berth), parses their TAP
# and prints one line per script plus a summary. A script counts as crashed
# when it exits non-zero without a failing test, bails out, times out, has
# no plan or runs a different number of tests than planned; leaks reported
# by lib.sh's teardown count as a failure too.
#
# Exit status: 0 when nothing failed or crashed, 1 otherwise, 2 on usage.
# With INTEGRATION_SUMMARY=FILE it writes "PASSED FAILED SKIPPED" there.
# Logs go to $INTEGRATION_LOGDIR (default: a new temp dir).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/../.." && pwd)
verbose=0
script_timeout=${INTEGRATION_TIMEOUT:-300}
patterns=()

while [ $# -gt 0 ]; do
    case "$1" in
    -v|--verbose) verbose=1 ;;
    --timeout) script_timeout=$2; shift ;;
    --timeout=*) script_timeout=${1#--timeout=} ;;
    -h|--help)
        sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
        exit 0 ;;
    -*) echo "run-integration: unknown option $1" >&2; exit 2 ;;
    *) patterns+=("$1") ;;
    esac
    shift
done

BERTH=${BERTH:-$srcdir/build/berth}
if [ "${BERTH#/}" = "$BERTH" ]; then
    BERTH=$(cd "$(dirname "$BERTH")" 2>/dev/null && pwd)/$(basename "$BERTH")
fi
if [ ! -x "$BERTH" ]; then
    echo "run-integration: berth binary \`$BERTH\` not found; build it or set BERTH" >&2
    exit 2
fi
export BERTH

CHECKER=${CHECKER:-$here/helpers/checker}
if [ ! -x "$CHECKER" ] || [ "$here/helpers/checker.c" -nt "$CHECKER" ]; then
    if ! gcc -static -O2 -Wall -Wextra -o "$CHECKER.tmp.$$" "$here/helpers/checker.c"; then
        echo "run-integration: cannot build the checker helper" >&2
        exit 1
    fi
    mv -f "$CHECKER.tmp.$$" "$CHECKER"
fi
export CHECKER

logdir=${INTEGRATION_LOGDIR:-$(mktemp -d "${TMPDIR:-/tmp}/berth-integration.XXXXXX")}
mkdir -p "$logdir"

scripts=()
for s in "$here"/test-*.sh; do
    [ -f "$s" ] || continue
    name=$(basename "$s")
    if [ ${#patterns[@]} -gt 0 ]; then
        match=0
        for p in "${patterns[@]}"; do
            [[ "$name" == *"$p"* ]] && match=1
        done
        [ $match = 1 ] || continue
    fi
    scripts+=("$s")
done

total_pass=0 total_fail=0 total_skip=0
n_pass=0 n_fail=0 n_crash=0 n_skip=0
bad_scripts=()

echo "integration: berth=$BERTH, ${#scripts[@]} script(s), logs in $logdir"
for s in "${scripts[@]}"; do
    name=$(basename "$s" .sh)
    tap=$logdir/$name.tap
    err=$logdir/$name.stderr
    start=$(date +%s%N)
    timeout -k 10 "$script_timeout" bash "$s" </dev/null >"$tap" 2>"$err"
    rc=$?
    secs=$(( ($(date +%s%N) - start) / 1000000 ))
    secs=$(printf '%d.%01d' $((secs / 1000)) $(((secs % 1000) / 100)))

    plan="" plan_skip="" pass=0 fail=0 skip=0 todo=0 count=0 bail="" leaks=0
    while IFS= read -r line; do
        if [[ "$line" =~ ^1\.\.([0-9]+)(.*)$ ]]; then
            plan=${BASH_REMATCH[1]}
            if [[ "${BASH_REMATCH[2]}" =~ ^[[:space:]]*#[[:space:]]*[Ss][Kk][Ii][Pp](.*)$ ]]; then
                plan_skip=${BASH_REMATCH[1]# }
                [ -n "$plan_skip" ] || plan_skip="no reason given"
            fi
        elif [[ "$line" =~ ^(not\ )?ok([[:space:]]|$) ]]; then
            count=$((count + 1))
            negated=${BASH_REMATCH[1]}
            directive=""
            if [[ "$line" =~ [^\\]#[[:space:]]*([A-Za-z]+) ]]; then
                directive=${BASH_REMATCH[1]^^}
            fi
            if [[ "$directive" == TODO* ]]; then
                todo=$((todo + 1))
            elif [[ "$directive" == SKIP* ]]; then
                skip=$((skip + 1))
            elif [ -n "$negated" ]; then
                fail=$((fail + 1))
            else
                pass=$((pass + 1))
            fi
        elif [[ "$line" == "Bail out!"* ]]; then
            bail=$line
        elif [[ "$line" == "# LEAK:"* ]]; then
            leaks=$((leaks + 1))
        fi
    done <"$tap"

    why=""
    if [ $rc = 124 ] || [ $rc = 137 ]; then
        why="timed out after ${script_timeout}s"
    elif [ -n "$bail" ]; then
        why=$bail
    elif [ -n "$plan_skip" ] && [ "$plan" = 0 ] && [ $count = 0 ] && [ $rc = 0 ]; then
        why=skip
    elif [ $rc = 77 ] && [ $count = 0 ]; then
        why=skip
        plan_skip="exit status 77"
    elif [ -z "$plan" ]; then
        why="no TAP plan (exit status $rc)"
    elif [ "$plan" != $count ]; then
        why="planned $plan tests, ran $count"
    elif [ $leaks -gt 0 ]; then
        why="$leaks leak(s) after teardown"
    elif [ $rc != 0 ] && [ $fail = 0 ]; then
        why="exit status $rc without a failed test"
    fi

    if [ "$why" = skip ]; then
        result=SKIP
        n_skip=$((n_skip + 1))
        total_skip=$((total_skip + 1))
        printf '%-6s %-28s skipped: %s\n' "$result" "$name" "$plan_skip"
        continue
    fi
    total_pass=$((total_pass + pass))
    total_fail=$((total_fail + fail))
    total_skip=$((total_skip + skip))
    if [ -n "$why" ]; then
        result=CRASH
        n_crash=$((n_crash + 1))
        total_fail=$((total_fail + 1)) # the crash itself counts once
    elif [ $fail -gt 0 ]; then
        result=FAIL
        n_fail=$((n_fail + 1))
    else
        result=PASS
        n_pass=$((n_pass + 1))
    fi
    extra=""
    [ $todo -gt 0 ] && extra=", $todo todo"
    printf '%-6s %-28s %d passed, %d failed, %d skipped%s (%ss)%s\n' \
        "$result" "$name" $pass $fail $skip "$extra" "$secs" "${why:+ -- $why}"

    if [ $verbose = 1 ]; then
        sed 's/^/    /' "$tap"
    elif [ "$result" != PASS ]; then
        bad_scripts+=("$name")
        # The failing tests with their diagnostics, and the leak report.
        awk '/^not ok/ { show = 1; print; next }
             /^(ok|1\.\.)/ { show = 0; next }
             /^# LEAK:|^Bail out!|^# (planned|script exited|teardown)/ { print; next }
             show && /^#/ { print }' "$tap" | head -n 200 | sed 's/^/    /'
    fi
    if [ "$result" != PASS ] && [ -s "$err" ]; then
        echo "    --- last stderr lines ($err):"
        tail -n 15 "$err" | sed 's/^/    | /'
    fi
done

echo "integration: ${#scripts[@]} scripts: $n_pass passed, $n_fail failed, $n_crash crashed, $n_skip skipped"
echo "integration: $total_pass passed, $total_fail failed, $total_skip skipped"
if [ -n "${INTEGRATION_SUMMARY:-}" ]; then
    echo "$total_pass $total_fail $total_skip" >"$INTEGRATION_SUMMARY"
fi
[ $total_fail = 0 ]
