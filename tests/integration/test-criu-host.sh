#!/bin/bash
# test-criu-host.sh: checkpoint/restore on a kernel criu cannot run on (the
# 6.18 development host: `criu check` fails on the vDSO) fail with a clear
# error naming criu's own reason, leave the container running, and create
# nothing; without criu they say "criu not installed". The working path is
# tested in the VM (tests/cgroup2-vm/run-criu.sh).
. "$(dirname "$0")/lib.sh"

require_root
command -v criu >/dev/null || skip_all "criu is not installed (contrib/install-deps.sh)"
criu check >/dev/null 2>&1 && skip_all "criu works on this kernel: tests/cgroup2-vm/test-criu.sh covers it"

run_cmd berth checkpoint --help
assert_success "checkpoint --help exits 0 (podman's probe)"
assert_contains "$output" "--leave-running" "checkpoint --help lists runc's flags"
run_cmd berth restore --lsm-mount-context
assert_contains "$stderr" "flag needs an argument" "restore --lsm-mount-context probe (podman)"

B=$(make_bundle) || bail_out "make_bundle failed"
set_args "$B" sleep 300
ID=$(new_id)
run_cmd berth run -d --bundle "$B" "$ID"
assert_success "run -d"
PID=$(json_get "$(berth state "$ID")" 'j["pid"]')

run_cmd berth checkpoint --image-path "$TEST_TMP/img" "$ID"
assert_failure "checkpoint fails"
assert_contains "$stderr" "checkpoint: criu cannot run on this kernel: Error (criu/" \
    "checkpoint: clear error with criu's own reason"
check "the container is still running with the same init" \
    [ "$(container_status "$ID")" = running -a -d "/proc/$PID" ]

run_cmd berth restore -d --image-path "$TEST_TMP/img" --bundle "$B" "$(new_id)"
assert_failure "restore fails"
assert_contains "$stderr" "restore: criu cannot run on this kernel" "restore: clear error"
check "restore created no state" [ "$(ls "$BERTH_ROOT" | wc -l)" = 1 ]

# runc's checks of the options come before criu's (runc's wording), on any
# host; the container is left as it was
for bad in "--page-server 7000|Use --page-server ADDRESS:PORT to specify page server" \
    "--page-server :7000|Use --page-server ADDRESS:PORT to specify page server" \
    "--page-server [::1]:x|Invalid port number" \
    "--manage-cgroups-mode loose|invalid manage-cgroups-mode value: loose" \
    "--empty-ns galaxy|namespace galaxy is not supported"; do
    run_cmd berth checkpoint ${bad%%|*} --image-path "$TEST_TMP/img" "$ID"
    assert_failure "checkpoint ${bad%%|*} fails"
    assert_contains "$stderr" "checkpoint: ${bad#*|}" "checkpoint ${bad%%|*}: runc's wording"
done
run_cmd berth restore -d --manage-cgroups-mode loose --image-path "$TEST_TMP/img" --bundle "$B" "$(new_id)"
assert_contains "$stderr" "restore: invalid manage-cgroups-mode value: loose" \
    "restore --manage-cgroups-mode loose: runc's wording"
check "checks of the options: still running with the same init, nothing made" \
    [ "$(container_status "$ID")" = running -a -d "/proc/$PID" -a "$(ls "$BERTH_ROOT" | wc -l)" = 1 ]

run_cmd "$BERTH" --root "$BERTH_ROOT" --criu /nonexistent/criu checkpoint "$ID"
assert_failure "checkpoint with --criu pointing nowhere fails"
assert_contains "$stderr" "criu not installed" "missing criu: clear error"

run_cmd berth --version
assert_match "$output" 'criu: [0-9.]+ \(unusable on this kernel\)' "--version says criu is unusable here"

done_testing
