# Hostile environments on the running kernel (issue 6): featprobe under an
# unprivileged user, with single capabilities dropped, behind seccomp
# filters, against a bpf() that answers as older kernels do, without
# tracefs/securityfs/config/BTF, and on hostile --root trees. Each test
# fails on a wrong yes or no; unknown is the honest answer where the probe
# cannot tell. The tests need root and skip (77) without it.

HOSTILE_TESTS = \
	tests/hostile/test-unprivileged.sh \
	tests/hostile/test-caps.sh \
	tests/hostile/test-seccomp.sh \
	tests/hostile/test-old-kernel.sh \
	tests/hostile/test-no-sources.sh \
	tests/hostile/test-root-tree.sh
TESTS += $(HOSTILE_TESTS)
EXTRA_DIST += $(HOSTILE_TESTS) tests/hostile/lib.sh tests/hostile/verdicts.py \
	tests/hostile/ns-run.sh tests/hostile/mkbtf.py

# seccomp-run: a command behind a seccomp filter that answers chosen calls
# with an errno. bpf-try: the ground truth, each backend tried by hand.
check_PROGRAMS += tests/hostile/seccomp-run tests/hostile/bpf-try
tests_hostile_seccomp_run_SOURCES = tests/hostile/seccomp-run.c
tests_hostile_seccomp_run_CFLAGS = $(AM_CFLAGS)
tests_hostile_bpf_try_SOURCES = tests/hostile/bpf-try.c
tests_hostile_bpf_try_CFLAGS = $(AM_CFLAGS) $(LIBBPF_CFLAGS)
tests_hostile_bpf_try_LDADD = $(LIBBPF_LIBS)

# bpf-shim.so: LD_PRELOAD'ed to answer bpf() as 4.16 or 5.4 would. A
# libtool module; -rpath makes libtool build the shared object, which is
# never installed (check_ only).
check_LTLIBRARIES = tests/hostile/bpf-shim.la
tests_hostile_bpf_shim_la_SOURCES = tests/hostile/bpf-shim.c
tests_hostile_bpf_shim_la_CFLAGS = $(AM_CFLAGS)
tests_hostile_bpf_shim_la_LDFLAGS = -module -avoid-version -shared -rpath /nowhere
tests_hostile_bpf_shim_la_LIBADD = -ldl
