/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Compare libfeat's classic fields with libtraceevent's (the test oracle). */
#ifndef LAYOUT_TEP_COMPARE_H
#define LAYOUT_TEP_COMPARE_H

#include <stdio.h>
#include <string.h>

#include <traceevent/event-parse.h>

#include "layout-internal.h"

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

/*
 * Parse @text with both parsers and compare every field; returns the
 * number of mismatches (printed), or -1 when a parser refused the file.
 */
static int tep_compare_format(struct feat_ctx *ctx, struct tep_handle *tep, const char *path,
			      const char *system, const char *text, size_t size,
			      unsigned int *fields, unsigned int *dynamic)
{
	struct tep_event *ev = NULL;
	struct tep_format_field *tf;
	struct feat_format fmt;
	char errbuf[300];
	int bad = 0;

	if (feat_format_parse(ctx, text, path, &fmt, errbuf, sizeof(errbuf)) < 0) {
		printf("libfeat cannot parse %s: %s\n", path, errbuf);
		return -1;
	}
	if (tep_parse_format(tep, &ev, text, size, system) != 0 || !ev) {
		printf("libtraceevent cannot parse %s\n", path);
		feat_format_release(&fmt);
		return -1;
	}
	if (fmt.n_common != (size_t)ev->format.nr_common ||
	    fmt.n_fields - fmt.n_common != (size_t)ev->format.nr_fields) {
		printf("MISMATCH %s: field counts %zu+%zu, libtraceevent %d+%d\n", path, fmt.n_common,
		       fmt.n_fields - fmt.n_common, ev->format.nr_common, ev->format.nr_fields);
		feat_format_release(&fmt);
		return 1;
	}
	tf = ev->format.common_fields;
	for (size_t j = 0; j < fmt.n_fields; j++) {
		if (j == fmt.n_common)
			tf = ev->format.fields;
		bad += compare_field(path, &fmt.fields[j], tf);
		(*fields)++;
		*dynamic += fmt.fields[j].dynamic != FEAT_DYNAMIC_NONE;
		tf = tf->next;
	}
	feat_format_release(&fmt);
	return bad;
}

#endif
