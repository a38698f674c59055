// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Access code: a target variable ("$prev->pid") as BPF instructions for one
 * backend, following the register convention documented in feat.h.
 *
 * An expression walks from a root (a classic field at a record offset, or a
 * raw argument in its u64 slot) through members and indexes. Where the
 * value sits is tracked as a location: the classic record (R_ctx + off), a
 * raw slot (R_ctx + 8 * slot, plus a byte offset inside a union or struct
 * passed by value), or memory behind a pointer already loaded into R0. Each
 * "->" loads the pointer it crosses; the end loads the value, or copies the
 * string, and extends the result to 64 bits as its C type says.
 */
#include <ctype.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "access-internal.h"
#include "layout-internal.h"

#define DEFAULT_STR_SIZE 64
#define MAX_INSNS 256
#define MAX_FAIL_JUMPS 32

struct feat_access {
	struct bpf_insn *insns;
	size_t n;
	struct feat_access_type type;
	char c_type[256];
	char tracepoint[512];
	char *expr;
	enum feat_backend backend;
	unsigned int regs;
};

/* --- the parser --- */

static void why_set(char *why, size_t size, const char *format, ...) _printf_(3, 4);
static void why_set(char *why, size_t size, const char *format, ...)
{
	va_list args;

	if (!why || !size)
		return;
	va_start(args, format);
	vsnprintf(why, size, format, args);
	va_end(args);
}

static bool ident_start(char c)
{
	return c == '_' || isalpha((unsigned char)c);
}

static bool ident_char(char c)
{
	return c == '_' || isalnum((unsigned char)c);
}

/* An identifier at *p into @out; 0 or -EINVAL. */
static int parse_ident(const char **p, char *out, const char *text, char *why, size_t why_size)
{
	const char *s = *p;
	size_t len = 0;

	if (!ident_start(*s)) {
		why_set(why, why_size, "column %zu: a name was expected", (size_t)(s - text) + 1);
		return -EINVAL;
	}
	while (ident_char(s[len]))
		len++;
	if (len >= FEAT_ACCESS_NAME_MAX) {
		why_set(why, why_size, "column %zu: name longer than %d characters",
			(size_t)(s - text) + 1, FEAT_ACCESS_NAME_MAX - 1);
		return -EINVAL;
	}
	memcpy(out, s, len);
	out[len] = '\0';
	*p = s + len;
	return 0;
}

static const char *skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

int feat_access_parse(const char *text, struct feat_access_expr *expr, char *why,
		      size_t why_size)
{
	const char *p;
	int r;

	memset(expr, 0, sizeof(*expr));
	if (!text) {
		why_set(why, why_size, "no expression");
		return -EINVAL;
	}
	p = skip_blanks(text);
	if (*p != '$') {
		why_set(why, why_size, "column %zu: a target variable starts with '$'",
			(size_t)(p - text) + 1);
		return -EINVAL;
	}
	p++;
	r = parse_ident(&p, expr->name, text, why, why_size);
	if (r < 0)
		return r;
	for (;;) {
		struct feat_access_op *op;

		p = skip_blanks(p);
		if (!*p)
			return 0;
		if (expr->n_ops == FEAT_ACCESS_OPS_MAX) {
			why_set(why, why_size, "column %zu: more than %d members and indexes",
				(size_t)(p - text) + 1, FEAT_ACCESS_OPS_MAX);
			return -EINVAL;
		}
		op = &expr->ops[expr->n_ops];
		if (p[0] == '-' && p[1] == '>') {
			op->kind = FEAT_OP_ARROW;
			p = skip_blanks(p + 2);
			r = parse_ident(&p, op->name, text, why, why_size);
		} else if (p[0] == '.') {
			op->kind = FEAT_OP_DOT;
			p = skip_blanks(p + 1);
			r = parse_ident(&p, op->name, text, why, why_size);
		} else if (p[0] == '[') {
			char *end;

			op->kind = FEAT_OP_INDEX;
			p = skip_blanks(p + 1);
			if (!isdigit((unsigned char)*p)) {
				why_set(why, why_size,
					"column %zu: an index is a constant: [N]",
					(size_t)(p - text) + 1);
				return -EINVAL;
			}
			errno = 0;
			op->index = strtoul(p, &end, 0);
			if (errno || op->index > 65535) {
				why_set(why, why_size, "column %zu: index out of range",
					(size_t)(p - text) + 1);
				return -EINVAL;
			}
			p = skip_blanks(end);
			if (*p != ']') {
				why_set(why, why_size, "column %zu: ']' expected",
					(size_t)(p - text) + 1);
				return -EINVAL;
			}
			p++;
			r = 0;
		} else {
			why_set(why, why_size,
				"column %zu: '->', '.' or '[' expected, not '%c'",
				(size_t)(p - text) + 1, *p);
			return -EINVAL;
		}
		if (r < 0)
			return r;
		expr->n_ops++;
	}
}

/* --- instructions --- */

struct gen {
	struct feat_ctx *ctx;
	const struct feat_layout *l;
	const struct btf *btf;
	enum feat_backend backend;
	int ctx_reg;
	int scratch;
	int str_off;
	unsigned int str_size;
	int read_kernel, read_kernel_str, read_user, read_user_str;
	struct bpf_insn insns[MAX_INSNS];
	size_t n;
	size_t fail_jumps[MAX_FAIL_JUMPS];
	size_t n_fail;
	bool overflow;
	unsigned int regs;
	char *why;
	size_t why_size;
};

static void emit(struct gen *g, uint8_t code, int dst, int src, int16_t off, int32_t imm)
{
	if (g->n == MAX_INSNS) {
		g->overflow = true;
		return;
	}
	g->insns[g->n++] = (struct bpf_insn){
		.code = code, .dst_reg = (uint8_t)dst, .src_reg = (uint8_t)src, .off = off, .imm = imm
	};
	if (BPF_CLASS(code) == BPF_ALU64 || BPF_CLASS(code) == BPF_ALU ||
	    BPF_CLASS(code) == BPF_LDX)
		g->regs |= 1u << dst;
	if (code == (BPF_JMP | BPF_CALL))
		g->regs |= 0x3f; /* R0-R5 */
}

static void mov_reg(struct gen *g, int dst, int src)
{
	emit(g, BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0);
}

static void mov_imm(struct gen *g, int dst, int32_t imm)
{
	emit(g, BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm);
}

static void alu_imm(struct gen *g, int op, int dst, int32_t imm)
{
	emit(g, BPF_ALU64 | op | BPF_K, dst, 0, 0, imm);
}

static int size_code(unsigned int size)
{
	switch (size) {
	case 1:
		return BPF_B;
	case 2:
		return BPF_H;
	case 4:
		return BPF_W;
	default:
		return BPF_DW;
	}
}

static void load(struct gen *g, int dst, int src, int off, unsigned int size)
{
	emit(g, BPF_LDX | BPF_MEM | size_code(size), dst, src, (int16_t)off, 0);
}

static void call(struct gen *g, int func)
{
	emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, func);
}

/* A jump to the end's "value unreadable" block, patched at the end. */
static void jump_fail_if_zero(struct gen *g, int reg)
{
	if (g->n_fail == MAX_FAIL_JUMPS) {
		g->overflow = true;
		return;
	}
	g->fail_jumps[g->n_fail++] = g->n;
	emit(g, BPF_JMP | BPF_JEQ | BPF_K, reg, 0, 0, 0);
}

