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
berth_CPPFLAGS = $(AM_CPPFLAGS) -DBERTH_SYSTEMD_HELPER_PATH='"$(pkglibexecdir)/berth-systemd"'
berth_LDADD = src/libberth/libberth.la $(SECCOMP_LIBS)

# The commit berth is built from, for `berth --version` (and the benchmark's
# report): refreshed at every make, not only at configure time; the header
# is rewritten only when the commit changed, so nothing rebuilds for nothing.
nodist_berth_SOURCES = src/git-commit.h
BUILT_SOURCES = src/git-commit.h
CLEANFILES += src/git-commit.h
src/git-commit.h: berth-git-commit-force
	@$(MKDIR_P) src; \
	c=`git -C "$(top_srcdir)" rev-parse HEAD 2>/dev/null || echo unknown`; \
	printf '#define BERTH_GIT_COMMIT "%s"\n' "$$c" >$@.tmp; \
	if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
berth-git-commit-force:
.PHONY: berth-git-commit-force

# berth-systemd: the systemd cgroup driver's D-Bus client (sd-bus), run by
# berth for --systemd-cgroup. Dynamically linked against libsystemd so that
# berth itself does not have to be (src/berth-systemd.c).
if HAVE_SYSTEMD
pkglibexec_PROGRAMS = berth-systemd
berth_systemd_SOURCES = \
	src/berth-systemd.c \
	src/libberth/cgroup/systemd-bus.h \
	src/libberth/cgroup/systemd-bus.c \
	src/libberth/util/error.h \
	src/libberth/util/error.c
berth_systemd_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS)
berth_systemd_LDADD = $(SYSTEMD_LIBS)
endif
