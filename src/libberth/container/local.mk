# container: the operations the commands call: create/start/run,
# state/list/kill/delete, exec, pause/resume/update/stats, features.
src_libberth_libberth_la_SOURCES += \
	src/libberth/container/berth-features.h \
	src/libberth/container/berth-features.c \
	src/libberth/container/container.h \
	src/libberth/container/container.c \
	src/libberth/container/container-cgroup.h \
	src/libberth/container/container-cgroup.c \
	src/libberth/container/container-create.c \
	src/libberth/container/events-json.h \
	src/libberth/container/events-json.c \
	src/libberth/container/exec.h \
	src/libberth/container/exec.c \
	src/libberth/container/exec-child.c \
	src/libberth/container/exec-internal.h \
	src/libberth/container/exec-process.c \
	src/libberth/container/foreground.h \
	src/libberth/container/foreground.c \
	src/libberth/container/status.h \
	src/libberth/container/status.c
