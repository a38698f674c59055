// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Fixture-root parsing: a root tree whose version files come from the
 * input. Byte 0 says which files exist (bit 0 proc/sys/kernel/osrelease,
 * bit 1 proc/sys/kernel/version, bit 2 proc/version_signature, bit 3
 * proc/version) and bit 4 whether the first part is given as
 * feat_opts.release instead; the rest is split at NUL bytes into the
 * files' contents, in that order.
 */
#include <fcntl.h>
#include <sys/stat.h>

#include "fuzz-util.h"

static char root[64];

static const char *const files[] = {
	"proc/sys/kernel/osrelease",
	"proc/sys/kernel/version",
	"proc/version_signature",
	"proc/version",
};

static void mkdirs(const char *base, const char *sub)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", base, sub);
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		abort();
}

static void cleanup(void)
{
	char path[256];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, files[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/proc/sys/kernel", root);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/proc/sys", root);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/proc", root);
	rmdir(path);
	rmdir(root);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	snprintf(root, sizeof(root), "%s/fuzz-root.XXXXXX",
		 tmp && strlen(tmp) < 32 ? tmp : "/tmp");
	if (!mkdtemp(root))
		abort();
	mkdirs(root, "proc");
	mkdirs(root, "proc/sys");
	mkdirs(root, "proc/sys/kernel");
	atexit(cleanup);
	return 0;
}

static void put(const char *name, const uint8_t *data, size_t size)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size))
		abort();
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p, *end = data + size;
	const struct feat_kversion *kv;
	const struct feat_result *r;
	char *release = NULL;
	struct feat_opts o;
	struct feat_ctx *ctx;
	unsigned int flags;

	if (size < 1 || size > 4096)
		return 0;
	flags = data[0];
	p = data + 1;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		const uint8_t *nul = p < end ? memchr(p, '\0', (size_t)(end - p)) : NULL;
		const uint8_t *stop = nul ? nul : end;
		char path[256];

		if (i == 0 && (flags & 16)) {
			release = fuzz_strndup(p, (size_t)(stop - p));
		} else if (flags & (1u << i)) {
			put(files[i], p, (size_t)(stop - p));
		} else {
			snprintf(path, sizeof(path), "%s/%s", root, files[i]);
			unlink(path);
		}
		p = nul ? nul + 1 : end;
	}
	if (flags & 16) {
		char path[256];

		snprintf(path, sizeof(path), "%s/%s", root, files[0]);
		unlink(path);
	}

	fuzz_opts(&o);
	o.root = root;
	o.release = release;
	ctx = feat_new(&o);
	if (!ctx)
		abort();
	kv = feat_kversion(ctx);
	fuzz_touch(kv->release);
	fuzz_touch(kv->version);
	fuzz_touch(kv->source);
	if (kv->n_seen > 6)
		abort();
	for (size_t i = 0; i < kv->n_seen; i++) {
		fuzz_touch(kv->seen_name[i]);
		fuzz_touch(kv->seen_value[i]);
	}
	if (kv->version && (kv->major > 65535 || kv->minor > 65535 ||
			    kv->patch > 65535))
		abort();
	feat_kversion_at_least(ctx, 5, 8, 0);
	feat_kversion_at_least(ctx, 65535, 65535, 65535);
	r = feat_probe(ctx, FEAT_KVERSION);
	fuzz_touch(r->detail);
	fuzz_touch(r->source);
	/* The release names the files looked for next. */
	r = feat_probe(ctx, FEAT_KCONFIG);
	fuzz_touch(r->detail);
	r = feat_probe(ctx, FEAT_BTF);
	fuzz_touch(r->detail);
	feat_unref(ctx);
	free(release);
	return 0;
}
