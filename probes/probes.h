/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef LIBFEAT_PROBES_H
#define LIBFEAT_PROBES_H

#include "feat-internal.h"

/*
 * The probe table: one entry per enum feat_id, one file per probe. A probe
 * fills the result it is handed; it may ask other probes for theirs
 * (feat_probe()), never the decision or anything above it.
 */
struct feat_probe_def {
	enum feat_id id;
	const char *name;
	void (*run)(struct feat_ctx *ctx, struct feat_result_buf *r);
};

void probe_kversion(struct feat_ctx *ctx, struct feat_result_buf *r);
void probe_kconfig(struct feat_ctx *ctx, struct feat_result_buf *r);
void probe_btf(struct feat_ctx *ctx, struct feat_result_buf *r);
void probe_bpf(struct feat_ctx *ctx, struct feat_result_buf *r);
void probe_raw_tp(struct feat_ctx *ctx, struct feat_result_buf *r);
void probe_tp_btf(struct feat_ctx *ctx, struct feat_result_buf *r);
void probe_tracepoint(struct feat_ctx *ctx, struct feat_result_buf *r);
void probe_tracefs(struct feat_ctx *ctx, struct feat_result_buf *r);
void probe_lockdown(struct feat_ctx *ctx, struct feat_result_buf *r);
void probe_kmod(struct feat_ctx *ctx, struct feat_result_buf *r);

extern const struct feat_probe_def feat_probes[_FEAT_ID_COUNT];

#endif