/* Zero @size bytes of stack at R10 + @off (8-aligned). */
static void zero_stack(struct gen *g, int off, unsigned int size)
{
	unsigned int i = 0;

	for (; i + 8 <= size; i += 8)
		emit(g, BPF_ST | BPF_MEM | BPF_DW, BPF_REG_10, 0, (int16_t)(off + (int)i), 0);
	for (; i < size; i++)
		emit(g, BPF_ST | BPF_MEM | BPF_B, BPF_REG_10, 0, (int16_t)(off + (int)i), 0);
}

/*
 * Copy @size bytes from the address in R3 to the scratch slot with @helper
 * and load them into R0. The probe_read helpers zero their destination
 * when the read faults (bpf_probe_read_kernel_common()), so a bad pointer
 * reads as 0.
 */
static void read_via_scratch(struct gen *g, int helper, unsigned int size)
{
	mov_reg(g, BPF_REG_1, BPF_REG_10);
	alu_imm(g, BPF_ADD, BPF_REG_1, g->scratch);
	mov_imm(g, BPF_REG_2, (int32_t)size);
	call(g, helper);
	load(g, BPF_REG_0, BPF_REG_10, g->scratch, size);
}

/* R0 holds @bits low bits of interest, zero- or sign-extend them. */
static void extend(struct gen *g, unsigned int bits, bool is_signed)
{
	if (bits >= 64)
		return;
	if (is_signed) {
		alu_imm(g, BPF_LSH, BPF_REG_0, (int32_t)(64 - bits));
		alu_imm(g, BPF_ARSH, BPF_REG_0, (int32_t)(64 - bits));
	} else if (bits == 32) {
		emit(g, BPF_ALU | BPF_MOV | BPF_X, BPF_REG_0, BPF_REG_0, 0, 0);
	} else if (bits < 32) {
		alu_imm(g, BPF_AND, BPF_REG_0, (int32_t)((1u << bits) - 1));
	} else {
		alu_imm(g, BPF_LSH, BPF_REG_0, (int32_t)(64 - bits));
		alu_imm(g, BPF_RSH, BPF_REG_0, (int32_t)(64 - bits));
	}
}

/* --- types --- */

static bool is_char(const struct btf *btf, const struct btf_type *t)
{
	const char *name;

	if (!t || !btf_is_int(t) || t->size != 1)
		return false;
	if (btf_int_encoding(t) & BTF_INT_CHAR)
		return true;
	name = btf__name_by_offset(btf, t->name_off);
	return name && strstr(name, "char");
}

static bool is_signed_type(const struct btf_type *t)
{
	if (btf_is_int(t))
		return btf_int_encoding(t) & BTF_INT_SIGNED;
	if (btf_is_enum(t) || btf_is_enum64(t))
		return btf_kflag(t);
	return false;
}

static bool is_scalar(const struct btf_type *t)
{
	return t && (btf_is_int(t) || btf_is_enum(t) || btf_is_enum64(t));
}

static bool is_composite(const struct btf_type *t)
{
	return t && (btf_is_struct(t) || btf_is_union(t));
}

/*
 * The C name of type @id the way btf_dump prints it ("struct task_struct *",
 * "char[16]", "const char *"), for the common shapes: a btf_dump instance
 * costs a millisecond to set up, a hundred times the whole compile. Returns
 * false for what it does not handle (function pointers).
 */
static void type_name(struct gen *g, uint32_t id, char *buf, size_t size)
{
	struct feat_namer *namer;
	char *s;

	if (feat_type_name_quick(g->btf, id, buf, size))
		return;
	namer = feat_namer_new((struct btf *)g->btf);
	s = namer ? feat_namer_type(namer, id) : NULL;
	snprintf(buf, size, "%s", s ? s : "?");
	free(s);
	feat_namer_free(namer);
}

/*
 * Find member @name of struct/union @t, looking inside anonymous members.
 * Sets the member's type and its bit offset from @t's start, and the
 * bitfield size (0 for none). Returns 0 or -ENOENT.
 */
static int find_member(const struct btf *btf, const struct btf_type *t, const char *name,
		       uint32_t *type, uint32_t *bit_off, uint32_t *bitfield, int depth)
{
	const struct btf_member *m = btf_members(t);

	if (depth > 16)
		return -ENOENT;
	for (unsigned int i = 0; i < btf_vlen(t); i++, m++) {
		const char *mname = btf__name_by_offset(btf, m->name_off);
		uint32_t off = btf_member_bit_offset(t, i);

		if (mname && *mname) {
			if (strcmp(mname, name) == 0) {
				*type = m->type;
				*bit_off = off;
				*bitfield = btf_member_bitfield_size(t, i);
				return 0;
			}
			continue;
		}
		/* An anonymous struct or union: its members are ours. */
		const struct btf_type *inner = skip_mods_typedefs(btf, m->type, NULL);

		if (is_composite(inner) &&
		    find_member(btf, inner, name, type, bit_off, bitfield, depth + 1) == 0) {
			*bit_off += off;
			return 0;
		}
	}
	return -ENOENT;
}

/* The names a struct offers, for an error message. */
static void list_members(const struct btf *btf, const struct btf_type *t, char *buf, size_t size,
			 int depth)
{
	const struct btf_member *m = btf_members(t);
	size_t len = strlen(buf);

	for (unsigned int i = 0; i < btf_vlen(t) && depth < 16; i++, m++) {
		const char *mname = btf__name_by_offset(btf, m->name_off);

		if (mname && *mname) {
			int n = snprintf(buf + len, size - len, "%s%s", len ? ", " : "", mname);

			if (n < 0 || (size_t)n >= size - len) {
				if (size > 4)
					strcpy(buf + size - 4, "...");
				return;
			}
			len += (size_t)n;
		} else {
			const struct btf_type *inner = skip_mods_typedefs(btf, m->type, NULL);

			if (is_composite(inner)) {
				list_members(btf, inner, buf, size, depth + 1);
				len = strlen(buf);
			}
		}
	}
}

/* --- walking the expression --- */

enum loc_kind {
	LOC_CTX,  /* the classic record: R_ctx + off */
	LOC_SLOT, /* a raw argument slot: R_ctx + off (8 * slot + a byte offset) */
	LOC_MEM,  /* memory: the pointer in R0, + off */
};

struct loc {
	enum loc_kind kind;
	int off;
	bool btf_ptr; /* LOC_MEM under tp_btf: R0 is a BTF pointer the verifier tracks */
	bool user;    /* LOC_MEM: user memory */
};

static int fail(struct gen *g, int err, const char *format, ...) _printf_(3, 4);
static int fail(struct gen *g, int err, const char *format, ...)
{
	va_list args;

	va_start(args, format);
	vsnprintf(g->why, g->why_size, format, args);
	va_end(args);
	return err;
}

/* Whether a tp_btf program may load the slot of an argument of type @id:
 * btf_ctx_access() accepts integers, enums, structs by value, and pointers
 * to void, to integers and to structs or unions; any other pointer is
 * refused ("is not a struct"). */
static bool tp_btf_slot_loadable(const struct btf *btf, uint32_t id, bool *struct_ptr)
{
	const struct btf_type *t = skip_mods_typedefs(btf, id, NULL);

	*struct_ptr = false;
	if (!t)
		return false;
	if (!btf_is_ptr(t))
		return is_scalar(t) || is_composite(t);
	if (t->type == 0)
		return true;
	t = skip_mods_typedefs(btf, t->type, NULL);
	if (!t)
		return false;
	if (btf_is_int(t))
		return true;
	*struct_ptr = is_composite(t);
	return *struct_ptr;
}

