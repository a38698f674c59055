/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Tracepoint catalog and layouts: what format.c, catalog.c, layout.c and
 * emit-c.c share. Not installed.
 */
#ifndef LIBFEAT_LAYOUT_INTERNAL_H
#define LIBFEAT_LAYOUT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "feat-internal.h"

struct btf;

/* format.c: one tracefs events/SYS/NAME/format file. */
struct feat_format {
	char *name;	/* "name:" line */
	long id;	/* "ID:" line, -1 when absent (ftrace:bputs) */
	struct feat_layout_field *fields;
	size_t n_fields;
	size_t n_common;	/* the first n_common fields are the common header */
	unsigned int header_size; /* end of the last common field */
	unsigned int size;	/* end of the last field */
};

/*
 * Parse a format file's text. @file names it in the one-line error
 * ("FILE:LINE: what"), written to @errbuf and logged. Returns 0 or
 * -EBADMSG (malformed), -ENOMEM.
 */
int feat_format_parse(struct feat_ctx *ctx, const char *text, const char *file,
		      struct feat_format *fmt, char *errbuf, size_t errsize);
void feat_format_release(struct feat_format *fmt);
/* Read and parse events/SYS/NAME/format under the tracefs fd. */
int feat_format_read(struct feat_ctx *ctx, int tracefs_fd, const char *system,
		     const char *name, struct feat_format *fmt);

/* The tracefs directory to read format files from: the running kernel's
 * (feat_tracefs_open()), or with a root tree (--root), a saved copy at
 * ROOT/sys/kernel/tracing (or ROOT/sys/kernel/debug/tracing). */
int feat_layout_tracefs_open(struct feat_ctx *ctx);

/* catalog.c */
struct feat_btf_index;
int feat_catalog_build(struct feat_ctx *ctx, unsigned int flags, struct feat_catalog **catp);
/* The raw form's BTF facts of one tracepoint name. */
struct feat_raw_ids {
	int32_t typedef_id;	/* btf_trace_NAME, or -ENOENT */
	int32_t proto_id;	/* its FUNC_PROTO */
	int32_t names_id;	/* FUNC_PROTO whose param names to use, or 0 */
	const char *names_from;	/* "__probestub_NAME", ... or NULL */
	bool has_probestub;	/* a __probestub_/__traceiter_ FUNC exists */
};
int feat_raw_ids_find(struct btf *btf, const struct feat_btf_index *idx,
		      const char *name, struct feat_raw_ids *ids);

/* A sorted index of BTF's named types: one pass and a sort, then each
 * lookup is a binary search instead of libbpf's linear scan. */
struct feat_btf_index *feat_btf_index_new(const struct btf *btf);
/* The index of a split BTF's own types; lookups fall back to @base (the
 * index of its base BTF, which must outlive it) first, as libbpf does:
 * the lowest id wins. */
struct feat_btf_index *feat_btf_index_new_split(const struct btf *btf,
						const struct feat_btf_index *base);
void feat_btf_index_free(struct feat_btf_index *idx);
/* The id of @name of @kind: @idx when given, else libbpf. -ENOENT. */
int feat_btf_find(const struct btf *btf, const struct feat_btf_index *idx,
		  const char *name, int kind);
const struct feat_btf_index *feat_catalog_index(const struct feat_catalog *cat);
/* Levenshtein distance of two short names (1000 past 120 characters). */
unsigned int feat_edit_distance(const char *a, const char *b);
/* Entries whose names start with @prefix: their count, the first at *first. */
size_t feat_btf_index_prefix(const struct feat_btf_index *idx, const char *prefix, int32_t *first);
/* Entry @i: its id when of @kind (0 otherwise), its name in *name. */
uint32_t feat_btf_index_entry(const struct feat_btf_index *idx, size_t i, int kind,
			      const char **name);
struct feat_namer;
struct feat_namer *feat_namer_new(struct btf *btf);
void feat_namer_free(struct feat_namer *n);
/* A malloc'd copy of type @id's C text, or NULL. */
char *feat_namer_type(struct feat_namer *n, uint32_t id);
/* Type @id's C text as btf_dump prints it, for the common shapes, without
 * a btf_dump; false for the others. */
bool feat_type_name_quick(const struct btf *btf, uint32_t id, char *buf, size_t size);

/* btf-classic.c: the classic form from BTF when no format file can be read.
 * The struct id, or -ENOENT / -ENOTUNIQ with @why set. @idx is required. */
int feat_classic_btf_find(const struct btf *btf, const struct feat_btf_index *idx,
			  const char *name, int32_t proto_id, char *why, size_t size);
int feat_classic_btf_fields(const struct btf *btf, struct feat_namer *namer, int32_t struct_id,
			    struct feat_format *fmt);
/* feat_layout_resolve() with a BTF index and a type namer to share, both
 * optional. */
