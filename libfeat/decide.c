// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The backend decision: walk the preference order (feat.h says why it is
 * what it is), take the first backend whose probe says yes, and say for
 * every backend passed over why.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feat-internal.h"

#define REASON_MAX 640

struct feat_reason {
	enum feat_backend backend;
	char text[REASON_MAX];
};

/* The forms of the tracepoint a per-tracepoint choice is for. */
struct tp_forms {
	const char *name;
	bool classic, raw;
	const char *classic_missing, *raw_missing;
	const char *module; /* the kernel module it belongs to, or NULL */
	bool module_loaded;
};

struct feat_choice {
	enum feat_backend backend;
	size_t n_reasons;
	struct feat_reason reasons[_FEAT_BACKEND_COUNT];
};

static const char *const backend_names[_FEAT_BACKEND_COUNT] = {
	[FEAT_BACKEND_NONE] = "none",
	[FEAT_BACKEND_TP_BTF] = "tp_btf",
	[FEAT_BACKEND_RAW_TP] = "raw_tp",
	[FEAT_BACKEND_TRACEPOINT] = "tracepoint",
	[FEAT_BACKEND_KMOD] = "kmod",
};

static const enum feat_id backend_probe[_FEAT_BACKEND_COUNT] = {
	[FEAT_BACKEND_TP_BTF] = FEAT_TP_BTF,
	[FEAT_BACKEND_RAW_TP] = FEAT_RAW_TP,
	[FEAT_BACKEND_TRACEPOINT] = FEAT_TRACEPOINT,
	[FEAT_BACKEND_KMOD] = FEAT_KMOD,
};

FEAT_API const char *feat_backend_name(enum feat_backend backend)
{
	if ((unsigned int)backend >= _FEAT_BACKEND_COUNT)
		return NULL;
	return backend_names[backend];
}

FEAT_API int feat_backend_from_name(const char *name)
{
	if (!name)
		return -EINVAL;
	for (unsigned int i = 0; i < _FEAT_BACKEND_COUNT; i++)
		if (strcmp(backend_names[i], name) == 0)
			return (int)i;
	return -EINVAL;
}

static void _printf_(3, 4) add_reason(struct feat_choice *c, enum feat_backend b,
				      const char *format, ...)
{
	struct feat_reason *r = &c->reasons[c->n_reasons++];
	va_list args;

	r->backend = b;
	va_start(args, format);
	vsnprintf(r->text, sizeof(r->text), format, args);
	va_end(args);
}

/* Whether backend b is usable; says why in c either way. */
static bool consider(struct feat_ctx *ctx, const struct feat_policy *policy,
		    const struct tp_forms *tp, struct feat_choice *c,
		    enum feat_backend b)
{
	const struct feat_result *r;
	enum feat_state s;
	const char *name = backend_names[b];
	enum feat_lockdown lockdown = FEAT_LOCKDOWN_UNKNOWN;

	/* A module's tracepoint exists in the kernel once the module is
	 * loaded (tracepoint_module_notify()): until then nothing attaches. */
	if (tp && tp->module && !tp->module_loaded && !policy->kernel && b != FEAT_BACKEND_KMOD) {
		add_reason(c, b, "%s passed over: %s belongs to module %s, which is not loaded", name,
			   tp->name, tp->module);
		return false;
	}
	if (tp && (b == FEAT_BACKEND_TP_BTF || b == FEAT_BACKEND_RAW_TP) && !tp->raw) {
		add_reason(c, b, "%s passed over: %s has no raw form: %s", name,
			   tp->name, tp->raw_missing ? tp->raw_missing : "unknown why");
		return false;
	}
	if (tp && b == FEAT_BACKEND_TRACEPOINT && !tp->classic) {
		add_reason(c, b, "%s passed over: %s has no classic form: %s", name,
			   tp->name, tp->classic_missing ? tp->classic_missing : "unknown why");
		return false;
	}
	r = feat_probe(ctx, backend_probe[b]);
	s = policy->kernel ? r->kernel : r->state;
	if (s != FEAT_YES) {
		add_reason(c, b, "%s passed over: %s%s%s%s%s: %s", name,
			   policy->kernel ? "the kernel's support is " : "",
			   feat_state_name(s), r->err ? " (" : "",
			   r->err ? errno_name(r->err) : "", r->err ? ")" : "",
			   r->detail);
		return false;
	}
	if (!feat_is_offline(ctx))
		lockdown = feat_lockdown_level(ctx);
	if (lockdown == FEAT_LOCKDOWN_CONFIDENTIALITY) {
		/* security/lockdown: LOCKDOWN_BPF_READ_KERNEL takes
		 * bpf_probe_read_kernel away, LOCKDOWN_TRACEFS tracefs. */
		if (b == FEAT_BACKEND_RAW_TP) {
			add_reason(c, b, "raw_tp passed over: lockdown=confidentiality removes bpf_probe_read_kernel, so no argument could be dereferenced");
			return false;
		}
		if (b == FEAT_BACKEND_TRACEPOINT) {
			add_reason(c, b, "tracepoint passed over: lockdown=confidentiality closes tracefs, where event ids and formats come from");
			return false;
		}
	}
	add_reason(c, b, "%s chosen: %s%s", name,
		   policy->kernel ? "the kernel supports it: " : "", r->detail);
	return true;
}