/*
 * Load @size bytes of the value at @loc into R0 (zero-extended). For a raw
 * slot the whole u64 is loaded and shifted: the kernel stored the argument
 * zero-extended (__CAST_TO_U64 in include/linux/trace_events.h's
 * __bpf_trace_##call), so the low bytes are the value on either endianness
 * once loaded as a u64.
 */
static int load_value(struct gen *g, struct loc *loc, unsigned int size, uint32_t type_id,
		      bool *now_btf_ptr)
{
	bool struct_ptr = false;

	*now_btf_ptr = false;
	switch (loc->kind) {
	case LOC_CTX:
		/* tp_prog_is_valid_access(): the first 8 bytes are not
		 * readable, and a load must be aligned to its size. */
		if (loc->off >= 8 && loc->off % (int)size == 0 &&
		    (size == 1 || size == 2 || size == 4 || size == 8)) {
			load(g, BPF_REG_0, g->ctx_reg, loc->off, size);
		} else {
			mov_reg(g, BPF_REG_3, g->ctx_reg);
			alu_imm(g, BPF_ADD, BPF_REG_3, loc->off);
			read_via_scratch(g, g->read_kernel, size);
		}
		return 0;
	case LOC_SLOT: {
		int slot_off = loc->off & ~7, inner = loc->off & 7;

		if (g->backend == FEAT_BACKEND_TP_BTF &&
		    !tp_btf_slot_loadable(g->btf, type_id, &struct_ptr)) {
			/* A ctx load would be refused: copy the slot instead. */
			mov_reg(g, BPF_REG_3, g->ctx_reg);
			alu_imm(g, BPF_ADD, BPF_REG_3, slot_off);
			read_via_scratch(g, g->read_kernel, 8);
		} else {
			load(g, BPF_REG_0, g->ctx_reg, slot_off, 8);
		}
		if (inner)
			alu_imm(g, BPF_RSH, BPF_REG_0, inner * 8);
		if (size < 8)
			extend(g, size * 8, false);
		/* A pointer the verifier keeps a scalar: read behind it with
		 * the helper (offline, BTF cannot say: loads). */
		if (struct_ptr && g->backend == FEAT_BACKEND_TP_BTF &&
		    feat_bpf_tp_btf_arg(g->ctx, feat_layout_raw_btf_id(g->l), (unsigned int)slot_off / 8) ==
			    FEAT_NO)
			struct_ptr = false;
		*now_btf_ptr = g->backend == FEAT_BACKEND_TP_BTF && struct_ptr && inner == 0;
		return 0;
	}
	case LOC_MEM:
		if (loc->btf_ptr && !loc->user &&
		    (size == 1 || size == 2 || size == 4 || size == 8)) {
			const struct btf_type *t = skip_mods_typedefs(g->btf, type_id, NULL);

			/* btf_struct_access(): a direct load through a BTF
			 * pointer; a pointer to a struct loaded whole stays one. */
			load(g, BPF_REG_0, BPF_REG_0, loc->off, size);
			if (t && btf_is_ptr(t) && size == 8) {
				const struct btf_type *pt = skip_mods_typedefs(g->btf, t->type, NULL);

				*now_btf_ptr = is_composite(pt);
			}
			return 0;
		}
		mov_reg(g, BPF_REG_3, BPF_REG_0);
		if (loc->off)
			alu_imm(g, BPF_ADD, BPF_REG_3, loc->off);
		read_via_scratch(g, loc->user ? g->read_user : g->read_kernel, size);
		return 0;
	}
	return -EINVAL;
}

/* The address of the value at @loc into R3 (strings). */
static int address_of(struct gen *g, const struct loc *loc)
{
	switch (loc->kind) {
	case LOC_CTX:
		mov_reg(g, BPF_REG_3, g->ctx_reg);
		break;
	case LOC_MEM:
		mov_reg(g, BPF_REG_3, BPF_REG_0);
		break;
	default:
		return fail(g, -EINVAL, "an argument passed by value has no address");
	}
	if (loc->off)
		alu_imm(g, BPF_ADD, BPF_REG_3, loc->off);
	return 0;
}

/* Copy a string from the address in R3, at most @max bytes. */
static void read_string(struct gen *g, unsigned int max, bool user)
{
	mov_reg(g, BPF_REG_1, BPF_REG_10);
	alu_imm(g, BPF_ADD, BPF_REG_1, g->str_off);
	mov_imm(g, BPF_REG_2, (int32_t)(max < g->str_size ? max : g->str_size));
	call(g, user ? g->read_user_str : g->read_kernel_str);
}

/*
 * Copy a char array of @n bytes at @src_reg + @off to the string buffer with
 * loads and stores, no helper: a classic record is ctx memory the program
 * may load (aligned, tp_prog_is_valid_access()), and btf_struct_walk()
 * allows loads of any size inside an array of integers through a BTF
 * pointer. So strings read this way survive lockdown=confidentiality,
 * which withdraws the probe_read helpers. Stack stores must be aligned
 * (check_ptr_alignment() is strict for the stack); @ctx_aligned: the source
 * must be too. Like bpf_probe_read_kernel_str(), the copy ends with a NUL.
 */
static void copy_chars(struct gen *g, int src_reg, int off, unsigned int n, bool ctx_aligned)
{
	unsigned int len = n < g->str_size ? n : g->str_size;

	for (unsigned int i = 0; i < len;) {
		unsigned int size = 8;

		while (size > 1 && (i % size || i + size > len ||
				    (ctx_aligned && (unsigned int)(off + (int)i) % size)))
			size /= 2;
		load(g, BPF_REG_1, src_reg, off + (int)i, size);
		emit(g, BPF_STX | BPF_MEM | size_code(size), BPF_REG_10, BPF_REG_1,
		     (int16_t)(g->str_off + (int)i), 0);
		i += size;
	}
	emit(g, BPF_ST | BPF_MEM | BPF_B, BPF_REG_10, 0, (int16_t)(g->str_off + (int)len - 1), 0);
	mov_imm(g, BPF_REG_0, (int32_t)len);
}

static void set_int_type(struct feat_access *a, unsigned int size, bool is_signed)
{
	a->type.kind = FEAT_VALUE_INT;
	a->type.size = size;
	a->type.is_signed = is_signed;
}

/*
 * Walk @ops from a value of BTF type @id at @loc, then read it. @user: the
 * memory behind pointers is user memory (syscall arguments).
 */
