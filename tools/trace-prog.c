// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * trace-prog: the access code of N expressions assembled into one program
 * that records their values per event (trace-prog.h shows its shape).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "feat-internal.h"
#include "trace-prog.h"

#define STR_SIZE_DEFAULT 64u
/* R10 - 8: the scratch bytes; the string buffer sits below them. */
#define SCRATCH_OFF (-8)
#define STACK_MAX 512
/* A per-CPU array value: pcpu_alloc() refuses more than PCPU_MIN_UNIT_SIZE. */
#define RECORD_MAX (32 * 1024 - 8)
#define HEADER_SIZE 16
#define RINGBUF_DEFAULT (256 * 1024)
#define PERF_PAGES_DEFAULT 16
#define LOG_SIZE (1024 * 1024)
/* Fds waiting for a closer: past this, env_close() waits, so that a fast
 * loop cannot pile up more open perf events than RLIMIT_NOFILE allows. */
#define CLOSE_QUEUE_MAX 256

#define ROUND8(x) (((x) + 7u) & ~7u)

struct trace_env {
	struct feat_ctx *ctx;
	struct btf *vmlinux;
	int vmlinux_err;
	int tracefs_fd;

	/* For TRACE_PROG_F_DESCENDANTS: where task_struct keeps them, and
	 * the helper that reads kernel memory. */
	int task_err;
	uint32_t off_real_parent, off_tgid;
	int probe_read;
	/* lockdown=confidentiality withdraws probe_read: walk with BTF-typed
	 * loads from bpf_get_current_task_btf() instead (its id here). */
	int current_task_btf;

	/* Background closers: fds queued, closed by a pool of threads. */
	pthread_mutex_t lock;
	pthread_cond_t more;	/* a fd was queued, or stop */
	pthread_cond_t idle;	/* the queue emptied and nothing is closing */
	pthread_cond_t room;	/* the queue fell below CLOSE_QUEUE_MAX */
	int *queue;
	size_t queued, queue_cap, busy;
	bool stop;
	unsigned int n_threads;
	pthread_t *threads;
};

struct trace_slot {
	char *expr;
	struct feat_access *access;
	unsigned int offset;	/* in the record */
	unsigned int size;	/* bytes in the record: 8, or the string's */
};

struct trace_prog {
	struct trace_env *env;
	const struct feat_layout *layout;
	const struct feat_tracepoint *tp;
	enum feat_backend backend;
	struct trace_prog_opts opts;
	unsigned int str_size;	/* opts.str_size with its default */
	int str_off;

	struct trace_slot *slots;
	size_t n_slots;
	unsigned int record_size;

	struct bpf_insn *insns;
	size_t n_insns, insns_cap;
	int insns_err;

	int record_fd;		/* BPF_MAP_TYPE_PERCPU_ARRAY */
	int out_fd;		/* RINGBUF or PERF_EVENT_ARRAY */
	bool perf_out;
	int prog_fd;
	int attach_fd;		/* raw tracepoint link, or perf event */
	struct ring_buffer *rb;
	struct perf_buffer *pb;
	uint64_t perf_lost;

	/* Decoding. */
	struct trace_value *values;
	char *strings;
	int delivered;
	bool stopped;

	char *log;
	char err[512];
};

/* --- the closers --- */

static void *closer_main(void *arg)
{
	struct trace_env *env = arg;

	pthread_mutex_lock(&env->lock);
	for (;;) {
		int fd;

		while (!env->queued && !env->stop)
			pthread_cond_wait(&env->more, &env->lock);
		if (!env->queued)
			break;
		fd = env->queue[--env->queued];
		env->busy++;
		pthread_cond_signal(&env->room);
		pthread_mutex_unlock(&env->lock);
		close(fd);
		pthread_mutex_lock(&env->lock);
		env->busy--;
		if (!env->queued && !env->busy)
			pthread_cond_broadcast(&env->idle);
	}
	pthread_mutex_unlock(&env->lock);
	return NULL;
}

/* Close @fd now, or hand it to a closer. */
static void env_close(struct trace_env *env, int fd)
{
	if (fd < 0)
		return;
	if (!env->n_threads) {
		close(fd);
		return;
	}
	pthread_mutex_lock(&env->lock);
	while (env->queued >= CLOSE_QUEUE_MAX)
		pthread_cond_wait(&env->room, &env->lock);
	if (env->queued == env->queue_cap) {
		size_t cap = env->queue_cap ? 2 * env->queue_cap : 64;
		int *q = realloc(env->queue, cap * sizeof(*q));

		if (!q) {
			pthread_mutex_unlock(&env->lock);
			close(fd);
			return;
		}
		env->queue = q;
		env->queue_cap = cap;
	}
	env->queue[env->queued++] = fd;
	pthread_cond_signal(&env->more);
	pthread_mutex_unlock(&env->lock);
}

void trace_env_wait(struct trace_env *env)
{
	if (!env || !env->n_threads)
		return;
	pthread_mutex_lock(&env->lock);
	while (env->queued || env->busy)
		pthread_cond_wait(&env->idle, &env->lock);
	pthread_mutex_unlock(&env->lock);
}

void trace_env_free(struct trace_env *env)
{
	if (!env)
		return;
	if (env->n_threads) {
		pthread_mutex_lock(&env->lock);
		env->stop = true;
		pthread_cond_broadcast(&env->more);
		pthread_mutex_unlock(&env->lock);
		for (unsigned int i = 0; i < env->n_threads; i++)
			pthread_join(env->threads[i], NULL);
	}
	pthread_mutex_destroy(&env->lock);
	pthread_cond_destroy(&env->more);
	pthread_cond_destroy(&env->idle);
	pthread_cond_destroy(&env->room);
	free(env->threads);
	free(env->queue);
	btf__free(env->vmlinux);
	if (env->tracefs_fd >= 0)
		close(env->tracefs_fd);
	feat_unref(env->ctx);
	free(env);
}

