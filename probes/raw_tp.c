// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * raw_tp: load a minimal BPF_PROG_TYPE_RAW_TRACEPOINT program and
 * BPF_RAW_TRACEPOINT_OPEN it (4.17, kernel commit "bpf: introduce
 * BPF_RAW_TRACEPOINT"), closing both at once.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "probes.h"

/* Tracepoints every kernel since 4.17 has, most common first. */
static const char *const raw_tp_names[] = {
	"sched_switch", "sys_enter", "sched_process_exit", NULL,
};

static const char *const raw_tp_configs[] = { "CONFIG_BPF_EVENTS", NULL };
static const struct feat_static_spec raw_tp_spec = {
	raw_tp_configs, "BPF_PROG_TYPE_RAW_TRACEPOINT", NULL, 4, 17,
};

static int attach_first(int prog_fd, const char *const *names,
			const char **attached)
{
	int r = -ENOENT;

	for (; *names; names++) {
		int fd = bpf_raw_tracepoint_open(*names, prog_fd);

		if (fd >= 0) {
			close(fd);
			*attached = *names;
			return 0;
		}
		r = -errno;
		/* ENOENT: no such tracepoint here; try the next one. */
		if (r != -ENOENT)
			return r;
	}
	return r;
}

void probe_raw_tp(struct feat_ctx *ctx, struct feat_result_buf *r)
{
	const struct feat_result *bpf;
	const char *name = NULL;
	char log[256];
	int fd, e;

	if (ctx->flags & FEAT_F_OFFLINE) {
		feat_result_offline(r);
		feat_static_bpf(ctx, r, &raw_tp_spec);
		return;
	}
	bpf = feat_probe(ctx, FEAT_BPF);
	feat_result_source(r, "bpf(BPF_PROG_LOAD, RAW_TRACEPOINT) + BPF_RAW_TRACEPOINT_OPEN");
	if (bpf->state == FEAT_NO) {
		feat_result_set(r, FEAT_NO, bpf->err, "no bpf() system call");
		feat_result_kernel(r, FEAT_NO, false);
		return;
	}
	fd = feat_bpf_load_trivial(ctx, BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 0, log,
				   sizeof(log));
	if (fd < 0) {
		feat_result_load_refused(ctx, r, &raw_tp_spec, -fd, log, "load");
		return;
	}
	e = attach_first(fd, raw_tp_names, &name);
	close(fd);
	/* The load succeeded: the kernel has the program type whatever the
	 * attach says. */
	feat_result_kernel(r, FEAT_YES, false);
	if (e < 0) {
		feat_result_set(r, FEAT_UNKNOWN, -e,
				"loaded, but BPF_RAW_TRACEPOINT_OPEN failed: %s",
				strerror(-e));
		return;
	}
	feat_result_set(r, FEAT_YES, 0, "loaded and attached to %s", name);
}
