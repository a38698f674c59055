# access.mk: live proof of the access code (issue 4): cases on every backend, bpf-progs/, verifier sweep.

# --- access code offline, against Debian 6.1's root tree (parser, offsets, an interpreter) ---
if HAVE_CHECK
check_PROGRAMS += tests/access/test-access-offline
TESTS += tests/access/test-access-offline
tests_access_test_access_offline_SOURCES = tests/access/test-access-offline.c
tests_access_test_access_offline_CFLAGS = $(TEST_CFLAGS) $(JSONC_CFLAGS)
tests_access_test_access_offline_LDADD = $(TEST_LIBS) $(JSONC_LIBS)
endif
# --- end of access code offline ---