int trace_env_new(struct feat_ctx *ctx, const struct trace_env_opts *opts,
		  struct trace_env **envp)
{
	unsigned int n = opts ? opts->close_threads : 0;
	struct trace_env *env;

	*envp = NULL;
	if (!ctx)
		return -EINVAL;
	if (feat_is_offline(ctx))
		return -ENODEV;
	env = calloc(1, sizeof(*env));
	if (!env)
		return -ENOMEM;
	env->ctx = feat_ref(ctx);
	env->tracefs_fd = -1;
	pthread_mutex_init(&env->lock, NULL);
	pthread_cond_init(&env->more, NULL);
	pthread_cond_init(&env->idle, NULL);
	pthread_cond_init(&env->room, NULL);
	if (n) {
		env->threads = calloc(n, sizeof(*env->threads));
		if (!env->threads) {
			trace_env_free(env);
			return -ENOMEM;
		}
		for (; env->n_threads < n; env->n_threads++) {
			int r = pthread_create(&env->threads[env->n_threads], NULL,
					       closer_main, env);

			if (r) {
				trace_env_free(env);
				return -r;
			}
		}
	}
	*envp = env;
	return 0;
}

static int env_vmlinux(struct trace_env *env, struct btf **btf)
{
	if (!env->vmlinux && !env->vmlinux_err) {
		env->vmlinux = btf__load_vmlinux_btf();
		if (!env->vmlinux)
			env->vmlinux_err = errno ? -errno : -ENOENT;
	}
	*btf = env->vmlinux;
	return env->vmlinux_err;
}

static int env_tracefs(struct trace_env *env)
{
	if (env->tracefs_fd < 0)
		env->tracefs_fd = feat_tracefs_open(env->ctx);
	return env->tracefs_fd;
}

/* The byte offset of member @name in composite @id, looking into
 * anonymous structs and unions; -ENOENT when it has none. */
static long member_offset(const struct btf *btf, uint32_t id, const char *name)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_member *m;

	if (!t || !btf_is_composite(t))
		return -ENOENT;
	m = btf_members(t);
	for (unsigned short i = 0; i < btf_vlen(t); i++, m++) {
		const char *mname = btf__name_by_offset(btf, m->name_off);
		long bits = (long)btf_member_bit_offset(t, i), inner;

		if (mname && *mname) {
			if (strcmp(mname, name) == 0)
				return bits / 8;
			continue;
		}
		inner = member_offset(btf, m->type, name);
		if (inner >= 0)
			return bits / 8 + inner;
	}
	return -ENOENT;
}

/* The value of @name in this kernel's enum bpf_func_id, or -ENOENT. */
static int helper_id(const struct btf *btf, const char *name)
{
	int id = btf__find_by_name_kind(btf, "bpf_func_id", BTF_KIND_ENUM);
	const struct btf_type *t = id > 0 ? btf__type_by_id(btf, (uint32_t)id) : NULL;
	const struct btf_enum *e;

	if (!t)
		return -ENOENT;
	e = btf_enum(t);
	for (unsigned short i = 0; i < btf_vlen(t); i++, e++)
		if (strcmp(btf__name_by_offset(btf, e->name_off), name) == 0)
			return e->val;
	return -ENOENT;
}

/* bpf_probe_read_kernel (5.5), else bpf_probe_read: whichever enum
 * bpf_func_id of this kernel's BTF names. */
static int probe_read_helper(const struct btf *btf)
{
	int id = helper_id(btf, "BPF_FUNC_probe_read_kernel");

	return id > 0 ? id : BPF_FUNC_probe_read;
}

static int env_task_offsets(struct trace_env *env)
{
	struct btf *btf;
	long parent, tgid;
	int id, r;

	if (env->task_err || env->off_tgid)
		return env->task_err;
	r = env_vmlinux(env, &btf);
	if (r < 0)
		return env->task_err = r;
	id = btf__find_by_name_kind(btf, "task_struct", BTF_KIND_STRUCT);
	parent = id > 0 ? member_offset(btf, (uint32_t)id, "real_parent") : -ENOENT;
	tgid = id > 0 ? member_offset(btf, (uint32_t)id, "tgid") : -ENOENT;
	if (parent < 0 || tgid <= 0)
		return env->task_err = -ENOENT;
	env->off_real_parent = (uint32_t)parent;
	env->off_tgid = (uint32_t)tgid;
	env->probe_read = probe_read_helper(btf);
	/* Under lockdown=confidentiality bpf_tracing_func_proto() offers no
	 * probe_read (security_locked_down(LOCKDOWN_BPF_READ_KERNEL)), but
	 * loads through a BTF pointer are not helpers and still work; the
	 * kernel answers which case this is (feat_bpf_helper() loads one). */
	if (feat_bpf_helper(env->ctx, env->probe_read,
			    env->probe_read == BPF_FUNC_probe_read ? "BPF_FUNC_probe_read"
								   : "BPF_FUNC_probe_read_kernel") ==
	    FEAT_NO) {
		/* bpf_get_current_task_btf() came in 5.11 (kernel/trace/bpf_trace.c). */
		env->current_task_btf = helper_id(btf, "BPF_FUNC_get_current_task_btf");
		if (env->current_task_btf <= 0)
			return env->task_err = -EOPNOTSUPP;
	}
	return 0;
}

/* --- errors --- */

static int __attribute__((format(printf, 3, 4)))
prog_fail(struct trace_prog *prog, int r, const char *format, ...)
{
	va_list args;
	size_t len;

	va_start(args, format);
	vsnprintf(prog->err, sizeof(prog->err), format, args);
	va_end(args);
	len = strlen(prog->err);
	snprintf(prog->err + len, sizeof(prog->err) - len, ": %s", strerror(-r));
	return r;
}

const char *trace_prog_error(const struct trace_prog *prog)
{
	return prog->err;
}

