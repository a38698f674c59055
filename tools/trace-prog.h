/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * trace-prog: one BPF program that reads target variables of one tracepoint
 * with the code feat_access_compile() emits, and sends them to user space as
 * records. Shared by "featprobe trace" and the tests (tests/access/).
 *
 * Life of a program:
 *
 *	trace_env_new(ctx)                 once: vmlinux BTF, tracefs, closers
 *	trace_prog_new(env, layout, backend, opts)
 *	trace_prog_add(prog, "$prev_pid")  once per expression
 *	trace_prog_load(prog)              maps + BPF_PROG_LOAD (verifier log kept)
 *	trace_prog_attach(prog)
 *	trace_prog_poll(prog, ms)          records -> opts.on_record
 *	trace_prog_free(prog)              detaches, closes everything
 *	trace_env_free(env)                waits for background closes
 *
 * The program (registers: R6 context, R7 record, R8 pid_tgid):
 *
 *	r6 = r1
 *	r0 = bpf_get_current_pid_tgid(); r8 = r0
 *	[if (r0 >> 32) != tgid goto out]             opts.tgid
 *	[or: walk current->real_parent up to 16 times  %TRACE_PROG_F_DESCENDANTS
 *	     looking for tgid, else goto out]
 *	[if (r0 >> 32) == exclude_tgid goto out]     opts.exclude_tgid
 *	r7 = bpf_map_lookup_elem(&record, &zero)     a per-CPU array: the
 *	if r7 == 0 goto out                            record may exceed the stack
 *	header: tgid, tid, cpu
 *	for each expression: [zero the string buffer] access code;
 *	    store R0 (8 bytes), or copy the string buffer, into the record
 *	bpf_ringbuf_output(&ring, r7, size, 0)        or bpf_perf_event_output
 *	[count a lost record in the per-CPU value]
 *   out:	r0 = 0; exit
 *
 * Stack: the 8 scratch bytes at R10 - 8 and one string buffer below them
 * (opts.str_size, rounded up to 8): at most 504 string bytes.
 *
 * Errors: every function returns 0 (or a count) or a negative errno, and
 * leaves one line naming the call and the reason in trace_prog_error().
 *
 * Threads: an environment and its programs belong to one thread (the
 * environment opens its BTF and tracefs lazily, unlocked); only the
 * closers it starts run beside it.
 */
#ifndef TRACE_PROG_H
#define TRACE_PROG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feat.h"

struct trace_env;
struct trace_prog;
struct bpf_insn;

/**
 * struct trace_env_opts - options of trace_env_new().
 * @sz: sizeof(struct trace_env_opts).
 * @close_threads: close classic perf events in the background with this
 *	many threads; 0 closes them in trace_prog_free() itself. Closing a
 *	perf event that has a program waits for the tracepoint's
 *	unregistration (about 75 ms, tracepoint_synchronize_unregister()):
 *	a sweep over thousands of events wants 8 or more. Until it is
 *	closed, a perf event keeps its program attached: the kernel takes at
 *	most 64 programs on one tracepoint (BPF_TRACE_MAX_PROGS, E2BIG from
 *	PERF_EVENT_IOC_SET_BPF), so call trace_env_wait() before attaching to
 *	the same classic tracepoint many times. At most 256 fds wait; more
 *	make trace_prog_free() wait for a closer.
 */
struct trace_env_opts {
	size_t sz;
	unsigned int close_threads;
};

/**
 * trace_env_new() - what many programs share.
 * @ctx: a context on the running kernel (a reference is taken).
 * @opts: NULL for the defaults.
 * @env: set to the new environment.
 *
 * The vmlinux BTF (tp_btf attach ids) and a tracefs fd (classic event ids,
 * through feat_tracefs_open(): a detached mount when tracefs is not
 * mounted) are opened on first use and kept until trace_env_free().
 *
 * Return: 0; -ENODEV for an offline context, -ENOMEM, or the errno of
 * pthread_create().
 */
int trace_env_new(struct feat_ctx *ctx, const struct trace_env_opts *opts,
		  struct trace_env **env);

/** trace_env_wait() - wait for the background closes queued so far. */
void trace_env_wait(struct trace_env *env);

/**
 * trace_env_free() - wait for every background close, stop the closers,
 * close the BTF and tracefs; NULL is fine. Free the programs first.
 */
void trace_env_free(struct trace_env *env);

