# state: the container's state directory and state.json.
src_libberth_libberth_la_SOURCES += \
	src/libberth/state/state.h \
	src/libberth/state/state.c \
	src/libberth/state/state-json.h \
	src/libberth/state/state-json.c \
	src/libberth/state/state-types.c