const char *trace_prog_log(const struct trace_prog *prog)
{
	return prog->log ? prog->log : "";
}

const char *trace_prog_log_reason(const struct trace_prog *prog, char *buf,
				  size_t size)
{
	const char *log = trace_prog_log(prog);
	const char *end = log + strlen(log);

	if (size)
		buf[0] = '\0';
	/* Walk the lines backwards; the verifier ends with its summary. */
	while (end > log) {
		const char *start = end;
		size_t len;

		while (start > log && start[-1] != '\n')
			start--;
		len = (size_t)(end - start);
		while (len && isspace((unsigned char)start[len - 1]))
			len--;
		if (len && strncmp(start, "processed ", 10) != 0 &&
		    strncmp(start, "verification time", 17) != 0 &&
		    strncmp(start, "stack depth", 11) != 0) {
			snprintf(buf, size, "%.*s", (int)len, start);
			break;
		}
		end = start > log ? start - 1 : log;
	}
	return buf;
}

/* --- building --- */

int trace_prog_new(struct trace_env *env, const struct feat_layout *layout,
		   enum feat_backend backend, const struct trace_prog_opts *opts,
		   struct trace_prog **progp)
{
	struct trace_prog *prog;
	enum feat_form form;

	*progp = NULL;
	if (!env || !layout)
		return -EINVAL;
	switch (backend) {
	case FEAT_BACKEND_TP_BTF:
	case FEAT_BACKEND_RAW_TP:
		form = FEAT_FORM_RAW;
		break;
	case FEAT_BACKEND_TRACEPOINT:
		form = FEAT_FORM_CLASSIC;
		break;
	default:
		return -EINVAL;
	}
	if (!feat_layout_has(layout, form))
		return -EOPNOTSUPP;
	prog = calloc(1, sizeof(*prog));
	if (!prog)
		return -ENOMEM;
	if (opts) {
		size_t n = opts->sz < sizeof(prog->opts) ? opts->sz : sizeof(prog->opts);

		memcpy(&prog->opts, opts, n);
	}
	prog->opts.sz = sizeof(prog->opts);
	prog->str_size = prog->opts.str_size ? prog->opts.str_size : STR_SIZE_DEFAULT;
	if (prog->str_size > STACK_MAX + SCRATCH_OFF) {
		free(prog);
		return -EINVAL;
	}
	prog->str_off = SCRATCH_OFF - (int)ROUND8(prog->str_size);
	prog->env = env;
	prog->layout = layout;
	prog->tp = feat_layout_tracepoint(layout);
	prog->backend = backend;
	prog->record_size = HEADER_SIZE;
	prog->record_fd = prog->out_fd = prog->prog_fd = prog->attach_fd = -1;
	*progp = prog;
	return 0;
}

int trace_prog_add(struct trace_prog *prog, const char *expr)
{
	struct feat_access_opts aopts = {
		.sz = sizeof(aopts),
		.ctx_reg = BPF_REG_6,
		.scratch_off = SCRATCH_OFF,
		.str_off = prog->str_off,
		.str_size = prog->str_size,
	};
	const struct feat_access_type *type;
	struct feat_access *access;
	struct trace_slot *slots;
	unsigned int size;
	int r;

	prog->err[0] = '\0';
	if (prog->insns)
		return prog_fail(prog, -EBUSY, "%s: the program is loaded already", expr);
	r = feat_access_compile(prog->layout, expr, prog->backend, &aopts, &access);
	if (r < 0)
		return prog_fail(prog, r, "%s: feat_access_compile", expr);
	type = feat_access_type(access);
	if (!type) {
		feat_access_free(access);
		return prog_fail(prog, -EINVAL, "%s: feat_access_type", expr);
	}
	size = 8;
	if (type->kind == FEAT_VALUE_STRING)
		size = ROUND8(type->size && type->size < prog->str_size ? type->size
									: prog->str_size);
	if (prog->record_size + size > RECORD_MAX) {
		feat_access_free(access);
		return prog_fail(prog, -E2BIG, "%s: the record would pass %d bytes", expr,
				 RECORD_MAX);
	}
	slots = realloc(prog->slots, (prog->n_slots + 1) * sizeof(*slots));
	if (!slots) {
		feat_access_free(access);
		return prog_fail(prog, -ENOMEM, "%s", expr);
	}
	prog->slots = slots;
	slots[prog->n_slots] = (struct trace_slot){
		.expr = strdup(expr),
		.access = access,
		.offset = prog->record_size,
		.size = size,
	};
	if (!slots[prog->n_slots].expr) {
		feat_access_free(access);
		return prog_fail(prog, -ENOMEM, "%s", expr);
	}
	prog->record_size += size;
	return (int)prog->n_slots++;
}

static void emit_insn(struct trace_prog *prog, struct bpf_insn insn)
{
	if (prog->n_insns == prog->insns_cap) {
		size_t cap = prog->insns_cap ? 2 * prog->insns_cap : 256;
		struct bpf_insn *p = realloc(prog->insns, cap * sizeof(*p));

		if (!p) {
			prog->insns_err = -ENOMEM; /* checked once, at the end */
			return;
		}
		prog->insns = p;
		prog->insns_cap = cap;
	}
	prog->insns[prog->n_insns++] = insn;
}

static void emit(struct trace_prog *prog, uint8_t code, uint8_t dst, uint8_t src,
		 int16_t off, int32_t imm)
{
	emit_insn(prog, (struct bpf_insn){
		.code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm,
	});
}

static void emit_mov_reg(struct trace_prog *prog, int dst, int src)
{
	emit(prog, BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0);
}

static void emit_mov_imm(struct trace_prog *prog, int dst, int32_t imm)
{
	emit(prog, BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm);
}

static void emit_call(struct trace_prog *prog, int func)
{
	emit(prog, BPF_JMP | BPF_CALL, 0, 0, 0, func);
}

