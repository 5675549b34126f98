# sources of the validate concern (src_libberth_libberth_la_SOURCES += ...)
