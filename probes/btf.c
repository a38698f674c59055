// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * vmlinux BTF: where it is, whether its header holds, which modules have
 * their own. Full parsing is libbpf's (btf__parse); the one question the
 * default report asks of BTF, the id of typedef btf_trace_sched_switch for
 * the tp_btf probe, is answered by a narrow scan of the type section,
 * because a full libbpf parse of vmlinux BTF costs more (8.5 ms in a fresh
 * process) than the whole report's budget.
 */
#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/btf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "probes.h"

#define BTF_MAGIC_NATIVE 0xeB9F

/* Where libbpf's btf__load_vmlinux_btf() looks, after sysfs. */
static const char *const btf_paths[] = {
	"/sys/kernel/btf/vmlinux",
	"/boot/vmlinux-%1$s",
	"/lib/modules/%1$s/vmlinux-%1$s",
	"/lib/modules/%1$s/build/vmlinux",
	"/usr/lib/modules/%1$s/kernel/vmlinux",
	"/usr/lib/debug/boot/vmlinux-%1$s",
	"/usr/lib/debug/boot/vmlinux-%1$s.debug",
	"/usr/lib/debug/lib/modules/%1$s/vmlinux",
	/* Kernel images last, and for a target only: inflating one costs a
	 * good part of a second. Debian's place, then Fedora's. */
	"/boot/vmlinuz-%1$s",
	"/lib/modules/%1$s/vmlinuz",
};
#define BTF_PATHS_IMAGES 2

void feat_btf_locate(struct feat_ctx *ctx)
{
	const char *release;
	int first_err = 0;

	if (ctx->btf_done)
		return;
	ctx->btf_done = true;
	if (ctx->btf_path) {
		ctx->btf_file = strdup(ctx->btf_path);
		ctx->btf_err = ctx->btf_file ? 0 : ENOMEM;
		return;
	}
	release = feat_kversion(ctx)->release;
	for (size_t i = 0; i < ARRAY_SIZE(btf_paths); i++) {
		char path[PATH_MAX];
		int r;

		if (i > 0 && !release)
			break;
		/* sysfs holds the running kernel's BTF: a target named only by
		 * its release is not that kernel (a root tree has its own). */
		if (i == 0 && (ctx->flags & FEAT_F_OFFLINE) && !ctx->root)
			continue;
		/* The running kernel's BTF is in sysfs, or nowhere. */
		if (i >= ARRAY_SIZE(btf_paths) - BTF_PATHS_IMAGES && !(ctx->flags & FEAT_F_OFFLINE))
			continue;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		snprintf(path, sizeof(path), btf_paths[i], release);
#pragma GCC diagnostic pop
		r = feat_access(ctx, path, R_OK);
		if (r < 0) {
			if (!first_err || first_err == ENOENT)
				first_err = -r;
			continue;
		}
		ctx->btf_file = strdup(path);
		ctx->btf_err = ctx->btf_file ? 0 : ENOMEM;
		return;
	}
	ctx->btf_err = first_err ? first_err : ENOENT;
}

/* The path to hand to open() or libbpf: the BTF file under the root. */
static int btf_real_path(struct feat_ctx *ctx, char *buf, size_t size)
{
	const char *p;

	feat_btf_locate(ctx);
	if (ctx->btf_err)
		return -ctx->btf_err;
	p = ctx->btf_path ? ctx->btf_file : feat_path(ctx, ctx->btf_file, buf, size);
	if (!p)
		return -ENAMETOOLONG;
	if (p != buf)
		snprintf(buf, size, "%s", p);
	return 0;
}

/*
 * libbpf prints its warnings to stderr unless told otherwise, through one
 * process-wide callback. A library must not take that callback from its
 * caller for good: it is swapped in around our own libbpf calls only, and
 * libbpf's words go to the context's log at debug priority.
 */
static __thread struct feat_ctx *libbpf_ctx;

static int libbpf_to_log(enum libbpf_print_level level, const char *format,
			 va_list args)
{
	char msg[512];

	(void)level;
	if (!libbpf_ctx || libbpf_ctx->log_priority < LOG_DEBUG)
		return 0;
	vsnprintf(msg, sizeof(msg), format, args);
	feat_log(libbpf_ctx, LOG_DEBUG, __FILE__, __LINE__, "libbpf", "%s", msg);
	return 0;
}

