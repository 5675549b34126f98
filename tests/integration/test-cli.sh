#!/bin/bash
# test-cli.sh: the command-line frame of berth (global options, command
# table, flag parsing, logging, exit status) and the `spec`, `features` and
# `help` commands. TAP output; the plan is printed at the end.
#
#   BERTH=/path/to/berth tests/integration/test-cli.sh
#
# Nothing here needs root or creates a container; everything lives in one
# temporary directory that is removed on exit.

BERTH=${BERTH:-./berth}
BERTH=$(cd "$(dirname "$BERTH")" && pwd)/$(basename "$BERTH")
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d /tmp/berth-test-cli.XXXXXX) || exit 1
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
N=0

ok() { N=$((N + 1)); echo "ok $N - $1"; }
not_ok() {
    N=$((N + 1))
    echo "not ok $N - $1"
    shift
    for line in "$@"; do echo "#   $line"; done
    echo "#   exit status: $RC"
    echo "#   stdout: $(head -c 600 "$T/out")"
    echo "#   stderr: $(head -c 600 "$T/err")"
}
skip() { N=$((N + 1)); echo "ok $N - $1 # SKIP $2"; }

# run CMD...: runs it with stdout/stderr in $T/out and $T/err, status in RC
run() {
    "$@" >"$T/out" 2>"$T/err"
    RC=$?
}

# check DESC EXPECTED_RC TEST...: passes when the status is EXPECTED_RC and
# the shell test TEST (evaluated after the run) succeeds
check() {
    local desc=$1 want=$2
    shift 2
    if [ "$RC" = "$want" ] && eval "$*"; then
        ok "$desc"
    else
        not_ok "$desc" "expected status $want and: $*"
    fi
}

have_python() { command -v python3 >/dev/null 2>&1; }

# ---- version -------------------------------------------------------------

run "$BERTH" --version
check "--version prints name/version, commit, spec and library lines" 0 \
    '[ $(wc -l <"$T/out") -ge 4 ] &&
     sed -n 1p "$T/out" | grep -Eq "^berth version [0-9]+\.[0-9]+\.[0-9]+$" &&
     sed -n 2p "$T/out" | grep -Eq "^commit: [^ ]+$" &&
     sed -n 3p "$T/out" | grep -Eq "^spec: 1\.3\.0$" &&
     grep -Eq "^yajl: [0-9.]+$" "$T/out" &&
     grep -Eq "^libseccomp: [0-9]+\.[0-9]+\.[0-9]+" "$T/out" &&
     grep -Eq "^libcap: [0-9.]+$" "$T/out" &&
     grep -Eq "^libselinux: ([0-9.]+|disabled)$" "$T/out"'

cp "$T/out" "$T/version"
run "$BERTH" -v
check "-v prints the same as --version" 0 'cmp -s "$T/out" "$T/version"'

# ---- help ----------------------------------------------------------------

COMMANDS="checkpoint create delete events exec features kill list pause ps restore
          resume run spec start state update validate"
run "$BERTH" --help
missing=""
for c in $COMMANDS; do
    grep -Eq "^   $c +[a-z]" "$T/out" || missing="$missing $c"
done
check "--help lists every command (missing:${missing:-none})" 0 \
    '[ -z "$missing" ] && grep -q -- "--log-format" "$T/out"'

run "$BERTH"
check "no arguments prints the help and succeeds" 0 'grep -q "^COMMANDS:" "$T/out"'

run "$BERTH" help spec
check "help CMD prints the options of CMD" 0 \
    'grep -q "berth spec" "$T/out" && grep -q -- "--bundle DIR, -b DIR" "$T/out" &&
     grep -q -- "--rootless" "$T/out"'
cp "$T/out" "$T/help-spec"
run "$BERTH" spec --help
check "CMD --help prints the same as help CMD" 0 'cmp -s "$T/out" "$T/help-spec"'

