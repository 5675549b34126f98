# ns: namespaces (join, unshare), user namespace mappings, per-namespace
# attributes (time offsets, sysctls), network devices moved in (netdev).
src_libberth_libberth_la_SOURCES += \
	src/libberth/ns/ns.h \
	src/libberth/ns/namespaces.h \
	src/libberth/ns/namespaces.c \
	src/libberth/ns/netdev.h \
	src/libberth/ns/netdev.c \
	src/libberth/ns/ns-attrs.h \
	src/libberth/ns/ns-attrs.c \
	src/libberth/ns/pidns.h \
	src/libberth/ns/pidns.c \
	src/libberth/ns/userns.h \
	src/libberth/ns/userns.c
