// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * C text of the wrapped forms (DESIGN.md):
 *
 *	struct stapprobe_NAME {
 *		unsigned long long pad;	// or the real common header
 *		struct { ...fields at their format-file offsets... } data;
 *	};
 *	struct stapprobe_NAME {
 *		struct { T arg __attribute__((aligned(8))); ... } data;
 *	};
 *
 * Declarations come first: forward declarations for structs behind
 * pointers, and libbpf's btf_dump for typedefs, enums and unions used by
 * value (an enum or union cannot be forward-declared and used by value:
 * "field has incomplete type"). btf_dump remembers what it emitted, so one
 * emitter shared by many layouts emits each declaration once.
 *
 * One unit may hold tracepoints of vmlinux and of modules. A module's BTF
 * is split BTF over vmlinux's: its ids below vmlinux's type count are
 * vmlinux's own types (btf__base_btf()). Those are declared through the
 * vmlinux object's btf_dump, whichever layout needs them, so that a type
 * of vmlinux is defined once in the unit; only the module's own types go
 * through the module's btf_dump.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "layout-internal.h"

/* One BTF object of the unit: vmlinux's, or one module's. */
struct emit_obj {
	struct btf *btf;
	struct btf_dump *dump;
	/* Forward-declared tags, to print each once: a bitmap of BTF ids. */
	unsigned char *fwd_done;
	size_t n_types;
};

struct feat_emit {
	struct feat_ctx *ctx;
	FILE *out;
	struct emit_obj *objs;
	size_t n_objs;
	struct emit_obj *cur; /* the object of the layout being emitted */
	/* ...and the names (vmlinux has same-named structs under several ids). */
	char **fwd_names;
	size_t n_fwd_names, fwd_names_cap;
	int err;
};

static void emit_vprintf(void *ctx, const char *format, va_list args)
{
	struct feat_emit *e = ctx;

	vfprintf(e->out, format, args);
}

struct feat_emit *feat_emit_new(struct feat_ctx *ctx, FILE *out)
{
	struct feat_emit *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->ctx = ctx;
	e->out = out;
	return e;
}

void feat_emit_free(struct feat_emit *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n_objs; i++) {
		btf_dump__free(e->objs[i].dump);
		free(e->objs[i].fwd_done);
	}
	free(e->objs);
	for (size_t i = 0; i < e->n_fwd_names; i++)
		free(e->fwd_names[i]);
	free(e->fwd_names);
	free(e);
}

static struct emit_obj *obj_of(struct feat_emit *e, const struct btf *btf)
{
	struct emit_obj *o;
	size_t cur;

	for (size_t i = 0; i < e->n_objs; i++)
		if (e->objs[i].btf == btf)
			return &e->objs[i];
	/* e->cur points into the array: keep it pointing at its object. */
	cur = e->cur ? (size_t)(e->cur - e->objs) : SIZE_MAX;
	o = realloc(e->objs, (e->n_objs + 1) * sizeof(*o));
	if (!o)
		return NULL;
	e->objs = o;
	if (cur != SIZE_MAX)
		e->cur = &e->objs[cur];
	o = &e->objs[e->n_objs];
	/* btf_dump is made when a type needs it (dump_ready()): its
	 * constructor sizes arrays by every type of vmlinux, most of a
	 * single layout's time when the arguments are plain. */
	*o = (struct emit_obj){ .btf = (struct btf *)btf, .n_types = btf__type_cnt(btf) };
	o->fwd_done = calloc(o->n_types / 8 + 1, 1);
	if (!o->fwd_done)
		return NULL;
	e->n_objs++;
	return o;
}

static int emit_use_btf(struct feat_emit *e, struct btf *btf)
{
	struct emit_obj *o;

	if (!btf) {
		e->cur = NULL;
		return 0;
	}
	o = obj_of(e, btf);
	if (!o)
		return -ENOMEM;
	e->cur = o;
	return 0;
}

/* The object whose btf_dump declares type @id of the current object: the
 * base's for an id of the base (see the top of this file). NULL on ENOMEM. */
static struct emit_obj *owner_of(struct feat_emit *e, uint32_t id)
{
	const struct btf *base = btf__base_btf(e->cur->btf);

