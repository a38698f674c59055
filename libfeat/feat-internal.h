/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef LIBFEAT_FEAT_INTERNAL_H
#define LIBFEAT_FEAT_INTERNAL_H

#include <stddef.h>
#include <stdio.h>
#include <syslog.h>
#include <sys/types.h>

#include <bpf/libbpf.h>

#include "feat.h"

#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _cleanup_(f) __attribute__((cleanup(f)))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#ifndef offsetofend
#define offsetofend(type, member) (offsetof(type, member) + sizeof(((type *)0)->member))
#endif

/* Room for one result's sentence and source; longer text is cut. */
#define FEAT_DETAIL_MAX 512
#define FEAT_SOURCE_MAX 256

/* Files the library reads whole: bigger ones are refused (EFBIG) rather
 * than read, so a 1 GB file in a hostile root costs nothing. */
#define FEAT_FILE_MAX (16u << 20)

struct feat_result_buf {
	struct feat_result pub;
	char detail[FEAT_DETAIL_MAX];
	char source[FEAT_SOURCE_MAX];
};

struct kconfig_entry {
	const char *name; /* without "CONFIG_" */
	const char *value;
};

struct feat_privileges_priv {
	bool known;
	uint64_t cap_eff;
	int unprivileged_bpf_disabled; /* -1 unknown */
	int seccomp;		       /* -1 unknown */
};

#define FEAT_KVERSION_SOURCES 6

struct feat_ctx {
	int refcount;
	unsigned int flags;
	char *root;
	char *kconfig_path;
	char *btf_path;
	char *release_opt;

	feat_log_fn log_fn;
	void *log_data;
	int log_priority;

	struct feat_result_buf results[_FEAT_ID_COUNT];
	bool done[_FEAT_ID_COUNT];
	bool running[_FEAT_ID_COUNT];

	/* kversion */
	bool kversion_done;
	struct feat_kversion kversion;
	char release[128];
	char version[32];
	const char *seen_name[FEAT_KVERSION_SOURCES];
	const char *seen_value[FEAT_KVERSION_SOURCES];
	char seen_buf[FEAT_KVERSION_SOURCES][256];

	/* kconfig */
	bool kconfig_done;
	char *kconfig_text;
	struct kconfig_entry *kconfig;
	size_t n_kconfig;
	char *kconfig_source;
	int kconfig_err;

	/* BTF */
	bool btf_done;
	char *btf_file; /* the vmlinux BTF found, or NULL */
	int btf_err;
	struct btf *btf; /* libbpf's full parse, made on demand */
	bool btf_id_cached; /* the last feat_btf_find_id() answer came from the cache */
	bool btf_cache_distrust; /* the kernel refused a cached id: rescan */
	int btf_parse_err;
	char btf_why[192]; /* why a kernel image gave no BTF, or "" */
	char btf_image[192]; /* what a kernel image held, or "" */

	/* privileges */
	struct feat_privileges_priv priv;

	/* tracefs */
	bool tracefs_done;
	char *tracefs_path; /* mounted in our namespace, or NULL */
	int tracefs_fd;	    /* directory fd (possibly a detached mount), or -1 */
	int tracefs_err;
	bool tracefs_detached;
	bool tracefs_lockdown; /* not mounted: lockdown=confidentiality */

	/* lockdown */
	enum feat_lockdown lockdown;

	/* module BTF read so far (module-btf.c) */
	struct feat_modules *modules;

	/* helpers asked for by the access code (feat_bpf_helper()) */
	struct {
		int func_id;
		enum feat_state state;
	} helpers[8];
	size_t n_helpers;

	/* tp_btf arguments the verifier types as pointers (feat_bpf_tp_btf_arg()) */
	struct {
		uint32_t btf_id;
		unsigned int slot;
		enum feat_state state;
	} tp_btf_args[64];
	size_t n_tp_btf_args;
};

/* log.c */
void feat_log(struct feat_ctx *ctx, int priority, const char *file, int line,
	      const char *fn, const char *format, ...) _printf_(6, 7);
