// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The access code on the running kernel: each case makes a child process
 * trigger one known event (a signal, a rename, an exec, a failing openat,
 * a refused lock, a clone...) while every reader of that event is attached
 * at once:
 *  - per backend that has the form (tp_btf, raw_tp, tracepoint), a
 *    trace-prog program built from feat_access_compile()'s instructions,
 *    recording the child's events only;
 *  - per backend, the hand-written BPF C program of bpf-progs/ that reads
 *    the same values through the "data" member of the struct form
 *    "featprobe layout" generated at build time, loaded with libbpf.
 * Every value must equal what the child computed itself (getpid(), the
 * signal it sent, the path it opened, the comm it set, st_ino of the file
 * it locked); the one it cannot know (sched_switch's prev_state) is
 * compared between the readers of its form. Classic and raw readers see the
 * one event, so they must agree on every value both forms carry. Each case
 * then changes every expectation in turn and checks that every reader's
 * comparison catches it: a pass must be able to be a fail.
 *
 * Needs root and BPF: exits 77 with a reason otherwise. A backend the
 * kernel or this caller lacks, or a form a tracepoint lacks, is reported
 * per case and skipped for that backend, never passed silently.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "feat.h"
#include "trace-prog.h"
#include "access-cases.h"
#include "testutil.h"

#define N_BACKENDS 3
static const enum feat_backend backends[N_BACKENDS] = {
	FEAT_BACKEND_TP_BTF, FEAT_BACKEND_RAW_TP, FEAT_BACKEND_TRACEPOINT
};
/* Program name prefixes in access-cases.bpf.c, by backends[] index. */
static const char *const c_prefix[N_BACKENDS] = { "btf_", "raw_", "classic_" };

/* What the child knows about the event it triggers: value i of the case. */
struct expected {
	bool set[CASE_VALUES];
	long long n[CASE_VALUES];
	char s[CASE_VALUES][CASE_STR];
};

/* Shared with the child (MAP_SHARED): it fills in what it expects. */
struct shared {
	struct expected exp;
	int trigger_err; /* errno of a trigger step that failed, 0 when all went as planned */
	char trigger_what[96];
};

enum value_kind { V_INT, V_STR };

struct value_def {
	const char *classic; /* expression on the classic form, NULL when it has none */
	const char *raw;     /* expression on the raw form (tp_btf and raw_tp) */
	enum value_kind kind;
	/* the forms carry different things under one name (sched_switch's
	 * prev_state: a report bit classic, the raw __state): readers agree
	 * within a form only */
	bool per_form;
};

struct case_def {
	const char *tp;	   /* SYS:NAME */
	const char *prog;  /* the BPF C program's name after its prefix */
	const char *comm;  /* the child's comm while it triggers */
	void (*trigger)(struct shared *sh);
	void (*warm)(void); /* run by the child before it says it is ready */
	/* the case's event among the child's, by the values of a record (NULL:
	 * the first); the BPF C programs apply the same test */
	bool (*select)(bool classic, const long long *n);
	struct value_def v[CASE_VALUES];
	/* A bug of the code under test that makes the tp_btf emitted reader
	 * fail to load: reported, not counted, until it is fixed; then the
	 * entry must go (the case fails while it stays). */
	const char *known_tp_btf;
};

static struct feat_ctx *ctx;
static struct trace_env *env;
static int tracefs_fd = -1;
static char objs[2][512]; /* the classic and the raw BPF C object */
static char *forms_text; /* forms.h as generated at build time */
static bool backend_ok[N_BACKENDS];
static char backend_why[N_BACKENDS][256];

/* --- triggers: run in the child, after the readers are attached --- */

static void expect_n(struct shared *sh, int i, long long n)
{
	sh->exp.set[i] = true;
	sh->exp.n[i] = n;
}

static void expect_s(struct shared *sh, int i, const char *s)
{
	sh->exp.set[i] = true;
	snprintf(sh->exp.s[i], CASE_STR, "%s", s);
}

static void trigger_failed(struct shared *sh, const char *what)
{
	sh->trigger_err = errno ? errno : EIO;
	snprintf(sh->trigger_what, sizeof(sh->trigger_what), "%s", what);
}

static void trigger_signal(struct shared *sh)
{
	expect_n(sh, 0, SIGUSR1);
	expect_n(sh, 1, getpid());
	expect_s(sh, 2, "feat-signal");
	/* group is type != PIDTYPE_PID, and kill() names the thread group;
	 * a blocked signal is queued: TRACE_SIGNAL_DELIVERED, 0
	 * (__send_signal_locked()) */
	expect_n(sh, 3, 1);
	expect_n(sh, 4, 0);
	expect_n(sh, 5, getpid());
	expect_n(sh, 6, SI_USER);
	if (kill(getpid(), SIGUSR1) < 0)
		trigger_failed(sh, "kill");
}

static void trigger_sigqueue(struct shared *sh)
{
	union sigval value = { .sival_int = 4242 };

	expect_n(sh, 0, SIGUSR1);
	expect_n(sh, 1, getpid());
	expect_s(sh, 2, "feat-sigqueue");
	expect_n(sh, 3, 1);	/* rt_sigqueueinfo names the thread group too */
	expect_n(sh, 4, 0);
	expect_n(sh, 5, getpid());
	/* sigqueue(): si_code SI_QUEUE, a negative int, and the value */
	expect_n(sh, 6, SI_QUEUE);
	expect_n(sh, 7, value.sival_int);
	if (sigqueue(getpid(), SIGUSR1, value) < 0)
		trigger_failed(sh, "sigqueue");
}

static void trigger_rename(struct shared *sh)
{
	char adj[16] = "";
	int fd = open("/proc/self/oom_score_adj", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || read(fd, adj, sizeof(adj) - 1) <= 0) {
		trigger_failed(sh, "read /proc/self/oom_score_adj");
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	expect_s(sh, 0, "feat-renamed");
	expect_s(sh, 1, "feat-rename");
	expect_n(sh, 2, getpid());
	expect_n(sh, 3, getppid());
	expect_n(sh, 4, atoi(adj));
	expect_n(sh, 5, 1);	/* warm_rename() asked for it */
	expect_n(sh, 6, "feat-rename"[1]);
	if (prctl(PR_SET_NAME, "feat-renamed") < 0)
		trigger_failed(sh, "prctl(PR_SET_NAME)");
}

/* A bitfield to read: task_struct's sched_reset_on_fork, set by asking
 * for it (sched_setscheduler() with SCHED_RESET_ON_FORK). */
static void warm_rename(void)
{
	struct sched_param param = { .sched_priority = 0 };

	sched_setscheduler(0, SCHED_OTHER | SCHED_RESET_ON_FORK, &param);
}

static const char *true_path(void)
{
	return access("/bin/true", X_OK) == 0 ? "/bin/true" : "/usr/bin/true";
}

static void trigger_exec(struct shared *sh)
{
	const char *path = true_path();

	expect_s(sh, 0, path);
	expect_n(sh, 1, getpid());
	expect_n(sh, 2, getpid());
	execl(path, "true", (char *)NULL);
	trigger_failed(sh, "execl");
}

/* Distinct per child, and certain not to exist. */
static char missing_path[64];

static void trigger_openat(struct shared *sh)
{
	const int flags = O_RDONLY | O_CLOEXEC;
	long r;

	snprintf(missing_path, sizeof(missing_path), "/nonexistent-libfeat-access/openat-%d",
		 (int)getpid());
	/* For syscalls:sys_{enter,exit}_openat: filename, dfd, flags, mode / ret. */
	expect_s(sh, 0, missing_path);
	expect_n(sh, 1, AT_FDCWD);
	expect_n(sh, 2, flags);
	expect_n(sh, 3, 0);
	/* The raw syscall with a 64-bit AT_FDCWD: rdi is then -100 whatever
	 * the C library does with an int argument. */
	r = syscall(SYS_openat, (long)AT_FDCWD, missing_path, (long)flags, 0L);
	if (r >= 0 || errno != ENOENT) {
		errno = r >= 0 ? EEXIST : errno;
		trigger_failed(sh, "openat of a missing path did not fail with ENOENT");
	}
}

static void trigger_sys_enter(struct shared *sh)
{
	trigger_openat(sh);
	/* raw_syscalls:sys_enter: id, arg 1 (si), arg 2 (dx), arg 0 (di) */
	sh->exp.s[0][0] = 0;
	expect_n(sh, 0, SYS_openat);
	expect_n(sh, 1, (long long)(uintptr_t)missing_path);
	expect_n(sh, 2, O_RDONLY | O_CLOEXEC);
	expect_n(sh, 3, AT_FDCWD);
}

static void trigger_sys_exit_openat(struct shared *sh)
{
	trigger_openat(sh);
	memset(&sh->exp, 0, sizeof(sh->exp));
	expect_n(sh, 0, -ENOENT);
}

static void trigger_sys_exit(struct shared *sh)
{
	trigger_openat(sh);
	memset(&sh->exp, 0, sizeof(sh->exp));
	expect_n(sh, 0, SYS_openat);
	expect_n(sh, 1, -ENOENT);
}

static void trigger_nanosleep(struct shared *sh)
{
	static struct timespec ts = { .tv_sec = 0, .tv_nsec = 1234567 };

	/* struct timespec is struct __kernel_timespec on x86-64 */
	expect_n(sh, 0, (long long)(uintptr_t)&ts);
	expect_n(sh, 1, ts.tv_sec);
	expect_n(sh, 2, ts.tv_nsec);
	if (syscall(SYS_nanosleep, &ts, NULL) < 0)
		trigger_failed(sh, "nanosleep");
}

/* The lock file, held by the parent: the child's F_SETLK is refused. */
static int lock_fd = -1;

static void trigger_setlk(struct shared *sh)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	struct stat st;

	if (fstat(lock_fd, &st) < 0) {
		trigger_failed(sh, "fstat");
		return;
	}
	/* fcntl_setlk() traces the refused lock's error */
	expect_n(sh, 0, -EAGAIN);
	expect_n(sh, 1, (long long)st.st_ino);
	expect_n(sh, 2, F_WRLCK);
	expect_n(sh, 3, getpid());
	if (fcntl(lock_fd, F_SETLK, &fl) == 0 || (errno != EAGAIN && errno != EACCES))
		trigger_failed(sh, "F_SETLK on a locked file did not fail with EAGAIN");
}

static void trigger_oom_adj(struct shared *sh)
{
	/* up, not down: below oom_score_adj_min needs CAP_SYS_RESOURCE
	 * (__set_oom_adj()), which this machine's root lacks */
	static const char adj[] = "345\n";
	int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);

	expect_n(sh, 0, 345);
	expect_n(sh, 1, getpid());
	expect_s(sh, 2, "feat-oom");
	if (fd < 0 || write(fd, adj, sizeof(adj) - 1) != (ssize_t)(sizeof(adj) - 1))
		trigger_failed(sh, "write /proc/self/oom_score_adj");
	if (fd >= 0)
		close(fd);
}

