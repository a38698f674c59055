# Benchmarks: not part of make check (timing belongs here, not in tests).
EXTRA_DIST += bench/report.sh

.PHONY: bench
bench: featprobe
	$(AM_V_GEN)FEATPROBE=$(abs_top_builddir)/featprobe $(SHELL) $(srcdir)/bench/report.sh

# In-process: feat_access_compile() after the layout is resolved.
EXTRA_PROGRAMS = bench/bench-access
bench_bench_access_SOURCES = bench/bench-access.c
bench_bench_access_LDADD = libfeat/libfeat-internal.la
CLEANFILES += bench/bench-access
.PHONY: bench-access
bench-access: bench/bench-access
	$(AM_V_GEN)./bench/bench-access
