# layout.mk: tracepoint catalog and layout resolver (issue 3).
libfeat_libfeat_internal_la_SOURCES += \
	libfeat/layout-internal.h libfeat/format.c libfeat/catalog.c \
	libfeat/layout.c libfeat/emit-c.c
featprobe_SOURCES += tools/featprobe-layout.c tools/featprobe-cmds.h
