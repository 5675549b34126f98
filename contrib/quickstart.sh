#!/bin/bash
# quickstart.sh: from a fresh Debian 12 machine (as root) to a first
# container: installs the dependencies, builds berth in build/, makes a
# busybox bundle in a temp dir, writes its config with `berth spec`, checks
# it with `berth validate`, then `berth run`s a container that prints
# "hello from berth". Everything it creates (bundle, state, container) is
# removed at the end.
set -euo pipefail

srcdir=$(cd "$(dirname "$0")/.." && pwd)
cd "$srcdir"

step() { printf '\n==> %s\n' "$*"; }

if [ "$(id -u)" -ne 0 ]; then
    echo "quickstart: run me as root (installs packages, runs containers)" >&2
    exit 1
fi

step "1/6 install build and test dependencies (contrib/install-deps.sh)"
contrib/install-deps.sh

step "2/6 build berth in build/ (autogen.sh, configure, make)"
[ -x configure ] || ./autogen.sh
mkdir -p build
[ -f build/Makefile ] || (cd build && ../configure)
make -C build -j"$(nproc)"
BERTH=$srcdir/build/berth
"$BERTH" --version

work=$(mktemp -d "${TMPDIR:-/tmp}/berth-quickstart.XXXXXX")
chmod 0755 "$work"
root=$work/state
bundle=$work/bundle
id=quickstart-$$
cleanup() {
    if [ -d "$root/$id" ]; then
        "$BERTH" --root "$root" delete --force "$id" >/dev/null 2>&1 || true
    fi
    # Never follow a leftover mount out of the temp dir.
    if awk '{ print $5 }' /proc/self/mountinfo | grep -q -F "$work"; then
        echo "quickstart: mounts remain below $work; not removing it" >&2
    else
        rm -rf --one-file-system "$work"
    fi
}
trap cleanup EXIT

step "3/6 make a busybox bundle (contrib/make-bundle.sh $bundle)"
contrib/make-bundle.sh "$bundle" --builtin-config
ls "$bundle"

step "4/6 berth spec: write a default config.json"
rm "$bundle/config.json"
if "$BERTH" spec --bundle "$bundle" && [ -s "$bundle/config.json" ]; then
    echo "berth spec wrote $bundle/config.json"
else
    echo "berth spec failed; using make-bundle's built-in config instead"
    rm -rf "$bundle"
    contrib/make-bundle.sh "$bundle" --builtin-config
fi
# Scripts have no terminal; the process prints one line and exits.
python3 - "$bundle/config.json" <<'PY'
import json, sys
path = sys.argv[1]
with open(path) as f:
    c = json.load(f)
c["process"]["terminal"] = False
c["process"]["args"] = ["echo", "hello from berth"]
with open(path, "w") as f:
    json.dump(c, f, indent="\t")
PY
echo "process.args set to [\"echo\", \"hello from berth\"], terminal false"

step "5/6 berth validate --bundle $bundle"
"$BERTH" validate --bundle "$bundle"

step "6/6 berth run --bundle $bundle $id"
set +e
out=$("$BERTH" --root "$root" run --bundle "$bundle" "$id" 2>"$work/run.err" </dev/null)
rc=$?
set -e
err=$(cat "$work/run.err")
[ -z "$out" ] || echo "$out"
if [ $rc -eq 0 ] && [ "$out" = "hello from berth" ]; then
    echo
    [ -z "$err" ] || echo "$err" >&2
    echo "quickstart: OK, the container said hello. Next: tests/run.sh"
else
    [ -z "$err" ] || echo "$err" >&2
    echo "quickstart: berth run failed (exit status $rc) or printed something unexpected" >&2
    exit 1
fi
