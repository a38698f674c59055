// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The access-expression parser and code generator (libfeat/access.c). The
 * first input byte picks a tracepoint and a backend, the rest is the
 * expression. Layouts come from this machine's vmlinux BTF, offline, when
 * there is one (the parser alone is fuzzed otherwise). Whatever compiles is checked
 * the way the verifier would look at it first: registers, stack offsets
 * inside the caller's areas, jumps inside the code, only the probe_read
 * helpers called, and the listings made.
 */
#include <linux/bpf.h>

#include "fuzz-util.h"
#include "access-internal.h"

static const char *const tracepoints[] = {
	"sched:sched_switch", "syscalls:sys_enter_openat", "sched:sched_process_exec",
	"raw_syscalls:sys_enter", "signal:signal_generate", "task:task_rename",
};
static struct feat_layout *layouts[sizeof(tracepoints) / sizeof(tracepoints[0])];
static struct feat_ctx *ctx;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct feat_opts o;

	(void)argc;
	(void)argv;
	fuzz_opts(&o);
	/* Offline (no program loads in a fuzzer) on this machine's BTF: the
	 * raw forms, and the classic forms BTF can give. */
	o.btf = "/sys/kernel/btf/vmlinux";
	if (access(o.btf, R_OK) < 0)
		o.btf = NULL;
	ctx = feat_new(&o);
	if (!ctx)
		abort();
	for (size_t i = 0; i < sizeof(tracepoints) / sizeof(tracepoints[0]); i++)
		if (feat_layout_resolve(ctx, tracepoints[i], 0, &layouts[i]) < 0)
			layouts[i] = NULL;
	return 0;
}

static bool helper_ok(int32_t id)
{
	return id == BPF_FUNC_probe_read || id == BPF_FUNC_probe_read_str ||
	       id == BPF_FUNC_probe_read_kernel || id == BPF_FUNC_probe_read_kernel_str ||
	       id == BPF_FUNC_probe_read_user || id == BPF_FUNC_probe_read_user_str;
}

/* The default areas: scratch at R10-8, the 64-byte string below it. */
static bool stack_ok(int off, int size)
{
	return off >= -72 && off + size <= 0;
}

static int size_of(int code)
{
	switch (BPF_SIZE(code)) {
	case BPF_B:
		return 1;
	case BPF_H:
		return 2;
	case BPF_W:
		return 4;
	default:
		return 8;
	}
}

static void check_code(const struct feat_access *a)
{
	const struct feat_access_type *t = feat_access_type(a);
	const struct bpf_insn *in;
	size_t n;
	char *text;

	in = feat_access_insns(a, &n);
	if (!in || !n || !t || !t->c_type)
		abort();
	if (t->kind != FEAT_VALUE_INT && t->kind != FEAT_VALUE_PTR && t->kind != FEAT_VALUE_STRING)
		abort();
	if (t->kind != FEAT_VALUE_STRING && t->size != 1 && t->size != 2 && t->size != 4 &&
	    t->size != 8)
		abort();
	for (size_t i = 0; i < n; i++) {
		int cls = BPF_CLASS(in[i].code);

		if (in[i].dst_reg > 10 || in[i].src_reg > 10)
			abort();
		/* Only R0-R5 are written; R6 (the context) and R10 never. */
		if ((cls == BPF_ALU64 || cls == BPF_ALU || cls == BPF_LDX) && in[i].dst_reg > 5)
			abort();
		if ((cls == BPF_ST || cls == BPF_STX) &&
		    (in[i].dst_reg != BPF_REG_10 || !stack_ok(in[i].off, size_of(in[i].code))))
			abort();
		if (cls == BPF_LDX && in[i].src_reg == BPF_REG_10 &&
		    !stack_ok(in[i].off, size_of(in[i].code)))
			abort();
		if (in[i].code == (BPF_JMP | BPF_CALL) && !helper_ok(in[i].imm))
			abort();
		if (in[i].code == (BPF_JMP | BPF_EXIT))
			abort();
		if (cls == BPF_JMP && in[i].code != (BPF_JMP | BPF_CALL)) {
			long target = (long)i + 1 + in[i].off;

			/* A jump lands inside the code or just past its end. */
			if (target < 0 || target > (long)n)
				abort();
		}
	}
	if (feat_access_asm(a, &text) == 0) {
		fuzz_touch(text);
		free(text);
	}
	if (feat_access_json(a, &text) == 0) {
		fuzz_touch(text);
		free(text);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum feat_backend backends[] = {
		FEAT_BACKEND_TP_BTF, FEAT_BACKEND_RAW_TP, FEAT_BACKEND_TRACEPOINT,
		FEAT_BACKEND_KMOD,
	};
	struct feat_access_expr e;
	struct feat_access *a;
	struct feat_layout *l;
	char why[256];
	char *text;
	int r;

	if (size < 1 || size > 4096)
		return 0;
	text = fuzz_strndup(data + 1, size - 1);
	why[0] = '\0';
	r = feat_access_parse(text, &e, why, sizeof(why));
	if (r == 0) {
		if (!e.name[0] || e.n_ops > FEAT_ACCESS_OPS_MAX)
			abort();
	} else if (r != -EINVAL || !why[0]) {
		abort();
	}
	l = layouts[data[0] % (sizeof(layouts) / sizeof(layouts[0]))];
	if (l) {
		r = feat_access_compile(l, text, backends[(data[0] >> 4) % 4], NULL, &a);
		if (r == 0)
			check_code(a);
		else if (r != -EINVAL && r != -ENOENT && r != -EMEDIUMTYPE && r != -EOPNOTSUPP &&
			 r != -ERANGE && r != -E2BIG && r != -ENOMEM)
			abort();
		else if (a)
			abort();
		feat_access_free(a);
	}
	free(text);
	return 0;
}
