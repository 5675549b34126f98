# criu: checkpoint and restore by driving the criu binary.
src_libberth_libberth_la_SOURCES += \
	src/libberth/criu.h \
	src/libberth/criu-internal.h \
	src/libberth/criu-run.c \
	src/libberth/criu-dump.c \
	src/libberth/criu-restore.c
