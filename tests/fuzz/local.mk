# libFuzzer targets: only with ./configure CC=clang --enable-fuzzing (see
# tests/fuzz/run-fuzz.sh). The library sources are compiled into the target
# so they get the fuzzer's coverage instrumentation.
EXTRA_DIST += tests/fuzz/run-fuzz.sh

if ENABLE_FUZZING
FUZZ_FLAGS = -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

noinst_PROGRAMS += tests/fuzz/fuzz-config
tests_fuzz_fuzz_config_SOURCES = tests/fuzz/fuzz-config.c $(libocispec_libocispec_la_SOURCES)
tests_fuzz_fuzz_config_CFLAGS = $(AM_CFLAGS) $(YAJL_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_config_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_config_LDADD = $(YAJL_LIBS)
endif
