# Unit tests (check). Each area appends its own program:
#   check_PROGRAMS += tests/unit/test-foo
#   TESTS += tests/unit/test-foo
#   tests_unit_test_foo_SOURCES = tests/unit/test-foo.c
#   tests_unit_test_foo_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
#   tests_unit_test_foo_LDADD = <libs> $(CHECK_LIBS)
# inside the `if HAVE_CHECK` block below.
EXTRA_DIST += tests/unit/data

if HAVE_CHECK
UNIT_TEST_CPPFLAGS = $(AM_CPPFLAGS) -DTEST_SRCDIR='"$(abs_top_srcdir)"'

check_PROGRAMS += tests/unit/test-libocispec
TESTS += tests/unit/test-libocispec
tests_unit_test_libocispec_SOURCES = tests/unit/test-libocispec.c
tests_unit_test_libocispec_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_libocispec_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_libocispec_LDADD = libocispec/libocispec.la $(CHECK_LIBS)

# state concern: signals, ids, state store, status derivation
check_PROGRAMS += tests/unit/test-state
TESTS += tests/unit/test-state
tests_unit_test_state_SOURCES = tests/unit/test-state.c
tests_unit_test_state_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(YAJL_CFLAGS)
tests_unit_test_state_LDADD = src/libberth/libberth.la $(CHECK_LIBS)

# CVE-2019-5736: the sealed handle on berth's binary, the inherited-fd check
check_PROGRAMS += tests/unit/test-exe-seal
TESTS += tests/unit/test-exe-seal
tests_unit_test_exe_seal_SOURCES = tests/unit/test-exe-seal.c
tests_unit_test_exe_seal_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_exe_seal_LDADD = src/libberth/libberth.la $(CHECK_LIBS)

# rootfs concern: mount option table, mount plan, safe in-root paths. Built
# from the sources (not libberth.la) so it needs none of the other concerns.
check_PROGRAMS += tests/unit/test-mount
TESTS += tests/unit/test-mount
tests_unit_test_mount_SOURCES = tests/unit/test-mount.c src/libberth/rootfs/mount.c \
	src/libberth/rootfs/mount-flags.c src/libberth/util/path-util.c src/libberth/util/error.c
tests_unit_test_mount_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_mount_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_mount_LDADD = $(CHECK_LIBS)
endif

# placement: id lists, memory policy names against the spec's enums and
# `features`, the appliers' errors
if HAVE_CHECK
check_PROGRAMS += tests/unit/test-placement
TESTS += tests/unit/test-placement
tests_unit_test_placement_SOURCES = tests/unit/test-placement.c
tests_unit_test_placement_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_placement_LDADD = src/libberth/libberth.la $(CHECK_LIBS)
endif

# features: every name `berth features` lists is taken by the parser and the
# code that applies it (hooks, mount options, namespaces, seccomp, memory policy)
if HAVE_CHECK
check_PROGRAMS += tests/unit/test-features
TESTS += tests/unit/test-features
tests_unit_test_features_SOURCES = tests/unit/test-features.c
tests_unit_test_features_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_features_LDADD = src/libberth/libberth.la $(CHECK_LIBS)
endif

# validate (semantic rules over config.json): src/libberth/spec/validate*.c
if HAVE_CHECK
check_PROGRAMS += tests/unit/test-validate
TESTS += tests/unit/test-validate
tests_unit_test_validate_SOURCES = tests/unit/test-validate.c
tests_unit_test_validate_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_validate_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_validate_LDADD = src/libberth/libberth.la $(CHECK_LIBS)
endif

# seccomp: linux.seccomp -> BPF, loading in forked children, notify handover
if HAVE_CHECK
check_PROGRAMS += tests/unit/test-seccomp
TESTS += tests/unit/test-seccomp
tests_unit_test_seccomp_SOURCES = tests/unit/test-seccomp.c
tests_unit_test_seccomp_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_seccomp_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(SECCOMP_CFLAGS)
tests_unit_test_seccomp_LDADD = src/libberth/libberth.la $(SECCOMP_LIBS) $(CHECK_LIBS)

# cgroup concern: every writer against a fake cgroupfs, conversions, layout,
# paths, create/destroy records, the eBPF device program.
check_PROGRAMS += tests/unit/test-cgroup
TESTS += tests/unit/test-cgroup
tests_unit_test_cgroup_SOURCES = tests/unit/test-cgroup.c
tests_unit_test_cgroup_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_cgroup_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_cgroup_LDADD = src/libberth/libberth.la $(CHECK_LIBS) -lm
endif

# hooks and terminal: running hook programs (stdin state, args/env, order,
# failures, timeouts), pty allocation, fd passing, init-side pty setup.
if HAVE_CHECK
check_PROGRAMS += tests/unit/test-hooks
TESTS += tests/unit/test-hooks
tests_unit_test_hooks_SOURCES = tests/unit/test-hooks.c
tests_unit_test_hooks_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_hooks_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_hooks_LDADD = src/libberth/libberth.la $(CHECK_LIBS)
endif

# the systemd cgroup driver's pure part: cgroupsPath rules, slices, unit
# properties of linux.resources (systemd-unit.h).
if HAVE_CHECK
check_PROGRAMS += tests/unit/test-systemd-unit
TESTS += tests/unit/test-systemd-unit
tests_unit_test_systemd_unit_SOURCES = tests/unit/test-systemd-unit.c
tests_unit_test_systemd_unit_CPPFLAGS = $(UNIT_TEST_CPPFLAGS)
tests_unit_test_systemd_unit_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_systemd_unit_LDADD = src/libberth/libberth.la $(CHECK_LIBS) -lm
endif

# criu-pb: the protobuf bytes of criu's RPC as berth writes and reads them
if HAVE_CHECK
check_PROGRAMS += tests/unit/test-criu-pb
TESTS += tests/unit/test-criu-pb
tests_unit_test_criu_pb_SOURCES = tests/unit/test-criu-pb.c
tests_unit_test_criu_pb_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_criu_pb_LDADD = src/libberth/libberth.la $(CHECK_LIBS)
endif
