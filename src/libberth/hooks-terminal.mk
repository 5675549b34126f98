# OCI hooks (config.md "POSIX-platform Hooks") and the process terminal
# (pty, --console-socket, foreground proxy).
src_libberth_libberth_la_SOURCES += \
	src/libberth/hooks.h \
	src/libberth/hooks.c \
	src/libberth/terminal.h \
	src/libberth/terminal.c \
	src/libberth/fd-pass.h \
	src/libberth/fd-pass.c
