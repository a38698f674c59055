// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The tracefs format-file parser (libfeat/format.c): the input is the text
 * of events/SYS/NAME/format; every field parsed is checked against what the
 * parser promises and its type taken apart as the layout resolver does.
 */
#include "fuzz-util.h"
#include "layout-internal.h"

static struct feat_ctx *ctx;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct feat_opts o;

	(void)argc;
	(void)argv;
	fuzz_opts(&o);
	ctx = feat_new(&o);
	if (!ctx)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feat_format fmt;
	char errbuf[300];
	char *text;
	int r;

	if (size > (1u << 16))
		return 0;
	text = fuzz_strndup(data, size);
	errbuf[0] = '\0';
	r = feat_format_parse(ctx, text, "fuzz/format", &fmt, errbuf, sizeof(errbuf));
	if (r == 0) {
		if (fmt.n_common == 0 || fmt.n_common > fmt.n_fields)
			abort();
		fuzz_touch(fmt.name);
		for (size_t i = 0; i < fmt.n_fields; i++) {
			const struct feat_layout_field *f = &fmt.fields[i];
			struct feat_ctype c;

			if (!f->name || !f->type || !*f->type)
				abort();
			if (f->offset + f->size > fmt.size)
				abort();
			if (f->dynamic && f->size != 4)
				abort();
			feat_ctype_parse(NULL, NULL, f->type, &c);
			fuzz_touch(c.base);
			feat_builtin_size(f->type);
		}
		feat_format_release(&fmt);
	} else if (r == -EBADMSG) {
		if (!errbuf[0])
			abort();
	} else if (r != -ENOMEM) {
		abort();
	}
	free(text);
	return 0;
}