static int walk(struct gen *g, struct feat_access *a, uint32_t id, struct loc loc,
		const struct feat_access_op *ops, size_t n_ops, bool user, bool null_check_arg)
{
	uint32_t bitfield = 0, bit_in_byte = 0;
	const struct btf_type *t;
	char what[256];
	size_t i;
	int r;

	for (i = 0; i < n_ops; i++) {
		const struct feat_access_op *op = &ops[i];
		uint32_t rid, mtype, bit_off, bits;

		if (bitfield)
			return fail(g, -EINVAL, "a bitfield has no members or elements");
		t = skip_mods_typedefs(g->btf, id, &rid);
		if (!t)
			return fail(g, -EINVAL, "type id %u is not in the BTF", id);
		if (op->kind == FEAT_OP_ARROW ||
		    (op->kind == FEAT_OP_INDEX && btf_is_ptr(t))) {
			bool btf_ptr;

			if (!btf_is_ptr(t)) {
				type_name(g, id, what, sizeof(what));
				return fail(g, -EINVAL, "'%s%s': %s is not a pointer%s",
					    op->kind == FEAT_OP_ARROW ? "->" : "[", op->kind == FEAT_OP_ARROW ? op->name : "N]",
					    what, is_composite(t) ? " (use '.')" : "");
			}
			if (t->type == 0 || !skip_mods_typedefs(g->btf, t->type, NULL) ||
			    btf_is_func_proto(skip_mods_typedefs(g->btf, t->type, NULL))) {
				type_name(g, id, what, sizeof(what));
				return fail(g, -EINVAL, "cannot dereference %s", what);
			}
			r = load_value(g, &loc, 8, id, &btf_ptr);
			if (r < 0)
				return r;
			if (g->backend == FEAT_BACKEND_TP_BTF && loc.kind == LOC_SLOT &&
			    null_check_arg)
				/* BTF does not say which arguments the kernel
				 * passes as NULL; the verifier refuses a
				 * direct load through a nullable one. */
				jump_fail_if_zero(g, BPF_REG_0);
			loc = (struct loc){ .kind = LOC_MEM, .off = 0, .btf_ptr = btf_ptr,
					    .user = user };
			id = t->type;
			t = skip_mods_typedefs(g->btf, id, &rid);
			if (op->kind == FEAT_OP_INDEX) {
				int64_t esz = btf__resolve_size(g->btf, id);

				if (esz <= 0)
					return fail(g, -EINVAL, "[%lu]: element of unknown size",
						    op->index);
				loc.off = (int)(esz * (int64_t)op->index);
				if (loc.off > 32767 || loc.off < 0)
					return fail(g, -ERANGE, "[%lu]: offset too large", op->index);
				continue;
			}
		} else if (op->kind == FEAT_OP_INDEX) {
			const struct btf_array *arr;
			int64_t esz;

			if (!btf_is_array(t)) {
				type_name(g, id, what, sizeof(what));
				return fail(g, -EINVAL, "[%lu]: %s is neither an array nor a pointer",
					    op->index, what);
			}
			arr = btf_array(t);
			if (arr->nelems && op->index >= arr->nelems)
				return fail(g, -ERANGE, "[%lu]: past the end of an array of %u",
					    op->index, arr->nelems);
			esz = btf__resolve_size(g->btf, arr->type);
			if (esz <= 0)
				return fail(g, -EINVAL, "[%lu]: element of unknown size", op->index);
			loc.off += (int)(esz * (int64_t)op->index);
			if (loc.off > 32767)
				return fail(g, -ERANGE, "[%lu]: offset too large", op->index);
			id = arr->type;
			continue;
		}
		/* A member, of the struct we are at or behind the pointer. */
		if (!is_composite(t)) {
			type_name(g, id, what, sizeof(what));
			return fail(g, -EINVAL, "'%s%s': %s is not a struct or union",
				    op->kind == FEAT_OP_ARROW ? "->" : ".", op->name, what);
		}
		if (find_member(g->btf, t, op->name, &mtype, &bit_off, &bits, 0) < 0) {
			char names[512] = "";

			type_name(g, rid, what, sizeof(what));
			list_members(g->btf, t, names, sizeof(names), 0);
			return fail(g, -ENOENT, "%s has no member '%s'; it has: %s", what,
				    op->name, names);
		}
		loc.off += (int)(bit_off / 8);
		if (loc.off > 32767)
			return fail(g, -ERANGE, "'%s': offset too large", op->name);
		id = mtype;
		if (bits) {
			bitfield = bits;
			bit_in_byte = bit_off % 8;
		}
	}

	/* The end: read what we arrived at. */
	t = skip_mods_typedefs(g->btf, id, NULL);
	if (!t)
		return fail(g, -EINVAL, "type id %u is not in the BTF", id);
	type_name(g, id, a->c_type, sizeof(a->c_type));
	if (bitfield) {
		unsigned int bytes = (bit_in_byte + bitfield + 7) / 8;
		bool btf_ptr;

		if (loc.kind == LOC_SLOT) {
			r = load_value(g, &loc, 8, id, &btf_ptr);
		} else {
			/* Read the bytes that hold it into a zeroed slot. */
			zero_stack(g, g->scratch, 8);
			if (loc.kind == LOC_CTX)
				mov_reg(g, BPF_REG_3, g->ctx_reg);
			else
				mov_reg(g, BPF_REG_3, BPF_REG_0);
			if (loc.off)
				alu_imm(g, BPF_ADD, BPF_REG_3, loc.off);
			read_via_scratch(g, loc.user ? g->read_user : g->read_kernel, bytes);
			load(g, BPF_REG_0, BPF_REG_10, g->scratch, 8);
			r = 0;
		}
		if (r < 0)
			return r;
		/* Little-endian: the field's first bit is bit (bit_in_byte). */
		alu_imm(g, BPF_LSH, BPF_REG_0, (int32_t)(64 - bit_in_byte - bitfield));
		alu_imm(g, is_signed_type(t) ? BPF_ARSH : BPF_RSH, BPF_REG_0,
			(int32_t)(64 - bitfield));
		set_int_type(a, t->size ? t->size : 8, is_signed_type(t));
		return 0;
	}
	if (is_scalar(t)) {
		bool btf_ptr;
		unsigned int size = t->size;

		if (size != 1 && size != 2 && size != 4 && size != 8)
			return fail(g, -EMEDIUMTYPE, "a %u-byte integer does not fit a register",
				    size);
		r = load_value(g, &loc, size, id, &btf_ptr);
		if (r < 0)
			return r;
		if (is_signed_type(t))
			extend(g, size * 8, true);
		set_int_type(a, size, is_signed_type(t));
		return 0;
	}
	if (btf_is_ptr(t)) {
		const struct btf_type *pt = t->type ? skip_mods_typedefs(g->btf, t->type, NULL) : NULL;
		bool btf_ptr;

		r = load_value(g, &loc, 8, id, &btf_ptr);
		if (r < 0)
			return r;
		if (is_char(g->btf, pt)) {
			a->type.kind = FEAT_VALUE_STRING;
			a->type.size = g->str_size;
			a->type.user = user;
			/* A BTF pointer to char is a scalar to the verifier. */
			mov_reg(g, BPF_REG_3, BPF_REG_0);
			read_string(g, g->str_size, user);
			return 0;
		}
		a->type.kind = FEAT_VALUE_PTR;
		a->type.size = 8;
		a->type.user = user;
		return 0;
	}
	if (btf_is_array(t) && is_char(g->btf, skip_mods_typedefs(g->btf, btf_array(t)->type, NULL))) {
		unsigned int n = btf_array(t)->nelems;

		if (loc.kind == LOC_SLOT)
			return fail(g, -EINVAL, "a char array passed by value cannot be read");
		if (n && loc.kind == LOC_MEM && loc.btf_ptr && !loc.user) {
			copy_chars(g, BPF_REG_0, loc.off, n, false);
		} else if (n && loc.kind == LOC_CTX && loc.off >= 8) {
			copy_chars(g, g->ctx_reg, loc.off, n, true);
		} else {
			r = address_of(g, &loc);
			if (r < 0)
				return r;
			read_string(g, n ? n : g->str_size, loc.user);
		}
		a->type.kind = FEAT_VALUE_STRING;
		a->type.size = n && n < g->str_size ? n : g->str_size;
		a->type.user = loc.user;
		return 0;
	}
	type_name(g, id, what, sizeof(what));
	if (is_composite(t)) {
		char names[512] = "";

		list_members(g->btf, t, names, sizeof(names), 0);
		return fail(g, -EMEDIUMTYPE, "not a scalar: name a member of %s (%s)", what,
			    names);
	}
	if (btf_is_array(t))
		return fail(g, -EMEDIUMTYPE, "not a scalar: %s is an array; index it [N]", what);
	return fail(g, -EMEDIUMTYPE, "not a scalar: %s", what);
}