static void emit_map_fd(struct trace_prog *prog, int dst, int fd)
{
	emit(prog, BPF_LD | BPF_DW | BPF_IMM, dst, BPF_PSEUDO_MAP_FD, 0, fd);
	emit(prog, 0, 0, 0, 0, 0);
}

static void emit_store_reg(struct trace_prog *prog, int size, int dst, int16_t off, int src)
{
	emit(prog, BPF_STX | BPF_MEM | size, dst, src, off, 0);
}

static void emit_store_imm(struct trace_prog *prog, int size, int dst, int16_t off, int32_t imm)
{
	emit(prog, BPF_ST | BPF_MEM | size, dst, 0, off, imm);
}

/* A jump to "out", patched once its place is known. */
static size_t emit_jump_out(struct trace_prog *prog, int op, int dst, int32_t imm)
{
	emit(prog, BPF_JMP | op | BPF_K, dst, 0, 0, imm);
	return prog->n_insns - 1;
}

/* r1 = r10 + SCRATCH_OFF; r2 = @size; r3 = r9 + @off; probe_read */
static void emit_read_task(struct trace_prog *prog, int size, uint32_t off)
{
	emit_mov_reg(prog, BPF_REG_1, BPF_REG_10);
	emit(prog, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_1, 0, 0, SCRATCH_OFF);
	emit_mov_imm(prog, BPF_REG_2, size);
	emit_mov_reg(prog, BPF_REG_3, BPF_REG_9);
	emit(prog, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_3, 0, 0, (int32_t)off);
	emit_call(prog, prog->env->probe_read);
}

/*
 * The tgid filter with descendants: r0 holds the current tgid. A read
 * that faults leaves zeros (bpf_probe_read_kernel_common() clears the
 * buffer), which ends the walk; so does tgid 0, the idle task, which is
 * init's parent and its own.
 */
static void emit_ancestor_filter(struct trace_prog *prog, size_t *outs, size_t *n_outs)
{
	size_t matches[TRACE_PROG_ANCESTORS + 1], n_matches = 0;
	const struct trace_env *env = prog->env;

	matches[n_matches++] = emit_jump_out(prog, BPF_JEQ, BPF_REG_0, prog->opts.tgid);
	emit_call(prog, env->current_task_btf > 0 ? env->current_task_btf
						  : BPF_FUNC_get_current_task);
	emit_mov_reg(prog, BPF_REG_9, BPF_REG_0);
	for (int level = 0; level < TRACE_PROG_ANCESTORS; level++) {
		if (env->current_task_btf > 0) {
			/* BTF-typed loads: the verifier checks them against
			 * task_struct and a fault reads zero (BPF_PROBE_MEM). */
			emit(prog, BPF_LDX | BPF_MEM | BPF_DW, BPF_REG_9, BPF_REG_9,
			     (int16_t)env->off_real_parent, 0);
			outs[(*n_outs)++] = emit_jump_out(prog, BPF_JEQ, BPF_REG_9, 0);
			emit(prog, BPF_LDX | BPF_MEM | BPF_W, BPF_REG_0, BPF_REG_9,
			     (int16_t)env->off_tgid, 0);
			matches[n_matches++] = emit_jump_out(prog, BPF_JEQ, BPF_REG_0, prog->opts.tgid);
			outs[(*n_outs)++] = emit_jump_out(prog, BPF_JEQ, BPF_REG_0, 0);
			continue;
		}
		emit_read_task(prog, 8, env->off_real_parent);
		emit(prog, BPF_LDX | BPF_MEM | BPF_DW, BPF_REG_9, BPF_REG_10, SCRATCH_OFF, 0);
		outs[(*n_outs)++] = emit_jump_out(prog, BPF_JEQ, BPF_REG_9, 0);
		emit_read_task(prog, 4, env->off_tgid);
		emit(prog, BPF_LDX | BPF_MEM | BPF_W, BPF_REG_0, BPF_REG_10, SCRATCH_OFF, 0);
		matches[n_matches++] = emit_jump_out(prog, BPF_JEQ, BPF_REG_0, prog->opts.tgid);
		outs[(*n_outs)++] = emit_jump_out(prog, BPF_JEQ, BPF_REG_0, 0);
	}
	outs[(*n_outs)++] = emit_jump_out(prog, BPF_JA, 0, 0);
	if (prog->insns_err)
		return;
	for (size_t i = 0; i < n_matches; i++)
		prog->insns[matches[i]].off = (int16_t)(prog->n_insns - matches[i] - 1);
}

