// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Live-kernel tests of the foundation probes.
 *
 * Every verdict of the library is compared with what this test observes on
 * its own, with its own syscalls, its own libbpf calls, its own mounts and
 * its own zlib: never with what the library printed. The observations are
 * made once, before the test cases fork, and printed, so that a log shows
 * both sides of every comparison.
 *
 * Needs root and a bpf() that loads programs: exits 77 with a reason
 * otherwise.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/perf_event.h>
#include <mntent.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "feat-internal.h"
#include "testutil.h"

#ifndef TRACEFS_MAGIC
#define TRACEFS_MAGIC 0x74726163
#endif

/* The unprivileged user of the privilege-drop cases. */
#define NOBODY 65534

/* r0 = 0; exit: the smallest program every type accepts. */
static const struct bpf_insn ret0[] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
	{ .code = BPF_JMP | BPF_EXIT },
};

/* What the test saw itself; errors are negative errnos, 0 is success. */
struct observed {
	int bpf_err;		/* SOCKET_FILTER load */
	int raw_tp_err;		/* RAW_TRACEPOINT load + attach to sched_switch */
	int tp_btf_id;		/* libbpf's id of btf_trace_sched_switch, or -errno */
	int tp_btf_err;		/* TRACING/BPF_TRACE_RAW_TP load + attach */
	int tracefs_err;	/* detached tracefs, events/ readable */
	long sched_switch_id;	/* tracefs events/sched/sched_switch/id */
	int tracepoint_err;	/* TRACEPOINT load + perf_event_open + SET_BPF */
	int lockdown_err;	/* securityfs lockdown file */
	char lockdown[32];	/* the bracketed level, "" when unknown */
	bool proc_modules;	/* /proc/modules exists */
	bool tracefs_mounted;	/* tracefs in /proc/self/mounts at start */
	struct utsname uts;
};

static struct observed obs;
/* A directory of the run's own (mount points, the per-boot cache), made by
 * main() and removed at the end. */
static char test_base[64];
static struct btf *vmlinux; /* libbpf's parse of vmlinux BTF */
static bool forking;

/* --- small helpers --- */

static const char *err_text(int err)
{
	return err ? strerror(-err) : "ok";
}

static char *read_text(const char *path)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || !buf) {
		if (fd >= 0)
			close(fd);
		free(buf);
		return NULL;
	}
	for (;;) {
		ssize_t n;

		if (len + 1 >= cap) {
			char *nbuf = realloc(buf, cap * 2);

			if (!nbuf)
				break;
			buf = nbuf;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

/* Read a small file relative to a directory fd; -errno on failure. */
static int read_at(int dfd, const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	fd = openat(dfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0) {
		int e = -errno;

		close(fd);
		return e;
	}
	close(fd);
	buf[n] = '\0';
	return 0;
}

/* A pseudo filesystem through the new mount API, attached nowhere. */
static int own_detached_mount(const char *fstype)
{
	int fsfd, mfd, e;

	fsfd = fsopen(fstype, FSOPEN_CLOEXEC);
	if (fsfd < 0)
		return -errno;
	if (fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
		e = -errno;
		close(fsfd);
		return e;
	}
	mfd = fsmount(fsfd, FSMOUNT_CLOEXEC, 0);
	e = mfd < 0 ? -errno : mfd;
	close(fsfd);
	return e;
}

/* The first mount point of @type in /proc/self/mounts (unescaped), or "". */
static void first_mount_of(const char *type, char *dir, size_t size)
{
	FILE *f = setmntent("/proc/self/mounts", "re");
	struct mntent *m;

	dir[0] = '\0';
	if (!f)
		return;
	while ((m = getmntent(f)))
		if (strcmp(m->mnt_type, type) == 0) {
			snprintf(dir, size, "%s", m->mnt_dir);
			break;
		}
	endmntent(f);
}

/* The level in brackets of "none [integrity] confidentiality". */
static void bracketed(const char *text, char *out, size_t size)
{
	const char *open = strchr(text, '['), *close;

	out[0] = '\0';
	if (open && (close = strchr(open, ']')))
		snprintf(out, size, "%.*s", (int)(close - open - 1), open + 1);
}

static enum feat_lockdown lockdown_of(const char *name)
{
	if (strcmp(name, "none") == 0)
		return FEAT_LOCKDOWN_NONE;
	if (strcmp(name, "integrity") == 0)
		return FEAT_LOCKDOWN_INTEGRITY;
	if (strcmp(name, "confidentiality") == 0)
		return FEAT_LOCKDOWN_CONFIDENTIALITY;
	return FEAT_LOCKDOWN_UNKNOWN;
}

static int load(enum bpf_prog_type type, enum bpf_attach_type attach,
		uint32_t btf_id)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = attach,
		    .attach_btf_id = btf_id);

	return bpf_prog_load(type, NULL, "GPL", ret0, ARRAY_SIZE(ret0), &opts);
}

static struct feat_ctx *new_ctx(unsigned int flags)
{
	struct feat_opts o = { .sz = sizeof(o), .flags = flags };
	struct feat_ctx *ctx = feat_new(&o);

	ck_assert_msg(ctx, "feat_new: %s", strerror(errno));
	return ctx;
}

static const char *res_text(const struct feat_result *r)
{
	static char buf[FEAT_DETAIL_MAX + 128];

	snprintf(buf, sizeof(buf), "%s (kernel %s, err %d): %s",
		 feat_state_name(r->state), feat_state_name(r->kernel), r->err,
		 r->detail);
	return buf;
}

/*
 * The library's verdict against the test's own: when the test's load and
 * attach worked, the probe must say yes; when the kernel refused for
 * privilege, it must not say no.
 */
static void check_against(const char *what, const struct feat_result *r,
			  int observed)
{
	ck_assert_ptr_nonnull(r);
	printf("%s: observed %s; library says %s\n", what, err_text(observed),
	       res_text(r));
	if (observed == 0) {
		ck_assert_msg(r->state == FEAT_YES, "%s works here, the library says %s",
			      what, res_text(r));
		ck_assert_msg(r->kernel == FEAT_YES && !r->kernel_static,
			      "%s works here, the kernel field says %s%s", what,
			      feat_state_name(r->kernel),
			      r->kernel_static ? " (static)" : "");
		ck_assert_int_eq(r->err, 0);
	} else if (observed == -EPERM || observed == -EACCES) {
		ck_assert_msg(r->state == FEAT_UNKNOWN,
			      "%s refused for privilege (%s), the library says %s",
			      what, strerror(-observed), res_text(r));
	} else {
		ck_assert_msg(r->state != FEAT_YES,
			      "%s fails here (%s), the library says %s", what,
			      strerror(-observed), res_text(r));
	}
}

/* --- the test's own observations --- */

static int observe_raw_tp(void)
{
	int fd, lfd, e = 0;

	fd = load(BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 0);
	if (fd < 0)
		return fd;
	lfd = bpf_raw_tracepoint_open("sched_switch", fd);
	if (lfd < 0)
		e = -errno;
	else
		close(lfd);
	close(fd);
	return e;
}

static int observe_tp_btf(void)
{
	int fd, lfd, e = 0;

	obs.tp_btf_id = btf__find_by_name_kind(vmlinux, "btf_trace_sched_switch",
					       BTF_KIND_TYPEDEF);
	if (obs.tp_btf_id < 0)
		return obs.tp_btf_id;
	fd = load(BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP, (uint32_t)obs.tp_btf_id);
	if (fd < 0)
		return fd;
	/* The target comes with the load: no name. */
	lfd = bpf_raw_tracepoint_open(NULL, fd);
	if (lfd < 0)
		e = -errno;
	else
		close(lfd);
	close(fd);
	return e;
}

static int observe_tracepoint(void)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_TRACEPOINT,
		.size = sizeof(attr),
		.sample_period = 1,
		.wakeup_events = 1,
	};
	int fd, pfd, e = 0;

	if (obs.sched_switch_id <= 0)
		return obs.tracefs_err ? obs.tracefs_err : -ENOENT;
	attr.config = (uint64_t)obs.sched_switch_id;
	fd = load(BPF_PROG_TYPE_TRACEPOINT, 0, 0);
	if (fd < 0)
		return fd;
	pfd = (int)syscall(__NR_perf_event_open, &attr, -1, 0, -1,
			   PERF_FLAG_FD_CLOEXEC);
	if (pfd < 0) {
		e = -errno;
	} else {
		if (ioctl(pfd, PERF_EVENT_IOC_SET_BPF, fd) < 0)
			e = -errno;
		close(pfd);
	}
	close(fd);
	return e;
}

