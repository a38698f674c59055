// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * feat_layout_resolve(): both struct forms of one tracepoint.
 *
 * Classic: the format file (format.c). Raw: BTF, typedef btf_trace_NAME ->
 * pointer -> FUNC_PROTO (void *__data, args...): argument i lives in u64
 * slot i of the raw_tp / tp_btf context (bpf_trace_run##N() in
 * kernel/trace/bpf_trace.c copies each argument with __CAST_TO_U64, which
 * zero-extends).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "layout-internal.h"

struct feat_layout {
	struct feat_ctx *ctx;
	struct btf *btf;
	unsigned int forms; /* resolved (asked for and present) */
	struct feat_tracepoint tp;
	char system[256], name[256];
	char classic_missing[512], raw_missing[512];
	char classic_source[600];
	struct feat_format fmt;
	struct feat_ctype *ctypes;
	struct feat_layout_arg *args;
	size_t n_args;
	char *raw_names_from;
	uint32_t raw_btf_id; /* typedef btf_trace_NAME, in vmlinux's BTF */
	uint32_t raw_obj_id; /* the same in the BTF object that holds it */
	char module[64];     /* the module whose BTF it is, or "" */
};

/* --- strbuf --- */

void sb_add(struct strbuf *b, const char *format, ...)
{
	va_list args;
	int n;

	if (b->oom)
		return;
	for (;;) {
		size_t room = b->cap - b->len;

		va_start(args, format);
		n = vsnprintf(b->s ? b->s + b->len : NULL, room, format, args);
		va_end(args);
		if (n < 0) {
			b->oom = true;
			return;
		}
		if ((size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		room = b->cap ? b->cap * 2 : 1024;
		while (room < b->len + (size_t)n + 1)
			room *= 2;
		char *s = realloc(b->s, room);

		if (!s) {
			b->oom = true;
			return;
		}
		b->s = s;
		b->cap = room;
	}
}

/* Append @len bytes. */
static void sb_put(struct strbuf *b, const char *s, size_t len)
{
	if (b->oom)
		return;
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		char *n;

		while (cap < b->len + len + 1)
			cap *= 2;
		n = realloc(b->s, cap);
		if (!n) {
			b->oom = true;
			return;
		}
		b->s = n;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
}

void sb_json_str(struct strbuf *b, const char *s)
{
	const char *run;

	if (!s) {
		sb_put(b, "null", 4);
		return;
	}
	sb_put(b, "\"", 1);
	for (run = s; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c != '"' && c != '\\' && c >= 0x20)
			continue;
		sb_put(b, run, (size_t)(s - run));
		run = s + 1;
		if (c == '"' || c == '\\')
			sb_add(b, "\\%c", c);
		else if (c == '\n')
			sb_put(b, "\\n", 2);
		else if (c == '\t')
			sb_put(b, "\\t", 2);
		else
			sb_add(b, "\\u%04x", c);
	}
	sb_put(b, run, (size_t)(s - run));
	sb_put(b, "\"", 1);
}

/* --- types --- */

struct builtin_type {
	const char *name;
	unsigned int size;
};

/* The C keyword types a format file uses, with x86-64/arm64 LP64 sizes. */
static const struct builtin_type builtin_types[] = {
	{ "char", 1 }, { "signed char", 1 }, { "unsigned char", 1 },
	{ "short", 2 }, { "short int", 2 }, { "unsigned short", 2 },
	{ "short unsigned int", 2 }, { "unsigned short int", 2 }, { "signed short", 2 },
	{ "int", 4 }, { "signed int", 4 }, { "signed", 4 }, { "unsigned", 4 },
	{ "unsigned int", 4 },
	{ "long", 8 }, { "long int", 8 }, { "signed long", 8 }, { "unsigned long", 8 },
	{ "long unsigned int", 8 }, { "unsigned long int", 8 },
	{ "long long", 8 }, { "long long int", 8 }, { "signed long long", 8 },
	{ "unsigned long long", 8 }, { "long long unsigned int", 8 },
	{ "unsigned long long int", 8 },
	{ "_Bool", 1 }, { "float", 4 }, { "double", 8 },
};

unsigned int feat_builtin_size(const char *type)
{
	for (size_t i = 0; i < ARRAY_SIZE(builtin_types); i++)
		if (strcmp(builtin_types[i].name, type) == 0)
			return builtin_types[i].size;
	return 0;
}

void feat_ctype_parse(const struct btf *btf, const struct feat_btf_index *idx,
		      const char *type, struct feat_ctype *c)
{
	const char *name;
	size_t len;

	memset(c, 0, sizeof(*c));
	c->id = -1;
	while (strncmp(type, "const ", 6) == 0 || strncmp(type, "volatile ", 9) == 0)
		type += type[0] == 'c' ? 6 : 9;
	len = strlen(type);
	/* Trailing stars and qualifiers: "char *const *", "void *const". */
	while (len) {
		if (type[len - 1] == '*') {
			c->stars++;
			len--;
		} else if (type[len - 1] == ' ') {
			len--;
		} else if (len > 6 && strncmp(type + len - 5, "const", 5) == 0 &&
			   (type[len - 6] == ' ' || type[len - 6] == '*')) {
			len -= 5;
		} else {
			break;
		}
	}
	if (len >= sizeof(c->base))
		len = sizeof(c->base) - 1;
	memcpy(c->base, type, len);
	c->base[len] = '\0';
	if (feat_builtin_size(c->base) || strcmp(c->base, "void") == 0)
		return;
	name = c->base;
	c->kind = BTF_KIND_TYPEDEF;
	if (strncmp(name, "struct ", 7) == 0) {
		c->kind = BTF_KIND_STRUCT;
		name += 7;
	} else if (strncmp(name, "union ", 6) == 0) {
		c->kind = BTF_KIND_UNION;
		name += 6;
	} else if (strncmp(name, "enum ", 5) == 0) {
		c->kind = BTF_KIND_ENUM;
		name += 5;
	}
	if (!btf)
		return;
	c->id = feat_btf_find(btf, idx, name, c->kind);
	if (c->id < 0 && c->kind == BTF_KIND_ENUM)
		c->id = feat_btf_find(btf, idx, name, BTF_KIND_ENUM64);
	if (c->id < 0)
		c->id = -1;
}

/* The size of a declared classic type, 0 when unknown. */
static unsigned int ctype_size(const struct btf *btf, const struct feat_ctype *c)
{
	int size;

	if (c->stars)
		return btf ? (unsigned int)btf__pointer_size(btf) : sizeof(void *);
	if (c->kind == 0)
		return feat_builtin_size(c->base);
	if (!btf || c->id < 0)
		return 0;
	size = btf__resolve_size(btf, c->id);
	return size > 0 ? (unsigned int)size : 0;
}

const struct btf_type *skip_mods_typedefs(const struct btf *btf, uint32_t id, uint32_t *res_id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t))) {
		id = t->type;
		t = btf__type_by_id(btf, id);
	}
	if (res_id)
		*res_id = id;
	return t;
}

