bin_PROGRAMS += berth
berth_SOURCES = \
	src/cli.h \
	src/main.c
berth_CFLAGS = $(AM_CFLAGS) $(YAJL_CFLAGS)
berth_LDADD = src/libberth/libberth.la
