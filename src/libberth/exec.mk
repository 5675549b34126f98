# exec concern: `berth exec` and the per-process steps it shares with the
# container init (process-setup.c)
src_libberth_libberth_la_SOURCES += \
	src/libberth/exec.h \
	src/libberth/exec-internal.h \
	src/libberth/exec.c \
	src/libberth/exec-child.c \
	src/libberth/exec-process.c \
	src/libberth/exec-cgroup.c \
	src/libberth/process-setup.h \
	src/libberth/process-setup.c \
	src/libberth/passwd.h \
	src/libberth/passwd.c
