// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The live cases of test-access-cases read by hand-written BPF C, the way a
 * consumer that compiles C uses the struct forms: "forms.h" is what
 * "featprobe layout TP --format c" printed for each case's tracepoint at
 * build time, and every value is read through the form's "data" member.
 *
 * Compiled twice: without STAPPROBE_RAW the classic programs
 * (BPF_PROG_TYPE_TRACEPOINT, R1 = the record), with it the raw_tp and tp_btf
 * programs (R1 = the u64 argument slots). The test autoloads one program at
 * a time and compares what it read with what feat_access_compile()'s
 * instructions read for the same event, and with values it computed itself.
 */

/* The integer types bpf_helper_defs.h names, without the host's asm/ headers
 * (clang -target bpf has no multiarch include directory). */
typedef unsigned char __u8;
typedef signed char __s8;
typedef unsigned short __u16;
typedef short __s16;
typedef unsigned int __u32;
typedef int __s32;
typedef unsigned long long __u64;
typedef long long __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "forms.h"
#include "access-cases.h"

char LICENSE[] SEC("license") = "GPL";

/* Zero-initialised: .bss, which the test reaches through the map libbpf
 * mmaps (bpf_map__initial_value) and sets target_tgid in. */
struct case_out out;

/*
 * Kernel structs behind the raw arguments: only the members read here,
 * relocated by libbpf against the running kernel's BTF (CO-RE), so their
 * offsets are the kernel's, not these declarations'.
 */
#ifdef STAPPROBE_RAW
struct signal_struct {
	short oom_score_adj;
} __attribute__((preserve_access_index));

struct task_struct {
	unsigned int sched_reset_on_fork : 1;
	int pid;
	int tgid;
	struct task_struct *real_parent;
	char comm[16];
	struct signal_struct *signal;
} __attribute__((preserve_access_index));

struct linux_binprm {
	const char *filename;
} __attribute__((preserve_access_index));

/* si_code sits in an anonymous struct, the queued value in unions: CO-RE
 * finds them by name as the kernel nests them. */
union sigval {
	int sival_int;
} __attribute__((preserve_access_index));

union __sifields {
	struct {
		int _pid;
		union sigval _sigval;
	} _rt;
} __attribute__((preserve_access_index));

struct kernel_siginfo {
	struct {
		int si_code;
		union __sifields _sifields;
	};
} __attribute__((preserve_access_index));

struct pt_regs {
	unsigned long di;
	unsigned long si;
	unsigned long dx;
	unsigned long orig_ax;
} __attribute__((preserve_access_index));

struct inode {
	unsigned long i_ino;
} __attribute__((preserve_access_index));

struct file_lock_core {
	unsigned char flc_type;
	int flc_pid;
} __attribute__((preserve_access_index));

struct file_lock {
	struct file_lock_core c;
} __attribute__((preserve_access_index));
#endif

/* Only the target process's events, and only the first one is kept. The
 * target is one single-threaded child whose events do not overlap: no
 * atomic needed (a fetching add would need -mcpu=v3). */
static __attribute__((always_inline)) int first_event(void)
{
	if (bpf_get_current_pid_tgid() >> 32 != out.target_tgid)
		return 0;
	return out.hits++ == 0;
}

#define STR(i, src) bpf_probe_read_kernel_str(out.v[i].s, CASE_STR, (src))

/*
 * raw_tp: every hop through a pointer is a bpf_probe_read_kernel (the
 * verifier gives raw_tp arguments no types); tp_btf: a direct load, which
 * the verifier checks against BTF (btf_struct_access) and turns into a
 * faulting-safe load.
 */
#define RD_RAW(x)                                                              \
	({                                                                     \
		typeof(x) v_ = 0;                                              \
		bpf_probe_read_kernel(&v_, sizeof(v_), &(x));                  \
		v_;                                                            \
	})