static void btf_dump_to_sb(void *ctx, const char *format, va_list args)
{
	struct strbuf *b = ctx;
	va_list copy;
	char small[256];
	int n;

	va_copy(copy, args);
	n = vsnprintf(small, sizeof(small), format, copy);
	va_end(copy);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		sb_add(b, "%s", small);
	} else {
		char *big = malloc((size_t)n + 1);

		if (!big) {
			b->oom = true;
			return;
		}
		vsnprintf(big, (size_t)n + 1, format, args);
		sb_add(b, "%s", big);
		free(big);
	}
}

/* Whether snprintf() output of @n bytes fit in @size. */
static bool fits(int n, size_t size)
{
	return n >= 0 && (size_t)n < size;
}

/*
 * The C name of type @id the way btf_dump prints it ("struct task_struct *",
 * "char[16]", "const char *"), for the common shapes: a btf_dump instance
 * walks every type of vmlinux when it is made, milliseconds that one
 * layout or one access does not need. Returns false for what it does not
 * handle (function pointers, anonymous types, restrict, type tags, stacked
 * qualifiers). Types that share a name are named plainly: btf_dump
 * suffixes "___2" to the second one it happens to name, an order of calls
 * this need not follow.
 */
static bool quick_name(const struct btf *btf, uint32_t id, char *buf, size_t size, int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const char *name, *tag = "";
	char inner[256];

	if (!t || depth > 16)
		return false;
	if (id == 0)
		return fits(snprintf(buf, size, "void"), size);
	name = btf__name_by_offset(btf, t->name_off);
	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT:
		tag = "struct ";
		break;
	case BTF_KIND_UNION:
		tag = "union ";
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		tag = "enum ";
		break;
	case BTF_KIND_FWD:
		tag = btf_kflag(t) ? "union " : "struct ";
		break;
	case BTF_KIND_INT:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_FLOAT:
		break;
	case BTF_KIND_PTR:
		if (!quick_name(btf, t->type, inner, sizeof(inner), depth + 1) || strchr(inner, '['))
			return false;
		/* "char **", not "char * *" */
		return fits(snprintf(buf, size, "%s%s*", inner,
				     inner[strlen(inner) - 1] == '*' ? "" : " "), size);
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
		if (!quick_name(btf, t->type, inner, sizeof(inner), depth + 1) || strchr(inner, '[') ||
		    strncmp(inner, "const ", 6) == 0 || strncmp(inner, "volatile ", 9) == 0)
			return false;
		if (strchr(inner, '*'))
			return fits(snprintf(buf, size, "%s %s", inner,
					     btf_kind(t) == BTF_KIND_CONST ? "const" : "volatile"),
				    size);
		return fits(snprintf(buf, size, "%s %s",
				     btf_kind(t) == BTF_KIND_CONST ? "const" : "volatile", inner),
			    size);
	case BTF_KIND_ARRAY:
		if (!quick_name(btf, btf_array(t)->type, inner, sizeof(inner), depth + 1) ||
		    strchr(inner, '[') || strchr(inner, '*'))
			return false;
		return fits(snprintf(buf, size, "%s[%u]", inner, btf_array(t)->nelems), size);
	default:
		return false;
	}
	if (!name || !*name)
		return false;
	return fits(snprintf(buf, size, "%s%s", tag, name), size);
}

