# The cgroup sub-library (src/libberth/cgroup/): one interface (cgroup.h) over
# the cgroupfs v1 and v2 drivers and the systemd driver, whose D-Bus side
# (systemd-bus.c) is linked only into berth-systemd (src/local.mk). Other
# modules include its headers as "cgroup/cgroup.h".
src_libberth_libberth_la_SOURCES += \
	src/libberth/cgroup/cgroup.h \
	src/libberth/cgroup/cgroup.c \
	src/libberth/cgroup/cgroup-internal.h \
	src/libberth/cgroup/cgroup-fs.c \
	src/libberth/cgroup/cgroup-fields.h \
	src/libberth/cgroup/cgroup-fields.c \
	src/libberth/cgroup/cgroup-rows.c \
	src/libberth/cgroup/cgroup-validate.c \
	src/libberth/cgroup/cgroup-join.h \
	src/libberth/cgroup/cgroup-join.c \
	src/libberth/cgroup/cgroup-exec.c \
	src/libberth/cgroup/cgroup-resources.c \
	src/libberth/cgroup/cgroup-stats.c \
	src/libberth/cgroup/cgroup-v1.h \
	src/libberth/cgroup/cgroup-v1.c \
	src/libberth/cgroup/cgroup-v2.h \
	src/libberth/cgroup/cgroup-v2.c \
	src/libberth/cgroup/cgroup-v2-devices.c \
	src/libberth/cgroup/resctrl.h \
	src/libberth/cgroup/resctrl.c \
	src/libberth/cgroup/systemd-unit.h \
	src/libberth/cgroup/systemd-unit.c \
	src/libberth/cgroup/systemd-annotations.c \
	src/libberth/cgroup/cgroup-systemd.c
# log2/pow of the cpu.shares -> cpu.weight conversion
src_libberth_libberth_la_LIBADD += -lm