/* --- roots --- */

static int raw_root(struct gen *g, struct feat_access *a, const struct feat_access_expr *e)
{
	size_t n = feat_layout_arg_count(g->l);
	char names[512] = "";
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		const struct feat_layout_arg *arg = feat_layout_arg(g->l, i);
		struct loc loc = { .kind = LOC_SLOT, .off = 8 * (int)arg->slot };

		if (strcmp(arg->name, e->name) == 0)
			return walk(g, a, arg->btf_id, loc, e->ops, e->n_ops, false, true);
		len += (size_t)snprintf(names + len, len < sizeof(names) ? sizeof(names) - len : 0,
					"%s$%s", i ? ", " : "", arg->name);
		if (len >= sizeof(names))
			len = sizeof(names);
	}
	return fail(g, -ENOENT, "no argument '$%s'; the arguments are: %s", e->name,
		    n ? names : "none");
}

/*
 * A classic field of @size bytes declared with a type of @type_size bytes:
 * a syscalls:* argument sits in an 8-byte slot whatever its type, so load
 * the slot and keep the declared type's low bytes (little-endian), extended
 * as the type says.
 */
static int load_declared(struct gen *g, struct loc *loc, unsigned int size,
			 unsigned int type_size, bool is_signed)
{
	bool btf_ptr;
	int r = load_value(g, loc, size, 0, &btf_ptr);

	if (r < 0)
		return r;
	if (type_size < size)
		extend(g, type_size * 8, is_signed);
	else if (is_signed)
		extend(g, type_size * 8, true);
	return 0;
}

/* A classic field's declared type: signedness and size without BTF. */
static bool keyword_signed(const char *base)
{
	if (strncmp(base, "unsigned", 8) == 0 || strcmp(base, "bool") == 0 ||
	    strcmp(base, "_Bool") == 0 || base[0] == 'u' || strcmp(base, "size_t") == 0)
		return false;
	/* "char": unsigned since 6.2 ("kbuild: treat char as always
	 * unsigned"); without BTF to ask, the format's "signed:" decides. */
	return strcmp(base, "char") != 0;
}