bool feat_type_name_quick(const struct btf *btf, uint32_t id, char *buf, size_t size)
{
	return quick_name(btf, id, buf, size, 0);
}

/* The C text of a type as btf_dump prints it; emit_type_decl() does not
 * touch btf_dump's emission state, so one namer serves many layouts. The
 * btf_dump is made on the first type feat_type_name_quick() cannot name. */
struct feat_namer {
	struct btf *btf;
	struct btf_dump *dump;
	struct strbuf sb;
};

struct feat_namer *feat_namer_new(struct btf *btf)
{
	struct feat_namer *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->btf = btf;
	return n;
}

void feat_namer_free(struct feat_namer *n)
{
	if (!n)
		return;
	btf_dump__free(n->dump);
	free(n->sb.s);
	free(n);
}

char *feat_namer_type(struct feat_namer *n, uint32_t id)
{
	LIBBPF_OPTS(btf_dump_emit_type_decl_opts, o, .field_name = "");
	char quick[512];
	int r;

	if (feat_type_name_quick(n->btf, id, quick, sizeof(quick)))
		return strdup(quick);
	if (!n->dump) {
		n->dump = btf_dump__new(n->btf, btf_dump_to_sb, &n->sb, NULL);
		if (!n->dump)
			return NULL;
	}
	n->sb.len = 0;
	n->sb.oom = false;
	r = btf_dump__emit_type_decl(n->dump, id, &o);
	sb_add(&n->sb, "%s", "");
	if (r < 0 || n->sb.oom)
		return NULL;
	/* btf_dump leaves a blank where the name would be. */
	while (n->sb.len && n->sb.s[n->sb.len - 1] == ' ')
		n->sb.s[--n->sb.len] = '\0';
	return strdup(n->sb.s);
}

static int resolve_raw(struct feat_layout *l, const struct feat_raw_ids *ids,
		       struct feat_namer *namer)
{
	const struct btf_type *proto = btf__type_by_id(l->btf, ids->proto_id);
	const struct btf_type *names = ids->names_id ? btf__type_by_id(l->btf, ids->names_id) : NULL;
	const struct btf_param *p = btf_params(proto);
	unsigned int n = btf_vlen(proto) - 1;
	struct feat_namer *own = NULL;
	int r = 0;

	/* The names' proto must match the typedef's: same arity. */
	if (names && btf_vlen(names) != btf_vlen(proto))
		names = NULL;
	l->args = calloc(n ? n : 1, sizeof(*l->args));
	if (!l->args)
		return -ENOMEM;
	if (!namer && !(namer = own = feat_namer_new(l->btf)))
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++) {
		struct feat_layout_arg *a = &l->args[i];
		const struct btf_type *t;
		const char *name = NULL;
		char buf[32];
		uint32_t rid;
		int size;

		a->sz = sizeof(*a);
		a->slot = i;
		a->btf_id = p[i + 1].type;
		if (names)
			name = btf__name_by_offset(l->btf, btf_params(names)[i + 1].name_off);
		if (!name || !*name) {
			snprintf(buf, sizeof(buf), "arg%u", i);
			name = buf;
		}
		a->name = strdup(name);
		a->type = feat_namer_type(namer, a->btf_id);
		if (!a->name || !a->type) {
			free((char *)a->name);
			free((char *)a->type);
			r = -ENOMEM;
			break;
		}
		size = btf__resolve_size(l->btf, a->btf_id);
		a->size = size > 0 ? (unsigned int)size : 0;
		t = skip_mods_typedefs(l->btf, a->btf_id, &rid);
		if (t && btf_is_int(t))
			a->is_signed = btf_int_encoding(t) & BTF_INT_SIGNED;
		else if (t && (btf_is_enum(t) || btf_is_enum64(t)))
			a->is_signed = btf_kflag(t);
		else if (t && btf_is_ptr(t)) {
			const struct btf_type *pt = skip_mods_typedefs(l->btf, t->type, NULL);

			if (pt && (btf_is_struct(pt) || btf_is_union(pt)) && pt->name_off) {
				char tag[300];

				snprintf(tag, sizeof(tag), "%s %s", btf_is_struct(pt) ? "struct" : "union",
					 btf__name_by_offset(l->btf, pt->name_off));
				a->pointee = strdup(tag);
				if (!a->pointee)
					r = -ENOMEM;
			}
		}
		l->n_args = i + 1;
		if (r < 0)
			break;
	}
	feat_namer_free(own);
	return r;
}

