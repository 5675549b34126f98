#!/bin/bash
# tests/run.sh: the one test command (README "Testing", .ci/run).
#
#   tests/run.sh [--quick] [--only STEP[,STEP...]] [--builddir DIR] [-v]
#
# Steps, in order:
#   build        ./autogen.sh when configure is missing, DIR/../configure, make
#   unit         make check in DIR (check-based tests/unit)
#   format       make check-format (when clang-format is installed)
#   layers       make check-layers (docs/architecture.md: the library's modules
#                in layers, no include upwards, no cycle, the doc's graph true)
#   sanitizers   a second tree DIR-san with --enable-sanitizers: make check
#                under ASan+UBSan (check timeouts x3); any sanitizer report
#                fails the step
#   fuzz         tests/fuzz/run-fuzz.sh 60 (when that script exists), in DIR-fuzz
#   integration  tests/integration/run-integration.sh against DIR/berth
#                (as root only: the scripts create containers)
#   differential tests/differential/run-differential.sh: the same bundles
#                and commands under runc and berth, compared (as root, with
#                runc installed; docs/divergences.md lists what may differ)
#   engines      tests/engines/run.sh: podman, containerd and dockerd drive
#                DIR/berth (as root; installs the engines' packages itself);
#                by default only when CI=true or BERTH_ENGINES=1
#   vm           tests/cgroup2-vm: the cgroup v2 suite and the CRIU
#                checkpoint/restore suite in a QEMU VM booting Debian's 6.1
#                kernel (pure cgroup2; criu cannot run on the host kernel),
#                and the systemd cgroup driver's suite with systemd as the
#                VM's PID 1 (unified, then hybrid layout);
#                by default only when CI=true or BERTH_VM=1
# --quick skips sanitizers and fuzz; --only runs just the named steps (build
# runs whenever unit, format or integration need it). DIR defaults to build.
#
# The last line printed is exactly "N passed, N failed, N skipped", counting
# unit test cases (check's "Checks: N, Failures: F, Errors: E" lines, or
# automake's .trs results for non-check tests), integration TAP results and
# one result each for the build, format and fuzz steps. Exit status is 0 only
# when nothing failed. Logs: DIR/test-logs/.
set -uo pipefail

srcdir=$(cd "$(dirname "$0")/.." && pwd)
cd "$srcdir"

quick=0 verbose=0 builddir=build only=""
while [ $# -gt 0 ]; do
    case "$1" in
    --quick) quick=1 ;;
    --only) only="$only,$2"; shift ;;
    --only=*) only="$only,${1#--only=}" ;;
    --builddir) builddir=$2; shift ;;
    --builddir=*) builddir=${1#--builddir=} ;;
    -v|--verbose) verbose=1 ;;
    -h|--help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "tests/run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

