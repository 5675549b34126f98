# man pages: hand-written roff, installed in man8 (section from the
# suffix) and shipped in the tarball. One page per command: add
# man/berth-<command>.8 to this list.
dist_man_MANS += \
	man/berth.8 \
	man/berth-spec.8 \
	man/berth-features.8 \
	man/berth-pause.8 \
	man/berth-resume.8 \
	man/berth-update.8 \
	man/berth-ps.8 \
	man/berth-events.8 \
	man/berth-validate.8

# state concern: the verbs on existing containers
dist_man_MANS += \
	man/berth-start.8 \
	man/berth-state.8 \
	man/berth-kill.8 \
	man/berth-delete.8 \
	man/berth-list.8

# launch concern: create and run
dist_man_MANS += \
	man/berth-create.8 \
	man/berth-run.8

# exec concern
dist_man_MANS += \
	man/berth-exec.8

# criu concern: checkpoint and restore
dist_man_MANS += \
	man/berth-checkpoint.8 \
	man/berth-restore.8