run "$BERTH" -h features
check "help flag before a command is the global help" 0 'grep -q "^GLOBAL OPTIONS:" "$T/out"'

run "$BERTH" help nosuchcmd
check "help of an unknown command is a usage error" 2 'grep -q "nosuchcmd" "$T/err"'

# ---- usage errors --------------------------------------------------------

run "$BERTH" nosuchcmd
check "unknown command: status 2 and a message naming it" 2 \
    'grep -q "unknown command \"nosuchcmd\"" "$T/err" && [ ! -s "$T/out" ]'

run "$BERTH" --nosuchflag list
check "unknown global flag: status 2 and a message naming it" 2 \
    'grep -q "flag provided but not defined: --nosuchflag" "$T/err"'

run "$BERTH" spec --bogus
check "unknown command flag: status 2 and a message naming it" 2 \
    'grep -q "berth spec: flag provided but not defined: --bogus" "$T/err" && [ ! -e config.json ]'

run "$BERTH" spec --bundle
check "flag without its value: status 2, \"flag needs an argument\"" 2 \
    'grep -q "flag needs an argument: --bundle" "$T/err"'

run "$BERTH" spec extra-arg
check "unexpected argument: status 2" 2 'grep -q "argument" "$T/err" && [ ! -e config.json ]'

run "$BERTH" --log-format yaml features
check "--log-format other than text|json: status 2" 2 'grep -q "yaml" "$T/err"'

run "$BERTH" --rootless=maybe features
check "--rootless other than true|false|auto: status 2" 2 'grep -q "maybe" "$T/err"'

# ---- Go-style flags, global options ---------------------------------------

mkdir -p "$T/go"
run "$BERTH" -root "$T/state" -log-format=text -debug=false spec -bundle "$T/go" -rootless=false
check "single-dash long flags and --flag=value parse (global and command)" 0 \
    '[ -s "$T/go/config.json" ] && ! grep -q "uidMappings" "$T/go/config.json"'

mkdir -p "$T/inter"
run "$BERTH" --rootless=false spec --rootless -b "$T/inter"
check "short flags, bool flags and --rootless=false are accepted" 0 \
    'grep -q "\"uidMappings\"" "$T/inter/config.json"'

run "$BERTH" --rootless=false --rootless auto features
check "--rootless=false / auto do not stop commands" 0 'grep -q ociVersionMax "$T/out"'

run "$BERTH" --systemd-cgroup features
check "--systemd-cgroup is accepted by commands that do not need it" 0 \
    'grep -q ociVersionMax "$T/out"'

if [ -d /run/systemd/system ]; then
    skip "--systemd-cgroup without systemd" "systemd is PID 1 here (tests/cgroup2-vm/run-systemd.sh covers the driver)"
else
    mkdir -p "$T/sd/rootfs"
    sed 's/"terminal": true/"terminal": false/' "$T/go/config.json" >"$T/sd/config.json"
    run "$BERTH" --root "$T/state" --systemd-cgroup create -b "$T/sd" cid
    check "--systemd-cgroup without systemd: runc's error, nothing left" 1 \
        'grep -qx "berth: cgroup: systemd not running on this host, cannot use systemd cgroups manager" "$T/err" && [ -z "$(ls "$T/state")" ]'
fi

run "$BERTH" --root "$T/state" exec no-such-ctr sh -c "ls -l"
# 255: every exec failure, as runc (the container is missing here).
check "exec: flags after the container id belong to the process (not parsed)" 255 \
    '! grep -q "flag provided" "$T/err" && [ -s "$T/err" ]'

mkdir -p "$T/dd"
run "$BERTH" spec -b "$T/dd" -- --rootless
check "-- ends the flags: what follows is an argument" 2 \
    'grep -q "argument" "$T/err" && [ ! -e "$T/dd/config.json" ]'

# ---- logging -------------------------------------------------------------