#define RD_BTF(x) (x)
/* A bitfield: libbpf relocates its byte offset, size and shifts (CO-RE). */
#define BF_RD_RAW(s, f) BPF_CORE_READ_BITFIELD_PROBED(s, f)
#define BF_RD_BTF(s, f) BPF_CORE_READ_BITFIELD(s, f)

#ifndef STAPPROBE_RAW

/* --- classic: members of the record, R1 + offsetof --- */

static __attribute__((always_inline)) void
data_loc_str(int i, void *ctx, unsigned int loc)
{
	/* __data_loc: offset from the record start in the low 16 bits */
	bpf_probe_read_kernel_str(out.v[i].s, CASE_STR, ctx + (loc & 0xffff));
}

#ifndef ACCESS_NO_CLASSIC_signal_generate
SEC("tracepoint/signal/signal_generate")
int classic_signal_generate(struct stapprobe_signal_generate *ctx)
{
	if (!first_event())
		return 0;
	out.v[0].n = ctx->data.sig;
	out.v[1].n = ctx->data.pid;
	STR(2, ctx->data.comm);
	out.v[3].n = ctx->data.group;
	out.v[4].n = ctx->data.result;
	out.v[6].n = ctx->data.code;
	return 0;
}
#endif

#ifndef ACCESS_NO_CLASSIC_task_rename
SEC("tracepoint/task/task_rename")
int classic_task_rename(struct stapprobe_task_rename *ctx)
{
	if (!first_event())
		return 0;
	STR(0, ctx->data.newcomm);
	STR(1, ctx->data.oldcomm);
	out.v[2].n = ctx->data.pid;
	out.v[4].n = ctx->data.oom_score_adj;
	out.v[6].n = ctx->data.oldcomm[1];
	return 0;
}
#endif

#ifndef ACCESS_NO_CLASSIC_sched_process_exec
SEC("tracepoint/sched/sched_process_exec")
int classic_sched_process_exec(struct stapprobe_sched_process_exec *ctx)
{
	if (!first_event())
		return 0;
	data_loc_str(0, ctx, ctx->data.filename);
	out.v[1].n = ctx->data.pid;
	out.v[2].n = ctx->data.old_pid;
	return 0;
}
#endif

#ifndef ACCESS_NO_CLASSIC_sys_enter_openat
SEC("tracepoint/syscalls/sys_enter_openat")
int classic_sys_enter_openat(struct stapprobe_sys_enter_openat *ctx)
{
	if (!first_event())
		return 0;
	/* a user-space pointer: the user helper */
	bpf_probe_read_user_str(out.v[0].s, CASE_STR, ctx->data.filename);
	out.v[1].n = ctx->data.dfd;
	out.v[2].n = ctx->data.flags;
	out.v[3].n = ctx->data.mode;
	return 0;
}
#endif

#ifndef ACCESS_NO_CLASSIC_sys_enter_nanosleep
/* A user struct behind a syscall's pointer: relocated against the kernel's
 * own BTF of the type, read with the user helper. */
struct __kernel_timespec {
	long long tv_sec;
	long long tv_nsec;
} __attribute__((preserve_access_index));

SEC("tracepoint/syscalls/sys_enter_nanosleep")
int classic_sys_enter_nanosleep(struct stapprobe_sys_enter_nanosleep *ctx)
{
	long long v = 0;

	if (!first_event())
		return 0;
	out.v[0].n = (long long)ctx->data.rqtp;
	bpf_probe_read_user(&v, sizeof(v), &ctx->data.rqtp->tv_sec);
	out.v[1].n = v;
	v = 0;
	bpf_probe_read_user(&v, sizeof(v), &ctx->data.rqtp->tv_nsec);
	out.v[2].n = v;
	return 0;
}
#endif

#ifndef ACCESS_NO_CLASSIC_sys_exit_openat
SEC("tracepoint/syscalls/sys_exit_openat")
int classic_sys_exit_openat(struct stapprobe_sys_exit_openat *ctx)
{
	if (!first_event())
		return 0;
	out.v[0].n = ctx->data.ret;
	return 0;
}
#endif

