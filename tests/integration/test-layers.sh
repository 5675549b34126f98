#!/bin/bash
# test-layers.sh: contrib/check-layers.py, the check behind `make
# check-layers` (docs/architecture.md): the real tree passes, and a copy of
# it with one planted violation of each kind fails, naming the file.
. "$(dirname "$0")/lib.sh"

require_cmd python3
CHK="$SRCDIR/contrib/check-layers.py"

run_cmd python3 "$CHK" --doc "$SRCDIR/docs/architecture.md" "$SRCDIR/src"
assert_success "the tree follows the layers and docs/architecture.md shows its graph"
assert_contains "$output" "modules follow the layers" "... and says how much it checked"

# plant SED-EXPR FILE: a fresh copy of src/ with FILE edited
plant() {
    rm -rf "$TEST_TMP/src" && cp -r "$SRCDIR/src" "$TEST_TMP/src" || bail_out "copy src"
    sed -i "$1" "$TEST_TMP/src/$2"
}
# an include upwards: util (layer 0) reaching into container (layer 4)
plant '0,/#include "error.h"/s//#include "error.h"\n#include "container\/container.h"/' libberth/util/error.c
run_cmd python3 "$CHK" "$TEST_TMP/src"
assert_failure "an include from a higher layer fails"
assert_contains "$stderr" 'libberth/util/error.c: #include "container/container.h": util (layer 0) includes container (layer 4)' \
    "... naming the file, the include and the layers"
# another module's internal header, from a higher layer
plant '0,/#include "cgroup\/cgroup.h"/s//#include "cgroup\/cgroup.h"\n#include "cgroup\/cgroup-internal.h"/' libberth/container/container.c
run_cmd python3 "$CHK" "$TEST_TMP/src"
assert_failure "another module's *-internal.h fails"
assert_contains "$stderr" "another module's internal header (cgroup)" "... saying whose"
# a module's part instead of its door
plant '0,/#include "cgroup\/cgroup.h"/s//#include "cgroup\/cgroup-join.h"/' libberth/container/status.c
run_cmd python3 "$CHK" "$TEST_TMP/src"
assert_failure "another module's header that is not its door fails"
assert_contains "$stderr" 'libberth/container/status.c: #include "cgroup/cgroup-join.h": not the door of cgroup (include "cgroup/cgroup.h")' \
    "... naming the door to include"
# a cycle between peers of one layer: cgroup <-> rootfs
plant '0,/#include "cgroup-internal.h"/s//#include "cgroup-internal.h"\n#include "rootfs\/rootfs.h"/' libberth/cgroup/cgroup.c
run_cmd python3 "$CHK" "$TEST_TMP/src"
assert_failure "a cycle between modules of one layer fails"
assert_contains "$stderr" "include cycle between modules" "... as a cycle"
assert_contains "$stderr" "cgroup" "... naming the modules in it"
# a file outside every module folder
plant 's/^//' libberth/util/error.c
cp "$TEST_TMP/src/libberth/util/error.c" "$TEST_TMP/src/libberth/stray.c"
run_cmd python3 "$CHK" "$TEST_TMP/src"
assert_failure "a library file outside the module folders fails"
assert_contains "$stderr" "stray.c: a library file outside every module folder" "... naming it"
# a docs/architecture.md whose graph is not the code's
rm -f "$TEST_TMP/src/libberth/stray.c"
sed 's/^util      (layer 0) -> -$/util      (layer 0) -> state/' "$SRCDIR/docs/architecture.md" >"$TEST_TMP/arch.md"
run_cmd python3 "$CHK" --doc "$TEST_TMP/arch.md" "$TEST_TMP/src"
assert_failure "a stale graph in the architecture doc fails"
assert_contains "$stderr" "the include graph differs from the code's" "... saying how to refresh it"

# calls, from the objects: util calling into container, and two files of
# one module calling each other
require_cmd gcc
obj() { # MODULE STEM C-SOURCE
    mkdir -p "$TEST_TMP/obj/$1"
    echo "$3" >"$TEST_TMP/obj.c"
    gcc -c -o "$TEST_TMP/obj/$1/libberth_la-$2.o" "$TEST_TMP/obj.c" || bail_out "gcc"
}
obj util error 'int berth_container_x(void); int berth_error_x(void) { return berth_container_x(); }'
obj container container 'int berth_container_x(void) { return 1; }'
run_cmd python3 "$CHK" --objects "$TEST_TMP/obj" "$SRCDIR/src"
assert_failure "a call into a higher layer fails"
assert_contains "$stderr" "util/error calls berth_container_x of container/container: util (layer 0) calls container (layer 4)" \
    "... naming the object, the function and the layers"
rm -rf "$TEST_TMP/obj"
obj state state 'int b(void); int a(void) { return b(); }'
obj state state-json 'int a(void); int b(void) { return a(); }'
run_cmd python3 "$CHK" --objects "$TEST_TMP/obj" "$SRCDIR/src"
assert_failure "two files calling each other fail"
assert_contains "$stderr" "objects calling each other in a cycle: state/state state/state-json" "... naming both"
run_cmd python3 "$CHK" --objects "$TEST_TMP/nothing" "$SRCDIR/src"
assert_failure "no objects to check is an error, not a pass"
assert_contains "$stderr" "no libberth_la-*.o objects (build first)" "... saying so"

done_testing
