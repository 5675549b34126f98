# sources of the rootfs concern (src_libberth_libberth_la_SOURCES += ...)