# is_one_error_record FILE: the whole file is one JSON object (podman's
# json.Unmarshal of the file) with level error, a non-empty msg and an
# RFC 3339 time with fractional seconds; prints msg to $T/msg
is_one_error_record() {
    python3 - "$1" "$T/msg" <<'PY'
import json, re, sys
rec = json.loads(open(sys.argv[1], encoding="utf-8").read())
assert isinstance(rec, dict), rec
assert rec.get("level") == "error", rec
assert isinstance(rec.get("msg"), str) and rec["msg"], rec
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{1,9}(Z|[+-]\d\d:\d\d)", rec["time"]), rec
open(sys.argv[2], "w", encoding="utf-8").write(rec["msg"])
PY
}

if have_python; then
    run "$BERTH" --log "$T/log.json" --log-format json spec --bundle "$T/no/such/dir"
    check "--log-format json: a failing command writes exactly one error record" 1 \
        'is_one_error_record "$T/log.json" && grep -q "no/such/dir" "$T/msg" &&
         grep -q "no/such/dir" "$T/err"'

    rm -f "$T/log.json"
    run "$BERTH" -log "$T/log.json" -log-format=json spec --bogus
    check "--log-format json: a usage error is recorded too (status 2)" 2 \
        'is_one_error_record "$T/log.json" && grep -q -- "--bogus" "$T/msg"'

    rm -f "$T/log.json"
    weird=$(printf '%s/dir "q" \\b\tt\001\377' "$T/no")
    run "$BERTH" --log "$T/log.json" --log-format json spec --bundle "$weird"
    check "--log-format json escapes quotes, backslashes, controls, bad UTF-8" 1 \
        'is_one_error_record "$T/log.json" &&
         python3 -c "import sys; m=open(sys.argv[1],encoding=\"utf-8\").read();
assert \"dir \\\"q\\\" \\\\b\\tt\\x01\\ufffd\" in m, repr(m)" "$T/msg"'

    rm -f "$T/log.json"
    run "$BERTH" --debug --log "$T/log.json" --log-format json spec --bundle "$T/no/such/dir"
    check "--debug adds debug records; still exactly one error record, the last" 1 \
        'python3 -c "import json,sys