static bool valid_name_part(const char *s, size_t len)
{
	if (len == 0 || len >= 256)
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '/' || s[i] == ':' || s[i] == '\0' || s[i] == '*')
			return false;
	return !(len <= 2 && s[0] == '.' && (len == 1 || s[1] == '.'));
}

/* Find NAME's system in tracefs: 0 and @system set, -ENOENT, -ENOTUNIQ. */
static int tracefs_find_system(int tfd, const char *name, char *system, size_t size)
{
	struct dirent *de;
	int fd, found = 0;
	DIR *d;

	fd = openat(tfd, "events", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -ENOMEM;
	}
	while ((de = readdir(d))) {
		char path[600];

		if (de->d_name[0] == '.' || de->d_type != DT_DIR)
			continue;
		snprintf(path, sizeof(path), "%s/%s/format", de->d_name, name);
		if (faccessat(dirfd(d), path, F_OK, 0) < 0)
			continue;
		if (found++ == 0)
			snprintf(system, size, "%s", de->d_name);
	}
	closedir(d);
	return found == 0 ? -ENOENT : found > 1 ? -ENOTUNIQ : 0;
}

static int not_found(struct feat_ctx *ctx, const char *name, int e)
{
	struct feat_catalog *cat;
	const char *near[5];
	char list[600] = "";
	size_t n = 0, len = 0;
	int r;

	r = feat_catalog_build(ctx, 0, &cat);
	if (r == -ENODATA)
		/* Neither tracefs nor BTF could be read (already said): that
		 * is the error, not a missing name. */
		return r;
	if (r == 0) {
		if (e == -ENOTUNIQ) {
			for (size_t i = 0; i < feat_catalog_count(cat) && n < 5; i++) {
				const struct feat_tracepoint *tp = feat_catalog_get(cat, i);

				if (strcmp(tp->name, name) == 0 && tp->system) {
					len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s:%s",
								n++ ? ", " : "", tp->system, tp->name);
					if (len >= sizeof(list))
						break;
				}
			}
			err(ctx, "tracepoint '%s' is ambiguous: %s\n", name, list);
			feat_catalog_free(cat);
			return e;
		}
		n = feat_catalog_suggest(cat, name, near, ARRAY_SIZE(near));
		for (size_t i = 0; i < n && len < sizeof(list); i++)
			len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
						i ? ", " : "", near[i]);
		feat_catalog_free(cat);
	}
	if (n)
		err(ctx, "no tracepoint '%s'; closest: %s\n", name, list);
	else
		err(ctx, "no tracepoint '%s'\n", name);
	return -ENOENT;
}

/* The module's tracepoints closest to @name, as "MODULE/NAME, ...". */
static void module_suggest(const struct feat_module_btf *m, const struct feat_btf_index *idx,
			   const char *name, char *buf, size_t size)
{
	unsigned int limit = (unsigned int)strlen(name) / 3 + 2;
	size_t n, len = 0, shown = 0;
	int32_t first;

	n = feat_btf_index_prefix(idx, "btf_trace_", &first);
	for (size_t i = 0; i < n && shown < 5 && len < size; i++) {
		const char *tname;

		if (!feat_btf_index_entry(idx, (size_t)first + i, BTF_KIND_TYPEDEF, &tname))
			continue;
		tname += 10;
		if (feat_edit_distance(name, tname) > limit && !strstr(tname, name))
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s/%s", shown++ ? ", " : "", m->name, tname);
	}
}

FEAT_API int feat_layout_resolve(struct feat_ctx *ctx, const char *name,
				 unsigned int flags, struct feat_layout **layoutp)
{
	return feat_layout_resolve_index(ctx, name, flags, NULL, NULL, layoutp);
}