/* Around a libbpf call made for @ctx: feat_libbpf_log_end(the return). */
libbpf_print_fn_t feat_libbpf_log_begin(struct feat_ctx *ctx)
{
	libbpf_print_fn_t old = libbpf_set_print(libbpf_to_log);

	libbpf_ctx = ctx;
	return old;
}

void feat_libbpf_log_end(libbpf_print_fn_t old)
{
	libbpf_ctx = NULL;
	libbpf_set_print(old);
}

struct btf *feat_btf_parse(struct feat_ctx *ctx, const char *path, int *errp)
{
	libbpf_print_fn_t old;
	uint8_t head[0x250];
	char fdpath[64];
	struct btf *btf;
	struct stat st;
	uint16_t magic;
	size_t size;
	ssize_t n;
	void *data;
	int fd, e;

	/* libbpf opens the path without O_NONBLOCK: a FIFO would hang it.
	 * Open it ourselves, refuse what is not a regular file, and hand
	 * libbpf the very file we checked. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		*errp = errno;
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		*errp = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		close(fd);
		return NULL;
	}
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	n = pread(fd, head, sizeof(head), 0);
	memcpy(&magic, head, sizeof(magic));
	old = feat_libbpf_log_begin(ctx);
	errno = 0;
	ctx->btf_why[0] = '\0';
	ctx->btf_image[0] = '\0';
	if (n >= (ssize_t)sizeof(magic) &&
	    (magic == BTF_MAGIC_NATIVE || magic == 0x9FEB) && st.st_size > 0 &&
	    (data = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0)) != MAP_FAILED) {
		/* Raw BTF: hand libbpf the mapped bytes. btf__parse() would
		 * read sysfs in 4 KiB read()s, 1,359 of them for vmlinux,
		 * ten times slower than the parse itself. MAP_POPULATE maps
		 * every page in one call: btf__new() reads them all, and
		 * one fault per page costs more than its copy on a
		 * virtualised host. */
		btf = btf__new(data, (uint32_t)st.st_size);
		e = btf ? 0 : errno ? errno : EINVAL;
		munmap(data, (size_t)st.st_size);
	} else if (n > 0 && feat_image_kind(head, (size_t)n)) {
		/* A bzImage or a compressed vmlinux: inflate it in memory. */
		e = -feat_image_btf(fd, &data, &size, ctx->btf_why, sizeof(ctx->btf_why));
		btf = e ? NULL : btf__new(data, (uint32_t)size);
		if (!e && !btf) {
			e = errno ? errno : EINVAL;
			snprintf(ctx->btf_why, sizeof(ctx->btf_why),
				 "the .BTF section of the vmlinux inside is not valid BTF");
		}
		if (!e) {
			/* On success the reader says what it inflated. */
			snprintf(ctx->btf_image, sizeof(ctx->btf_image), "%s", ctx->btf_why);
			ctx->btf_why[0] = '\0';
			dbg(ctx, "%s: %s (%s), %zu bytes of BTF inside\n", path,
			    feat_image_kind(head, (size_t)n), ctx->btf_image, size);
		}
		free(data);
	} else {
		btf = btf__parse(fdpath, NULL);
		e = btf ? 0 : errno ? errno : EINVAL;
	}
	feat_libbpf_log_end(old);
	close(fd);
	/* libbpf's own codes (LIBBPF_ERRNO__*, 4000 and up) mean "not BTF". */
	if (e >= 4000)
		e = EBADMSG;
	*errp = e;
	return btf;
}

/*
 * What libbpf 1.1's btf__new() does not check and its btf_dump trusts:
 * every type id a type refers to exists and every name offset resolves.
 * (libbpf checks both itself only from 1.3, "libbpf: Add basic BTF sanity
 * validation".) Type ids of a split BTF start after its base's; the check
 * covers the types this BTF adds.
 */
static bool id_ok(uint32_t id, uint32_t n)
{
	return id < n;
}

/*
 * The types a type needs to be printed, short of a struct or union (which
 * btf_dump can forward-declare, so cycles through them are fine): the
 * target of a modifier, typedef or pointer, an array's element, a
 * function's prototype, a prototype's return and parameter types.
 */
static unsigned int type_edges(const struct btf_type *t, uint32_t *out)
{
	unsigned int n = 0;

	switch (btf_kind(t)) {
	case BTF_KIND_PTR:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
	case BTF_KIND_TYPE_TAG:
		out[n++] = t->type;
		break;
	case BTF_KIND_ARRAY:
		out[n++] = btf_array(t)->type;
		break;
	case BTF_KIND_FUNC_PROTO:
		out[n++] = t->type;
		for (unsigned int i = 0; i < btf_vlen(t) && i < 63; i++)
			out[n++] = btf_params(t)[i].type;
		break;
	default:
		break;
	}
	return n;
}

