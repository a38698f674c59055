// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * bpf() and the caller's privileges. The probe loads the smallest program
 * there is (r0 = 0; exit) as a socket filter: it tells a kernel without
 * bpf() (ENOSYS) from a caller who may not use it (EPERM) from one who can.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "probes.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

static int status_field(const char *status, const char *key,
			unsigned long long *value, int base)
{
	const char *p = strstr(status, key);
	char *end;

	if (!p)
		return -ENOENT;
	p += strlen(key);
	errno = 0;
	*value = strtoull(p, &end, base);
	return errno || end == p ? -EBADMSG : 0;
}

void feat_privileges_load(struct feat_ctx *ctx)
{
	struct feat_privileges_priv *p = &ctx->priv;
	unsigned long long v;
	char *status;
	long l;

	if (p->known)
		return;
	p->known = true;
	p->unprivileged_bpf_disabled = -1;
	p->seccomp = -1;
	if (ctx->flags & FEAT_F_OFFLINE)
		return;
	if (feat_read_file(ctx, "/proc/self/status", 1u << 16, &status, NULL) == 0) {
		if (status_field(status, "\nCapEff:", &v, 16) == 0)
			p->cap_eff = v;
		if (status_field(status, "\nSeccomp:", &v, 10) == 0)
			p->seccomp = (int)v;
		free(status);
	}
	if (feat_read_int(ctx, "/proc/sys/kernel/unprivileged_bpf_disabled", &l) == 0)
		p->unprivileged_bpf_disabled = (int)l;
}

bool feat_has_cap(struct feat_ctx *ctx, int cap)
{
	feat_privileges_load(ctx);
	return ctx->priv.cap_eff & (1ull << cap);
}

enum feat_state feat_bpf_errno_state(int err)
{
	switch (err) {
	case 0:
		return FEAT_YES;
	/* The kernel does not know the program or attach type, or a field
	 * of the attr (bpf_check_uarg_tail_zero: E2BIG), or the helper. */
	case EINVAL:
	case E2BIG:
	case EOPNOTSUPP:
	case 524: /* ENOTSUPP, kernel-internal */
		return FEAT_NO;
	/* Privilege, unprivileged_bpf_disabled, LSM, lockdown, RLIMIT_MEMLOCK
	 * before 5.11: never a "no". ENOSYS may be a seccomp filter. */
	default:
		return FEAT_UNKNOWN;
	}
}

/*
 * BPF_PROG_LOAD by hand rather than with libbpf's bpf_prog_load(): that one
 * (1.1) first loads a probe program of its own and, on kernels before 5.11,
 * raises RLIMIT_MEMLOCK behind the caller's back; the switch that turns this
 * off, libbpf_set_memlock_rlim(), is declared but not exported in 1.1. A
 * probe must change nothing and report the kernel's own errno.
 */
int feat_bpf_load_trivial(struct feat_ctx *ctx, int prog_type,
			  int expected_attach_type, uint32_t attach_btf_id,
			  char *log, size_t log_size)
{
	static const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	return feat_bpf_load_insns(ctx, prog_type, expected_attach_type, attach_btf_id,
				   insns, ARRAY_SIZE(insns), log, log_size);
}

int feat_bpf_load_insns(struct feat_ctx *ctx, int prog_type, int expected_attach_type,
			uint32_t attach_btf_id, const struct bpf_insn *insns, size_t n,
			char *log, size_t log_size)
{
	union bpf_attr attr;
	int fd;

	(void)ctx;
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = (uint32_t)prog_type;
	attr.insns = (uint64_t)(uintptr_t)insns;
	attr.insn_cnt = (uint32_t)n;
	attr.license = (uint64_t)(uintptr_t)"GPL";
	attr.expected_attach_type = (uint32_t)expected_attach_type;
	attr.attach_btf_id = attach_btf_id;
	if (log && log_size) {
		log[0] = '\0';
		attr.log_buf = (uint64_t)(uintptr_t)log;
		attr.log_size = (uint32_t)log_size;
		attr.log_level = 1;
	}
	/* Only the fields up to attach_btf_id: a kernel that knows fewer
	 * answers E2BIG only when one of them is set (bpf_check_uarg_tail_zero). */
	fd = (int)syscall(__NR_bpf, BPF_PROG_LOAD, &attr,
			  offsetofend(union bpf_attr, attach_btf_id));
	if (fd < 0 && errno == ENOSPC && log) {
		/* The log was too small for a verdict we do not need. */
		attr.log_buf = 0;
		attr.log_size = 0;
		attr.log_level = 0;
		fd = (int)syscall(__NR_bpf, BPF_PROG_LOAD, &attr,
				  offsetofend(union bpf_attr, attach_btf_id));
	}
	if (fd < 0) {
		int e = errno;

		/* One line for the detail: the log's lines joined. */
		if (log && log_size) {
			char *t;

			log[log_size - 1] = '\0';
			for (char *p = log; *p; p++)
				if (*p == '\n' || *p == '\t')
					*p = ' ';
			t = strtrim(log);
			memmove(log, t, strlen(t) + 1);
		}
		return -e;
	}
	return fd;
}

