# sources of the state concern (src_libberth_libberth_la_SOURCES += ...)
src_libberth_libberth_la_SOURCES += \
	src/libberth/state.c \
	src/libberth/state-json.c \
	src/libberth/state-json.h \
	src/libberth/status.c \
	src/libberth/status.h \
	src/libberth/signals.c \
	src/libberth/signals.h \
	src/libberth/container.c
