# sources of the CLI support concern: the default config of `berth spec`
# and the Features structure of `berth features`
src_libberth_libberth_la_SOURCES += \
	src/libberth/spec-default.h \
	src/libberth/spec-default.c \
	src/libberth/spec-create.c \
	src/libberth/berth-features.h \
	src/libberth/berth-features.c \
	src/libberth/features-seccomp.c