static void observe_tracefs(void)
{
	char buf[64], *end;
	int dfd, e;

	obs.sched_switch_id = 0;
	dfd = own_detached_mount("tracefs");
	if (dfd < 0) {
		obs.tracefs_err = dfd;
		return;
	}
	obs.tracefs_err = faccessat(dfd, "events", R_OK | X_OK, 0) < 0 ? -errno : 0;
	e = read_at(dfd, "events/sched/sched_switch/id", buf, sizeof(buf));
	close(dfd);
	if (e == 0) {
		obs.sched_switch_id = strtol(buf, &end, 10);
		if (end == buf)
			obs.sched_switch_id = 0;
	}
}

static void observe_lockdown(void)
{
	char buf[256];
	int dfd;

	dfd = own_detached_mount("securityfs");
	if (dfd < 0) {
		obs.lockdown_err = dfd;
		return;
	}
	obs.lockdown_err = read_at(dfd, "lockdown", buf, sizeof(buf));
	close(dfd);
	if (obs.lockdown_err == 0)
		bracketed(buf, obs.lockdown, sizeof(obs.lockdown));
	else if (obs.lockdown_err == -ENOENT)
		/* securityfs without the file: the lockdown LSM is off. */
		snprintf(obs.lockdown, sizeof(obs.lockdown), "none");
}