all_steps="build unit format layers sanitizers fuzz integration differential engines vm"
for s in ${only//,/ }; do
    [[ " $all_steps " == *" $s "* ]] || { echo "tests/run.sh: unknown step $s (steps: $all_steps)" >&2; exit 2; }
done

jobs=$(nproc 2>/dev/null || echo 2)
case $builddir in /*) ;; *) builddir=$srcdir/$builddir ;; esac
sanbuilddir=$builddir-san
logdir=$builddir/test-logs

PASSED=0 FAILED=0 SKIPPED=0
report=()

wanted() {
    if [ -n "$only" ]; then
        [[ ",$only," == *",$1,"* ]]
        return
    fi
    case $1 in
    sanitizers|fuzz) [ $quick = 0 ] ;;
    engines) [ "${CI:-}" = true ] || [ "${BERTH_ENGINES:-0}" = 1 ] ;;
    vm) [ "${CI:-}" = true ] || [ "${BERTH_VM:-0}" = 1 ] ;;
    *) return 0 ;;
    esac
}

section() { printf '\n=== %s ===\n' "$*"; }
note() { printf '%s\n' "$*"; report+=("$*"); }

# Shows the end of a log (the whole log with -v or in CI).
show_log() {
    local log=$1 n=${2:-40}
    if [ $verbose = 1 ] || [ "${CI:-}" = true ]; then n=400; fi
    echo "--- last $n lines of $log:"
    tail -n "$n" "$log" | sed 's/^/  | /'
}

elapsed() { echo "$(( $(date +%s) - $1 ))s"; }

# ------------------------------------------------------------------ build

# configure_and_make DIR LOG [CONFIGURE ARGS]: 0 on success.
configure_and_make() {
    local dir=$1 log=$2
    shift 2
    mkdir -p "$dir" "$(dirname "$log")"
    : >"$log"
    if [ ! -x "$srcdir/configure" ]; then
        echo "+ ./autogen.sh" >>"$log"
        (cd "$srcdir" && ./autogen.sh) >>"$log" 2>&1 || return 1
    fi
    if [ ! -f "$dir/Makefile" ]; then
        echo "+ configure $*" >>"$log"
        (cd "$dir" && "$srcdir/configure" "$@") >>"$log" 2>&1 || return 1
    fi
    echo "+ make -j$jobs" >>"$log"
    make -C "$dir" -j"$jobs" >>"$log" 2>&1
}

build_ok=0
step_build() {
    section "build ($builddir)"
    local t=$(date +%s)
    if configure_and_make "$builddir" "$logdir/build.log"; then
        build_ok=1
        PASSED=$((PASSED + 1))
        note "build: ok ($(elapsed $t))"
    else
        FAILED=$((FAILED + 1))
        show_log "$logdir/build.log"
        note "build: FAILED ($(elapsed $t), log $logdir/build.log)"
    fi
}

# ------------------------------------------------------------- unit tests

# count_unit DIR: prints "PASS FAIL SKIP" for the tests make check ran in DIR.
# A check runner's log has "NN%: Checks: C, Failures: F, Errors: E" per
# suite; those count test cases. Tests without it count by their .trs
# result. A failed .trs whose check lines show no failure (a crash after the
# summary, a sanitizer report at exit) still counts one failure.
count_unit() {
    local dir=$1 pass=0 fail=0 skip=0 trs log res c f e line checked failed_cases
    while IFS= read -r trs; do
        log=${trs%.trs}.log
        checked=0 failed_cases=0
        if [ -f "$log" ]; then
            while IFS= read -r line; do
                if [[ "$line" =~ Checks:\ ([0-9]+),\ Failures:\ ([0-9]+),\ Errors:\ ([0-9]+) ]]; then
                    c=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]} e=${BASH_REMATCH[3]}
                    pass=$((pass + c - f - e))
                    fail=$((fail + f + e))
                    failed_cases=$((failed_cases + f + e))
                    checked=1
                fi
            done < <(grep -a -E '^[0-9]+%: Checks: ' "$log")
        fi
        while IFS= read -r res; do
            case $res in
            PASS|XFAIL) [ $checked = 1 ] || pass=$((pass + 1)) ;;
            SKIP) [ $checked = 1 ] || skip=$((skip + 1)) ;;
            *) [ $checked = 1 ] && [ $failed_cases -gt 0 ] || fail=$((fail + 1)) ;;
            esac
        done < <(sed -n 's/^:test-result: *\([A-Z]*\).*/\1/p' "$trs")
    done < <(find "$dir" -name '*.trs' 2>/dev/null | sort)
    echo "$pass $fail $skip"
}

