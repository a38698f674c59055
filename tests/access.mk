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

# --- live proof: every case on every backend, hand-written BPF C against the same events, verifier sweep ---
# bpf-progs/: BPF C that includes the struct forms "featprobe layout" prints
# for the cases' tracepoints, generated here at build time into the build
# tree, and compiled twice: the classic forms, and with -DSTAPPROBE_RAW the
# raw ones (raw_tp and tp_btf programs). A form featprobe cannot lay out
# (the tracepoint lacks it, or no tracefs: not root) is #defined away in
# forms.h with the reason, and its programs are left out: the test skips
# a form the running kernel lacks, and fails on a program missing for a
# form it has.
ACCESS_FORMS_TRACEPOINTS = signal:signal_generate task:task_rename \
	sched:sched_process_exec syscalls:sys_enter_openat syscalls:sys_exit_openat \
	syscalls:sys_enter_nanosleep \
	raw_syscalls:sys_enter raw_syscalls:sys_exit filelock:fcntl_setlk \
	oom:oom_score_adj_update mmap_lock:mmap_lock_acquire_returned \
	sched:sched_switch task:task_newtask sched:sched_process_fork
ACCESS_BPF_CFLAGS = -target bpf -O2 -g -Wall -Werror \
	-Itests/access/bpf-progs -I$(srcdir)/tests/access/bpf-progs $(LIBBPF_CFLAGS)
ACCESS_BPF_OBJS = tests/access/bpf-progs/access-cases.classic.bpf.o \
	tests/access/bpf-progs/access-cases.raw.bpf.o
EXTRA_DIST += tests/access/bpf-progs/access-cases.bpf.c tests/access/bpf-progs/access-cases.h
CLEANFILES += tests/access/bpf-progs/forms.h tests/access/bpf-progs/forms.h.tmp \
	tests/access/bpf-progs/forms.h.one tests/access/bpf-progs/forms.h.err $(ACCESS_BPF_OBJS)

tests/access/bpf-progs/forms.h: featprobe$(EXEEXT)
	$(AM_V_GEN)$(MKDIR_P) tests/access/bpf-progs && \
	for tp in $(ACCESS_FORMS_TRACEPOINTS); do \
		name=`echo $$tp | sed 's/.*://'`; \
		if ./featprobe$(EXEEXT) layout $$tp --form both --format c >$@.one 2>$@.err; then \
			cat $@.one; \
			if grep -q '^/\* no classic form' $@.one; then \
				echo "#define ACCESS_NO_CLASSIC_$$name 1"; fi; \
			if grep -q '^/\* no raw form' $@.one; then \
				echo "#define ACCESS_NO_RAW_$$name 1"; fi; \
		else \
			echo "/* $$tp: featprobe layout failed: `head -n 1 $@.err | tr -d '*/'` */"; \
			echo "#define ACCESS_NO_CLASSIC_$$name 1"; \
			echo "#define ACCESS_NO_RAW_$$name 1"; \
		fi; \
	done >$@.tmp && mv -f $@.tmp $@ && rm -f $@.one $@.err

tests/access/bpf-progs/access-cases.classic.bpf.o: $(srcdir)/tests/access/bpf-progs/access-cases.bpf.c \
		$(srcdir)/tests/access/bpf-progs/access-cases.h tests/access/bpf-progs/forms.h
	$(AM_V_GEN)$(CLANG) $(ACCESS_BPF_CFLAGS) -c $(srcdir)/tests/access/bpf-progs/access-cases.bpf.c -o $@

tests/access/bpf-progs/access-cases.raw.bpf.o: $(srcdir)/tests/access/bpf-progs/access-cases.bpf.c \
		$(srcdir)/tests/access/bpf-progs/access-cases.h tests/access/bpf-progs/forms.h
	$(AM_V_GEN)$(CLANG) $(ACCESS_BPF_CFLAGS) -DSTAPPROBE_RAW -c $(srcdir)/tests/access/bpf-progs/access-cases.bpf.c -o $@

if HAVE_CHECK
check_PROGRAMS += tests/access/test-access-cases
TESTS += tests/access/test-access-cases
tests_access_test_access_cases_SOURCES = tests/access/test-access-cases.c \
	tests/access/bpf-progs/access-cases.h
tests_access_test_access_cases_CFLAGS = $(TEST_CFLAGS) $(TRACE_PROG_CFLAGS) \
	-I$(top_srcdir)/tests/access/bpf-progs
tests_access_test_access_cases_LDADD = $(TRACE_PROG_LIBS) $(TEST_LIBS) -lpthread
if HAVE_CLANG
EXTRA_tests_access_test_access_cases_DEPENDENCIES = $(ACCESS_BPF_OBJS)
endif
# Every field and argument of every tracepoint, on every backend: compile,
# load, attach (about a minute: classic perf events close one at a time in
# the kernel, under event_mutex).
check_PROGRAMS += tests/access/test-access-sweep
TESTS += tests/access/test-access-sweep
tests_access_test_access_sweep_SOURCES = tests/access/test-access-sweep.c
tests_access_test_access_sweep_CFLAGS = $(TEST_CFLAGS) $(TRACE_PROG_CFLAGS)
tests_access_test_access_sweep_LDADD = $(TRACE_PROG_LIBS) $(TEST_LIBS) -lpthread
endif
# --- end of live proof ---

# --- featprobe access and trace (tools/featprobe-access.c, tools/trace-prog.c) ---
TESTS += tests/access/test-access-cli.sh
EXTRA_DIST += tests/access/test-access-cli.sh
if HAVE_CHECK
check_PROGRAMS += tests/access/test-trace-prog
TESTS += tests/access/test-trace-prog
tests_access_test_trace_prog_SOURCES = tests/access/test-trace-prog.c
tests_access_test_trace_prog_CFLAGS = $(TEST_CFLAGS) $(TRACE_PROG_CFLAGS)
tests_access_test_trace_prog_LDADD = $(TRACE_PROG_LIBS) $(TEST_LIBS) -lpthread
endif
# --- end of featprobe access and trace ---
