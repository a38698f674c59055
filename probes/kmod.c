// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The kernel-module backend (SystemTap's traditional runtime): the kernel
 * must have module support and not have it switched off, must accept an
 * unsigned module (no signature enforcement, no lockdown), and the module
 * directory and build tree of the running release must be there.
 *
 * libkmod is loaded with dlopen() only when modules are possible at all: it
 * pulls in libcrypto, whose load alone costs about as much as the rest of
 * the report.
 */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libkmod.h>

#include "probes.h"

struct kmod_api {
	void *handle;
	struct kmod_ctx *(*new)(const char *dirname, const char *const *config_paths);
	struct kmod_ctx *(*unref)(struct kmod_ctx *ctx);
	int (*load_resources)(struct kmod_ctx *ctx);
	const char *(*get_dirname)(const struct kmod_ctx *ctx);
};

static int kmod_api_open(struct kmod_api *k)
{
	k->handle = dlopen("libkmod.so.2", RTLD_NOW | RTLD_LOCAL);
	if (!k->handle)
		return -ENOENT;
	k->new = (__typeof__(k->new))dlsym(k->handle, "kmod_new");
	k->unref = (__typeof__(k->unref))dlsym(k->handle, "kmod_unref");
	k->load_resources = (__typeof__(k->load_resources))dlsym(k->handle, "kmod_load_resources");
	k->get_dirname = (__typeof__(k->get_dirname))dlsym(k->handle, "kmod_get_dirname");
	if (!k->new || !k->unref || !k->load_resources || !k->get_dirname) {
		dlclose(k->handle);
		return -ENOSYS;
	}
	return 0;
}

/* libkmod on /lib/modules/R: 0 when its indexes (modules.dep.bin) load. */
static int kmod_check(struct feat_ctx *ctx, const char *dir, char *why, size_t size)
{
	struct kmod_api k;
	struct kmod_ctx *kctx;
	char buf[PATH_MAX];
	const char *p = feat_path(ctx, dir, buf, sizeof(buf));
	static const char *const no_config[] = { NULL };
	int e;

	if (!p)
		return -ENAMETOOLONG;
	e = kmod_api_open(&k);
	if (e < 0) {
		snprintf(why, size, "libkmod.so.2 cannot be loaded: %s", dlerror());
		return e;
	}
	kctx = k.new(p, no_config);
	if (!kctx) {
		e = -ENOMEM;
		snprintf(why, size, "kmod_new(%s) failed", p);
	} else {
		e = k.load_resources(kctx);
		if (e < 0)
			snprintf(why, size, "libkmod cannot load the indexes of %s: %s",
				 dir, strerror(-e));
		k.unref(kctx);
	}
	dlclose(k.handle);
	return e;
}

void probe_kmod(struct feat_ctx *ctx, struct feat_result_buf *r)
{
	enum feat_state k = feat_kconfig_state(ctx, "CONFIG_MODULES");
	const char *release = feat_kversion(ctx)->release;
	enum feat_lockdown lockdown;
	char dir[PATH_MAX], why[PATH_MAX + 64];
	long v;
	int e;

	feat_result_source(r, "/proc/modules, /proc/sys/kernel/modules_disabled, /lib/modules");
	if (ctx->flags & FEAT_F_OFFLINE) {
		feat_result_offline(r);
		feat_result_append(r, "; CONFIG_MODULES %s",
				   k == FEAT_YES ? "is set" : k == FEAT_NO ? "is not set" : "unknown");
		feat_result_kernel(r, k, true);
		return;
	}
	/* /proc/modules exists exactly when CONFIG_MODULES is set. */
	e = feat_access(ctx, "/proc/modules", F_OK);
	if (e == -ENOENT && k != FEAT_YES) {
		feat_result_set(r, FEAT_NO, ENOENT,
				"the kernel is built without module support (no /proc/modules%s)",
				k == FEAT_NO ? ", CONFIG_MODULES is not set" : "");
		feat_result_kernel(r, FEAT_NO, false);
		return;
	}
	feat_result_kernel(r, FEAT_YES, e < 0);
	if (feat_read_int(ctx, "/proc/sys/kernel/modules_disabled", &v) == 0 && v == 1) {
		feat_result_set(r, FEAT_NO, 0, "kernel.modules_disabled=1: no module can be loaded until reboot");
		return;
	}
	lockdown = feat_lockdown_level(ctx);
	if (lockdown >= FEAT_LOCKDOWN_INTEGRITY) {
		feat_result_set(r, FEAT_UNKNOWN, EPERM,
				"lockdown=%s: only modules signed with a trusted key load",
				feat_lockdown_name(lockdown));
		return;
	}
	{
		char sig[8];

		if (feat_read_line(ctx, "/sys/module/module/parameters/sig_enforce", sig, sizeof(sig)) == 0 &&
		    sig[0] == 'Y') {
			feat_result_set(r, FEAT_UNKNOWN, EKEYREJECTED,
					"module signatures are enforced: only modules signed with a trusted key load");
			return;
		}
	}
	if (!release) {
		feat_result_set(r, FEAT_UNKNOWN, ENOENT, "no kernel release known");
		return;
	}
	snprintf(dir, sizeof(dir), "/lib/modules/%s", release);
	e = feat_access(ctx, dir, R_OK | X_OK);
	if (e < 0) {
		feat_result_set(r, e == -ENOENT ? FEAT_NO : FEAT_UNKNOWN, -e,
				"%s: %s", dir, strerror(-e));
		return;
	}
	e = kmod_check(ctx, dir, why, sizeof(why));
	if (e < 0) {
		feat_result_set(r, FEAT_UNKNOWN, -e, "%s", why);
		return;
	}
	snprintf(dir, sizeof(dir), "/lib/modules/%s/build/Makefile", release);
	e = feat_access(ctx, dir, R_OK);
	if (e < 0) {
		feat_result_set(r, e == -ENOENT ? FEAT_NO : FEAT_UNKNOWN, -e,
				"no kernel build tree to compile a module against (%s: %s)",
				dir, strerror(-e));
		return;
	}
	if (!feat_has_cap(ctx, CAP_SYS_MODULE)) {
		feat_result_set(r, FEAT_UNKNOWN, EPERM,
				"modules can be built here, but loading one needs CAP_SYS_MODULE");
		return;
	}
	feat_result_set(r, FEAT_YES, 0, "module support on; libkmod reads /lib/modules/%s; build tree present",
			release);
}
