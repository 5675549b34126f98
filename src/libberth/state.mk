# sources of the state concern (src_libberth_libberth_la_SOURCES += ...)