	if (base && id < btf__type_cnt(base)) {
		struct emit_obj *o = obj_of(e, base); /* keeps e->cur right */

		if (!o && !e->err)
			e->err = -ENOMEM;
		return o;
	}
	return e->cur;
}

/* "struct foo;" once per unit, whatever BTF id (vmlinux has same-named
 * structs under several ids) or format-file type it comes from. @decl is
 * "struct foo" or "union foo". */
static void emit_fwd_name(struct feat_emit *e, const char *decl)
{
	char *copy;

	for (size_t i = 0; i < e->n_fwd_names; i++)
		if (strcmp(e->fwd_names[i], decl) == 0)
			return;
	if (e->n_fwd_names == e->fwd_names_cap) {
		size_t cap = e->fwd_names_cap ? 2 * e->fwd_names_cap : 64;
		char **names = realloc(e->fwd_names, cap * sizeof(*names));

		if (!names) {
			e->err = -ENOMEM;
			return;
		}
		e->fwd_names = names;
		e->fwd_names_cap = cap;
	}
	copy = strdup(decl);
	if (!copy) {
		e->err = -ENOMEM;
		return;
	}
	e->fwd_names[e->n_fwd_names++] = copy;
	fprintf(e->out, "%s;\n", decl);
}

static void emit_fwd(struct feat_emit *e, uint32_t id, const struct btf_type *t)
{
	struct emit_obj *o = owner_of(e, id);
	char decl[300];

	if (!o || id >= o->n_types || (o->fwd_done[id / 8] & (1u << (id % 8))))
		return;
	o->fwd_done[id / 8] |= (unsigned char)(1u << (id % 8));
	snprintf(decl, sizeof(decl), "%s %s", btf_is_union(t) ? "union" : "struct",
		 btf__name_by_offset(o->btf, t->name_off));
	emit_fwd_name(e, decl);
}

static bool dump_ready(struct feat_emit *e, struct emit_obj *o)
{
	if (o->dump)
		return true;
	o->dump = btf_dump__new(o->btf, emit_vprintf, e, NULL);
	if (!o->dump && !e->err)
		e->err = -errno;
	return o->dump;
}

static void emit_dump(struct feat_emit *e, uint32_t id)
{
	struct emit_obj *o = owner_of(e, id);
	int r;

	if (!o || !dump_ready(e, o))
		return;
	r = btf_dump__dump_type(o->dump, id);
	if (r < 0 && !e->err)
		e->err = r;
}

/*
 * Declare what type @id needs: walk pointers, qualifiers and arrays down
 * to the named type; a typedef or a named type used by value goes to
 * btf_dump whole, a struct or union behind a pointer gets a forward
 * declaration, a function prototype has each of its types declared.
 */
static void emit_needs(struct feat_emit *e, uint32_t id, int depth)
{
	bool through_ptr = false;

	if (depth > 8)
		return;
	for (;;) {
		const struct btf_type *t = btf__type_by_id(e->cur->btf, id);

		if (!t)
			return;
		if (btf_is_ptr(t)) {
			through_ptr = true;
			id = t->type;
		} else if (btf_is_mod(t)) {
			id = t->type;
		} else if (btf_is_array(t)) {
			id = btf_array(t)->type;
		} else if (btf_is_typedef(t)) {
			emit_dump(e, id);
			return;
		} else if (btf_is_composite(t)) {
			if (!t->name_off)
				return; /* printed inline by btf_dump's type decl */
			if (through_ptr)
				emit_fwd(e, id, t);
			else
				emit_dump(e, id);
			return;
		} else if (btf_is_any_enum(t)) {
			if (t->name_off)
				emit_dump(e, id);
			return;
		} else if (btf_is_func_proto(t)) {
			const struct btf_param *p = btf_params(t);

			emit_needs(e, t->type, depth + 1);
			for (unsigned int i = 0; i < btf_vlen(t); i++)
				emit_needs(e, p[i].type, depth + 1);
			return;
		} else {
			return; /* int, float, void, fwd */
		}
	}
}

/* --- classic --- */

static const char *int_of_size(unsigned int size, bool is_signed)
{
	switch (size) {
	case 1:
		return is_signed ? "signed char" : "unsigned char";
	case 2:
		return is_signed ? "short" : "unsigned short";
	case 4:
		return is_signed ? "int" : "unsigned int";
	case 8:
		return is_signed ? "long long" : "unsigned long long";
	default:
		return NULL;
	}
}

