// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * In-process cost of feat_access_compile() once the layout is resolved:
 * each expression on each backend that has its form, compiled many times;
 * the median of the per-call times is printed in microseconds. The first
 * call of a context (which asks the kernel for the probe_read helper with
 * one program load) is timed apart.
 *
 *   make bench-access       or     bench/bench-access [ROUNDS]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feat.h"

static const struct {
	const char *tracepoint;
	const char *expr;
	enum feat_backend backend;
} cases[] = {
	{ "sched:sched_switch", "$prev_pid", FEAT_BACKEND_TRACEPOINT },
	{ "sched:sched_switch", "$next_comm", FEAT_BACKEND_TRACEPOINT },
	{ "sched:sched_switch", "$prev->pid", FEAT_BACKEND_RAW_TP },
	{ "sched:sched_switch", "$prev->pid", FEAT_BACKEND_TP_BTF },
	{ "sched:sched_switch", "$prev->mm->pgd", FEAT_BACKEND_RAW_TP },
	{ "sched:sched_switch", "$next->comm", FEAT_BACKEND_TP_BTF },
	{ "sched:sched_process_exec", "$filename", FEAT_BACKEND_TRACEPOINT },
	{ "raw_syscalls:sys_enter", "$regs->si", FEAT_BACKEND_RAW_TP },
};

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 2000;
	struct feat_ctx *ctx = feat_new(NULL);
	struct feat_access *a;
	double *t, first;

	if (!ctx || rounds < 1) {
		fprintf(stderr, "bench-access: feat_new: %s\n", strerror(errno));
		return 1;
	}
	t = calloc((size_t)rounds, sizeof(*t));
	printf("| tracepoint | expression | backend | first call us | median us | p99 us |\n");
	printf("| --- | --- | --- | --- | --- | --- |\n");
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct feat_layout *l;
		int r = feat_layout_resolve(ctx, cases[c].tracepoint, 0, &l);

		if (r < 0) {
			printf("| %s | %s | %s | %s | | |\n", cases[c].tracepoint, cases[c].expr,
			       feat_backend_name(cases[c].backend), strerror(-r));
			continue;
		}
		first = now_us();
		r = feat_access_compile(l, cases[c].expr, cases[c].backend, NULL, &a);
		first = now_us() - first;
		feat_access_free(a);
		if (r < 0) {
			printf("| %s | %s | %s | %s | | |\n", cases[c].tracepoint, cases[c].expr,
			       feat_backend_name(cases[c].backend), strerror(-r));
			feat_layout_free(l);
			continue;
		}
		for (int i = 0; i < rounds; i++) {
			double s = now_us();

			feat_access_compile(l, cases[c].expr, cases[c].backend, NULL, &a);
			t[i] = now_us() - s;
			feat_access_free(a);
		}
		qsort(t, (size_t)rounds, sizeof(*t), cmp);
		printf("| %s | `%s` | %s | %.1f | %.1f | %.1f |\n", cases[c].tracepoint,
		       cases[c].expr, feat_backend_name(cases[c].backend), first,
		       t[rounds / 2], t[rounds * 99 / 100]);
		feat_layout_free(l);
	}
	free(t);
	feat_unref(ctx);
	return 0;
}