int feat_layout_resolve_index(struct feat_ctx *ctx, const char *name,
			      unsigned int flags, const struct feat_btf_index *idx,
			      struct feat_namer *namer, struct feat_layout **layoutp)
{
	struct feat_raw_ids ids = { .typedef_id = -ENOENT };
	struct feat_btf_index *own_idx = NULL;
	struct feat_namer *own_namer = NULL;
	int32_t classic_struct = 0;
	struct feat_module_btf *m = NULL;
	struct feat_layout *l;
	const char *colon, *slash, *event, *why;
	bool has_format = false, have_ids = false;
	int tfd = -ENOENT, r, e;

	if (!ctx || !name || !layoutp || (flags & ~(unsigned int)FEAT_FORM_BOTH))
		return -EINVAL;
	if (flags == 0)
		flags = FEAT_FORM_BOTH;
	colon = strchr(name, ':');
	slash = colon ? NULL : strchr(name, '/');
	event = colon ? colon + 1 : slash ? slash + 1 : name;
	if ((colon && !valid_name_part(name, (size_t)(colon - name))) ||
	    (slash && (!valid_name_part(name, (size_t)(slash - name)) || slash - name >= 56)) ||
	    !valid_name_part(event, strlen(event))) {
		err(ctx, "'%s' is not a tracepoint name (SYS:NAME, NAME or MODULE/NAME)\n", name);
		return -EINVAL;
	}
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->ctx = feat_ref(ctx);
	l->fmt.id = -1;
	snprintf(l->name, sizeof(l->name), "%s", event);
	if (colon)
		snprintf(l->system, sizeof(l->system), "%.*s", (int)(colon - name), name);
	if (slash) {
		/* MODULE/NAME: the module's BTF, loaded or from its file. */
		snprintf(l->module, sizeof(l->module), "%.*s", (int)(slash - name), name);
		feat_module_name_normalize(l->module);
		r = feat_module_btf_get(ctx, l->module, &m);
		if (r == -ENOMSG)
			err(ctx, "module %s (%s): no tracepoint %s: its BTF has no btf_trace_ typedef at all\n",
			    l->module, m->source, l->name);
		if (r < 0) {
			/* Said already, in one line naming the file. */
			feat_layout_free(l);
			return r == -ENOEXEC || r == -ENOENT || r == -ENOMSG ? -ENOENT : r;
		}
	}

	/* tracefs: does the event exist, and in which system. A module that
	 * is not loaded has none; one that is has it under a system BTF
	 * does not name. */
	if (!m || m->loaded)
		tfd = feat_layout_tracefs_open(ctx);
	if (tfd >= 0 && m) {
		has_format = tracefs_find_system(tfd, event, l->system, sizeof(l->system)) == 0;
	} else if (tfd >= 0) {
		if (!colon) {
			r = tracefs_find_system(tfd, event, l->system, sizeof(l->system));
			if (r == -ENOTUNIQ) {
				close(tfd);
				feat_layout_free(l);
				return not_found(ctx, name, r);
			}
			has_format = r == 0;
		} else {
			char path[600];

			snprintf(path, sizeof(path), "events/%s/%s/format", l->system, l->name);
			has_format = faccessat(tfd, path, F_OK, 0) == 0;
		}
	}
	if (!has_format && !(colon && tfd < 0))
		l->system[0] = '\0';

	/* BTF: the raw form. syscalls and ftrace events have none. */
	l->btf = m ? m->btf : feat_btf_get(ctx, &e);
	if (l->btf && strcmp(l->system, "syscalls") != 0 && strcmp(l->system, "ftrace") != 0) {
		if (m && !(idx = feat_module_btf_index(ctx, m))) {
			r = -ENOMEM;
			goto fail;
		}
		r = feat_raw_ids_find(l->btf, idx, l->name, &ids);
		if (r < 0 && r != -ENAMETOOLONG) {
			err(ctx, "BTF: btf_trace_%s is not a pointer to a function: %s\n",
			    l->name, strerror(-r));
			ids.typedef_id = -ENOENT;
		}
		/* Not vmlinux's: a loaded module's (tracefs shows their
		 * events too), the module named as the system first. */
		if (!m && ids.typedef_id < 0 && !ids.has_probestub &&
		    feat_module_btf_find_trace(ctx, l->name, l->system[0] ? l->system : NULL, &m) == 0) {
			l->btf = m->btf;
			idx = feat_module_btf_index(ctx, m);
			namer = NULL;
			if (!idx) {
				r = -ENOMEM;
				goto fail;
			}
			r = feat_raw_ids_find(l->btf, idx, l->name, &ids);
			if (r < 0 && r != -ENAMETOOLONG)
				ids.typedef_id = -ENOENT;
		}
		have_ids = true;
	} else if (l->btf) {
		have_ids = true;
	}
	if (m) {
		snprintf(l->module, sizeof(l->module), "%s", m->name);
		if (!namer && !(namer = feat_module_btf_namer(m))) {
			r = -ENOMEM;
			goto fail;
		}
	}
	if (m && slash && ids.typedef_id < 0) {
		char near[300] = "";

		module_suggest(m, idx, l->name, near, sizeof(near));
		err(ctx, "module %s (%s): no tracepoint %s (no typedef btf_trace_%s)%s%s\n", m->name,
		    m->source, l->name, l->name, near[0] ? "; closest: " : "", near);
		r = -ENOENT;
		goto fail;
	}
	/* A raw-only tracepoint named with a system: tracefs says otherwise. */
	if (!has_format && ((colon && tfd >= 0) || (ids.typedef_id < 0 && !ids.has_probestub))) {
		if (tfd >= 0)
			close(tfd);
		feat_layout_free(l);
		return not_found(ctx, name, -ENOENT);
	}

