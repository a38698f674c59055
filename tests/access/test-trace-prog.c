// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * trace-prog itself (tools/trace-prog.h): value formatting, the errors of
 * every step, lost-record accounting when the ring is full, a callback that
 * stops a poll, the perf buffer fallback, and no fd left behind by many
 * programs on every backend. The values themselves are test-access-cases'.
 *
 * The live tests need root and BPF: exit 77 with a reason otherwise.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "feat.h"
#include "trace-prog.h"
#include "testutil.h"

static struct feat_ctx *ctx;
static struct trace_env *env;
static struct feat_layout *signal_layout;

/* --- formatting: no kernel needed --- */

START_TEST(test_format)
{
	struct feat_access_type s32 = { .sz = sizeof(s32), .kind = FEAT_VALUE_INT, .size = 4,
					.is_signed = true, .c_type = "int" };
	struct feat_access_type u64 = { .sz = sizeof(u64), .kind = FEAT_VALUE_INT, .size = 8,
					.c_type = "u64" };
	struct feat_access_type ptr = { .sz = sizeof(ptr), .kind = FEAT_VALUE_PTR, .size = 8,
					.c_type = "struct task_struct *" };
	struct feat_access_type str = { .sz = sizeof(str), .kind = FEAT_VALUE_STRING, .size = 16,
					.c_type = "char[16]" };
	struct trace_value v = { .expr = "$x", .name = "x", .type = &s32, .i = -11 };
	char buf[64];

	v.u = (uint64_t)v.i;
	ck_assert_str_eq(trace_value_format(&v, buf, sizeof(buf)), "-11");
	v.type = &u64;
	v.u = UINT64_MAX;
	ck_assert_str_eq(trace_value_format(&v, buf, sizeof(buf)), "18446744073709551615");
	v.type = &ptr;
	v.u = 0xffff888100001000ull;
	ck_assert_str_eq(trace_value_format(&v, buf, sizeof(buf)), "0xffff888100001000");
	v.type = &str;
	v.str = "a\"b\\c\n\x01";
	ck_assert_str_eq(trace_value_format(&v, buf, sizeof(buf)), "\"a\\\"b\\\\c\\n\\x01\"");
	/* Truncated, still a C string within the buffer. */
	v.str = "0123456789abcdef";
	trace_value_format(&v, buf, 8);
	ck_assert_uint_lt(strlen(buf), 8);
	ck_assert_int_eq(buf[0], '"');
}
END_TEST

/* --- live --- */

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1; /* the DIR's own */
}

static struct trace_prog *new_prog(enum feat_backend backend, const struct trace_prog_opts *opts)
{
	struct trace_prog *prog;
	int r = trace_prog_new(env, signal_layout, backend, opts, &prog);

	ck_assert_msg(r == 0, "trace_prog_new(%s): %s", feat_backend_name(backend), strerror(-r));
	return prog;
}

START_TEST(test_errors)
{
	struct trace_prog_opts big = { .sz = sizeof(big), .str_size = 600 };
	struct trace_prog_opts wide = { .sz = sizeof(wide), .str_size = 504 };
	struct feat_layout *syscalls;
	struct trace_prog *prog;
	int r, n;

	ck_assert_int_eq(trace_prog_new(env, signal_layout, FEAT_BACKEND_KMOD, NULL, &prog), -EINVAL);
	ck_assert_ptr_null(prog);
	ck_assert_int_eq(trace_prog_new(env, signal_layout, FEAT_BACKEND_RAW_TP, &big, &prog), -EINVAL);
	r = feat_layout_resolve(ctx, "syscalls:sys_enter_openat", 0, &syscalls);
	ck_assert_int_eq(r, 0);
	ck_assert_int_eq(trace_prog_new(env, syscalls, FEAT_BACKEND_RAW_TP, NULL, &prog), -EOPNOTSUPP);
	feat_layout_free(syscalls);

	prog = new_prog(FEAT_BACKEND_RAW_TP, NULL);
	ck_assert_int_eq(trace_prog_attach(prog), -EBADF);
	ck_assert_int_eq(trace_prog_load(prog), -EINVAL); /* no expression */
	ck_assert_int_eq(trace_prog_add(prog, "$nope"), -ENOENT);
	ck_assert_ptr_nonnull(strstr(trace_prog_error(prog), "$nope"));
	ck_assert_int_eq(trace_prog_add(prog, "$sig"), 0);
	ck_assert_int_eq(trace_prog_add(prog, "$task->comm"), 1);
	ck_assert_int_eq(trace_prog_count(prog), 2);
	ck_assert_str_eq(trace_prog_expr(prog, 1), "$task->comm");
	ck_assert_ptr_null(trace_prog_expr(prog, 2));
	r = trace_prog_load(prog);
	ck_assert_msg(r == 0, "load: %s", trace_prog_error(prog));
	ck_assert_int_eq(trace_prog_add(prog, "$group"), -EBUSY);
	ck_assert_int_eq(trace_prog_load(prog), -EBUSY);
	ck_assert_int_ge(trace_prog_fd(prog), 0);
	ck_assert_str_eq(trace_prog_output(prog), "ringbuf");
	trace_prog_free(prog);

	/* The record's limit: 32 KiB less its header, 8 bytes a value. */
	prog = new_prog(FEAT_BACKEND_RAW_TP, &wide);
	for (n = 0; n < 5000; n++) {
		r = trace_prog_add(prog, "$sig");
		if (r < 0)
			break;
	}
	ck_assert_int_eq(r, -E2BIG);
	ck_assert_int_eq(n, (32 * 1024 - 8 - 16) / 8);
	trace_prog_free(prog);
}
END_TEST