/*
 * A cycle that does not pass through a struct or union (typedef A ->
 * const -> typedef A) sends libbpf 1.1's btf_dump into endless recursion
 * (found by the layout fuzzer). The kernel refuses such BTF (btf_resolve's
 * loop check); so do we. Iterative depth-first search with three colours.
 */
static int btf_check_cycles(const struct btf *btf, uint32_t first, uint32_t n)
{
	struct frame {
		uint32_t id;
		unsigned int next, n_edges;
		uint32_t edges[64];
	} *stack;
	unsigned char *colour;
	int r = 0;

	colour = calloc(n, 1);
	stack = malloc(sizeof(*stack) * 64);
	if (!colour || !stack) {
		free(colour);
		free(stack);
		return -ENOMEM;
	}
	for (uint32_t root = first; root < n && !r; root++) {
		size_t depth = 0, cap = 64;

		if (colour[root])
			continue;
		stack[0].id = root;
		stack[0].next = 0;
		stack[0].n_edges = type_edges(btf__type_by_id(btf, root), stack[0].edges);
		colour[root] = 1;
		depth = 1;
		while (depth && !r) {
			struct frame *f = &stack[depth - 1];
			uint32_t to;

			if (f->next == f->n_edges) {
				colour[f->id] = 2;
				depth--;
				continue;
			}
			to = f->edges[f->next++];
			/* Ids below first belong to a base BTF: already checked. */
			if (to < first || colour[to] == 2)
				continue;
			if (colour[to] == 1) {
				r = -ELOOP;
				break;
			}
			if (depth == cap) {
				struct frame *ns = realloc(stack, sizeof(*stack) * cap * 2);

				if (!ns) {
					r = -ENOMEM;
					break;
				}
				stack = ns;
				cap *= 2;
			}
			colour[to] = 1;
			stack[depth].id = to;
			stack[depth].next = 0;
			stack[depth].n_edges = type_edges(btf__type_by_id(btf, to), stack[depth].edges);
			depth++;
		}
	}
	free(stack);
	free(colour);
	return r == -ELOOP ? -EBADMSG : r;
}

/*
 * btf_dump prints anonymous structs, unions and enums inline, wherever they
 * are used, behind pointers and inside function prototypes too. Forged BTF
 * can nest them so that the text doubles with each level: a 2.6 KB file
 * kept the layout fuzzer busy for minutes. Count what would be printed
 * inline, in type references, and refuse BTF where one type expands past
 * INLINE_MAX or nests deeper than INLINE_DEPTH (vmlinux stays far below).
 */
#define INLINE_MAX (1u << 20)
#define INLINE_DEPTH 256
#define INLINE_BUSY UINT32_MAX

static uint32_t inline_cost(const struct btf *btf, uint32_t id, uint32_t *memo,
			    unsigned int depth)
{
	const struct btf_type *t;
	uint64_t c = 1;
	bool anon;

	if (id == 0)
		return 1;
	if (memo[id] == INLINE_BUSY || depth > INLINE_DEPTH)
		return INLINE_MAX; /* an inline cycle, or too deep */
	if (memo[id])
		return memo[id];
	t = btf__type_by_id(btf, id);
	anon = !t->name_off || !*btf__name_by_offset(btf, t->name_off);
	memo[id] = INLINE_BUSY;
	switch (btf_kind(t)) {
	case BTF_KIND_PTR:
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		c = inline_cost(btf, t->type, memo, depth + 1);
		break;
	case BTF_KIND_ARRAY:
		c = inline_cost(btf, btf_array(t)->type, memo, depth + 1);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		for (unsigned int i = 0; anon && i < btf_vlen(t) && c < INLINE_MAX; i++)
			c += inline_cost(btf, btf_members(t)[i].type, memo, depth + 1);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if (anon)
			c += btf_vlen(t);
		break;
	case BTF_KIND_FUNC_PROTO:
		c += inline_cost(btf, t->type, memo, depth + 1);
		for (unsigned int i = 0; i < btf_vlen(t) && c < INLINE_MAX; i++)
			c += inline_cost(btf, btf_params(t)[i].type, memo, depth + 1);
		break;
	default:
		break;
	}
	memo[id] = c < INLINE_MAX ? (uint32_t)c : INLINE_MAX;
	return memo[id];
}

