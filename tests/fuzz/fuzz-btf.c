// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * vmlinux BTF as a file (feat_opts.btf): the narrow scanner
 * (feat_btf_find_id, probes/btf.c), the header check of the btf probe, and
 * the static evidence read through libbpf's full parse
 * (feat_btf_enum_has, the tp_btf and raw_tp probes offline).
 */
#include <linux/btf.h>

#include "fuzz-util.h"
#include "feat-internal.h"

static struct fuzz_file file;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_file_init(&file, "fuzz-btf");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct {
		const char *name;
		int kind;
	} lookups[] = {
		{ "btf_trace_sched_switch", BTF_KIND_TYPEDEF },
		{ "task_struct", BTF_KIND_STRUCT },
		{ "bpf_prog_type", BTF_KIND_ENUM },
		{ "", BTF_KIND_INT },
		{ "x", 19 /* BTF_KIND_ENUM64 */ },
	};
	const struct feat_result *r;
	struct feat_opts o;
	struct feat_ctx *ctx;
	uint32_t id;

	if (size > (1u << 20))
		return 0;
	fuzz_file_set(&file, data, size);
	fuzz_opts(&o);
	o.btf = file.path;

	/* The scanner alone, before any full parse exists. */
	ctx = feat_new(&o);
	if (!ctx)
		abort();
	for (size_t i = 0; i < sizeof(lookups) / sizeof(lookups[0]); i++)
		feat_btf_find_id(ctx, lookups[i].name, lookups[i].kind, &id);
	feat_unref(ctx);

	/* The probes, then static evidence from libbpf's parse. */
	ctx = feat_new(&o);
	if (!ctx)
		abort();
	r = feat_probe(ctx, FEAT_BTF);
	fuzz_touch(r->detail);
	feat_btf_enum_has(ctx, "bpf_prog_type", "BPF_PROG_TYPE_TRACING");
	feat_btf_enum_has(ctx, "bpf_attach_type", "BPF_TRACE_RAW_TP");
	r = feat_probe(ctx, FEAT_TP_BTF);
	fuzz_touch(r->detail);
	r = feat_probe(ctx, FEAT_RAW_TP);
	fuzz_touch(r->detail);
	feat_btf_find_id(ctx, "btf_trace_sched_switch", BTF_KIND_TYPEDEF, &id);
	feat_unref(ctx);
	return 0;
}