struct seen {
	int n;
	int stop_after;
	int sig;
};

static int on_record(void *data, const struct trace_record *rec)
{
	struct seen *s = data;

	ck_assert_uint_eq(rec->tgid, (uint32_t)getpid());
	ck_assert_uint_eq(rec->n_values, 1);
	s->sig = (int)rec->values[0].i;
	s->n++;
	return s->stop_after && s->n >= s->stop_after;
}

static void signal_self(int n)
{
	for (int i = 0; i < n; i++)
		kill(getpid(), SIGUSR1);
}

/* A full ring loses records and says how many: delivered + lost = sent. */
START_TEST(test_lost)
{
	struct seen seen = { 0 };
	struct trace_prog_opts opts = { .sz = sizeof(opts), .tgid = getpid(), .buffer_size = 4096,
					.on_record = on_record, .data = &seen };
	struct trace_prog *prog = new_prog(FEAT_BACKEND_RAW_TP, &opts);
	int r;

	ck_assert_int_eq(trace_prog_add(prog, "$sig"), 0);
	r = trace_prog_load(prog);
	ck_assert_msg(r == 0, "%s", trace_prog_error(prog));
	r = trace_prog_attach(prog);
	ck_assert_msg(r == 0, "%s", trace_prog_error(prog));
	signal_self(1000);
	while ((r = trace_prog_drain(prog)) > 0)
		;
	ck_assert_int_eq(r, 0);
	ck_assert_int_eq(seen.sig, SIGUSR1);
	ck_assert_int_gt(trace_prog_lost(prog), 0);
	ck_assert_uint_eq(seen.n + trace_prog_lost(prog), 1000);
	trace_prog_free(prog);
}
END_TEST

/* A callback that returns nonzero stops the poll; the ring keeps the rest. */
START_TEST(test_stop)
{
	struct seen seen = { .stop_after = 1 };
	struct trace_prog_opts opts = { .sz = sizeof(opts), .tgid = getpid(),
					.on_record = on_record, .data = &seen };
	struct trace_prog *prog = new_prog(FEAT_BACKEND_TP_BTF, &opts);
	int r;

	ck_assert_int_eq(trace_prog_add(prog, "$sig"), 0);
	ck_assert_msg(trace_prog_load(prog) == 0, "%s", trace_prog_error(prog));
	ck_assert_msg(trace_prog_attach(prog) == 0, "%s", trace_prog_error(prog));
	signal_self(5);
	ck_assert_int_eq(trace_prog_poll(prog, 1000), 1);
	seen.stop_after = 0;
	ck_assert_int_eq(trace_prog_drain(prog), 4);
	ck_assert_int_eq(seen.n, 5);
	trace_prog_detach(prog);
	signal_self(3);
	ck_assert_int_eq(trace_prog_drain(prog), 0);
	trace_prog_free(prog);
}
END_TEST

