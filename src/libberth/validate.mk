# sources of the validate concern (src_libberth_libberth_la_SOURCES += ...)
src_libberth_libberth_la_SOURCES += \
	src/libberth/validate.h \
	src/libberth/validate-internal.h \
	src/libberth/validate.c \
	src/libberth/validate-process.c \
	src/libberth/validate-mounts.c \
	src/libberth/validate-namespaces.c \
	src/libberth/validate-linux.c \
	src/libberth/validate-resources.c \
	src/libberth/validate-seccomp.c
