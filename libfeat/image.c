// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The .BTF section of a kernel image: an x86 bzImage (Debian's vmlinuz), or
 * a compressed vmlinux ELF. The vmlinux is inflated in memory and its .BTF
 * section copied out; nothing is written to disk.
 *
 * Facts used (Documentation/arch/x86/boot.rst, scripts/Makefile.lib):
 * - bzImage: "HdrS" at 0x202, the protocol version at 0x206; setup_sects
 *   at 0x1f1 (0 means 4) 512-byte sectors of real-mode setup follow the
 *   boot sector; from protocol 2.08 payload_offset and payload_length
 *   (0x248, 0x24c) place the compressed vmlinux inside the protected-mode
 *   part that starts after them.
 * - the payload is vmlinux.bin (objcopy -R .comment -S of vmlinux: still
 *   an ELF, .BTF kept) with the relocations appended, compressed with
 *   gzip, bzip2, lzma, xz, lzo, lz4 or zstd, followed by the 4-byte
 *   little-endian uncompressed size (size_append). Debian's cloud
 *   kernels: 6.1 lz4 (CONFIG_KERNEL_LZ4), 6.12 zstd (CONFIG_KERNEL_ZSTD).
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#ifdef HAVE_LZMA
#include <lzma.h>
#endif
#ifdef HAVE_ZSTD
#include <zstd.h>
#endif
#ifdef HAVE_LZ4
#include <lz4.h>
#endif

#include "feat-internal.h"

/* No stripped vmlinux comes near this (Debian's 6.1 cloud: 53 MB); a
 * payload that inflates past it is refused as a decompression bomb. The
 * fuzzing build sets a smaller bound. */
#ifndef IMAGE_VMLINUX_MAX
#define IMAGE_VMLINUX_MAX (512u << 20)
#endif

static const struct {
	const char *name;
	const char *magic;
	size_t len;
} compressions[] = {
	{ "gzip", "\x1f\x8b", 2 },
	{ "xz", "\xfd" "7zXZ\0", 6 },
	{ "lzma", "\x5d\0\0", 3 },
	{ "zstd", "\x28\xb5\x2f\xfd", 4 },
	{ "lz4", "\x02\x21\x4c\x18", 4 },
	{ "bzip2", "BZh", 3 },
	{ "lzo", "\x89LZO", 4 },
};

static void _printf_(3, 4) why_set(char *why, size_t size, const char *format, ...)
{
	va_list args;

	va_start(args, format);
	vsnprintf(why, size, format, args);
	va_end(args);
}

static const char *compression_of(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < ARRAY_SIZE(compressions); i++)
		if (n >= compressions[i].len &&
		    memcmp(p, compressions[i].magic, compressions[i].len) == 0)
			return compressions[i].name;
	return NULL;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static bool is_bzimage(const uint8_t *p, size_t n)
{
	return n >= 0x250 && memcmp(p + 0x202, "HdrS", 4) == 0;
}

const char *feat_image_kind(const void *head, size_t n)
{
	const uint8_t *p = head;

	if (is_bzimage(p, n))
		return "bzImage";
	return compression_of(p, n);
}

/* The growing output buffer of a decompressor. */
struct inflated {
	uint8_t *data;
	size_t len, cap;
};

static int out_grow(struct inflated *o)
{
	size_t cap = o->cap ? o->cap * 2 : 64u << 20;
	uint8_t *p;

	if (o->cap >= IMAGE_VMLINUX_MAX)
		return -EFBIG;
	if (cap > IMAGE_VMLINUX_MAX)
		cap = IMAGE_VMLINUX_MAX;
	p = realloc(o->data, cap);
	if (!p)
		return -ENOMEM;
	o->data = p;
	o->cap = cap;
	return 0;
}

static int inflate_gzip(const uint8_t *in, size_t n, struct inflated *o,
			char *why, size_t why_size)
{
	z_stream z = { 0 };
	int zr, r = 0;

	/* 16 + MAX_WBITS: a gzip header, not a zlib one. */
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return -ENOMEM;
	z.next_in = (Bytef *)in;
	z.avail_in = n > UINT32_MAX ? UINT32_MAX : (uInt)n;
	do {
		if (o->len == o->cap && (r = out_grow(o)) < 0)
			break;
		z.next_out = o->data + o->len;
		z.avail_out = (uInt)(o->cap - o->len);
		zr = inflate(&z, Z_NO_FLUSH);
		o->len = o->cap - z.avail_out;
		if (zr == Z_STREAM_END)
			break;
		if (zr == Z_BUF_ERROR && z.avail_in == 0) {
			why_set(why, why_size, "gzip data is truncated");
			r = -EBADMSG;
		} else if (zr != Z_OK && zr != Z_BUF_ERROR) {
			why_set(why, why_size, "gzip data is corrupt (zlib: %s)",
				z.msg ? z.msg : "error");
			r = zr == Z_MEM_ERROR ? -ENOMEM : -EBADMSG;
		}
	} while (r == 0);
	inflateEnd(&z);
	return r;
}

