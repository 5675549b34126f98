# util: the bottom layer: errors, the context, cleanup attributes, paths,
# fd passing, verified procfs writes, pid files, tree copies, the sealed
# binary (CVE-2019-5736), signal names, /etc/passwd lookups.
src_libberth_libberth_la_SOURCES += \
	src/libberth/util/cleanup.h \
	src/libberth/util/context.h \
	src/libberth/util/context.c \
	src/libberth/util/copy-tree.h \
	src/libberth/util/copy-tree.c \
	src/libberth/util/error.h \
	src/libberth/util/error.c \
	src/libberth/util/exe-seal.h \
	src/libberth/util/exe-seal.c \
	src/libberth/util/fd-pass.h \
	src/libberth/util/fd-pass.c \
	src/libberth/util/passwd.h \
	src/libberth/util/passwd.c \
	src/libberth/util/path-util.h \
	src/libberth/util/path-util.c \
	src/libberth/util/pid-file.h \
	src/libberth/util/pid-file.c \
	src/libberth/util/proc-safe.h \
	src/libberth/util/proc-safe.c \
	src/libberth/util/signals.h \
	src/libberth/util/signals.c \
	src/libberth/util/id-list.h \
	src/libberth/util/id-list.c \
	src/libberth/util/io.h \
	src/libberth/util/io.c \
	src/libberth/util/resctrl-root.h \
	src/libberth/util/resctrl-root.c \
	src/libberth/util/run.h \
	src/libberth/util/run.c \
	src/libberth/util/sha256.h \
	src/libberth/util/sha256.c
