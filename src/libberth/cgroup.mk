# sources of the cgroup concern (src_libberth_libberth_la_SOURCES += ...)
src_libberth_libberth_la_SOURCES += \
	src/libberth/cgroup.h \
	src/libberth/cgroup.c \
	src/libberth/cgroup-internal.h \
	src/libberth/cgroup-fs.c \
	src/libberth/cgroup-join.h \
	src/libberth/cgroup-join.c \
	src/libberth/cgroup-resources.c \
	src/libberth/cgroup-stats.c \
	src/libberth/cgroup-v1.h \
	src/libberth/cgroup-v1.c \
	src/libberth/cgroup-v2.h \
	src/libberth/cgroup-v2.c \
	src/libberth/cgroup-v2-devices.c \
	src/libberth/container-cgroup.h \
	src/libberth/container-cgroup.c
# log2/pow of the cpu.shares -> cpu.weight conversion
src_libberth_libberth_la_LIBADD += -lm
