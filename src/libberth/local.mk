# libberth: the runtime library, one folder per module (docs/architecture.md:
# the layers and what each module may include; `make check-layers`). Each
# module lists its own sources in its folder's local.mk.
noinst_LTLIBRARIES += src/libberth/libberth.la
src_libberth_libberth_la_SOURCES =
src_libberth_libberth_la_CFLAGS = $(AM_CFLAGS) $(YAJL_CFLAGS) $(SECCOMP_CFLAGS) $(CAP_CFLAGS) $(SELINUX_CFLAGS)
src_libberth_libberth_la_LIBADD = libocispec/libocispec.la $(YAJL_LIBS) $(SECCOMP_LIBS) $(CAP_LIBS) $(SELINUX_LIBS)

include src/libberth/util/local.mk
include src/libberth/spec/local.mk
include src/libberth/state/local.mk
include src/libberth/ns/local.mk
include src/libberth/rootfs/local.mk
include src/libberth/security/local.mk
include src/libberth/terminal/local.mk
include src/libberth/hooks/local.mk
include src/libberth/cgroup/local.mk
include src/libberth/process/local.mk
include src/libberth/container/local.mk
include src/libberth/criu/local.mk
