// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Classic layouts from BTF alone (an offline context given only the BTF
 * file: it never opens tracefs) agree with the tracefs layouts of the
 * running kernel for every event they resolve; the events BTF cannot
 * resolve are counted and listed with the reason (their candidates).
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "feat.h"
#include "testutil.h"

static struct feat_ctx *live, *offline;
static struct feat_catalog *cat, *offcat;

static int compare(const char *name, const struct feat_layout *t, const struct feat_layout *b)
{
	int bad = 0;

	if (feat_layout_field_count(t) != feat_layout_field_count(b)) {
		printf("MISMATCH %s: %zu fields in tracefs, %zu from BTF\n", name,
		       feat_layout_field_count(t), feat_layout_field_count(b));
		return 1;
	}
	for (size_t i = 0; i < feat_layout_field_count(t); i++) {
		const struct feat_layout_field *x = feat_layout_field(t, i), *y = feat_layout_field(b, i);

		if (strcmp(x->name, y->name) != 0 || x->offset != y->offset || x->size != y->size ||
		    x->is_signed != y->is_signed || x->array != y->array || x->dynamic != y->dynamic ||
		    x->common != y->common) {
			printf("MISMATCH %s.%s: tracefs %s off %u size %u signed %d array %ld dyn %d; "
			       "BTF %s off %u size %u signed %d array %ld dyn %d\n",
			       name, x->name, x->type, x->offset, x->size, x->is_signed, x->array,
			       x->dynamic, y->type, y->offset, y->size, y->is_signed, y->array, y->dynamic);
			bad++;
		}
	}
	return bad;
}

START_TEST(test_offline)
{
	unsigned int checked = 0, resolved = 0, unresolved = 0, mismatches = 0, fields = 0;
	unsigned int ambiguous = 0, listed = 0;

	for (size_t i = 0; i < feat_catalog_count(cat); i++) {
		const struct feat_tracepoint *tp = feat_catalog_get(cat, i);
		const struct feat_tracepoint *otp;
		struct feat_layout *t, *b;
		int r;

		if (!tp->classic || !tp->raw)
			continue; /* syscalls:* and ftrace:* have no BTF struct */
		checked++;
		ck_assert_int_eq(feat_catalog_layout(cat, i, FEAT_FORM_CLASSIC, &t), 0);
		r = feat_catalog_find(offcat, tp->name, &otp);
		ck_assert_msg(r == 0, "offline catalog %s: %s", tp->name, strerror(-r));
		r = feat_catalog_layout(offcat, (size_t)(otp - feat_catalog_get(offcat, 0)),
					FEAT_FORM_CLASSIC, &b);
		ck_assert_msg(r == 0, "offline %s: %s", tp->name, strerror(-r));
		ck_assert_int_eq(otp->classic, feat_layout_has(b, FEAT_FORM_CLASSIC));
		if (!feat_layout_has(b, FEAT_FORM_CLASSIC)) {
			const char *why = feat_layout_missing(b, FEAT_FORM_CLASSIC);

			unresolved++;
			ambiguous += strstr(why, "candidates") != NULL;
			if (listed++ < 50)
				printf("unresolved %s:%s: %s\n", tp->system, tp->name, why);
		} else {
			ck_assert_msg(strncmp(feat_layout_classic_source(b), "BTF ", 4) == 0,
				      "%s: offline source %s", tp->name, feat_layout_classic_source(b));
			resolved++;
			fields += (unsigned int)feat_layout_field_count(b);
			mismatches += (unsigned int)compare(tp->name, t, b);
		}
		feat_layout_free(b);
		feat_layout_free(t);
	}
	if (listed > 50)
		printf("... and %u more unresolved\n", listed - 50);
	printf("offline: %u events with a BTF raw form; %u laid out from BTF alone (%u fields), "
	       "%u mismatches with tracefs; %u unresolved (%u ambiguous between classes)\n",
	       checked, resolved, fields, mismatches, unresolved, ambiguous);
	ck_assert_uint_gt(resolved, 0);
	ck_assert_uint_eq(mismatches, 0);
}
END_TEST

int main(void)
{
	struct feat_opts o = { .sz = sizeof(o), .btf = "/sys/kernel/btf/vmlinux" };
	Suite *s;
	TCase *tc;
	int failed, r, fd;

	if (access(o.btf, R_OK) < 0)
		test_skip("%s: %s", o.btf, strerror(errno));
	live = feat_new(NULL);
	offline = feat_new(&o);
	if (!live || !offline)
		test_skip("feat_new: %s", strerror(errno));
	fd = feat_tracefs_open(live);
	if (fd < 0)
		test_skip("no tracefs: %s", strerror(-fd));
	close(fd);
	/* The offline context must not reach tracefs at all. */
	if (feat_tracefs_open(offline) >= 0) {
		printf("an offline context opened tracefs\n");
		return EXIT_FAILURE;
	}
	r = feat_catalog_new(live, &cat);
	if (r < 0)
		test_skip("no catalog: %s", strerror(-r));
	r = feat_catalog_new(offline, &offcat);
	if (r < 0) {
		printf("no offline catalog from BTF alone: %s\n", strerror(-r));
		return EXIT_FAILURE;
	}

	s = suite_create("layout-offline");
	tc = tcase_create("offline");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_offline);
	suite_add_tcase(s, tc);
	failed = test_run_suite(s, CK_NOFORK);
	feat_catalog_free(cat);
	feat_catalog_free(offcat);
	feat_unref(offline);
	feat_unref(live);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
