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

#include <traceevent/event-parse.h>

#include "layout-internal.h"
#include "testutil.h"

static struct feat_ctx *ctx;
static struct feat_catalog *cat;
static int tfd = -1;

/* libtraceevent writes "char[16]" and "__data_loc char[]": the element. */
static void tep_element_type(const struct tep_format_field *f, char *buf, size_t size)
{
	const char *t = f->type;
	char *b;

	if (strncmp(t, "__data_loc ", 11) == 0)
		t += 11;
	else if (strncmp(t, "__rel_loc ", 10) == 0)
		t += 10;
	snprintf(buf, size, "%s", t);
	b = strchr(buf, '[');
	if (b)
		*b = '\0';
	for (size_t n = strlen(buf); n && buf[n - 1] == ' '; n--)
		buf[n - 1] = '\0';
}

/* libtraceevent re-joins tokens ("const char * const *"); the file may
 * write "const char *const *": compare without blanks around '*'. */
static void squeeze_stars(const char *in, char *out, size_t size)
{
	size_t n = 0;

	for (const char *p = in; *p && n + 1 < size; p++) {
		if (*p == ' ' && (p[1] == '*' || (n && out[n - 1] == '*')))
			continue;
		out[n++] = *p;
	}
	out[n] = '\0';
}

static int compare_field(const char *event, const struct feat_layout_field *m,
			 const struct tep_format_field *t)
{
	bool dyn = t->flags & TEP_FIELD_IS_DYNAMIC;
	bool rel = t->flags & TEP_FIELD_IS_RELATIVE;
	bool arr = (t->flags & TEP_FIELD_IS_ARRAY) && !dyn;
	enum feat_dynamic tdyn = dyn ? (rel ? FEAT_DYNAMIC_REL_LOC : FEAT_DYNAMIC_DATA_LOC)
				     : FEAT_DYNAMIC_NONE;
	char type[256], a[256], b[256];
	int bad = 0;

	tep_element_type(t, type, sizeof(type));
	squeeze_stars(m->type, a, sizeof(a));
	squeeze_stars(type, b, sizeof(b));
#define MISMATCH(what, fmt, a, b)                                                         \
	do {                                                                              \
		printf("MISMATCH %s.%s %s: libfeat " fmt ", libtraceevent " fmt "\n", event, \
		       m->name, what, a, b);                                              \
		bad++;                                                                    \
	} while (0)
	if (strcmp(m->name, t->name) != 0)
		MISMATCH("name", "%s", m->name, t->name);
	if (strcmp(a, b) != 0)
		MISMATCH("type", "'%s'", m->type, type);
	if ((int)m->offset != t->offset)
		MISMATCH("offset", "%u", m->offset, (unsigned int)t->offset);
	if ((int)m->size != t->size)
		MISMATCH("size", "%u", m->size, (unsigned int)t->size);
	if (m->is_signed != !!(t->flags & TEP_FIELD_IS_SIGNED))
		MISMATCH("signed", "%d", m->is_signed, !!(t->flags & TEP_FIELD_IS_SIGNED));
	if (m->dynamic != tdyn)
		MISMATCH("dynamic", "%d", (int)m->dynamic, (int)tdyn);
	if ((m->array >= 0) != arr)
		MISMATCH("array", "%ld", m->array, arr ? (long)t->arraylen : -1L);
	else if (arr && m->array != (long)t->arraylen)
		MISMATCH("array length", "%ld", m->array, (long)t->arraylen);
	return bad;
}

START_TEST(test_sweep)
{
	struct tep_handle *tep = tep_alloc();
	unsigned int events = 0, fields = 0, mismatches = 0, dynamic = 0, narrow = 0;

	ck_assert_ptr_nonnull(tep);
	for (size_t i = 0; i < feat_catalog_count(cat); i++) {
		const struct feat_tracepoint *tp = feat_catalog_get(cat, i);
		struct tep_event *ev = NULL;
		struct tep_format_field *tf;
		struct feat_format fmt;
		char path[600], errbuf[300], *text;
		size_t size;
		int fd, r;

		if (!tp->system)
			continue;
		snprintf(path, sizeof(path), "events/%s/%s/format", tp->system, tp->name);
		fd = openat(tfd, path, O_RDONLY | O_CLOEXEC);
		ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
		ck_assert_int_eq(feat_read_fd(fd, 1u << 20, &text, &size), 0);
		close(fd);
		r = feat_format_parse(ctx, text, path, &fmt, errbuf, sizeof(errbuf));
		ck_assert_msg(r == 0, "libfeat cannot parse %s: %s", path, errbuf);
		ck_assert_msg(tep_parse_format(tep, &ev, text, size, tp->system) == 0 && ev,
			      "libtraceevent cannot parse %s", path);
		events++;
		ck_assert_int_eq(fmt.n_common, (size_t)ev->format.nr_common);
		ck_assert_int_eq(fmt.n_fields - fmt.n_common, (size_t)ev->format.nr_fields);
		tf = ev->format.common_fields;
		for (size_t j = 0; j < fmt.n_fields; j++) {
			if (j == fmt.n_common)
				tf = ev->format.fields;
			ck_assert_ptr_nonnull(tf);
			mismatches += (unsigned int)compare_field(path, &fmt.fields[j], tf);
			fields++;
			dynamic += fmt.fields[j].dynamic != FEAT_DYNAMIC_NONE;
			tf = tf->next;
		}
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
		feat_format_release(&fmt);
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
	SRunner *sr;
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
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	feat_catalog_free(cat);
	close(tfd);
	feat_unref(ctx);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
