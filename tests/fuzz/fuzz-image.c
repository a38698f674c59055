// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Kernel images (libfeat/image.c): a bzImage's setup header, the payload's
 * decompressors (gzip, xz, lzma, zstd, lz4 legacy blocks) and the ELF
 * section walk that finds .BTF, then the btf probe on the same file as
 * feat_opts.btf. Every refusal must come with a sentence.
 *
 * Seeds (corpus/image): small ELF files whose .BTF holds mkbtf.py's "old"
 * BTF (tests/target/mkimage.py elf), compressed with gzip -9n, xz
 * --check=crc32, xz --format=lzma, zstd and lz4 -l and wrapped in a
 * bzImage (mkimage.py bzimage); vmlinux-gz and vmlinux-xz bare; and a
 * bzImage of an ELF without .BTF.
 */
#include "fuzz-util.h"
#include "feat-internal.h"

static struct fuzz_file file;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_file_init(&file, "fuzz-image");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct feat_result *r;
	struct feat_opts o;
	struct feat_ctx *ctx;
	char why[192];
	size_t btf_size = 0;
	void *btf = NULL;
	int e;

	if (size > (1u << 20))
		return 0;
	fuzz_file_set(&file, data, size);
	e = feat_image_btf(file.fd, &btf, &btf_size, why, sizeof(why));
	if (e == 0 && (!btf || !btf_size))
		abort();
	if (e < 0 && (btf || !why[0]))
		abort();
	if (e == 0) {
		volatile uint8_t last = ((const uint8_t *)btf)[btf_size - 1];

		(void)last;
	}
	free(btf);
	(void)feat_image_kind(data, size);

	fuzz_opts(&o);
	o.btf = file.path;
	o.release = "6.1.0-57-cloud-amd64";
	ctx = feat_new(&o);
	if (!ctx)
		abort();
	r = feat_probe(ctx, FEAT_BTF);
	fuzz_touch(r->detail);
	fuzz_touch(r->source);
	feat_unref(ctx);
	return 0;
}