static int assemble(struct trace_prog *prog)
{
	size_t outs[8 + 2 * TRACE_PROG_ANCESTORS], n_outs = 0, count;
	unsigned int lost_off = ROUND8(prog->record_size);

	prog->n_insns = 0;
	emit_mov_reg(prog, BPF_REG_6, BPF_REG_1);
	emit_call(prog, BPF_FUNC_get_current_pid_tgid);
	emit_mov_reg(prog, BPF_REG_8, BPF_REG_0);
	if (prog->opts.tgid > 0 || prog->opts.exclude_tgid > 0)
		emit(prog, BPF_ALU64 | BPF_RSH | BPF_K, BPF_REG_0, 0, 0, 32);
	if (prog->opts.exclude_tgid > 0)
		outs[n_outs++] = emit_jump_out(prog, BPF_JEQ, BPF_REG_0, prog->opts.exclude_tgid);
	if (prog->opts.tgid > 0 && (prog->opts.flags & TRACE_PROG_F_DESCENDANTS))
		emit_ancestor_filter(prog, outs, &n_outs);
	else if (prog->opts.tgid > 0)
		outs[n_outs++] = emit_jump_out(prog, BPF_JNE, BPF_REG_0, prog->opts.tgid);

	/* r7 = the per-CPU record */
	emit_store_imm(prog, BPF_W, BPF_REG_10, SCRATCH_OFF, 0);
	emit_mov_reg(prog, BPF_REG_2, BPF_REG_10);
	emit(prog, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, SCRATCH_OFF);
	emit_map_fd(prog, BPF_REG_1, prog->record_fd);
	emit_call(prog, BPF_FUNC_map_lookup_elem);
	outs[n_outs++] = emit_jump_out(prog, BPF_JEQ, BPF_REG_0, 0);
	emit_mov_reg(prog, BPF_REG_7, BPF_REG_0);

	/* header: tgid, tid, cpu, 0 */
	emit_store_reg(prog, BPF_W, BPF_REG_7, 4, BPF_REG_8);
	emit_mov_reg(prog, BPF_REG_1, BPF_REG_8);
	emit(prog, BPF_ALU64 | BPF_RSH | BPF_K, BPF_REG_1, 0, 0, 32);
	emit_store_reg(prog, BPF_W, BPF_REG_7, 0, BPF_REG_1);
	emit_call(prog, BPF_FUNC_get_smp_processor_id);
	emit_store_reg(prog, BPF_W, BPF_REG_7, 8, BPF_REG_0);
	emit_store_imm(prog, BPF_W, BPF_REG_7, 12, 0);

	for (size_t i = 0; i < prog->n_slots; i++) {
		const struct trace_slot *s = &prog->slots[i];
		const struct bpf_insn *code = feat_access_insns(s->access, &count);
		bool string = feat_access_type(s->access)->kind == FEAT_VALUE_STRING;

		/* Zeroed first: a faulting read may leave the buffer
		 * unwritten, and the copy below reads all of it. */
		if (string)
			for (unsigned int b = 0; b < ROUND8(prog->str_size); b += 8)
				emit_store_imm(prog, BPF_DW, BPF_REG_10, (int16_t)(prog->str_off + (int)b), 0);
		for (size_t k = 0; k < count; k++)
			emit_insn(prog, code[k]);
		if (!string) {
			emit_store_reg(prog, BPF_DW, BPF_REG_7, (int16_t)s->offset, BPF_REG_0);
			continue;
		}
		for (unsigned int b = 0; b < s->size; b += 8) {
			emit(prog, BPF_LDX | BPF_MEM | BPF_DW, BPF_REG_1, BPF_REG_10,
			     (int16_t)(prog->str_off + (int)b), 0);
			emit_store_reg(prog, BPF_DW, BPF_REG_7, (int16_t)(s->offset + b), BPF_REG_1);
		}
	}

	if (prog->perf_out) {
		emit_mov_reg(prog, BPF_REG_1, BPF_REG_6);
		emit_map_fd(prog, BPF_REG_2, prog->out_fd);
		/* BPF_F_CURRENT_CPU is 0xffffffff: a 32-bit move zero-extends. */
		emit(prog, BPF_ALU | BPF_MOV | BPF_K, BPF_REG_3, 0, 0, -1);
		emit_mov_reg(prog, BPF_REG_4, BPF_REG_7);
		emit_mov_imm(prog, BPF_REG_5, (int32_t)prog->record_size);
		emit_call(prog, BPF_FUNC_perf_event_output);
	} else {
		emit_map_fd(prog, BPF_REG_1, prog->out_fd);
		emit_mov_reg(prog, BPF_REG_2, BPF_REG_7);
		emit_mov_imm(prog, BPF_REG_3, (int32_t)prog->record_size);
		emit_mov_imm(prog, BPF_REG_4, 0);
		emit_call(prog, BPF_FUNC_ringbuf_output);
		/* A full ring: count the record lost, in this CPU's value. */
		outs[n_outs++] = emit_jump_out(prog, BPF_JEQ, BPF_REG_0, 0);
		emit(prog, BPF_LDX | BPF_MEM | BPF_DW, BPF_REG_1, BPF_REG_7, (int16_t)lost_off, 0);
		emit(prog, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_1, 0, 0, 1);
		emit_store_reg(prog, BPF_DW, BPF_REG_7, (int16_t)lost_off, BPF_REG_1);
	}
	if (prog->insns_err)
		return prog->insns_err;
	for (size_t i = 0; i < n_outs; i++)
		prog->insns[outs[i]].off = (int16_t)(prog->n_insns - outs[i] - 1);
	emit_mov_imm(prog, BPF_REG_0, 0);
	emit(prog, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	/* The jumps to "out" take 16-bit offsets. */
	return prog->n_insns > 0x7fff ? -E2BIG : prog->insns_err;
}

/* --- maps and load --- */

static unsigned int pow2_at_least(unsigned int x)
{
	unsigned int p = 1;

	while (p < x)
		p <<= 1;
	return p;
}

static int create_maps(struct trace_prog *prog)
{
	unsigned int value_size = ROUND8(prog->record_size) + 8;
	unsigned int page = (unsigned int)sysconf(_SC_PAGESIZE);
	int r;

	prog->record_fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "trace_record", 4,
					 value_size, 1, NULL);
	if (prog->record_fd < 0)
		return prog_fail(prog, -errno, "bpf_map_create(PERCPU_ARRAY, %u bytes)", value_size);

	if (!(prog->opts.flags & TRACE_PROG_F_PERF_BUFFER)) {
		unsigned int size = prog->opts.buffer_size ? prog->opts.buffer_size
							   : RINGBUF_DEFAULT;

		size = pow2_at_least(size < page ? page : size);
		/* Room for one record and its 8-byte header, twice. */
		while (size < 2 * (prog->record_size + 8))
			size <<= 1;
		prog->out_fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "trace_ring", 0, 0, size, NULL);
		if (prog->out_fd >= 0)
			return 0;
		r = -errno;
		/* An unknown map type is EINVAL (find_and_alloc_map()); the rest
		 * are real failures the perf buffer would meet too. */
		if (r != -EINVAL)
			return prog_fail(prog, r, "bpf_map_create(RINGBUF, %u bytes)", size);
	}
	prog->perf_out = true;
	r = libbpf_num_possible_cpus();
	if (r < 0)
		return prog_fail(prog, r, "libbpf_num_possible_cpus");
	prog->out_fd = bpf_map_create(BPF_MAP_TYPE_PERF_EVENT_ARRAY, "trace_perf", 4, 4,
				      (unsigned int)r, NULL);
	if (prog->out_fd < 0)
		return prog_fail(prog, -errno, "bpf_map_create(PERF_EVENT_ARRAY)");
	return 0;
}