static int btf_check_inline(const struct btf *btf, uint32_t first, uint32_t n)
{
	uint32_t *memo = calloc(n, sizeof(*memo));
	int r = 0;

	if (!memo)
		return -ENOMEM;
	for (uint32_t id = first; id < n && !r; id++)
		if (inline_cost(btf, id, memo, 0) >= INLINE_MAX)
			r = -EBADMSG;
	free(memo);
	return r;
}

int feat_btf_validate(const struct btf *btf)
{
	uint32_t n = btf__type_cnt(btf);
	const struct btf *base = btf__base_btf(btf);
	uint32_t first = base ? btf__type_cnt(base) : 1;
	uint32_t edges[64];
	int r;

	/* libbpf 1.1 takes a header that puts the type section at an odd
	 * offset; every record is a multiple of 4 bytes, so the first one's
	 * alignment is every one's (UBSan, layout fuzzer). */
	if (first < n && ((uintptr_t)btf__type_by_id(btf, first) & 3))
		return -EBADMSG;
	for (uint32_t id = first; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		unsigned int vlen, m;

		if (!t || !btf__name_by_offset(btf, t->name_off))
			return -EBADMSG;
		vlen = btf_vlen(t);
		/* No kernel function has 64 parameters; type_edges() and the
		 * cycle check follow at most 63. */
		if (btf_kind(t) == BTF_KIND_FUNC_PROTO && vlen > 63)
			return -EBADMSG;
		m = type_edges(t, edges);
		for (unsigned int i = 0; i < m; i++)
			if (!id_ok(edges[i], n))
				return -EBADMSG;
		/* What type_edges() leaves out: array indexes, members, the
		 * names of parameters and enumerators, section variables. */
		switch (btf_kind(t)) {
		case BTF_KIND_ARRAY:
			if (!id_ok(btf_array(t)->index_type, n))
				return -EBADMSG;
			break;
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			/* A member past the end makes btf_dump pad the gap
			 * with "long: 64;" lines, gigabytes of them for a
			 * forged offset (the kernel's btf_struct_check_member
			 * refuses it too). */
			for (unsigned int i = 0; i < vlen; i++)
				if (!id_ok(btf_members(t)[i].type, n) ||
				    !btf__name_by_offset(btf, btf_members(t)[i].name_off) ||
				    (uint64_t)btf_member_bit_offset(t, i) +
						    btf_member_bitfield_size(t, i) >
					    (uint64_t)t->size * 8)
					return -EBADMSG;
			break;
		case BTF_KIND_FUNC_PROTO:
			for (unsigned int i = 0; i < vlen; i++)
				if (!btf__name_by_offset(btf, btf_params(t)[i].name_off))
					return -EBADMSG;
			break;
		case BTF_KIND_ENUM:
			for (unsigned int i = 0; i < vlen; i++)
				if (!btf__name_by_offset(btf, btf_enum(t)[i].name_off))
					return -EBADMSG;
			break;
		case BTF_KIND_ENUM64:
			for (unsigned int i = 0; i < vlen; i++)
				if (!btf__name_by_offset(btf, btf_enum64(t)[i].name_off))
					return -EBADMSG;
			break;
		case BTF_KIND_DATASEC:
			for (unsigned int i = 0; i < vlen; i++)
				if (!id_ok(btf_var_secinfos(t)[i].type, n))
					return -EBADMSG;
			break;
		default:
			break;
		}
	}
	r = btf_check_cycles(btf, first, n);
	return r ? r : btf_check_inline(btf, first, n);
}

struct btf *feat_btf_get(struct feat_ctx *ctx, int *errp)
{
	char path[PATH_MAX];
	struct btf *btf;
	int r;

	if (ctx->btf || ctx->btf_parse_err) {
		if (errp)
			*errp = ctx->btf_parse_err;
		return ctx->btf;
	}
	r = btf_real_path(ctx, path, sizeof(path));
	if (r < 0) {
		ctx->btf_parse_err = -r;
		goto out;
	}
	btf = feat_btf_parse(ctx, path, &r);
	/* The running kernel checked its own BTF when it booted
	 * (btf_parse_vmlinux); any other file is checked here. */
	if (btf && !(!(ctx->flags & FEAT_F_OFFLINE) &&
		     strcmp(path, "/sys/kernel/btf/vmlinux") == 0) &&
	    (r = -feat_btf_validate(btf)) != 0) {
		btf__free(btf);
		btf = NULL;
	}
	if (!btf) {
		ctx->btf_parse_err = r;
		err(ctx, "%s: cannot read BTF: %s\n", path,
		    ctx->btf_why[0] ? ctx->btf_why : strerror(r));
		goto out;
	}
	ctx->btf = btf;
out:
	if (errp)
		*errp = ctx->btf_parse_err;
	return ctx->btf;
}