/* Before go: the same calls once, so that no page fault of the child's
 * (its text and libc's are mapped lazily after fork) takes the mmap lock
 * for reading among the events. */
static void warm_mmap(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p != MAP_FAILED)
		munmap(p, 4096);
}

static void trigger_mmap(struct shared *sh)
{
	void *p;

	/* mmap() takes the mmap lock for writing, and gets it */
	expect_n(sh, 0, 1);
	expect_n(sh, 1, 1);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		trigger_failed(sh, "mmap");
}

static void trigger_sleep(struct shared *sh)
{
	struct timespec ts = { .tv_nsec = 2 * 1000 * 1000 };

	/* A task that blocks in nanosleep switches out voluntarily: preempt
	 * is false (__schedule(SM_NONE)). */
	expect_n(sh, 0, 0);
	expect_n(sh, 1, getpid());
	expect_s(sh, 2, "feat-switch");
	expect_n(sh, 3, getppid());
	nanosleep(&ts, NULL);
}

static void trigger_clone(struct shared *sh)
{
	long pid;

	/* A raw clone: the clone syscall puts the exit signal in
	 * kernel_clone_args.exit_signal, not in the flags task_newtask
	 * traces; CLONE_FS is all of them. */
	pid = syscall(SYS_clone, (long)(CLONE_FS | SIGCHLD), 0L, 0L, 0L, 0L);
	if (pid == 0)
		_exit(0);
	if (pid < 0) {
		trigger_failed(sh, "clone");
		return;
	}
	waitpid((pid_t)pid, NULL, 0);
	expect_n(sh, 0, pid);
	expect_n(sh, 1, CLONE_FS);
	expect_s(sh, 2, "feat-clone");
	expect_n(sh, 3, getpid());
}