/* A type is echoed into C (code or comment) only when it looks like one:
 * a hostile or odd format file ("void __seg_gs *" is fine, "int; }" or
 * "*" "/" are not). */
static bool c_safe(const char *type)
{
	for (const char *p = type; *p; p++)
		if (!(*p == ' ' || *p == '*' || *p == '_' || (*p >= 'a' && *p <= 'z') ||
		      (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')) ||
		    (p[0] == '*' && p[1] == '/'))
			return false;
	return true;
}

static const char *c_comment(const char *type)
{
	return c_safe(type) ? type : "(type not shown)";
}

/* Declarations one classic field needs; false when its type cannot be
 * written as declared (then the member falls back to an integer). */
static bool classic_needs(struct feat_emit *e, const struct feat_layout *l, size_t i,
			  bool emit)
{
	const struct feat_layout_field *f = feat_layout_field(l, i);
	const struct feat_ctype *c = feat_layout_ctype(l, i);

	if (!c_safe(f->type))
		return false;
	if (f->dynamic || c->kind == 0)
		return true;
	if (c->kind == BTF_KIND_STRUCT || c->kind == BTF_KIND_UNION) {
		if (c->stars) {
			if (emit)
				emit_fwd_name(e, c->base);
			return true;
		}
		if (c->id < 0)
			return false;
	} else if (c->id < 0) {
		return false;
	}
	if (emit && e->cur)
		emit_dump(e, (uint32_t)c->id);
	return e->cur != NULL;
}

static void emit_classic_member(struct feat_emit *e, const struct feat_layout *l, size_t i)
{
	const struct feat_layout_field *f = feat_layout_field(l, i);
	const char *fallback;

	if (f->dynamic) {
		fprintf(e->out, "\t\tunsigned int %s; /* %s %s%s: offset = v & 0xffff%s, len = v >> 16 */\n",
			f->name, f->dynamic == FEAT_DYNAMIC_DATA_LOC ? "__data_loc" : "__rel_loc",
			*f->type ? c_comment(f->type) : "(element type not in BTF)", *f->type ? "[]" : "",
			f->dynamic == FEAT_DYNAMIC_REL_LOC ? " from the field's end" : "");
		return;
	}
	if (classic_needs(e, l, i, false)) {
		const char *sep = f->type[strlen(f->type) - 1] == '*' ? "" : " ";

		if (f->array >= 0)
			fprintf(e->out, "\t\t%s%s%s[%ld];", f->type, sep, f->name, f->array);
		else
			fprintf(e->out, "\t\t%s%s%s;", f->type, sep, f->name);
		if (f->type_size && f->type_size < f->size && f->array < 0)
			fprintf(e->out, " /* in a slot of %u bytes */", f->size);
		fputc('\n', e->out);
		return;
	}
	/* A type BTF does not know: an integer (or bytes) of the same size. */
	if (f->array < 0 && (fallback = int_of_size(f->size, f->is_signed)))
		fprintf(e->out, "\t\t%s %s; /* %s */\n", fallback, f->name, c_comment(f->type));
	else
		fprintf(e->out, "\t\tunsigned char %s[%u]; /* %s%s */\n", f->name, f->size,
			c_comment(f->type), f->array >= 0 ? "[]" : "");
}

static void emit_classic(struct feat_emit *e, const struct feat_layout *l,
			 const char *tag, bool asserts)
{
	size_t n = feat_layout_field_count(l);
	unsigned int header = feat_layout_header_size(l), pos, pad = 0;

	fprintf(e->out, "struct %s {\n", tag);
	if (header == 8) {
		fprintf(e->out, "\tunsigned long long pad; /*");
		for (size_t i = 0; i < n && feat_layout_field(l, i)->common; i++)
			fprintf(e->out, "%s %s", i ? "," : "", feat_layout_field(l, i)->name);
		fprintf(e->out, " */\n");
	} else {
		pos = 0;
		for (size_t i = 0; i < n && feat_layout_field(l, i)->common; i++) {
			const struct feat_layout_field *f = feat_layout_field(l, i);

			if (f->offset > pos)
				fprintf(e->out, "\tchar __pad%u[%u];\n", pad++, f->offset - pos);
			fprintf(e->out, "\t%s %s;\n", int_of_size(f->size, f->is_signed)
							? int_of_size(f->size, f->is_signed) : "unsigned int",
				f->name);
			pos = f->offset + f->size;
		}
	}
	fprintf(e->out, "\tstruct {\n");
	pos = header;
	for (size_t i = 0; i < n; i++) {
		const struct feat_layout_field *f = feat_layout_field(l, i);

		if (f->common)
			continue;
		if (f->offset < pos) {
			fprintf(e->out, "\t\t/* %s at %u overlaps the previous field */\n", f->name,
				f->offset);
			continue;
		}
		if (f->offset > pos)
			fprintf(e->out, "\t\tchar __pad%u[%u];\n", pad++, f->offset - pos);
		emit_classic_member(e, l, i);
		/* A narrow declared type (syscalls:* args): pad to the slot. */
		if (f->type_size && f->type_size < f->size && f->array < 0 && !f->dynamic &&
		    classic_needs(e, l, i, false))
			pos = f->offset + f->type_size;
		else
			pos = f->offset + f->size;
	}
	if (pos < feat_layout_classic_size(l))
		fprintf(e->out, "\t\tchar __pad%u[%u];\n", pad++, feat_layout_classic_size(l) - pos);
	fprintf(e->out, "\t} data;\n};\n");
	if (!asserts)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct feat_layout_field *f = feat_layout_field(l, i);

		if (f->common)
			continue;
		fprintf(e->out, "_Static_assert(__builtin_offsetof(struct %s, data.%s) == %u, \"%s offset\");\n",
			tag, f->name, f->offset, f->name);
		if (f->type_size && f->type_size < f->size && f->array < 0 && !f->dynamic)
			fprintf(e->out, "_Static_assert(sizeof(((struct %s *)0)->data.%s) == %u, \"%s size\");\n",
				tag, f->name, f->type_size, f->name);
		else
			fprintf(e->out, "_Static_assert(sizeof(((struct %s *)0)->data.%s) == %u, \"%s size\");\n",
				tag, f->name, f->size, f->name);
	}
}

/* --- raw --- */

static void emit_raw(struct feat_emit *e, const struct feat_layout *l,
		     const char *tag, bool asserts)
{
	size_t n = feat_layout_arg_count(l);

	fprintf(e->out, "struct %s {\n\tstruct {\n", tag);
	for (size_t i = 0; i < n; i++) {
		const struct feat_layout_arg *a = feat_layout_arg(l, i);
		LIBBPF_OPTS(btf_dump_emit_type_decl_opts, o, .field_name = a->name,
			    .indent_level = 2);
		char quick[512];
		size_t len;

		fprintf(e->out, "\t\t");
		if (feat_type_name_quick(e->cur->btf, a->btf_id, quick, sizeof(quick)) &&
		    !strchr(quick, '[')) {
			/* What btf_dump prints for a named type or a pointer
			 * to one: "T name", "T *name". */
			len = strlen(quick);
			fprintf(e->out, "%s%s%s", quick,
				len && quick[len - 1] == '*' ? "" : " ", a->name);
		} else if (dump_ready(e, e->cur)) {
			/* Only a declaration: which object's btf_dump prints
			 * it does not matter, and the layout's names them all. */
			btf_dump__emit_type_decl(e->cur->dump, a->btf_id, &o);
		}
		fprintf(e->out, " __attribute__((aligned(8)));\n");
	}
	if (n == 0)
		fprintf(e->out, "\t\tchar __empty[0];\n");
	fprintf(e->out, "\t} data;\n};\n");
	if (!asserts)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct feat_layout_arg *a = feat_layout_arg(l, i);

		fprintf(e->out, "_Static_assert(__builtin_offsetof(struct %s, data.%s) == %u, \"%s slot\");\n",
			tag, a->name, a->slot * 8, a->name);
		fprintf(e->out, "_Static_assert(sizeof(((struct %s *)0)->data.%s) == %u, \"%s size\");\n",
			tag, a->name, a->size, a->name);
	}
}

