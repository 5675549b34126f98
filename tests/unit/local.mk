# unit tests (check)

if HAVE_CHECK
# state concern: signals, ids, state store, status derivation
check_PROGRAMS += tests/unit/test-state
TESTS += tests/unit/test-state
tests_unit_test_state_SOURCES = tests/unit/test-state.c
tests_unit_test_state_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(YAJL_CFLAGS)
tests_unit_test_state_LDADD = src/libberth/libberth.la $(CHECK_LIBS)
endif
