# libberth: the runtime library. Each concern lists its own sources in its
# own fragment so parallel work does not collide in one list.
noinst_LTLIBRARIES += src/libberth/libberth.la
src_libberth_libberth_la_SOURCES = \
	src/libberth/cleanup.h \
	src/libberth/error.h \
	src/libberth/error.c \
	src/libberth/context.h \
	src/libberth/context.c \
	src/libberth/foreground.h \
	src/libberth/foreground.c \
	src/libberth/pid-file.h \
	src/libberth/pid-file.c \
	src/libberth/exe-seal.h \
	src/libberth/exe-seal.c \
	src/libberth/container.h \
	src/libberth/state.h \
	src/libberth/rootfs.h
src_libberth_libberth_la_CFLAGS = $(AM_CFLAGS) $(YAJL_CFLAGS) $(SECCOMP_CFLAGS) $(CAP_CFLAGS) $(SELINUX_CFLAGS)
src_libberth_libberth_la_LIBADD = libocispec/libocispec.la $(YAJL_LIBS) $(SECCOMP_LIBS) $(CAP_LIBS) $(SELINUX_LIBS)

include src/libberth/state.mk
include src/libberth/launch.mk
include src/libberth/rootfs.mk
include src/libberth/validate.mk
include src/libberth/cli-support.mk
include src/libberth/seccomp.mk
include src/libberth/cgroup/local.mk
include src/libberth/hooks-terminal.mk
include src/libberth/label.mk
include src/libberth/exec.mk
include src/libberth/criu.mk
