// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Kernel version, from the sources a distribution leaves, most trusted first:
 * Ubuntu's /proc/version_signature ("Ubuntu 5.15.0-91.101-generic 5.15.131"),
 * Debian's uname -v ("#1 SMP PREEMPT_DYNAMIC Debian 6.1.170-3 (...)"), then
 * uname -r, whose numbers are the upstream base on both (Ubuntu says
 * 5.15.0 for 5.15.131). The vDSO's LINUX_VERSION_CODE note is a cross-check
 * only: KERNEL_VERSION() clamps the sublevel at 255 since 4.9.256/4.14.217
 * (kernel commit "kbuild: clamp SUBLEVEL to 255").
 */
#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/utsname.h>

#include "probes.h"

/* "X.Y[.Z]" at s; the number may be followed by anything but a digit or dot. */
static int parse_dotted(const char *s, unsigned int *major, unsigned int *minor,
			unsigned int *patch)
{
	unsigned long v[3] = { 0, 0, 0 };
	int n = 0;

	while (n < 3) {
		char *end;

		if (!isdigit((unsigned char)*s))
			break;
		errno = 0;
		v[n] = strtoul(s, &end, 10);
		if (errno || v[n] > 65535)
			return -EINVAL;
		n++;
		s = end;
		if (*s != '.' || !isdigit((unsigned char)s[1]))
			break;
		s++;
	}
	if (n < 2)
		return -EINVAL;
	*major = v[0];
	*minor = v[1];
	*patch = v[2];
	return 0;
}

/* The word after "Debian " that starts with a digit: "Debian 6.1.170-3". */
static const char *find_debian(const char *s)
{
	const char *p = s;

	while ((p = strstr(p, "Debian ")) != NULL) {
		p += strlen("Debian ");
		if (isdigit((unsigned char)*p))
			return p;
	}
	return NULL;
}

/*
 * "X.Y.0-N...": the distributions' ABI form of uname -r (Debian
 * "6.1.0-56-cloud-amd64" is 6.1.192, Ubuntu "5.15.0-91-generic" 5.15.131):
 * the .0 is not the sublevel. "6.8.0-rc1" and "6.18.44-fc" are not.
 */
static bool is_abi_release(const char *s)
{
	const char *p = s;

	for (int dots = 0; dots < 2; dots++) {
		while (isdigit((unsigned char)*p))
			p++;
		if (*p != '.')
			return false;
		p++;
	}
	return p[0] == '0' && p[1] == '-' && isdigit((unsigned char)p[2]);
}

FEAT_API int feat_kversion_parse(const char *source, const char *text,
				 unsigned int *major, unsigned int *minor,
				 unsigned int *patch)
{
	unsigned int a, b, c;
	bool abi = false;
	const char *p;
	int r;

	if (!source || !text)
		return -EINVAL;
	if (strcmp(source, "version_signature") == 0) {
		/* The upstream version is the last word. */
		size_t len = strlen(text);

		while (len > 0 && isspace((unsigned char)text[len - 1]))
			len--;
		p = text + len;
		while (p > text && !isspace((unsigned char)p[-1]))
			p--;
		if (p == text)
			return -EINVAL;
	} else if (strcmp(source, "uname -v") == 0) {
		p = find_debian(text);
		if (!p)
			return -EINVAL;
	} else if (strcmp(source, "uname -r") == 0 ||
		   strcmp(source, "release") == 0) {
		p = text;
		abi = is_abi_release(text);
	} else if (strcmp(source, "proc/version") == 0) {
		/* uname -v follows the last '#'; before it, the compiler's
		 * own "(Debian 12.2.0-14)" must not be taken for the kernel. */
		const char *hash = strrchr(text, '#');

		p = find_debian(hash ? hash : text);
		if (!p) {
			if (strncmp(text, "Linux version ", 14) != 0)
				return -EINVAL;
			p = text + 14;
		}
	} else {
		return -EINVAL;
	}
	r = parse_dotted(p, &a, &b, &c);
	if (r < 0)
		return r;
	if (major)
		*major = a;
	if (minor)
		*minor = b;
	if (patch)
		*patch = c;
	return abi ? 1 : 0;
}

/* LINUX_VERSION_CODE from the vDSO's "Linux" ELF note (type 0). */
static uint32_t vdso_version_code(void)
{
	const ElfW(Ehdr) *eh = (const void *)getauxval(AT_SYSINFO_EHDR);
	const ElfW(Phdr) *ph;

	/* Absent under valgrind and on some architectures. */
	if (!eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
		return 0;
	ph = (const void *)((const char *)eh + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++) {
		const char *p, *end;

		if (ph[i].p_type != PT_NOTE)
			continue;
		p = (const char *)eh + ph[i].p_offset;
		end = p + ph[i].p_filesz;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *nh = (const void *)p;
			const char *name = p + sizeof(*nh);
			const char *desc = name + ((nh->n_namesz + 3) & ~3u);

			if (desc + nh->n_descsz > end)
				break;
			if (nh->n_type == 0 && nh->n_namesz == 6 &&
			    memcmp(name, "Linux", 6) == 0 && nh->n_descsz == 4) {
				uint32_t code;

				memcpy(&code, desc, 4);
				return code;
			}
			p = desc + ((nh->n_descsz + 3) & ~3u);
		}
	}
	return 0;
}

