# fuzz.mk: libFuzzer harnesses (make fuzz) and the replay of their
# regression inputs (make check).
#
# The harnesses (tests/fuzz/fuzz-*.c) are built with clang's libFuzzer,
# ASan and UBSan against the library sources compiled again with clang,
# whatever CC builds the rest. `make fuzz` runs each for FUZZ_SECONDS;
# new corpus entries go to tests/fuzz/corpus-new/NAME in the build tree,
# crashes to tests/fuzz/artifacts/NAME. FUZZ_HARNESSES picks some,
# FUZZ_FLAGS adds libFuzzer options (e.g. -fork=2 -ignore_crashes=1).
#
# Regression inputs: tests/fuzz/regress/NAME/*. The replay test runs each
# through the harness built with the project's compiler (no libFuzzer
# needed). Inputs named open-* are findings not fixed yet: they are run and
# reported, but do not fail the test; rename one once it is fixed.

FUZZ_HARNESSES = kconfig kversion root btf format layout access image
FUZZ_SECONDS = 60
FUZZ_FLAGS =
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CCFLAGS = -g -O1 -fno-omit-frame-pointer $(FUZZ_SAN) \
	$(DEFS) -I$(top_builddir) $(AM_CPPFLAGS) -I$(top_srcdir)/tests/fuzz \
	$(LIBBPF_CFLAGS) $(ZLIB_CFLAGS) $(LIBKMOD_CFLAGS) \
	$(LIBELF_CFLAGS) $(LZMA_CFLAGS) $(ZSTD_CFLAGS) $(LZ4_CFLAGS) \
	'-DIMAGE_VMLINUX_MAX=(16u << 20)'
FUZZ_LINK = $(FEAT_LIBS) $(LIBKMOD_LIBS)
FUZZ_DIST = \
	tests/fuzz/fuzz-util.h tests/fuzz/replay-main.c \
	tests/fuzz/fuzz-kconfig.c tests/fuzz/fuzz-kversion.c \
	tests/fuzz/fuzz-root.c tests/fuzz/fuzz-btf.c \
	tests/fuzz/fuzz-format.c tests/fuzz/fuzz-layout.c tests/fuzz/fuzz-access.c \
	tests/fuzz/fuzz-image.c
EXTRA_DIST += $(FUZZ_DIST) tests/fuzz/replay.sh \
	tests/fuzz/corpus tests/fuzz/regress \
	tests/fuzz/mkseeds.sh tests/fuzz/seeds tests/fuzz/valgrind.supp
CLEANFILES += tests/fuzz/libfeat-fuzz.a tests/fuzz/fuzz-kconfig \
	tests/fuzz/fuzz-kversion tests/fuzz/fuzz-root tests/fuzz/fuzz-btf \
	tests/fuzz/fuzz-format tests/fuzz/fuzz-layout tests/fuzz/fuzz-access \
	tests/fuzz/fuzz-image \
	tests/fuzz/have-libfuzzer

# --- replay drivers, built like every test ---
FUZZ_REPLAY = tests/fuzz/replay-kconfig tests/fuzz/replay-kversion \
	tests/fuzz/replay-root tests/fuzz/replay-btf tests/fuzz/replay-format \
	tests/fuzz/replay-layout tests/fuzz/replay-access tests/fuzz/replay-image
check_PROGRAMS += $(FUZZ_REPLAY)
TESTS += tests/fuzz/replay.sh
FUZZ_REPLAY_FLAGS = $(TEST_CFLAGS) -I$(top_srcdir)/tests/fuzz
tests_fuzz_replay_kconfig_SOURCES = tests/fuzz/replay-main.c tests/fuzz/fuzz-kconfig.c
tests_fuzz_replay_kconfig_CFLAGS = $(FUZZ_REPLAY_FLAGS)
tests_fuzz_replay_kconfig_LDADD = $(TEST_LIBS)
tests_fuzz_replay_kversion_SOURCES = tests/fuzz/replay-main.c tests/fuzz/fuzz-kversion.c
tests_fuzz_replay_kversion_CFLAGS = $(FUZZ_REPLAY_FLAGS)
tests_fuzz_replay_kversion_LDADD = $(TEST_LIBS)
tests_fuzz_replay_root_SOURCES = tests/fuzz/replay-main.c tests/fuzz/fuzz-root.c
tests_fuzz_replay_root_CFLAGS = $(FUZZ_REPLAY_FLAGS)
tests_fuzz_replay_root_LDADD = $(TEST_LIBS)
tests_fuzz_replay_btf_SOURCES = tests/fuzz/replay-main.c tests/fuzz/fuzz-btf.c
tests_fuzz_replay_btf_CFLAGS = $(FUZZ_REPLAY_FLAGS)
tests_fuzz_replay_btf_LDADD = $(TEST_LIBS)
tests_fuzz_replay_format_SOURCES = tests/fuzz/replay-main.c tests/fuzz/fuzz-format.c
tests_fuzz_replay_format_CFLAGS = $(FUZZ_REPLAY_FLAGS)
tests_fuzz_replay_format_LDADD = $(TEST_LIBS)
tests_fuzz_replay_layout_SOURCES = tests/fuzz/replay-main.c tests/fuzz/fuzz-layout.c
tests_fuzz_replay_layout_CFLAGS = $(FUZZ_REPLAY_FLAGS)
tests_fuzz_replay_layout_LDADD = $(TEST_LIBS)
tests_fuzz_replay_access_SOURCES = tests/fuzz/replay-main.c tests/fuzz/fuzz-access.c
tests_fuzz_replay_access_CFLAGS = $(FUZZ_REPLAY_FLAGS)
tests_fuzz_replay_access_LDADD = $(TEST_LIBS)
tests_fuzz_replay_image_SOURCES = tests/fuzz/replay-main.c tests/fuzz/fuzz-image.c
tests_fuzz_replay_image_CFLAGS = $(FUZZ_REPLAY_FLAGS)
tests_fuzz_replay_image_LDADD = $(TEST_LIBS)

