# modules.mk: tracepoints of kernel modules (issue 3): split BTF of loaded
# modules (/sys/kernel/btf/MODULE) and the .BTF of module files found
# through libkmod, on real Debian 6.1 files (tests/fixtures/PROVENANCE.md;
# the fixtures ship with tests/fixtures, unit.mk). The library code is
# libfeat/module-btf.c (layout.mk). test-modules.sh prepares the roots and
# runs test-modules-api on them. sweep-package.sh (by hand, not in make
# check) compares every module tracepoint of a whole package with bpftool.
check_PROGRAMS += tests/modules/test-modules-api
tests_modules_test_modules_api_SOURCES = tests/modules/test-modules-api.c
tests_modules_test_modules_api_CFLAGS = $(AM_CFLAGS)
tests_modules_test_modules_api_LDADD = libfeat/libfeat-internal.la $(FEAT_LIBS)
TESTS += tests/modules/test-modules.sh
EXTRA_DIST += tests/modules/test-modules.sh tests/modules/sweep-package.sh