# run_make_check DIR LABEL LOG: make check in DIR and add up its results.
run_make_check() {
    local dir=$1 label=$2 log=$3 rc counts p f s t=$(date +%s)
    # Stale results of removed or renamed tests must not be counted.
    find "$dir" \( -name '*.trs' -o -name 'test-suite.log' \) -delete 2>/dev/null
    find "$dir/tests" -name '*.log' -delete 2>/dev/null
    timeout 900 make -C "$dir" -j"$jobs" check >"$log" 2>&1
    rc=$?
    read -r p f s < <(count_unit "$dir")
    if [ "$label" = "unit (sanitizers)" ]; then
        # ASan/UBSan/LSan reports fail the run even when a test still passed.
        local reports
        reports=$(grep -l -a -E 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: UndefinedBehaviorSanitizer' \
            $(find "$dir" -name '*.log' -path '*tests*') 2>/dev/null)
        if [ -n "$reports" ]; then
            echo "sanitizer reports in:"
            echo "$reports" | sed 's/^/  /'
            f=$((f + $(echo "$reports" | wc -l)))
            for r in $reports; do show_log "$r" 30; done
        fi
    fi
    if [ $rc != 0 ] && [ "$f" = 0 ]; then
        # make check failed before or outside any test (e.g. a test that
        # does not compile): that is one failure.
        f=1
    fi
    PASSED=$((PASSED + p))
    FAILED=$((FAILED + f))
    SKIPPED=$((SKIPPED + s))
    if [ "$f" != 0 ]; then
        # test-suite.log holds the logs of just the failed tests.
        if [ -s "$dir/test-suite.log" ]; then
            show_log "$dir/test-suite.log" 80
        else
            show_log "$log" 60
        fi
    fi
    note "$label: $p passed, $f failed, $s skipped ($(elapsed $t), log $log)"
}

step_unit() {
    section "unit tests (make check in $builddir)"
    if [ $build_ok != 1 ]; then
        note "unit: not run: the build failed"
        return
    fi
    run_make_check "$builddir" unit "$logdir/unit.log"
}

step_format() {
    section "format (make check-format)"
    if ! command -v clang-format >/dev/null; then
        SKIPPED=$((SKIPPED + 1))
        note "format: skipped: clang-format is not installed"
        return
    fi
    if [ ! -f "$builddir/Makefile" ]; then
        note "format: not run: the build was not configured"
        return
    fi
    if make -s -C "$builddir" check-format >"$logdir/format.log" 2>&1; then
        PASSED=$((PASSED + 1))
        note "format: ok"
    else
        FAILED=$((FAILED + 1))
        show_log "$logdir/format.log"
        note "format: FAILED: files need clang-format (run make format; log $logdir/format.log)"
    fi
}

step_layers() {
    section "layers (make check-layers)"
    if [ ! -f "$builddir/Makefile" ]; then
        note "layers: not run: the build was not configured"
        return
    fi
    if make -s -C "$builddir" check-layers >"$logdir/layers.log" 2>&1; then
        PASSED=$((PASSED + 1))
        note "layers: ok ($(tail -1 "$logdir/layers.log"))"
    else
        FAILED=$((FAILED + 1))
        show_log "$logdir/layers.log"
        note "layers: FAILED: see docs/architecture.md (log $logdir/layers.log)"
    fi
}

step_sanitizers() {
    section "sanitizers (ASan+UBSan build in $sanbuilddir)"
    local t=$(date +%s)
    if ! configure_and_make "$sanbuilddir" "$logdir/build-san.log" --enable-sanitizers; then
        FAILED=$((FAILED + 1))
        show_log "$logdir/build-san.log"
        note "sanitizers: build FAILED ($(elapsed $t), log $logdir/build-san.log)"
        return
    fi
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-3} \
        run_make_check "$sanbuilddir" "unit (sanitizers)" "$logdir/unit-san.log"
}

step_fuzz() {
    section "fuzz (tests/fuzz/run-fuzz.sh 60)"
    if [ ! -f tests/fuzz/run-fuzz.sh ]; then
        SKIPPED=$((SKIPPED + 1))
        note "fuzz: skipped: tests/fuzz/run-fuzz.sh does not exist yet"
        return
    fi
    local t=$(date +%s)
    if FUZZ_BUILD_DIR=$builddir-fuzz timeout 600 bash tests/fuzz/run-fuzz.sh 60 >"$logdir/fuzz.log" 2>&1; then
        PASSED=$((PASSED + 1))
        note "fuzz: ok ($(elapsed $t), log $logdir/fuzz.log)"
    else
        FAILED=$((FAILED + 1))
        show_log "$logdir/fuzz.log"
        note "fuzz: FAILED ($(elapsed $t), log $logdir/fuzz.log)"
    fi
}

