// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The raw form's argument count, confirmed by the kernel for every raw
 * tracepoint: a BPF_PROG_TYPE_RAW_TRACEPOINT program that reads ctx slot
 * n-1 attaches, one that reads slot n fails at attach with EINVAL
 * (bpf_probe_register(): prog->aux->max_ctx_offset > btp->num_args * 8).
 * Slot 12 is past the verifier's limit (raw_tp_prog_is_valid_access():
 * off < 8 * MAX_BPF_FUNC_ARGS) and fails at load instead.
 */
#include <check.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "feat.h"
#include "testutil.h"

static struct feat_ctx *ctx;
static struct feat_catalog *cat;

/* r0 = *(u64 *)(r1 + 8 * slot); r0 = 0; exit */
static int load_reader(unsigned int slot, char *log, size_t log_size)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_LDX | BPF_MEM | BPF_DW, .dst_reg = BPF_REG_0, .src_reg = BPF_REG_1,
		  .off = (short)(8 * slot) },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_buf = log, .log_size = (__u32)log_size,
		    .log_level = log ? 1 : 0);
	int fd = bpf_prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, NULL, "GPL", insns,
			       sizeof(insns) / sizeof(insns[0]), &opts);

	return fd < 0 ? -errno : fd;
}

/* The attach result of a program reading @slot of tracepoint @name. */
static int attach_reader(int prog, const char *name)
{
	int link = bpf_raw_tracepoint_open(name, prog);

	if (link < 0)
		return -errno;
	close(link);
	return 0;
}

START_TEST(test_raw_slots)
{
	int readers[13];
	unsigned int checked = 0, attached = 0, refused = 0, bad = 0, per_count[13] = { 0 };

	for (unsigned int s = 0; s < 13; s++)
		readers[s] = load_reader(s, NULL, 0);
	for (unsigned int s = 0; s < 12; s++)
		ck_assert_msg(readers[s] >= 0, "loading a reader of slot %u: %s", s, strerror(-readers[s]));
	/* Slot 12 (offset 96) is refused by the verifier. */
	ck_assert_int_lt(readers[12], 0);

	for (size_t i = 0; i < feat_catalog_count(cat); i++) {
		const struct feat_tracepoint *tp = feat_catalog_get(cat, i);
		int n = tp->n_args, r;

		if (!tp->raw)
			continue;
		ck_assert_int_ge(n, 0);
		ck_assert_int_le(n, 12);
		checked++;
		per_count[n]++;
		if (n > 0) {
			r = attach_reader(readers[n - 1], tp->name);
			if (r == 0) {
				attached++;
			} else {
				printf("FAIL %s%s%s: reading slot %d of %d: attach: %s\n",
				       tp->system ? tp->system : "", tp->system ? ":" : "", tp->name,
				       n - 1, n, strerror(-r));
				bad++;
			}
		}
		if (n < 12) {
			r = attach_reader(readers[n], tp->name);
			if (r == -EINVAL) {
				refused++;
			} else {
				printf("FAIL %s: reading slot %d of %d args: attach %s, not EINVAL\n",
				       tp->name, n, n, r ? strerror(-r) : "succeeded");
				bad++;
			}
		} else {
			refused++; /* slot 12 cannot even load */
		}
	}
	printf("raw slots: %u raw tracepoints, %u attached reading their last slot, "
	       "%u refused one slot further, %u wrong; by arg count:",
	       checked, attached, refused, bad);
	for (unsigned int k = 0; k < 13; k++)
		if (per_count[k])
			printf(" %u:%u", k, per_count[k]);
	printf("\n");
	for (unsigned int s = 0; s < 13; s++)
		if (readers[s] >= 0)
			close(readers[s]);
	ck_assert_uint_gt(checked, 0);
	ck_assert_uint_eq(bad, 0);
}
END_TEST

int main(void)
{
	char log[4096] = "";
	Suite *s;
	TCase *tc;
	int failed, r, fd;

	if (geteuid() != 0)
		test_skip("not root: loading and attaching raw_tp programs needs CAP_BPF and CAP_PERFMON");
	ctx = feat_new(NULL);
	if (!ctx)
		test_skip("feat_new: %s", strerror(errno));
	fd = load_reader(0, log, sizeof(log));
	if (fd < 0)
		test_skip("cannot load a raw_tp program: %s %s", strerror(-fd), log);
	r = bpf_raw_tracepoint_open("sched_switch", fd);
	if (r < 0)
		test_skip("cannot attach a raw_tp program to sched_switch: %s", strerror(errno));
	close(r);
	close(fd);
	r = feat_catalog_new(ctx, &cat);
	if (r < 0)
		test_skip("no catalog: %s", strerror(-r));

	s = suite_create("layout-rawslots");
	tc = tcase_create("rawslots");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_raw_slots);
	suite_add_tcase(s, tc);
	failed = test_run_suite(s, CK_NOFORK);
	feat_catalog_free(cat);
	feat_unref(ctx);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
