# sources of the seccomp concern: linux.seccomp -> BPF (parent), the
# one-syscall load (init) and the SCMP_ACT_NOTIFY listener handover (parent)
src_libberth_libberth_la_SOURCES += \
	src/libberth/berth-seccomp.h \
	src/libberth/seccomp.c \
	src/libberth/seccomp-enosys.h \
	src/libberth/seccomp-enosys.c \
	src/libberth/seccomp-notify.h \
	src/libberth/seccomp-notify.c
