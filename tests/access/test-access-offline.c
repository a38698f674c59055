// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Access code for another kernel, offline: Debian's 6.1 root tree
 * (tests/layout/fixtures: its format files and vmlinux BTF). The expected
 * offsets come from that kernel's own files, read here independently of
 * the library (the format file's text, the BTF through libbpf); the
 * expected values come from running the emitted code in a small
 * interpreter over a made-up record or slot array, where the test decides
 * the bytes. The parser's errors and the listings are checked too.
 */
#include <check.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <json-c/json.h>

#include "access-internal.h"
#include "feat.h"
#include "testutil.h"

static char tmp[] = "/tmp/test-access-offline.XXXXXX";
static char root[300];
static struct feat_ctx *ctx;
static struct btf *btf;
static char logged[1024];

static void capture(void *data, int priority, const char *file, int line, const char *fn,
		    const char *format, va_list args)
{
	(void)data, (void)file, (void)line, (void)fn;
	if (priority <= LOG_ERR)
		vsnprintf(logged, sizeof(logged), format, args);
}

static int run(const char *cmd)
{
	int r = system(cmd);

	return WIFEXITED(r) ? WEXITSTATUS(r) : -1;
}

/* The offset the format file gives a field, read from its text. */
static unsigned int format_offset(const char *system, const char *event, const char *field)
{
	char path[600], line[512], want[128];
	unsigned int off = 0;
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/sys/kernel/tracing/events/%s/%s/format", root, system,
		 event);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	snprintf(want, sizeof(want), " %s;", field);
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, want), *o = strstr(line, "offset:");

		if (p && o && p < o) {
			off = (unsigned int)strtoul(o + 7, NULL, 10);
			found = true;
		}
	}
	fclose(f);
	ck_assert_msg(found, "no field %s in %s", field, path);
	return off;
}

/* A member's byte offset in a struct of the fixture's BTF. */
static unsigned int member_offset(const char *type, const char *member)
{
	int id = btf__find_by_name_kind(btf, type, BTF_KIND_STRUCT);
	const struct btf_type *t;

	ck_assert_msg(id > 0, "no struct %s", type);
	t = btf__type_by_id(btf, id);
	for (unsigned int i = 0; i < btf_vlen(t); i++) {
		const char *n = btf__name_by_offset(btf, btf_members(t)[i].name_off);

		if (n && strcmp(n, member) == 0)
			return btf_member_bit_offset(t, i) / 8;
	}
	ck_abort_msg("struct %s has no member %s", type, member);
	return 0;
}

/* The slot of TP_PROTO argument @arg, from __traceiter_NAME's parameters. */
static unsigned int arg_slot(const char *tp, const char *arg)
{
	char name[256];
	const struct btf_type *t;
	int id;

	snprintf(name, sizeof(name), "__traceiter_%s", tp);
	id = btf__find_by_name_kind(btf, name, BTF_KIND_FUNC);
	ck_assert_msg(id > 0, "no %s", name);
	t = btf__type_by_id(btf, btf__type_by_id(btf, id)->type);
	for (unsigned int i = 1; i < btf_vlen(t); i++)
		if (strcmp(btf__name_by_offset(btf, btf_params(t)[i].name_off), arg) == 0)
			return i - 1;
	ck_abort_msg("%s has no parameter %s", name, arg);
	return 0;
}

/*
 * A BPF interpreter for what the access code emits: ALU (64 and 32),
 * loads and stores, conditional jumps, and the probe_read helpers as
 * copies from this process's memory. Returns R0; the stack is @stack.
 */