	l->tp.sz = sizeof(l->tp);
	l->tp.system = l->system[0] ? l->system : NULL;
	l->tp.name = l->name;
	l->tp.module = m ? l->module : NULL;
	l->tp.module_loaded = m && m->loaded;
	why = feat_classic_missing_reason(l->tp.system, has_format, tfd < 0 ? -tfd : 0,
					  l->classic_missing,
					  sizeof(l->classic_missing));
	l->tp.classic = !why;
	l->tp.classic_missing = why;
	why = feat_raw_missing_reason(l->tp.system, l->name, have_ids ? &ids : NULL,
				      l->raw_missing, sizeof(l->raw_missing));
	l->tp.raw = !why;
	l->tp.raw_missing = why;
	if (l->tp.system && strcmp(l->tp.system, "syscalls") == 0)
		l->tp.raw_equivalent = strncmp(l->name, "sys_exit", 8) == 0
					       ? "raw_syscalls:sys_exit" : "raw_syscalls:sys_enter";
	l->tp.n_args = l->tp.raw ? (int)btf_vlen(btf__type_by_id(l->btf, ids.proto_id)) - 1 : -1;
	l->raw_obj_id = l->tp.raw && ids.typedef_id > 0 ? (uint32_t)ids.typedef_id : 0;
	l->raw_btf_id = m ? 0 : l->raw_obj_id;
	if (l->tp.raw)
		l->tp.btf_object = m ? l->module : "vmlinux";

	/* No tracefs (offline, not permitted), or a module's event tracefs
	 * cannot show (not loaded, or a saved copy): the record from BTF. */
	if (!has_format && (tfd < 0 || (m && (ctx->root || !m->loaded))) && l->btf &&
	    !(l->tp.system && (strcmp(l->tp.system, "syscalls") == 0 || strcmp(l->tp.system, "ftrace") == 0))) {
		if (!idx)
			idx = own_idx = feat_btf_index_new(l->btf);
		classic_struct = idx ? feat_classic_btf_find(l->btf, idx, l->name,
							     ids.typedef_id > 0 ? ids.proto_id : 0,
							     l->classic_missing, sizeof(l->classic_missing))
				     : -ENOMEM;
		if (classic_struct > 0) {
			l->tp.classic = true;
			l->tp.classic_missing = NULL;
			snprintf(l->classic_source, sizeof(l->classic_source), "BTF struct %s%s%s%s%s",
				 btf__name_by_offset(l->btf, btf__type_by_id(l->btf, classic_struct)->name_off),
				 m ? " of module " : "", m ? m->name : "", m ? " (" : "", m ? m->source : "");
			if (m)
				strncat(l->classic_source, ")",
					sizeof(l->classic_source) - strlen(l->classic_source) - 1);
		} else if (classic_struct == -ENOMEM) {
			r = -ENOMEM;
			goto fail;
		}
	} else if (has_format) {
		snprintf(l->classic_source, sizeof(l->classic_source), "%s events/%s/%s/format",
			 ctx->root ? "saved tracefs" : "tracefs", l->system, l->name);
	}
	if (l->btf && !namer && (flags & FEAT_FORM_RAW || classic_struct > 0) &&
	    !(namer = own_namer = feat_namer_new(l->btf))) {
		r = -ENOMEM;
		goto fail;
	}