# Build rule for the static in-container helper (see helpers/checker.c).
build_checker() {
    local src=tests/integration/helpers/checker.c out=tests/integration/helpers/checker
    if [ -x "$out" ] && [ "$out" -nt "$src" ]; then
        return 0
    fi
    gcc -static -O2 -Wall -Wextra -o "$out.tmp.$$" "$src" && mv -f "$out.tmp.$$" "$out"
}

step_differential() {
    section "differential (tests/differential: runc vs $builddir/berth)"
    if [ $build_ok != 1 ] || [ ! -x "$builddir/berth" ]; then
        note "differential: not run: the build failed"
        return
    fi
    local t=$(date +%s) summary=$logdir/differential.summary p f s
    rm -f "$summary"
    BERTH=$builddir/berth CHECKER=$srcdir/tests/integration/helpers/checker \
        DIFFERENTIAL_SUMMARY=$summary tests/differential/run-differential.sh \
        >"$logdir/differential.log" 2>&1
    if [ -s "$summary" ]; then
        read -r p f s <"$summary"
    else
        p=0 f=1 s=0
    fi
    [ "$f" = 0 ] && [ $verbose = 0 ] || show_log "$logdir/differential.log"
    PASSED=$((PASSED + p))
    FAILED=$((FAILED + f))
    SKIPPED=$((SKIPPED + s))
    note "differential: $p passed, $f failed, $s skipped; $(grep -h '^# differential:\|^1\.\.0' \
        "$logdir/differential.log" | sed 's/^# //') ($(elapsed $t), log $logdir/differential.log)"
}

step_integration() {
    section "integration (tests/integration against $builddir/berth)"
    if [ "$(id -u)" != 0 ]; then
        SKIPPED=$((SKIPPED + 1))
        note "integration: skipped: needs root (the scripts create containers); run tests/run.sh as root"
        return
    fi
    if [ $build_ok != 1 ] || [ ! -x "$builddir/berth" ]; then
        note "integration: not run: the build failed"
        return
    fi
    if ! build_checker >"$logdir/checker.log" 2>&1; then
        FAILED=$((FAILED + 1))
        show_log "$logdir/checker.log"
        note "integration: FAILED: cannot build tests/integration/helpers/checker"
        return
    fi
    local t=$(date +%s) summary=$logdir/integration.summary p f s
    rm -f "$summary"
    rm -rf "$logdir/integration"
    local -a args=()
    [ $verbose = 1 ] && args+=(-v)
    BERTH=$builddir/berth CHECKER=$srcdir/tests/integration/helpers/checker \
        INTEGRATION_SUMMARY=$summary INTEGRATION_LOGDIR=$logdir/integration \
        tests/integration/run-integration.sh "${args[@]}"
    if [ -s "$summary" ]; then
        read -r p f s <"$summary"
    else
        p=0 f=1 s=0 # the runner itself broke
    fi
    PASSED=$((PASSED + p))
    FAILED=$((FAILED + f))
    SKIPPED=$((SKIPPED + s))
    note "integration: $p passed, $f failed, $s skipped ($(elapsed $t), logs $logdir/integration)"
}

step_engines() {
    section "engines (tests/engines: podman, containerd, dockerd with $builddir/berth)"
    if [ $build_ok != 1 ] || [ ! -x "$builddir/berth" ]; then
        FAILED=$((FAILED + 1))
        note "engines: not run: the build failed"
        return
    fi
    local t=$(date +%s) summary=$logdir/engines.summary p f s
    rm -f "$summary"
    rm -rf "$logdir/engines"
    local -a args=()
    [ $verbose = 1 ] && args+=(-v)
    BERTH=$builddir/berth ENGINES_SUMMARY=$summary ENGINES_LOGDIR=$logdir/engines \
        timeout 900 tests/engines/run.sh "${args[@]}"
    if [ -s "$summary" ]; then
        read -r p f s <"$summary"
    else
        p=0 f=1 s=0 # the runner itself broke or timed out
    fi
    PASSED=$((PASSED + p))
    FAILED=$((FAILED + f))
    SKIPPED=$((SKIPPED + s))
    note "engines: $p passed, $f failed, $s skipped ($(elapsed $t), logs $logdir/engines)"
}