/**
 * struct trace_value - one value of a record.
 * @expr: the expression as given ("$prev->pid").
 * @name: @expr without its leading '$' ("prev->pid").
 * @type: its type (owned by the compiled access).
 * @i: an integer, sign-extended (signed types) or zero-extended to 64
 *	bits; a pointer's value. Use @u for unsigned types and pointers.
 * @u: the same bits, unsigned.
 * @str: a string, NUL-terminated (owned by the program, valid during the
 *	callback); NULL for integers and pointers.
 */
struct trace_value {
	const char *expr;
	const char *name;
	const struct feat_access_type *type;
	int64_t i;
	uint64_t u;
	const char *str;
};

/**
 * struct trace_record - one event as the program recorded it.
 * @tgid: the current process (thread group) id, as the initial pid
 *	namespace numbers it.
 * @tid: the current thread id.
 * @cpu: the CPU the event ran on.
 * @n_values: the values, in trace_prog_add() order.
 */
struct trace_record {
	uint32_t tgid;
	uint32_t tid;
	uint32_t cpu;
	size_t n_values;
	const struct trace_value *values;
};

/*
 * The record callback: return 0 to go on, anything else to make
 * trace_prog_poll() return at once (records left in a perf buffer's batch
 * are then dropped; a ring buffer keeps them for the next poll).
 */
typedef int (*trace_record_fn)(void *data, const struct trace_record *record);

#define TRACE_PROG_ANCESTORS 16

enum trace_prog_flags {
	/* Output through a BPF_MAP_TYPE_PERF_EVENT_ARRAY even when the kernel
	 * has ring buffers (the fallback, tested on new kernels). */
	TRACE_PROG_F_PERF_BUFFER = 1u << 0,
	/* With opts.tgid: keep the events of its descendants too, found by
	 * walking task_struct.real_parent (offsets from vmlinux BTF) at most
	 * TRACE_PROG_ANCESTORS levels up. A process re-parented to init or a
	 * subreaper once its parent died is lost. */
	TRACE_PROG_F_DESCENDANTS = 1u << 1,
};

/**
 * struct trace_prog_opts - options of trace_prog_new().
 * @sz: sizeof(struct trace_prog_opts).
 * @str_size: bytes read for each string value, NUL included; 0 means 64;
 *	at most 504.
 * @tgid: when > 0, record only events of this process (its init-namespace
 *	tgid, as bpf_get_current_pid_tgid() gives it).
 * @exclude_tgid: when > 0, record no event of this process (a tracer
 *	that prints would otherwise trace its own writes).
 * @flags: %TRACE_PROG_F_PERF_BUFFER, %TRACE_PROG_F_DESCENDANTS.
 * @buffer_size: the buffer's bytes: the ring buffer's (rounded up to a
 *	power of 2, at least a page), or the perf buffer's per CPU (rounded up
 *	to a power of 2 of pages); 0 means 256 KiB, or 64 KiB per CPU. Both
 *	grow to hold two records. A sweep that reads nothing takes 4096.
 * @on_record: called by trace_prog_poll() for each record; NULL drops them.
 * @data: passed to @on_record.
 */
struct trace_prog_opts {
	size_t sz;
	unsigned int str_size;
	int tgid;
	int exclude_tgid;
	unsigned int flags;
	unsigned int buffer_size;
	trace_record_fn on_record;
	void *data;
};

/**
 * trace_prog_new() - start a program for one tracepoint.
 * @env: the environment.
 * @layout: the tracepoint's layout with the form @backend reads; it must
 *	outlive the program.
 * @backend: %FEAT_BACKEND_TP_BTF, %FEAT_BACKEND_RAW_TP or
 *	%FEAT_BACKEND_TRACEPOINT.
 * @opts: NULL for the defaults.
 * @prog: set to the new program.
 *
 * Return: 0; -EINVAL for a bad backend or options, -EOPNOTSUPP when
 * @layout lacks the form @backend reads, -ENOMEM.
 */
int trace_prog_new(struct trace_env *env, const struct feat_layout *layout,
		   enum feat_backend backend, const struct trace_prog_opts *opts,
		   struct trace_prog **prog);

/**
 * trace_prog_add() - compile one expression into the program.
 * @prog: a program not loaded yet.
 * @expr: "$NAME" followed by "->MEMBER", ".MEMBER", "[N]".
 *
 * A failed expression is not added; the program stays usable.
 *
 * Return: the value's index in records (0, 1, ...), or feat_access_compile()'s
 * negative errno; -E2BIG when the record would pass 32 KiB; -EBUSY after
 * trace_prog_load().
 */