FEAT_API int feat_backend_choose(struct feat_ctx *ctx,
				 const struct feat_policy *policy,
				 struct feat_choice **choice)
{
	static const enum feat_backend default_order[] = {
		FEAT_BACKEND_TP_BTF, FEAT_BACKEND_RAW_TP, FEAT_BACKEND_TRACEPOINT,
		FEAT_BACKEND_KMOD,
	};
	struct feat_policy p = { .sz = sizeof(p) };
	enum feat_backend order[_FEAT_BACKEND_COUNT - 1];
	bool used[_FEAT_BACKEND_COUNT] = { false };
	struct feat_layout *own_layout = NULL;
	const struct feat_tracepoint *t;
	struct tp_forms forms, *tp = NULL;
	struct feat_choice *c;
	size_t n = 0;
	int r;

	if (!ctx || !choice)
		return -EINVAL;
	if (policy) {
		if (policy->sz < offsetof(struct feat_policy, kernel))
			return -EINVAL;
		memcpy(&p, policy, policy->sz < sizeof(p) ? policy->sz : sizeof(p));
	}
	if ((unsigned int)p.force >= _FEAT_BACKEND_COUNT)
		return -EINVAL;
	if (p.force != FEAT_BACKEND_NONE) {
		order[n++] = p.force;
	} else {
		for (size_t i = 0; i < ARRAY_SIZE(p.order) && p.order[i]; i++) {
			if ((unsigned int)p.order[i] >= _FEAT_BACKEND_COUNT ||
			    used[p.order[i]])
				return -EINVAL;
			used[p.order[i]] = true;
			order[n++] = p.order[i];
		}
		if (n == 0) {
			memcpy(order, default_order, sizeof(default_order));
			n = ARRAY_SIZE(default_order);
		}
	}

	if (p.tracepoint) {
		/* Without a catalog, the one tracepoint's layout says which
		 * forms exist: one format file and the BTF the layouts need
		 * anyway, not every event of the kernel. */
		if (!p.catalog) {
			r = feat_layout_resolve(ctx, p.tracepoint, 0, &own_layout);
			if (r < 0)
				return r;
			t = feat_layout_tracepoint(own_layout);
		} else {
			r = feat_catalog_find(p.catalog, p.tracepoint, &t);
			if (r < 0)
				return r;
		}
		forms = (struct tp_forms){
			.name = p.tracepoint, .classic = t->classic, .raw = t->raw,
			.classic_missing = t->classic_missing, .raw_missing = t->raw_missing,
			.module = t->module, .module_loaded = t->module_loaded,
		};
		tp = &forms;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		feat_layout_free(own_layout);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		if (consider(ctx, &p, tp, c, order[i])) {
			c->backend = order[i];
			break;
		}
	}
	/* The reasons are copied: the layout's strings may go now. */
	feat_layout_free(own_layout);
	*choice = c;
	return 0;
}

FEAT_API enum feat_backend feat_choice_backend(const struct feat_choice *choice)
{
	return choice ? choice->backend : FEAT_BACKEND_NONE;
}

FEAT_API size_t feat_choice_reason_count(const struct feat_choice *choice)
{
	return choice ? choice->n_reasons : 0;
}

FEAT_API const char *feat_choice_reason(const struct feat_choice *choice,
					size_t i, enum feat_backend *backend)
{
	if (!choice || i >= choice->n_reasons)
		return NULL;
	if (backend)
		*backend = choice->reasons[i].backend;
	return choice->reasons[i].text;
}

FEAT_API void feat_choice_free(struct feat_choice *choice)
{
	free(choice);
}