#ifndef ACCESS_NO_CLASSIC_sys_enter
SEC("tracepoint/raw_syscalls/sys_enter")
int classic_sys_enter(struct stapprobe_sys_enter *ctx)
{
	/* the case is the openat among the child's syscalls */
	if (ctx->data.id != CASE_NR_OPENAT || !first_event())
		return 0;
	out.v[0].n = ctx->data.id;
	out.v[1].n = (long long)ctx->data.args[1];
	out.v[2].n = (long long)ctx->data.args[2];
	out.v[3].n = (long long)ctx->data.args[0];
	return 0;
}
#endif

#ifndef ACCESS_NO_CLASSIC_sys_exit
SEC("tracepoint/raw_syscalls/sys_exit")
int classic_sys_exit(struct stapprobe_sys_exit *ctx)
{
	if (ctx->data.id != CASE_NR_OPENAT || !first_event())
		return 0;
	out.v[0].n = ctx->data.id;
	out.v[1].n = ctx->data.ret;
	return 0;
}
#endif

#ifndef ACCESS_NO_CLASSIC_fcntl_setlk
SEC("tracepoint/filelock/fcntl_setlk")
int classic_fcntl_setlk(struct stapprobe_fcntl_setlk *ctx)
{
	if (!first_event())
		return 0;
	out.v[0].n = ctx->data.ret;
	out.v[1].n = (long long)ctx->data.i_ino;
	out.v[2].n = ctx->data.type;
	out.v[3].n = ctx->data.pid;
	return 0;
}
#endif

#ifndef ACCESS_NO_CLASSIC_oom_score_adj_update
SEC("tracepoint/oom/oom_score_adj_update")
int classic_oom_score_adj_update(struct stapprobe_oom_score_adj_update *ctx)
{
	if (!first_event())
		return 0;
	out.v[0].n = ctx->data.oom_score_adj;
	out.v[1].n = ctx->data.pid;
	STR(2, ctx->data.comm);
	return 0;
}
#endif

#ifndef ACCESS_NO_CLASSIC_mmap_lock_acquire_returned
SEC("tracepoint/mmap_lock/mmap_lock_acquire_returned")
int classic_mmap_lock_acquire_returned(struct stapprobe_mmap_lock_acquire_returned *ctx)
{
	if (!first_event())
		return 0;
	out.v[0].n = ctx->data.write;
	out.v[1].n = ctx->data.success;
	return 0;
}
#endif

#ifndef ACCESS_NO_CLASSIC_sched_switch
SEC("tracepoint/sched/sched_switch")
int classic_sched_switch(struct stapprobe_sched_switch *ctx)
{
	/* the switch out of nanosleep: "S", 1 << TASK_INTERRUPTIBLE's index */
	if (ctx->data.prev_state != 1 || !first_event())
		return 0;
	out.v[1].n = ctx->data.prev_pid;
	STR(2, ctx->data.prev_comm);
	out.v[4].n = ctx->data.prev_state;
	return 0;
}
#endif

#ifndef ACCESS_NO_CLASSIC_task_newtask
SEC("tracepoint/task/task_newtask")
int classic_task_newtask(struct stapprobe_task_newtask *ctx)
{
	if (!first_event())
		return 0;
	out.v[0].n = ctx->data.pid;
	out.v[1].n = (long long)ctx->data.clone_flags;
	STR(2, ctx->data.comm);
	return 0;
}
#endif

#ifndef ACCESS_NO_CLASSIC_sched_process_fork
SEC("tracepoint/sched/sched_process_fork")
int classic_sched_process_fork(struct stapprobe_sched_process_fork *ctx)
{
	if (!first_event())
		return 0;
	out.v[0].n = ctx->data.parent_pid;
	out.v[1].n = ctx->data.child_pid;
	data_loc_str(2, ctx, ctx->data.parent_comm);
	return 0;
}
#endif

#else /* STAPPROBE_RAW */