int trace_prog_add(struct trace_prog *prog, const char *expr);

/**
 * trace_prog_load() - assemble the program, create its maps and load it.
 * @prog: a program with at least one expression.
 *
 * Return: 0, or the errno of the failed call: bpf_map_create(),
 * BPF_PROG_LOAD (the verifier's log is in trace_prog_log()), the vmlinux
 * BTF lookup for tp_btf (-ENOENT without a btf_trace_NAME typedef).
 */
int trace_prog_load(struct trace_prog *prog);

/**
 * trace_prog_attach() - attach the loaded program to its tracepoint.
 *
 * raw_tp: BPF_RAW_TRACEPOINT_OPEN by name (EINVAL when the program reads
 * a slot the tracepoint lacks: bpf_probe_register() checks the args count);
 * tp_btf: BPF_RAW_TRACEPOINT_OPEN without a name (the attach BTF id says
 * which); tracepoint: perf_event_open(PERF_TYPE_TRACEPOINT, id from tracefs
 * events/SYS/NAME/id, pid -1, cpu 0), PERF_EVENT_IOC_SET_BPF (EACCES when
 * the program reads past the record: perf_event_set_bpf_prog() checks
 * max_ctx_offset), PERF_EVENT_IOC_ENABLE. One perf event serves every CPU.
 *
 * Return: 0 or the negative errno of the failed call.
 */
int trace_prog_attach(struct trace_prog *prog);

/**
 * trace_prog_poll() - wait up to @timeout_ms (0: do not wait, -1: forever)
 * for records and hand each to the callback.
 * Return: the number of records handed over, -EINTR when a signal came,
 * or another negative errno.
 */
int trace_prog_poll(struct trace_prog *prog, int timeout_ms);

/**
 * trace_prog_drain() - hand over every record already in the buffer
 * (after the traced command exited, before detaching).
 * Return: as trace_prog_poll().
 */
int trace_prog_drain(struct trace_prog *prog);

/**
 * trace_prog_detach() - detach, keeping the buffer readable; a classic
 * perf event is closed in the background when the environment has
 * closers. Nothing to do when not attached.
 */
void trace_prog_detach(struct trace_prog *prog);

/** trace_prog_free() - detach and close everything; NULL is fine. */
void trace_prog_free(struct trace_prog *prog);

/** trace_prog_error() - the last error, one line; "" when none. */
const char *trace_prog_error(const struct trace_prog *prog);

/**
 * trace_prog_log() - the verifier's log of the last failed load ("" when
 * none): the reason is in its last lines.
 */
const char *trace_prog_log(const struct trace_prog *prog);

/**
 * trace_prog_log_reason() - the verifier's reason in one line: the last
 * non-empty line of the log that is not a "processed N insns" summary.
 * Return: written to @buf (truncated to @size), which is returned.
 */
const char *trace_prog_log_reason(const struct trace_prog *prog, char *buf,
				  size_t size);

/** trace_prog_count() - the number of expressions added. */
size_t trace_prog_count(const struct trace_prog *prog);

/** trace_prog_access() - the compiled access of value @i; NULL past the end. */
const struct feat_access *trace_prog_access(const struct trace_prog *prog,
					    size_t i);

/** trace_prog_expr() - expression @i as given; NULL past the end. */
const char *trace_prog_expr(const struct trace_prog *prog, size_t i);

/** trace_prog_backend() - the backend. */
enum feat_backend trace_prog_backend(const struct trace_prog *prog);

/**
 * trace_prog_insns() - the assembled program (after trace_prog_load(),
 * whatever its outcome); NULL before.
 */
const struct bpf_insn *trace_prog_insns(const struct trace_prog *prog,
					size_t *count);

/** trace_prog_fd() - the program's fd once loaded, else -1. */
int trace_prog_fd(const struct trace_prog *prog);

/** trace_prog_output() - "ringbuf" or "perf" once loaded, else NULL. */
const char *trace_prog_output(const struct trace_prog *prog);

/**
 * trace_prog_lost() - records lost so far: the ring buffer was full
 * (counted per CPU by the program) or the perf buffer said so.
 */
uint64_t trace_prog_lost(const struct trace_prog *prog);

/**
 * trace_value_format() - a value as text: decimal for integers (signed as
 * their type says), 0x hex for pointers, a string in double quotes with C
 * escapes for anything not printable.
 * Return: @buf.
 */
const char *trace_value_format(const struct trace_value *value, char *buf,
			       size_t size);

#endif
