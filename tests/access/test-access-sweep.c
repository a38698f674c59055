// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Verifier sweep: the access code of every tracepoint of the running
 * kernel, on every backend that has its form, compiled, loaded and
 * attached.
 *  - classic (BPF_PROG_TYPE_TRACEPOINT): one program per event reading ALL
 *    its fields ("$f"; "$f[0]" and "$f[N-1]" for arrays that are not
 *    strings, "$f[0]" for dynamic arrays that are not strings), and behind
 *    each pointer to a struct or union its first scalar member ("$f->m");
 *  - raw_tp and tp_btf: one program per tracepoint reading every argument
 *    ("$a"; "$a.m" for a struct or union passed by value) and, behind each
 *    pointer to a struct or union, its first scalar member ("$a->m").
 * The member names come from libbpf's own reading of vmlinux BTF, not
 * from the library under test.
 *
 * A program is accepted when every expression compiled and the kernel
 * loaded and attached it. Every rejection is listed with its stage and
 * the verifier's last log line; the test fails when one is not on the
 * explained list below. Classic perf events take about 75 ms each to
 * close (the tracepoint's unregistration waits for RCU): trace-prog closes
 * them on background threads.
 *
 * Needs root and BPF: exits 77 with a reason otherwise.
 */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "feat.h"
#include "trace-prog.h"
#include "testutil.h"

#define N_BACKENDS 3
static const enum feat_backend backends[N_BACKENDS] = {
	FEAT_BACKEND_TP_BTF, FEAT_BACKEND_RAW_TP, FEAT_BACKEND_TRACEPOINT
};

/*
 * Rejections with a known cause that is not the access code's: tracepoint
 * glob ("SYS:NAME", fnmatch), backend (NONE: any), stage ("compile",
 * "load", "attach"; NULL: any), and why.
 */
struct explained {
	const char *glob;
	enum feat_backend backend;
	const char *stage;
	const char *why;
};

static const struct explained explained[] = {
	{ "ipi:ipi_send_cpumask", FEAT_BACKEND_TRACEPOINT, "compile",
	  "__data_loc cpumask_t[] cpumask: each element is a 32-byte struct cpumask, and the "
	  "access code takes nothing but [N] after a dynamic array, so no scalar in it can be named" },
	{ NULL, 0, NULL, NULL },
};

struct stats {
	unsigned int total, accepted, exprs, explained;
	double seconds; /* compile, load, attach and free, this thread */
};

static struct feat_ctx *ctx;
static struct trace_env *env;
static struct btf *vmlinux;
static struct stats stats[N_BACKENDS];
static unsigned int unexplained;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* How many rejections each explained entry matched. */
static unsigned int explained_hits[sizeof(explained) / sizeof(explained[0])];

static const struct explained *find_explained(const char *tp, int b, const char *stage)
{
	for (const struct explained *e = explained; e->glob; e++) {
		if (fnmatch(e->glob, tp, 0) != 0)
			continue;
		if (e->backend != FEAT_BACKEND_NONE && e->backend != backends[b])
			continue;
		if (e->stage && strcmp(e->stage, stage) != 0)
			continue;
		explained_hits[e - explained]++;
		return e;
	}
	return NULL;
}

static void reject(const char *tp, int b, const char *stage, const char *what)
{
	const struct explained *e = find_explained(tp, b, stage);

	if (e) {
		stats[b].explained++;
		printf("explained %-8s %s: %s: %s (%s)\n", feat_backend_name(backends[b]), tp, stage,
		       what, e->why);
		return;
	}
	unexplained++;
	printf("REJECTED  %-8s %s: %s: %s\n", feat_backend_name(backends[b]), tp, stage, what);
}

/* A type with its typedefs and qualifiers stripped. */
static const struct btf_type *resolve(uint32_t id, uint32_t *out)
{
	const struct btf_type *t = btf__type_by_id(vmlinux, id);

	while (t && (btf_is_typedef(t) || btf_is_mod(t))) {
		id = t->type;
		t = btf__type_by_id(vmlinux, id);
	}
	if (out)
		*out = id;
	return t;
}

/* The first named, non-bitfield integer, enum or pointer member of a
 * struct or union, looking into anonymous struct and union members (they
 * are named through, as in C): what the sweep reads behind a pointer. */
static const char *first_scalar_member(const struct btf_type *t)
{
	const struct btf_member *m = btf_members(t);

	for (unsigned int i = 0; i < btf_vlen(t); i++, m++) {
		const struct btf_type *mt = resolve(m->type, NULL);
		const char *name = btf__name_by_offset(vmlinux, m->name_off);

		if (!mt || btf_member_bitfield_size(t, i))
			continue;
		if ((!name || !*name) && (btf_is_struct(mt) || btf_is_union(mt))) {
			const char *inner = first_scalar_member(mt);

			if (inner)
				return inner;
			continue;
		}
		if (!name || !*name)
			continue;
		if (btf_is_int(mt) || btf_is_any_enum(mt) || btf_is_ptr(mt))
			return name;
	}
	return NULL;
}

struct sweep_prog {
	struct trace_prog *prog;
	const char *tp;
	int b;
	bool failed;
};

static void add(struct sweep_prog *sp, const char *expr)
{
	int r = trace_prog_add(sp->prog, expr);
	char what[512];

	if (r >= 0) {
		stats[sp->b].exprs++;
		return;
	}
	snprintf(what, sizeof(what), "%s: %s (%s)", expr, strerror(-r), trace_prog_error(sp->prog));
	reject(sp->tp, sp->b, "compile", what);
	sp->failed = true;
}

/* For a classic field of type "struct NAME *" (or union, const or not):
 * the first scalar member of that struct in vmlinux BTF, else NULL. */
static const char *classic_pointee_member(const char *type)
{
	char tag[128];
	const char *p = type;
	bool is_union;
	int id;

	if (!strncmp(p, "const ", 6))
		p += 6;
	is_union = !strncmp(p, "union ", 6);
	if (!is_union && strncmp(p, "struct ", 7))
		return NULL;
	p += is_union ? 6 : 7;
	if (sscanf(p, "%127[A-Za-z0-9_] *", tag) != 1 || strcmp(p + strlen(tag), " *") != 0)
		return NULL;
	id = btf__find_by_name_kind(vmlinux, tag, is_union ? BTF_KIND_UNION : BTF_KIND_STRUCT);
	return id > 0 ? first_scalar_member(btf__type_by_id(vmlinux, (uint32_t)id)) : NULL;
}

/* Every non-common field of the classic record, and the first scalar
 * behind each pointer to a struct or union (a syscall's: user memory). */
static void add_classic(struct sweep_prog *sp, const struct feat_layout *l)
{
	char expr[256];
	const char *m;

	for (size_t j = 0; j < feat_layout_field_count(l); j++) {
		const struct feat_layout_field *f = feat_layout_field(l, j);
		bool chars = f->type && strstr(f->type, "char") && !strchr(f->type, '*');

		if (f->common)
			continue;
		if (f->dynamic != FEAT_DYNAMIC_NONE && !chars && f->type && *f->type) {
			snprintf(expr, sizeof(expr), "$%s[0]", f->name);
			add(sp, expr);
		} else if (f->array > 0 && !chars) {
			snprintf(expr, sizeof(expr), "$%s[0]", f->name);
			add(sp, expr);
			if (f->array > 1) {
				snprintf(expr, sizeof(expr), "$%s[%ld]", f->name, f->array - 1);
				add(sp, expr);
			}
		} else {
			snprintf(expr, sizeof(expr), "$%s", f->name);
			add(sp, expr);
		}
		if (f->type && f->array < 0 && (m = classic_pointee_member(f->type))) {
			snprintf(expr, sizeof(expr), "$%s->%s", f->name, m);
			add(sp, expr);
		}
	}
}

/* Every raw argument, and the first scalar member behind each pointer to a
 * struct or union. */
static void add_raw(struct sweep_prog *sp, const struct feat_layout *l)
{
	char expr[256];

	for (size_t j = 0; j < feat_layout_arg_count(l); j++) {
		const struct feat_layout_arg *a = feat_layout_arg(l, j);
		const struct btf_type *t = resolve(a->btf_id, NULL), *pt;
		const char *m;

		if (t && (btf_is_struct(t) || btf_is_union(t))) {
			m = first_scalar_member(t);
			if (m) {
				snprintf(expr, sizeof(expr), "$%s.%s", a->name, m);
				add(sp, expr);
			}
			continue;
		}
		snprintf(expr, sizeof(expr), "$%s", a->name);
		add(sp, expr);
		if (!t || !btf_is_ptr(t))
			continue;
		pt = resolve(t->type, NULL);
		if (!pt || !(btf_is_struct(pt) || btf_is_union(pt)))
			continue;
		m = first_scalar_member(pt);
		if (m) {
			snprintf(expr, sizeof(expr), "$%s->%s", a->name, m);
			add(sp, expr);
		}
	}
}

static void sweep_one(const char *tp, const struct feat_layout *l, int b)
{
	/* No process has this tgid (above PID_MAX_LIMIT): nothing is
	 * recorded, while the verifier still walks every path. */
	struct trace_prog_opts o = { .sz = sizeof(o), .buffer_size = 4096, .tgid = 0x7fffffff };
	struct sweep_prog sp = { .tp = tp, .b = b };
	char what[600], reason[400];
	int r;

	stats[b].total++;
	r = trace_prog_new(env, l, backends[b], &o, &sp.prog);
	if (r < 0) {
		snprintf(what, sizeof(what), "trace_prog_new: %s", strerror(-r));
		reject(tp, b, "compile", what);
		return;
	}
	if (backends[b] == FEAT_BACKEND_TRACEPOINT)
		add_classic(&sp, l);
	else
		add_raw(&sp, l);
	if (trace_prog_count(sp.prog) == 0) {
		/* a tracepoint without fields or arguments: nothing to read */
		if (!sp.failed) {
			stats[b].accepted++;
			printf("empty     %-8s %s: no fields or arguments\n", feat_backend_name(backends[b]), tp);
		}
		trace_prog_free(sp.prog);
		return;
	}
	r = trace_prog_load(sp.prog);
	if (r < 0) {
		snprintf(what, sizeof(what), "%s: %s", strerror(-r),
			 trace_prog_log_reason(sp.prog, reason, sizeof(reason)));
		reject(tp, b, "load", what);
		trace_prog_free(sp.prog);
		return;
	}
	r = trace_prog_attach(sp.prog);
	if (r < 0) {
		snprintf(what, sizeof(what), "%s (%s)", strerror(-r), trace_prog_error(sp.prog));
		reject(tp, b, "attach", what);
		trace_prog_free(sp.prog);
		return;
	}
	if (!sp.failed)
		stats[b].accepted++;
	trace_prog_free(sp.prog);
}

static int fds_at_start, fds_at_end;

/* Open fds of this process: the same at the end as at the start, or
 * something (a perf event, a program, a map, a link) leaked. */
static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n - 1; /* the DIR's own */
}