static void observe(void)
{
	struct timespec t0, t1;
	char dir[PATH_MAX];

	clock_gettime(CLOCK_MONOTONIC, &t0);
	uname(&obs.uts);
	obs.raw_tp_err = observe_raw_tp();
	obs.tp_btf_err = observe_tp_btf();
	observe_tracefs();
	obs.tracepoint_err = observe_tracepoint();
	observe_lockdown();
	obs.proc_modules = access("/proc/modules", F_OK) == 0;
	first_mount_of("tracefs", dir, sizeof(dir));
	obs.tracefs_mounted = dir[0] != '\0';
	clock_gettime(CLOCK_MONOTONIC, &t1);

	printf("observed on %s %s (%.1f ms):\n", obs.uts.sysname, obs.uts.release,
	       (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	printf("  bpf() SOCKET_FILTER load: %s\n", err_text(obs.bpf_err));
	printf("  raw_tp load + attach sched_switch: %s\n", err_text(obs.raw_tp_err));
	printf("  btf_trace_sched_switch: id %d (libbpf)\n", obs.tp_btf_id);
	printf("  tp_btf load + attach: %s\n", err_text(obs.tp_btf_err));
	printf("  tracefs (detached, own fsopen): %s; sched_switch id %ld; mounted: %s\n",
	       err_text(obs.tracefs_err), obs.sched_switch_id,
	       obs.tracefs_mounted ? dir : "no");
	printf("  tracepoint load + perf_event_open + SET_BPF: %s\n",
	       err_text(obs.tracepoint_err));
	printf("  lockdown (own securityfs): %s, level '%s'\n",
	       err_text(obs.lockdown_err), obs.lockdown);
	printf("  /proc/modules: %s\n", obs.proc_modules ? "present" : "absent");
}

/* --- the probes against the observations --- */

START_TEST(test_bpf)
{
	struct feat_ctx *ctx = new_ctx(0);

	check_against("bpf", feat_probe(ctx, FEAT_BPF), obs.bpf_err);
	feat_unref(ctx);
}
END_TEST

START_TEST(test_raw_tp)
{
	struct feat_ctx *ctx = new_ctx(0);

	check_against("raw_tp", feat_probe(ctx, FEAT_RAW_TP), obs.raw_tp_err);
	ck_assert(!feat_is_offline(ctx));
	feat_unref(ctx);
}
END_TEST

START_TEST(test_tp_btf)
{
	struct feat_ctx *ctx = new_ctx(0);
	const struct feat_result *r = feat_probe(ctx, FEAT_TP_BTF);
	const char *p;
	uint32_t id = 0;
	int e;

	check_against("tp_btf", r, obs.tp_btf_err);
	ck_assert_msg(obs.tp_btf_id > 0, "libbpf finds no btf_trace_sched_switch: %d",
		      obs.tp_btf_id);
	/* The id the library attached to, when its detail names one. */
	p = strstr(r->detail, "BTF id ");
	if (p && strstr(r->detail, "sched_switch"))
		ck_assert_int_eq(strtol(p + 7, NULL, 10), obs.tp_btf_id);
	/* And the lookup itself (the scanner, or the per-boot cache the probe
	 * just filled), on a context that never parsed BTF. */
	feat_unref(ctx);
	ctx = new_ctx(0);
	e = feat_btf_find_id(ctx, "btf_trace_sched_switch", BTF_KIND_TYPEDEF, &id);
	ck_assert_msg(e == 0, "feat_btf_find_id: %s", strerror(-e));
	ck_assert_uint_eq(id, (uint32_t)obs.tp_btf_id);
	ck_assert_ptr_null(ctx->btf);
	feat_unref(ctx);
}
END_TEST

struct btf_name {
	const char *name;
	int kind;
	uint32_t id;
};

/* Point the per-boot cache at a directory of the run ("cache" is the
 * default of the run; cases that change it set it back). */
static void use_cache_dir(const char *sub, char *dir, size_t size)
{
	snprintf(dir, size, "%s/%s", test_base, sub);
	setenv("FEAT_CACHE_DIR", dir, 1);
}

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/*
 * The names to look up: every btf_trace_* typedef, every 16th
 * trace_event_raw_* struct and __probestub_* func (each lookup scans the
 * whole type section: all of them would take seconds), and the first and
 * last named type of every kind (a wrong record size for any kind shifts
 * every id after it). The expected
 * id is the first type of that name and kind, found by walking the types
 * with libbpf here.
 */
static size_t btf_names(struct btf_name **out, size_t counts[4])
{
	uint32_t n = btf__type_cnt(vmlinux);
	uint32_t first[NR_BTF_KINDS] = { 0 }, last[NR_BTF_KINDS] = { 0 };
	struct btf_name *v = calloc(n + 2 * NR_BTF_KINDS, sizeof(*v));
	size_t k = 0, seen[3] = { 0 };

	ck_assert_ptr_nonnull(v);
	for (uint32_t id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(vmlinux, id);
		const char *name = btf__name_by_offset(vmlinux, t->name_off);
		int kind = btf_kind(t);
		int group = -1, found;

		if (!name || !*name)
			continue;
		if (kind < NR_BTF_KINDS) {
			if (!first[kind])
				first[kind] = id;
			last[kind] = id;
		}
		if (kind == BTF_KIND_TYPEDEF && has_prefix(name, "btf_trace_"))
			group = 0;
		else if (kind == BTF_KIND_STRUCT && has_prefix(name, "trace_event_raw_"))
			group = 1;
		else if (kind == BTF_KIND_FUNC && has_prefix(name, "__probestub_"))
			group = 2;
		if (group < 0 || (group > 0 && seen[group]++ % 16))
			continue;
		found = btf__find_by_name_kind(vmlinux, name, kind);
		/* A later duplicate of a name: the first one is the answer. */
		if (found > 0 && (uint32_t)found < id)
			continue;
		ck_assert_msg(found == (int)id, "libbpf finds %s at %d, not %u", name,
			      found, id);
		v[k++] = (struct btf_name){ name, kind, id };
		counts[group]++;
	}
	for (int kind = 1; kind < NR_BTF_KINDS; kind++) {
		uint32_t ids[2] = { first[kind], last[kind] };

		for (int i = 0; i < 2; i++) {
			const struct btf_type *t;
			const char *name;
			int found;

			if (!ids[i] || (i == 1 && ids[1] == ids[0]))
				continue;
			t = btf__type_by_id(vmlinux, ids[i]);
			name = btf__name_by_offset(vmlinux, t->name_off);
			found = btf__find_by_name_kind(vmlinux, name, kind);
			ck_assert_int_gt(found, 0);
			v[k++] = (struct btf_name){ name, kind, (uint32_t)found };
			counts[3]++;
		}
	}
	*out = v;
	return k;
}

START_TEST(test_btf_scanner_agrees)
{
	struct feat_ctx *ctx;
	size_t counts[4] = { 0 }, n, mismatches = 0;
	struct btf_name *names;
	struct timespec t0, t1;
	char dir[PATH_MAX];

	/* The scanner itself: no per-boot cache, and none written. */
	use_cache_dir("cache-off", dir, sizeof(dir));
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	ctx = new_ctx(FEAT_F_NO_CACHE);
	n = btf_names(&names, counts);
	printf("btf scanner: %zu names: %zu btf_trace_* typedefs, %zu trace_event_raw_* structs, "
	       "%zu __probestub_* funcs, %zu first/last of a kind\n",
	       n, counts[0], counts[1], counts[2], counts[3]);
	ck_assert_msg(counts[0] > 0, "vmlinux BTF has no btf_trace_* typedefs");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (size_t i = 0; i < n; i++) {
		uint32_t id = 0;
		int e = feat_btf_find_id(ctx, names[i].name, names[i].kind, &id);

		if (e == 0 && id == names[i].id)
			continue;
		if (mismatches++ < 10)
			printf("  MISMATCH %s (kind %d): libbpf %u, library %u (%s)\n",
			       names[i].name, names[i].kind, names[i].id, id,
			       strerror(-e));
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("btf scanner: %zu lookups in %.0f ms, %zu mismatches\n", n,
	       (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6,
	       mismatches);
	/* The scanner must have answered alone, without a libbpf parse. */
	ck_assert_ptr_null(ctx->btf);
	ck_assert_msg(rmdir(dir) == 0, "FEAT_F_NO_CACHE, but %s: %s", dir,
		      strerror(errno));
	use_cache_dir("cache", dir, sizeof(dir));
	ck_assert_msg(mismatches == 0, "%zu of %zu names differ from libbpf",
		      mismatches, n);
	free(names);
	feat_unref(ctx);
}
END_TEST

START_TEST(test_btf_scanner_absent)
{
	/* ... (the cache keeps only ids that were found) */
	static const struct {
		const char *name;
		int kind;
	} absent[] = {
		{ "btf_trace_no_such_tracepoint_here", BTF_KIND_TYPEDEF },
		{ "btf_trace_sched_switc", BTF_KIND_TYPEDEF },	 /* a prefix */
		{ "btf_trace_sched_switch_", BTF_KIND_TYPEDEF }, /* longer */
		{ "btf_trace_sched_switch", BTF_KIND_STRUCT },	 /* wrong kind */
		{ "btf_trace_sched_switch", BTF_KIND_FUNC },
		{ "task_struct", BTF_KIND_TYPEDEF },
		{ "btf_trace_", BTF_KIND_TYPEDEF },
		{ "BTF_TRACE_SCHED_SWITCH", BTF_KIND_TYPEDEF },
	};
	struct feat_ctx *ctx = new_ctx(0);
	char longname[1024];
	uint32_t id;
	int e;

	for (size_t i = 0; i < ARRAY_SIZE(absent); i++) {
		/* The test data itself: libbpf must not find them either. */
		ck_assert_msg(btf__find_by_name_kind(vmlinux, absent[i].name,
						     absent[i].kind) < 0,
			      "libbpf finds %s", absent[i].name);
		id = 12345;
		e = feat_btf_find_id(ctx, absent[i].name, absent[i].kind, &id);
		ck_assert_msg(e == -ENOENT, "%s (kind %d): %d, id %u, not -ENOENT",
			      absent[i].name, absent[i].kind, e, id);
	}
	/* A name longer than any string of the section. */
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	e = feat_btf_find_id(ctx, longname, BTF_KIND_TYPEDEF, &id);
	ck_assert_int_eq(e, -ENOENT);
	/* A struct is found as a struct. */
	e = feat_btf_find_id(ctx, "task_struct", BTF_KIND_STRUCT, &id);
	ck_assert_int_eq(e, 0);
	ck_assert_int_eq((int)id, btf__find_by_name_kind(vmlinux, "task_struct",
							 BTF_KIND_STRUCT));
	ck_assert_ptr_null(ctx->btf);
	feat_unref(ctx);
}
END_TEST

/* The cache file's entry for @name: its id and offset. */
static bool cache_entry(const char *path, const char *name, unsigned int *id,
			unsigned int *offset)
{
	char line[512], n[256];
	unsigned int kind;
	bool found = false;
	FILE *f = fopen(path, "re");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%255s %u %u %u", n, &kind, id, offset) == 4 &&
			strcmp(n, name) == 0;
	fclose(f);
	return found;
}

/* Replace the cache file with the key line and one entry. */
static void cache_plant(const char *path, const char *name, unsigned int id,
			unsigned int offset)
{
	char key[256] = "";
	FILE *f = fopen(path, "re");

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(key, sizeof(key), f));
	fclose(f);
	f = fopen(path, "we");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "%s%s %d %u %u\n", key, name, BTF_KIND_TYPEDEF, id, offset);
	ck_assert_int_eq(fclose(f), 0);
}

static uint32_t cached_lookup(const char *name)
{
	struct feat_ctx *ctx = new_ctx(0);
	uint32_t id = 0;
	int e = feat_btf_find_id(ctx, name, BTF_KIND_TYPEDEF, &id);

	ck_assert_msg(e == 0, "feat_btf_find_id(%s): %s", name, strerror(-e));
	feat_unref(ctx);
	return id;
}

/*
 * The per-boot cache of type ids ($FEAT_CACHE_DIR): an id found is stored
 * under the boot id, and read back equal; an entry whose offset or id does
 * not match the BTF must never be believed.
 */
START_TEST(test_btf_cache)
{
	static const char name[] = "btf_trace_sched_switch";
	char dir[PATH_MAX], path[PATH_MAX + 16], boot[64] = "", *text;
	unsigned int id = 0, offset = 0;
	struct feat_ctx *ctx;
	const struct feat_result *r;
	struct stat st;
	FILE *f;

	use_cache_dir("cache-test", dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/btf-ids", dir);
	ck_assert_int_eq(cached_lookup(name), (uint32_t)obs.tp_btf_id);
	ck_assert_msg(stat(path, &st) == 0, "no cache written at %s", path);
	ck_assert_msg((st.st_mode & 077) == 0, "cache file mode %o", st.st_mode & 0777);
	text = read_text(path);
	f = fopen("/proc/sys/kernel/random/boot_id", "re");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(boot, sizeof(boot), f));
	fclose(f);
	boot[strcspn(boot, "\n")] = '\0';
	ck_assert_msg(text && has_prefix(text, boot), "cache not keyed on boot id %s: %s",
		      boot, text);
	free(text);
	ck_assert_msg(cache_entry(path, name, &id, &offset), "no entry for %s", name);
	ck_assert_uint_eq(id, (uint32_t)obs.tp_btf_id);
	/* Read back. */
	ck_assert_int_eq(cached_lookup(name), (uint32_t)obs.tp_btf_id);

	/* A wrong offset: the record there is not the name, scan again. */
	cache_plant(path, name, id, offset + 12);
	ck_assert_int_eq(cached_lookup(name), (uint32_t)obs.tp_btf_id);

	/* The right offset with a wrong id: still the right id, and the
	 * tp_btf probe still attaches. */
	cache_plant(path, name, id + 1, offset);
	ctx = new_ctx(0);
	r = feat_probe(ctx, FEAT_TP_BTF);
	printf("tp_btf with a cache entry of id %u at the offset of id %u: %s\n",
	       id + 1, id, res_text(r));
	check_against("tp_btf (cache entry with a wrong id)", r, obs.tp_btf_err);
	feat_unref(ctx);
	ck_assert_msg(cached_lookup(name) == (uint32_t)obs.tp_btf_id,
		      "a cache entry with id %u for the record of id %u is believed",
		      id + 1, id);
	use_cache_dir("cache", dir, sizeof(dir));
}
END_TEST

static void check_tracepoint_detail(const struct feat_result *r)
{
	char token[32];

	/* When the library names sched_switch, its id must be the one the
	 * test read from its own tracefs mount. */
	if (!strstr(r->detail, "sched_switch"))
		return;
	snprintf(token, sizeof(token), "id %ld", obs.sched_switch_id);
	ck_assert_msg(strstr(r->detail, token), "the test read sched_switch id %ld: %s",
		      obs.sched_switch_id, r->detail);
}

START_TEST(test_tracepoint)
{
	struct feat_ctx *ctx = new_ctx(0);
	const struct feat_result *r = feat_probe(ctx, FEAT_TRACEPOINT);

	check_against("tracepoint", r, obs.tracepoint_err);
	if (obs.tracepoint_err == 0)
		check_tracepoint_detail(r);
	feat_unref(ctx);
}
END_TEST

START_TEST(test_tracepoint_thorough)
{
	struct feat_ctx *ctx = new_ctx(FEAT_F_THOROUGH);
	const struct feat_result *r = feat_probe(ctx, FEAT_TRACEPOINT);

	check_against("tracepoint (thorough)", r, obs.tracepoint_err);
	if (obs.tracepoint_err == 0) {
		ck_assert_msg(strstr(r->detail, "attached"),
			      "thorough mode did not attach: %s", r->detail);
		check_tracepoint_detail(r);
	}
	feat_unref(ctx);
}
END_TEST

START_TEST(test_tracefs)
{
	struct feat_ctx *ctx = new_ctx(0);
	const struct feat_result *r = feat_probe(ctx, FEAT_TRACEFS);
	char buf[64];
	struct statfs sfs;
	int fd;

	check_against("tracefs", r, obs.tracefs_err);
	if (!obs.tracefs_mounted)
		ck_assert_msg(feat_tracefs_path(ctx) == NULL,
			      "tracefs is mounted nowhere, the library says at %s",
			      feat_tracefs_path(ctx));
	if (obs.tracefs_err)
		goto out;
	/* The fd handed out is a tracefs with the events the test saw. */
	fd = feat_tracefs_open(ctx);
	ck_assert_msg(fd >= 0, "feat_tracefs_open: %s", strerror(-fd));
	ck_assert_int_eq(fstatfs(fd, &sfs), 0);
	ck_assert_msg(sfs.f_type == TRACEFS_MAGIC, "f_type 0x%lx is not tracefs",
		      (unsigned long)sfs.f_type);
	ck_assert_int_eq(read_at(fd, "events/sched/sched_switch/id", buf, sizeof(buf)), 0);
	ck_assert_int_eq(strtol(buf, NULL, 10), obs.sched_switch_id);
	close(fd);
out:
	feat_unref(ctx);
}
END_TEST

START_TEST(test_lockdown)
{
	struct feat_ctx *ctx = new_ctx(0);
	const struct feat_result *r = feat_probe(ctx, FEAT_LOCKDOWN);
	enum feat_lockdown want = lockdown_of(obs.lockdown);

	printf("lockdown: observed '%s'; library says %s, level %s\n", obs.lockdown,
	       res_text(r), feat_lockdown_name(feat_lockdown_level(ctx)));
	if (want == FEAT_LOCKDOWN_UNKNOWN) {
		ck_assert_msg(r->state == FEAT_UNKNOWN, "the test cannot read lockdown (%s): %s",
			      err_text(obs.lockdown_err), res_text(r));
		goto out;
	}
	ck_assert_int_eq(feat_lockdown_level(ctx), want);
	ck_assert_msg(r->state == (want == FEAT_LOCKDOWN_NONE ? FEAT_NO : FEAT_YES),
		      "lockdown %s, state %s", obs.lockdown, feat_state_name(r->state));
	ck_assert_str_eq(feat_lockdown_name(feat_lockdown_level(ctx)), obs.lockdown);
out:
	feat_unref(ctx);
}
END_TEST

START_TEST(test_kversion)
{
	struct feat_ctx *ctx = new_ctx(0);
	const struct feat_result *r = feat_probe(ctx, FEAT_KVERSION);
	const struct feat_kversion *kv = feat_kversion(ctx);
	unsigned int major = 0, minor = 0, patch = 0;
	int n = sscanf(obs.uts.release, "%u.%u.%u", &major, &minor, &patch);

	printf("kversion: uname %s; library %s (%s), release %s\n", obs.uts.release,
	       kv->version, kv->source, kv->release);
	ck_assert_int_ge(n, 2);
	ck_assert_int_eq(r->state, FEAT_YES);
	ck_assert_ptr_nonnull(kv->release);
	ck_assert_str_eq(kv->release, obs.uts.release);
	ck_assert_uint_eq(kv->major, major);
	ck_assert_uint_eq(kv->minor, minor);
	/* Debian and Ubuntu name a more precise sublevel elsewhere. */
	if (!strstr(obs.uts.version, "Debian ") &&
	    access("/proc/version_signature", F_OK) < 0)
		ck_assert_uint_eq(kv->patch, patch);
	ck_assert_int_eq(feat_kversion_at_least(ctx, major, minor, 0), FEAT_YES);
	ck_assert_int_eq(feat_kversion_at_least(ctx, major + 1, 0, 0), FEAT_NO);
	feat_unref(ctx);
}
END_TEST

/* "CONFIG_X=v" or "# CONFIG_X is not set": the name and the value. */
static bool config_line(char *line, char **name, char **value)
{
	char *eq, *tail;
	size_t len = strcspn(line, "\n");

	line[len] = '\0';
	if (has_prefix(line, "CONFIG_") && (eq = strchr(line, '='))) {
		*eq = '\0';
		*name = line;
		*value = eq + 1;
		len = strlen(*value);
		if (len >= 2 && (*value)[0] == '"' && (*value)[len - 1] == '"') {
			(*value)[len - 1] = '\0';
			(*value)++;
		}
		return true;
	}
	if (has_prefix(line, "# CONFIG_") && (tail = strstr(line, " is not set")) &&
	    tail[11] == '\0') {
		*tail = '\0';
		*name = line + 2;
		*value = "n";
		return true;
	}
	return false;
}

START_TEST(test_kconfig)
{
	struct feat_ctx *ctx = new_ctx(0);
	const struct feat_result *r = feat_probe(ctx, FEAT_KCONFIG);
	const char *source = feat_kconfig_source(ctx), *value;
	char boot[PATH_MAX], line[4096];
	size_t n = 0, mismatches = 0;
	gzFile gz;

	printf("kconfig: library %s, source %s\n", res_text(r), source);
	ck_assert_int_eq(r->state, FEAT_YES);
	ck_assert_ptr_nonnull(source);
	ck_assert_msg(access(source, R_OK) == 0, "%s: %s", source, strerror(errno));
	snprintf(boot, sizeof(boot), "/boot/config-%s", obs.uts.release);
	if (access(boot, R_OK) < 0 && access("/proc/config.gz", R_OK) == 0)
		ck_assert_str_eq(source, "/proc/config.gz");
	/* Every symbol of the file, decompressed here with zlib. */
	gz = gzopen(source, "rb");
	ck_assert_ptr_nonnull(gz);
	while (gzgets(gz, line, sizeof(line))) {
		char *name, *want;
		int e;

		if (!config_line(line, &name, &want))
			continue;
		n++;
		e = feat_kconfig_get(ctx, name, &value);
		if (e == 0 && strcmp(value, want) == 0)
			continue;
		if (mismatches++ < 10)
			printf("  MISMATCH %s: file '%s', library '%s' (%d)\n", name, want,
			       e == 0 ? value : "", e);
	}
	gzclose(gz);
	printf("kconfig: %zu symbols compared, %zu mismatches\n", n, mismatches);
	ck_assert_msg(n > 100, "only %zu symbols in %s", n, source);
	ck_assert_msg(mismatches == 0, "%zu of %zu symbols differ", mismatches, n);
	/* The prefix is optional; an absent symbol is n. */
	ck_assert_int_eq(feat_kconfig_get(ctx, "BPF_SYSCALL", &value), 0);
	ck_assert_int_eq(feat_kconfig_get(ctx, "CONFIG_FEAT_LIVE_NO_SUCH_SYMBOL", &value), 0);
	ck_assert_str_eq(value, "n");
	ck_assert_int_eq(feat_kconfig_state(ctx, "CONFIG_FEAT_LIVE_NO_SUCH_SYMBOL"), FEAT_NO);
	ck_assert_int_eq(feat_kconfig_get(ctx, "", &value), -EINVAL);
	ck_assert_int_eq(feat_kconfig_get(ctx, "CONFIG_", &value), -EINVAL);
	feat_unref(ctx);
}
END_TEST

START_TEST(test_btf)
{
	struct feat_ctx *ctx = new_ctx(0);
	const struct feat_result *r = feat_probe(ctx, FEAT_BTF);
	bool sysfs = access("/sys/kernel/btf/vmlinux", R_OK) == 0;

	printf("btf: /sys/kernel/btf/vmlinux %s; library says %s\n",
	       sysfs ? "readable" : "absent", res_text(r));
	if (sysfs) {
		ck_assert_int_eq(r->state, FEAT_YES);
		ck_assert_str_eq(r->source, "/sys/kernel/btf/vmlinux");
	}
	feat_unref(ctx);
}
END_TEST

START_TEST(test_kmod)
{
	struct feat_ctx *ctx = new_ctx(0);
	const struct feat_result *r = feat_probe(ctx, FEAT_KMOD);

	printf("kmod: /proc/modules %s; library says %s\n",
	       obs.proc_modules ? "present" : "absent", res_text(r));
	if (!obs.proc_modules) {
		/* procfs shows /proc/modules exactly with CONFIG_MODULES. */
		ck_assert_int_eq(r->state, FEAT_NO);
		ck_assert_int_eq(r->kernel, FEAT_NO);
	} else {
		ck_assert_msg(r->kernel == FEAT_YES,
			      "/proc/modules exists, the kernel field says %s",
			      feat_state_name(r->kernel));
	}
	feat_unref(ctx);
}
END_TEST

/* --- backend decision --- */

static bool confidential(void)
{
	return lockdown_of(obs.lockdown) == FEAT_LOCKDOWN_CONFIDENTIALITY;
}

/* The first of tp_btf, raw_tp, tracepoint that worked for the test. */
static enum feat_backend expected_default(void)
{
	if (obs.tp_btf_err == 0)
		return FEAT_BACKEND_TP_BTF;
	if (obs.raw_tp_err == 0 && !confidential())
		return FEAT_BACKEND_RAW_TP;
	if (obs.tracepoint_err == 0 && !confidential())
		return FEAT_BACKEND_TRACEPOINT;
	return FEAT_BACKEND_NONE;
}

static enum feat_backend choose(struct feat_ctx *ctx, const struct feat_policy *p,
				struct feat_choice **c)
{
	int e = feat_backend_choose(ctx, p, c);

	ck_assert_msg(e == 0, "feat_backend_choose: %s", strerror(-e));
	ck_assert_ptr_nonnull(*c);
	printf("backend %s:", feat_backend_name(feat_choice_backend(*c)));
	for (size_t i = 0; i < feat_choice_reason_count(*c); i++)
		printf(" [%s]", feat_choice_reason(*c, i, NULL));
	printf("\n");
	return feat_choice_backend(*c);
}

START_TEST(test_backend_default)
{
	struct feat_ctx *ctx = new_ctx(0);
	enum feat_backend want = expected_default(), got;
	struct feat_choice *c;

	got = choose(ctx, NULL, &c);
	if (want != FEAT_BACKEND_NONE) {
		ck_assert_msg(got == want, "the test saw %s work first, the library chose %s",
			      feat_backend_name(want), feat_backend_name(got));
		/* The reason for the choice is about the chosen backend. */
		ck_assert_uint_ge(feat_choice_reason_count(c), 1);
	} else {
		ck_assert_msg(got != FEAT_BACKEND_TP_BTF && got != FEAT_BACKEND_RAW_TP &&
			      got != FEAT_BACKEND_TRACEPOINT,
			      "nothing worked for the test, the library chose %s",
			      feat_backend_name(got));
	}
	feat_choice_free(c);
	feat_unref(ctx);
}
END_TEST

START_TEST(test_backend_forced)
{
	struct feat_ctx *ctx = new_ctx(0);
	struct feat_policy p = { .sz = sizeof(p), .force = FEAT_BACKEND_RAW_TP };
	struct feat_choice *c;
	enum feat_backend b, got;
	const char *why;

	got = choose(ctx, &p, &c);
	if (obs.raw_tp_err == 0 && !confidential())
		ck_assert_int_eq(got, FEAT_BACKEND_RAW_TP);
	else
		ck_assert_int_eq(got, FEAT_BACKEND_NONE);
	feat_choice_free(c);

	/* kmod or nothing: on a kernel without modules, nothing, with a
	 * reason that names kmod. */
	p.force = FEAT_BACKEND_KMOD;
	got = choose(ctx, &p, &c);
	if (!obs.proc_modules) {
		ck_assert_int_eq(got, FEAT_BACKEND_NONE);
		ck_assert_uint_ge(feat_choice_reason_count(c), 1);
		b = FEAT_BACKEND_NONE;
		why = feat_choice_reason(c, 0, &b);
		ck_assert_ptr_nonnull(why);
		ck_assert_int_eq(b, FEAT_BACKEND_KMOD);
		ck_assert_msg(strlen(why) > 0, "empty reason");
	} else {
		ck_assert(got == FEAT_BACKEND_KMOD || got == FEAT_BACKEND_NONE);
	}
	ck_assert_ptr_null(feat_choice_reason(c, feat_choice_reason_count(c), NULL));
	feat_choice_free(c);

	/* An order of preference is followed. */
	p.force = FEAT_BACKEND_NONE;
	p.order[0] = FEAT_BACKEND_TRACEPOINT;
	p.order[1] = FEAT_BACKEND_RAW_TP;
	got = choose(ctx, &p, &c);
	if (obs.tracepoint_err == 0 && !confidential())
		ck_assert_int_eq(got, FEAT_BACKEND_TRACEPOINT);
	feat_choice_free(c);
	feat_unref(ctx);
}
END_TEST

START_TEST(test_backend_bad_policy)
{
	struct feat_ctx *ctx = new_ctx(0);
	struct feat_choice *c = NULL;
	struct feat_policy p;

	p = (struct feat_policy){ .sz = sizeof(p), .force = _FEAT_BACKEND_COUNT };
	ck_assert_int_eq(feat_backend_choose(ctx, &p, &c), -EINVAL);
	p = (struct feat_policy){ .sz = sizeof(p), .force = (enum feat_backend)-1 };
	ck_assert_int_eq(feat_backend_choose(ctx, &p, &c), -EINVAL);
	p = (struct feat_policy){ .sz = sizeof(p),
				  .order = { FEAT_BACKEND_RAW_TP, FEAT_BACKEND_RAW_TP } };
	ck_assert_int_eq(feat_backend_choose(ctx, &p, &c), -EINVAL);
	p = (struct feat_policy){ .sz = sizeof(p), .order = { (enum feat_backend)42 } };
	ck_assert_int_eq(feat_backend_choose(ctx, &p, &c), -EINVAL);
	p = (struct feat_policy){ .sz = 0 };
	ck_assert_int_eq(feat_backend_choose(ctx, &p, &c), -EINVAL);
	p = (struct feat_policy){ .sz = sizeof(p), .tracepoint = "sched:no_such_event" };
	ck_assert_int_eq(feat_backend_choose(ctx, &p, &c), -ENOENT);
	ck_assert_int_eq(feat_backend_choose(NULL, NULL, &c), -EINVAL);
	ck_assert_int_eq(feat_backend_choose(ctx, NULL, NULL), -EINVAL);
	ck_assert_ptr_null(c);
	feat_unref(ctx);
}
END_TEST

/*
 * Per tracepoint: only backends whose form exists are offered. Which forms
 * exist is observed here: a raw form needs typedef btf_trace_<event> in
 * vmlinux BTF (libbpf's parse), a classic form an event id in tracefs.
 */
START_TEST(test_backend_per_tracepoint)
{
	struct feat_ctx *ctx = new_ctx(0);
	struct feat_policy p = { .sz = sizeof(p) };
	struct feat_choice *c;
	enum feat_backend got, b;
	bool openat_raw;
	bool saw_raw_reason = false;

	if (obs.tracefs_err)
		ck_abort_msg("tracefs unreadable as root: %s", strerror(-obs.tracefs_err));
	openat_raw = btf__find_by_name_kind(vmlinux, "btf_trace_sys_enter_openat",
					    BTF_KIND_TYPEDEF) > 0;
	ck_assert_msg(!openat_raw, "this kernel has a raw form of sys_enter_openat");

	p.tracepoint = "syscalls:sys_enter_openat";
	got = choose(ctx, &p, &c);
	for (size_t i = 0; i < feat_choice_reason_count(c); i++) {
		const char *why = feat_choice_reason(c, i, &b);

		printf("  %s: %s\n", p.tracepoint, why);
		if (b == FEAT_BACKEND_TP_BTF || b == FEAT_BACKEND_RAW_TP)
			saw_raw_reason |= strstr(why, "no raw form") != NULL;
	}
	ck_assert_msg(saw_raw_reason, "no reason says the raw form is missing");
	if (obs.tracepoint_err == 0 && !confidential())
		ck_assert_int_eq(got, FEAT_BACKEND_TRACEPOINT);
	else
		ck_assert(got != FEAT_BACKEND_TP_BTF && got != FEAT_BACKEND_RAW_TP);
	feat_choice_free(c);

	/* sched_switch has both forms: the session's choice stands. */
	p.tracepoint = "sched:sched_switch";
	got = choose(ctx, &p, &c);
	if (obs.tp_btf_err == 0)
		ck_assert_int_eq(got, FEAT_BACKEND_TP_BTF);
	feat_choice_free(c);
	feat_unref(ctx);
}
END_TEST

/* --- mounted tracefs, debugfs and securityfs, in a private namespace --- */


static void umount_all_of(const char *type)
{
	char *dirs[64];
	size_t n = 0;
	struct mntent *m;
	FILE *f = setmntent("/proc/self/mounts", "re");

	ck_assert_ptr_nonnull(f);
	while ((m = getmntent(f)) && n < ARRAY_SIZE(dirs))
		if (strcmp(m->mnt_type, type) == 0)
			dirs[n++] = strdup(m->mnt_dir);
	endmntent(f);
	/* The latest first: a mount may sit on another. */
	while (n-- > 0) {
		umount2(dirs[n], MNT_DETACH);
		free(dirs[n]);
	}
}

/*
 * Each test case runs in its own forked process: a private mount namespace
 * there changes nothing outside. The tracefs and debugfs mounts others may
 * have made are dropped in it, so that the test's own are the only ones.
 */
static void private_namespace(const char *sub)
{
	char dir[PATH_MAX];

	ck_assert_msg(unshare(CLONE_NEWNS) == 0, "unshare: %s", strerror(errno));
	ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	umount_all_of("tracefs");
	umount_all_of("debugfs");
	snprintf(dir, sizeof(dir), "%s/%s", test_base, sub);
	ck_assert_msg(mkdir(dir, 0700) == 0, "%s: %s", dir, strerror(errno));
	ck_assert_int_eq(chdir(dir), 0);
}

static void check_tracefs_usable(struct feat_ctx *ctx, const char *where)
{
	const struct feat_result *r = feat_probe(ctx, FEAT_TRACEFS);
	char buf[64];
	int fd;

	printf("tracefs %s: library says %s, path %s\n", where, res_text(r),
	       feat_tracefs_path(ctx) ? feat_tracefs_path(ctx) : "(none)");
	ck_assert_msg(r->state == FEAT_YES, "tracefs %s: %s", where, res_text(r));
	fd = feat_tracefs_open(ctx);
	ck_assert_msg(fd >= 0, "feat_tracefs_open: %s", strerror(-fd));
	ck_assert_int_eq(read_at(fd, "events/sched/sched_switch/id", buf, sizeof(buf)), 0);
	ck_assert_int_eq(strtol(buf, NULL, 10), obs.sched_switch_id);
	close(fd);
	check_against("tracepoint", feat_probe(ctx, FEAT_TRACEPOINT), obs.tracepoint_err);
}

START_TEST(test_tracefs_mounted)
{
	char dir[PATH_MAX], want[PATH_MAX + 16];
	struct feat_ctx *ctx;

	if (obs.tracefs_err)
		return;
	private_namespace("tracefs");
	ck_assert_int_eq(mkdir("mnt", 0700), 0);
	ck_assert_msg(mount("tracefs", "mnt", "tracefs", 0, NULL) == 0,
		      "mount tracefs: %s", strerror(errno));
	ck_assert_ptr_nonnull(getcwd(dir, sizeof(dir)));
	snprintf(want, sizeof(want), "%s/mnt", dir);
	ctx = new_ctx(0);
	check_tracefs_usable(ctx, "mounted by the test");
	ck_assert_ptr_nonnull(feat_tracefs_path(ctx));
	ck_assert_str_eq(feat_tracefs_path(ctx), want);
	feat_unref(ctx);
}
END_TEST

START_TEST(test_tracefs_under_debugfs)
{
	char dir[PATH_MAX], want[PATH_MAX + 16];
	struct feat_ctx *ctx;

	if (obs.tracefs_err)
		return;
	private_namespace("debugfs");
	ck_assert_int_eq(mkdir("mnt", 0700), 0);
	if (mount("debugfs", "mnt", "debugfs", 0, NULL) < 0) {
		printf("debugfs cannot be mounted (%s): case not run\n", strerror(errno));
		return;
	}
	if (access("mnt/tracing/events", F_OK) < 0) {
		printf("debugfs has no tracing/events (%s): case not run\n", strerror(errno));
		return;
	}
	/* Reaching debugfs/tracing mounts tracefs there (an automount): the
	 * library may name either, as long as it is this one. */
	ck_assert_ptr_nonnull(getcwd(dir, sizeof(dir)));
	snprintf(want, sizeof(want), "%s/mnt/tracing", dir);
	ctx = new_ctx(0);
	check_tracefs_usable(ctx, "under debugfs");
	ck_assert_ptr_nonnull(feat_tracefs_path(ctx));
	ck_assert_str_eq(feat_tracefs_path(ctx), want);
	feat_unref(ctx);
}
END_TEST

/*
 * A tracefs mount listed in /proc/self/mounts that nobody can reach (another
 * mount sits on top of it, as systemd's InaccessiblePaths= or a container's
 * masks do): tracefs still works, through a mount of the library's own.
 */
START_TEST(test_tracefs_shadowed)
{
	struct feat_ctx *ctx;

	if (obs.tracefs_err)
		return;
	private_namespace("shadowed");
	ck_assert_int_eq(mkdir("top", 0700), 0);
	ck_assert_int_eq(mkdir("top/tracing", 0700), 0);
	ck_assert_msg(mount("tracefs", "top/tracing", "tracefs", 0, NULL) == 0,
		      "mount tracefs: %s", strerror(errno));
	ck_assert_int_eq(mount("tmpfs", "top", "tmpfs", 0, "mode=0700"), 0);
	ck_assert_int_lt(access("top/tracing/events", F_OK), 0);
	ctx = new_ctx(0);
	check_tracefs_usable(ctx, "listed but covered by a tmpfs");
	feat_unref(ctx);
}
END_TEST

/* The same for securityfs: a covered mount must not read as "no lockdown
 * file", which would answer NO for a kernel that is locked down. */
START_TEST(test_lockdown_shadowed)
{
	struct feat_ctx *ctx;
	const struct feat_result *r;

	if (lockdown_of(obs.lockdown) == FEAT_LOCKDOWN_UNKNOWN)
		return;
	private_namespace("shadowed-securityfs");
	umount_all_of("securityfs");
	ck_assert_int_eq(mkdir("top", 0700), 0);
	ck_assert_int_eq(mkdir("top/security", 0700), 0);
	ck_assert_msg(mount("securityfs", "top/security", "securityfs", 0, NULL) == 0,
		      "mount securityfs: %s", strerror(errno));
	ck_assert_int_eq(mount("tmpfs", "top", "tmpfs", 0, "mode=0700"), 0);
	ck_assert_int_lt(access("top/security/lockdown", F_OK), 0);
	ctx = new_ctx(0);
	r = feat_probe(ctx, FEAT_LOCKDOWN);
	printf("lockdown with securityfs listed but covered: %s [%s]\n", res_text(r),
	       r->source);
	ck_assert_msg(feat_lockdown_level(ctx) == lockdown_of(obs.lockdown),
		      "lockdown is %s, the library says %s", obs.lockdown,
		      res_text(r));
	feat_unref(ctx);
}
END_TEST

START_TEST(test_lockdown_mounted)
{
	struct feat_ctx *ctx;
	const struct feat_result *r;
	char dir[PATH_MAX];

	if (lockdown_of(obs.lockdown) == FEAT_LOCKDOWN_UNKNOWN)
		return;
	private_namespace("securityfs");
	umount_all_of("securityfs");
	ck_assert_int_eq(mkdir("mnt", 0700), 0);
	ck_assert_msg(mount("securityfs", "mnt", "securityfs", 0, NULL) == 0,
		      "mount securityfs: %s", strerror(errno));
	ck_assert_ptr_nonnull(getcwd(dir, sizeof(dir)));
	ctx = new_ctx(0);
	r = feat_probe(ctx, FEAT_LOCKDOWN);
	printf("lockdown with securityfs mounted: %s [%s]\n", res_text(r), r->source);
	ck_assert_int_eq(feat_lockdown_level(ctx), lockdown_of(obs.lockdown));
	ck_assert_msg(strstr(r->source, dir),
		      "securityfs is mounted in %s, the library read %s", dir, r->source);
	feat_unref(ctx);
}
END_TEST

/* --- nothing left behind --- */

#define MAX_IDS 8192

struct snapshot {
	char *fds;
	char *mountinfo;
	uint32_t progs[MAX_IDS];
	size_t n_progs;
	uint32_t links[MAX_IDS];
	size_t n_links;
};

static int strptr_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "fd -> target" lines of /proc/self/fd, sorted. */
static char *fd_table(void)
{
	char *lines[1024], *out;
	size_t n = 0, len = 0;
	struct dirent *de;
	DIR *d;

	d = opendir("/proc/self/fd");
	if (!d)
		return NULL;
	while ((de = readdir(d)) && n < ARRAY_SIZE(lines)) {
		char path[PATH_MAX], target[PATH_MAX];
		ssize_t t;

		if (de->d_name[0] == '.' || atoi(de->d_name) == dirfd(d))
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", de->d_name);
		t = readlink(path, target, sizeof(target) - 1);
		target[t < 0 ? 0 : t] = '\0';
		if (asprintf(&lines[n], "%s -> %s\n", de->d_name, target) < 0)
			break;
		len += strlen(lines[n]);
		n++;
	}
	closedir(d);
	qsort(lines, n, sizeof(lines[0]), strptr_cmp);
	out = calloc(1, len + 1);
	for (size_t i = 0; i < n; i++) {
		if (out)
			strcat(out, lines[i]);
		free(lines[i]);
	}
	return out;
}

static size_t list_ids(bool links, uint32_t *ids)
{
	uint32_t id = 0;
	size_t n = 0;

	while (n < MAX_IDS &&
	       (links ? bpf_link_get_next_id(id, &id) : bpf_prog_get_next_id(id, &id)) == 0)
		ids[n++] = id;
	return n;
}

static bool has_id(const uint32_t *ids, size_t n, uint32_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* Programs of the types the probes load (and links of the attach types
 * they use) that appeared since @s and still exist; their ids in @why. */
static size_t bpf_left(const struct snapshot *s, char *why, size_t size)
{
	static uint32_t now[MAX_IDS];
	size_t n, left = 0, len = 0;

	why[0] = '\0';
	n = list_ids(false, now);
	for (size_t i = 0; i < n; i++) {
		struct bpf_prog_info info = { 0 };
		uint32_t info_len = sizeof(info);
		int fd;

		if (has_id(s->progs, s->n_progs, now[i]))
			continue;
		fd = bpf_prog_get_fd_by_id(now[i]);
		if (fd < 0)
			continue; /* freed meanwhile */
		if (bpf_obj_get_info_by_fd(fd, &info, &info_len) == 0 &&
		    (info.type == BPF_PROG_TYPE_SOCKET_FILTER ||
		     info.type == BPF_PROG_TYPE_RAW_TRACEPOINT ||
		     info.type == BPF_PROG_TYPE_TRACING ||
		     info.type == BPF_PROG_TYPE_TRACEPOINT)) {
			left++;
			if (len < size)
				len += (size_t)snprintf(why + len, size - len,
							" prog %u (type %u)", now[i], info.type);
		}
		close(fd);
	}
	n = list_ids(true, now);
	for (size_t i = 0; i < n; i++) {
		struct bpf_link_info info = { 0 };
		uint32_t info_len = sizeof(info);
		int fd;

		if (has_id(s->links, s->n_links, now[i]))
			continue;
		fd = bpf_link_get_fd_by_id(now[i]);
		if (fd < 0)
			continue;
		if (bpf_obj_get_info_by_fd(fd, &info, &info_len) == 0 &&
		    (info.type == BPF_LINK_TYPE_RAW_TRACEPOINT ||
		     info.type == BPF_LINK_TYPE_TRACING ||
		     info.type == BPF_LINK_TYPE_PERF_EVENT)) {
			left++;
			if (len < size)
				len += (size_t)snprintf(why + len, size - len,
							" link %u (type %u)", now[i], info.type);
		}
		close(fd);
	}
	return left;
}

/* The mountinfo lines of the filesystems the library mounts, in order. */
static void pseudo_mounts(const char *mountinfo, char *out, size_t size)
{
	static const char *const types[] = {
		" - tracefs ", " - securityfs ", " - debugfs ",
	};
	size_t len = 0;

	out[0] = '\0';
	for (const char *line = mountinfo; line && *line;) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line + 1) : strlen(line);

		for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
			const char *t = strstr(line, types[i]);

			if (t && t < line + n && len + n < size) {
				memcpy(out + len, line, n);
				len += n;
				out[len] = '\0';
				break;
			}
		}
		line += n;
	}
}

