// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * tp_btf: what the backend really uses, a BPF_PROG_TYPE_TRACING program with
 * expected_attach_type BPF_TRACE_RAW_TP and attach_btf_id = the id of typedef
 * btf_trace_<tracepoint> in vmlinux BTF (5.5, kernel commit "bpf:
 * Add support for BTF pointers to tracing"), loaded and attached with
 * BPF_RAW_TRACEPOINT_OPEN. Probing TRACING as fentry, as
 * libbpf_probe_bpf_prog_type() does, answers a different question: fentry
 * can be refused where tp_btf works.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <linux/btf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "probes.h"

static const char *const tp_btf_typedefs[] = {
	"btf_trace_sched_switch", "btf_trace_sys_enter",
	"btf_trace_sched_process_exit", NULL,
};

static const char *const tp_btf_configs[] = {
	"CONFIG_BPF_EVENTS", "CONFIG_DEBUG_INFO_BTF", NULL,
};

static const struct feat_static_spec tp_btf_spec = {
	tp_btf_configs, "BPF_PROG_TYPE_TRACING", "BPF_TRACE_RAW_TP", 5, 5,
};

void probe_tp_btf(struct feat_ctx *ctx, struct feat_result_buf *r)
{
	const struct feat_result *bpf, *btf;
	const char *name = NULL;
	uint32_t id = 0;
	char log[256];
	int fd, lfd, e = -ENOENT;

	if (ctx->flags & FEAT_F_OFFLINE) {
		feat_result_offline(r);
		feat_static_bpf(ctx, r, &tp_btf_spec);
		return;
	}
	feat_result_source(r, "bpf(BPF_PROG_LOAD, TRACING, BPF_TRACE_RAW_TP) + BPF_RAW_TRACEPOINT_OPEN");
	bpf = feat_probe(ctx, FEAT_BPF);
	if (bpf->state == FEAT_NO) {
		feat_result_set(r, FEAT_NO, bpf->err, "no bpf() system call");
		feat_result_kernel(r, FEAT_NO, false);
		return;
	}
	btf = feat_probe(ctx, FEAT_BTF);
	if (btf->state != FEAT_YES) {
		feat_result_set(r, btf->state, btf->err,
				"tp_btf needs vmlinux BTF: %s", btf->detail);
		feat_result_kernel(r, btf->kernel, btf->kernel_static);
		return;
	}
	for (size_t i = 0; tp_btf_typedefs[i]; i++) {
		e = feat_btf_find_id(ctx, tp_btf_typedefs[i], BTF_KIND_TYPEDEF, &id);
		if (e == 0) {
			name = tp_btf_typedefs[i];
			break;
		}
		if (e != -ENOENT)
			break;
	}
	if (e == -ENOENT) {
		/* BTF without btf_trace_* typedefs: the kernel cannot resolve
		 * a tp_btf attach target (they came with 5.5). */
		feat_result_set(r, FEAT_NO, ENOENT,
				"vmlinux BTF has no btf_trace_<tracepoint> typedefs");
		feat_result_kernel(r, FEAT_NO, false);
		return;
	}
	if (e < 0) {
		feat_result_set(r, FEAT_UNKNOWN, -e, "cannot read vmlinux BTF: %s",
				strerror(-e));
		return;
	}
	fd = feat_bpf_load_trivial(ctx, BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP,
				   id, log, sizeof(log));
	if (fd == -EINVAL && ctx->btf_id_cached) {
		uint32_t fresh;

		/* The kernel refused an id from the per-boot cache: find it
		 * again the long way before believing the refusal. */
		ctx->btf_cache_distrust = true;
		if (feat_btf_find_id(ctx, name, BTF_KIND_TYPEDEF, &fresh) == 0 && fresh != id) {
			id = fresh;
			fd = feat_bpf_load_trivial(ctx, BPF_PROG_TYPE_TRACING,
						   BPF_TRACE_RAW_TP, id, log, sizeof(log));
		}
	}
	if (fd < 0) {
		char what[128];

		snprintf(what, sizeof(what), "load with attach_btf_id %u (%s)", id, name);
		feat_result_load_refused(ctx, r, &tp_btf_spec, -fd, log, what);
		return;
	}
	/* For a TRACING program the target comes from the load: no name. */
	lfd = bpf_raw_tracepoint_open(NULL, fd);
	e = lfd < 0 ? -errno : 0;
	if (lfd >= 0)
		close(lfd);
	close(fd);
	feat_result_kernel(r, FEAT_YES, false);
	if (e < 0) {
		feat_result_set(r, FEAT_UNKNOWN, -e,
				"loaded on %s (BTF id %u), but attach failed: %s",
				name + strlen("btf_trace_"), id, strerror(-e));
		return;
	}
	feat_result_set(r, FEAT_YES, 0, "loaded and attached to %s (BTF id %u)",
			name + strlen("btf_trace_"), id);
}
