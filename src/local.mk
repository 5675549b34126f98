# berth: the command-line program. The frame (main.c, cli*.c, log*.c,
# version.c, commands.c) plus one file per command (cmd-*.c).
bin_PROGRAMS += berth
berth_SOURCES = \
	src/cli.h \
	src/cli-opts.h \
	src/cli.c \
	src/cli-help.h \
	src/cli-help.c \
	src/commands.h \
	src/commands.c \
	src/log.h \
	src/log.c \
	src/log-format.h \
	src/log-format.c \
	src/version.h \
	src/version.c \
	src/main.c \
	src/cmd-checkpoint.c \
	src/cmd-create.c \
	src/cmd-delete.c \
	src/cmd-events.c \
	src/cmd-exec.c \
	src/cmd-features.c \
	src/cmd-kill.c \
	src/cmd-list.c \
	src/cmd-pause.c \
	src/cmd-ps.c \
	src/cmd-restore.c \
	src/cmd-resume.c \
	src/cmd-run.c \
	src/cmd-spec.c \
	src/cmd-start.c \
	src/cmd-state.c \
	src/cmd-update.c \
	src/cmd-validate.c
berth_CFLAGS = $(AM_CFLAGS) $(YAJL_CFLAGS) $(SECCOMP_CFLAGS)
berth_LDADD = src/libberth/libberth.la $(SECCOMP_LIBS)
