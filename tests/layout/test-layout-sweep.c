// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Every event of the running kernel: the classic layout libfeat parses from
 * the format file equals libtraceevent's parse of the same file (offset,
 * size, signedness, array length, dynamic kind, name, element type).
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tep-compare.h"
#include "testutil.h"

static struct feat_ctx *ctx;
static struct feat_catalog *cat;
static int tfd = -1;

START_TEST(test_sweep)
{
	struct tep_handle *tep = tep_alloc();
	unsigned int events = 0, fields = 0, mismatches = 0, dynamic = 0, narrow = 0;

	ck_assert_ptr_nonnull(tep);
	for (size_t i = 0; i < feat_catalog_count(cat); i++) {
		const struct feat_tracepoint *tp = feat_catalog_get(cat, i);
		char path[600], *text;
		size_t size;
		int fd, r;

		if (!tp->system)
			continue;
		snprintf(path, sizeof(path), "events/%s/%s/format", tp->system, tp->name);
		fd = openat(tfd, path, O_RDONLY | O_CLOEXEC);
		ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
		ck_assert_int_eq(feat_read_fd(fd, 1u << 20, &text, &size), 0);
		close(fd);
		r = tep_compare_format(ctx, tep, path, tp->system, text, size, &fields, &dynamic);
		ck_assert_msg(r >= 0, "%s could not be parsed", path);
		mismatches += (unsigned int)r;
		events++;
		/* The narrow syscall args, counted through the layout. */
		if (strcmp(tp->system, "syscalls") == 0) {
			struct feat_layout *l;

			ck_assert_int_eq(feat_catalog_layout(cat, i, FEAT_FORM_CLASSIC, &l), 0);
			for (size_t j = 0; j < feat_layout_field_count(l); j++) {
				const struct feat_layout_field *f = feat_layout_field(l, j);

				narrow += f->type_size && f->type_size < f->size;
			}
			feat_layout_free(l);
		}
		free(text);
	}
	printf("sweep: %u events, %u fields (%u dynamic, %u syscall args narrower than their slot) "
	       "compared with libtraceevent: %u mismatches\n",
	       events, fields, dynamic, narrow, mismatches);
	tep_free(tep);
	ck_assert_uint_gt(events, 0);
	ck_assert_uint_eq(mismatches, 0);
}
END_TEST

int main(void)
{
	Suite *s;
	TCase *tc;
	int failed, r;

	ctx = feat_new(NULL);
	if (!ctx)
		test_skip("feat_new: %s", strerror(errno));
	tfd = feat_tracefs_open(ctx);
	if (tfd < 0)
		test_skip("no tracefs: %s", strerror(-tfd));
	r = feat_catalog_new(ctx, &cat);
	if (r < 0)
		test_skip("no catalog: %s", strerror(-r));
	if (faccessat(tfd, "events/sched/sched_switch/format", R_OK, 0) < 0)
		test_skip("tracefs events are not readable: %s", strerror(errno));

	s = suite_create("layout-sweep");
	tc = tcase_create("sweep");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_sweep);
	suite_add_tcase(s, tc);
	failed = test_run_suite(s, CK_NOFORK);
	feat_catalog_free(cat);
	close(tfd);
	feat_unref(ctx);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