static uint64_t interpret(const struct bpf_insn *in, size_t n, void *ctxp, uint8_t *stack,
			  unsigned int *calls)
{
	uint64_t r[11] = { 0 };
	size_t pc = 0;

	r[6] = (uint64_t)(uintptr_t)ctxp;
	r[10] = (uint64_t)(uintptr_t)(stack + 512);
	*calls = 0;
	while (pc < n) {
		const struct bpf_insn *i = &in[pc++];
		uint64_t src = BPF_SRC(i->code) == BPF_X ? r[i->src_reg] : (uint64_t)(int64_t)i->imm;
		uint8_t *addr;
		int size = BPF_SIZE(i->code) == BPF_B ? 1 : BPF_SIZE(i->code) == BPF_H ? 2
			 : BPF_SIZE(i->code) == BPF_W ? 4 : 8;

		switch (BPF_CLASS(i->code)) {
		case BPF_ALU64:
		case BPF_ALU:
			switch (BPF_OP(i->code)) {
			case BPF_MOV: r[i->dst_reg] = src; break;
			case BPF_ADD: r[i->dst_reg] += src; break;
			case BPF_AND: r[i->dst_reg] &= src; break;
			case BPF_LSH: r[i->dst_reg] <<= src; break;
			case BPF_RSH: r[i->dst_reg] >>= src; break;
			case BPF_ARSH: r[i->dst_reg] = (uint64_t)((int64_t)r[i->dst_reg] >> src); break;
			default: ck_abort_msg("unexpected ALU op %#x", i->code);
			}
			if (BPF_CLASS(i->code) == BPF_ALU)
				r[i->dst_reg] = (uint32_t)r[i->dst_reg];
			break;
		case BPF_LDX:
			addr = (uint8_t *)(uintptr_t)(r[i->src_reg] + (uint64_t)(int64_t)i->off);
			r[i->dst_reg] = 0;
			memcpy(&r[i->dst_reg], addr, (size_t)size); /* little-endian host */
			break;
		case BPF_ST:
		case BPF_STX:
			addr = (uint8_t *)(uintptr_t)(r[i->dst_reg] + (uint64_t)(int64_t)i->off);
			ck_assert(addr >= stack && addr + size <= stack + 512);
			/* BPF_ST stores the 32-bit immediate sign-extended. */
			if (BPF_CLASS(i->code) == BPF_ST)
				src = (uint64_t)(int64_t)i->imm;
			else
				src = r[i->src_reg];
			memcpy(addr, &src, (size_t)size);
			break;
		case BPF_JMP:
			if (i->code == (BPF_JMP | BPF_CALL)) {
				uint8_t *dst = (uint8_t *)(uintptr_t)r[1];
				const char *from = (const char *)(uintptr_t)r[3];

				ck_assert(dst >= stack && dst + r[2] <= stack + 512);
				(*calls)++;
				if (i->imm == BPF_FUNC_probe_read_kernel_str ||
				    i->imm == BPF_FUNC_probe_read_user_str) {
					size_t len = r[2] ? strnlen(from, r[2] - 1) : 0;

					if (r[2]) {
						memcpy(dst, from, len);
						dst[len] = 0;
					}
					r[0] = r[2] ? len + 1 : 0;
				} else {
					memcpy(dst, from, r[2]);
					r[0] = 0;
				}
				break;
			}
			if (i->code == (BPF_JMP | BPF_JA)) {
				pc += (size_t)(int64_t)i->off;
				break;
			}
			bool taken;

			switch (BPF_OP(i->code)) {
			case BPF_JEQ: taken = r[i->dst_reg] == src; break;
			case BPF_JLE: taken = r[i->dst_reg] <= src; break;
			case BPF_JLT: taken = r[i->dst_reg] < src; break;
			default: ck_abort_msg("unexpected jump %#x", i->code); taken = false;
			}
			if (taken)
				pc += (size_t)(int64_t)i->off;
			break;
		default:
			ck_abort_msg("unexpected instruction class %#x", i->code);
		}
	}
	return r[0];
}

static struct feat_access *compile(struct feat_layout *l, const char *expr, enum feat_backend b)
{
	struct feat_access *a = NULL;
	int r = feat_access_compile(l, expr, b, NULL, &a);

	ck_assert_msg(r == 0, "%s (%s): %s: %s", expr, feat_backend_name(b), strerror(-r), logged);
	return a;
}

static struct feat_layout *layout(const char *name)
{
	struct feat_layout *l;
	int r = feat_layout_resolve(ctx, name, 0, &l);

	ck_assert_msg(r == 0, "%s: %s", name, strerror(-r));
	return l;
}