#ifdef HAVE_LZMA
#define LZMA_MEMLIMIT (128ull << 20)

static int inflate_lzma(const uint8_t *in, size_t n, bool alone,
			struct inflated *o, char *why, size_t why_size)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret lr;
	int r = 0;

	/* No LZMA_CONCATENATED: decoding stops at the end of the first
	 * stream, before the size the kernel build appends. The memory limit
	 * bounds what a forged header's dictionary size may ask for (the
	 * kernel's images use at most 64 MiB: lzma -9; xz_wrap.sh 32 MiB). */
	lr = alone ? lzma_alone_decoder(&s, LZMA_MEMLIMIT)
		   : lzma_stream_decoder(&s, LZMA_MEMLIMIT, 0);
	if (lr != LZMA_OK)
		return -ENOMEM;
	s.next_in = in;
	s.avail_in = n;
	do {
		if (o->len == o->cap && (r = out_grow(o)) < 0)
			break;
		s.next_out = o->data + o->len;
		s.avail_out = o->cap - o->len;
		lr = lzma_code(&s, LZMA_FINISH);
		o->len = o->cap - s.avail_out;
		if (lr == LZMA_STREAM_END)
			break;
		if (lr == LZMA_OK || (lr == LZMA_BUF_ERROR && s.avail_out == 0))
			continue;
		if (lr == LZMA_BUF_ERROR) {
			why_set(why, why_size, "%s data is truncated", alone ? "lzma" : "xz");
			r = -EBADMSG;
		} else if (lr == LZMA_MEMLIMIT_ERROR) {
			why_set(why, why_size, "%s data asks for more than %d MiB to decode",
				alone ? "lzma" : "xz", (int)(LZMA_MEMLIMIT >> 20));
			r = -EFBIG;
		} else {
			why_set(why, why_size, "%s data is corrupt (liblzma error %d)",
				alone ? "lzma" : "xz", (int)lr);
			r = lr == LZMA_MEM_ERROR ? -ENOMEM : -EBADMSG;
		}
	} while (r == 0);
	lzma_end(&s);
	return r;
}
#endif

#ifdef HAVE_ZSTD
static int inflate_zstd(const uint8_t *in, size_t n, struct inflated *o,
			char *why, size_t why_size)
{
	ZSTD_inBuffer src = { in, n, 0 };
	ZSTD_DStream *d;
	size_t zr;
	int r = 0;

	d = ZSTD_createDStream();
	if (!d)
		return -ENOMEM;
	/* The kernel's zstd window is up to 2^27 (zstd -22 --ultra). */
	ZSTD_DCtx_setParameter(d, ZSTD_d_windowLogMax, 31);
	for (;;) {
		ZSTD_outBuffer dst;

		if (o->len == o->cap && (r = out_grow(o)) < 0)
			break;
		dst = (ZSTD_outBuffer){ o->data, o->cap, o->len };
		zr = ZSTD_decompressStream(d, &dst, &src);
		o->len = dst.pos;
		if (ZSTD_isError(zr)) {
			why_set(why, why_size, "zstd data is corrupt (%s)", ZSTD_getErrorName(zr));
			r = -EBADMSG;
			break;
		}
		/* 0: the frame is complete; what follows it is the size. */
		if (zr == 0)
			break;
		if (src.pos == src.size && dst.pos < dst.size) {
			why_set(why, why_size, "zstd data is truncated");
			r = -EBADMSG;
			break;
		}
	}
	ZSTD_freeDStream(d);
	return r;
}
#endif

#ifdef HAVE_LZ4
/*
 * The kernel's lz4 is the legacy format (lz4 -l, lib/decompress_unlz4.c):
 * the magic, then blocks of a 4-byte little-endian compressed size and an
 * LZ4 block that inflates to at most 8 MiB; the magic may repeat between
 * blocks. liblz4's frame API reads only the newer frame format, so the
 * blocks are walked here and each handed to LZ4_decompress_safe().
 */
#define LZ4_LEGACY_MAGIC 0x184c2102u
#define LZ4_LEGACY_BLOCK (8u << 20)