static void trigger_fork_event(struct shared *sh)
{
	struct expected e;

	trigger_clone(sh);
	/* sched_process_fork: parent pid, child pid, parent comm */
	e = sh->exp;
	memset(&sh->exp, 0, sizeof(sh->exp));
	expect_n(sh, 0, getpid());
	expect_n(sh, 1, e.n[0]);
	expect_s(sh, 2, "feat-clone");
}

/* --- the cases --- */

#define I(c, r) { c, r, V_INT, false }
#define S(c, r) { c, r, V_STR, false }

/* raw_syscalls: the openat among the child's syscalls */
static bool select_openat(bool classic, const long long *n)
{
	(void)classic;
	return n[0] == SYS_openat;
}

/* sched_switch: the switch out of nanosleep, not a preemption before it:
 * classic prev_state 1 is "S" (__trace_sched_switch_state(): 1 << the
 * state index), raw prev_state is prev->__state, TASK_INTERRUPTIBLE set. */
static bool select_sleep(bool classic, const long long *n)
{
	return classic ? n[4] == 1 : (n[4] & 1) != 0;
}

static const struct case_def cases[] = {
	{ "signal:signal_generate", "signal_generate", "feat-signal", trigger_signal, NULL, NULL,
	  { I("$sig", "$sig"), I("$pid", "$task->pid"), S("$comm", "$task->comm"),
	    I("$group", "$group"), I("$result", "$result"), I(NULL, "$task->tgid"),
	    I("$code", NULL) } },
	/* a member of an anonymous struct; a chain through two unions */
	{ "signal:signal_generate", "signal_generate", "feat-sigqueue", trigger_sigqueue, NULL, NULL,
	  { I("$sig", "$sig"), I("$pid", "$task->pid"), S("$comm", "$task->comm"),
	    I("$group", "$group"), I("$result", "$result"), I(NULL, "$task->tgid"),
	    /* tp_btf: info is a pointer btf_ctx_access() keeps a scalar (it
	     * may be SEND_SIG_PRIV, (struct kernel_siginfo *)1): the access
	     * code must read behind it with the helper */
	    I("$code", "$info->si_code"), I(NULL, "$info->_sifields._rt._sigval.sival_int") } },
	{ "task:task_rename", "task_rename", "feat-rename", trigger_rename, warm_rename, NULL,
	  { S("$newcomm", "$comm"), S("$oldcomm", "$task->comm"), I("$pid", "$task->pid"),
	    /* two hops */
	    I(NULL, "$task->real_parent->tgid"),
	    I("$oom_score_adj", "$task->signal->oom_score_adj"),
	    /* a bitfield; an element of a char array */
	    I(NULL, "$task->sched_reset_on_fork"), I("$oldcomm[1]", "$task->comm[1]") } },
	{ "sched:sched_process_exec", "sched_process_exec", "feat-exec", trigger_exec, NULL, NULL,
	  { S("$filename", "$bprm->filename"), I("$pid", "$p->pid"),
	    I("$old_pid", "$old_pid") } },
	/* syscalls:* have no raw form: their raw twin is the next case */
	{ "syscalls:sys_enter_openat", "sys_enter_openat", "feat-openat", trigger_openat, NULL, NULL,
	  { S("$filename", NULL), I("$dfd", NULL), I("$flags", NULL), I("$mode", NULL) } },
	/* a user-space struct behind a syscall's pointer */
	{ "syscalls:sys_enter_nanosleep", "sys_enter_nanosleep", "feat-nanosleep", trigger_nanosleep,
	  NULL, NULL, { I("$rqtp", NULL), I("$rqtp->tv_sec", NULL), I("$rqtp->tv_nsec", NULL) } },
	{ "raw_syscalls:sys_enter", "sys_enter", "feat-openat", trigger_sys_enter, NULL, select_openat,
	  { I("$id", "$id"), I("$args[1]", "$regs->si"), I("$args[2]", "$regs->dx"),
	    I("$args[0]", "$regs->di") } },
	{ "syscalls:sys_exit_openat", "sys_exit_openat", "feat-openat", trigger_sys_exit_openat, NULL,
	  NULL, { I("$ret", NULL) } },
	{ "raw_syscalls:sys_exit", "sys_exit", "feat-openat", trigger_sys_exit, NULL, select_openat,
	  { I("$id", "$regs->orig_ax"), I("$ret", "$ret") } },
	/* a negative int argument, zero-extended into its raw slot */
	{ "filelock:fcntl_setlk", "fcntl_setlk", "feat-setlk", trigger_setlk, NULL, NULL,
	  { I("$ret", "$ret"), I("$i_ino", "$inode->i_ino"), I("$type", "$fl->c.flc_type"),
	    I("$pid", "$fl->c.flc_pid") } },
	{ "oom:oom_score_adj_update", "oom_score_adj_update", "feat-oom", trigger_oom_adj, NULL, NULL,
	  { I("$oom_score_adj", "$task->signal->oom_score_adj"), I("$pid", "$task->pid"),
	    S("$comm", "$task->comm") } },
	/* bools, true */
	{ "mmap_lock:mmap_lock_acquire_returned", "mmap_lock_acquire_returned", "feat-mmap",
	  trigger_mmap, warm_mmap, NULL, { I("$write", "$write"), I("$success", "$success") } },
	/* a bool, false; two hops */
	{ "sched:sched_switch", "sched_switch", "feat-switch", trigger_sleep, NULL, select_sleep,
	  { I(NULL, "$preempt"), I("$prev_pid", "$prev->pid"), S("$prev_comm", "$prev->comm"),
	    I(NULL, "$prev->real_parent->pid"),
	    { "$prev_state", "$prev_state", V_INT, true } } },
	{ "task:task_newtask", "task_newtask", "feat-clone", trigger_clone, NULL, NULL,
	  { I("$pid", "$task->pid"), I("$clone_flags", "$clone_flags"), S("$comm", "$task->comm"),
	    I(NULL, "$task->real_parent->tgid") } },
	{ "sched:sched_process_fork", "sched_process_fork", "feat-clone", trigger_fork_event, NULL, NULL,
	  { I("$parent_pid", "$parent->pid"), I("$child_pid", "$child->pid"),
	    S("$parent_comm", "$parent->comm") } },
};