/*
 * The mount table must be unchanged. Others may mount and unmount on this
 * machine meanwhile: a difference fails when it concerns a filesystem the
 * library mounts (tracefs, securityfs, debugfs), and is shown otherwise.
 */
static void check_mounts(const char *before, const char *after)
{
	static char b[1 << 16], a[1 << 16];

	if (strcmp(before, after) == 0)
		return;
	pseudo_mounts(before, b, sizeof(b));
	pseudo_mounts(after, a, sizeof(a));
	ck_assert_msg(strcmp(a, b) == 0, "tracefs/securityfs/debugfs mounts before:\n%safter:\n%s",
		      b, a);
	printf("note: the mount table changed, but not in tracefs, securityfs or debugfs:\n"
	       "before:\n%safter:\n%s", before, after);
}

static void snapshot_bpf(struct snapshot *s)
{
	s->n_progs = list_ids(false, s->progs);
	s->n_links = list_ids(true, s->links);
}

static void snapshot_files(struct snapshot *s)
{
	s->fds = fd_table();
	s->mountinfo = read_text("/proc/self/mountinfo");
}

/* Wait up to 200 ms: a freed program stays listed for about 20 ms. */
static void check_bpf_left(const struct snapshot *s)
{
	char why[512];
	size_t left = 0;

	for (int i = 0; i < 20; i++) {
		struct timespec ms10 = { 0, 10 * 1000 * 1000 };

		left = bpf_left(s, why, sizeof(why));
		if (left == 0)
			break;
		nanosleep(&ms10, NULL);
	}
	printf("leaks: %zu programs and %zu links before; %zu new left%s\n",
	       s->n_progs, s->n_links, left, why);
	ck_assert_msg(left == 0, "BPF objects left behind:%s", why);
}