static int inflate_lz4(const uint8_t *in, size_t n, struct inflated *o,
		       char *why, size_t why_size)
{
	size_t pos = 4, room;
	int r;

	while (n - pos >= 4) {
		uint32_t size = le32(in + pos);
		int got;

		pos += 4;
		if (size == LZ4_LEGACY_MAGIC)
			continue;
		if (size > n - pos || size > (uint32_t)LZ4_compressBound(LZ4_LEGACY_BLOCK)) {
			why_set(why, why_size, size > n - pos ? "lz4 data is truncated"
							      : "lz4 data is corrupt (a block of %u bytes)",
				size);
			return -EBADMSG;
		}
		/* Room for a whole block, or what is left below the bound. */
		while (o->cap - o->len < LZ4_LEGACY_BLOCK && o->cap < IMAGE_VMLINUX_MAX)
			if ((r = out_grow(o)) < 0)
				return r;
		room = o->cap - o->len < LZ4_LEGACY_BLOCK ? o->cap - o->len : LZ4_LEGACY_BLOCK;
		got = LZ4_decompress_safe((const char *)in + pos, (char *)o->data + o->len,
					  (int)size, (int)room);
		if (got < 0 && room < LZ4_LEGACY_BLOCK)
			return -EFBIG;
		if (got < 0) {
			why_set(why, why_size, "lz4 data is corrupt (a block at byte %zu)", pos);
			return -EBADMSG;
		}
		o->len += (size_t)got;
		pos += size;
	}
	return 0;
}
#endif

static int inflate_any(const char *format, const uint8_t *in, size_t n,
		       struct inflated *o, char *why, size_t why_size)
{
	if (strcmp(format, "gzip") == 0)
		return inflate_gzip(in, n, o, why, why_size);
#ifdef HAVE_LZMA
	if (strcmp(format, "xz") == 0 || strcmp(format, "lzma") == 0)
		return inflate_lzma(in, n, format[0] == 'l', o, why, why_size);
#endif
#ifdef HAVE_ZSTD
	if (strcmp(format, "zstd") == 0)
		return inflate_zstd(in, n, o, why, why_size);
#endif
#ifdef HAVE_LZ4
	if (strcmp(format, "lz4") == 0)
		return inflate_lz4(in, n, o, why, why_size);
#endif
	why_set(why, why_size, "%s compression is not supported (this libfeat reads %s)",
		format, FEAT_IMAGE_FORMATS);
	return -EPROTONOSUPPORT;
}

/* The .BTF section of an ELF in memory (a vmlinux, a module): a pointer into
 * it. -ENODATA, with @why untouched, when there is none: each caller says
 * what that means for its file. */
int feat_elf_btf_section(const char *source, void *image, size_t n, const void **btf,
			 size_t *size, char *why, size_t why_size)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	Elf *elf;
	int r = -ENODATA;

	elf_version(EV_CURRENT);
	elf = elf_memory(image, n);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh)) {
		snprintf(why, why_size, "%s: not a valid ELF file: %s", source, elf_errmsg(-1));
		elf_end(elf);
		return -EBADMSG;
	}
	/* A cut file loses its section headers first (they come last):
	 * libelf then sees no section at all, not an error. */
	if (eh.e_shoff == 0 || eh.e_shoff > n ||
	    (uint64_t)(eh.e_shnum ? eh.e_shnum : 1) * eh.e_shentsize > n - eh.e_shoff) {
		snprintf(why, why_size, "%s: truncated: %zu bytes, its section headers are at %llu",
			 source, n, (unsigned long long)eh.e_shoff);
		elf_end(elf);
		return -EBADMSG;
	}
	if (elf_getshdrstrndx(elf, &shstrndx) < 0) {
		snprintf(why, why_size, "%s: not a valid ELF file: %s", source, elf_errmsg(-1));
		elf_end(elf);
		return -EBADMSG;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		const char *name;
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh) || !(name = elf_strptr(elf, shstrndx, sh.sh_name)) ||
		    strcmp(name, ".BTF") != 0)
			continue;
		if (sh.sh_type == SHT_NOBITS || sh.sh_offset > n || sh.sh_size > n - sh.sh_offset ||
		    sh.sh_size == 0) {
			snprintf(why, why_size, "%s: the .BTF section lies outside the file (truncated?)",
				 source);
			r = -EBADMSG;
			break;
		}
		*btf = (const char *)image + sh.sh_offset;
		*size = sh.sh_size;
		r = 0;
		break;
	}
	elf_end(elf);
	return r;
}

