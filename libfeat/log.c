// SPDX-License-Identifier: LGPL-2.1-or-later
#include <stdarg.h>
#include <stdio.h>

#include "feat-internal.h"

void feat_log(struct feat_ctx *ctx, int priority, const char *file, int line,
	      const char *fn, const char *format, ...)
{
	va_list args;

	va_start(args, format);
	if (ctx->log_fn) {
		ctx->log_fn(ctx->log_data, priority, file, line, fn, format,
			    args);
	} else {
		fprintf(stderr, "libfeat: %s: ", fn);
		vfprintf(stderr, format, args);
	}
	va_end(args);
}