#define feat_log_cond(ctx, prio, ...)                                          \
	do {                                                                   \
		if ((ctx)->log_priority >= (prio))                             \
			feat_log(ctx, prio, __FILE__, __LINE__, __func__,      \
				 __VA_ARGS__);                                 \
	} while (0)
#define dbg(ctx, ...) feat_log_cond(ctx, LOG_DEBUG, __VA_ARGS__)
#define info(ctx, ...) feat_log_cond(ctx, LOG_INFO, __VA_ARGS__)
#define err(ctx, ...) feat_log_cond(ctx, LOG_ERR, __VA_ARGS__)

/* file.c: every path under the context's root */
const char *feat_path(const struct feat_ctx *ctx, const char *path,
		      char *buf, size_t size);
int feat_open(const struct feat_ctx *ctx, const char *path, int flags);
int feat_access(const struct feat_ctx *ctx, const char *path, int mode);
/* Read a regular file whole (NUL-terminated). Refuses FIFOs, devices and
 * files over @max bytes. Returns 0 or -errno. */
int feat_read_file(const struct feat_ctx *ctx, const char *path,
		   size_t max, char **data, size_t *size);
int feat_read_fd(int fd, size_t max, char **data, size_t *size);
/* Read a small file's first line (no newline) into buf. */
int feat_read_line(const struct feat_ctx *ctx, const char *path, char *buf,
		   size_t size);
int feat_read_int(const struct feat_ctx *ctx, const char *path, long *value);
char *strtrim(char *s);

/* result.c */
struct feat_result_buf *feat_result_begin(struct feat_ctx *ctx,
					  enum feat_id id);
void feat_result_set(struct feat_result_buf *r, enum feat_state state,
		     int err, const char *format, ...) _printf_(4, 5);
void feat_result_append(struct feat_result_buf *r, const char *format, ...)
	_printf_(2, 3);
void feat_result_source(struct feat_result_buf *r, const char *format, ...)
	_printf_(2, 3);
void feat_result_offline(struct feat_result_buf *r);
void feat_result_kernel(struct feat_result_buf *r, enum feat_state kernel,
			bool is_static);
const char *errno_name(int err);

/* kversion.c, kconfig.c */
void feat_kversion_load(struct feat_ctx *ctx);
void feat_kconfig_load(struct feat_ctx *ctx);

/* btf.c */
void feat_btf_locate(struct feat_ctx *ctx);
struct btf *feat_btf_get(struct feat_ctx *ctx, int *err);
/* Every referenced type id and name offset of @btf resolves: 0 or -EBADMSG.
 * Call it on any BTF before libbpf's btf_dump sees it. */
int feat_btf_validate(const struct btf *btf);
/* btf__parse() with libbpf's messages sent to the context's log. */
struct btf *feat_btf_parse(struct feat_ctx *ctx, const char *path, int *err);
/* libbpf's messages to @ctx's log around one call (its print callback is
 * process-wide): old = feat_libbpf_log_begin(ctx); ...; _end(old). */
libbpf_print_fn_t feat_libbpf_log_begin(struct feat_ctx *ctx);
void feat_libbpf_log_end(libbpf_print_fn_t old);
/* Find a type id by name and kind without a full parse; 0 and -errno. */
int feat_btf_find_id(struct feat_ctx *ctx, const char *name, int kind,
		     uint32_t *id);
/* Static evidence from the BTF's enums: YES when enum @type has a member
 * @member, NO when the enum exists without it, UNKNOWN without BTF. */
enum feat_state feat_btf_enum_has(struct feat_ctx *ctx, const char *type,
				  const char *member);

/* image.c: BTF from a kernel image */
#ifdef HAVE_LZMA
#define FEAT_IMAGE_LZMA ", xz, lzma"
#else
#define FEAT_IMAGE_LZMA ""
#endif
#ifdef HAVE_ZSTD
#define FEAT_IMAGE_ZSTD ", zstd"
#else
#define FEAT_IMAGE_ZSTD ""
#endif
#ifdef HAVE_LZ4
#define FEAT_IMAGE_LZ4 ", lz4"
#else
#define FEAT_IMAGE_LZ4 ""
#endif
/* The compressions this build inflates, for messages. */
#define FEAT_IMAGE_FORMATS "gzip" FEAT_IMAGE_LZMA FEAT_IMAGE_ZSTD FEAT_IMAGE_LZ4
/* "bzImage", or the compression ("xz", "zstd", ...) the first @n bytes of a
 * file announce; NULL for anything else. */
