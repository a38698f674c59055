// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Kernel config: the first file found of --kconfig, $FEAT_KCONFIG,
 * /boot/config-R, /proc/config.gz (CONFIG_IKCONFIG_PROC), /lib/modules/R/config,
 * /lib/modules/R/build/.config. Plain or gzip, read through zlib.
 * "CONFIG_X=value" (value may hold '='; strings keep their escapes, without
 * the outer quotes), "# CONFIG_X is not set" is n, a symbol absent is n.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "probes.h"

/* Read a whole file through zlib (gzip or plain), at most max bytes out. */
static int read_maybe_gz(int fd, size_t max, char **data, size_t *size)
{
	size_t cap = 1u << 17, len = 0;
	char *buf;
	gzFile gz;
	int r = 0;

	gz = gzdopen(fd, "rb");
	if (!gz) {
		close(fd);
		return -ENOMEM;
	}
	buf = malloc(cap);
	if (!buf) {
		gzclose(gz);
		return -ENOMEM;
	}
	for (;;) {
		int n;

		if (len > max) {
			r = -EFBIG;
			break;
		}
		if (len + 1 >= cap) {
			char *nbuf;

			/* Room for max + 1 bytes at most: one more than max
			 * proves the content too big. */
			cap = cap * 2 > max + 2 ? max + 2 : cap * 2;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				r = -ENOMEM;
				break;
			}
			buf = nbuf;
		}
		n = gzread(gz, buf + len, (unsigned int)(cap - len - 1));
		if (n < 0) {
			int zerr;

			gzerror(gz, &zerr);
			r = zerr == Z_ERRNO ? -errno : -EBADMSG;
			break;
		}
		if (n == 0) {
			int zerr;

			/* A cut-off stream ends in 0 too, with Z_BUF_ERROR. */
			gzerror(gz, &zerr);
			if (zerr != Z_OK)
				r = -EBADMSG;
			break;
		}
		len += (size_t)n;
	}
	gzclose(gz);
	if (r < 0) {
		free(buf);
		return r;
	}
	buf[len] = '\0';
	*data = buf;
	*size = len;
	return 0;
}

static int open_config(const struct feat_ctx *ctx, const char *path,
		       bool under_root)
{
	struct stat st;
	int fd;

	if (under_root) {
		fd = feat_open(ctx, path, O_RDONLY);
		if (fd < 0)
			return fd;
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		if (fd < 0)
			return -errno;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	/* A gzip file is smaller than its content: bound the compressed size
	 * too, so a hostile file is refused before it is decompressed. */
	if ((uint64_t)st.st_size > FEAT_FILE_MAX) {
		close(fd);
		return -EFBIG;
	}
	return fd;
}

static int parse(struct feat_ctx *ctx, char *text)
{
	size_t cap = 0, n = 0;
	struct kconfig_entry *v = NULL;

	for (char *line = text, *next; line && *line; line = next) {
		char *name, *value, *eq;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (strncmp(line, "CONFIG_", 7) == 0) {
			name = line + 7;
			eq = strchr(name, '=');
			if (!eq)
				continue;
			*eq = '\0';
			value = eq + 1;
			/* Strip the quotes of a string; keep what is inside. */
			if (*value == '"') {
				size_t len = strlen(value);

				if (len >= 2 && value[len - 1] == '"') {
					value[len - 1] = '\0';
					value++;
				}
			}
		} else if (strncmp(line, "# CONFIG_", 9) == 0) {
			char *tail;

			name = line + 9;
			tail = strstr(name, " is not set");
			if (!tail || tail[11] != '\0')
				continue;
			*tail = '\0';
			value = "n";
		} else {
			continue;
		}
		if (n == cap) {
			struct kconfig_entry *nv;

			cap = cap ? cap * 2 : 4096;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				return -ENOMEM;
			}
			v = nv;
		}
		v[n].name = name;
		v[n].value = value;
		n++;
	}
	/* Unsorted: a handful of lookups by linear scan cost less than
	 * sorting thousands of entries on every start. */
	ctx->kconfig = v;
	ctx->n_kconfig = n;
	return 0;
}

