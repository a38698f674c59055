// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Endurance: many probe, layout and access-code cycles in one process, with the default
 * (non-attaching) classic probe. Afterwards the open fds, the BPF programs
 * and links of the system, and the bytes malloc holds must be what they
 * were after the first cycles: a leak of one fd, program, link or
 * allocation per cycle shows as thousands.
 *
 * Not in make check (it takes a minute): make check-endurance, and .ci/run.
 * FEAT_ENDURANCE_CYCLES sets the count (default 10000).
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <linux/bpf.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "feat.h"
#include "testutil.h"

static long cycles = 10000;

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the directory's own fd */
}

/* How many BPF objects of one kind exist (BPF_PROG_GET_NEXT_ID etc.). */
static int count_ids(int cmd)
{
	union bpf_attr attr;
	__u32 id = 0;
	int n = 0;

	for (;;) {
		memset(&attr, 0, sizeof(attr));
		attr.start_id = id;
		if (syscall(__NR_bpf, cmd, &attr, sizeof(attr)) < 0)
			break;
		id = attr.next_id;
		n++;
	}
	return n;
}

/* Freed programs stay listed for a few tens of ms after their last fd. */
static int settle(int cmd, int want)
{
	int n = count_ids(cmd);

	for (int i = 0; i < 50 && n > want; i++) {
		usleep(10000);
		n = count_ids(cmd);
	}
	return n;
}

/* Bytes malloc holds: small chunks in use plus mmap()ed big ones. */
static size_t heap_bytes(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

static void cycle(struct feat_ctx *layout_ctx)
{
	struct feat_ctx *ctx = feat_new(NULL);
	struct feat_choice *c = NULL;
	struct feat_layout *l = NULL;

	ck_assert_ptr_nonnull(ctx);
	for (int id = 0; id < _FEAT_ID_COUNT; id++)
		ck_assert_ptr_nonnull(feat_probe(ctx, (enum feat_id)id));
	ck_assert_int_eq(feat_backend_choose(ctx, NULL, &c), 0);
	feat_choice_free(c);
	ck_assert_ptr_null(feat_unref(ctx));
	/* The layout context keeps its parsed BTF: what must not grow is
	 * what one resolve allocates and frees. */
	ck_assert_int_eq(feat_layout_resolve(layout_ctx, "sched:sched_switch",
					     FEAT_FORM_BOTH, &l), 0);
	/* And the access code of each backend, a failing expression too. */
	for (size_t i = 0; i < 3; i++) {
		static const enum feat_backend b[] = { FEAT_BACKEND_TP_BTF, FEAT_BACKEND_RAW_TP,
						       FEAT_BACKEND_TRACEPOINT };
		struct feat_access *a = NULL;

		ck_assert_int_eq(feat_access_compile(l, b[i] == FEAT_BACKEND_TRACEPOINT ? "$next_comm"
											 : "$next->comm",
						     b[i], NULL, &a), 0);
		feat_access_free(a);
		ck_assert_int_eq(feat_access_compile(l, "$nope", b[i], NULL, &a), -ENOENT);
	}
	feat_layout_free(l);
}

/* The failing expressions' one-line errors, formatted and dropped. */
static void quiet(void *data, int priority, const char *file, int line, const char *fn,
		  const char *format, va_list args)
{
	char msg[512];

	(void)data, (void)priority, (void)file, (void)line, (void)fn;
	vsnprintf(msg, sizeof(msg), format, args);
}

START_TEST(test_endurance)
{
	struct feat_opts o = { .sz = sizeof(o), .log_fn = quiet };
	struct feat_ctx *layout_ctx = feat_new(&o);
	int fds, progs, links;
	size_t heap;

	ck_assert_ptr_nonnull(layout_ctx);
	/* Warm up: libraries allocate once, caches fill. */
	for (int i = 0; i < 20; i++)
		cycle(layout_ctx);
	fds = count_fds();
	progs = settle(BPF_PROG_GET_NEXT_ID, 0);
	links = count_ids(BPF_LINK_GET_NEXT_ID);
	heap = heap_bytes();
	printf("after warm-up: %d fds, %d BPF programs, %d links, %zu heap bytes\n",
	       fds, progs, links, heap);

	for (long i = 0; i < cycles; i++)
		cycle(layout_ctx);

	printf("after %ld cycles: %d fds, %d BPF programs, %d links, %zu heap bytes\n",
	       cycles, count_fds(), settle(BPF_PROG_GET_NEXT_ID, progs),
	       count_ids(BPF_LINK_GET_NEXT_ID), heap_bytes());
	ck_assert_int_eq(count_fds(), fds);
	ck_assert_int_le(settle(BPF_PROG_GET_NEXT_ID, progs), progs);
	ck_assert_int_le(count_ids(BPF_LINK_GET_NEXT_ID), links);
	ck_assert_uint_eq(heap_bytes(), heap);
	feat_unref(layout_ctx);
}
END_TEST

int main(int argc, char **argv)
{
	const char *env = getenv("FEAT_ENDURANCE_CYCLES");
	Suite *s;
	TCase *tc;

	/* glibc's per-thread cache keeps freed chunks that mallinfo2()
	 * counts as in use, and fills over the first cycles: without it, the
	 * heap count is exact. */
	if (!getenv("GLIBC_TUNABLES") && argc > 0) {
		setenv("GLIBC_TUNABLES", "glibc.malloc.tcache_count=0", 1);
		execv("/proc/self/exe", argv);
	}
	s = suite_create("endurance");
	tc = tcase_create("cycles");
	if (geteuid() != 0)
		test_skip("endurance: needs root (BPF probes and the system's BPF object ids)");
	if (env && *env)
		cycles = strtol(env, NULL, 10);
	tcase_set_timeout(tc, 3600);
	tcase_add_test(tc, test_endurance);
	suite_add_tcase(s, tc);
	return test_run_suite(s, CK_NOFORK) ? EXIT_FAILURE : EXIT_SUCCESS;
}
