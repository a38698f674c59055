# unit.mk: Check unit tests of the foundation (kernel version, kconfig, fixture
# roots, the featprobe CLI) over real fixture files from Debian kernels.
# Fixtures and their provenance: tests/fixtures/PROVENANCE.md.
UNIT_TESTS = \
	tests/unit/test-kversion \
	tests/unit/test-kconfig \
	tests/unit/test-roots \
	tests/unit/test-cli
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)

tests_unit_test_kversion_SOURCES = tests/unit/test-kversion.c tests/unit/unit.h
tests_unit_test_kversion_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_kversion_LDADD = $(TEST_LIBS)

tests_unit_test_kconfig_SOURCES = tests/unit/test-kconfig.c tests/unit/unit.h
tests_unit_test_kconfig_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_kconfig_LDADD = $(TEST_LIBS)

tests_unit_test_roots_SOURCES = tests/unit/test-roots.c tests/unit/unit.h
tests_unit_test_roots_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_roots_LDADD = $(TEST_LIBS)

tests_unit_test_cli_SOURCES = tests/unit/test-cli.c tests/unit/unit.h
tests_unit_test_cli_CFLAGS = $(TEST_CFLAGS) $(JSONC_CFLAGS)
tests_unit_test_cli_LDADD = $(TEST_LIBS) $(JSONC_LIBS)
# The CLI test runs the built featprobe.
EXTRA_tests_unit_test_cli_DEPENDENCIES = featprobe$(EXEEXT)

EXTRA_DIST += tests/fixtures
