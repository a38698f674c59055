# valgrind.mk: memcheck over featprobe's subcommands (issue 6). Not in make
# check (about half a minute, and the sanitizer run covers the library):
# make check-valgrind, run by .ci/run.
EXTRA_DIST += tests/valgrind/test-valgrind.sh
.PHONY: check-valgrind
check-valgrind: featprobe$(EXEEXT)
	top_srcdir=$(abs_top_srcdir) top_builddir=$(abs_top_builddir) \
		FEATPROBE=$(abs_top_builddir)/featprobe$(EXEEXT) \
		$(SHELL) $(srcdir)/tests/valgrind/test-valgrind.sh