#define N_CASES (sizeof(cases) / sizeof(cases[0]))

/* --- what each reader saw --- */

struct seen {
	bool ran;	/* the reader was attached */
	bool got;	/* it recorded the case's event */
	bool has[CASE_VALUES];
	long long n[CASE_VALUES];
	char s[CASE_VALUES][CASE_STR];
};

/* A trace-prog reader and where its values go. */
struct emitted {
	const struct case_def *c;
	bool classic;
	struct trace_prog *prog;
	int index[CASE_VALUES]; /* value i is record value index[i], -1 when not read */
	struct seen seen;
	unsigned int records;
};

static int on_record(void *data, const struct trace_record *rec)
{
	struct emitted *em = data;

	em->records++;
	if (em->seen.got)
		return 0;
	if (em->c->select) {
		long long n[CASE_VALUES] = { 0 };

		for (int i = 0; i < CASE_VALUES; i++)
			if (em->index[i] >= 0)
				n[i] = rec->values[em->index[i]].i;
		if (!em->c->select(em->classic, n))
			return 0;
	}
	em->seen.got = true;
	for (int i = 0; i < CASE_VALUES; i++) {
		const struct trace_value *v;

		if (em->index[i] < 0)
			continue;
		v = &rec->values[em->index[i]];
		em->seen.has[i] = true;
		em->seen.n[i] = v->i;
		if (v->str)
			snprintf(em->seen.s[i], CASE_STR, "%s", v->str);
	}
	return 0;
}

static const char *expr_of(const struct value_def *v, int b)
{
	return backends[b] == FEAT_BACKEND_TRACEPOINT ? v->classic : v->raw;
}