/* Copy the .BTF section out of an ELF in memory. */
static int elf_btf(uint8_t *image, size_t n, void **btf, size_t *size,
		   char *why, size_t why_size)
{
	const void *sec;
	int r;

	if (n < 4 || memcmp(image, ELFMAG, SELFMAG) != 0) {
		why_set(why, why_size, "the decompressed payload is not an ELF vmlinux");
		return -EBADMSG;
	}
	r = feat_elf_btf_section("vmlinux ELF", image, n, &sec, size, why, why_size);
	if (r == -ENODATA)
		why_set(why, why_size, "the vmlinux inside has no .BTF section (CONFIG_DEBUG_INFO_BTF not set?)");
	if (r < 0)
		return r;
	*btf = malloc(*size);
	if (!*btf)
		return -ENOMEM;
	memcpy(*btf, sec, *size);
	return 0;
}

/* Where the compressed vmlinux lies in a bzImage. */
static int bzimage_payload(const uint8_t *p, size_t n, size_t *off, size_t *len,
			   char *why, size_t why_size)
{
	unsigned int version = p[0x206] | p[0x207] << 8;
	unsigned int setup_sects = p[0x1f1] ? p[0x1f1] : 4;
	uint64_t start;

	if (version < 0x208) {
		why_set(why, why_size, "bzImage boot protocol %u.%02u has no payload fields (2.08+)",
			version >> 8, version & 0xff);
		return -EPROTONOSUPPORT;
	}
	start = (uint64_t)(setup_sects + 1) * 512 + le32(p + 0x248);
	*len = le32(p + 0x24c);
	if (start > n || *len > n - start || *len < 8) {
		why_set(why, why_size,
			"bzImage payload (%llu bytes at %llu) runs past the end of the file (%zu bytes): truncated",
			(unsigned long long)*len, (unsigned long long)start, n);
		return -EBADMSG;
	}
	*off = (size_t)start;
	return 0;
}

int feat_image_btf(int fd, void **btf, size_t *size, char *why, size_t why_size)
{
	struct inflated o = { 0 };
	const char *format;
	const uint8_t *in;
	size_t off = 0, len;
	struct stat st;
	void *map;
	int r;

	*btf = NULL;
	why[0] = '\0';
	if (fstat(fd, &st) < 0) {
		r = -errno;
		why_set(why, why_size, "fstat: %s", strerror(-r));
		return r;
	}
	if (!S_ISREG(st.st_mode) || st.st_size < 16) {
		why_set(why, why_size, S_ISREG(st.st_mode) ? "too short for a kernel image"
							   : "not a regular file");
		return S_ISREG(st.st_mode) ? -EBADMSG : -EINVAL;
	}
	if ((uint64_t)st.st_size > IMAGE_VMLINUX_MAX) {
		why_set(why, why_size, "%lld bytes: too big for a kernel image", (long long)st.st_size);
		return -EFBIG;
	}
	len = (size_t)st.st_size;
	map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED) {
		r = -errno;
		why_set(why, why_size, "mmap: %s", strerror(-r));
		return r;
	}
	in = map;
	if (is_bzimage(in, len)) {
		r = bzimage_payload(in, len, &off, &len, why, why_size);
		if (r < 0)
			goto out;
	}
	format = compression_of(in + off, len);
	if (!format) {
		why_set(why, why_size, off ? "bzImage payload in an unknown format (%02x %02x %02x %02x)"
					   : "neither a kernel image, a compressed vmlinux nor BTF (%02x %02x %02x %02x)",
			in[off], in[off + 1], in[off + 2], in[off + 3]);
		r = -EBADMSG;
		goto out;
	}
	/* A bzImage payload ends with the vmlinux size: allocate that at
	 * once. lz4's legacy format has no end mark: cut the size off. */
	if (off && le32(in + off + len - 4) > 0 && le32(in + off + len - 4) <= IMAGE_VMLINUX_MAX) {
		o.cap = le32(in + off + len - 4);
		o.data = malloc(o.cap);
		if (!o.data) {
			r = -ENOMEM;
			goto out;
		}
	}
	if (off && strcmp(format, "lz4") == 0)
		len -= 4;
	r = inflate_any(format, in + off, len, &o, why, why_size);
	if (r == -EFBIG)
		why_set(why, why_size, "%s data inflates past %u MiB: refused", format,
			IMAGE_VMLINUX_MAX >> 20);
	if (r == 0)
		r = elf_btf(o.data, o.len, btf, size, why, why_size);
	if (r == 0)
		why_set(why, why_size, "%s%s, a %zu-byte vmlinux", format,
			off ? " payload" : "", o.len);
out:
	if (r < 0 && !why[0])
		why_set(why, why_size, "%s", strerror(-r));
	free(o.data);
	munmap(map, (size_t)st.st_size);
	return r;
}