static int classic_root(struct gen *g, struct feat_access *a, const struct feat_access_expr *e)
{
	const struct feat_tracepoint *tp = feat_layout_tracepoint(g->l);
	bool user = tp->system && strcmp(tp->system, "syscalls") == 0;
	size_t n = feat_layout_field_count(g->l);
	const struct feat_layout_field *f = NULL;
	const struct feat_ctype *c;
	struct loc loc;
	size_t i;

	for (i = 0; i < n; i++) {
		f = feat_layout_field(g->l, i);
		if (strcmp(f->name, e->name) == 0)
			break;
	}
	if (i == n) {
		char names[768] = "";
		size_t len = 0;

		for (i = 0; i < n; i++) {
			f = feat_layout_field(g->l, i);
			if (f->common)
				continue;
			len += (size_t)snprintf(names + len,
						len < sizeof(names) ? sizeof(names) - len : 0,
						"%s$%s", len ? ", " : "", f->name);
			if (len >= sizeof(names))
				len = sizeof(names);
		}
		return fail(g, -ENOENT, "no field '$%s'; the fields are: %s", e->name,
			    len ? names : "none");
	}
	c = feat_layout_ctype(g->l, i);
	loc = (struct loc){ .kind = LOC_CTX, .off = (int)f->offset };
	if (f->array > 0)
		snprintf(a->c_type, sizeof(a->c_type), "%s[%ld]", f->type, f->array);
	else if (f->array == 0)
		snprintf(a->c_type, sizeof(a->c_type), "%s[]", f->type);
	else
		snprintf(a->c_type, sizeof(a->c_type), "%s", f->type && *f->type ? f->type : "?");

	if (f->dynamic != FEAT_DYNAMIC_NONE) {
		/* __data_loc / __rel_loc: a u32, offset in the low 16 bits,
		 * length in the high 16 (include/trace/stages/stage*.h). The
		 * data sits in the record past the fixed fields: a variable
		 * offset, so a helper copies it (the verifier allows no
		 * variable-offset ctx load). */
		bool is_str = !f->type || !*f->type || strcmp(f->type, "char") == 0 ||
			      strcmp(f->type, "const char") == 0;
		unsigned int esz = f->type_size ? f->type_size : 1;
		int rel = f->dynamic == FEAT_DYNAMIC_REL_LOC ? (int)f->offset + 4 : 0;

		if (e->n_ops > 1 || (e->n_ops == 1 && e->ops[0].kind != FEAT_OP_INDEX))
			return fail(g, -EINVAL, "$%s is a dynamic array: only [N] applies",
				    e->name);
		if (e->n_ops == 0 && !is_str)
			return fail(g, -EMEDIUMTYPE, "not a scalar: $%s is a %s[] array; index it [N]",
				    e->name, f->type);
		load(g, BPF_REG_0, g->ctx_reg, (int)f->offset, 4);
		if (e->n_ops == 0) {
			zero_stack(g, g->str_off, g->str_size);
			mov_reg(g, BPF_REG_2, BPF_REG_0);
			alu_imm(g, BPF_RSH, BPF_REG_2, 16);
			/* min(length, buffer): a bounded size for the helper. */
			emit(g, BPF_JMP | BPF_JLE | BPF_K, BPF_REG_2, 0, 1, (int32_t)g->str_size);
			mov_imm(g, BPF_REG_2, (int32_t)g->str_size);
			alu_imm(g, BPF_AND, BPF_REG_0, 0xffff);
			mov_reg(g, BPF_REG_3, g->ctx_reg);
			emit(g, BPF_ALU64 | BPF_ADD | BPF_X, BPF_REG_3, BPF_REG_0, 0, 0);
			if (rel)
				alu_imm(g, BPF_ADD, BPF_REG_3, rel);
			mov_reg(g, BPF_REG_1, BPF_REG_10);
			alu_imm(g, BPF_ADD, BPF_REG_1, g->str_off);
			call(g, g->read_kernel_str);
			a->type.kind = FEAT_VALUE_STRING;
			a->type.size = g->str_size;
			snprintf(a->c_type, sizeof(a->c_type), "__data_loc char[]");
			return 0;
		}
		/* Element N: present when the length covers it. */
		mov_reg(g, BPF_REG_2, BPF_REG_0);
		alu_imm(g, BPF_RSH, BPF_REG_2, 16);
		g->fail_jumps[g->n_fail++] = g->n;
		emit(g, BPF_JMP | BPF_JLT | BPF_K, BPF_REG_2, 0, 0,
		     (int32_t)((e->ops[0].index + 1) * esz));
		alu_imm(g, BPF_AND, BPF_REG_0, 0xffff);
		mov_reg(g, BPF_REG_3, g->ctx_reg);
		emit(g, BPF_ALU64 | BPF_ADD | BPF_X, BPF_REG_3, BPF_REG_0, 0, 0);
		alu_imm(g, BPF_ADD, BPF_REG_3, rel + (int)(e->ops[0].index * esz));
		if (esz != 1 && esz != 2 && esz != 4 && esz != 8)
			return fail(g, -EMEDIUMTYPE, "not a scalar: %u-byte elements", esz);
		read_via_scratch(g, g->read_kernel, esz);
		if (f->is_signed)
			extend(g, esz * 8, true);
		set_int_type(a, esz, f->is_signed);
		return 0;
	}

	if (f->array >= 0) {
		unsigned int esz = f->array > 0 ? f->size / (unsigned int)f->array : 0;
		bool is_str = c->stars == 0 && (strcmp(c->base, "char") == 0 ||
						strcmp(c->base, "unsigned char") == 0 ||
						strcmp(c->base, "signed char") == 0);

		if (e->n_ops == 0) {
			if (!is_str)
				return fail(g, -EMEDIUMTYPE,
					    "not a scalar: $%s is an array; index it [N]", e->name);
			if (f->array && f->offset >= 8) {
				copy_chars(g, g->ctx_reg, (int)f->offset, (unsigned int)f->array, true);
			} else {
				mov_reg(g, BPF_REG_3, g->ctx_reg);
				alu_imm(g, BPF_ADD, BPF_REG_3, (int)f->offset);
				read_string(g, f->array ? (unsigned int)f->array : g->str_size, false);
			}
			a->type.kind = FEAT_VALUE_STRING;
			a->type.size = f->array && (unsigned int)f->array < g->str_size
					       ? (unsigned int)f->array
					       : g->str_size;
			return 0;
		}
		if (e->n_ops > 1 || e->ops[0].kind != FEAT_OP_INDEX)
			return fail(g, -EINVAL, "$%s is an array: only [N] applies", e->name);
		if (f->array && e->ops[0].index >= (unsigned long)f->array)
			return fail(g, -ERANGE, "[%lu]: past the end of $%s[%ld]", e->ops[0].index,
				    e->name, f->array);
		if (esz != 1 && esz != 2 && esz != 4 && esz != 8)
			return fail(g, -EMEDIUMTYPE, "not a scalar: %u-byte elements of $%s", esz,
				    e->name);
		loc.off += (int)(e->ops[0].index * esz);
		bool btf_ptr;
		int r = load_value(g, &loc, esz, 0, &btf_ptr);

		if (r < 0)
			return r;
		if (f->is_signed)
			extend(g, esz * 8, true);
		set_int_type(a, esz, f->is_signed);
		return 0;
	}

	if (c->stars == 0 && c->kind && c->id >= 0 && g->btf) {
		/* A named type BTF knows: walk it like a raw value. A syscall
		 * slot wider than its type: load the declared type's bytes,
		 * the low ones (little-endian x86-64). */
		const struct btf_type *t = skip_mods_typedefs(g->btf, (uint32_t)c->id, NULL);

		if (is_scalar(t) && e->n_ops == 0) {
			unsigned int size = t->size;
			bool is_signed = is_signed_type(t);
			int r;

			r = load_declared(g, &loc, f->size == 8 ? 8 : size, size, is_signed);
			if (r < 0)
				return r;
			set_int_type(a, size, is_signed);
			return 0;
		}
		return walk(g, a, (uint32_t)c->id, loc, e->ops, e->n_ops, user, false);
	}
	if (c->stars) {
		bool is_chr = c->stars == 1 && strstr(c->base, "char") && !strstr(c->base, "*");
		bool btf_ptr;
		int r;

		if (e->n_ops == 0) {
			r = load_value(g, &loc, 8, 0, &btf_ptr);
			if (r < 0)
				return r;
			if (is_chr) {
				mov_reg(g, BPF_REG_3, BPF_REG_0);
				read_string(g, g->str_size, user);
				a->type.kind = FEAT_VALUE_STRING;
				a->type.size = g->str_size;
			} else {
				a->type.kind = FEAT_VALUE_PTR;
				a->type.size = 8;
			}
			a->type.user = user;
			return 0;
		}
		if (c->stars == 1 && c->id >= 0 && g->btf) {
			/* "struct foo *": the pointee is in BTF; walk from the
			 * pointer value as if through "->". */
			r = load_value(g, &loc, 8, 0, &btf_ptr);
			if (r < 0)
				return r;
			if (e->ops[0].kind == FEAT_OP_DOT)
				return fail(g, -EINVAL, "'.%s': $%s is a pointer (use '->')",
					    e->ops[0].name, e->name);
			struct feat_access_op first = e->ops[0];
			struct loc mem = { .kind = LOC_MEM, .user = user };

			if (first.kind == FEAT_OP_INDEX) {
				int64_t esz = btf__resolve_size(g->btf, (uint32_t)c->id);

				if (esz <= 0)
					return fail(g, -EINVAL, "element of unknown size");
				mem.off = (int)(esz * (int64_t)first.index);
				return walk(g, a, (uint32_t)c->id, mem, e->ops + 1, e->n_ops - 1,
					    user, false);
			}
			first.kind = FEAT_OP_DOT;
			struct feat_access_op ops[FEAT_ACCESS_OPS_MAX];

			memcpy(ops, e->ops, e->n_ops * sizeof(*ops));
			ops[0] = first;
			return walk(g, a, (uint32_t)c->id, mem, ops, e->n_ops, user, false);
		}
		return fail(g, -EINVAL, "$%s is a %s: BTF does not describe what it points at",
			    e->name, f->type);
	}
	if (e->n_ops)
		return fail(g, -EINVAL, "$%s is a %s: it has no members", e->name, f->type);
	/* A C keyword type, or a typedef BTF lacks: the format's numbers. */
	{
		unsigned int size = f->type_size && f->type_size <= f->size ? f->type_size : f->size;
		bool is_signed = f->is_signed;
		int r;

		if (size != 1 && size != 2 && size != 4 && size != 8)
			return fail(g, -EMEDIUMTYPE, "not a scalar: a %u-byte field", size);
		if (size < f->size && c->kind == 0)
			is_signed = keyword_signed(c->base) || (f->is_signed && strcmp(c->base, "char") == 0);
		r = load_declared(g, &loc, size < f->size ? f->size : size, size, is_signed);
		if (r < 0)
			return r;
		set_int_type(a, size, is_signed);
		return 0;
	}
}

/* --- the helpers this kernel offers --- */

static int choose_helpers(struct gen *g)
{
	struct feat_ctx *ctx = g->ctx;

	/* bpf_probe_read_{kernel,user}{,_str} came in 5.5 (commit 6ae08ae3dea2
	 * "bpf: Add probe_read_{user, kernel} and probe_read_{user, kernel}_str
	 * helpers"); before, bpf_probe_read and bpf_probe_read_str read both. */
	if (feat_bpf_helper(ctx, BPF_FUNC_probe_read_kernel, "BPF_FUNC_probe_read_kernel") !=
	    FEAT_NO) {
		g->read_kernel = BPF_FUNC_probe_read_kernel;
		g->read_kernel_str = BPF_FUNC_probe_read_kernel_str;
		g->read_user = BPF_FUNC_probe_read_user;
		g->read_user_str = BPF_FUNC_probe_read_user_str;
		return 0;
	}
	if (feat_bpf_helper(ctx, BPF_FUNC_probe_read, "BPF_FUNC_probe_read") != FEAT_NO) {
		g->read_kernel = g->read_user = BPF_FUNC_probe_read;
		g->read_kernel_str = g->read_user_str = BPF_FUNC_probe_read_str;
		return 0;
	}
	/* lockdown=confidentiality withdraws both (bpf_tracing_func_proto()
	 * asks security_locked_down(LOCKDOWN_BPF_READ_KERNEL)). */
	g->read_kernel = g->read_user = g->read_kernel_str = g->read_user_str = -1;
	return 0;
}

