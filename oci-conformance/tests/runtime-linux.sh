# shellcheck shell=bash disable=SC2154 # variables come from lib.sh / suite.sh
# tests/runtime-linux.sh: runtime-linux.md (file descriptors, /dev symlinks).

t_fds_only_stdio() {
    B=$(bundle)
    args "$B" /bin/checker fds
    new_id
    # fd 7 and 8 are open in the caller (not close-on-exec): they must not leak.
    exec 7<"$B/config.json" 8>"$CASE_DIR/leak"
    run_to_end "$ID" "$B"
    exec 7<&- 8>&-
    [ "$_result" = fail ] && return
    expect_eq "$(kv fds)" "" "fds other than 0-2 in the container"
}

t_fds_preserve() {
    B=$(bundle)
    args "$B" /bin/checker fds
    new_id
    exec 3<"$B/config.json" 4<"$B/config.json"
    create "$ID" "$B" --preserve-fds 1
    local c=$rc
    exec 3<&- 4<&-
    [ $c = 0 ] || { skip "runtime has no --preserve-fds: $(head -c 200 "$B/err")"; return; }
    rt start "$ID" && wait_status "$ID" stopped 10 || { fail "start/wait failed"; return; }
    out=$(cat "$B/out")
    cat "$B/out" >>"$CASE_DIR/diag"
    expect_eq "$(kv fds)" 3 "fds with --preserve-fds 1 (3 and 4 open in the caller)"
}

t_dev_symlinks() {
    B=$(bundle)
    args "$B" /bin/checker stat /dev/fd stat /dev/stdin stat /dev/stdout stat /dev/stderr
    new_id
    run_to_end "$ID" "$B" || return
    local links
    links=$(grep '^stat.link=' <<<"$out" | cut -d= -f2 | tr '\n' ' ')
    expect_eq "$links" "/proc/self/fd /proc/self/fd/0 /proc/self/fd/1 /proc/self/fd/2 " "targets of /dev/fd, stdin, stdout, stderr"
}

check MUST "runtime-linux.md#file-descriptors: only stdin, stdout, stderr kept open by default" t_fds_only_stdio
check MAY "runtime-linux.md#file-descriptors: additional fds (--preserve-fds) passed" t_fds_preserve
check MUST "runtime-linux.md#dev-symbolic-links: /dev/fd, /dev/stdin, /dev/stdout, /dev/stderr" t_dev_symlinks
