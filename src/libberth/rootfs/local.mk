# rootfs: the container's filesystem: mounts, devices, masked and
# read-only paths, id-mapped mounts, pivot_root.
src_libberth_libberth_la_SOURCES += \
	src/libberth/rootfs/dev.h \
	src/libberth/rootfs/dev.c \
	src/libberth/rootfs/idmap.h \
	src/libberth/rootfs/idmap.c \
	src/libberth/rootfs/mount.h \
	src/libberth/rootfs/mount.c \
	src/libberth/rootfs/mount-apply.c \
	src/libberth/rootfs/mount-cgroup.h \
	src/libberth/rootfs/mount-cgroup.c \
	src/libberth/rootfs/mount-fd.h \
	src/libberth/rootfs/mount-fd.c \
	src/libberth/rootfs/mount-flags.h \
	src/libberth/rootfs/mount-flags.c \
	src/libberth/rootfs/mount-sources.h \
	src/libberth/rootfs/mount-sources.c \
	src/libberth/rootfs/rootfs.h \
	src/libberth/rootfs/rootfs.c
