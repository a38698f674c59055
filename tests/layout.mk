# layout.mk: tracepoint catalog and layout resolver (issue 3).
libfeat_libfeat_internal_la_SOURCES += \
	libfeat/layout-internal.h libfeat/format.c libfeat/catalog.c \
	libfeat/layout.c libfeat/emit-c.c libfeat/btf-classic.c libfeat/module-btf.c
featprobe_SOURCES += tools/featprobe-layout.c tools/featprobe-cmds.h

# Tests: they need the running kernel (root) and exit 77 with a reason when
# they cannot run.
if HAVE_CHECK
check_PROGRAMS += tests/layout/test-layout-format tests/layout/test-layout-rawslots \
	tests/layout/test-layout-compile
TESTS += tests/layout/test-layout-format tests/layout/test-layout-rawslots \
	tests/layout/test-layout-compile
tests_layout_test_layout_format_SOURCES = tests/layout/test-layout-format.c
tests_layout_test_layout_format_CFLAGS = $(TEST_CFLAGS)
tests_layout_test_layout_format_LDADD = $(TEST_LIBS)
tests_layout_test_layout_rawslots_SOURCES = tests/layout/test-layout-rawslots.c
tests_layout_test_layout_rawslots_CFLAGS = $(TEST_CFLAGS)
tests_layout_test_layout_rawslots_LDADD = $(TEST_LIBS)
tests_layout_test_layout_compile_SOURCES = tests/layout/test-layout-compile.c
tests_layout_test_layout_compile_CFLAGS = $(TEST_CFLAGS)
tests_layout_test_layout_compile_LDADD = $(TEST_LIBS)
check_PROGRAMS += tests/layout/test-layout-fixtures tests/layout/test-layout-offline
TESTS += tests/layout/test-layout-fixtures tests/layout/test-layout-offline
tests_layout_test_layout_offline_SOURCES = tests/layout/test-layout-offline.c
tests_layout_test_layout_offline_CFLAGS = $(TEST_CFLAGS)
tests_layout_test_layout_offline_LDADD = $(TEST_LIBS)
tests_layout_test_layout_fixtures_SOURCES = tests/layout/test-layout-fixtures.c
if HAVE_LIBTRACEEVENT
tests_layout_test_layout_fixtures_CFLAGS = $(TEST_CFLAGS) $(LIBTRACEEVENT_CFLAGS) -DLAYOUT_HAVE_TEP
tests_layout_test_layout_fixtures_LDADD = $(TEST_LIBS) $(LIBTRACEEVENT_LIBS)
else
tests_layout_test_layout_fixtures_CFLAGS = $(TEST_CFLAGS)
tests_layout_test_layout_fixtures_LDADD = $(TEST_LIBS)
endif
if HAVE_LIBTRACEEVENT
check_PROGRAMS += tests/layout/test-layout-sweep
TESTS += tests/layout/test-layout-sweep
tests_layout_test_layout_sweep_SOURCES = tests/layout/test-layout-sweep.c tests/layout/tep-compare.h
tests_layout_test_layout_sweep_CFLAGS = $(TEST_CFLAGS) $(LIBTRACEEVENT_CFLAGS)
tests_layout_test_layout_sweep_LDADD = $(TEST_LIBS) $(LIBTRACEEVENT_LIBS)
else
TESTS += tests/layout/test-layout-sweep-skip.sh
endif
endif
TESTS += tests/layout/test-layout-cli.sh
EXTRA_DIST += tests/layout/test-layout-sweep.c tests/layout/test-layout-sweep-skip.sh \
	tests/layout/test-layout-cli.sh tests/layout/tep-compare.h \
	tests/layout/fixtures/PROVENANCE tests/layout/fixtures/capture-init.sh \
	tests/layout/fixtures/debian-6.1.176-1-cloud-amd64.tar.xz \
	tests/layout/fixtures/debian-6.12.117-1-cloud-amd64.tar.xz
