# security: capabilities, seccomp (compile, load, notify listener, the
# flags this host supports), LSM labels.
src_libberth_libberth_la_SOURCES += \
	src/libberth/security/security.h \
	src/libberth/security/berth-seccomp.h \
	src/libberth/security/caps.h \
	src/libberth/security/caps.c \
	src/libberth/security/label.h \
	src/libberth/security/label.c \
	src/libberth/security/seccomp.c \
	src/libberth/security/seccomp-cache.h \
	src/libberth/security/seccomp-cache.c \
	src/libberth/security/seccomp-enosys.h \
	src/libberth/security/seccomp-enosys.c \
	src/libberth/security/seccomp-flags.c \
	src/libberth/security/seccomp-notify.h \
	src/libberth/security/seccomp-notify.c
