# criu: checkpoint and restore by driving the criu binary.
src_libberth_libberth_la_SOURCES += \
	src/libberth/criu/criu.h \
	src/libberth/criu/criu-dump.c \
	src/libberth/criu/criu-images.c \
	src/libberth/criu/criu-internal.h \
	src/libberth/criu/criu-pb.c \
	src/libberth/criu/criu-restore.c \
	src/libberth/criu/criu-rpc.c \
	src/libberth/criu/criu-run.c