/* Bytes that follow struct btf_type for each kind (include/uapi/linux/btf.h). */
static long btf_type_extra(const struct btf_type *t)
{
	unsigned int vlen = BTF_INFO_VLEN(t->info);

	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT:
	case BTF_KIND_VAR:
	case 17: /* BTF_KIND_DECL_TAG */
		return 4;
	case BTF_KIND_PTR:
	case BTF_KIND_FWD:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_FLOAT:
	case 18: /* BTF_KIND_TYPE_TAG */
		return 0;
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return (long)vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return (long)vlen * sizeof(struct btf_enum);
	case BTF_KIND_FUNC_PROTO:
		return (long)vlen * sizeof(struct btf_param);
	case BTF_KIND_DATASEC:
		return (long)vlen * sizeof(struct btf_var_secinfo);
	case 19: /* BTF_KIND_ENUM64: name_off, val_lo32, val_hi32 */
		return (long)vlen * 12;
	default:
		return -1;
	}
}

/*
 * The narrow scan: walk the records of a native-endian raw BTF blob, by size
 * only, comparing the names of @kind. -ENOENT when absent, -EBADMSG when the
 * blob is not what its header says (the caller then asks libbpf).
 */
static int btf_scan(const void *data, size_t size, const char *name, int kind,
		    uint32_t *id, uint32_t *offset)
{
	const struct btf_header *h = data;
	const char *types, *strs, *p, *end;
	size_t name_len = strlen(name);
	uint32_t next_id = 1;

	/* Records are 4-byte aligned in any BTF the kernel or libbpf wrote;
	 * anything else is read by libbpf, not cast here. */
	if (size < sizeof(*h) || ((uintptr_t)data & 3) || h->magic != BTF_MAGIC_NATIVE ||
	    (h->hdr_len + h->type_off) % 4 ||
	    h->version != BTF_VERSION || h->hdr_len < sizeof(*h) ||
	    h->hdr_len > size ||
	    (uint64_t)h->hdr_len + h->type_off + h->type_len > size ||
	    (uint64_t)h->hdr_len + h->str_off + h->str_len > size)
		return -EBADMSG;
	types = (const char *)data + h->hdr_len + h->type_off;
	strs = (const char *)data + h->hdr_len + h->str_off;
	p = types;
	end = types + h->type_len;
	while (p + sizeof(struct btf_type) <= end) {
		const struct btf_type *t = (const void *)p;
		long extra = btf_type_extra(t);

		if (extra < 0)
			return -EBADMSG;
		if ((int)BTF_INFO_KIND(t->info) == kind && t->name_off < h->str_len &&
		    h->str_len - t->name_off > name_len &&
		    memcmp(strs + t->name_off, name, name_len + 1) == 0) {
			*id = next_id;
			*offset = (uint32_t)(p - types);
			return 0;
		}
		p += sizeof(*t) + extra;
		next_id++;
	}
	return p == end ? -ENOENT : -EBADMSG;
}

/*
 * The per-boot cache of BTF type ids. vmlinux BTF cannot change until
 * reboot, so the id found by a scan is kept in a file keyed on the boot id
 * and the BTF's size, with the byte offset of the type record, and checked
 * against the BTF itself (two small preads) before every use. The check
 * proves the record at the offset has the name, not that the id is the
 * record's: a caller whose kernel refuses a cached id sets
 * ctx->btf_cache_distrust and asks again, which rescans and rewrites the
 * entry, so that a stale or planted entry never decides a verdict.
 */
#define CACHE_FILE "btf-ids"