static int on_ring_record(void *ctx, void *data, size_t size);
static void on_perf_record(void *ctx, int cpu, void *data, __u32 size);
static void on_perf_lost(void *ctx, int cpu, __u64 count);

static int open_reader(struct trace_prog *prog)
{
	size_t pages;
	int r;

	prog->values = calloc(prog->n_slots, sizeof(*prog->values));
	prog->strings = malloc(prog->record_size + prog->n_slots + 1);
	if (!prog->values || !prog->strings)
		return prog_fail(prog, -ENOMEM, "%s", "trace_prog_load");
	for (size_t i = 0; i < prog->n_slots; i++) {
		prog->values[i].expr = prog->slots[i].expr;
		prog->values[i].name = prog->slots[i].expr + (prog->slots[i].expr[0] == '$');
		prog->values[i].type = feat_access_type(prog->slots[i].access);
	}
	if (!prog->perf_out) {
		prog->rb = ring_buffer__new(prog->out_fd, on_ring_record, prog, NULL);
		if (!prog->rb)
			return prog_fail(prog, -errno, "%s", "ring_buffer__new");
		return 0;
	}
	pages = PERF_PAGES_DEFAULT;
	if (prog->opts.buffer_size) {
		size_t page = (size_t)sysconf(_SC_PAGESIZE);

		/* Bytes per CPU, in pages: perf_mmap() wants a power of 2. */
		pages = pow2_at_least((unsigned int)((prog->opts.buffer_size + page - 1) / page));
	}
	while (pages * (size_t)sysconf(_SC_PAGESIZE) < 2 * (prog->record_size + 16u))
		pages <<= 1;
	prog->pb = perf_buffer__new(prog->out_fd, pages, on_perf_record, on_perf_lost, prog, NULL);
	if (!prog->pb) {
		r = -errno;
		return prog_fail(prog, r ? r : -EINVAL, "%s", "perf_buffer__new");
	}
	return 0;
}

/* The layout knows the typedef btf_trace_NAME a tp_btf program attaches
 * to: no second parse of vmlinux BTF. */
static int attach_btf_id(struct trace_prog *prog, uint32_t *id)
{
	const char *object = NULL;

	/* A module's typedef is in the module's BTF object: the kernel takes
	 * it with attach_btf_obj_fd (5.11+), which this loader does not pass. */
	if (feat_layout_raw_btf_obj_id(prog->layout, &object) && object &&
	    strcmp(object, "vmlinux") != 0)
		return prog_fail(prog, -EOPNOTSUPP,
				 "tp_btf: btf_trace_%s is in module %s's BTF, which needs attach_btf_obj_fd; featprobe trace attaches to vmlinux types only: use --backend raw_tp",
				 prog->tp->name, object);
	*id = feat_layout_raw_btf_id(prog->layout);
	if (!*id)
		return prog_fail(prog, -ENOENT, "vmlinux BTF: no typedef btf_trace_%s",
				 prog->tp->name);
	return 0;
}

int trace_prog_load(struct trace_prog *prog)
{
	LIBBPF_OPTS(bpf_prog_load_opts, lopts);
	enum bpf_prog_type type;
	int r;

	prog->err[0] = '\0';
	if (prog->prog_fd >= 0 || prog->record_fd >= 0)
		return prog_fail(prog, -EBUSY, "%s", "trace_prog_load");
	if (!prog->n_slots)
		return prog_fail(prog, -EINVAL, "%s", "trace_prog_load: no expression");
	switch (prog->backend) {
	case FEAT_BACKEND_TP_BTF:
		type = BPF_PROG_TYPE_TRACING;
		lopts.expected_attach_type = BPF_TRACE_RAW_TP;
		r = attach_btf_id(prog, &lopts.attach_btf_id);
		if (r < 0)
			return r;
		break;
	case FEAT_BACKEND_RAW_TP:
		type = BPF_PROG_TYPE_RAW_TRACEPOINT;
		break;
	default:
		type = BPF_PROG_TYPE_TRACEPOINT;
		break;
	}
	if (prog->opts.tgid > 0 && (prog->opts.flags & TRACE_PROG_F_DESCENDANTS)) {
		r = env_task_offsets(prog->env);
		if (r < 0)
			return prog_fail(prog, r, "%s",
					 "vmlinux BTF: task_struct.real_parent and .tgid");
	}
	r = create_maps(prog);
	if (r < 0)
		return r;
	r = assemble(prog);
	if (r < 0)
		return prog_fail(prog, r, "%s", "assembling the program");
	if (!prog->log) {
		prog->log = malloc(LOG_SIZE);
		if (!prog->log)
			return prog_fail(prog, -ENOMEM, "%s", "trace_prog_load");
	}
	prog->log[0] = '\0';
	/* log_level 0 with a buffer: libbpf retries with level 1 on failure
	 * only, so a program that passes costs one load. */
	lopts.log_buf = prog->log;
	lopts.log_size = LOG_SIZE;
	prog->prog_fd = bpf_prog_load(type, "featprobe_trace", "GPL", prog->insns, prog->n_insns,
				      &lopts);
	if (prog->prog_fd < 0) {
		char reason[200];

		r = -errno;
		prog->prog_fd = -1;
		trace_prog_log_reason(prog, reason, sizeof(reason));
		return prog_fail(prog, r, "BPF_PROG_LOAD %s %s%s%s%s", feat_backend_name(prog->backend),
				 prog->tp->name, *reason ? " (verifier: " : "", reason,
				 *reason ? ")" : "");
	}
	prog->log[0] = '\0';
	return open_reader(prog);
}