START_TEST(test_parser)
{
	static const struct {
		const char *text;
		const char *why; /* NULL: parses */
		size_t n_ops;
	} cases[] = {
		{ "$prev->pid", NULL, 1 },
		{ " $task -> mm -> pgd ", NULL, 2 },
		{ "$a.b[3]->c", NULL, 3 },
		{ "$a[0x10]", NULL, 1 },
		{ "prev", "column 1", 0 },
		{ "$", "column 2", 0 },
		{ "$1x", "column 2", 0 },
		{ "$a->", "column 5", 0 },
		{ "$a[", "column 4", 0 },
		{ "$a[-1]", "column 4", 0 },
		{ "$a[1", "column 5", 0 },
		{ "$a[99999]", "out of range", 0 },
		{ "$a+1", "column 3", 0 },
		{ "$a.", "column 4", 0 },
		{ "", "column 1", 0 },
	};
	struct feat_access_expr e;
	char why[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = feat_access_parse(cases[i].text, &e, why, sizeof(why));

		if (!cases[i].why) {
			ck_assert_msg(r == 0, "'%s': %s", cases[i].text, why);
			ck_assert_uint_eq(e.n_ops, cases[i].n_ops);
		} else {
			ck_assert_msg(r == -EINVAL, "'%s' parsed", cases[i].text);
			ck_assert_msg(strstr(why, cases[i].why), "'%s': '%s' lacks '%s'",
				      cases[i].text, why, cases[i].why);
		}
	}
	ck_assert_int_eq(feat_access_parse("$a->b", &e, why, sizeof(why)), 0);
	ck_assert_str_eq(e.name, "a");
	ck_assert_int_eq(e.ops[0].kind, FEAT_OP_ARROW);
	ck_assert_str_eq(e.ops[0].name, "b");
}
END_TEST

/* Classic: the ctx load at the format file's offset, sign-extended. */
START_TEST(test_classic_offsets)
{
	struct feat_layout *l = layout("sched:sched_switch");
	unsigned int pid_off = format_offset("sched", "sched_switch", "prev_pid");
	unsigned int comm_off = format_offset("sched", "sched_switch", "next_comm[16]");
	uint8_t record[256] = { 0 }, stack[512];
	int32_t pid = -5;
	struct feat_access *a;
	const struct bpf_insn *in;
	unsigned int calls;
	size_t n;

	a = compile(l, "$prev_pid", FEAT_BACKEND_TRACEPOINT);
	in = feat_access_insns(a, &n);
	ck_assert_uint_eq(in[0].code, BPF_LDX | BPF_MEM | BPF_W);
	ck_assert_int_eq(in[0].src_reg, 6);
	ck_assert_int_eq(in[0].off, (int)pid_off);
	memcpy(record + pid_off, &pid, 4);
	ck_assert_int_eq((int64_t)interpret(in, n, record, stack, &calls), -5);
	ck_assert(feat_access_type(a)->is_signed);
	ck_assert_uint_eq(feat_access_type(a)->size, 4);
	feat_access_free(a);

	a = compile(l, "$next_comm", FEAT_BACKEND_TRACEPOINT);
	in = feat_access_insns(a, &n);
	memcpy(record + comm_off, "swapper/1\0zzzzzz", 16);
	interpret(in, n, record, stack, &calls);
	/* Loads from the record, no helper (lockdown=confidentiality). */
	ck_assert_uint_eq(calls, 0);
	ck_assert_str_eq((char *)stack + 512 - 72, "swapper/1");
	/* A full array still ends with a NUL, as the _str helpers do. */
	memcpy(record + comm_off, "0123456789abcdef", 16);
	interpret(in, n, record, stack, &calls);
	ck_assert_str_eq((char *)stack + 512 - 72, "0123456789abcde");
	ck_assert_int_eq(feat_access_type(a)->kind, FEAT_VALUE_STRING);
	ck_assert_str_eq(feat_access_type(a)->c_type, "char[16]");
	feat_access_free(a);

	/* The common header is below offset 8: a helper copies it. */
	a = compile(l, "$common_pid", FEAT_BACKEND_TRACEPOINT);
	in = feat_access_insns(a, &n);
	pid = 4242;
	memcpy(record + format_offset("sched", "sched_switch", "common_pid"), &pid, 4);
	ck_assert_int_eq((int64_t)interpret(in, n, record, stack, &calls), 4242);
	ck_assert_uint_eq(calls, 1);
	feat_access_free(a);
	feat_layout_free(l);
}
END_TEST

