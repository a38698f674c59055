// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The kconfig reader (probes/kconfig.c): the input, after one selector
 * byte, is the config file given with feat_opts.kconfig. Selector bit 0
 * set: the harness gzips the rest first, so that the zlib path sees valid
 * streams of mutated text; clear: the bytes are the file as they are
 * (plain text, or a gzip stream to be mutated itself).
 */
#include <zlib.h>

#include "fuzz-util.h"
#include "feat-internal.h"

static struct fuzz_file file;

static const char *const symbols[] = {
	"CONFIG_BPF", "BPF_SYSCALL", "CONFIG_DEBUG_INFO_BTF", "CONFIG_",
	"CONFIG_LOCALVERSION", "X", "CONFIG_CONFIG_A", "CONFIG_TRACING",
	NULL,
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_file_init(&file, "fuzz-kconfig");
	return 0;
}

static void *gzip(const uint8_t *data, size_t size, size_t *out_size)
{
	z_stream z = { 0 };
	size_t cap = compressBound(size) + 64;
	unsigned char *out = malloc(cap);

	if (!out || deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8,
				 Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	z.next_in = (unsigned char *)data;
	z.avail_in = (uInt)size;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		abort();
	*out_size = z.total_out;
	deflateEnd(&z);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feat_opts o;
	struct feat_ctx *ctx;
	const struct feat_result *r;
	const char *v, *missing = NULL;
	char *name;
	size_t n;

	if (size < 1 || size > (1u << 20))
		return 0;
	if (data[0] & 1) {
		void *z = gzip(data + 1, size - 1, &n);

		fuzz_file_set(&file, z, n);
		free(z);
	} else {
		fuzz_file_set(&file, data + 1, size - 1);
	}

	fuzz_opts(&o);
	o.kconfig = file.path;
	ctx = feat_new(&o);
	if (!ctx)
		abort();
	r = feat_probe(ctx, FEAT_KCONFIG);
	fuzz_touch(r->detail);
	fuzz_touch(r->source);
	for (size_t i = 0; symbols[i]; i++) {
		if (feat_kconfig_get(ctx, symbols[i], &v) == 0)
			fuzz_touch(v);
		feat_kconfig_state(ctx, symbols[i]);
	}
	feat_static_kconfig_all(ctx, symbols, &missing);
	fuzz_touch(missing);
	fuzz_touch(feat_kconfig_source(ctx));

	/* The first line's symbol, whatever it is, looked up by name. */
	name = fuzz_strndup(data + 1, size - 1);
	name[strcspn(name, "=\n ")] = '\0';
	if (feat_kconfig_get(ctx, name, &v) == 0)
		fuzz_touch(v);
	free(name);

	/* Probes that read the config as static evidence. */
	feat_probe(ctx, FEAT_TRACEFS);
	feat_probe(ctx, FEAT_BTF);
	feat_unref(ctx);
	return 0;
}
