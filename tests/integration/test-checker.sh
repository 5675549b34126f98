#!/bin/bash
# test-checker.sh: runs the in-container helper on the host (no container,
# no root needed) and compares what it prints with what the host says, so a
# broken checker cannot make container tests pass or fail by itself.
. "$(dirname "$0")/lib.sh"

require_cmd gcc python3
if ! build_checker >"$TEST_TMP/build.log" 2>&1; then
    bail_out "cannot build the checker: $(head -c 500 "$TEST_TMP/build.log")"
fi

run_cmd file "$CHECKER"
if [ "$status" = 0 ]; then
    assert_contains "$output" "statically linked" "checker is statically linked"
else
    # `file` is not a berth dependency; ldd tells us too.
    run_cmd ldd "$CHECKER"
    assert_not_contains "$output" "=>" "checker is statically linked (no shared libraries)"
fi

"$CHECKER" pid >"$TEST_TMP/pid.out"
output=$(<"$TEST_TMP/pid.out")
assert_match "$(kv pid)" '^[0-9]+$' "pid is a number"
assert_eq "$(kv ppid)" "$$" "ppid is this script"

run_cmd "$CHECKER" hostname domainname
assert_eq "$(kv hostname)" "$(uname -n)" "hostname matches uname -n"
assert_eq "$(kv domainname)" "$(cat /proc/sys/kernel/domainname)" "domainname matches the kernel"

run_cmd sh -c "umask 0027; exec '$CHECKER' ids"
assert_eq "$(kv uid)" "$(id -u)" "uid"
assert_eq "$(kv gid)" "$(id -g)" "gid"
assert_eq "$(kv euid)" "$(id -u)" "euid"
assert_eq "$(kv egid)" "$(id -g)" "egid"
assert_eq "$(kv umask)" "0027" "umask comes from /proc/self/status"
want_groups=$(id -G | tr ' ' '\n' | grep -v -x "$(id -g)" | sort -n | tr '\n' ',' | sed 's/,$//')
got_groups=$(kv groups | tr ',' '\n' | grep -v -x "$(id -g)" | sort -n | tr '\n' ',' | sed 's/,$//')
assert_eq "$got_groups" "$want_groups" "supplementary groups match id -G"

if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    run_cmd setpriv --reuid 65534 --regid 65534 --groups 100,200 "$CHECKER" ids
    assert_eq "$(kv uid),$(kv gid),$(kv groups)" "65534,65534,100,200" "ids after setpriv"
else
    skip "setpriv check needs root and setpriv"
fi

run_cmd sh -c "cd /tmp && exec '$CHECKER' cwd"
assert_eq "$(kv cwd)" "/tmp" "cwd"

run_cmd env -i FOO=bar 'WITH_EQ=a=b' EMPTY= "$CHECKER" env
assert_eq "$output" $'env.FOO=bar\nenv.WITH_EQ=a=b\nenv.EMPTY=' "env prints exactly the environment, in order"
assert_eq "$(kv env.WITH_EQ)" "a=b" "env values keep their '='"

run_cmd sh -c "ulimit -S -n 123; ulimit -H -c 0; exec '$CHECKER' rlimits"
assert_eq "$(kv rlimit.RLIMIT_NOFILE | cut -d' ' -f1)" "123" "RLIMIT_NOFILE soft"
assert_eq "$(kv rlimit.RLIMIT_NOFILE | cut -d' ' -f2)" "$(ulimit -H -n)" "RLIMIT_NOFILE hard"
assert_eq "$(kv rlimit.RLIMIT_CORE)" "0 0" "RLIMIT_CORE 0 0"
assert_eq "$(grep -c '^rlimit\.RLIMIT_' <<<"$output")" 16 "16 rlimits listed"
if [ "$(ulimit -H -t)" = unlimited ]; then
    assert_eq "$(kv rlimit.RLIMIT_CPU | cut -d' ' -f2)" "unlimited" "RLIM_INFINITY prints as unlimited"
else
    skip "RLIMIT_CPU is not unlimited here"
fi

run_cmd "$CHECKER" caps
for set in CapInh CapPrm CapEff CapBnd CapAmb; do
    want=$(awk -v k="$set:" '$1 == k { print $2 }' /proc/self/status)
    assert_eq "$(kv $set)" "$want" "$set matches /proc/self/status"
done
if [ "$(id -u)" = 0 ] && command -v capsh >/dev/null; then
    want=$(capsh --decode="$(kv CapBnd)" | sed 's/.*=//' | tr 'a-z' 'A-Z')
    assert_eq "$(kv CapBnd.names)" "$want" "cap names decode like capsh"