static int cache_dir(char *buf, size_t size)
{
	const char *dir = secure_getenv("FEAT_CACHE_DIR");
	const char *xdg;
	struct stat st;

	if (!dir || !*dir) {
		if (geteuid() == 0) {
			dir = "/run/libfeat";
		} else if ((xdg = secure_getenv("XDG_RUNTIME_DIR")) && *xdg == '/') {
			snprintf(buf, size, "%s/libfeat", xdg);
			dir = buf;
		} else {
			return -ENOENT;
		}
	}
	if (dir != buf)
		snprintf(buf, size, "%s", dir);
	if (mkdir(buf, 0700) < 0 && errno != EEXIST)
		return -errno;
	/* Only a directory of the caller's that nobody else can write. */
	if (lstat(buf, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022))
		return -EPERM;
	return 0;
}

static bool cache_enabled(struct feat_ctx *ctx)
{
	const char *no = secure_getenv("FEAT_NO_CACHE");

	return !(ctx->flags & (FEAT_F_OFFLINE | FEAT_F_NO_CACHE)) && !ctx->btf_path &&
	       !(no && *no && strcmp(no, "0") != 0) &&
	       strcmp(ctx->btf_file, "/sys/kernel/btf/vmlinux") == 0;
}

/* The cache key: boot id and the BTF file's size. */
static int cache_key(struct feat_ctx *ctx, const struct stat *st, char *key,
		     size_t size)
{
	char boot[64];
	int r;

	r = feat_read_line(ctx, "/proc/sys/kernel/random/boot_id", boot, sizeof(boot));
	if (r < 0)
		return r;
	snprintf(key, size, "%s %lld", strtrim(boot), (long long)st->st_size);
	return 0;
}

/* Does the record at @offset of the type section name @name with @kind? */
static bool cache_check(int fd, const struct btf_header *h, const char *name,
			int kind, uint32_t offset)
{
	size_t len = strlen(name);
	struct btf_type t;
	char buf[256];

	if (len + 1 > sizeof(buf) || offset > h->type_len - sizeof(t) ||
	    pread(fd, &t, sizeof(t), (off_t)h->hdr_len + h->type_off + offset) != sizeof(t) ||
	    (int)BTF_INFO_KIND(t.info) != kind || t.name_off >= h->str_len ||
	    pread(fd, buf, len + 1, (off_t)h->hdr_len + h->str_off + t.name_off) != (ssize_t)(len + 1))
		return false;
	return memcmp(buf, name, len + 1) == 0;
}

static int cache_lookup(struct feat_ctx *ctx, int fd, const struct stat *st,
			const char *name, int kind, uint32_t *id)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], key[128], *text, *line;
	struct btf_header h;
	int r = -ENOENT;

	if (cache_dir(dir, sizeof(dir)) < 0 || cache_key(ctx, st, key, sizeof(key)) < 0)
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/" CACHE_FILE, dir);
	{
		int cfd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
		struct stat cst;

		if (cfd < 0)
			return -ENOENT;
		if (fstat(cfd, &cst) < 0 || cst.st_uid != geteuid() ||
		    feat_read_fd(cfd, 1u << 16, &text, NULL) < 0) {
			close(cfd);
			return -ENOENT;
		}
		close(cfd);
	}
	if (pread(fd, &h, sizeof(h), 0) != sizeof(h) || h.magic != BTF_MAGIC_NATIVE)
		goto out;
	line = strtok(text, "\n");
	if (!line || strcmp(line, key) != 0)
		goto out;
	while ((line = strtok(NULL, "\n"))) {
		char n[128];
		unsigned int k, i, off;

		if (sscanf(line, "%127s %u %u %u", n, &k, &i, &off) != 4 ||
		    strcmp(n, name) != 0 || (int)k != kind)
			continue;
		if (cache_check(fd, &h, name, kind, off)) {
			*id = i;
			r = 0;
		}
		break;
	}
out:
	free(text);
	return r;
}

/* Add one entry; the file is replaced atomically, never written in place. */
static void cache_store(struct feat_ctx *ctx, const struct stat *st,
			const char *name, int kind, uint32_t id, uint32_t offset)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], tmp[PATH_MAX + 32], key[128];
	char *old = NULL, *line;
	FILE *f;
	int fd;

	if (cache_dir(dir, sizeof(dir)) < 0 || cache_key(ctx, st, key, sizeof(key)) < 0)
		return;
	snprintf(path, sizeof(path), "%s/" CACHE_FILE, dir);
	snprintf(tmp, sizeof(tmp), "%s/.%s.%d", dir, CACHE_FILE, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return;
	}
	fprintf(f, "%s\n%s %d %u %u\n", key, name, kind, id, offset);
	/* Keep the other entries of the same boot and BTF. */
	{
		int cfd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);

		if (cfd >= 0) {
			if (feat_read_fd(cfd, 1u << 16, &old, NULL) < 0)
				old = NULL;
			close(cfd);
		}
	}
	if (old && (line = strtok(old, "\n")) && strcmp(line, key) == 0) {
		while ((line = strtok(NULL, "\n"))) {
			char n[128];

			if (sscanf(line, "%127s", n) == 1 && strcmp(n, name) != 0)
				fprintf(f, "%s\n", line);
		}
	}
	free(old);
	if (fclose(f) != 0 || rename(tmp, path) < 0)
		unlink(tmp);
	else
		dbg(ctx, "cached %s id %u in %s\n", name, id, path);
}