const char *feat_image_kind(const void *head, size_t n);
/* The .BTF section of the vmlinux inside a bzImage or a compressed vmlinux:
 * 0 with *btf (malloc()ed, the caller frees) and *size, or -errno with a
 * sentence in @why: -EBADMSG malformed or truncated, -ENODATA no .BTF,
 * -EPROTONOSUPPORT a compression this build cannot inflate, -EFBIG. On
 * success @why says what was inflated ("lz4 payload, 53243444-byte vmlinux"). */
int feat_image_btf(int fd, void **btf, size_t *size, char *why, size_t why_size);
int feat_elf_btf_section(const char *source, void *image, size_t n, const void **btf,
			 size_t *size, char *why, size_t why_size);

/* module-btf.c: frees what the context keeps of module BTF. */
struct feat_modules;
void feat_modules_free(struct feat_modules *mods);

/* bpf.c */
void feat_privileges_load(struct feat_ctx *ctx);
bool feat_has_cap(struct feat_ctx *ctx, int cap);
/* The kernel's verdict on a probe load, from errno: what state it means. */
enum feat_state feat_bpf_errno_state(int err);
struct bpf_insn;
/* BPF_PROG_LOAD of @insns: the fd, or -errno with the verifier's log in
 * @log as one line. */
int feat_bpf_load_insns(struct feat_ctx *ctx, int prog_type, int expected_attach_type,
			uint32_t attach_btf_id, const struct bpf_insn *insns, size_t n,
			char *log, size_t log_size);
/* Whether tracing programs may call helper @func_id (BPF_FUNC_@enum_name):
 * a load on the running kernel, else the BTF's enum bpf_func_id. Cached. */
enum feat_state feat_bpf_helper(struct feat_ctx *ctx, int func_id, const char *enum_name);
/* Whether a tp_btf program attached to typedef @btf_id may load through
 * the pointer in argument slot @slot (YES), or the verifier keeps it a
 * scalar (NO: a helper must read behind it). Live only; cached. */
enum feat_state feat_bpf_tp_btf_arg(struct feat_ctx *ctx, uint32_t btf_id, unsigned int slot);
/* Minimal program: r0 = 0; exit. */
int feat_bpf_load_trivial(struct feat_ctx *ctx, int prog_type,
			  int expected_attach_type, uint32_t attach_btf_id,
			  char *log, size_t log_size);

/* What static evidence says a BPF program type is there. */
struct feat_static_spec {
	const char *const *configs; /* all must be set */
	const char *prog_type;	    /* an enum bpf_prog_type member */
	const char *attach_type;    /* an enum bpf_attach_type member, or NULL */
	unsigned int major, minor;  /* the upstream version that brought it */
};
void feat_static_bpf(struct feat_ctx *ctx, struct feat_result_buf *r,
		     const struct feat_static_spec *spec);
/* A probe's load was refused with -err: say what that means. */
void feat_result_load_refused(struct feat_ctx *ctx, struct feat_result_buf *r,
			      const struct feat_static_spec *spec, int err,
			      char *log, const char *what);

/* tracefs.c, lockdown.c */
void feat_tracefs_load(struct feat_ctx *ctx);
/* Open a pseudo filesystem detached (fsopen/fsmount), or through a child
 * in its own mount namespace; returns a directory fd or -errno. */
int feat_mount_detached(const char *fstype);
int feat_open_mounted(struct feat_ctx *ctx, const char *type, const char *subdir,
		      long magic, char **path);
int feat_tracefs_event_id(struct feat_ctx *ctx, const char *system,
			  const char *event, long *id);

/* static evidence helpers (static.c) */
enum feat_state feat_static_kconfig_all(struct feat_ctx *ctx,
					const char *const *names,
					const char **missing);

#endif