else
    capeff=$(kv CapEff)
    if [ "$capeff" = 0000000000000000 ]; then
        assert_eq "$(kv CapEff.names)" "" "no effective caps decode to an empty list"
    else
        assert_match "$(kv CapEff.names)" '^CAP_[A-Z_]+(,CAP_[A-Z_0-9]+)*$' "cap names are a list"
    fi
fi
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    run_cmd setpriv --inh-caps -all --bounding-set -all,+kill,+net_bind_service "$CHECKER" caps
    assert_eq "$(kv CapBnd.names)" "CAP_KILL,CAP_NET_BIND_SERVICE" "bounding set after setpriv"
    assert_eq "$(kv CapBnd)" "0000000000000420" "bounding set hex after setpriv"
else
    skip "setpriv capability check needs root and setpriv" 2
fi

run_cmd "$CHECKER" nnp seccomp
assert_eq "$(kv NoNewPrivs)" "0" "NoNewPrivs 0 by default"
assert_eq "$(kv Seccomp)" "$(awk '$1 == "Seccomp:" { print $2 }' /proc/self/status)" "Seccomp matches"
if command -v setpriv >/dev/null; then
    run_cmd setpriv --no-new-privs "$CHECKER" nnp
    assert_eq "$(kv NoNewPrivs)" "1" "NoNewPrivs 1 under setpriv --no-new-privs"
else
    skip "needs setpriv"
fi

run_cmd "$CHECKER" oom
assert_eq "$(kv oom_score_adj)" "$(cat /proc/self/oom_score_adj)" "oom_score_adj matches"
if [ "$(id -u)" = 0 ]; then
    run_cmd sh -c "echo 123 >/proc/self/oom_score_adj && exec '$CHECKER' oom"
    assert_eq "$(kv oom_score_adj)" "123" "oom_score_adj after a change"
else
    skip "raising oom_score_adj needs root"
fi

run_cmd "$CHECKER" ns
for ns in pid mnt net uts ipc user cgroup; do
    want=$(stat -L -c %i /proc/self/ns/$ns)
    assert_eq "$(kv ns.$ns)" "$want" "ns.$ns inode"
done
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
    run_cmd unshare --uts --ipc "$CHECKER" ns
    assert_ne "$(kv ns.uts)" "$(stat -L -c %i /proc/self/ns/uts)" "new uts namespace has another inode"
    run_cmd unshare --uts sh -c "hostname inner-host && exec '$CHECKER' hostname"
    assert_eq "$(kv hostname)" "inner-host" "hostname inside a uts namespace"
else
    skip "unshare checks need root" 2
fi

run_cmd "$CHECKER" mounts
assert_eq "${#lines[@]}" "$(wc -l </proc/self/mountinfo)" "one mount= line per mountinfo line"
assert_match "$output" 'mount=[0-9]+ [0-9]+ [0-9]+:[0-9]+ / / ' "root mount listed"

run_cmd "$CHECKER" cgroup
assert_eq "$output" "$(sed 's/^/cgroup=/' /proc/self/cgroup)" "cgroup lines"

run_cmd "$CHECKER" label
assert_success "label runs"
assert_match "$output" '^label=' "label key printed"

mkdir -p "$TEST_TMP/rw"
run_cmd "$CHECKER" ro "$TEST_TMP/rw"
assert_eq "$(kv ro)" 0 "writable dir: ro=0"
assert_eq "$(ls -A "$TEST_TMP/rw")" "" "ro probe removes its file"
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
    run_cmd unshare -m sh -c "mount --bind '$TEST_TMP/rw' '$TEST_TMP/rw' && mount -o remount,bind,ro '$TEST_TMP/rw' && exec '$CHECKER' ro '$TEST_TMP/rw'"
    assert_eq "$(kv ro)" 1 "read-only bind mount: ro=1"
    touch "$TEST_TMP/rw/file"
    run_cmd unshare -m sh -c "mount --bind '$TEST_TMP/rw' '$TEST_TMP/rw' && mount -o remount,bind,ro '$TEST_TMP/rw' && exec '$CHECKER' ro '$TEST_TMP/rw/file'"
    assert_eq "$(kv ro)" 1 "file on a read-only mount: ro=1"
else
    skip "read-only mount checks need root" 2
fi
run_cmd "$CHECKER" ro /nonexistent-dir
assert_eq "$(kv ro),$(kv ro.errno)" "error,ENOENT" "missing dir: ro=error ENOENT"