int feat_layout_resolve_index(struct feat_ctx *ctx, const char *name,
			      unsigned int flags, const struct feat_btf_index *idx,
			      struct feat_namer *namer, struct feat_layout **layout);

/* A classic field's type, taken apart. */
struct feat_ctype {
	char base[256];	/* "unsigned int", "struct foo", "pid_t" */
	unsigned int stars;
	int kind;	/* BTF kind of a named base, 0 for a C keyword type */
	int32_t id;	/* its BTF id, or -1 */
};
void feat_ctype_parse(const struct btf *btf, const struct feat_btf_index *idx,
		      const char *type, struct feat_ctype *c);
const struct feat_ctype *feat_layout_ctype(const struct feat_layout *l, size_t i);
unsigned int feat_builtin_size(const char *type);
/* Why a form is missing; NULL when present. */
const char *feat_classic_missing_reason(const char *system, bool has_format,
					int tracefs_err, char *buf, size_t size);
const char *feat_raw_missing_reason(const char *system, const char *name,
				    const struct feat_raw_ids *ids,
				    char *buf, size_t size);

/* emit-c.c: C text of layouts; one emitter can take many layouts and
 * emits every shared declaration once. */
struct feat_emit;
struct feat_emit *feat_emit_new(struct feat_ctx *ctx, FILE *out);
int feat_emit_layout(struct feat_emit *e, const struct feat_layout *l,
		     unsigned int forms, const char *prefix, bool asserts);
void feat_emit_free(struct feat_emit *e);

/* module-btf.c: the BTF of kernel modules, split over vmlinux's; each
 * one read is kept in the context. */
struct feat_module_btf {
	char *name;	/* the module's name ('_', not '-') */
	char *source;	/* "/sys/kernel/btf/NAME" or the module file (under the root) */
	bool loaded;	/* read from /sys/kernel/btf (else from the module file) */
	struct btf *btf;
	struct feat_btf_index *index;	/* feat_module_btf_index() */
	struct feat_namer *namer;	/* feat_module_btf_namer() */
	int err;	/* the BTF could not be read (said once): -errno, btf NULL */
};
struct feat_module_file {
	char *name;
	char *path;	/* a real path (the root prepended) */
};
void feat_module_name_normalize(char *name);
/* A loaded module's BTF (/sys/kernel/btf/NAME): 0, -ENOENT when not
 * there (not loaded, or no BTF), -ENOMSG (quietly) when it has no
 * btf_trace_ typedef (it is then not parsed), -EBADMSG (logged) when it
 * is not split BTF over this vmlinux BTF, -ENODATA without vmlinux BTF.
 * The module files' functions answer the same. */
int feat_module_btf_loaded(struct feat_ctx *ctx, const char *name, struct feat_module_btf **m);
/* A module file's .BTF, the file found through libkmod: 0 or -errno,
 * every error logged as one line naming the file. */
int feat_module_btf_file(struct feat_ctx *ctx, const char *name, struct feat_module_btf **m);
/* Loaded first, else the file. */
int feat_module_btf_get(struct feat_ctx *ctx, const char *name, struct feat_module_btf **m);
int feat_module_btf_from_path(struct feat_ctx *ctx, const struct feat_module_file *f,
			      struct feat_module_btf **m);
/* The modules with BTF in /sys/kernel/btf, sorted, owned by the context. */
int feat_modules_loaded(struct feat_ctx *ctx, char *const **names, size_t *n);
bool feat_module_is_loaded(struct feat_ctx *ctx, const char *name);
/* Every module file modules.dep lists, sorted by name; owned by the context. */
int feat_modules_files(struct feat_ctx *ctx, const struct feat_module_file **files, size_t *n);
const struct feat_btf_index *feat_module_btf_index(struct feat_ctx *ctx, struct feat_module_btf *m);
struct feat_namer *feat_module_btf_namer(struct feat_module_btf *m);
/* The loaded module whose BTF has typedef btf_trace_@name; @hint (the
 * tracefs system) is tried first. -ENOENT when none. */
int feat_module_btf_find_trace(struct feat_ctx *ctx, const char *name, const char *hint,
			       struct feat_module_btf **m);

/* layout.c */
/* Type @id with its qualifiers and typedefs skipped, its id in *res_id. */
const struct btf_type *skip_mods_typedefs(const struct btf *btf, uint32_t id, uint32_t *res_id);
struct btf *feat_layout_btf(const struct feat_layout *l);
struct feat_ctx *feat_layout_ctx(const struct feat_layout *l);

/* A growable string. */
struct strbuf {
	char *s;
	size_t len, cap;
	bool oom;
};
void sb_add(struct strbuf *b, const char *format, ...) _printf_(2, 3);
void sb_json_str(struct strbuf *b, const char *s);

#endif