/* Build, load and attach the emitted reader of backend b; NULL prog on failure (reported). */
static bool emitted_start(struct emitted *em, const struct case_def *c, const struct feat_layout *l,
			  int b, pid_t child, char *why, size_t why_size)
{
	/* raw_tp's records go through a perf buffer, the others' through a ring
	 * buffer: both of trace-prog's outputs carry real values in every case */
	struct trace_prog_opts o = { .sz = sizeof(o), .tgid = child, .on_record = on_record,
				     .data = em, .buffer_size = 64 * 1024,
				     .flags = backends[b] == FEAT_BACKEND_RAW_TP ? TRACE_PROG_F_PERF_BUFFER
										  : 0 };
	char reason[256];
	int r;

	memset(em, 0, sizeof(*em));
	em->c = c;
	em->classic = backends[b] == FEAT_BACKEND_TRACEPOINT;
	for (int i = 0; i < CASE_VALUES; i++)
		em->index[i] = -1;
	r = trace_prog_new(env, l, backends[b], &o, &em->prog);
	if (r < 0) {
		snprintf(why, why_size, "trace_prog_new: %s", strerror(-r));
		return false;
	}
	for (int i = 0; i < CASE_VALUES; i++) {
		const char *e = expr_of(&c->v[i], b);

		if (!e)
			continue;
		r = trace_prog_add(em->prog, e);
		if (r < 0) {
			snprintf(why, why_size, "%s: %s (%s)", e, strerror(-r),
				 trace_prog_error(em->prog));
			return false;
		}
		em->index[i] = r;
	}
	r = trace_prog_load(em->prog);
	if (r < 0) {
		snprintf(why, why_size, "load: %s: %s", strerror(-r),
			 trace_prog_log_reason(em->prog, reason, sizeof(reason)));
		return false;
	}
	r = trace_prog_attach(em->prog);
	if (r < 0) {
		snprintf(why, why_size, "attach: %s (%s)", strerror(-r), trace_prog_error(em->prog));
		return false;
	}
	printf("  %-8s emitted reader: %zu values, output %s\n", feat_backend_name(backends[b]),
	       trace_prog_count(em->prog), trace_prog_output(em->prog));
	em->seen.ran = true;
	return true;
}

/* A hand-written C reader: its object, its link and its .bss. */
struct c_reader {
	struct bpf_object *obj;
	struct bpf_link *link;
	int bss_fd;
	struct case_out out; /* the .bss: its one value */
	struct seen seen;
};