recs=[json.loads(l) for l in open(sys.argv[1])]
levels=[r[\"level\"] for r in recs]
assert levels.count(\"error\")==1 and levels[-1]==\"error\" and \"debug\" in levels, levels" \
         "$T/log.json"'

    run "$BERTH" --log-format json spec --bundle "$T/no/such/dir"
    check "--log-format json without --log writes the record to stderr" 1 \
        'is_one_error_record "$T/err"'
else
    for d in "json error record" "json usage error" "json escaping" "json on stderr"; do
        skip "$d" "python3 not installed"
    done
fi

run "$BERTH" --log "$T/log.txt" spec --bundle "$T/no/such/dir"
check "--log text: logrus-style record in the file, plain message on stderr" 1 \
    '[ $(wc -l <"$T/log.txt") = 1 ] &&
     grep -Eq "^time=\"[0-9T:.Z-]+\" level=error msg=\".*no/such/dir.*\"$" "$T/log.txt" &&
     grep -q "^berth: .*no/such/dir" "$T/err"'

run "$BERTH" --log "$T/log.txt" spec --bundle "$T/no/such/dir"
check "--log appends" 1 '[ $(wc -l <"$T/log.txt") = 2 ]'

run "$BERTH" --log "$T/no/such/dir/log" features
check "an unusable --log file is an error" 1 'grep -q "open log file" "$T/err"'

# ---- spec ----------------------------------------------------------------

# compare_spec OURS THEIRS: equal as JSON except for the known, documented
# differences (berth-spec(8)): ociVersion, hostname, one more masked path,
# no ambient capabilities
compare_spec() {
    python3 - "$1" "$2" <<'PY'
import json, sys
ours, theirs = (json.load(open(p)) for p in sys.argv[1:3])
assert ours["ociVersion"] == "1.3.0", ours["ociVersion"]
assert ours["hostname"] == "berth", ours["hostname"]
masked = ours["linux"]["maskedPaths"]
assert masked[-1] == "/sys/devices/virtual/powercap", masked
assert "ambient" not in ours["process"]["capabilities"], ours["process"]
for d in (ours, theirs):
    d.pop("ociVersion"); d.pop("hostname")
    d["process"]["capabilities"].pop("ambient", None)
    d["linux"]["maskedPaths"] = [p for p in d["linux"]["maskedPaths"]
                                 if p != "/sys/devices/virtual/powercap"]
if ours != theirs:
    for k in sorted(set(ours) | set(theirs)):
        if ours.get(k) != theirs.get(k):
            print("differs:", k, json.dumps(ours.get(k)), json.dumps(theirs.get(k)))
    sys.exit(1)
PY
}

mkdir -p "$T/b1"
run "$BERTH" spec --bundle "$T/b1"
if have_python; then
    check "spec writes a config.json that is valid JSON" 0 \
        'python3 -c "import json,sys; c=json.load(open(sys.argv[1]));
assert c[\"process\"][\"args\"] == [\"sh\"] and c[\"root\"][\"path\"] == \"rootfs\"" \
         "$T/b1/config.json"'
else
    skip "spec writes valid JSON" "python3 not installed"
fi

if ! have_python; then
    skip "spec equals runc spec" "python3 not installed"
    skip "spec --rootless equals runc spec --rootless" "python3 not installed"
elif ! command -v runc >/dev/null 2>&1; then
    skip "spec equals runc spec" "runc not installed"
    skip "spec --rootless equals runc spec --rootless" "runc not installed"
else
    mkdir -p "$T/runc" "$T/runc-rl" "$T/b2"
    (cd "$T/runc" && runc spec) && (cd "$T/runc-rl" && runc spec --rootless)
    run compare_spec "$T/b1/config.json" "$T/runc/config.json"
    check "spec equals runc spec modulo ociVersion, hostname, powercap mask, ambient" 0 true
    run "$BERTH" spec --rootless --bundle "$T/b2"
    [ "$RC" = 0 ] && run compare_spec "$T/b2/config.json" "$T/runc-rl/config.json"
    check "spec --rootless equals runc spec --rootless (same modulo)" 0 true
fi

if have_python; then
    mkdir -p "$T/b3"
    run "$BERTH" spec --rootless -b "$T/b3"
    check "spec --rootless maps container root to the caller, user ns, no netns" 0 \
        'python3 -c "import json,os,sys; c=json.load(open(sys.argv[1]))[\"linux\"];
ns=[n[\"type\"] for n in c[\"namespaces\"]];
assert \"user\" in ns and \"network\" not in ns, ns
assert c[\"uidMappings\"]==[{\"containerID\":0,\"hostID\":os.geteuid(),\"size\":1}], c
assert c[\"gidMappings\"]==[{\"containerID\":0,\"hostID\":os.getegid(),\"size\":1}], c
assert \"resources\" not in c" "$T/b3/config.json"'
fi

sum=$(md5sum <"$T/b1/config.json")
run "$BERTH" spec --bundle "$T/b1"
check "spec refuses to overwrite config.json and leaves it intact" 1 \
    'grep -q "File config.json exists. Remove it first" "$T/err" &&
     [ "$(md5sum <"$T/b1/config.json")" = "$sum" ]'

mkdir -p "$T/cwd"
(cd "$T/cwd" && umask 077 && "$BERTH" spec) >"$T/out" 2>"$T/err"
RC=$?
check "spec defaults to the current directory, mode 0666 & ~umask, no temp left" 0 \
    '[ "$(stat -c %a "$T/cwd/config.json")" = 600 ] && [ "$(ls -A "$T/cwd")" = config.json ]'

mkdir -p "$T/m"
(cd "$T/m" && umask 022 && "$BERTH" spec) >"$T/out" 2>"$T/err"
RC=$?
check "spec under umask 022 gives mode 644" 0 '[ "$(stat -c %a "$T/m/config.json")" = 644 ]'

# ---- features ------------------------------------------------------------

run "$BERTH" features
if have_python; then
    check "features: valid JSON, ociVersionMin 1.0.0, ociVersionMax 1.3.0, namespaces" 0 \
        'python3 -c "import json,sys; f=json.load(open(sys.argv[1]));
assert f[\"ociVersionMin\"]==\"1.0.0\" and f[\"ociVersionMax\"]==\"1.3.0\", f
ns=set(f[\"linux\"][\"namespaces\"])
assert ns=={\"cgroup\",\"ipc\",\"mount\",\"network\",\"pid\",\"time\",\"user\",\"uts\"}, ns
assert \"CAP_SYS_ADMIN\" in f[\"linux\"][\"capabilities\"]
assert \"bind\" in f[\"mountOptions\"] and \"rprivate\" in f[\"mountOptions\"]" "$T/out"'
    # systemd: true exactly when berth was built with its helper (beside it)
    check "features claims cgroup v1/v2 (systemd when built with it), seccomp, rro, idmap (wired), memoryPolicy, netDevices, intelRdt and nothing unimplemented" 0 \
        'python3 -c "import json,os,sys; f=json.load(open(sys.argv[1])); l=f[\"linux\"]
assert all(o in f[\"mountOptions\"] for o in (\"rro\", \"rnosuid\", \"nosymfollow\", \"tmpcopyup\", \"idmap\", \"ridmap\"))
assert l[\"mountExtensions\"][\"idmap\"][\"enabled\"] is True
assert l[\"seccomp\"][\"enabled\"] is True and \"SECCOMP_FILTER_FLAG_TSYNC\" in l[\"seccomp\"][\"supportedFlags\"]
assert \"SCMP_ACT_ERRNO\" in l[\"seccomp\"][\"actions\"]
cg = l[\"cgroup\"]
assert cg[\"v1\"] is True and cg[\"v2\"] is True, cg
assert cg[\"systemd\"] == os.path.exists(sys.argv[2]) == cg[\"systemdUser\"] and cg[\"rdma\"] is True, cg
assert l[\"selinux\"][\"enabled\"] is False and l[\"apparmor\"][\"enabled\"] is False
assert l[\"intelRdt\"] == {\"enabled\": True, \"schemata\": True, \"monitoring\": True}, l[\"intelRdt\"]
assert l[\"netDevices\"][\"enabled\"] is True
assert l[\"memoryPolicy\"][\"modes\"][0] == \"MPOL_DEFAULT\" and \"MPOL_F_STATIC_NODES\" in l[\"memoryPolicy\"][\"flags\"], l" "$T/out" "$(dirname "$BERTH")/berth-systemd"'
else
    skip "features JSON" "python3 not installed"
    skip "features claims" "python3 not installed"
fi

run "$BERTH" features extra
check "features takes no argument" 2 '[ ! -s "$T/out" ]'

# README's Kubernetes section shows the files the systemd VM test loads
# (contrib/kubernetes): each file's lines, comments aside, verbatim.
for f in "$SRCDIR"/contrib/kubernetes/*; do
    if ! command -v python3 >/dev/null; then
        skip "README shows contrib/kubernetes/${f##*/} as it is" "python3 not installed"
    elif python3 -c 'import sys
body = "".join(l for l in open(sys.argv[1]) if not l.startswith("#"))
sys.exit(body.strip() not in open(sys.argv[2]).read())' "$f" "$SRCDIR/README.md"; then
        ok "README shows contrib/kubernetes/${f##*/} as it is"
    else
        not_ok "README shows contrib/kubernetes/${f##*/} as it is"
    fi
done

echo "1..$N"