static bool uses_missing_helper(const struct gen *g)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->insns[i].code == (BPF_JMP | BPF_CALL) && g->insns[i].imm < 0)
			return true;
	return false;
}

/* --- the public API --- */

static int check_opts(const struct feat_access_opts *opts, struct gen *g)
{
	int ctx_reg = 6, scratch = -8, str_off = 0;
	unsigned int str_size = DEFAULT_STR_SIZE;

	if (opts) {
		if (opts->sz < sizeof(size_t))
			return -EINVAL;
		if (opts->sz >= offsetofend(struct feat_access_opts, ctx_reg) && opts->ctx_reg)
			ctx_reg = opts->ctx_reg;
		if (opts->sz >= offsetofend(struct feat_access_opts, scratch_off) &&
		    opts->scratch_off)
			scratch = opts->scratch_off;
		if (opts->sz >= offsetofend(struct feat_access_opts, str_off) && opts->str_off)
			str_off = opts->str_off;
		if (opts->sz >= offsetofend(struct feat_access_opts, str_size) &&
		    opts->str_size)
			str_size = opts->str_size;
	}
	if (ctx_reg < 6 || ctx_reg > 9)
		return -EINVAL;
	if (str_size > 512 || str_size < 1)
		return -EINVAL;
	if (!str_off)
		str_off = scratch - (int)((str_size + 7) & ~7u);
	if (scratch >= 0 || scratch < -512 || scratch % 8 || str_off >= 0 || str_off % 8 ||
	    str_off < -512 || str_off + (int)str_size > 0)
		return -EINVAL;
	/* The string buffer and the scratch slot must not overlap. */
	if (str_off < scratch + 8 && scratch < str_off + (int)str_size)
		return -EINVAL;
	g->ctx_reg = ctx_reg;
	g->scratch = scratch;
	g->str_off = str_off;
	g->str_size = str_size;
	return 0;
}

static void tracepoint_name(const struct feat_layout *l, char *buf, size_t size)
{
	const struct feat_tracepoint *tp = feat_layout_tracepoint(l);

	if (tp->system)
		snprintf(buf, size, "%s:%s", tp->system, tp->name);
	else
		snprintf(buf, size, "%s", tp->name);
}

/* Close the code: the "unreadable" block that failed checks jump to. */
static void finish(struct gen *g, const struct feat_access *a)
{
	size_t fail_at;

	if (!g->n_fail)
		return;
	/* goto end; fail: r0 = 0 (and an empty string); end: */
	unsigned int zero = a->type.kind == FEAT_VALUE_STRING ? a->type.size : 0;
	size_t skip = 1 + zero / 8 + zero % 8;

	emit(g, BPF_JMP | BPF_JA, 0, 0, (int16_t)skip, 0);
	fail_at = g->n;
	mov_imm(g, BPF_REG_0, 0);
	zero_stack(g, g->str_off, zero);
	for (size_t i = 0; i < g->n_fail; i++) {
		size_t j = g->fail_jumps[i];

		g->insns[j].off = (int16_t)(fail_at - j - 1);
	}
}

FEAT_API int feat_access_compile(const struct feat_layout *layout, const char *expr,
				 enum feat_backend backend,
				 const struct feat_access_opts *opts,
				 struct feat_access **access)
{
	struct feat_access_expr e;
	struct feat_access *a;
	struct gen *g;
	char why[1024] = "";
	char tpname[512];
	int r;

	if (!access)
		return -EINVAL;
	*access = NULL;
	if (!layout || !expr)
		return -EINVAL;
	g = calloc(1, sizeof(*g));
	a = calloc(1, sizeof(*a));
	if (!g || !a) {
		free(g);
		free(a);
		return -ENOMEM;
	}
	g->l = layout;
	g->ctx = feat_layout_ctx(layout);
	g->btf = feat_layout_btf(layout);
	g->backend = backend;
	g->why = why;
	g->why_size = sizeof(why);
	tracepoint_name(layout, tpname, sizeof(tpname));

	r = check_opts(opts, g);
	if (r < 0) {
		snprintf(why, sizeof(why), "bad feat_access_opts (registers R6-R9, 8-aligned "
					   "negative stack offsets, buffers apart)");
		goto out;
	}
	r = feat_access_parse(expr, &e, why, sizeof(why));
	if (r < 0)
		goto out;
	choose_helpers(g);
	switch (backend) {
	case FEAT_BACKEND_TRACEPOINT:
		if (!feat_layout_has(layout, FEAT_FORM_CLASSIC)) {
			r = fail(g, -EOPNOTSUPP, "no classic form: %s",
				 feat_layout_missing(layout, FEAT_FORM_CLASSIC));
			goto out;
		}
		r = classic_root(g, a, &e);
		break;
	case FEAT_BACKEND_RAW_TP:
	case FEAT_BACKEND_TP_BTF:
		if (!feat_layout_has(layout, FEAT_FORM_RAW) || !g->btf) {
			const struct feat_tracepoint *tp = feat_layout_tracepoint(layout);

			r = fail(g, -EOPNOTSUPP, "no raw form: %s%s",
				 feat_layout_missing(layout, FEAT_FORM_RAW)
					 ? feat_layout_missing(layout, FEAT_FORM_RAW)
					 : "no BTF",
				 tp->raw_equivalent && strcmp(tp->raw_equivalent, "raw_syscalls:sys_enter") == 0
					 ? "; there, the arguments are $regs->di, ->si, ->dx, ->r10, ->r8, ->r9 (x86-64) and the number $id"
					 : "");
			goto out;
		}
		r = raw_root(g, a, &e);
		break;
	default:
		r = fail(g, -EINVAL, "backend %s does not run BPF code",
			 feat_backend_name(backend));
		break;
	}
	if (r < 0)
		goto out;
	if (uses_missing_helper(g)) {
		r = fail(g, -EOPNOTSUPP,
			 "this kernel offers no helper to read memory (lockdown=confidentiality?)%s",
			 backend == FEAT_BACKEND_TP_BTF ? "" : "; tp_btf reads members directly");
		goto out;
	}
	finish(g, a);
	if (g->overflow) {
		r = fail(g, -E2BIG, "the expression needs more than %d instructions", MAX_INSNS);
		goto out;
	}
	a->insns = malloc(g->n * sizeof(*a->insns));
	a->expr = strdup(expr);
	if (!a->insns || !a->expr) {
		r = -ENOMEM;
		snprintf(why, sizeof(why), "out of memory");
		goto out;
	}
	memcpy(a->insns, g->insns, g->n * sizeof(*a->insns));
	a->n = g->n;
	a->regs = g->regs;
	a->backend = backend;
	a->type.sz = sizeof(a->type);
	a->type.c_type = a->c_type;
	snprintf(a->tracepoint, sizeof(a->tracepoint), "%s", tpname);
	*access = a;
	a = NULL;
	r = 0;
out:
	if (r < 0)
		err(g->ctx, "%s '%s' (%s): %s\n", tpname, expr, feat_backend_name(backend), why);
	free(g);
	feat_access_free(a);
	return r;
}