/* __data_loc: offset in the low 16 bits, length in the high 16. */
START_TEST(test_data_loc)
{
	struct feat_layout *l = layout("sched:sched_process_exec");
	unsigned int off = format_offset("sched", "sched_process_exec", "filename");
	uint8_t record[256] = { 0 }, stack[512];
	uint32_t loc = (uint32_t)(sizeof("/bin/true") << 16) | 64;
	struct feat_access *a = compile(l, "$filename", FEAT_BACKEND_TRACEPOINT);
	const struct bpf_insn *in;
	unsigned int calls;
	size_t n;

	in = feat_access_insns(a, &n);
	memcpy(record + off, &loc, 4);
	memcpy(record + 64, "/bin/true", sizeof("/bin/true"));
	memset(stack, 0xaa, sizeof(stack));
	interpret(in, n, record, stack, &calls);
	ck_assert_str_eq((char *)stack + 512 - 72, "/bin/true");
	/* A length shorter than the string bounds the copy. */
	loc = (4u << 16) | 64;
	memcpy(record + off, &loc, 4);
	interpret(in, n, record, stack, &calls);
	ck_assert_str_eq((char *)stack + 512 - 72, "/bi");
	feat_access_free(a);
	feat_layout_free(l);
}
END_TEST

/* Raw: the slot from the TP_PROTO, the member offset from BTF, and the
 * zero-extended slot read back as the declared signed type. */
START_TEST(test_raw)
{
	struct feat_layout *l = layout("sched:sched_switch");
	unsigned int slot = arg_slot("sched_switch", "prev");
	unsigned int pid_off = member_offset("task_struct", "pid");
	struct feat_access *a;
	const struct bpf_insn *in;
	uint64_t slots[12] = { 0 };
	uint8_t task[8192] = { 0 }, stack[512];
	int32_t pid = 77;
	unsigned int calls;
	size_t n;
	bool found = false;

	/* What a tp_btf program attaches to. */
	ck_assert_int_eq((int)feat_layout_raw_btf_id(l),
			 btf__find_by_name_kind(btf, "btf_trace_sched_switch", BTF_KIND_TYPEDEF));
	a = compile(l, "$prev->pid", FEAT_BACKEND_RAW_TP);
	in = feat_access_insns(a, &n);
	ck_assert_uint_eq(in[0].code, BPF_LDX | BPF_MEM | BPF_DW);
	ck_assert_int_eq(in[0].off, (int)(8 * slot));
	for (size_t i = 0; i < n; i++)
		if (in[i].code == (BPF_ALU64 | BPF_ADD | BPF_K) && in[i].dst_reg == 3 &&
		    in[i].imm == (int)pid_off)
			found = true;
	ck_assert_msg(found, "no r3 += %u (task_struct.pid) in the raw_tp code", pid_off);
	ck_assert_uint_le(pid_off + 4, sizeof(task));
	memcpy(task + pid_off, &pid, 4);
	slots[slot] = (uint64_t)(uintptr_t)task;
	ck_assert_int_eq((int64_t)interpret(in, n, slots, stack, &calls), 77);
	ck_assert_uint_eq(calls, 1);
	feat_access_free(a);

	/* tp_btf: a NULL check, then a direct load at the same offset. */
	a = compile(l, "$prev->pid", FEAT_BACKEND_TP_BTF);
	in = feat_access_insns(a, &n);
	ck_assert_uint_eq(in[1].code, BPF_JMP | BPF_JEQ | BPF_K);
	ck_assert_uint_eq(in[2].code, BPF_LDX | BPF_MEM | BPF_W);
	ck_assert_int_eq(in[2].off, (int)pid_off);
	ck_assert_int_eq((int64_t)interpret(in, n, slots, stack, &calls), 77);
	ck_assert_uint_eq(calls, 0);
	slots[slot] = 0;
	ck_assert_int_eq((int64_t)interpret(in, n, slots, stack, &calls), 0);
	feat_access_free(a);

	/* A char array behind a tp_btf pointer: loads, no helper. */
	a = compile(l, "$next->comm", FEAT_BACKEND_TP_BTF);
	in = feat_access_insns(a, &n);
	memcpy(task + member_offset("task_struct", "comm"), "kworker/0:1", 12);
	memset(slots, 0, sizeof(slots));
	slots[arg_slot("sched_switch", "next")] = (uint64_t)(uintptr_t)task;
	interpret(in, n, slots, stack, &calls);
	ck_assert_uint_eq(calls, 0);
	ck_assert_str_eq((char *)stack + 512 - 72, "kworker/0:1");
	/* NULL: an empty string. */
	slots[arg_slot("sched_switch", "next")] = 0;
	ck_assert_int_eq((int64_t)interpret(in, n, slots, stack, &calls), 0);
	ck_assert_str_eq((char *)stack + 512 - 72, "");
	feat_access_free(a);
	feat_layout_free(l);

	/* signal_generate(int sig, ...): -11 arrives as 0x00000000fffffff5. */
	l = layout("signal:signal_generate");
	slot = arg_slot("signal_generate", "result");
	a = compile(l, "$result", FEAT_BACKEND_RAW_TP);
	in = feat_access_insns(a, &n);
	memset(slots, 0, sizeof(slots));
	slots[slot] = 0x00000000fffffff5ull;
	ck_assert_int_eq((int64_t)interpret(in, n, slots, stack, &calls), -11);
	feat_access_free(a);
	feat_layout_free(l);
}
END_TEST

