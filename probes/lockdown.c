// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Lockdown (security/lockdown/lockdown.c): securityfs's "lockdown" file reads
 * "[none] integrity confidentiality", the brackets around the level in force.
 * securityfs is often not mounted: read it through a detached mount then,
 * as for tracefs. No file means the lockdown LSM is not active: none.
 * confidentiality takes away bpf_probe_read_kernel (LOCKDOWN_BPF_READ_KERNEL)
 * and tracefs (LOCKDOWN_TRACEFS); integrity and up refuse unsigned modules.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>

#include "probes.h"

static const char *const level_names[] = {
	[FEAT_LOCKDOWN_UNKNOWN] = "unknown",
	[FEAT_LOCKDOWN_NONE] = "none",
	[FEAT_LOCKDOWN_INTEGRITY] = "integrity",
	[FEAT_LOCKDOWN_CONFIDENTIALITY] = "confidentiality",
};

FEAT_API const char *feat_lockdown_name(enum feat_lockdown level)
{
	if ((unsigned int)level >= ARRAY_SIZE(level_names))
		return "unknown";
	return level_names[level];
}

static enum feat_lockdown parse_level(const char *text)
{
	const char *open = strchr(text, '['), *close;

	if (!open || !(close = strchr(open, ']')))
		return FEAT_LOCKDOWN_UNKNOWN;
	for (unsigned int i = FEAT_LOCKDOWN_NONE; i < ARRAY_SIZE(level_names); i++)
		if ((size_t)(close - open - 1) == strlen(level_names[i]) &&
		    strncmp(open + 1, level_names[i], strlen(level_names[i])) == 0)
			return (enum feat_lockdown)i;
	return FEAT_LOCKDOWN_UNKNOWN;
}

void probe_lockdown(struct feat_ctx *ctx, struct feat_result_buf *r)
{
	char *mounted, *text = NULL;
	int dfd, fd, e;

	if (ctx->flags & FEAT_F_OFFLINE) {
		enum feat_state k = feat_kconfig_state(ctx, "CONFIG_SECURITY_LOCKDOWN_LSM");

		feat_result_offline(r);
		feat_result_append(r, " (the level is set at boot)");
		if (feat_kconfig_state(ctx, "CONFIG_LOCK_DOWN_KERNEL_FORCE_CONFIDENTIALITY") == FEAT_YES)
			feat_result_append(r, "; forced to confidentiality by kconfig");
		else if (feat_kconfig_state(ctx, "CONFIG_LOCK_DOWN_KERNEL_FORCE_INTEGRITY") == FEAT_YES)
			feat_result_append(r, "; forced to at least integrity by kconfig");
		feat_result_kernel(r, k, true);
		return;
	}
	/* A securityfs mount that really is securityfs, else our own. */
	dfd = feat_open_mounted(ctx, "securityfs", NULL, SECURITYFS_MAGIC, &mounted);
	if (dfd >= 0) {
		feat_result_source(r, "%s/lockdown", mounted);
		free(mounted);
	} else {
		feat_result_source(r, "fsopen(\"securityfs\")/lockdown");
		dfd = feat_mount_detached("securityfs");
	}
	if (dfd < 0) {
		feat_result_set(r, FEAT_UNKNOWN, -dfd, "cannot read the lockdown level: %s",
				strerror(-dfd));
		feat_result_kernel(r, feat_kconfig_state(ctx, "CONFIG_SECURITY_LOCKDOWN_LSM"), true);
		return;
	}
	fd = openat(dfd, "lockdown", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		close(dfd);
		if (e == ENOENT) {
			/* securityfs, checked by its magic, without the file:
			 * the lockdown LSM is not active. */
			ctx->lockdown = FEAT_LOCKDOWN_NONE;
			feat_result_set(r, FEAT_NO, 0,
					"none: securityfs has no lockdown file (lockdown LSM not active)");
			feat_result_kernel(r, FEAT_NO, false);
			return;
		}
		feat_result_set(r, FEAT_UNKNOWN, e, "cannot read the lockdown level: %s",
				strerror(e));
		feat_result_kernel(r, feat_kconfig_state(ctx, "CONFIG_SECURITY_LOCKDOWN_LSM"), true);
		return;
	}
	e = feat_read_fd(fd, 4096, &text, NULL);
	close(fd);
	close(dfd);
	if (e == 0)
		ctx->lockdown = parse_level(text);
	if (ctx->lockdown == FEAT_LOCKDOWN_UNKNOWN) {
		feat_result_set(r, FEAT_UNKNOWN, e < 0 ? -e : EBADMSG,
				"unreadable lockdown level%s%s", text ? ": " : "",
				text ? strtrim(text) : "");
		free(text);
		return;
	}
	free(text);
	feat_result_set(r, ctx->lockdown == FEAT_LOCKDOWN_NONE ? FEAT_NO : FEAT_YES, 0,
			"%s", feat_lockdown_name(ctx->lockdown));
	feat_result_kernel(r, FEAT_YES, false);
}

FEAT_API enum feat_lockdown feat_lockdown_level(struct feat_ctx *ctx)
{
	feat_probe(ctx, FEAT_LOCKDOWN);
	return ctx->lockdown;
}
