/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Source of the BTF seeds: a miniature vmlinux, with the shapes the
 * library looks for (btf_trace_NAME typedefs, __probestub_ functions, the
 * bpf_prog_type / bpf_attach_type enums), compiled with
 * clang -g -target bpf and its .BTF section extracted (mkseeds.sh).
 */
typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef int pid_t;
typedef _Bool bool;

enum bpf_prog_type {
	BPF_PROG_TYPE_UNSPEC,
	BPF_PROG_TYPE_TRACEPOINT = 5,
	BPF_PROG_TYPE_RAW_TRACEPOINT = 17,
	BPF_PROG_TYPE_TRACING = 26,
};

enum bpf_attach_type {
	BPF_CGROUP_INET_INGRESS,
	BPF_TRACE_RAW_TP = 23,
};

enum big { BIG_A = 1ULL << 40, BIG_B = -1LL };

struct list_head {
	struct list_head *next, *prev;
};

struct mm_struct;
struct cfs_rq;

union u {
	int i;
	float f;
};

struct task_struct {
	volatile long state;
	pid_t pid;
	char comm[16];
	struct list_head tasks;
	struct mm_struct *mm;
	unsigned int flags : 3, more : 5;
	union u u;
	const struct task_struct *const parent;
};

struct pt_regs {
	unsigned long regs[21];
};

typedef void (*btf_trace_sched_switch)(void *, bool, struct task_struct *,
				       struct task_struct *, unsigned int);
typedef void (*btf_trace_sys_enter)(void *, struct pt_regs *, long);
typedef void (*btf_trace_pelt_cfs_tp)(void *, struct cfs_rq *);
typedef void (*btf_trace_sched_wakeup)(void *, struct task_struct *);
typedef void (*btf_trace_kfree)(void *, unsigned long, const void *, enum big);
typedef void (*btf_trace_mm_x)(void *, union u, u64 (*)[4], char *const *);

void __probestub_sched_switch(void *__data, bool preempt,
			      struct task_struct *prev,
			      struct task_struct *next,
			      unsigned int prev_state)
{
}

void __probestub_sched_wakeup(void *__data, struct task_struct *p)
{
}

void __traceiter_pelt_cfs_tp(void *__data, struct cfs_rq *cfs_rq)
{
}

btf_trace_sched_switch t1;
btf_trace_sys_enter t2;
btf_trace_pelt_cfs_tp t3;
btf_trace_sched_wakeup t4;
btf_trace_kfree t5;
btf_trace_mm_x t6;
enum bpf_prog_type pt;
enum bpf_attach_type at;
struct task_struct ts;
u8 b8;
u32 b32;
