# process: the container's processes: clone, the init and its numbered
# steps, the per-process settings, the parent-child sync protocol.
src_libberth_libberth_la_SOURCES += \
	src/libberth/process/init.h \
	src/libberth/process/init.c \
	src/libberth/process/proc-attrs.h \
	src/libberth/process/proc-attrs.c \
	src/libberth/process/placement.h \
	src/libberth/process/placement.c \
	src/libberth/process/process.h \
	src/libberth/process/process.c \
	src/libberth/process/process-setup.h \
	src/libberth/process/process-setup.c \
	src/libberth/process/sync.h \
	src/libberth/process/sync.c