/* Create, probe everything, choose, open tracefs, unref: several times. */
static void exercise(void)
{
	for (int round = 0; round < 3; round++) {
		struct feat_ctx *ctx = new_ctx(round == 1 ? FEAT_F_THOROUGH : 0);
		struct feat_choice *c = NULL;
		const char *v;
		int fd;

		for (int id = 0; id < _FEAT_ID_COUNT; id++)
			ck_assert_ptr_nonnull(feat_probe(ctx, (enum feat_id)id));
		feat_lockdown_level(ctx);
		feat_tracefs_path(ctx);
		fd = feat_tracefs_open(ctx);
		if (fd >= 0)
			close(fd);
		feat_kconfig_get(ctx, "CONFIG_BPF", &v);
		ck_assert_int_eq(feat_backend_choose(ctx, NULL, &c), 0);
		feat_choice_free(c);
		ck_assert_ptr_eq(feat_ref(ctx), ctx);
		ck_assert_ptr_eq(feat_unref(ctx), ctx);
		ck_assert_ptr_null(feat_unref(ctx));
	}
	/* Contexts that only opened tracefs, or nothing at all. */
	for (int round = 0; round < 2; round++) {
		struct feat_ctx *ctx = new_ctx(0);

		if (round == 0)
			feat_tracefs_path(ctx);
		ck_assert_ptr_null(feat_unref(ctx));
	}
}