FEAT_API const struct bpf_insn *feat_access_insns(const struct feat_access *access, size_t *count)
{
	if (count)
		*count = access ? access->n : 0;
	return access ? access->insns : NULL;
}

FEAT_API const struct feat_access_type *feat_access_type(const struct feat_access *access)
{
	return access ? &access->type : NULL;
}

FEAT_API unsigned int feat_access_regs(const struct feat_access *access)
{
	return access ? access->regs : 0;
}

/* --- listings --- */

static const char *helper_name(int id)
{
	switch (id) {
	case BPF_FUNC_probe_read:
		return "bpf_probe_read";
	case BPF_FUNC_probe_read_str:
		return "bpf_probe_read_str";
	case BPF_FUNC_probe_read_kernel:
		return "bpf_probe_read_kernel";
	case BPF_FUNC_probe_read_kernel_str:
		return "bpf_probe_read_kernel_str";
	case BPF_FUNC_probe_read_user:
		return "bpf_probe_read_user";
	case BPF_FUNC_probe_read_user_str:
		return "bpf_probe_read_user_str";
	default:
		return "unknown";
	}
}

static const char *size_name(int code)
{
	switch (BPF_SIZE(code)) {
	case BPF_B:
		return "u8";
	case BPF_H:
		return "u16";
	case BPF_W:
		return "u32";
	default:
		return "u64";
	}
}

/* One instruction as the kernel's verifier log prints it (kernel/bpf/disasm.c). */
static void insn_text(const struct bpf_insn *in, char *buf, size_t size)
{
	static const char *const alu[16] = {
		"+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=", "neg", "%=", "^=", "=",
		"s>>=", "endian", "?", "?",
	};
	static const char *const jmp[16] = {
		"", "==", ">", ">=", "&", "!=", "s>", "s>=", "call", "exit", "<", "<=",
		"s<", "s<=", "?", "?",
	};
	int cls = BPF_CLASS(in->code);

	switch (cls) {
	case BPF_ALU64:
	case BPF_ALU: {
		char r = cls == BPF_ALU64 ? 'r' : 'w';

		if (BPF_SRC(in->code) == BPF_X)
			snprintf(buf, size, "(%02x) %c%d %s %c%d", in->code, r, in->dst_reg,
				 alu[BPF_OP(in->code) >> 4], r, in->src_reg);
		else
			snprintf(buf, size, "(%02x) %c%d %s %d", in->code, r, in->dst_reg,
				 alu[BPF_OP(in->code) >> 4], in->imm);
		break;
	}
	case BPF_LDX:
		snprintf(buf, size, "(%02x) r%d = *(%s *)(r%d %+d)", in->code, in->dst_reg,
			 size_name(in->code), in->src_reg, in->off);
		break;
	case BPF_STX:
		snprintf(buf, size, "(%02x) *(%s *)(r%d %+d) = r%d", in->code, size_name(in->code),
			 in->dst_reg, in->off, in->src_reg);
		break;
	case BPF_ST:
		snprintf(buf, size, "(%02x) *(%s *)(r%d %+d) = %d", in->code, size_name(in->code),
			 in->dst_reg, in->off, in->imm);
		break;
	case BPF_JMP:
		if (in->code == (BPF_JMP | BPF_CALL))
			snprintf(buf, size, "(%02x) call %s#%d", in->code, helper_name(in->imm),
				 in->imm);
		else if (in->code == (BPF_JMP | BPF_EXIT))
			snprintf(buf, size, "(%02x) exit", in->code);
		else if (in->code == (BPF_JMP | BPF_JA))
			snprintf(buf, size, "(%02x) goto pc%+d", in->code, in->off);
		else if (BPF_SRC(in->code) == BPF_X)
			snprintf(buf, size, "(%02x) if r%d %s r%d goto pc%+d", in->code,
				 in->dst_reg, jmp[BPF_OP(in->code) >> 4], in->src_reg, in->off);
		else
			snprintf(buf, size, "(%02x) if r%d %s 0x%x goto pc%+d", in->code,
				 in->dst_reg, jmp[BPF_OP(in->code) >> 4], (unsigned int)in->imm,
				 in->off);
		break;
	default:
		snprintf(buf, size, "(%02x) ?", in->code);
		break;
	}
}

static const char *kind_name(enum feat_value_kind kind)
{
	switch (kind) {
	case FEAT_VALUE_INT:
		return "int";
	case FEAT_VALUE_PTR:
		return "pointer";
	case FEAT_VALUE_STRING:
		return "string";
	}
	return "?";
}

FEAT_API int feat_access_asm(const struct feat_access *access, char **text)
{
	struct strbuf b = { 0 };
	char line[128];

	if (!text)
		return -EINVAL;
	*text = NULL;
	if (!access)
		return -EINVAL;
	for (size_t i = 0; i < access->n; i++) {
		insn_text(&access->insns[i], line, sizeof(line));
		sb_add(&b, "%zu: %s\n", i, line);
	}
	if (b.oom || !b.s) {
		free(b.s);
		return -ENOMEM;
	}
	*text = b.s;
	return 0;
}

FEAT_API int feat_access_json(const struct feat_access *access, char **text)
{
	struct strbuf b = { 0 };
	char line[128];
	bool first = true;

	if (!text)
		return -EINVAL;
	*text = NULL;
	if (!access)
		return -EINVAL;
	sb_add(&b, "{\"tracepoint\":");
	sb_json_str(&b, access->tracepoint);
	sb_add(&b, ",\"expr\":");
	sb_json_str(&b, access->expr);
	sb_add(&b, ",\"backend\":\"%s\",\"type\":{\"kind\":\"%s\",\"size\":%u,\"signed\":%s,"
		   "\"c_type\":",
	       feat_backend_name(access->backend), kind_name(access->type.kind),
	       access->type.size, access->type.is_signed ? "true" : "false");
	sb_json_str(&b, access->c_type);
	sb_add(&b, ",\"user\":%s},\"registers\":[", access->type.user ? "true" : "false");
	for (int r = 0; r <= 10; r++) {
		if (!(access->regs & (1u << r)))
			continue;
		sb_add(&b, "%s\"r%d\"", first ? "" : ",", r);
		first = false;
	}
	sb_add(&b, "],\"insns\":[");
	for (size_t i = 0; i < access->n; i++) {
		const struct bpf_insn *in = &access->insns[i];

		insn_text(in, line, sizeof(line));
		sb_add(&b, "%s{\"code\":%u,\"dst\":%u,\"src\":%u,\"off\":%d,\"imm\":%d,\"asm\":",
		       i ? "," : "", in->code, in->dst_reg, in->src_reg, in->off, in->imm);
		sb_json_str(&b, line);
		sb_add(&b, "}");
	}
	sb_add(&b, "]}");
	if (b.oom || !b.s) {
		free(b.s);
		return -ENOMEM;
	}
	*text = b.s;
	return 0;
}

FEAT_API void feat_access_free(struct feat_access *access)
{
	if (!access)
		return;
	free(access->insns);
	free(access->expr);
	free(access);
}
