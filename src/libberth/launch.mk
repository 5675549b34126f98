# sources of the launch concern (src_libberth_libberth_la_SOURCES += ...)