int main(void)
{
	static const enum feat_id probe_of[N_BACKENDS] = { FEAT_TP_BTF, FEAT_RAW_TP, FEAT_TRACEPOINT };
	/* The closes serialise on event_mutex in the kernel: a few threads
	 * keep the queue moving, more only contend. */
	struct trace_env_opts eo = { .sz = sizeof(eo), .close_threads = 4 };
	struct feat_catalog *cat;
	bool usable[N_BACKENDS];
	const struct feat_result *res;
	double t0 = now(), t_cat, t_wait, t_layout;
	struct feat_layout **layouts;
	char **names;
	size_t n;
	int r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	fds_at_start = count_fds();
	if (geteuid() != 0)
		test_skip("not root: loading and attaching tracing programs needs CAP_BPF and CAP_PERFMON");
	ctx = feat_new(NULL);
	if (!ctx)
		test_skip("feat_new: %s", strerror(errno));
	res = feat_probe(ctx, FEAT_BPF);
	if (res->state != FEAT_YES)
		test_skip("BPF not usable: %s", res->detail);
	for (int b = 0; b < N_BACKENDS; b++) {
		res = feat_probe(ctx, probe_of[b]);
		usable[b] = res->state == FEAT_YES;
		printf("backend %s %s: %s\n", feat_backend_name(backends[b]),
		       feat_state_name(res->state), res->detail);
	}
	vmlinux = btf__load_vmlinux_btf();
	if (!vmlinux)
		test_skip("no vmlinux BTF: %s", strerror(errno));
	r = feat_catalog_new(ctx, &cat);
	if (r < 0)
		test_skip("no catalog: %s", strerror(-r));
	r = trace_env_new(ctx, &eo, &env);
	if (r < 0)
		test_skip("trace_env_new: %s", strerror(-r));
	t_cat = now();

	/* Every layout first: reading format files takes the kernel's
	 * event_mutex, which the background closes hold while they wait for
	 * the tracepoint's unregistration (perf_trace_event_unreg()). */
	n = feat_catalog_count(cat);
	layouts = calloc(n, sizeof(*layouts));
	names = calloc(n, sizeof(*names));
	if (!layouts || !names)
		test_skip("out of memory");
	for (size_t i = 0; i < n; i++) {
		const struct feat_tracepoint *tp = feat_catalog_get(cat, i);

		if (asprintf(&names[i], "%s%s%s", tp->system ? tp->system : "",
			     tp->system ? ":" : "", tp->name) < 0)
			test_skip("out of memory");
		r = feat_catalog_layout(cat, i, FEAT_FORM_BOTH, &layouts[i]);
		if (r < 0) {
			printf("REJECTED  %s: layout: %s\n", names[i], strerror(-r));
			unexplained++;
			layouts[i] = NULL;
		}
	}
	t_layout = now() - t_cat;

	for (size_t i = 0; i < n; i++) {
		if (!layouts[i])
			continue;
		for (int b = 0; b < N_BACKENDS; b++) {
			enum feat_form form = backends[b] == FEAT_BACKEND_TRACEPOINT ? FEAT_FORM_CLASSIC
										     : FEAT_FORM_RAW;

			if (usable[b] && feat_layout_has(layouts[i], form)) {
				double t = now();

				sweep_one(names[i], layouts[i], b);
				stats[b].seconds += now() - t;
			}
		}
	}
	t_wait = now();
	trace_env_wait(env);
	printf("waited %.1f s for the background closes\n", now() - t_wait);

	printf("\nsweep of %zu tracepoints:\n", feat_catalog_count(cat));
	for (int b = 0; b < N_BACKENDS; b++) {
		if (!usable[b]) {
			printf("  %-10s not usable here: skipped\n", feat_backend_name(backends[b]));
			continue;
		}
		printf("  %-10s %u/%u programs accepted (%.1f%%), %u expressions compiled, "
		       "%u rejections explained, %.1f s\n",
		       feat_backend_name(backends[b]), stats[b].accepted, stats[b].total,
		       stats[b].total ? 100.0 * stats[b].accepted / stats[b].total : 0.0,
		       stats[b].exprs, stats[b].explained, stats[b].seconds);
	}
	printf("  unexplained rejections: %u\n", unexplained);
	/* an explanation nothing needs any more: the code got better */
	for (size_t k = 0; explained[k].glob; k++)
		if (!explained_hits[k])
			printf("  explained list: '%s' matched nothing: remove it\n", explained[k].glob);
	printf("  duration: %.1f s (catalog and setup %.1f s, layouts %.1f s)\n", now() - t0,
	       t_cat - t0, t_layout);
	trace_env_free(env);
	for (size_t i = 0; i < n; i++) {
		feat_layout_free(layouts[i]);
		free(names[i]);
	}
	free(layouts);
	free(names);
	feat_catalog_free(cat);
	btf__free(vmlinux);
	feat_unref(ctx);
	fds_at_end = count_fds();
	printf("fds: %d at the start, %d at the end\n", fds_at_start, fds_at_end);
	if (fds_at_end != fds_at_start)
		return EXIT_FAILURE;
	return unexplained ? EXIT_FAILURE : EXIT_SUCCESS;
}
