# examples.mk: the API as a tracing session uses it (examples/early-session.c).
check_PROGRAMS += examples/early-session
examples_early_session_SOURCES = examples/early-session.c
examples_early_session_LDADD = libfeat/libfeat-internal.la
TESTS += examples/test-early-session.sh
EXTRA_DIST += examples/test-early-session.sh
