# live.mk: tests of the probes on the running kernel. Each probe's verdict is
# compared with what the test observes itself; not root or no bpf(): skip (77).
if HAVE_CHECK
check_PROGRAMS += tests/live/test-live-probes
TESTS += tests/live/test-live-probes
tests_live_test_live_probes_SOURCES = tests/live/test-live-probes.c
tests_live_test_live_probes_CFLAGS = $(TEST_CFLAGS)
tests_live_test_live_probes_LDADD = $(TEST_LIBS)
endif

# featprobe as an unprivileged user (setpriv): unknown with EPERM, never no.
TESTS += tests/live/test-unprivileged.sh
EXTRA_DIST += tests/live/test-unprivileged.sh

# Endurance (about a minute): many probe-and-layout cycles in one process;
# fds, BPF programs and links, and heap bytes must not grow. Not in TESTS:
# make check-endurance, run by .ci/run.
if HAVE_CHECK
check_PROGRAMS += tests/live/test-endurance
tests_live_test_endurance_SOURCES = tests/live/test-endurance.c
tests_live_test_endurance_CFLAGS = $(TEST_CFLAGS)
tests_live_test_endurance_LDADD = $(TEST_LIBS)
endif

.PHONY: check-endurance
check-endurance: tests/live/test-endurance$(EXEEXT)
	./tests/live/test-endurance$(EXEEXT)