# count_tap FILE: "passed failed skipped" of a TAP stream; a plan of
# "1..0 # SKIP" counts as one skip, a stream with no result as one failure.
count_tap() {
    awk '/^ok / { if ($0 ~ /# [Ss][Kk][Ii][Pp]/) s++; else p++ }
         /^not ok / { if ($0 ~ /# TODO/) p++; else f++ }
         /^1\.\.0 *# *[Ss][Kk][Ii][Pp]/ { s++ }
         END { if (p + f + s == 0) f = 1; print p + 0, f + 0, s + 0 }' "$1"
}

# vm_suite NAME SCRIPT: one suite of tests/cgroup2-vm, counted from its TAP.
vm_suite() {
    local name=$1 script=$2 t=$(date +%s) log=$logdir/vm-$1.log rc p f s
    timeout 1200 "$script" "$builddir/berth" >"$log" 2>&1
    rc=$?
    read -r p f s < <(count_tap "$log")
    # 77: the VM cannot run here (no qemu); the suite printed why
    if [ $rc != 0 ] && [ $rc != 77 ] && [ "$f" = 0 ]; then
        f=1
    fi
    [ "$f" != 0 ] && show_log "$log"
    PASSED=$((PASSED + p))
    FAILED=$((FAILED + f))
    SKIPPED=$((SKIPPED + s))
    note "vm $name: $p passed, $f failed, $s skipped (exit $rc, $(elapsed $t), log $log)"
}

step_vm() {
    section "vm (tests/cgroup2-vm: cgroup v2, CRIU and the systemd driver in a Debian 6.1 kernel VM)"
    if [ "$(id -u)" != 0 ] || [ $build_ok != 1 ] || [ ! -x "$builddir/berth" ]; then
        FAILED=$((FAILED + 1))
        note "vm: not run: needs root and a successful build"
        return
    fi
    if ! build_checker >"$logdir/checker.log" 2>&1; then
        FAILED=$((FAILED + 1))
        note "vm: FAILED: cannot build tests/integration/helpers/checker"
        return
    fi
    vm_suite cgroup2 tests/cgroup2-vm/run-tests.sh
    vm_suite rootless tests/cgroup2-vm/run-rootless.sh
    vm_suite criu tests/cgroup2-vm/run-criu.sh
    vm_suite systemd tests/cgroup2-vm/run-systemd.sh
}

# ------------------------------------------------------------------- main

start=$(date +%s)
mkdir -p "$logdir"
echo "berth tests: source $srcdir, build $builddir, -j$jobs${only:+, only ${only#,}}$([ $quick = 1 ] && echo ', quick')"

if wanted build || wanted unit || wanted format || wanted layers || wanted integration || wanted differential ||
    wanted engines || wanted vm; then
    step_build
fi
wanted unit && step_unit
wanted format && step_format
wanted layers && step_layers
if wanted sanitizers; then step_sanitizers; elif [ -z "$only" ]; then note "sanitizers: not run (--quick)"; fi
if wanted fuzz; then step_fuzz; elif [ -z "$only" ]; then note "fuzz: not run (--quick)"; fi
wanted integration && step_integration
wanted differential && step_differential
if wanted engines; then step_engines; elif [ -z "$only" ]; then note "engines: not run (set BERTH_ENGINES=1; CI runs them)"; fi
if wanted vm; then step_vm; elif [ -z "$only" ]; then note "vm: not run (set BERTH_VM=1; CI runs it)"; fi

section "summary ($(elapsed $start))"
for line in "${report[@]}"; do
    echo "  $line"
done
echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
[ "$FAILED" = 0 ]