/*
 * info is read with the helper on tp_btf too: it may be SEND_SIG_NOINFO or
 * SEND_SIG_PRIV ((struct kernel_siginfo *)1), and btf_ctx_access() types it
 * as a scalar ("marking pointer arg1 as scalar as it may encode error"),
 * so the verifier refuses a direct load through it.
 *
 * A form featprobe could not lay out at build time is #defined away in
 * forms.h (ACCESS_NO_CLASSIC_NAME, ACCESS_NO_RAW_NAME): its programs are
 * left out, and the test says why when the running kernel has the form.
 *
 * raw_tp and tp_btf share one body per case: the raw form's data members,
 * read with RD_RAW or RD_BTF. Integer arguments are loaded at their own
 * width from their slot (the low bytes on a little-endian machine).
 */
#define BODY_signal_generate(RD)                                               \
	out.v[0].n = ctx->data.sig;                                            \
	out.v[1].n = RD(ctx->data.task->pid);                                  \
	STR(2, ctx->data.task->comm);                                          \
	out.v[3].n = ctx->data.group;                                          \
	out.v[4].n = ctx->data.result;                                         \
	out.v[5].n = RD(ctx->data.task->tgid);                                 \
	out.v[6].n = RD_RAW(ctx->data.info->si_code);                          \
	out.v[7].n = RD_RAW(ctx->data.info->_sifields._rt._sigval.sival_int)

#define BODY_task_rename(RD)                                                   \
	STR(0, ctx->data.comm);                                                \
	STR(1, ctx->data.task->comm);                                          \
	out.v[2].n = RD(ctx->data.task->pid);                                  \
	out.v[3].n = RD(RD(ctx->data.task->real_parent)->tgid);                \
	out.v[4].n = RD(RD(ctx->data.task->signal)->oom_score_adj);            \
	out.v[5].n = BF_##RD(ctx->data.task, sched_reset_on_fork);             \
	out.v[6].n = RD(ctx->data.task->comm[1])

#define BODY_sched_process_exec(RD)                                            \
	STR(0, RD(ctx->data.bprm->filename));                                  \
	out.v[1].n = RD(ctx->data.p->pid);                                     \
	out.v[2].n = ctx->data.old_pid

#define BODY_sys_enter(RD)                                                     \
	out.v[0].n = ctx->data.id;                                             \
	out.v[1].n = (long long)RD(ctx->data.regs->si);                        \
	out.v[2].n = (long long)RD(ctx->data.regs->dx);                        \
	out.v[3].n = (long long)RD(ctx->data.regs->di)

#define BODY_sys_exit(RD)                                                      \
	out.v[0].n = (long long)RD(ctx->data.regs->orig_ax);                   \
	out.v[1].n = ctx->data.ret

/* fl may be NULL: tp_btf refuses a load through it unchecked */
#define BODY_fcntl_setlk(RD)                                                   \
	out.v[0].n = ctx->data.ret;                                            \
	out.v[1].n = (long long)RD(ctx->data.inode->i_ino);                    \
	if (ctx->data.fl) {                                                    \
		out.v[2].n = RD(ctx->data.fl->c.flc_type);                     \
		out.v[3].n = RD(ctx->data.fl->c.flc_pid);                      \
	}

#define BODY_oom_score_adj_update(RD)                                          \
	out.v[0].n = RD(RD(ctx->data.task->signal)->oom_score_adj);            \
	out.v[1].n = RD(ctx->data.task->pid);                                  \
	STR(2, ctx->data.task->comm)

#define BODY_mmap_lock_acquire_returned(RD)                                    \
	out.v[0].n = ctx->data.write;                                          \
	out.v[1].n = ctx->data.success

#define BODY_sched_switch(RD)                                                  \
	out.v[0].n = ctx->data.preempt;                                        \
	out.v[1].n = RD(ctx->data.prev->pid);                                  \
	STR(2, ctx->data.prev->comm);                                          \
	out.v[3].n = RD(RD(ctx->data.prev->real_parent)->pid);                 \
	out.v[4].n = ctx->data.prev_state

