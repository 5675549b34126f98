#!/bin/bash
# test-terminal.sh: process.terminal (config.md "Process"): the pty's master
# reaches the engine over --console-socket (SCM_RIGHTS, received by
# helpers/console-receiver), the slave is the container's stdio and
# /dev/console, consoleSize applies, and `run` without a socket proxies
# the pty to its own stdio.
. "$(dirname "$0")/lib.sh"

require_root
require_cmd gcc python3

RECEIVER=$TEST_TMP/console-receiver
gcc -std=gnu11 -O1 -Wall -o "$RECEIVER" "$SRCDIR/tests/integration/helpers/console-receiver.c" \
    >"$TEST_TMP/build.log" 2>&1 || bail_out "cannot build console-receiver: $(cat "$TEST_TMP/build.log")"

# receiver SOCK INPUT: starts the receiver in the background (RECV_PID),
# output in $TEST_TMP/recv.out, and waits for its socket.
receiver() {
    rm -f "$1" "$TEST_TMP/recv.out" "$TEST_TMP/recv.err"
    "$RECEIVER" "$1" "$2" 20 >"$TEST_TMP/recv.out" 2>"$TEST_TMP/recv.err" &
    RECV_PID=$!
    add_cleanup "kill $RECV_PID 2>/dev/null; wait $RECV_PID 2>/dev/null"
    wait_for test -S "$1"
}

B=$(make_bundle) || bail_out "cannot make a bundle"
update_config "$B" 'c["process"]["terminal"] = True
c["process"]["consoleSize"] = {"height": 31, "width": 101}
c["process"]["args"] = ["sh"]'

# ---- console socket --------------------------------------------------------

SOCK=$TEST_TMP/console.sock
# Quotes split the markers so that the tty's echo of the input line does
# not match them, only the commands' output.
INPUT='stty size; tty; [ -t 0 ] && echo "is""atty"; echo "con=$(stat -c %t:%T /dev/console) in=$(stat -L -c %t:%T /proc/self/fd/0)"; echo "h""i"; exit\n'
snapshot_host
receiver "$SOCK" "$INPUT" || bail_out "console-receiver did not listen"
id=$(new_id)
run_cmd berth create --bundle "$B" --console-socket "$SOCK" "$id"
assert_success "create with terminal and --console-socket"
run_cmd berth start "$id"
assert_success "start"
wait "$RECV_PID"
rc=$?
out=$(tr -d '\r' <"$TEST_TMP/recv.out")
assert_eq "$rc" 0 "receiver got the master and saw the pty close when the shell exited"
assert_contains "$(cat "$TEST_TMP/recv.err")" "name=/dev/pts/" "pty name sent along with the fd"
assert_match "$out" $'(^|\n)hi(\n|$)' "a shell in the container ran 'echo hi' through the pty"
assert_match "$out" $'(^|\n)31 101(\n|$)' "consoleSize applied (stty size)"
assert_match "$out" $'(^|\n)/dev/pts/0(\n|$)' "stdin is pty 0 of the container's own devpts"
assert_match "$out" $'(^|\n)isatty(\n|$)' "isatty(0) in the container"
con=$(printf '%s\n' "$out" | sed -n 's/^con=\([^ ]*\) in=.*/\1/p')
in=$(printf '%s\n' "$out" | sed -n 's/^con=[^ ]* in=\(.*\)/\1/p')
assert_eq "$con" "$in" "/dev/console is the pty of stdin"
wait_for_status "$id" stopped 10
run_cmd berth delete "$id"
assert_success "delete"
assert_host_unchanged "nothing left after a terminal container"

# ---- refusals ---------------------------------------------------------------

id=$(new_id)
run_cmd berth create --bundle "$B" "$id"
assert_failure "create with terminal but without --console-socket"
assert_contains "$stderr" "console socket" "the error says why"
B2=$(make_bundle) || bail_out "cannot make a bundle"
receiver "$SOCK" "" || bail_out "console-receiver did not listen"
id=$(new_id)
run_cmd berth create --bundle "$B2" --console-socket "$SOCK" "$id"
assert_failure "--console-socket without process.terminal"
assert_contains "$stderr" "console socket" "the error says why"
kill "$RECV_PID" 2>/dev/null
wait "$RECV_PID" 2>/dev/null

# A peer that accepts and closes at once, without taking the master: berth
# connects before it starts anything and sends at the end, as runc does, so
# the send meets a closed peer and create fails instead of exiting 0 with
# the master lost (issue 21). Nobody listening fails before anything exists.
"$PYTHON" - "$SOCK" <<'PY' &
import os, socket, sys
path = sys.argv[1]
try:
    os.unlink(path)
except OSError:
    pass
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
s.listen(4)
s.settimeout(20)
for _ in range(2):
    try:
        c, _ = s.accept()
    except OSError:
        break
    c.close()
PY
CLOSER_PID=$!
add_cleanup "kill $CLOSER_PID 2>/dev/null; wait $CLOSER_PID 2>/dev/null"
wait_for test -S "$SOCK"
snapshot_host closer
id=$(new_id)
run_cmd berth create --bundle "$B" --console-socket "$SOCK" "$id"
assert_failure "a console socket peer that closed without taking the master fails create"
assert_contains "$stderr" "console socket \`$SOCK\`" "the error names the console socket"
assert_contains "$stderr" "Broken pipe" "and the errno text"
assert_eq "$(container_status "$id")" "" "no container is left"
assert_host_unchanged "nothing left after the refused console socket" closer
kill "$CLOSER_PID" 2>/dev/null
wait "$CLOSER_PID" 2>/dev/null
rm -f "$SOCK"
id=$(new_id)
run_cmd berth create --bundle "$B" --console-socket "$SOCK" "$id"
assert_failure "a console socket nobody listens on fails create"
assert_contains "$stderr" "connect to console socket \`$SOCK\`" "the error names the connect"
assert_eq "$(container_status "$id")" "" "no container is left"

# ---- foreground run: berth proxies the pty ----------------------------------

printf 'stty size; echo "fore""ground"; exit 7\n' >"$TEST_TMP/fg.in"
snapshot_host
id=$(new_id)
run_cmd --stdin "$TEST_TMP/fg.in" berth run --bundle "$B" "$id"
assert_status 7 "run with terminal returns the shell's exit status"
out=$(printf '%s' "$output" | tr -d '\r')
assert_match "$out" $'(^|\n)foreground(\n|$)' "run proxies the pty output to berth's stdout"
assert_match "$out" $'(^|\n)31 101(\n|$)' "consoleSize kept when berth's stdin is not a tty"
assert_host_unchanged "nothing left after a foreground terminal run"

done_testing