/* The perf buffer fallback, forced, on every backend. */
START_TEST(test_perf_buffer)
{
	static const enum feat_backend backends[] = {
		FEAT_BACKEND_TP_BTF, FEAT_BACKEND_RAW_TP, FEAT_BACKEND_TRACEPOINT,
	};

	for (size_t b = 0; b < sizeof(backends) / sizeof(backends[0]); b++) {
		struct seen seen = { 0 };
		struct trace_prog_opts opts = { .sz = sizeof(opts), .tgid = getpid(),
						.flags = TRACE_PROG_F_PERF_BUFFER,
						.on_record = on_record, .data = &seen };
		struct trace_prog *prog = new_prog(backends[b], &opts);
		int r;

		ck_assert_int_eq(trace_prog_add(prog, "$sig"), 0);
		ck_assert_msg(trace_prog_load(prog) == 0, "%s", trace_prog_error(prog));
		ck_assert_str_eq(trace_prog_output(prog), "perf");
		ck_assert_msg(trace_prog_attach(prog) == 0, "%s", trace_prog_error(prog));
		signal_self(3);
		while ((r = trace_prog_drain(prog)) > 0)
			;
		ck_assert_int_eq(r, 0);
		ck_assert_msg(seen.n == 3, "%s: %d records", feat_backend_name(backends[b]), seen.n);
		ck_assert_int_eq(seen.sig, SIGUSR1);
		trace_prog_free(prog);
	}
}
END_TEST

/* Many programs on every backend, classic ones closed in the background:
 * the fd count ends where it began. */
START_TEST(test_no_fd_left)
{
	static const struct {
		enum feat_backend backend;
		const char *expr;
	} cases[] = {
		{ FEAT_BACKEND_TP_BTF, "$task->comm" },
		{ FEAT_BACKEND_RAW_TP, "$task->pid" },
		{ FEAT_BACKEND_TRACEPOINT, "$comm" },
	};
	int before;

	trace_env_wait(env); /* the earlier tests' perf events */
	before = count_fds();
	for (int i = 0; i < 20; i++)
		for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
			struct trace_prog_opts opts = { .sz = sizeof(opts), .buffer_size = 4096,
							.flags = i % 2 ? TRACE_PROG_F_PERF_BUFFER : 0 };
			struct trace_prog *prog = new_prog(cases[c].backend, &opts);

			ck_assert_int_eq(trace_prog_add(prog, cases[c].expr), 0);
			ck_assert_msg(trace_prog_load(prog) == 0, "%s", trace_prog_error(prog));
			ck_assert_msg(trace_prog_attach(prog) == 0, "%s", trace_prog_error(prog));
			trace_prog_poll(prog, 0);
			trace_prog_free(prog);
		}
	trace_env_wait(env);
	ck_assert_int_eq(count_fds(), before);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("trace-prog");
	TCase *unit = tcase_create("unit"), *live = tcase_create("live");
	const struct feat_result *bpf;
	struct trace_env_opts eo = { .sz = sizeof(eo), .close_threads = 4 };
	int r, failed;

	tcase_add_test(unit, test_format);
	suite_add_tcase(s, unit);
	if (geteuid() != 0)
		test_skip("not root: the live tests load BPF programs");
	ctx = feat_new(NULL);
	if (!ctx)
		test_skip("feat_new: %s", strerror(errno));
	for (int id = FEAT_RAW_TP; id <= FEAT_TRACEPOINT; id++) {
		bpf = feat_probe(ctx, (enum feat_id)id);
		if (bpf->state != FEAT_YES)
			test_skip("%s is not usable here: %s", feat_id_name((enum feat_id)id),
				  bpf->detail);
	}
	r = feat_layout_resolve(ctx, "signal:signal_generate", 0, &signal_layout);
	if (r < 0 || !feat_layout_has(signal_layout, FEAT_FORM_BOTH))
		test_skip("signal:signal_generate lacks a form here (%s)", strerror(-r));
	r = trace_env_new(ctx, &eo, &env);
	if (r < 0)
		test_skip("trace_env_new: %s", strerror(-r));
	signal(SIGUSR1, SIG_IGN);
	tcase_set_timeout(live, 60);
	tcase_add_test(live, test_errors);
	tcase_add_test(live, test_lost);
	tcase_add_test(live, test_stop);
	tcase_add_test(live, test_perf_buffer);
	tcase_add_test(live, test_no_fd_left);
	suite_add_tcase(s, live);
	/* No fork: the fd count and the programs' filter are this process's. */
	failed = test_run_suite(s, CK_NOFORK);
	trace_env_free(env);
	feat_layout_free(signal_layout);
	feat_unref(ctx);
	return failed ? 1 : 0;
}