	r = 0;
	if ((flags & FEAT_FORM_CLASSIC) && l->tp.classic) {
		if (classic_struct > 0) {
			r = feat_classic_btf_fields(l->btf, namer, classic_struct, &l->fmt);
			if (r < 0)
				err(ctx, "BTF %s: cannot lay out: %s\n", l->classic_source, strerror(-r));
		} else {
			r = feat_format_read(ctx, tfd, l->system, l->name, &l->fmt);
		}
		if (r == 0)
			l->ctypes = calloc(l->fmt.n_fields ? l->fmt.n_fields : 1, sizeof(*l->ctypes));
		if (r == 0 && !l->ctypes)
			r = -ENOMEM;
		if (r == 0) {
			for (size_t i = 0; i < l->fmt.n_fields; i++) {
				struct feat_layout_field *f = &l->fmt.fields[i];

				feat_ctype_parse(l->btf, idx, f->type, &l->ctypes[i]);
				f->type_size = ctype_size(l->btf, &l->ctypes[i]);
			}
			l->forms |= FEAT_FORM_CLASSIC;
		} else if (r != -EBADMSG && classic_struct <= 0) {
			err(ctx, "tracefs events/%s/%s/format: %s\n", l->system, l->name,
			    strerror(-r));
		}
	}
	if (r == 0 && (flags & FEAT_FORM_RAW) && l->tp.raw) {
		r = resolve_raw(l, &ids, namer);
		if (r == 0)
			l->forms |= FEAT_FORM_RAW;
	}
fail:
	if (tfd >= 0)
		close(tfd);
	feat_namer_free(own_namer);
	feat_btf_index_free(own_idx);
	if (r < 0) {
		feat_layout_free(l);
		return r;
	}
	*layoutp = l;
	return 0;
}

/* --- accessors --- */

struct btf *feat_layout_btf(const struct feat_layout *l)
{
	return l->btf;
}

struct feat_ctx *feat_layout_ctx(const struct feat_layout *l)
{
	return l->ctx;
}

const struct feat_ctype *feat_layout_ctype(const struct feat_layout *l, size_t i)
{
	return &l->ctypes[i];
}

FEAT_API uint32_t feat_layout_raw_btf_id(const struct feat_layout *l)
{
	return l ? l->raw_btf_id : 0;
}

FEAT_API uint32_t feat_layout_raw_btf_obj_id(const struct feat_layout *l, const char **object)
{
	if (object)
		*object = l && l->raw_obj_id ? l->tp.btf_object : NULL;
	return l ? l->raw_obj_id : 0;
}

FEAT_API const struct feat_tracepoint *feat_layout_tracepoint(const struct feat_layout *l)
{
	return l ? &l->tp : NULL;
}

FEAT_API bool feat_layout_has(const struct feat_layout *l, enum feat_form form)
{
	return l && form && (l->forms & form) == (unsigned int)form;
}

FEAT_API const char *feat_layout_missing(const struct feat_layout *l, enum feat_form form)
{
	if (!l)
		return NULL;
	if (form == FEAT_FORM_CLASSIC)
		return l->tp.classic_missing ? l->tp.classic_missing
		       : l->forms & FEAT_FORM_CLASSIC ? NULL : "not resolved (not asked for)";
	if (form == FEAT_FORM_RAW)
		return l->tp.raw_missing ? l->tp.raw_missing
		       : l->forms & FEAT_FORM_RAW ? NULL : "not resolved (not asked for)";
	return NULL;
}

FEAT_API const char *feat_layout_classic_source(const struct feat_layout *l)
{
	return l && (l->forms & FEAT_FORM_CLASSIC) ? l->classic_source : NULL;
}

FEAT_API unsigned int feat_layout_classic_size(const struct feat_layout *l)
{
	return l && (l->forms & FEAT_FORM_CLASSIC) ? l->fmt.size : 0;
}

FEAT_API unsigned int feat_layout_header_size(const struct feat_layout *l)
{
	return l && (l->forms & FEAT_FORM_CLASSIC) ? l->fmt.header_size : 0;
}

FEAT_API size_t feat_layout_field_count(const struct feat_layout *l)
{
	return l && (l->forms & FEAT_FORM_CLASSIC) ? l->fmt.n_fields : 0;
}

FEAT_API const struct feat_layout_field *feat_layout_field(const struct feat_layout *l,
							   size_t i)
{
	return i < feat_layout_field_count(l) ? &l->fmt.fields[i] : NULL;
}

FEAT_API size_t feat_layout_arg_count(const struct feat_layout *l)
{
	return l && (l->forms & FEAT_FORM_RAW) ? l->n_args : 0;
}

FEAT_API const struct feat_layout_arg *feat_layout_arg(const struct feat_layout *l, size_t i)
{
	return i < feat_layout_arg_count(l) ? &l->args[i] : NULL;
}

FEAT_API void feat_layout_free(struct feat_layout *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n_args; i++) {
		free((char *)l->args[i].name);
		free((char *)l->args[i].type);
		free((char *)l->args[i].pointee);
	}
	free(l->args);
	free(l->ctypes);
	feat_format_release(&l->fmt);
	feat_unref(l->ctx);
	free(l);
}

