// SPDX-License-Identifier: LGPL-2.1-or-later
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "feat-internal.h"
#include "probes.h"

const struct feat_probe_def feat_probes[_FEAT_ID_COUNT] = {
	[FEAT_KVERSION] = { FEAT_KVERSION, "kversion", probe_kversion },
	[FEAT_KCONFIG] = { FEAT_KCONFIG, "kconfig", probe_kconfig },
	[FEAT_BTF] = { FEAT_BTF, "btf", probe_btf },
	[FEAT_BPF] = { FEAT_BPF, "bpf", probe_bpf },
	[FEAT_RAW_TP] = { FEAT_RAW_TP, "raw_tp", probe_raw_tp },
	[FEAT_TP_BTF] = { FEAT_TP_BTF, "tp_btf", probe_tp_btf },
	[FEAT_TRACEPOINT] = { FEAT_TRACEPOINT, "tracepoint", probe_tracepoint },
	[FEAT_TRACEFS] = { FEAT_TRACEFS, "tracefs", probe_tracefs },
	[FEAT_LOCKDOWN] = { FEAT_LOCKDOWN, "lockdown", probe_lockdown },
	[FEAT_KMOD] = { FEAT_KMOD, "kmod", probe_kmod },
};

static int log_priority_parse(const char *s)
{
	char *end;
	long prio;

	if (!s || !*s)
		return LOG_ERR;
	prio = strtol(s, &end, 10);
	if (*end == '\0' && prio >= 0 && prio <= LOG_DEBUG)
		return (int)prio;
	if (strncmp(s, "err", 3) == 0)
		return LOG_ERR;
	if (strncmp(s, "info", 4) == 0)
		return LOG_INFO;
	if (strncmp(s, "debug", 5) == 0)
		return LOG_DEBUG;
	return LOG_ERR;
}

static int dup_opt(char **dst, const char *src)
{
	if (!src)
		return 0;
	*dst = strdup(src);
	return *dst ? 0 : -ENOMEM;
}

/* One kernel release named by the files of @dir/@sub (@prefix-R entries,
 * or every directory when @prefix is NULL); each new one is kept in
 * @found (up to 2: more only makes it ambiguous). */
static int target_scan(struct feat_ctx *ctx, const char *dir, const char *sub,
		       const char *prefix, char found[2][128], unsigned int *n)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	d = opendir(path);
	if (!d)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
	while ((de = readdir(d))) {
		const char *r = de->d_name;
		bool seen = false;

		if (r[0] == '.')
			continue;
		if (prefix) {
			if (strncmp(r, prefix, strlen(prefix)) != 0)
				continue;
			r += strlen(prefix);
		} else if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN) {
			continue;
		}
		if (!*r || strlen(r) >= 128)
			continue;
		for (unsigned int i = 0; i < *n && i < 2; i++)
			seen |= strcmp(found[i], r) == 0;
		if (seen)
			continue;
		info(ctx, "target %s: release %s (%s/%s)\n", dir, r, sub, de->d_name);
		if (*n < 2)
			snprintf(found[*n], 128, "%s", r);
		(*n)++;
	}
	closedir(d);
	return 0;
}

/*
 * The release of an unpacked kernel package: the one R its boot/ files and
 * lib/modules/ directories name (Debian: /boot/config-R, /boot/vmlinuz-R,
 * /lib/modules/R; Fedora and merged-/usr Debian: /usr/lib/modules/R).
 */
