# trace.mk: featprobe access and featprobe trace (issue 4), and the program builder they share with the tests.

# trace-prog: the access code of N expressions assembled into one program
# that records their values (tools/trace-prog.h). A convenience library for
# featprobe and the tests; link it before libfeat-internal.la:
#   LDADD = $(TRACE_PROG_LIBS) $(TEST_LIBS)
# and add $(TRACE_PROG_CFLAGS) to the program's CFLAGS.
noinst_LTLIBRARIES += tools/libtraceprog.la
tools_libtraceprog_la_SOURCES = tools/trace-prog.c tools/trace-prog.h
tools_libtraceprog_la_CFLAGS = $(AM_CFLAGS) $(LIBBPF_CFLAGS) -pthread
tools_libtraceprog_la_LIBADD = $(LIBBPF_LIBS) -lpthread
TRACE_PROG_CFLAGS = -I$(top_srcdir)/tools $(LIBBPF_CFLAGS)
TRACE_PROG_LIBS = tools/libtraceprog.la

featprobe_SOURCES += tools/featprobe-access.c
featprobe_CFLAGS += $(LIBBPF_CFLAGS)
# libfeat-internal.la again after it: trace-prog calls into it (static link order).
featprobe_LDADD += $(TRACE_PROG_LIBS) libfeat/libfeat-internal.la $(LIBBPF_LIBS) -lpthread
