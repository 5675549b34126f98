# sources of the rootfs concern (src_libberth_libberth_la_SOURCES += ...)
src_libberth_libberth_la_SOURCES += \
	src/libberth/rootfs.c \
	src/libberth/mount.h \
	src/libberth/mount.c \
	src/libberth/mount-apply.c \
	src/libberth/mount-sources.h \
	src/libberth/mount-sources.c \
	src/libberth/mount-cgroup.h \
	src/libberth/mount-cgroup.c \
	src/libberth/mount-flags.h \
	src/libberth/mount-flags.c \
	src/libberth/dev.h \
	src/libberth/dev.c \
	src/libberth/copy-tree.h \
	src/libberth/copy-tree.c \
	src/libberth/path-util.h \
	src/libberth/path-util.c \
	src/libberth/idmap.h \
	src/libberth/idmap.c