#define BODY_task_newtask(RD)                                                  \
	out.v[0].n = RD(ctx->data.task->pid);                                  \
	out.v[1].n = (long long)ctx->data.clone_flags;                         \
	STR(2, ctx->data.task->comm);                                          \
	out.v[3].n = RD(RD(ctx->data.task->real_parent)->tgid)

#define BODY_sched_process_fork(RD)                                            \
	out.v[0].n = RD(ctx->data.parent->pid);                                \
	out.v[1].n = RD(ctx->data.child->pid);                                 \
	STR(2, ctx->data.parent->comm)

/* The openat among the child's syscalls (orig_ax holds the number at exit). */
#define FILTER_sys_enter(RD) (ctx->data.id == CASE_NR_OPENAT)
#define FILTER_sys_exit(RD) (RD(ctx->data.regs->orig_ax) == CASE_NR_OPENAT)
/* The switch out of nanosleep (prev->__state has TASK_INTERRUPTIBLE), not
 * a preemption before it. */
#define FILTER_sched_switch(RD) (ctx->data.prev_state & 1)

/* raw_tp and tp_btf programs of one case, without an extra filter. */
#define CASE(name)                                                             \
	SEC("raw_tp/" #name)                                                   \
	int raw_##name(struct stapprobe_##name *ctx)                           \
	{                                                                      \
		if (!first_event())                                            \
			return 0;                                              \
		BODY_##name(RD_RAW);                                           \
		return 0;                                                      \
	}                                                                      \
	SEC("tp_btf/" #name)                                                   \
	int btf_##name(struct stapprobe_##name *ctx)                           \
	{                                                                      \
		if (!first_event())                                            \
			return 0;                                              \
		BODY_##name(RD_BTF);                                           \
		return 0;                                                      \
	}

/* The same, for a case whose event is picked among the process's events. */
#define CASE_FILTERED(name)                                                    \
	SEC("raw_tp/" #name)                                                   \
	int raw_##name(struct stapprobe_##name *ctx)                           \
	{                                                                      \
		if (!FILTER_##name(RD_RAW) || !first_event())                  \
			return 0;                                              \
		BODY_##name(RD_RAW);                                           \
		return 0;                                                      \
	}                                                                      \
	SEC("tp_btf/" #name)                                                   \
	int btf_##name(struct stapprobe_##name *ctx)                           \
	{                                                                      \
		if (!FILTER_##name(RD_BTF) || !first_event())                  \
			return 0;                                              \
		BODY_##name(RD_BTF);                                           \
		return 0;                                                      \
	}

#ifndef ACCESS_NO_RAW_signal_generate
CASE(signal_generate)
#endif
#ifndef ACCESS_NO_RAW_task_rename
CASE(task_rename)
#endif
#ifndef ACCESS_NO_RAW_sched_process_exec
CASE(sched_process_exec)
#endif
#ifndef ACCESS_NO_RAW_sys_enter
CASE_FILTERED(sys_enter)
#endif
#ifndef ACCESS_NO_RAW_sys_exit
CASE_FILTERED(sys_exit)
#endif
#ifndef ACCESS_NO_RAW_fcntl_setlk
CASE(fcntl_setlk)
#endif
#ifndef ACCESS_NO_RAW_oom_score_adj_update
CASE(oom_score_adj_update)
#endif
#ifndef ACCESS_NO_RAW_mmap_lock_acquire_returned
CASE(mmap_lock_acquire_returned)
#endif
#ifndef ACCESS_NO_RAW_sched_switch
CASE_FILTERED(sched_switch)
#endif
#ifndef ACCESS_NO_RAW_task_newtask
CASE(task_newtask)
#endif
#ifndef ACCESS_NO_RAW_sched_process_fork
CASE(sched_process_fork)
#endif

#endif /* STAPPROBE_RAW */