int feat_btf_find_id(struct feat_ctx *ctx, const char *name, int kind,
		     uint32_t *id)
{
	char path[PATH_MAX];
	struct stat st;
	void *data = MAP_FAILED;
	char *copy = NULL;
	uint32_t offset = 0;
	bool cache;
	size_t size;
	int fd, r;

	if (ctx->btf) {
		r = btf__find_by_name_kind(ctx->btf, name, kind);
		if (r < 0)
			return r;
		*id = (uint32_t)r;
		return 0;
	}
	r = btf_real_path(ctx, path, sizeof(path));
	if (r < 0)
		return r;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	cache = cache_enabled(ctx);
	ctx->btf_id_cached = false;
	if (cache && !ctx->btf_cache_distrust &&
	    cache_lookup(ctx, fd, &st, name, kind, id) == 0) {
		close(fd);
		ctx->btf_id_cached = true;
		return 0;
	}
	size = (size_t)st.st_size;
	/* sysfs lets vmlinux BTF be mapped since 6.16; read it elsewhere. */
	if (size > 0)
		data = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (data == MAP_FAILED) {
		r = feat_read_fd(fd, 256u << 20, &copy, &size);
		close(fd);
		if (r < 0)
			return r;
		r = btf_scan(copy, size, name, kind, id, &offset);
		free(copy);
	} else {
		close(fd);
		r = btf_scan(data, size, name, kind, id, &offset);
		munmap(data, size);
	}
	if (r == 0 && cache)
		cache_store(ctx, &st, name, kind, *id, offset);
	if (r != -EBADMSG)
		return r;
	/* Not raw native BTF (an ELF vmlinux, another endianness): libbpf. */
	if (!feat_btf_get(ctx, &r))
		return -r;
	r = btf__find_by_name_kind(ctx->btf, name, kind);
	if (r < 0)
		return r;
	*id = (uint32_t)r;
	return 0;
}

enum feat_state feat_btf_enum_has(struct feat_ctx *ctx, const char *type,
				  const char *member)
{
	const struct btf_type *t;
	struct btf *btf;
	int id;

	btf = feat_btf_get(ctx, NULL);
	if (!btf)
		return FEAT_UNKNOWN;
	id = btf__find_by_name_kind(btf, type, BTF_KIND_ENUM);
	if (id < 0)
		return FEAT_UNKNOWN;
	t = btf__type_by_id(btf, id);
	for (unsigned int i = 0; i < btf_vlen(t); i++) {
		const char *n = btf__name_by_offset(btf, btf_enum(t)[i].name_off);

		if (n && strcmp(n, member) == 0)
			return FEAT_YES;
	}
	return FEAT_NO;
}

