// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The tracepoint catalog: tracefs events (events/SYS/NAME) joined with the
 * BTF of their raw form.
 *
 * A tracepoint NAME has a raw form a BPF program can be typed against when
 * BTF has "typedef void (*btf_trace_NAME)(void *__data, TP_PROTO args)"
 * (include/trace/bpf_probe.h, __DEFINE_EVENT -> btf_trace_##call). Its
 * parameters are anonymous; the names are those of the FUNC
 * __probestub_NAME (6.4+, include/linux/tracepoint.h) or __traceiter_NAME
 * (5.10+), and __bpf_trace_CLASS on older kernels. A DECLARE_TRACE without
 * a TRACE_EVENT has the typedef but no tracefs event (pelt_cfs_tp);
 * syscalls:* events are made by kernel/trace/trace_syscalls.c from the
 * raw_syscalls tracepoints and have no tracepoint of their own; ftrace:*
 * events (kernel/trace/trace_entries.h) describe ring buffer entries and
 * take no BPF program (perf_event_set_bpf_prog() refuses them).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "layout-internal.h"

#define BTF_TRACE_PREFIX "btf_trace_"

struct feat_catalog {
	struct feat_ctx *ctx;
	struct feat_tracepoint *tp;
	char **full; /* "SYS:NAME" or "NAME", per entry */
	size_t n, cap;
	struct feat_btf_index *index;
	struct feat_namer *namer; /* type names for feat_catalog_layout() */
	char **owned;
	size_t n_owned;
	const char *modules_unread; /* loaded modules whose BTF could not be read */
};

static const char *catalog_keep(struct feat_catalog *cat, const char *s)
{
	char **o, *copy;

	if (!s)
		return NULL;
	o = realloc(cat->owned, (cat->n_owned + 1) * sizeof(*o));
	if (!o)
		return NULL;
	cat->owned = o;
	copy = strdup(s);
	if (!copy)
		return NULL;
	o[cat->n_owned++] = copy;
	return copy;
}

const char *feat_classic_missing_reason(const char *system, bool has_format,
					int tracefs_err, char *buf, size_t size)
{
	if (!has_format && tracefs_err) {
		snprintf(buf, size, "tracefs could not be read (%s), so the format file is unknown",
			 tracefs_err == ENODEV ? "offline target" : strerror(tracefs_err));
		return buf;
	}
	if (!has_format) {
		snprintf(buf, size, system ? "no format file in tracefs for this event"
					   : "no tracefs event: a tracepoint declared without TRACE_EVENT");
		return buf;
	}
	if (system && strcmp(system, "ftrace") == 0) {
		snprintf(buf, size, "ftrace:* events have a format file but take no BPF program");
		return buf;
	}
	return NULL;
}

const char *feat_raw_missing_reason(const char *system, const char *name,
				    const struct feat_raw_ids *ids,
				    char *buf, size_t size)
{
	if (ids && ids->typedef_id > 0)
		return NULL;
	if (system && strcmp(system, "syscalls") == 0) {
		snprintf(buf, size,
			 "syscalls:* events have no tracepoint of their own; the raw equivalent is raw_syscalls:%s filtered on the syscall number (id)",
			 strncmp(name, "sys_exit", 8) == 0 ? "sys_exit" : "sys_enter");
		return buf;
	}
	if (system && strcmp(system, "ftrace") == 0) {
		snprintf(buf, size, "ftrace:* events are ring buffer entries, not tracepoints");
		return buf;
	}
	if (!ids) {
		snprintf(buf, size, "no vmlinux BTF to describe the raw arguments");
		return buf;
	}
	if (ids->has_probestub) {
		snprintf(buf, size,
			 "__probestub_%s exists but BTF has no btf_trace_%s typedef: cannot attach (raw attach answers ENOENT)",
			 name, name);
		return buf;
	}
	snprintf(buf, size, "BTF has no btf_trace_%s typedef", name);
	return buf;
}

static const char *raw_equivalent(const char *system, const char *name)
{
	if (!system || strcmp(system, "syscalls") != 0)
		return NULL;
	return strncmp(name, "sys_exit", 8) == 0 ? "raw_syscalls:sys_exit"
						 : "raw_syscalls:sys_enter";
}

/* The FUNC_PROTO behind typedef btf_trace_NAME: typedef -> ptr -> proto. */
static int raw_proto(const struct btf *btf, int32_t typedef_id)
{
	const struct btf_type *t = btf__type_by_id(btf, typedef_id);

	if (!t || !btf_is_typedef(t))
		return -EINVAL;
	t = btf__type_by_id(btf, t->type);
	if (!t || !btf_is_ptr(t))
		return -EINVAL;
	typedef_id = (int32_t)t->type;
	t = btf__type_by_id(btf, t->type);
	if (!t || !btf_is_func_proto(t) || btf_vlen(t) < 1)
		return -EINVAL;
	return typedef_id;
}

struct feat_btf_index {
	struct index_entry {
		const char *name;
		uint32_t id;
		int kind;
	} *v;
	size_t n;
	const struct feat_btf_index *base; /* of the base BTF, for split BTF */
};

static int index_cmp(const void *a, const void *b)
{
	const struct index_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static struct feat_btf_index *index_new(const struct btf *btf, unsigned int first)
{
	unsigned int n = btf__type_cnt(btf);
	struct feat_btf_index *idx = calloc(1, sizeof(*idx));

	if (!idx || !(idx->v = malloc((n - first + 1) * sizeof(*idx->v)))) {
		free(idx);
		return NULL;
	}
	for (unsigned int id = first; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		int kind = btf_kind(t);

		if (!t->name_off)
			continue;
		if (kind != BTF_KIND_TYPEDEF && kind != BTF_KIND_STRUCT && kind != BTF_KIND_UNION &&
		    kind != BTF_KIND_ENUM && kind != BTF_KIND_ENUM64 && kind != BTF_KIND_FUNC)
			continue;
		idx->v[idx->n++] = (struct index_entry){
			.name = btf__name_by_offset(btf, t->name_off), .id = id, .kind = kind };
	}
	if (idx->n)
		qsort(idx->v, idx->n, sizeof(*idx->v), index_cmp);
	return idx;
}

struct feat_btf_index *feat_btf_index_new(const struct btf *btf)
{
	return index_new(btf, 1);
}

struct feat_btf_index *feat_btf_index_new_split(const struct btf *btf,
						const struct feat_btf_index *base)
{
	const struct btf *base_btf = btf__base_btf(btf);
	struct feat_btf_index *idx = index_new(btf, base_btf ? btf__type_cnt(base_btf) : 1);

	if (idx)
		idx->base = base;
	return idx;
}

size_t feat_btf_index_prefix(const struct feat_btf_index *idx, const char *prefix, int32_t *first)
{
	size_t lo = 0, hi = idx->n, len = strlen(prefix), i;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(idx->v[mid].name, prefix) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = (int32_t)lo;
	for (i = lo; i < idx->n && strncmp(idx->v[i].name, prefix, len) == 0; i++)
		;
	return i - lo;
}

uint32_t feat_btf_index_entry(const struct feat_btf_index *idx, size_t i, int kind,
			      const char **name)
{
	if (i >= idx->n)
		return 0;
	*name = idx->v[i].name;
	return idx->v[i].kind == kind ? idx->v[i].id : 0;
}

void feat_btf_index_free(struct feat_btf_index *idx)
{
	if (!idx)
		return;
	free(idx->v);
	free(idx);
}

int feat_btf_find(const struct btf *btf, const struct feat_btf_index *idx,
		  const char *name, int kind)
{
	size_t lo = 0, hi;

	if (!idx) {
		int id = btf__find_by_name_kind(btf, name, kind);

		return id > 0 ? id : -ENOENT;
	}
	/* Base types have the lower ids. */
	if (idx->base) {
		int id = feat_btf_find(btf, idx->base, name, kind);

		if (id > 0)
			return id;
	}
	/* The first entry not below (name, kind, 0): libbpf's choice is
	 * the lowest id too. */
	hi = idx->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(idx->v[mid].name, name);

		if (c < 0 || (c == 0 && idx->v[mid].kind < kind))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < idx->n && idx->v[lo].kind == kind && strcmp(idx->v[lo].name, name) == 0)
		return (int)idx->v[lo].id;
	return -ENOENT;
}

/* The FUNC_PROTO of FUNC @prefix@name, or 0. */
static int32_t func_proto(const struct btf *btf, const struct feat_btf_index *idx,
			  const char *prefix, const char *name)
{
	char fn[256];
	const struct btf_type *t;
	int id;

	if (snprintf(fn, sizeof(fn), "%s%s", prefix, name) >= (int)sizeof(fn))
		return 0;
	id = feat_btf_find(btf, idx, fn, BTF_KIND_FUNC);
	if (id <= 0)
		return 0;
	t = btf__type_by_id(btf, id);
	t = btf__type_by_id(btf, t->type);
	return t && btf_is_func_proto(t) ? (int32_t)btf__type_by_id(btf, id)->type : 0;
}

int feat_raw_ids_find(struct btf *btf, const struct feat_btf_index *idx,
		      const char *name, struct feat_raw_ids *ids)
{
	static const char *const name_sources[] = { "__probestub_", "__traceiter_",
						    "__bpf_trace_" };
	char tname[256];
	int id;

	memset(ids, 0, sizeof(*ids));
	if (snprintf(tname, sizeof(tname), BTF_TRACE_PREFIX "%s", name) >= (int)sizeof(tname))
		return -ENAMETOOLONG;
	id = feat_btf_find(btf, idx, tname, BTF_KIND_TYPEDEF);
	ids->typedef_id = id > 0 ? id : -ENOENT;
	if (id > 0) {
		ids->proto_id = raw_proto(btf, id);
		if (ids->proto_id < 0)
			return ids->proto_id;
	}
	for (size_t i = 0; i < ARRAY_SIZE(name_sources); i++) {
		int32_t p = func_proto(btf, idx, name_sources[i], name);

		if (!p)
			continue;
		if (i < 2)
			ids->has_probestub = true;
		if (!ids->names_id) {
			ids->names_id = p;
			ids->names_from = name_sources[i];
		}
		if (ids->has_probestub)
			break;
	}
	return 0;
}

/* --- building --- */

/* "SYS:NAME", "NAME", or "MODULE/NAME" for a module's tracepoint that
 * tracefs does not show. */
static void full_name(const struct feat_tracepoint *tp, char *buf, size_t size)
{
	if (tp->system)
		snprintf(buf, size, "%s:%s", tp->system, tp->name);
	else if (tp->module)
		snprintf(buf, size, "%s/%s", tp->module, tp->name);
	else
		snprintf(buf, size, "%s", tp->name);
}

/* What one entry is made of. */
struct entry_src {
	const char *system;
	const char *name;
	bool has_format;
	int tracefs_err;
	const struct feat_raw_ids *ids; /* NULL: no BTF at all */
	int n_args;
	struct feat_module_btf *m; /* the module whose BTF holds it, or NULL */
};

static int catalog_add(struct feat_catalog *cat, const struct entry_src *e)
{
	struct feat_tracepoint *tp;
	char buf[512], full[512];
	const char *s;
	int32_t sid = 0;

	if (cat->n == cat->cap) {
		size_t cap = cat->cap ? cat->cap * 2 : 1024;
		struct feat_tracepoint *n = realloc(cat->tp, cap * sizeof(*n));
		char **f;

		if (!n)
			return -ENOMEM;
		cat->tp = n;
		f = realloc(cat->full, cap * sizeof(*f));
		if (!f)
			return -ENOMEM;
		cat->full = f;
		cat->cap = cap;
	}
	tp = &cat->tp[cat->n];
	memset(tp, 0, sizeof(*tp));
	tp->sz = sizeof(*tp);
	tp->system = e->system ? catalog_keep(cat, e->system) : NULL;
	tp->name = catalog_keep(cat, e->name);
	if ((e->system && !tp->system) || !tp->name)
		return -ENOMEM;
	if (e->m) {
		tp->module = catalog_keep(cat, e->m->name);
		if (!tp->module)
			return -ENOMEM;
		tp->module_loaded = e->m->loaded;
	}
	s = feat_classic_missing_reason(e->system, e->has_format, e->tracefs_err, buf, sizeof(buf));
	/* Without a format file, what feat_layout_resolve() can lay out from
	 * BTF: without tracefs at all, or for a module whose event tracefs
	 * cannot show (not loaded, or a saved tracefs copy). */
	if (s && !e->system &&
	    (e->m ? e->tracefs_err || cat->ctx->root || !e->m->loaded : e->tracefs_err && cat->index)) {
		struct btf *btf = e->m ? e->m->btf : feat_btf_get(cat->ctx, NULL);
		const struct feat_btf_index *idx = e->m ? feat_module_btf_index(cat->ctx, e->m) : cat->index;
		int32_t proto = e->ids && e->ids->typedef_id > 0 ? raw_proto(btf, e->ids->typedef_id) : 0;

		if (!idx)
			return -ENOMEM;
		if (proto < 0)
			proto = 0;
		sid = feat_classic_btf_find(btf, idx, e->name, proto, buf, sizeof(buf));
		if (sid > 0)
			s = NULL;
	}
	tp->classic = !s;
	if (s && !(tp->classic_missing = catalog_keep(cat, s)))
		return -ENOMEM;
	s = feat_raw_missing_reason(e->system, e->name, e->ids, buf, sizeof(buf));
	if (s && cat->modules_unread && !e->m && e->ids && e->ids->typedef_id <= 0) {
		/* An event of a module whose BTF could not be read looks
		 * like one without BTF: say that it may be neither. */
		size_t len = strlen(buf);

		snprintf(buf + len, sizeof(buf) - len, " (vmlinux's, nor any loaded module's that could be read: not %s)",
			 cat->modules_unread);
	}
	tp->raw = !s;
	if (s && !(tp->raw_missing = catalog_keep(cat, s)))
		return -ENOMEM;
	if (tp->raw)
		tp->btf_object = tp->module ? tp->module : "vmlinux";
	tp->raw_equivalent = raw_equivalent(e->system, e->name);
	tp->n_args = tp->raw ? e->n_args : -1;
	full_name(tp, full, sizeof(full));
	cat->full[cat->n] = strdup(full);
	if (!cat->full[cat->n])
		return -ENOMEM;
	cat->n++;
	return 0;
}

struct name_id {
	const char *name; /* without the prefix */
	int32_t id;
	int n_args;
	bool used;
	struct feat_module_btf *m; /* NULL: vmlinux */
};

static int name_id_cmp(const void *a, const void *b)
{
	return strcmp(((const struct name_id *)a)->name, ((const struct name_id *)b)->name);
}

struct btf_names {
	struct name_id *trace;	/* btf_trace_NAME typedefs */
	size_t n_trace;
	struct name_id *stub;	/* __probestub_NAME / __traceiter_NAME FUNCs */
	size_t n_stub;
};

static int names_push(struct name_id **v, size_t *n, const char *name, int32_t id,
		      struct feat_module_btf *m)
{
	struct name_id *x;

	/* Grow by powers of two. */
	if ((*n & (*n - 1)) == 0) {
		x = realloc(*v, (*n ? *n * 2 : 64) * sizeof(*x));
		if (!x)
			return -ENOMEM;
		*v = x;
	}
	(*v)[(*n)++] = (struct name_id){ .name = name, .id = id, .n_args = -1, .m = m };
	return 0;
}

static void btf_names_sort(struct btf_names *bn)
{
	/* qsort() of no entries would get a NULL base: skip it. */
	if (bn->n_trace)
		qsort(bn->trace, bn->n_trace, sizeof(*bn->trace), name_id_cmp);
	if (bn->n_stub)
		qsort(bn->stub, bn->n_stub, sizeof(*bn->stub), name_id_cmp);
}

/* One pass over the types of @btf from @first (a split BTF's own): 0.8 ms
 * for vmlinux's 126k types (KERNEL-FACTS). @m: the module, NULL for vmlinux. */
static int btf_names_scan(const struct btf *btf, uint32_t first, struct feat_module_btf *m,
			  struct btf_names *bn)
{
	unsigned int n = btf__type_cnt(btf);
	size_t n_stub = bn->n_stub;

	for (unsigned int id = first; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *name;
		int r = 0;

		if (!btf_is_typedef(t) && !btf_is_func(t))
			continue;
		name = btf__name_by_offset(btf, t->name_off);
		if (!name || name[0] == '\0')
			continue;
		if (btf_is_typedef(t) && strncmp(name, BTF_TRACE_PREFIX, 10) == 0) {
			r = names_push(&bn->trace, &bn->n_trace, name + 10, (int32_t)id, m);
			if (r == 0) {
				int p = raw_proto(btf, (int32_t)id);

				bn->trace[bn->n_trace - 1].n_args =
					p > 0 ? (int)btf_vlen(btf__type_by_id(btf, p)) - 1 : -1;
			}
		} else if (btf_is_func(t) && strncmp(name, "__probestub_", 12) == 0) {
			r = names_push(&bn->stub, &bn->n_stub, name + 12, (int32_t)id, m);
		}
		if (r < 0)
			return r;
	}
	/* Kernels before 6.4 have __traceiter_ only. */
	if (bn->n_stub == n_stub)
		for (unsigned int id = first; id < n; id++) {
			const struct btf_type *t = btf__type_by_id(btf, id);
			const char *name;

			if (!btf_is_func(t))
				continue;
			name = btf__name_by_offset(btf, t->name_off);
			if (name && strncmp(name, "__traceiter_", 12) == 0 &&
			    names_push(&bn->stub, &bn->n_stub, name + 12, (int32_t)id, m) < 0)
				return -ENOMEM;
		}
	return 0;
}

static struct name_id *names_find(struct name_id *v, size_t n, const char *name)
{
	struct name_id key = { .name = name };

	return n ? bsearch(&key, v, n, sizeof(*v), name_id_cmp) : NULL;
}

/* The FUNC_PROTO of a btf_trace_ typedef found by the scan. */
static int32_t entry_proto(const struct name_id *t)
{
	struct btf *btf = t->m ? t->m->btf : NULL;

	return btf ? raw_proto(btf, t->id) : 0;
}

static int add_event(struct feat_catalog *cat, struct btf_names *bn, struct btf_names *mn,
		     bool have_btf, const char *system, const char *name)
{
	struct name_id *t = names_find(bn->trace, bn->n_trace, name);
	struct name_id *s = names_find(bn->stub, bn->n_stub, name);
	struct feat_raw_ids ids = { .typedef_id = -ENOENT };
	struct entry_src e = { .system = system, .name = name, .has_format = true };

	/* syscalls:* and ftrace:* never have a raw form, whatever BTF holds. */
	if (strcmp(system, "syscalls") == 0 || strcmp(system, "ftrace") == 0) {
		t = NULL;
	} else if (!t && !s) {
		/* Not vmlinux's: a loaded module's, the one named as the
		 * system first (several modules may define one name). */
		struct name_id *mt = names_find(mn->trace, mn->n_trace, name);

		while (mt && mt > mn->trace && strcmp(mt[-1].name, name) == 0)
			mt--;
		for (struct name_id *x = mt; x && x < mn->trace + mn->n_trace &&
					     strcmp(x->name, name) == 0; x++)
			if (strcmp(x->m->name, system) == 0)
				mt = x;
		if (mt) {
			t = mt;
			s = NULL;
			e.m = mt->m;
			ids.proto_id = entry_proto(mt);
		}
	}
	if (t) {
		t->used = true;
		ids.typedef_id = t->id;
	}
	if (s) {
		s->used = true;
		ids.has_probestub = true;
	}
	e.ids = have_btf ? &ids : NULL;
	e.n_args = t ? t->n_args : -1;
	return catalog_add(cat, &e);
}

static int scan_tracefs(struct feat_catalog *cat, int tfd, struct btf_names *bn,
			struct btf_names *mn, bool have_btf)
{
	struct dirent *sys;
	DIR *events;
	int fd, r = 0;

	fd = openat(tfd, "events", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	events = fdopendir(fd);
	if (!events) {
		close(fd);
		return -errno;
	}
	while (r == 0 && (sys = readdir(events))) {
		struct dirent *ev;
		DIR *d;
		int sfd;

		if (sys->d_name[0] == '.' || sys->d_type != DT_DIR)
			continue;
		sfd = openat(dirfd(events), sys->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (sfd < 0)
			continue;
		d = fdopendir(sfd);
		if (!d) {
			close(sfd);
			continue;
		}
		while (r == 0 && (ev = readdir(d))) {
			if (ev->d_name[0] == '.' || ev->d_type != DT_DIR)
				continue;
			r = add_event(cat, bn, mn, have_btf, sys->d_name, ev->d_name);
		}
		closedir(d);
	}
	closedir(events);
	return r;
}

static int tp_cmp(const void *a, const void *b)
{
	const struct feat_tracepoint *x = a, *y = b;
	int c;

	if (!x->system != !y->system)
		return x->system ? -1 : 1;
	if (x->system && (c = strcmp(x->system, y->system)) != 0)
		return c;
	/* Without a system: vmlinux's first, then by module. */
	if (!x->system && !x->module != !y->module)
		return x->module ? 1 : -1;
	if (!x->system && x->module && (c = strcmp(x->module, y->module)) != 0)
		return c;
	return strcmp(x->name, y->name);
}

/* Remember a module whose BTF could not be read, for the raw_missing
 * reasons. */
static void note_unread(struct feat_catalog *cat, const char *name)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s%s%s", cat->modules_unread ? cat->modules_unread : "",
		 cat->modules_unread ? ", " : "", name);
	cat->modules_unread = catalog_keep(cat, buf);
}

/* The btf_trace_ typedefs of every loaded module's BTF. */
static int scan_loaded_modules(struct feat_catalog *cat, struct btf_names *mn)
{
	struct feat_ctx *ctx = cat->ctx;
	char *const *names;
	size_t n;
	int r;

	r = feat_modules_loaded(ctx, &names, &n);
	for (size_t i = 0; r == 0 && i < n; i++) {
		struct feat_module_btf *m;

		r = feat_module_btf_loaded(ctx, names[i], &m);
		if (r < 0) {
			if (r == -ENOMEM)
				break;
			if (r != -ENOMSG) /* -ENOMSG: no tracepoint in it */
				note_unread(cat, names[i]);
			r = 0;
			continue;
		}
		r = btf_names_scan(m->btf, btf__type_cnt(btf__base_btf(m->btf)), m, mn);
	}
	return r;
}

/* The btf_trace_ typedefs of the modules that are not loaded (their files). */
static int scan_module_files(struct feat_catalog *cat, struct btf_names *mn)
{
	const struct feat_module_file *files;
	struct feat_ctx *ctx = cat->ctx;
	size_t n, unread = 0;
	int r;

	r = feat_modules_files(ctx, &files, &n);
	if (r < 0)
		return r == -ENOMEM ? r : 0; /* logged: the catalog goes on without them */
	for (size_t i = 0; r == 0 && i < n; i++) {
		struct feat_module_btf *m;

		if (feat_module_is_loaded(ctx, files[i].name))
			continue;
		r = feat_module_btf_from_path(ctx, &files[i], &m);
		if (r == -ENOMEM)
			break;
		if (r == -ENOMSG) {
			r = 0; /* no tracepoint in it */
			continue;
		}
		if (r < 0) {
			unread++;
			r = 0;
			continue;
		}
		r = btf_names_scan(m->btf, btf__type_cnt(btf__base_btf(m->btf)), m, mn);
	}
	if (unread)
		info(ctx, "module files: %zu of %zu could not be read (said above)\n", unread, n);
	return r;
}

int feat_catalog_build(struct feat_ctx *ctx, unsigned int flags, struct feat_catalog **catp)
{
	struct btf_names bn = { 0 }, mn = { 0 };
	struct feat_catalog *cat;
	struct btf *btf;
	int tfd, r = 0, e;

	cat = calloc(1, sizeof(*cat));
	if (!cat)
		return -ENOMEM;
	cat->ctx = feat_ref(ctx);
	btf = feat_btf_get(ctx, &e);
	if (btf) {
		r = btf_names_scan(btf, 1, NULL, &bn);
		btf_names_sort(&bn);
		if (r == 0 && !(cat->index = feat_btf_index_new(btf)))
			r = -ENOMEM;
		if (r == 0 && !(cat->namer = feat_namer_new(btf)))
			r = -ENOMEM;
		if (r == 0)
			r = scan_loaded_modules(cat, &mn);
		if (r == 0 && (flags & FEAT_CATALOG_MODULE_FILES))
			r = scan_module_files(cat, &mn);
		btf_names_sort(&mn);
	}
	tfd = feat_layout_tracefs_open(ctx);
	if (r == 0 && tfd >= 0)
		r = scan_tracefs(cat, tfd, &bn, &mn, btf != NULL);
	if (tfd >= 0)
		close(tfd);
	/* Raw-only tracepoints: a typedef, or a probe stub, without an event. */
	for (size_t i = 0; r == 0 && i < bn.n_trace; i++) {
		struct feat_raw_ids ids = { .typedef_id = bn.trace[i].id };
		struct entry_src es = { .name = bn.trace[i].name, .tracefs_err = tfd < 0 ? -tfd : 0,
					.ids = &ids, .n_args = bn.trace[i].n_args };

		if (bn.trace[i].used)
			continue;
		r = catalog_add(cat, &es);
		if (names_find(bn.stub, bn.n_stub, bn.trace[i].name))
			names_find(bn.stub, bn.n_stub, bn.trace[i].name)->used = true;
	}
	for (size_t i = 0; r == 0 && i < bn.n_stub; i++) {
		struct feat_raw_ids ids = { .typedef_id = -ENOENT, .has_probestub = true };
		struct entry_src es = { .name = bn.stub[i].name, .tracefs_err = tfd < 0 ? -tfd : 0,
					.ids = &ids };

		if (!bn.stub[i].used && !names_find(bn.trace, bn.n_trace, bn.stub[i].name))
			r = catalog_add(cat, &es);
	}
	/* A module's typedefs without an event: MODULE/NAME. */
	for (size_t i = 0; r == 0 && i < mn.n_trace; i++) {
		struct name_id *t = &mn.trace[i];
		struct feat_raw_ids ids = { .typedef_id = t->id, .proto_id = entry_proto(t) };
		struct entry_src es = { .name = t->name, .tracefs_err = tfd < 0 ? -tfd : 0,
					.ids = &ids, .n_args = t->n_args, .m = t->m };

		if (!t->used)
			r = catalog_add(cat, &es);
	}
	free(bn.trace);
	free(bn.stub);
	free(mn.trace);
	free(mn.stub);
	if (r == 0 && cat->n == 0 && tfd < 0 && !btf) {
		err(ctx, "tracepoint catalog: neither tracefs (%s) nor BTF (%s) could be read\n",
		    strerror(-tfd), strerror(e));
		r = -ENODATA;
	}
	if (r < 0) {
		feat_catalog_free(cat);
		return r;
	}
	/* Sort entries and their full names together. */
	for (size_t i = 0; i < cat->n; i++)
		free(cat->full[i]);
	if (cat->n)
		qsort(cat->tp, cat->n, sizeof(*cat->tp), tp_cmp);
	for (size_t i = 0; i < cat->n; i++) {
		char full[512];

		full_name(&cat->tp[i], full, sizeof(full));
		cat->full[i] = strdup(full);
		if (!cat->full[i]) {
			cat->n = i;
			feat_catalog_free(cat);
			return -ENOMEM;
		}
	}
	*catp = cat;
	return 0;
}

/* --- public --- */

const struct feat_btf_index *feat_catalog_index(const struct feat_catalog *cat)
{
	return cat->index;
}

FEAT_API int feat_catalog_layout(const struct feat_catalog *cat, size_t i,
				 unsigned int flags, struct feat_layout **layout)
{
	char full[600];

	if (!cat || i >= cat->n || !layout)
		return -EINVAL;
	snprintf(full, sizeof(full), "%s", cat->full[i]);
	/* The index and namer are vmlinux's: a module's layout uses its own. */
	if (cat->tp[i].module)
		return feat_layout_resolve_index(cat->ctx, full, flags, NULL, NULL, layout);
	return feat_layout_resolve_index(cat->ctx, full, flags, cat->index, cat->namer, layout);
}

FEAT_API int feat_catalog_new(struct feat_ctx *ctx, struct feat_catalog **catalog)
{
	if (!ctx || !catalog)
		return -EINVAL;
	return feat_catalog_build(ctx, 0, catalog);
}

FEAT_API int feat_catalog_new_flags(struct feat_ctx *ctx, unsigned int flags,
				    struct feat_catalog **catalog)
{
	if (!ctx || !catalog || (flags & ~(unsigned int)FEAT_CATALOG_MODULE_FILES))
		return -EINVAL;
	return feat_catalog_build(ctx, flags, catalog);
}

FEAT_API size_t feat_catalog_count(const struct feat_catalog *cat)
{
	return cat ? cat->n : 0;
}

FEAT_API const struct feat_tracepoint *feat_catalog_get(const struct feat_catalog *cat,
							size_t i)
{
	return cat && i < cat->n ? &cat->tp[i] : NULL;
}

FEAT_API int feat_catalog_find(const struct feat_catalog *cat, const char *name,
			       const struct feat_tracepoint **tp)
{
	const struct feat_tracepoint *found = NULL;
	const char *colon, *slash;

	if (!cat || !name || !*name || !tp)
		return -EINVAL;
	colon = strchr(name, ':');
	slash = colon ? NULL : strchr(name, '/');
	for (size_t i = 0; i < cat->n; i++) {
		const struct feat_tracepoint *t = &cat->tp[i];

		/* "SYS:NAME" is a full name; "MODULE/NAME" is one for a module's
		 * tracepoint without a tracefs event, and finds the module's
		 * events by their module too. */
		if (slash ? strcmp(cat->full[i], name) != 0 &&
				    !(t->module && strlen(t->module) == (size_t)(slash - name) &&
				      strncmp(t->module, name, (size_t)(slash - name)) == 0 &&
				      strcmp(t->name, slash + 1) == 0)
			  : colon ? strcmp(cat->full[i], name) != 0 : strcmp(t->name, name) != 0)
			continue;
		if (found)
			return -ENOTUNIQ;
		found = &cat->tp[i];
	}
	/* Built from BTF alone (offline, no saved format files), no entry
	 * has a system (entries without one sort last): SYS:NAME is NAME,
	 * as feat_layout_resolve() takes it. */
	if (!found && colon && cat->n && !cat->tp[0].system)
		return feat_catalog_find(cat, colon + 1, tp);
	if (!found)
		return -ENOENT;
	*tp = found;
	return 0;
}

/* Levenshtein distance, capped rows: names are short (< 64 chars). */
unsigned int feat_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned int row[128], prev, tmp;

	if (la > 120 || lb > 120)
		return 1000;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned int)j;
	for (size_t i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = (unsigned int)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned int best = prev + (a[i - 1] != b[j - 1]);

			tmp = row[j];
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

FEAT_API size_t feat_catalog_suggest(struct feat_catalog *cat, const char *name,
				     const char **out, size_t n)
{
	unsigned int dist[16];
	size_t k = 0, limit;
	bool colon;

	if (!cat || !name || !out || n == 0)
		return 0;
	if (n > ARRAY_SIZE(dist))
		n = ARRAY_SIZE(dist);
	colon = strchr(name, ':') || strchr(name, '/');
	limit = strlen(name) / 3 + 2;
	for (size_t i = 0; i < cat->n; i++) {
		unsigned int d = feat_edit_distance(name, colon ? cat->full[i] : cat->tp[i].name);
		size_t pos;

		/* A name that contains the query is close too. */
		if (d > limit && !strstr(colon ? cat->full[i] : cat->tp[i].name, name))
			continue;
		if (d > limit)
			d = (unsigned int)limit;
		for (pos = k; pos > 0 && dist[pos - 1] > d; pos--)
			;
		if (pos >= n)
			continue;
		if (k < n)
			k++;
		memmove(&dist[pos + 1], &dist[pos], (k - 1 - pos) * sizeof(*dist));
		memmove(&out[pos + 1], &out[pos], (k - 1 - pos) * sizeof(*out));
		dist[pos] = d;
		out[pos] = cat->full[i];
	}
	return k;
}

FEAT_API void feat_catalog_free(struct feat_catalog *cat)
{
	if (!cat)
		return;
	for (size_t i = 0; i < cat->n; i++)
		free(cat->full[i]);
	for (size_t i = 0; i < cat->n_owned; i++)
		free(cat->owned[i]);
	free(cat->owned);
	free(cat->full);
	free(cat->tp);
	feat_btf_index_free(cat->index);
	feat_namer_free(cat->namer);
	feat_unref(cat->ctx);
	free(cat);
}
