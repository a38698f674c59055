// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "feat-internal.h"

struct feat_result_buf *feat_result_begin(struct feat_ctx *ctx,
					  enum feat_id id)
{
	struct feat_result_buf *r = &ctx->results[id];

	memset(r, 0, sizeof(*r));
	r->pub.sz = sizeof(r->pub);
	r->pub.id = id;
	r->pub.detail = r->detail;
	r->pub.source = r->source;
	return r;
}

static void vappend(char *buf, size_t size, const char *format, va_list args)
{
	size_t len = strnlen(buf, size);

	if (len + 1 < size)
		vsnprintf(buf + len, size - len, format, args);
}

void feat_result_set(struct feat_result_buf *r, enum feat_state state,
		     int err, const char *format, ...)
{
	va_list args;

	r->pub.state = state;
	r->pub.err = err;
	r->detail[0] = '\0';
	va_start(args, format);
	vappend(r->detail, sizeof(r->detail), format, args);
	va_end(args);
}

void feat_result_append(struct feat_result_buf *r, const char *format, ...)
{
	va_list args;

	va_start(args, format);
	vappend(r->detail, sizeof(r->detail), format, args);
	va_end(args);
}

void feat_result_source(struct feat_result_buf *r, const char *format, ...)
{
	va_list args;

	r->source[0] = '\0';
	va_start(args, format);
	vappend(r->source, sizeof(r->source), format, args);
	va_end(args);
}

/* An offline context probes nothing live: unknown, with ENODEV (the
 * kernel in question is not the one running here). Callers append the
 * static evidence. */
void feat_result_offline(struct feat_result_buf *r)
{
	feat_result_set(r, FEAT_UNKNOWN, ENODEV, "not probed: offline target");
	feat_result_source(r, "static evidence");
}

void feat_result_kernel(struct feat_result_buf *r, enum feat_state kernel,
			bool is_static)
{
	r->pub.kernel = kernel;
	r->pub.kernel_static = is_static;
}

/* The errno's symbolic name ("EPERM"), for JSON and reports; NULL for 0. */
const char *errno_name(int err)
{
	const char *name;

	if (err == 0)
		return NULL;
	name = strerrorname_np(err);
	return name ? name : "EUNKNOWN";
}