/* --- attach --- */

static int tracepoint_id(struct trace_prog *prog, long *id)
{
	char path[600], buf[32];
	int dir, fd, r;
	ssize_t n;

	if (!prog->tp->system)
		return prog_fail(prog, -ENOENT, "%s: no tracefs event", prog->tp->name);
	dir = env_tracefs(prog->env);
	/* tracefs creates no files under lockdown=confidentiality
	 * (tracefs_create_file() asks security_locked_down(LOCKDOWN_TRACEFS)):
	 * no event id, so no classic attach; say so rather than EPERM alone. */
	if (dir < 0 && prog->env->ctx->tracefs_lockdown)
		return prog_fail(prog, dir, "%s",
				 "feat_tracefs_open: lockdown=confidentiality leaves tracefs without "
				 "events: no id to attach a classic tracepoint to (tp_btf and raw_tp remain)");
	if (dir < 0)
		return prog_fail(prog, dir, "%s", "feat_tracefs_open");
	snprintf(path, sizeof(path), "events/%s/%s/id", prog->tp->system, prog->tp->name);
	fd = openat(dir, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return prog_fail(prog, -errno, "tracefs %s", path);
	n = read(fd, buf, sizeof(buf) - 1);
	r = n < 0 ? -errno : 0;
	close(fd);
	if (r < 0)
		return prog_fail(prog, r, "tracefs %s", path);
	buf[n > 0 ? n : 0] = '\0';
	*id = strtol(buf, NULL, 10);
	if (*id <= 0)
		return prog_fail(prog, -EBADMSG, "tracefs %s", path);
	return 0;
}

static int attach_perf_event(struct trace_prog *prog)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_TRACEPOINT,
		.size = sizeof(attr),
		.disabled = 1,
	};
	long id = 0;
	int fd, r;

	r = tracepoint_id(prog, &id);
	if (r < 0)
		return r;
	attr.config = (uint64_t)id;
	/* pid -1, cpu 0: the program hangs off the event's trace_event_call
	 * and runs on every CPU (perf_event_attach_bpf_prog()). */
	fd = (int)syscall(__NR_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return prog_fail(prog, -errno, "perf_event_open(%s:%s, id %ld)", prog->tp->system,
				 prog->tp->name, id);
	if (ioctl(fd, PERF_EVENT_IOC_SET_BPF, prog->prog_fd) < 0) {
		r = -errno;
		env_close(prog->env, fd);
		return prog_fail(prog, r, "PERF_EVENT_IOC_SET_BPF %s:%s", prog->tp->system,
				 prog->tp->name);
	}
	if (ioctl(fd, PERF_EVENT_IOC_ENABLE, 0) < 0) {
		r = -errno;
		env_close(prog->env, fd);
		return prog_fail(prog, r, "PERF_EVENT_IOC_ENABLE %s:%s", prog->tp->system,
				 prog->tp->name);
	}
	prog->attach_fd = fd;
	return 0;
}

int trace_prog_attach(struct trace_prog *prog)
{
	int fd;

	prog->err[0] = '\0';
	if (prog->prog_fd < 0)
		return prog_fail(prog, -EBADF, "%s", "trace_prog_attach: not loaded");
	if (prog->attach_fd >= 0)
		return prog_fail(prog, -EBUSY, "%s", "trace_prog_attach");
	if (prog->backend == FEAT_BACKEND_TRACEPOINT)
		return attach_perf_event(prog);
	/* tp_btf: no name, the attach BTF id given at load says where. */
	fd = bpf_raw_tracepoint_open(prog->backend == FEAT_BACKEND_RAW_TP ? prog->tp->name : NULL,
				     prog->prog_fd);
	if (fd < 0)
		return prog_fail(prog, -errno, "BPF_RAW_TRACEPOINT_OPEN %s %s",
				 feat_backend_name(prog->backend), prog->tp->name);
	prog->attach_fd = fd;
	return 0;
}

void trace_prog_detach(struct trace_prog *prog)
{
	if (!prog || prog->attach_fd < 0)
		return;
	if (prog->backend == FEAT_BACKEND_TRACEPOINT)
		env_close(prog->env, prog->attach_fd);
	else
		close(prog->attach_fd);
	prog->attach_fd = -1;
}

void trace_prog_free(struct trace_prog *prog)
{
	if (!prog)
		return;
	trace_prog_detach(prog);
	ring_buffer__free(prog->rb);
	perf_buffer__free(prog->pb);
	if (prog->prog_fd >= 0)
		close(prog->prog_fd);
	if (prog->out_fd >= 0)
		close(prog->out_fd);
	if (prog->record_fd >= 0)
		close(prog->record_fd);
	for (size_t i = 0; i < prog->n_slots; i++) {
		free(prog->slots[i].expr);
		feat_access_free(prog->slots[i].access);
	}
	free(prog->slots);
	free(prog->insns);
	free(prog->values);
	free(prog->strings);
	free(prog->log);
	free(prog);
}

/* --- reading --- */

static uint64_t extend(uint64_t v, const struct feat_access_type *t)
{
	unsigned int bits = t->size && t->size < 8 ? 8 * t->size : 64;

	if (bits == 64)
		return v;
	v &= (1ull << bits) - 1;
	if (t->kind == FEAT_VALUE_INT && t->is_signed && (v >> (bits - 1)))
		v |= ~((1ull << bits) - 1);
	return v;
}

