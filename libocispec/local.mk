noinst_LTLIBRARIES += libocispec/libocispec.la
libocispec_libocispec_la_SOURCES = \
	libocispec/oci.h \
	libocispec/oci-types.h \
	libocispec/oci-internal.h \
	libocispec/oci-checks.h \
	libocispec/oci-diag.c \
	libocispec/oci-engine.c \
	libocispec/oci-validate.c \
	libocispec/oci-emit.c \
	libocispec/oci-walk.c \
	libocispec/oci-checks.c \
	libocispec/oci-config.c \
	libocispec/oci-config-linux.c \
	libocispec/oci-state.c \
	libocispec/oci-features.c
libocispec_libocispec_la_CFLAGS = $(AM_CFLAGS) $(YAJL_CFLAGS)
libocispec_libocispec_la_LIBADD = $(YAJL_LIBS)