START_TEST(test_no_leaks)
{
	static struct snapshot before;
	char *fds, *mountinfo;

	snapshot_bpf(&before);
	snapshot_files(&before);
	ck_assert_ptr_nonnull(before.fds);
	ck_assert_ptr_nonnull(before.mountinfo);
	exercise();
	fds = fd_table();
	mountinfo = read_text("/proc/self/mountinfo");
	ck_assert_ptr_nonnull(fds);
	ck_assert_ptr_nonnull(mountinfo);
	ck_assert_msg(strcmp(before.fds, fds) == 0, "open fds before:\n%safter:\n%s",
		      before.fds, fds);
	check_mounts(before.mountinfo, mountinfo);
	check_bpf_left(&before);
	free(fds);
	free(mountinfo);
	free(before.fds);
	free(before.mountinfo);
}
END_TEST

/*
 * The same as an unprivileged user (uid 65534, no capabilities): the error
 * paths must close what they opened too, and no verdict may be "no" for a
 * refusal the test sees itself. The child reports one line through a pipe;
 * the BPF id lists need CAP_SYS_ADMIN, so the parent reads them.
 */
static int unprivileged_child(int out)
{
	struct snapshot s = { 0 };
	char msg[2048] = "";
	struct feat_ctx *ctx;
	const struct feat_result *r;
	static const enum feat_id bpf_ids[] = {
		FEAT_BPF, FEAT_RAW_TP, FEAT_TP_BTF, FEAT_TRACEPOINT,
	};
	char *fds, *mountinfo;
	int own;

	if (setgroups(0, NULL) < 0 || setresgid(NOBODY, NOBODY, NOBODY) < 0 ||
	    setresuid(NOBODY, NOBODY, NOBODY) < 0) {
		snprintf(msg, sizeof(msg), "cannot become uid %d: %s", NOBODY,
			 strerror(errno));
		goto out;
	}
	/* A uid change makes the process non-dumpable, and /proc/self root's. */
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	snapshot_files(&s);
	if (!s.fds || !s.mountinfo) {
		snprintf(msg, sizeof(msg), "cannot read /proc/self as uid %d", NOBODY);
		goto out;
	}
	own = load(BPF_PROG_TYPE_SOCKET_FILTER, 0, 0);
	if (own >= 0) {
		close(own);
		snprintf(msg, sizeof(msg), "SKIP bpf() loads programs for uid %d", NOBODY);
		goto out;
	}
	ctx = new_ctx(0);
	for (size_t i = 0; i < ARRAY_SIZE(bpf_ids); i++) {
		r = feat_probe(ctx, bpf_ids[i]);
		if (r->state == FEAT_YES || (r->state == FEAT_NO &&
		    (own == -EPERM || own == -EACCES))) {
			snprintf(msg, sizeof(msg), "uid %d, own load %s: %s says %s", NOBODY,
				 strerror(-own), feat_id_name(bpf_ids[i]), res_text(r));
			feat_unref(ctx);
			goto out;
		}
		if (bpf_ids[i] == FEAT_BPF && r->err != -own) {
			snprintf(msg, sizeof(msg), "own load %s, bpf probe errno %d",
				 strerror(-own), r->err);
			feat_unref(ctx);
			goto out;
		}
	}
	feat_unref(ctx);
	exercise();
	fds = fd_table();
	mountinfo = read_text("/proc/self/mountinfo");
	if (!fds || strcmp(fds, s.fds) != 0)
		snprintf(msg, sizeof(msg), "open fds before:\n%.900safter:\n%.900s",
			 s.fds, fds ? fds : "?");
	else if (!mountinfo || strcmp(mountinfo, s.mountinfo) != 0) {
		static char b[1 << 16], a[1 << 16];

		pseudo_mounts(s.mountinfo, b, sizeof(b));
		pseudo_mounts(mountinfo ? mountinfo : "", a, sizeof(a));
		if (strcmp(a, b) != 0)
			snprintf(msg, sizeof(msg),
				 "tracefs/securityfs/debugfs mounts before:\n%.900safter:\n%.900s",
				 b, a);
	}
	free(fds);
	free(mountinfo);
out:
	free(s.fds);
	free(s.mountinfo);
	(void)!write(out, msg, strlen(msg));
	return msg[0] ? 1 : 0;
}

