# Benchmarks: not part of make check (timing belongs here, not in tests).
EXTRA_DIST += bench/report.sh

.PHONY: bench
bench: featprobe
	$(AM_V_GEN)FEATPROBE=$(abs_top_builddir)/featprobe $(SHELL) $(srcdir)/bench/report.sh