/* Decode one record and hand it over; -ECANCELED stops the ring buffer. */
static int deliver(struct trace_prog *prog, const void *data, size_t size)
{
	const unsigned char *p = data;
	struct trace_record rec;
	char *s = prog->strings;
	uint32_t header[3];

	if (prog->stopped)
		return -ECANCELED;
	if (size < prog->record_size)
		return 0; /* not ours: a short record cannot happen */
	memcpy(header, p, sizeof(header));
	rec = (struct trace_record){
		.tgid = header[0], .tid = header[1], .cpu = header[2],
		.n_values = prog->n_slots, .values = prog->values,
	};
	for (size_t i = 0; i < prog->n_slots; i++) {
		const struct trace_slot *slot = &prog->slots[i];
		struct trace_value *v = &prog->values[i];

		if (v->type->kind == FEAT_VALUE_STRING) {
			size_t len = strnlen((const char *)p + slot->offset, slot->size);

			memcpy(s, p + slot->offset, len);
			s[len] = '\0';
			v->str = s;
			v->i = v->u = 0;
			s += len + 1;
			continue;
		}
		memcpy(&v->u, p + slot->offset, sizeof(v->u));
		v->u = extend(v->u, v->type);
		v->i = (int64_t)v->u;
		v->str = NULL;
	}
	prog->delivered++;
	if (prog->opts.on_record && prog->opts.on_record(prog->opts.data, &rec)) {
		prog->stopped = true;
		return -ECANCELED;
	}
	return 0;
}

static int on_ring_record(void *ctx, void *data, size_t size)
{
	return deliver(ctx, data, size);
}

static void on_perf_record(void *ctx, int cpu, void *data, __u32 size)
{
	(void)cpu;
	deliver(ctx, data, size);
}

static void on_perf_lost(void *ctx, int cpu, __u64 count)
{
	struct trace_prog *prog = ctx;

	(void)cpu;
	prog->perf_lost += count;
}

static int poll_or_drain(struct trace_prog *prog, int timeout_ms, bool drain)
{
	int r;

	prog->err[0] = '\0';
	if (!prog->rb && !prog->pb)
		return prog_fail(prog, -EBADF, "%s", "trace_prog_poll: not loaded");
	prog->delivered = 0;
	prog->stopped = false;
	if (prog->rb)
		r = drain ? ring_buffer__consume(prog->rb) : ring_buffer__poll(prog->rb, timeout_ms);
	else
		r = drain ? perf_buffer__consume(prog->pb) : perf_buffer__poll(prog->pb, timeout_ms);
	if (r == -ECANCELED || r >= 0)
		return prog->delivered;
	if (r == -EINTR)
		return r;
	return prog_fail(prog, r, "%s", prog->rb ? "ring_buffer__poll" : "perf_buffer__poll");
}

int trace_prog_poll(struct trace_prog *prog, int timeout_ms)
{
	return poll_or_drain(prog, timeout_ms, false);
}

int trace_prog_drain(struct trace_prog *prog)
{
	return poll_or_drain(prog, 0, true);
}

/* --- accessors --- */

size_t trace_prog_count(const struct trace_prog *prog)
{
	return prog->n_slots;
}

const struct feat_access *trace_prog_access(const struct trace_prog *prog, size_t i)
{
	return i < prog->n_slots ? prog->slots[i].access : NULL;
}

const char *trace_prog_expr(const struct trace_prog *prog, size_t i)
{
	return i < prog->n_slots ? prog->slots[i].expr : NULL;
}

enum feat_backend trace_prog_backend(const struct trace_prog *prog)
{
	return prog->backend;
}

const struct bpf_insn *trace_prog_insns(const struct trace_prog *prog, size_t *count)
{
	*count = prog->insns ? prog->n_insns : 0;
	return prog->insns;
}

int trace_prog_fd(const struct trace_prog *prog)
{
	return prog->prog_fd;
}

const char *trace_prog_output(const struct trace_prog *prog)
{
	if (prog->out_fd < 0)
		return NULL;
	return prog->perf_out ? "perf" : "ringbuf";
}

uint64_t trace_prog_lost(const struct trace_prog *prog)
{
	unsigned int stride = ROUND8(prog->record_size) + 8;
	uint64_t lost = prog->perf_lost;
	uint32_t key = 0;
	unsigned char *values;
	int ncpus;

	if (prog->perf_out || prog->record_fd < 0)
		return lost;
	ncpus = libbpf_num_possible_cpus();
	if (ncpus <= 0)
		return lost;
	/* A per-CPU lookup fills one value per possible CPU, each rounded
	 * up to 8 bytes (bpf_percpu_array_copy()). */
	values = calloc((size_t)ncpus, stride);
	if (!values)
		return lost;
	if (bpf_map_lookup_elem(prog->record_fd, &key, values) == 0)
		for (int c = 0; c < ncpus; c++) {
			uint64_t n;

			memcpy(&n, values + (size_t)c * stride + stride - 8, sizeof(n));
			lost += n;
		}
	free(values);
	return lost;
}

const char *trace_value_format(const struct trace_value *v, char *buf, size_t size)
{
	size_t o = 0;

	if (!size)
		return buf;
	if (!v->str) {
		if (v->type->kind == FEAT_VALUE_PTR)
			snprintf(buf, size, "0x%llx", (unsigned long long)v->u);
		else if (v->type->is_signed)
			snprintf(buf, size, "%lld", (long long)v->i);
		else
			snprintf(buf, size, "%llu", (unsigned long long)v->u);
		return buf;
	}
	buf[o++] = '"';
	for (const unsigned char *p = (const unsigned char *)v->str; *p && o + 6 < size; p++) {
		if (*p == '"' || *p == '\\')
			o += (size_t)snprintf(buf + o, size - o, "\\%c", *p);
		else if (*p == '\n')
			o += (size_t)snprintf(buf + o, size - o, "\\n");
		else if (*p == '\t')
			o += (size_t)snprintf(buf + o, size - o, "\\t");
		else if (isprint(*p))
			buf[o++] = (char)*p;
		else
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", *p);
	}
	if (o + 2 <= size)
		buf[o++] = '"';
	buf[o < size ? o : size - 1] = '\0';
	return buf;
}