START_TEST(test_no_leaks_unprivileged)
{
	static struct snapshot before;
	char msg[2048];
	int pipefd[2], status;
	ssize_t n;
	pid_t pid;

	snapshot_bpf(&before);
	ck_assert_int_eq(pipe2(pipefd, O_CLOEXEC), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(pipefd[0]);
		_exit(unprivileged_child(pipefd[1]));
	}
	close(pipefd[1]);
	n = read(pipefd[0], msg, sizeof(msg) - 1);
	close(pipefd[0]);
	msg[n < 0 ? 0 : n] = '\0';
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	if (has_prefix(msg, "SKIP")) {
		printf("%s: case not run\n", msg);
		return;
	}
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "unprivileged child (status 0x%x): %s", status, msg);
	printf("unprivileged: probes unknown, no fd or mount left\n");
	check_bpf_left(&before);
}
END_TEST

/* Empty a directory of plain files, then remove it. */
static void remove_files_dir(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' || (de->d_name[1] && strcmp(de->d_name, "..")))
			unlinkat(dirfd(d), de->d_name, 0);
	closedir(d);
	rmdir(dir);
}

/* The mount points the cases made (their mounts died with them) and the
 * cache directories. */
static void remove_test_base(void)
{
	static const char *const caches[] = { "cache", "cache-test", "cache-off" };
	static const char *const subs[] = {
		"tracefs/mnt", "tracefs", "debugfs/mnt", "debugfs",
		"shadowed/top/tracing", "shadowed/top", "shadowed",
		"securityfs/mnt", "securityfs", "shadowed-securityfs/top/security",
		"shadowed-securityfs/top", "shadowed-securityfs",
	};
	char path[PATH_MAX];

	for (size_t i = 0; i < ARRAY_SIZE(caches); i++) {
		snprintf(path, sizeof(path), "%s/%s", test_base, caches[i]);
		remove_files_dir(path);
	}
	for (size_t i = 0; i < ARRAY_SIZE(subs); i++) {
		snprintf(path, sizeof(path), "%s/%s", test_base, subs[i]);
		rmdir(path);
	}
	if (rmdir(test_base) < 0)
		printf("rmdir %s: %s\n", test_base, strerror(errno));
}

