/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the BPF C programs of access-cases.bpf.c hand to the live test: one
 * record in the object's .bss, shared by both sides. Value i of a case is
 * v[i] (n for an integer or a pointer, s for a string), in the order of the
 * case's table in test-access-cases.c.
 */
#ifndef FEAT_ACCESS_CASES_H
#define FEAT_ACCESS_CASES_H

#define CASE_VALUES 8
#define CASE_STR 64
/* __NR_openat on x86-64, the only architecture whose pt_regs members
 * (di, si, dx, orig_ax) the cases name; the test checks it against SYS_openat. */
#define CASE_NR_OPENAT 257

struct case_value {
	long long n;
	char s[CASE_STR];
};

struct case_out {
	unsigned int target_tgid;	/* set by the test: events of this process only */
	unsigned int hits;		/* events that passed the case's own filter */
	struct case_value v[CASE_VALUES];	/* of the first such event */
};

#endif
