# sources of the launch concern: create/run, the container init and the
# per-process settings it applies (src_libberth_libberth_la_SOURCES += ...)
src_libberth_libberth_la_SOURCES += \
	src/libberth/container-create.c \
	src/libberth/init.h \
	src/libberth/init.c \
	src/libberth/sync.h \
	src/libberth/sync.c \
	src/libberth/process.h \
	src/libberth/process.c \
	src/libberth/namespaces.h \
	src/libberth/namespaces.c \
	src/libberth/userns.h \
	src/libberth/userns.c \
	src/libberth/caps.h \
	src/libberth/caps.c \
	src/libberth/proc-attrs.h \
	src/libberth/proc-attrs.c \
	src/libberth/ns-attrs.h \
	src/libberth/ns-attrs.c