# --- the libFuzzer build ---
# Is clang's libFuzzer runtime there (libclang-rt-NN-dev on Debian)?
tests/fuzz/have-libfuzzer:
	@$(MKDIR_P) tests/fuzz
	@if test -z "$(CLANG)"; then \
		echo "no clang found by configure" > $@.tmp; \
	elif printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' | \
	    $(CLANG) -x c -fsanitize=fuzzer -o $@.bin - 2>/dev/null; then \
		echo yes > $@.tmp; \
	else \
		echo "$(CLANG) cannot link -fsanitize=fuzzer: clang's libFuzzer runtime is missing (Debian: libclang-rt-NN-dev)" > $@.tmp; \
	fi; rm -f $@.bin; mv $@.tmp $@

# The library, compiled again with clang and the sanitizers, instrumented
# for coverage (fuzzer-no-link).
tests/fuzz/libfeat-fuzz.a: $(libfeat_libfeat_internal_la_SOURCES) config.h
	@$(MKDIR_P) tests/fuzz/obj
	@rm -f $@; set -e; objs=; \
	for src in $(libfeat_libfeat_internal_la_SOURCES); do \
		case $$src in *.c) ;; *) continue ;; esac; \
		obj=tests/fuzz/obj/`echo $$src | sed 's|/|-|g; s|\.c$$|.o|'`; \
		test -f $$src && s=$$src || s=$(srcdir)/$$src; \
		echo "  CLANG    $$obj"; \
		$(CLANG) $(FUZZ_CCFLAGS) -fsanitize=fuzzer-no-link -c -o $$obj $$s; \
		objs="$$objs $$obj"; \
	done; $(AR) rcs $@ $$objs

fuzz-build: tests/fuzz/have-libfuzzer
	@if test "`cat tests/fuzz/have-libfuzzer`" != yes; then \
		echo "SKIP: fuzz: `cat tests/fuzz/have-libfuzzer`"; exit 0; fi; \
	$(MAKE) $(AM_MAKEFLAGS) tests/fuzz/libfeat-fuzz.a && \
	for h in $(FUZZ_HARNESSES); do \
		echo "  CLANG    tests/fuzz/fuzz-$$h"; \
		$(CLANG) $(FUZZ_CCFLAGS) -fsanitize=fuzzer -o tests/fuzz/fuzz-$$h \
			$(srcdir)/tests/fuzz/fuzz-$$h.c tests/fuzz/libfeat-fuzz.a \
			$(FUZZ_LINK) || exit 1; \
	done

# Each harness for FUZZ_SECONDS, from the seed corpus and what earlier
# runs found; fails when one finds a crash, a leak or UB.
fuzz: fuzz-build
	@if test "`cat tests/fuzz/have-libfuzzer`" != yes; then exit 0; fi; \
	fail=0; for h in $(FUZZ_HARNESSES); do \
		$(MKDIR_P) tests/fuzz/corpus-new/$$h tests/fuzz/artifacts/$$h; \
		dict=; test -f $(srcdir)/tests/fuzz/$$h.dict && \
			dict=-dict=$(srcdir)/tests/fuzz/$$h.dict; \
		echo "FUZZ $$h: $(FUZZ_SECONDS) s"; \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		./tests/fuzz/fuzz-$$h -max_total_time=$(FUZZ_SECONDS) \
			-print_final_stats=1 $$dict \
			-artifact_prefix=tests/fuzz/artifacts/$$h/ $(FUZZ_FLAGS) \
			tests/fuzz/corpus-new/$$h $(srcdir)/tests/fuzz/corpus/$$h \
			> tests/fuzz/fuzz-$$h.log 2>&1 || { \
			fail=1; echo "FAIL $$h: see tests/fuzz/fuzz-$$h.log"; \
			grep -m1 -A12 'ERROR:\|runtime error' tests/fuzz/fuzz-$$h.log; }; \
		grep -E '^stat::number_of_executed_units|^#[0-9]+ *DONE' tests/fuzz/fuzz-$$h.log; \
	done; exit $$fail

.PHONY: fuzz fuzz-build