/* Check the raw BTF header: magic, version, sections inside the file. */
static int btf_header_check(struct feat_ctx *ctx, const char *path,
			    char *what, size_t what_size)
{
	union {
		struct btf_header h;
		uint8_t head[0x250];
	} u;
	struct btf_header h;
	const char *kind;
	struct stat st;
	ssize_t n;
	int fd;

	fd = ctx->btf_path ? open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
			   : feat_open(ctx, path, O_RDONLY);
	if (fd < 0 && ctx->btf_path)
		fd = -errno;
	if (fd < 0) {
		snprintf(what, what_size, "%s", strerror(-fd));
		return fd;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		snprintf(what, what_size, "not a regular file");
		return -EINVAL;
	}
	n = pread(fd, &u, sizeof(u), 0);
	close(fd);
	if (n < 0) {
		snprintf(what, what_size, "%s", strerror(errno));
		return -EIO;
	}
	memcpy(&h, &u.h, sizeof(h));
	kind = n > 0 ? feat_image_kind(u.head, (size_t)n) : NULL;
	if (kind) {
		snprintf(what, what_size, "a %s%s of %lld bytes", kind,
			 strcmp(kind, "bzImage") == 0 ? "" : "-compressed file",
			 (long long)st.st_size);
		return 1;
	}
	if ((size_t)n >= 4 && memcmp(&h, "\177ELF", 4) == 0) {
		snprintf(what, what_size, "an ELF file of %lld bytes",
			 (long long)st.st_size);
		return 1;
	}
	if ((size_t)n < sizeof(h) || h.magic != BTF_MAGIC_NATIVE) {
		snprintf(what, what_size, "no BTF magic (0x%04x)",
			 (size_t)n >= 2 ? h.magic : 0);
		return -EBADMSG;
	}
	if (h.version != BTF_VERSION) {
		snprintf(what, what_size, "BTF version %u, not %u", h.version,
			 BTF_VERSION);
		return -EPROTO;
	}
	/* sysfs reports the real size of the vmlinux BTF blob. */
	if (st.st_size > 0 &&
	    ((uint64_t)h.hdr_len + h.type_off + h.type_len > (uint64_t)st.st_size ||
	     (uint64_t)h.hdr_len + h.str_off + h.str_len > (uint64_t)st.st_size)) {
		snprintf(what, what_size,
			 "header claims %u + %u bytes, the file has %lld",
			 h.type_len, h.str_len, (long long)st.st_size);
		return -EBADMSG;
	}
	snprintf(what, what_size, "BTF v%u, %lld bytes (types %u, strings %u)",
		 h.version, (long long)st.st_size, h.type_len, h.str_len);
	return 0;
}

static void list_modules(struct feat_ctx *ctx, struct feat_result_buf *r)
{
	char buf[PATH_MAX];
	const char *dir = feat_path(ctx, "/sys/kernel/btf", buf, sizeof(buf));
	unsigned int n = 0;
	struct dirent *de;
	DIR *d;

	if (ctx->btf_path || !dir || !(d = opendir(dir)))
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || strcmp(de->d_name, "vmlinux") == 0)
			continue;
		feat_result_append(r, "%s%s", n ? ", " : "; module BTF: ",
				   de->d_name);
		n++;
	}
	closedir(d);
	if (n == 0)
		feat_result_append(r, "; no module BTF");
}

void probe_btf(struct feat_ctx *ctx, struct feat_result_buf *r)
{
	char what[160] = "";
	int e;

	feat_btf_locate(ctx);
	if (ctx->btf_err) {
		enum feat_state k = feat_kconfig_state(ctx, "CONFIG_DEBUG_INFO_BTF");

		/* A missing file is a "no" only when the config agrees. */
		feat_result_set(r, k == FEAT_NO ? FEAT_NO : FEAT_UNKNOWN,
				ctx->btf_err, "no vmlinux BTF found: %s%s",
				strerror(ctx->btf_err),
				k == FEAT_NO ? "; CONFIG_DEBUG_INFO_BTF is not set" : "");
		feat_result_source(r, "/sys/kernel/btf/vmlinux");
		feat_result_kernel(r, k, true);
		return;
	}
	feat_result_source(r, "%s", ctx->btf_file);
	e = btf_header_check(ctx, ctx->btf_file, what, sizeof(what));
	if (e < 0) {
		feat_result_set(r, FEAT_UNKNOWN, -e, "%s: %s", ctx->btf_file, what);
		return;
	}
	if (e == 1) {
		/* An ELF vmlinux or a kernel image: only a parse can tell
		 * whether .BTF is there. */
		if (!feat_btf_get(ctx, &e)) {
			feat_result_set(r, FEAT_UNKNOWN, e, "%s: %s without usable BTF: %s",
					ctx->btf_file, what,
					ctx->btf_why[0] ? ctx->btf_why : strerror(e));
			feat_result_kernel(r, feat_kconfig_state(ctx, "CONFIG_DEBUG_INFO_BTF"), true);
			return;
		}
		feat_result_set(r, FEAT_YES, 0, "%s%s%s%s with %u BTF types", what,
				ctx->btf_image[0] ? " (" : "", ctx->btf_image,
				ctx->btf_image[0] ? ")" : "", btf__type_cnt(ctx->btf) - 1);
	} else {
		feat_result_set(r, FEAT_YES, 0, "%s", what);
	}
	feat_result_kernel(r, FEAT_YES, false);
	list_modules(ctx, r);
}