static int target_release(struct feat_ctx *ctx, const char *dir)
{
	static const struct {
		const char *sub, *prefix;
	} where[] = {
		{ "boot", "config-" },	 { "boot", "vmlinuz-" },
		{ "boot", "vmlinux-" },	 { "lib/modules", NULL },
		{ "usr/lib/modules", NULL },
	};
	char found[2][128];
	unsigned int n = 0;
	struct stat st;
	int r;

	if (stat(dir, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	for (size_t i = 0; i < ARRAY_SIZE(where); i++) {
		r = target_scan(ctx, dir, where[i].sub, where[i].prefix, found, &n);
		if (r < 0)
			return r;
	}
	if (n == 0)
		return -ENOENT;
	if (n > 1)
		return -ENOTUNIQ;
	ctx->release_opt = strdup(found[0]);
	return ctx->release_opt ? 0 : -ENOMEM;
}

FEAT_API struct feat_ctx *feat_new(const struct feat_opts *opts)
{
	struct feat_opts o = { .sz = sizeof(o) };
	struct feat_ctx *ctx;

	if (opts) {
		/* An older caller's struct is shorter: copy what it has. */
		if (opts->sz < offsetof(struct feat_opts, flags)) {
			errno = EINVAL;
			return NULL;
		}
		memcpy(&o, opts, opts->sz < sizeof(o) ? opts->sz : sizeof(o));
	}
	/* A target is a root tree of its own: not both. */
	if ((o.root && !*o.root) || (o.target && (!*o.target || o.root))) {
		errno = EINVAL;
		return NULL;
	}

	ctx = calloc(1, sizeof(*ctx));
	if (!ctx) {
		errno = ENOMEM;
		return NULL;
	}
	ctx->refcount = 1;
	ctx->flags = o.flags;
	ctx->tracefs_fd = -1;
	ctx->log_fn = o.log_fn;
	ctx->log_data = o.log_data;
	ctx->log_priority = o.log_priority ? o.log_priority
					   : log_priority_parse(secure_getenv("FEAT_LOG"));
	if (dup_opt(&ctx->root, o.target ? o.target : o.root) ||
	    dup_opt(&ctx->kconfig_path, o.kconfig) || dup_opt(&ctx->btf_path, o.btf) ||
	    dup_opt(&ctx->release_opt, o.release)) {
		feat_unref(ctx);
		errno = ENOMEM;
		return NULL;
	}
	if (o.target && !o.release) {
		int r = target_release(ctx, o.target);

		if (r < 0) {
			dbg(ctx, "target %s: %s\n", o.target,
			    r == -ENOTUNIQ ? "more than one kernel release" : strerror(-r));
			feat_unref(ctx);
			errno = -r;
			return NULL;
		}
	}
	/* A root tree, a target, a BTF file or a release name describe a
	 * kernel that is not the one running here: never probe it live. */
	if (o.root || o.target || o.btf || o.release)
		ctx->flags |= FEAT_F_OFFLINE;
	dbg(ctx, "context %p: %s%s%s\n", (void *)ctx,
	    ctx->flags & FEAT_F_OFFLINE ? "offline" : "live",
	    ctx->root ? ", root " : "", ctx->root ? ctx->root : "");
	return ctx;
}

FEAT_API struct feat_ctx *feat_ref(struct feat_ctx *ctx)
{
	if (ctx)
		ctx->refcount++;
	return ctx;
}

FEAT_API struct feat_ctx *feat_unref(struct feat_ctx *ctx)
{
	if (!ctx)
		return NULL;
	if (--ctx->refcount > 0)
		return ctx;
	if (ctx->tracefs_fd >= 0)
		close(ctx->tracefs_fd);
	/* Module BTF is split over ctx->btf: freed first. */
	feat_modules_free(ctx->modules);
	btf__free(ctx->btf);
	free(ctx->tracefs_path);
	free(ctx->btf_file);
	free(ctx->kconfig_text);
	free(ctx->kconfig);
	free(ctx->kconfig_source);
	free(ctx->root);
	free(ctx->kconfig_path);
	free(ctx->btf_path);
	free(ctx->release_opt);
	free(ctx);
	return NULL;
}

FEAT_API bool feat_is_offline(const struct feat_ctx *ctx)
{
	return ctx->flags & FEAT_F_OFFLINE;
}

FEAT_API const struct feat_result *feat_probe(struct feat_ctx *ctx,
					      enum feat_id id)
{
	struct feat_result_buf *r;

	if (!ctx || (unsigned int)id >= _FEAT_ID_COUNT) {
		errno = EINVAL;
		return NULL;
	}
	r = &ctx->results[id];
	if (ctx->done[id])
		return &r->pub;
	if (ctx->running[id]) {
		/* A probe cycle is a bug; answer honestly rather than loop. */
		r = feat_result_begin(ctx, id);
		feat_result_set(r, FEAT_UNKNOWN, EDEADLK,
				"probe %s depends on itself", feat_id_name(id));
		return &r->pub;
	}
	ctx->running[id] = true;
	r = feat_result_begin(ctx, id);
	feat_probes[id].run(ctx, r);
	ctx->running[id] = false;
	ctx->done[id] = true;
	dbg(ctx, "probe %s: %s (kernel %s%s) err=%d: %s [%s]\n",
	    feat_id_name(id), feat_state_name(r->pub.state),
	    feat_state_name(r->pub.kernel), r->pub.kernel_static ? ", static" : "",
	    r->pub.err, r->pub.detail, r->pub.source);
	return &r->pub;
}

FEAT_API const char *feat_id_name(enum feat_id id)
{
	if ((unsigned int)id >= _FEAT_ID_COUNT)
		return NULL;
	return feat_probes[id].name;
}

FEAT_API int feat_id_from_name(const char *name)
{
	if (!name)
		return -EINVAL;
	for (unsigned int i = 0; i < _FEAT_ID_COUNT; i++)
		if (strcmp(feat_probes[i].name, name) == 0)
			return (int)i;
	return -EINVAL;
}

FEAT_API const char *feat_state_name(enum feat_state state)
{
	switch (state) {
	case FEAT_YES:
		return "yes";
	case FEAT_NO:
		return "no";
	default:
		return "unknown";
	}
}