int feat_emit_layout(struct feat_emit *e, const struct feat_layout *l,
		     unsigned int forms, const char *prefix, bool asserts)
{
	const struct feat_tracepoint *tp = feat_layout_tracepoint(l);
	bool classic = (forms & FEAT_FORM_CLASSIC) && feat_layout_has(l, FEAT_FORM_CLASSIC);
	bool raw = (forms & FEAT_FORM_RAW) && feat_layout_has(l, FEAT_FORM_RAW);
	char tag[600];
	int r;

	/* The name becomes a struct tag; the system only appears in a comment. */
	for (const char *p = tp->name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' ||
		      (p != tp->name && *p >= '0' && *p <= '9')))
			return -EINVAL;
	if (tp->system && !c_safe(tp->system))
		return -EINVAL;
	r = emit_use_btf(e, feat_layout_btf(l));
	if (r < 0)
		return r;
	if (raw && !e->cur)
		return -ENODATA;
	snprintf(tag, sizeof(tag), "%s%s", prefix ? prefix : "stapprobe_", tp->name);
	if (tp->module && !c_safe(tp->module))
		return -EINVAL;
	if (tp->module)
		/* Which BTF object the types are from; without a tracefs
		 * event the system is unknown (TRACE_SYSTEM is not in BTF). */
		fprintf(e->out, "/* %s%s%s (BTF of module %s%s) */\n", tp->system ? tp->system : tp->module,
			tp->system ? ":" : "/", tp->name, tp->module,
			tp->module_loaded ? "" : ", not loaded");
	else
		fprintf(e->out, "/* %s%s%s */\n", tp->system ? tp->system : "", tp->system ? ":" : "",
			tp->name);
	if ((forms & FEAT_FORM_CLASSIC) && !classic)
		fprintf(e->out, "/* no classic form: %s */\n", feat_layout_missing(l, FEAT_FORM_CLASSIC));
	if ((forms & FEAT_FORM_RAW) && !raw)
		fprintf(e->out, "/* no raw form: %s%s%s */\n", feat_layout_missing(l, FEAT_FORM_RAW),
			tp->raw_equivalent ? "; see " : "", tp->raw_equivalent ? tp->raw_equivalent : "");
	/* Declarations first, for both forms. */
	if (classic)
		for (size_t i = 0; i < feat_layout_field_count(l); i++)
			classic_needs(e, l, i, true);
	if (raw)
		for (size_t i = 0; i < feat_layout_arg_count(l); i++)
			emit_needs(e, feat_layout_arg(l, i)->btf_id, 0);
	if (e->err)
		return e->err;
	if (classic && raw)
		fprintf(e->out, "#ifndef STAPPROBE_RAW\n");
	if (classic) {
		fprintf(e->out, "/* classic: BPF_PROG_TYPE_TRACEPOINT; R1 points at the record */\n");
		emit_classic(e, l, tag, asserts);
	}
	if (classic && raw)
		fprintf(e->out, "#else\n");
	if (raw) {
		fprintf(e->out, "/* raw: BPF_PROG_TYPE_RAW_TRACEPOINT / tp_btf; one u64 slot per argument */\n");
		emit_raw(e, l, tag, asserts);
	}
	if (classic && raw)
		fprintf(e->out, "#endif\n");
	return e->err;
}

FEAT_API int feat_layouts_c(const struct feat_layout *const *layouts, size_t n,
			    unsigned int forms, const char *prefix, char **text)
{
	struct feat_emit *e;
	size_t size;
	FILE *out;
	int r = 0;

	if (!layouts || !text || (forms & ~(unsigned int)FEAT_FORM_BOTH))
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!layouts[i])
			return -EINVAL;
	if (forms == 0)
		forms = FEAT_FORM_BOTH;
	*text = NULL;
	out = open_memstream(text, &size);
	if (!out)
		return -ENOMEM;
	e = feat_emit_new(NULL, out);
	if (!e)
		r = -ENOMEM;
	for (size_t i = 0; r == 0 && i < n; i++)
		r = feat_emit_layout(e, layouts[i], forms, prefix, false);
	feat_emit_free(e);
	if (fclose(out) != 0 && r == 0)
		r = -ENOMEM;
	if (r < 0) {
		free(*text);
		*text = NULL;
	}
	return r;
}

FEAT_API int feat_layout_c(const struct feat_layout *l, unsigned int forms,
			   const char *prefix, char **text)
{
	return feat_layouts_c(&l, 1, forms, prefix, text);
}