/* --- JSON --- */

static const char *dynamic_name(enum feat_dynamic d)
{
	return d == FEAT_DYNAMIC_DATA_LOC ? "__data_loc" : d == FEAT_DYNAMIC_REL_LOC ? "__rel_loc" : NULL;
}

static void json_field(struct strbuf *b, const struct feat_layout_field *f)
{
	sb_add(b, "{\"name\":");
	sb_json_str(b, f->name);
	sb_add(b, ",\"type\":");
	sb_json_str(b, f->type);
	sb_add(b, ",\"offset\":%u,\"size\":%u,\"signed\":%s,\"array\":", f->offset, f->size,
	       f->is_signed ? "true" : "false");
	if (f->array >= 0)
		sb_add(b, "%ld", f->array);
	else
		sb_add(b, "null");
	sb_add(b, ",\"dynamic\":");
	sb_json_str(b, dynamic_name(f->dynamic));
	/* syscalls:* args: the declared type is narrower than its slot. */
	if (f->type_size && f->type_size < f->size && f->array < 0 && !f->dynamic)
		sb_add(b, ",\"type_size\":%u", f->type_size);
	sb_add(b, "}");
}

FEAT_API int feat_layout_json(const struct feat_layout *l, unsigned int forms, char **text)
{
	struct strbuf b = { 0 };
	char full[600];

	if (!l || !text)
		return -EINVAL;
	if (forms == 0)
		forms = l->forms;
	snprintf(full, sizeof(full), "%s%s%s", l->tp.system ? l->tp.system : "",
		 l->tp.system ? ":" : "", l->tp.name);
	if (!l->tp.system && l->tp.module)
		snprintf(full, sizeof(full), "%s/%s", l->tp.module, l->tp.name);
	sb_add(&b, "{\"tracepoint\":");
	sb_json_str(&b, full);
	sb_add(&b, ",\"module\":");
	sb_json_str(&b, l->tp.module);
	sb_add(&b, ",\"btf_object\":");
	sb_json_str(&b, l->btf ? (l->tp.module ? l->tp.module : "vmlinux") : NULL);
	if (forms & FEAT_FORM_CLASSIC) {
		sb_add(&b, ",\"classic\":");
		if (l->forms & FEAT_FORM_CLASSIC) {
			bool first = true;

			sb_add(&b, "{\"source\":");
			sb_json_str(&b, l->classic_source);
			sb_add(&b, ",\"size\":%u,\"common\":[", l->fmt.size);
			for (size_t i = 0; i < l->fmt.n_common; i++) {
				sb_add(&b, i ? "," : "");
				json_field(&b, &l->fmt.fields[i]);
			}
			sb_add(&b, "],\"fields\":[");
			for (size_t i = l->fmt.n_common; i < l->fmt.n_fields; i++) {
				sb_add(&b, first ? "" : ",");
				first = false;
				json_field(&b, &l->fmt.fields[i]);
			}
			sb_add(&b, "]}");
		} else {
			sb_add(&b, "null,\"classic_missing\":");
			sb_json_str(&b, feat_layout_missing(l, FEAT_FORM_CLASSIC));
		}
	}
	if (forms & FEAT_FORM_RAW) {
		sb_add(&b, ",\"raw\":");
		if (l->forms & FEAT_FORM_RAW) {
			/* The attach_btf_id of a tp_btf program, in btf_object. */
			sb_add(&b, "{\"btf_id\":%u,\"args\":[", l->raw_obj_id);
			for (size_t i = 0; i < l->n_args; i++) {
				const struct feat_layout_arg *a = &l->args[i];

				sb_add(&b, "%s{\"name\":", i ? "," : "");
				sb_json_str(&b, a->name);
				sb_add(&b, ",\"type\":");
				sb_json_str(&b, a->type);
				sb_add(&b, ",\"slot\":%u,\"size\":%u,\"signed\":%s,\"pointee\":", a->slot,
				       a->size, a->is_signed ? "true" : "false");
				sb_json_str(&b, a->pointee);
				sb_add(&b, "}");
			}
			sb_add(&b, "]}");
		} else {
			sb_add(&b, "null,\"raw_missing\":");
			sb_json_str(&b, feat_layout_missing(l, FEAT_FORM_RAW));
			if (l->tp.raw_equivalent) {
				sb_add(&b, ",\"raw_equivalent\":");
				sb_json_str(&b, l->tp.raw_equivalent);
			}
		}
	}
	sb_add(&b, "}");
	if (b.oom) {
		free(b.s);
		return -ENOMEM;
	}
	*text = b.s;
	return 0;
}