static void append_privileges(struct feat_ctx *ctx, struct feat_result_buf *r)
{
	const struct feat_privileges_priv *p = &ctx->priv;

	feat_result_append(r, "; CapEff:%s%s%s%s", p->cap_eff & (1ull << CAP_BPF) ? " CAP_BPF" : "",
			   p->cap_eff & (1ull << CAP_PERFMON) ? " CAP_PERFMON" : "",
			   p->cap_eff & (1ull << CAP_SYS_ADMIN) ? " CAP_SYS_ADMIN" : "",
			   p->cap_eff & ((1ull << CAP_BPF) | (1ull << CAP_PERFMON) |
					 (1ull << CAP_SYS_ADMIN)) ? "" : " none of CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN");
	if (p->unprivileged_bpf_disabled >= 0)
		feat_result_append(r, "; unprivileged_bpf_disabled=%d",
				   p->unprivileged_bpf_disabled);
	/* Since 5.11 BPF memory is charged to the memory cgroup
	 * (commit "bpf: switch to memcg-based memory accounting"). */
	switch (feat_kversion_at_least(ctx, 5, 11, 0)) {
	case FEAT_YES:
		feat_result_append(r, "; RLIMIT_MEMLOCK does not limit BPF (>= 5.11)");
		break;
	case FEAT_NO: {
		struct rlimit rl;

		if (getrlimit(RLIMIT_MEMLOCK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
			feat_result_append(r, "; RLIMIT_MEMLOCK (%llu bytes) limits BPF memory before 5.11",
					   (unsigned long long)rl.rlim_cur);
		else
			feat_result_append(r, "; RLIMIT_MEMLOCK is unlimited");
		break;
	}
	default:
		break;
	}
}

void probe_bpf(struct feat_ctx *ctx, struct feat_result_buf *r)
{
	enum feat_state k;
	int fd;

	/* kconfig only where the load does not settle it: inflating
	 * /proc/config.gz costs more than the load itself. */
	if (ctx->flags & FEAT_F_OFFLINE) {
		k = feat_kconfig_state(ctx, "CONFIG_BPF_SYSCALL");
		feat_result_offline(r);
		feat_result_append(r, "; CONFIG_BPF_SYSCALL %s",
				   k == FEAT_YES ? "is set" : k == FEAT_NO ? "is not set" : "unknown");
		feat_result_kernel(r, k, true);
		return;
	}
	feat_privileges_load(ctx);
	feat_result_source(r, "bpf(BPF_PROG_LOAD, SOCKET_FILTER)");
	fd = feat_bpf_load_trivial(ctx, BPF_PROG_TYPE_SOCKET_FILTER, 0, 0, NULL, 0);
	if (fd >= 0) {
		close(fd);
		feat_result_set(r, FEAT_YES, 0, "bpf() loads programs");
		feat_result_kernel(r, FEAT_YES, false);
	} else if (fd == -ENOSYS) {
		long v;
		bool sysctl = feat_read_int(ctx, "/proc/sys/kernel/unprivileged_bpf_disabled", &v) == 0;

		k = feat_kconfig_state(ctx, "CONFIG_BPF_SYSCALL");

		/* ENOSYS alone may be a seccomp filter, not the kernel. */
		if (ctx->priv.seccomp > 0 || k == FEAT_YES || sysctl) {
			feat_result_set(r, FEAT_UNKNOWN, ENOSYS,
					"bpf() answered ENOSYS, but %s: something filters the call",
					ctx->priv.seccomp > 0 ? "a seccomp filter is active"
					: k == FEAT_YES ? "CONFIG_BPF_SYSCALL=y"
							: "kernel.unprivileged_bpf_disabled exists");
			feat_result_kernel(r, k == FEAT_YES || sysctl ? FEAT_YES : k, true);
		} else {
			feat_result_set(r, FEAT_NO, ENOSYS,
					"the kernel has no bpf() system call (ENOSYS, no seccomp filter%s)",
					k == FEAT_NO ? ", CONFIG_BPF_SYSCALL is not set" : "");
			feat_result_kernel(r, FEAT_NO, false);
		}
	} else if ((fd == -EPERM || fd == -EACCES) && ctx->priv.seccomp == 0) {
		/* Only the kernel's bpf() checks privileges: it exists. */
		feat_result_set(r, FEAT_UNKNOWN, -fd,
				"bpf() refused the load: %s; the call exists",
				strerror(-fd));
		feat_result_kernel(r, FEAT_YES, false);
	} else {
		feat_result_set(r, FEAT_UNKNOWN, -fd, "bpf() refused the load: %s",
				strerror(-fd));
		feat_result_kernel(r, feat_kconfig_state(ctx, "CONFIG_BPF_SYSCALL"), true);
	}
	append_privileges(ctx, r);
}

/*
 * Static evidence for a BPF program type: kconfig symbols, then the BTF's
 * enum bpf_prog_type / enum bpf_attach_type members. Sets r's kernel verdict
 * (marked static) and says what decided it.
 */
void feat_static_bpf(struct feat_ctx *ctx, struct feat_result_buf *r,
		     const struct feat_static_spec *spec)
{
	const char *const *configs = spec->configs;
	const char *prog_type = spec->prog_type, *attach_type = spec->attach_type;
	unsigned int major = spec->major, minor = spec->minor;
	const char *missing = NULL;
	enum feat_state kc, bt = FEAT_UNKNOWN, v;

	kc = feat_static_kconfig_all(ctx, configs, &missing);
	if (kc == FEAT_NO) {
		feat_result_append(r, "; %s is not set", missing);
		feat_result_kernel(r, FEAT_NO, true);
		return;
	}
	/* Only a BTF whose header holds is evidence. */
	if (prog_type && feat_probe(ctx, FEAT_BTF)->state == FEAT_YES) {
		bt = feat_btf_enum_has(ctx, "bpf_prog_type", prog_type);
		if (bt == FEAT_YES && attach_type)
			bt = feat_btf_enum_has(ctx, "bpf_attach_type", attach_type);
	}
	if (bt == FEAT_NO) {
		feat_result_append(r, "; the kernel's BTF lacks %s%s%s", prog_type,
				   attach_type ? " or " : "", attach_type ? attach_type : "");
		feat_result_kernel(r, FEAT_NO, true);
		return;
	}
	if (bt == FEAT_YES) {
		feat_result_append(r, "; the kernel's BTF has %s%s%s%s", prog_type,
				   attach_type ? " and " : "", attach_type ? attach_type : "",
				   kc == FEAT_YES ? " and kconfig agrees" : "");
		feat_result_kernel(r, FEAT_YES, true);
		return;
	}
	/* No BTF to read: kconfig plus the version, a hint only. */
	v = feat_kversion_at_least(ctx, major, minor, 0);
	if (kc == FEAT_YES && v == FEAT_YES) {
		feat_result_append(r, "; kconfig has %s and the kernel is >= %u.%u",
				   configs[0], major, minor);
		feat_result_kernel(r, FEAT_YES, true);
	} else if (v == FEAT_NO) {
		/* Distributions backport BPF features: a version is no "no". */
		feat_result_append(r, "; the kernel is older than %u.%u, which is only a hint",
				   major, minor);
		feat_result_kernel(r, FEAT_UNKNOWN, true);
	} else {
		feat_result_append(r, "; no static evidence either way");
		feat_result_kernel(r, FEAT_UNKNOWN, true);
	}
}

void feat_result_load_refused(struct feat_ctx *ctx, struct feat_result_buf *r,
			      const struct feat_static_spec *spec, int err,
			      char *log, const char *what)
{
	enum feat_state s = feat_bpf_errno_state(err);
	bool logged = log && log[0];

	/* A kernel without the program or attach type refuses it before the
	 * verifier starts (find_prog_type, bpf_prog_load_check_attach): no
	 * log. EINVAL with a log means the kernel knows the type and refused
	 * this particular load (a wrong BTF id, a verifier rule). */
	if (s == FEAT_NO && logged)
		s = FEAT_UNKNOWN;
	feat_result_set(r, s, err, "%s refused: %s%s%s", what, strerror(err),
			logged ? "; verifier: " : "", logged ? log : "");
	if (s == FEAT_NO)
		feat_result_kernel(r, FEAT_NO, false);
	else if (err == EINVAL && logged)
		feat_result_kernel(r, FEAT_YES, false);
	else
		feat_static_bpf(ctx, r, spec);
}

/*
 * Whether the kernel offers helper @func_id to tracing programs. Asked of
 * a BPF_PROG_TYPE_RAW_TRACEPOINT load: raw_tp, tp_btf and classic
 * tracepoint programs all fall back to bpf_tracing_func_proto(), which
 * holds the probe_read family. The verifier refuses a helper it does not
 * offer with "invalid func" / "unknown func" (check_helper_call()), or on
 * newer kernels "program of this type cannot use helper" (6.12 under
 * lockdown=confidentiality), which is the "no" here; any other refusal
 * (EPERM, a sandbox) is "unknown", and
 * then the BTF's enum bpf_func_id says whether the kernel knows the helper
 * at all. Offline, that enum is the only evidence.
 */
enum feat_state feat_bpf_helper(struct feat_ctx *ctx, int func_id, const char *enum_name)
{
	/* r1 = r10 - 8; r2 = 8; r3 = 0; call func_id; r0 = 0; exit */
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = BPF_REG_1, .src_reg = BPF_REG_10 },
		{ .code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = BPF_REG_1, .imm = -8 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_2, .imm = 8 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_3, .imm = 0 },
		{ .code = BPF_JMP | BPF_CALL, .imm = func_id },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	enum feat_state state = FEAT_UNKNOWN;
	char log[1024];
	size_t i;
	int fd;

	for (i = 0; i < ctx->n_helpers; i++)
		if (ctx->helpers[i].func_id == func_id)
			return ctx->helpers[i].state;
	if (!feat_is_offline(ctx)) {
		fd = feat_bpf_load_insns(ctx, BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 0, insns,
					 ARRAY_SIZE(insns), log, sizeof(log));
		if (fd >= 0) {
			close(fd);
			state = FEAT_YES;
		} else if (fd == -EINVAL &&
			   (strstr(log, "invalid func") || strstr(log, "unknown func") ||
			    strstr(log, "cannot use helper"))) {
			state = FEAT_NO;
		}
		dbg(ctx, "helper %s (#%d): load %s%s", enum_name, func_id,
		    fd >= 0 ? "accepted" : strerror(-fd), fd >= 0 ? "" : log);
	}
	if (state == FEAT_UNKNOWN)
		state = feat_btf_enum_has(ctx, "bpf_func_id", enum_name);
	if (ctx->n_helpers < ARRAY_SIZE(ctx->helpers)) {
		ctx->helpers[ctx->n_helpers].func_id = func_id;
		ctx->helpers[ctx->n_helpers++].state = state;
	}
	return state;
}

/*
 * Whether the verifier types a tp_btf pointer argument as a pointer it
 * lets the program load through. btf_ctx_access() makes most pointers to
 * structs trusted BTF pointers, but keeps as scalars the arguments a kernel
 * table lists as possibly carrying an error or a small integer instead
 * ("marking pointer arg%d as scalar as it may encode error": for example
 * signal_generate's info, which may be SEND_SIG_PRIV). BTF does not show
 * that table: a load of "if (arg) r0 = *(u8 *)arg" answers it.
 */
enum feat_state feat_bpf_tp_btf_arg(struct feat_ctx *ctx, uint32_t btf_id, unsigned int slot)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_LDX | BPF_MEM | BPF_DW, .dst_reg = BPF_REG_1, .src_reg = BPF_REG_1,
		  .off = (int16_t)(8 * slot) },
		{ .code = BPF_JMP | BPF_JEQ | BPF_K, .dst_reg = BPF_REG_1, .off = 1 },
		{ .code = BPF_LDX | BPF_MEM | BPF_B, .dst_reg = BPF_REG_0, .src_reg = BPF_REG_1 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	enum feat_state state = FEAT_UNKNOWN;
	char log[4096];
	size_t i;
	int fd;

	if (feat_is_offline(ctx) || !btf_id)
		return FEAT_UNKNOWN;
	for (i = 0; i < ctx->n_tp_btf_args; i++)
		if (ctx->tp_btf_args[i].btf_id == btf_id && ctx->tp_btf_args[i].slot == slot)
			return ctx->tp_btf_args[i].state;
	fd = feat_bpf_load_insns(ctx, BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP, btf_id, insns,
				 ARRAY_SIZE(insns), log, sizeof(log));
	if (fd >= 0) {
		close(fd);
		state = FEAT_YES;
	} else if (fd == -EACCES && strstr(log, "invalid mem access 'scalar'")) {
		state = FEAT_NO;
	}
	dbg(ctx, "tp_btf BTF id %u arg %u: %s\n", btf_id, slot,
	    state == FEAT_YES ? "a pointer" : state == FEAT_NO ? "a scalar" : log);
	if (ctx->n_tp_btf_args < ARRAY_SIZE(ctx->tp_btf_args)) {
		ctx->tp_btf_args[ctx->n_tp_btf_args].btf_id = btf_id;
		ctx->tp_btf_args[ctx->n_tp_btf_args].slot = slot;
		ctx->tp_btf_args[ctx->n_tp_btf_args++].state = state;
	}
	return state;
}
