# sources of the security concern: LSM labels (SELinux, AppArmor) and
# verified procfs writes (sysctl, LSM attrs) that a container cannot redirect
src_libberth_libberth_la_SOURCES += \
	src/libberth/label.h \
	src/libberth/label.c \
	src/libberth/proc-safe.h \
	src/libberth/proc-safe.c
