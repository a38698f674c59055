// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Access code: a target variable ("$prev->pid") as BPF instructions for
 * one backend. Skeleton: the implementation is being written.
 */
#include <errno.h>
#include <stdlib.h>

#include "feat.h"

FEAT_API int feat_access_compile(const struct feat_layout *layout, const char *expr,
				 enum feat_backend backend,
				 const struct feat_access_opts *opts,
				 struct feat_access **access)
{
	(void)layout, (void)expr, (void)backend, (void)opts;
	*access = NULL;
	return -ENOSYS;
}

FEAT_API const struct bpf_insn *feat_access_insns(const struct feat_access *access, size_t *count)
{
	(void)access;
	*count = 0;
	return NULL;
}

FEAT_API const struct feat_access_type *feat_access_type(const struct feat_access *access)
{
	(void)access;
	return NULL;
}

FEAT_API unsigned int feat_access_regs(const struct feat_access *access)
{
	(void)access;
	return 0;
}

FEAT_API int feat_access_asm(const struct feat_access *access, char **text)
{
	(void)access;
	*text = NULL;
	return -ENOSYS;
}

FEAT_API int feat_access_json(const struct feat_access *access, char **text)
{
	(void)access;
	*text = NULL;
	return -ENOSYS;
}

FEAT_API void feat_access_free(struct feat_access *access)
{
	free(access);
}