# Close whatever fds this script inherited, so only ours remain.
closers=""
for fd in /proc/$BASHPID/fd/*; do
    n=${fd##*/}
    [ "$n" -gt 2 ] && closers+=" $n>&-"
done
run_cmd bash -c "exec $closers; exec 7</dev/null 9>'$TEST_TMP/fdfile'; exec '$CHECKER' fds"
assert_eq "$(kv fds)" "7,9" "fds lists exactly the inherited fds"
assert_eq "$(kv fd.7)" "/dev/null" "fd target"
assert_eq "$(kv fd.9)" "$TEST_TMP/fdfile" "fd target of a file"
run_cmd bash -c "exec $closers; exec '$CHECKER' fds"
assert_eq "$(kv fds)" "" "no extra fds when none are inherited"

run_cmd "$CHECKER" stat /dev/null
assert_eq "$(kv stat.type) $(kv stat.mode) $(kv stat.major) $(kv stat.minor) $(kv stat.uid) $(kv stat.gid)" \
    "chr $(stat -c %04a /dev/null) 1 3 0 0" "stat /dev/null"
mkfifo "$TEST_TMP/fifo"
ln -s target "$TEST_TMP/link"
chmod 4751 "$TEST_TMP/rw"
run_cmd "$CHECKER" stat "$TEST_TMP/fifo" stat "$TEST_TMP/link" stat "$TEST_TMP/rw"
assert_eq "$(grep -E '^stat\.(type|link)=' <<<"$output" | tr '\n' ' ')" \
    "stat.type=fifo stat.type=lnk stat.link=target stat.type=dir " "stat types and link target"
assert_eq "$(grep '^stat.mode=' <<<"$output" | tail -n 1)" "stat.mode=4751" "stat mode keeps special bits"
rm -f "$TEST_TMP/fifo"
run_cmd "$CHECKER" stat /nonexistent
assert_eq "$status" 1 "stat of a missing path exits 1"
assert_eq "$(kv stat.error)" "No such file or directory" "stat.error says why"

run_cmd "$CHECKER" exit 42
assert_eq "$status,$output" "42," "exit N exits with N"
run_cmd "$CHECKER" pid exit 3 hostname
assert_eq "$status" 3 "exit stops the command list"
assert_not_contains "$output" hostname= "nothing runs after exit"

start=$(date +%s%N)
run_cmd "$CHECKER" sleep 0.3
elapsed=$((($(date +%s%N) - start) / 1000000))
if [ "$status" = 0 ] && [ "$elapsed" -ge 290 ]; then ok "sleep 0.3 sleeps (${elapsed}ms)"; else not_ok "sleep 0.3 sleeps (${elapsed}ms, status $status)"; fi

# signal-wait: start it in the background, wait for ready, signal it.
"$CHECKER" signal-wait 2 >"$TEST_TMP/sig.out" 2>&1 &
sigpid=$!
add_cleanup "kill -KILL $sigpid"
if wait_for grep -q '^ready=1$' "$TEST_TMP/sig.out"; then
    kill -TERM $sigpid
    sleep 0.1
    kill -USR1 $sigpid
    wait $sigpid
    sigstatus=$?
    assert_eq "$sigstatus:$(tr '\n' ' ' <"$TEST_TMP/sig.out")" \
        "0:ready=1 signal=15 signal.name=TERM signal=10 signal.name=USR1 " "signal-wait reports each signal"
else
    not_ok "signal-wait prints ready=1" "$(cat "$TEST_TMP/sig.out")"
fi

run_cmd "$CHECKER" all
assert_success "all succeeds on the host"
for key in pid hostname domainname uid groups umask cwd env.PATH rlimit.RLIMIT_NOFILE CapEff CapAmb.names \
    NoNewPrivs Seccomp oom_score_adj ns.mnt mount cgroup label fds; do
    kv "$key" >/dev/null || missing="${missing:-} $key"
done
assert_eq "${missing:-}" "" "all prints every key"
assert_eq "$(grep -c -v '^[^=]*=' <<<"$output")" 0 "every line of all is key=value"

run_cmd "$CHECKER" bogus
assert_eq "$status" 2 "unknown command exits 2"
assert_contains "$stderr" "unknown command" "and says so"
run_cmd "$CHECKER"
assert_eq "$status" 2 "no command exits 2"
run_cmd "$CHECKER" stat
assert_eq "$status" 2 "stat without a path is a usage error"

done_testing
