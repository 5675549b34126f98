# hooks: config.md "POSIX-platform Hooks".
src_libberth_libberth_la_SOURCES += \
	src/libberth/hooks/hooks.h \
	src/libberth/hooks/hooks.c
