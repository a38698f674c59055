// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Layout resolution over mutated BTF (feat_opts.btf, offline: the raw
 * form only): the catalog, feat_layout_resolve() of a few tracepoints and
 * their C and JSON text, which goes through libbpf's btf_dump.
 */
#include "fuzz-util.h"

static struct fuzz_file file;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_file_init(&file, "fuzz-layout");
	return 0;
}

static void use(struct feat_layout *l)
{
	const struct feat_tracepoint *tp = feat_layout_tracepoint(l);
	char *text;

	fuzz_touch(tp->name);
	fuzz_touch(tp->raw_missing);
	fuzz_touch(tp->classic_missing);
	for (size_t i = 0; i < feat_layout_arg_count(l); i++) {
		const struct feat_layout_arg *a = feat_layout_arg(l, i);

		fuzz_touch(a->name);
		fuzz_touch(a->type);
		fuzz_touch(a->pointee);
	}
	if (feat_layout_json(l, 0, &text) == 0)
		free(text);
	if (feat_layout_c(l, FEAT_FORM_BOTH, NULL, &text) == 0)
		free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "sched_switch", "sys_enter", "x" };
	struct feat_catalog *cat;
	struct feat_layout *l;
	struct feat_opts o;
	struct feat_ctx *ctx;

	if (size > (1u << 20))
		return 0;
	fuzz_file_set(&file, data, size);
	fuzz_opts(&o);
	o.btf = file.path;
	ctx = feat_new(&o);
	if (!ctx)
		abort();
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (feat_layout_resolve(ctx, names[i], 0, &l) == 0) {
			use(l);
			feat_layout_free(l);
		}
	}
	if (feat_catalog_new(ctx, &cat) == 0) {
		size_t n = feat_catalog_count(cat);
		const char *near[3];

		for (size_t i = 0; i < n && i < 8; i++) {
			const struct feat_tracepoint *tp = feat_catalog_get(cat, i);

			fuzz_touch(tp->name);
			if (feat_catalog_layout(cat, i, FEAT_FORM_RAW, &l) == 0) {
				use(l);
				feat_layout_free(l);
			}
		}
		feat_catalog_suggest(cat, "sched_swich", near, 3);
		feat_catalog_free(cat);
	}
	feat_unref(ctx);
	return 0;
}