START_TEST(test_errors)
{
	static const struct {
		const char *tp;
		const char *expr;
		enum feat_backend backend;
		int err;
		const char *says;
	} cases[] = {
		{ "sched:sched_switch", "$nope", FEAT_BACKEND_RAW_TP, -ENOENT, "$prev" },
		{ "sched:sched_switch", "$nope", FEAT_BACKEND_TRACEPOINT, -ENOENT, "$prev_pid" },
		{ "sched:sched_switch", "$prev->nope", FEAT_BACKEND_TP_BTF, -ENOENT, "has no member 'nope'" },
		{ "sched:sched_switch", "$prev->se", FEAT_BACKEND_RAW_TP, -EMEDIUMTYPE, "not a scalar" },
		{ "sched:sched_switch", "$prev.pid", FEAT_BACKEND_RAW_TP, -EINVAL, "not a struct" },
		{ "sched:sched_switch", "$preempt->x", FEAT_BACKEND_RAW_TP, -EINVAL, "not a pointer" },
		{ "sched:sched_switch", "$prev_comm[16]", FEAT_BACKEND_TRACEPOINT, -ERANGE, "past the end" },
		{ "sched:sched_switch", "$prev->comm[16]", FEAT_BACKEND_RAW_TP, -ERANGE, "past the end" },
		{ "sched:sched_switch", "prev", FEAT_BACKEND_RAW_TP, -EINVAL, "'$'" },
		{ "sched:sched_switch", "$prev", FEAT_BACKEND_KMOD, -EINVAL, "kmod" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct feat_layout *l = layout(cases[i].tp);
		struct feat_access *a = (struct feat_access *)&a;
		int r;

		logged[0] = '\0';
		r = feat_access_compile(l, cases[i].expr, cases[i].backend, NULL, &a);
		ck_assert_msg(r == cases[i].err, "%s %s: %d (%s), expected %d", cases[i].tp,
			      cases[i].expr, r, logged, cases[i].err);
		ck_assert_ptr_null(a);
		ck_assert_msg(strstr(logged, cases[i].says), "%s: '%s' lacks '%s'", cases[i].expr,
			      logged, cases[i].says);
		ck_assert_msg(strstr(logged, cases[i].expr), "the error does not name '%s': %s",
			      cases[i].expr, logged);
		feat_layout_free(l);
	}
}
END_TEST

START_TEST(test_listings_and_opts)
{
	struct feat_access_opts o = { .sz = sizeof(o), .ctx_reg = 7, .scratch_off = -16,
				      .str_off = -48, .str_size = 32 };
	struct feat_layout *l = layout("sched:sched_switch");
	struct feat_access *a = compile(l, "$prev->pid", FEAT_BACKEND_RAW_TP);
	struct json_object *j, *insns, *v;
	const struct bpf_insn *in;
	char *text, line[64];
	size_t n;

	in = feat_access_insns(a, &n);
	ck_assert_int_eq(feat_access_asm(a, &text), 0);
	/* The kernel verifier's notation (kernel/bpf/disasm.c). */
	snprintf(line, sizeof(line), "0: (79) r0 = *(u64 *)(r6 +%d)\n", in[0].off);
	ck_assert_msg(strncmp(text, line, strlen(line)) == 0, "%s", text);
	ck_assert_ptr_nonnull(strstr(text, "call bpf_probe_read_kernel#113"));
	free(text);
	ck_assert_int_eq(feat_access_json(a, &text), 0);
	j = json_tokener_parse(text);
	ck_assert_msg(j != NULL, "not JSON: %s", text);
	ck_assert(json_object_object_get_ex(j, "insns", &insns));
	ck_assert_uint_eq(json_object_array_length(insns), n);
	ck_assert(json_object_object_get_ex(j, "tracepoint", &v));
	ck_assert_str_eq(json_object_get_string(v), "sched:sched_switch");
	json_object_put(j);
	free(text);
	ck_assert_uint_eq(feat_access_regs(a) & (1u << 6), 0);
	feat_access_free(a);

	ck_assert_int_eq(feat_access_compile(l, "$next->comm", FEAT_BACKEND_TP_BTF, &o, &a), 0);
	in = feat_access_insns(a, &n);
	ck_assert_int_eq(in[0].src_reg, 7);
	ck_assert_uint_eq(feat_access_type(a)->size, 16);
	for (size_t i = 0; i < n; i++)
		if (in[i].code == (BPF_ALU64 | BPF_ADD | BPF_K) && in[i].dst_reg == 1)
			ck_assert_int_eq(in[i].imm, -48);
	feat_access_free(a);

	o.str_off = -12; /* not 8-aligned */
	ck_assert_int_eq(feat_access_compile(l, "$prev->pid", FEAT_BACKEND_RAW_TP, &o, &a), -EINVAL);
	o.str_off = -16; /* overlaps the scratch slot */
	ck_assert_int_eq(feat_access_compile(l, "$prev->pid", FEAT_BACKEND_RAW_TP, &o, &a), -EINVAL);
	o.str_off = -48;
	o.ctx_reg = 1;
	ck_assert_int_eq(feat_access_compile(l, "$prev->pid", FEAT_BACKEND_RAW_TP, &o, &a), -EINVAL);
	ck_assert_int_eq(feat_access_compile(l, NULL, FEAT_BACKEND_RAW_TP, NULL, &a), -EINVAL);
	feat_layout_free(l);
}
END_TEST

int main(void)
{
	char cmd[1400], file[600], path[600];
	struct feat_opts o = { .sz = sizeof(o), .log_fn = capture, .flags = FEAT_F_NO_CACHE };
	Suite *s;
	TCase *tc;
	int failed;

	snprintf(file, sizeof(file), "%s/tests/layout/fixtures/debian-6.1.176-1-cloud-amd64.tar.xz",
		 test_srcdir());
	if (access(file, R_OK) < 0)
		test_skip("%s: %s", file, strerror(errno));
	if (run("command -v tar >/dev/null && command -v xz >/dev/null") != 0)
		test_skip("tar or xz not found");
	if (!mkdtemp(tmp))
		test_skip("mkdtemp: %s", strerror(errno));
	snprintf(root, sizeof(root), "%s/root", tmp);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s && tar xJf %s -C %s", root, file, root);
	if (run(cmd) != 0)
		test_skip("cannot unpack %s", file);
	o.root = root;
	ctx = feat_new(&o);
	snprintf(path, sizeof(path), "%s/sys/kernel/btf/vmlinux", root);
	btf = btf__parse(path, NULL);
	if (!ctx || !btf) {
		fprintf(stderr, "cannot open the 6.1 root tree %s\n", root);
		return EXIT_FAILURE;
	}

	s = suite_create("access-offline");
	tc = tcase_create("debian-6.1");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_parser);
	tcase_add_test(tc, test_classic_offsets);
	tcase_add_test(tc, test_data_loc);
	tcase_add_test(tc, test_raw);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_listings_and_opts);
	suite_add_tcase(s, tc);
	failed = test_run_suite(s, CK_NOFORK);
	btf__free(btf);
	feat_unref(ctx);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
	run(cmd);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
