# terminal: the pty, --console-socket, the foreground proxy.
src_libberth_libberth_la_SOURCES += \
	src/libberth/terminal/terminal.h \
	src/libberth/terminal/terminal.c