static int perf_event_tracepoint(const char *tp)
{
	struct perf_event_attr attr = { .size = sizeof(attr), .type = PERF_TYPE_TRACEPOINT,
					.sample_period = 1, .wakeup_events = 1 };
	char path[256], buf[32] = "";
	const char *colon = strchr(tp, ':');
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "events/%.*s/%s/id", (int)(colon - tp), tp, colon + 1);
	fd = openat(tracefs_fd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	attr.config = strtoull(buf, NULL, 10);
	/* One perf event (pid -1, cpu 0) runs the program on every CPU: the
	 * program hangs off the tracepoint's trace_event_call. */
	fd = (int)syscall(SYS_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* Why forms.h lacks a form of @tp: the line the build wrote, if any. */
static const char *forms_why(const char *tp)
{
	static char line[400];
	char key[128];
	const char *p;

	snprintf(key, sizeof(key), "/* %s: featprobe layout failed", tp);
	p = forms_text ? strstr(forms_text, key) : NULL;
	if (!p)
		return forms_text ? "forms.h has the form, the program is missing"
				  : "forms.h could not be read";
	snprintf(line, sizeof(line), "%.*s", (int)strcspn(p, "\n"), p);
	return line;
}

static bool c_start(struct c_reader *cr, const struct case_def *c, int b, pid_t child,
		    char *why, size_t why_size)
{
	const char *file = objs[backends[b] == FEAT_BACKEND_TRACEPOINT ? 0 : 1];
	struct bpf_program *p, *mine = NULL;
	struct bpf_map *bss = NULL, *m;
	const unsigned int zero = 0;
	char name[96];
	int r;

	memset(cr, 0, sizeof(*cr));
	snprintf(name, sizeof(name), "%s%s", c_prefix[b], c->prog);
	cr->obj = bpf_object__open_file(file, NULL);
	if (!cr->obj) {
		snprintf(why, why_size, "bpf_object__open_file %s: %s", file, strerror(errno));
		return false;
	}
	/* only this case's program of this backend is loaded */
	bpf_object__for_each_program(p, cr->obj) {
		bool me = strcmp(bpf_program__name(p), name) == 0;

		bpf_program__set_autoload(p, me);
		if (me)
			mine = p;
	}
	if (!mine) {
		snprintf(why, why_size, "no program %s in %s: %s", name, file, forms_why(c->tp));
		return false;
	}
	r = bpf_object__load(cr->obj);
	if (r < 0) {
		snprintf(why, why_size, "bpf_object__load %s: %s", name, strerror(-r));
		return false;
	}
	bpf_object__for_each_map(m, cr->obj)
		if (strstr(bpf_map__name(m), ".bss"))
			bss = m;
	/* libbpf 1.1 maps global data into the kernel's map only for
	 * skeletons: go through the map itself (one value, key 0). */
	if (!bss || bpf_map__value_size(bss) < sizeof(cr->out)) {
		snprintf(why, why_size, "no .bss of %zu bytes in %s", sizeof(cr->out), file);
		return false;
	}
	cr->bss_fd = bpf_map__fd(bss);
	cr->out.target_tgid = (unsigned int)child;
	if (bpf_map_update_elem(cr->bss_fd, &zero, &cr->out, BPF_ANY) < 0) {
		snprintf(why, why_size, "setting the target in .bss: %s", strerror(errno));
		return false;
	}
	if (backends[b] == FEAT_BACKEND_TRACEPOINT) {
		int pfd = perf_event_tracepoint(c->tp);

		if (pfd < 0) {
			snprintf(why, why_size, "perf_event_open %s: %s", c->tp, strerror(-pfd));
			return false;
		}
		cr->link = bpf_program__attach_perf_event(mine, pfd);
		if (!cr->link)
			close(pfd);
	} else if (backends[b] == FEAT_BACKEND_RAW_TP) {
		cr->link = bpf_program__attach_raw_tracepoint(mine, strchr(c->tp, ':') + 1);
	} else {
		cr->link = bpf_program__attach_trace(mine);
	}
	if (!cr->link) {
		snprintf(why, why_size, "attach %s: %s", name, strerror(errno));
		return false;
	}
	cr->seen.ran = true;
	return true;
}

static void c_collect(struct c_reader *cr, const struct case_def *c, int b)
{
	const unsigned int zero = 0;

	if (!cr->seen.ran)
		return;
	if (bpf_map_lookup_elem(cr->bss_fd, &zero, &cr->out) < 0) {
		printf("  FAIL reading the C program's .bss: %s\n", strerror(errno));
		return;
	}
	if (!cr->out.hits)
		return;
	cr->seen.got = true;
	for (int i = 0; i < CASE_VALUES; i++) {
		if (!expr_of(&c->v[i], b))
			continue;
		cr->seen.has[i] = true;
		cr->seen.n[i] = cr->out.v[i].n;
		memcpy(cr->seen.s[i], cr->out.v[i].s, CASE_STR);
		cr->seen.s[i][CASE_STR - 1] = 0;
	}
}

static void c_stop(struct c_reader *cr)
{
	bpf_link__destroy(cr->link);
	bpf_object__close(cr->obj);
	cr->link = NULL;
	cr->obj = NULL;
}

/* --- comparing --- */

static void value_text(const struct seen *s, const struct value_def *v, int i, char *buf,
		       size_t size)
{
	if (v->kind == V_STR)
		snprintf(buf, size, "\"%s\"", s->s[i]);
	else
		snprintf(buf, size, "%lld", s->n[i]);
}

static bool same(const struct seen *a, const struct seen *b, const struct value_def *v, int i)
{
	return v->kind == V_STR ? strcmp(a->s[i], b->s[i]) == 0 : a->n[i] == b->n[i];
}

/* Set while the comparison checks itself (no output). */
static bool quiet;

/* One reader against the expected values; prints every value. */
static unsigned int check_reader(const char *who, const struct seen *s, const struct case_def *c,
				 int b, const struct seen *exp)
{
	unsigned int bad = 0;
	char got[CASE_STR + 8], want[CASE_STR + 8];

	if (!s->got) {
		if (!quiet)
			printf("  FAIL %-8s %s: no event recorded\n", feat_backend_name(backends[b]), who);
		return 1;
	}
	for (int i = 0; i < CASE_VALUES; i++) {
		const char *e = expr_of(&c->v[i], b);

		if (!e || !s->has[i])
			continue;
		value_text(s, &c->v[i], i, got, sizeof(got));
		if (quiet) {
			bad += exp->has[i] && !same(s, exp, &c->v[i], i);
			continue;
		}
		if (!exp->has[i]) {
			printf("  %-12s %-8s %-28s = %s\n", who, feat_backend_name(backends[b]), e, got);
			continue;
		}
		value_text(exp, &c->v[i], i, want, sizeof(want));
		if (same(s, exp, &c->v[i], i)) {
			printf("  %-12s %-8s %-28s = %s\n", who, feat_backend_name(backends[b]), e, got);
		} else {
			printf("  FAIL %-7s %-8s %-28s = %s, expected %s\n", who,
			       feat_backend_name(backends[b]), e, got, want);
			bad++;
		}
	}
	return bad;
}

/* Every reader of the event must agree on every value it read (within a
 * form for a per-form value). */
static unsigned int check_agreement(const struct case_def *c, const struct seen *seen,
				    const char *const *who)
{
	unsigned int bad = 0;
	char a[CASE_STR + 8], z[CASE_STR + 8];

	for (int i = 0; i < CASE_VALUES; i++) {
		int first[2] = { -1, -1 };

		for (int k = 0; k < 2 * N_BACKENDS; k++) {
			bool classic = backends[k % N_BACKENDS] == FEAT_BACKEND_TRACEPOINT;
			int *f = &first[c->v[i].per_form && classic];

			if (!seen[k].got || !seen[k].has[i])
				continue;
			if (*f < 0) {
				*f = k;
				continue;
			}
			if (same(&seen[*f], &seen[k], &c->v[i], i))
				continue;
			value_text(&seen[*f], &c->v[i], i, a, sizeof(a));
			value_text(&seen[k], &c->v[i], i, z, sizeof(z));
			printf("  FAIL disagreement on value %d: %s %s read %s, %s %s read %s\n", i,
			       who[*f], feat_backend_name(backends[*f % N_BACKENDS]), a, who[k],
			       feat_backend_name(backends[k % N_BACKENDS]), z);
			bad++;
		}
	}
	return bad;
}

/*
 * The comparison checks itself: each expected value changed in turn must
 * be caught by every reader that read it, or a pass would prove nothing.
 */
static unsigned int check_control(const struct case_def *c, const struct seen *seen,
				  const struct seen *exp)
{
	unsigned int missed = 0, caught = 0;

	quiet = true;
	for (int i = 0; i < CASE_VALUES; i++) {
		struct seen wrong = *exp;

		if (!exp->has[i])
			continue;
		if (c->v[i].kind == V_STR)
			wrong.s[i][0] ^= 0x20;
		else
			wrong.n[i] ^= 1;
		for (int k = 0; k < 2 * N_BACKENDS; k++) {
			if (!seen[k].got || !seen[k].has[i])
				continue;
			if (check_reader("", &seen[k], c, k % N_BACKENDS, &wrong))
				caught++;
			else
				missed++;
		}
	}
	quiet = false;
	printf("  control: %u changed expectations caught, %u missed\n", caught, missed);
	return missed;
}

/* --- one case: one child, every reader attached to its one event --- */

static pid_t child_start(int go[2], int ready[2])
{
	if (pipe2(go, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(ready, O_CLOEXEC) < 0) {
		close(go[0]);
		close(go[1]);
		return -1;
	}
	return fork();
}

static void child_run(const struct case_def *c, struct shared *sh, int go[2], int ready[2])
{
	sigset_t set;
	char byte = 'r';

	close(go[1]);
	close(ready[0]);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (prctl(PR_SET_NAME, c->comm) < 0)
		trigger_failed(sh, "prctl");
	/* Touch what the trigger writes now, so that no page fault of the
	 * child's lands among its events. */
	memset(&sh->exp, 0, sizeof(sh->exp));
	if (c->warm)
		c->warm();
	/* Ready: nothing of the setup (the rename above) may reach a reader. */
	if (write(ready[1], &byte, 1) != 1 || read(go[0], &byte, 1) != 1)
		_exit(2);
	c->trigger(sh);
	_exit(0);
}

START_TEST(test_case)
{
	const struct case_def *c = &cases[_i];
	struct emitted em[N_BACKENDS];
	struct c_reader cr[N_BACKENDS];
	struct seen seen[2 * N_BACKENDS], exp = { 0 };
	const char *who[2 * N_BACKENDS];
	struct feat_layout *l = NULL;
	struct shared *sh;
	unsigned int bad = 0, ran = 0;
	int go[2], ready[2], status, r;
	char byte;
	pid_t child;
	char why[512];

	printf("%s (%s):\n", c->tp, c->comm);
	r = feat_layout_resolve(ctx, c->tp, FEAT_FORM_BOTH, &l);
	if (r == -ENOENT) {
		printf("  SKIP %s: no such tracepoint on this kernel\n", c->tp);
		return;
	}
	ck_assert_msg(r == 0, "feat_layout_resolve %s: %s", c->tp, strerror(-r));
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(sh, MAP_FAILED);
	memset(sh, 0, sizeof(*sh));

	child = child_start(go, ready);
	ck_assert_int_ge(child, 0);
	if (child == 0)
		child_run(c, sh, go, ready);
	close(go[0]);
	close(ready[1]);
	if (read(ready[0], &byte, 1) != 1) {
		printf("  FAIL the child did not get ready\n");
		bad++;
	}
	close(ready[0]);

	for (int b = 0; b < N_BACKENDS; b++) {
		enum feat_form form = backends[b] == FEAT_BACKEND_TRACEPOINT ? FEAT_FORM_CLASSIC
									     : FEAT_FORM_RAW;

		memset(&em[b], 0, sizeof(em[b]));
		memset(&cr[b], 0, sizeof(cr[b]));
		if (!backend_ok[b]) {
			printf("  SKIP %-8s: backend not usable here: %s\n",
			       feat_backend_name(backends[b]), backend_why[b]);
			continue;
		}
		if (!feat_layout_has(l, form)) {
			printf("  SKIP %-8s: no %s form: %s\n", feat_backend_name(backends[b]),
			       form == FEAT_FORM_RAW ? "raw" : "classic", feat_layout_missing(l, form));
			continue;
		}
		ran++;
		if (!emitted_start(&em[b], c, l, b, child, why, sizeof(why))) {
			if (c->known_tp_btf && backends[b] == FEAT_BACKEND_TP_BTF) {
				printf("  KNOWN BUG %s emitted code: %s: %s\n",
				       feat_backend_name(backends[b]), why, c->known_tp_btf);
			} else {
				printf("  FAIL %-8s emitted code: %s\n", feat_backend_name(backends[b]),
				       why);
				bad++;
			}
		} else if (c->known_tp_btf && backends[b] == FEAT_BACKEND_TP_BTF) {
			printf("  FAIL %-8s the known bug is gone (%s): remove known_tp_btf from this case\n",
			       feat_backend_name(backends[b]), c->known_tp_btf);
			bad++;
		}
		if (!objs[0][0]) {
			printf("  SKIP %-8s C program: the BPF objects were not built (no clang at configure time)\n",
			       feat_backend_name(backends[b]));
		} else if (!c_start(&cr[b], c, b, child, why, sizeof(why))) {
			printf("  FAIL %-8s C program: %s\n", feat_backend_name(backends[b]), why);
			bad++;
		}
	}

	/* go: the child triggers the event and exits */
	if (write(go[1], "g", 1) != 1)
		kill(child, SIGKILL);
	close(go[1]);
	if (waitpid(child, &status, 0) != child)
		status = -1;
	if (sh->trigger_err) {
		printf("  FAIL trigger: %s: %s\n", sh->trigger_what, strerror(sh->trigger_err));
		bad++;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		printf("  FAIL the child ended with status %#x\n", status);
		bad++;
	}

	for (int i = 0; i < CASE_VALUES; i++) {
		exp.has[i] = sh->exp.set[i];
		exp.n[i] = sh->exp.n[i];
		memcpy(exp.s[i], sh->exp.s[i], CASE_STR);
	}
	for (int b = 0; b < N_BACKENDS; b++) {
		if (em[b].seen.ran) {
			/* the child has exited: its records are all in the buffer */
			r = trace_prog_drain(em[b].prog);
			if (r < 0)
				printf("  FAIL %s: trace_prog_drain: %s\n", feat_backend_name(backends[b]),
				       strerror(-r));
		}
		c_collect(&cr[b], c, b);
		seen[b] = em[b].seen;
		seen[N_BACKENDS + b] = cr[b].seen;
		who[b] = "emitted";
		who[N_BACKENDS + b] = "C";
	}
	for (int b = 0; b < N_BACKENDS; b++) {
		if (em[b].seen.ran)
			bad += check_reader("emitted", &em[b].seen, c, b, &exp);
		if (cr[b].seen.ran)
			bad += check_reader("C", &cr[b].seen, c, b, &exp);
	}
	bad += check_agreement(c, seen, who);
	if (!bad)
		bad += check_control(c, seen, &exp);
	for (int b = 0; b < N_BACKENDS; b++) {
		trace_prog_free(em[b].prog);
		c_stop(&cr[b]);
	}
	munmap(sh, sizeof(*sh));
	feat_layout_free(l);
	if (!ran)
		printf("  SKIP %s: no backend has a form of it here\n", c->tp);
	printf("  %s: %s\n", c->tp, bad ? "FAILED" : ran ? "ok" : "skipped");
	fflush(stdout);
	ck_assert_msg(bad == 0, "%s: %u mismatches (see above)", c->tp, bad);
}
END_TEST

static void find_objects(void)
{
	const char *top = getenv("top_builddir");
	static const char *const name[2] = { "classic", "raw" };
	char path[600];
	FILE *f;

	for (int k = 0; k < 2; k++) {
		snprintf(objs[k], sizeof(objs[k]), "%s/tests/access/bpf-progs/access-cases.%s.bpf.o",
			 top && *top ? top : ".", name[k]);
		if (access(objs[k], R_OK) != 0) {
			printf("C programs: %s not built (%s): the C side is skipped\n", objs[k],
			       strerror(errno));
			objs[0][0] = 0;
			return;
		}
	}
	printf("C programs: %s, %s\n", objs[0], objs[1]);
	/* kept to say why a program is missing */
	snprintf(path, sizeof(path), "%s/tests/access/bpf-progs/forms.h", top && *top ? top : ".");
	f = fopen(path, "r");
	if (f) {
		size_t cap = 1 << 20, len;

		forms_text = calloc(1, cap);
		len = forms_text ? fread(forms_text, 1, cap - 1, f) : 0;
		if (forms_text)
			forms_text[len] = 0;
		fclose(f);
	}
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
	struct trace_env_opts eo = { .sz = sizeof(eo), .close_threads = 4 };
	const struct feat_result *res;
	Suite *s;
	TCase *tc;
	int failed, r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	fds_at_start = count_fds();
	if (geteuid() != 0)
		test_skip("not root: loading and attaching tracing programs needs CAP_BPF and CAP_PERFMON");
	if (SYS_openat != CASE_NR_OPENAT)
		test_skip("not x86-64: the cases name x86-64 pt_regs members");
	ctx = feat_new(NULL);
	if (!ctx)
		test_skip("feat_new: %s", strerror(errno));
	res = feat_probe(ctx, FEAT_BPF);
	if (res->state != FEAT_YES)
		test_skip("BPF not usable: %s", res->detail);
	for (int b = 0; b < N_BACKENDS; b++) {
		res = feat_probe(ctx, probe_of[b]);
		backend_ok[b] = res->state == FEAT_YES;
		snprintf(backend_why[b], sizeof(backend_why[b]), "%s %s: %s",
			 feat_backend_name(backends[b]), feat_state_name(res->state), res->detail);
		printf("backend %s\n", backend_why[b]);
	}
	tracefs_fd = feat_tracefs_open(ctx);
	if (tracefs_fd < 0)
		printf("no tracefs (%s): the classic backend is skipped\n", strerror(-tracefs_fd));
	if (tracefs_fd < 0)
		backend_ok[2] = false;
	r = trace_env_new(ctx, &eo, &env);
	if (r < 0)
		test_skip("trace_env_new: %s", strerror(-r));
	find_objects();

	/* The lock the fcntl_setlk child is refused: held by this process on
	 * a memfd (a shmem inode: st_ino is its i_ino). */
	lock_fd = (int)syscall(SYS_memfd_create, "feat-access-lock", 0U);
	if (lock_fd >= 0) {
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

		if (fcntl(lock_fd, F_SETLK, &fl) < 0)
			test_skip("F_SETLK on a memfd: %s", strerror(errno));
	} else {
		test_skip("memfd_create: %s", strerror(errno));
	}

	s = suite_create("access-cases");
	tc = tcase_create("cases");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_case, 0, (int)N_CASES);
	suite_add_tcase(s, tc);
	/* No fork: the environment's closer threads must stay with it. */
	failed = test_run_suite(s, CK_NOFORK);
	trace_env_free(env);
	close(lock_fd);
	close(tracefs_fd);
	feat_unref(ctx);
	free(forms_text);
	fds_at_end = count_fds();
	printf("fds: %d at the start, %d at the end\n", fds_at_start, fds_at_end);
	if (fds_at_end != fds_at_start)
		return EXIT_FAILURE;
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
