# spec: the spec model above libocispec: validation of config.json
# (validate*.c) and the default config of `berth spec`.
src_libberth_libberth_la_SOURCES += \
	src/libberth/spec/spec.h \
	src/libberth/spec/spec-create.c \
	src/libberth/spec/spec-default.h \
	src/libberth/spec/spec-default.c \
	src/libberth/spec/validate.h \
	src/libberth/spec/validate.c \
	src/libberth/spec/validate-internal.h \
	src/libberth/spec/validate-linux.c \
	src/libberth/spec/validate-mounts.c \
	src/libberth/spec/validate-namespaces.c \
	src/libberth/spec/validate-process.c \
	src/libberth/spec/validate-resources.c \
	src/libberth/spec/validate-seccomp.c \
	src/libberth/spec/validate-util.c \
	src/libberth/spec/page-size.h \
	src/libberth/spec/page-size.c
