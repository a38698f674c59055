/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The access-expression parser, shared with its fuzz harness. Not installed. */
#ifndef LIBFEAT_ACCESS_INTERNAL_H
#define LIBFEAT_ACCESS_INTERNAL_H

#include <stddef.h>

#define FEAT_ACCESS_NAME_MAX 128
#define FEAT_ACCESS_OPS_MAX 32

enum feat_access_op_kind {
	FEAT_OP_ARROW,	/* ->member */
	FEAT_OP_DOT,	/* .member */
	FEAT_OP_INDEX,	/* [N] */
};

struct feat_access_op {
	enum feat_access_op_kind kind;
	char name[FEAT_ACCESS_NAME_MAX];
	unsigned long index;
};

struct feat_access_expr {
	char name[FEAT_ACCESS_NAME_MAX];
	struct feat_access_op ops[FEAT_ACCESS_OPS_MAX];
	size_t n_ops;
};

/*
 * Parse "$NAME" followed by "->MEMBER", ".MEMBER", "[N]" (blanks allowed
 * between tokens). Returns 0, or -EINVAL with the reason (naming the column)
 * in @why.
 */
int feat_access_parse(const char *text, struct feat_access_expr *expr, char *why,
		      size_t why_size);

#endif