static void seen(struct feat_ctx *ctx, const char *name, const char *value)
{
	size_t i = ctx->kversion.n_seen;

	if (i >= FEAT_KVERSION_SOURCES)
		return;
	snprintf(ctx->seen_buf[i], sizeof(ctx->seen_buf[i]), "%s", value);
	strtrim(ctx->seen_buf[i]);
	ctx->seen_name[i] = name;
	ctx->seen_value[i] = ctx->seen_buf[i];
	ctx->kversion.n_seen++;
}

/* Take the first source, in the order seen (most trusted first), that parses. */
static void choose(struct feat_ctx *ctx)
{
	struct feat_kversion *kv = &ctx->kversion;

	for (size_t i = 0; i < kv->n_seen; i++) {
		unsigned int a, b, c;
		int r;

		r = feat_kversion_parse(ctx->seen_name[i], ctx->seen_value[i], &a, &b, &c);
		if (r < 0)
			continue;
		kv->major = a;
		kv->minor = b;
		kv->patch = c;
		kv->patch_known = r == 0;
		kv->source = ctx->seen_name[i];
		if (kv->patch_known)
			snprintf(ctx->version, sizeof(ctx->version), "%u.%u.%u", a, b, c);
		else
			snprintf(ctx->version, sizeof(ctx->version), "%u.%u", a, b);
		kv->version = ctx->version;
		return;
	}
}

void feat_kversion_load(struct feat_ctx *ctx)
{
	struct feat_kversion *kv = &ctx->kversion;
	char line[256];

	if (ctx->kversion_done)
		return;
	ctx->kversion_done = true;
	kv->sz = sizeof(*kv);
	kv->seen_name = ctx->seen_name;
	kv->seen_value = ctx->seen_value;

	if (!(ctx->flags & FEAT_F_OFFLINE)) {
		struct utsname u;

		if (uname(&u) == 0) {
			snprintf(ctx->release, sizeof(ctx->release), "%s",
				 u.release);
			if (feat_read_line(ctx, "/proc/version_signature", line,
					   sizeof(line)) == 0)
				seen(ctx, "version_signature", line);
			if (find_debian(u.version))
				seen(ctx, "uname -v", u.version);
			seen(ctx, "uname -r", u.release);
		}
		kv->code = vdso_version_code();
	} else {
		/* A target: the options, then the files of its root. */
		if (ctx->release_opt)
			snprintf(ctx->release, sizeof(ctx->release), "%s",
				 ctx->release_opt);
		else if (ctx->root &&
			 feat_read_line(ctx, "/proc/sys/kernel/osrelease", line,
					sizeof(line)) == 0)
			snprintf(ctx->release, sizeof(ctx->release), "%s",
				 strtrim(line));
		if (ctx->root) {
			if (feat_read_line(ctx, "/proc/version_signature", line,
					   sizeof(line)) == 0)
				seen(ctx, "version_signature", line);
			if (feat_read_line(ctx, "/proc/sys/kernel/version", line,
					   sizeof(line)) == 0 &&
			    find_debian(line))
				seen(ctx, "uname -v", line);
			else if (feat_read_line(ctx, "/proc/version", line,
						sizeof(line)) == 0)
				seen(ctx, "proc/version", line);
		}
		if (ctx->release[0])
			seen(ctx, ctx->release_opt ? "release" : "uname -r",
			     ctx->release);
	}
	if (ctx->release[0])
		kv->release = ctx->release;
	choose(ctx);
}

FEAT_API const struct feat_kversion *feat_kversion(struct feat_ctx *ctx)
{
	feat_kversion_load(ctx);
	return &ctx->kversion;
}

FEAT_API enum feat_state feat_kversion_at_least(struct feat_ctx *ctx,
						unsigned int major,
						unsigned int minor,
						unsigned int patch)
{
	const struct feat_kversion *kv = feat_kversion(ctx);
	uint64_t have, want;

	if (!kv->version)
		return FEAT_UNKNOWN;
	/* 6.1.0-56-cloud-amd64 against 6.1.192: the sublevel is not known. */
	if (!kv->patch_known && kv->major == major && kv->minor == minor && patch > 0)
		return FEAT_UNKNOWN;
	have = (uint64_t)kv->major << 32 | (uint64_t)kv->minor << 16 | kv->patch;
	want = (uint64_t)major << 32 | (uint64_t)minor << 16 | patch;
	return have >= want ? FEAT_YES : FEAT_NO;
}

void probe_kversion(struct feat_ctx *ctx, struct feat_result_buf *r)
{
	const struct feat_kversion *kv = feat_kversion(ctx);
	unsigned int cmaj, cmin, csub;

	if (!kv->version) {
		feat_result_set(r, FEAT_UNKNOWN, ENOENT,
				"no kernel version found%s%s",
				kv->release ? " in release " : "",
				kv->release ? kv->release : "");
		feat_result_source(r, "%s", ctx->root ? "root tree" : "uname");
		return;
	}
	feat_result_set(r, FEAT_YES, 0, "%s from %s", kv->version, kv->source);
	feat_result_source(r, "%s", kv->source);
	feat_result_kernel(r, FEAT_YES, false);
	if (!kv->code)
		return;
	cmaj = kv->code >> 16;
	cmin = (kv->code >> 8) & 0xff;
	csub = kv->code & 0xff;
	if (cmaj == kv->major && cmin == kv->minor &&
	    (!kv->patch_known || csub == kv->patch || (csub == 255 && kv->patch > 255)))
		feat_result_append(r, "; the vDSO's LINUX_VERSION_CODE %u.%u.%u agrees",
				   cmaj, cmin, csub);
	else
		feat_result_append(r, "; the vDSO's LINUX_VERSION_CODE says %u.%u.%u",
				   cmaj, cmin, csub);
}