static Suite *live_suite(void)
{
	Suite *s = suite_create("live-probes");
	TCase *tc = tcase_create("probes");
	TCase *btf = tcase_create("btf-scanner");
	TCase *ns = tcase_create("mounted");
	TCase *leaks = tcase_create("leaks");

	tcase_add_test(tc, test_bpf);
	tcase_add_test(tc, test_raw_tp);
	tcase_add_test(tc, test_tp_btf);
	tcase_add_test(tc, test_tracepoint);
	tcase_add_test(tc, test_tracepoint_thorough);
	tcase_add_test(tc, test_tracefs);
	tcase_add_test(tc, test_lockdown);
	tcase_add_test(tc, test_kversion);
	tcase_add_test(tc, test_kconfig);
	tcase_add_test(tc, test_btf);
	tcase_add_test(tc, test_kmod);
	tcase_add_test(tc, test_backend_default);
	tcase_add_test(tc, test_backend_forced);
	tcase_add_test(tc, test_backend_bad_policy);
	tcase_add_test(tc, test_backend_per_tracepoint);
	suite_add_tcase(s, tc);

	tcase_add_test(btf, test_btf_scanner_agrees);
	tcase_add_test(btf, test_btf_scanner_absent);
	tcase_add_test(btf, test_btf_cache);
	tcase_set_timeout(btf, 30);
	suite_add_tcase(s, btf);

	/* These change their own process: only where each case forks. */
	if (forking) {
		tcase_add_test(ns, test_tracefs_mounted);
		tcase_add_test(ns, test_tracefs_under_debugfs);
		tcase_add_test(ns, test_tracefs_shadowed);
		tcase_add_test(ns, test_lockdown_mounted);
		tcase_add_test(ns, test_lockdown_shadowed);
		suite_add_tcase(s, ns);
	}

	tcase_add_test(leaks, test_no_leaks);
	if (forking)
		tcase_add_test(leaks, test_no_leaks_unprivileged);
	tcase_set_timeout(leaks, 20);
	suite_add_tcase(s, leaks);
	return s;
}

int main(void)
{
	char cache[PATH_MAX];
	SRunner *sr;
	int failed, fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (geteuid() != 0)
		test_skip("not root: the live probes need bpf() and mounts");
	fd = load(BPF_PROG_TYPE_SOCKET_FILTER, 0, 0);
	if (fd < 0)
		test_skip("bpf() refuses to load a program here: %s", strerror(-fd));
	close(fd);
	obs.bpf_err = 0;
	vmlinux = btf__load_vmlinux_btf();
	if (!vmlinux)
		test_skip("no vmlinux BTF for libbpf: %s", strerror(errno));
	/* The live defaults, not a kernel config named by the caller; the
	 * per-boot cache in a directory of the run's own, not /run/libfeat. */
	unsetenv("FEAT_KCONFIG");
	unsetenv("FEAT_NO_CACHE");
	snprintf(test_base, sizeof(test_base), "/tmp/feat-live.XXXXXX");
	if (!mkdtemp(test_base))
		test_skip("mkdtemp %s: %s", test_base, strerror(errno));
	use_cache_dir("cache", cache, sizeof(cache));
	observe();

	/* The fork mode as Check will apply it ($CK_FORK). */
	sr = srunner_create(NULL);
	forking = srunner_fork_status(sr) == CK_FORK;
	srunner_free(sr);
	if (!forking)
		printf("CK_FORK=no: the namespace and privilege-drop cases are not run\n");
	sr = srunner_create(live_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	remove_test_base();
	btf__free(vmlinux);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