void feat_kconfig_load(struct feat_ctx *ctx)
{
	const char *release = feat_kversion(ctx)->release;
	char candidates[6][PATH_MAX];
	bool under_root[6];
	const char *env;
	size_t nc = 0;
	int last_err = -ENOENT;

	if (ctx->kconfig_done)
		return;
	ctx->kconfig_done = true;
	ctx->kconfig_err = ENOENT;

	/* An explicit file is the only one tried: falling back to the host's
	 * config would answer for the wrong kernel. */
	env = secure_getenv("FEAT_KCONFIG");
	if (ctx->kconfig_path || (env && *env)) {
		snprintf(candidates[nc], PATH_MAX, "%s",
			 ctx->kconfig_path ? ctx->kconfig_path : env);
		under_root[nc++] = false;
	} else {
		if (release) {
			snprintf(candidates[nc], PATH_MAX, "/boot/config-%s", release);
			under_root[nc++] = true;
		}
		/* The running kernel's own config; a target's only under a root. */
		if (!(ctx->flags & FEAT_F_OFFLINE) || ctx->root) {
			snprintf(candidates[nc], PATH_MAX, "/proc/config.gz");
			under_root[nc++] = true;
		}
		if (release) {
			snprintf(candidates[nc], PATH_MAX, "/lib/modules/%s/config",
				 release);
			under_root[nc++] = true;
			snprintf(candidates[nc], PATH_MAX,
				 "/lib/modules/%s/build/.config", release);
			under_root[nc++] = true;
		}
	}

	for (size_t i = 0; i < nc; i++) {
		char *text = NULL;
		size_t size;
		int fd, r;

		fd = open_config(ctx, candidates[i], under_root[i]);
		if (fd < 0) {
			dbg(ctx, "kconfig %s: %s\n", candidates[i], strerror(-fd));
			/* ENOENT says nothing; keep the most telling error. */
			if (fd != -ENOENT || last_err == -ENOENT)
				last_err = fd;
			continue;
		}
		r = read_maybe_gz(fd, FEAT_FILE_MAX, &text, &size);
		if (r == 0 && (r = parse(ctx, text)) == 0 && ctx->n_kconfig == 0)
			r = -EBADMSG; /* not a config file at all */
		if (r < 0) {
			free(text);
			free(ctx->kconfig);
			ctx->kconfig = NULL;
			ctx->n_kconfig = 0;
			err(ctx, "%s: %s\n", candidates[i], strerror(-r));
			last_err = r;
			continue;
		}
		ctx->kconfig_text = text;
		ctx->kconfig_source = strdup(candidates[i]);
		ctx->kconfig_err = ctx->kconfig_source ? 0 : ENOMEM;
		return;
	}
	ctx->kconfig_err = -last_err;
}

FEAT_API int feat_kconfig_get(struct feat_ctx *ctx, const char *name,
			      const char **value)
{
	const struct kconfig_entry *e = NULL;

	if (!name || !*name)
		return -EINVAL;
	if (strncmp(name, "CONFIG_", 7) == 0)
		name += 7;
	if (!*name)
		return -EINVAL;
	feat_kconfig_load(ctx);
	if (ctx->kconfig_err)
		return -ENOENT;
	/* The last assignment wins, as in Kconfig's own reader. */
	for (size_t i = ctx->n_kconfig; i-- > 0;)
		if (strcmp(ctx->kconfig[i].name, name) == 0) {
			e = &ctx->kconfig[i];
			break;
		}
	if (value)
		*value = e ? e->value : "n";
	return 0;
}

FEAT_API enum feat_state feat_kconfig_state(struct feat_ctx *ctx,
					    const char *name)
{
	const char *v;

	if (feat_kconfig_get(ctx, name, &v) < 0)
		return FEAT_UNKNOWN;
	/* y, m, a number or a non-empty string: the symbol is set. */
	if (strcmp(v, "n") == 0 || v[0] == '\0')
		return FEAT_NO;
	return FEAT_YES;
}

FEAT_API const char *feat_kconfig_source(struct feat_ctx *ctx)
{
	feat_kconfig_load(ctx);
	return ctx->kconfig_source;
}

void probe_kconfig(struct feat_ctx *ctx, struct feat_result_buf *r)
{
	feat_kconfig_load(ctx);
	if (ctx->kconfig_err) {
		feat_result_set(r, FEAT_UNKNOWN, ctx->kconfig_err,
				"no kernel config could be read: %s",
				strerror(ctx->kconfig_err));
		feat_result_source(r, "%s",
				   ctx->kconfig_path ? ctx->kconfig_path
						     : "/boot/config-R, /proc/config.gz, /lib/modules/R");
		return;
	}
	feat_result_set(r, FEAT_YES, 0, "%zu symbols read", ctx->n_kconfig);
	feat_result_source(r, "%s", ctx->kconfig_source);
	feat_result_kernel(r, FEAT_YES, false);
}

/*
 * Static evidence: YES when every symbol is y or m, NO when one is n (its
 * name in *missing), UNKNOWN without a config.
 */
enum feat_state feat_static_kconfig_all(struct feat_ctx *ctx,
					const char *const *names,
					const char **missing)
{
	for (; *names; names++) {
		enum feat_state s = feat_kconfig_state(ctx, *names);

		if (s != FEAT_YES) {
			if (missing)
				*missing = *names;
			return s;
		}
	}
	return FEAT_YES;
}
