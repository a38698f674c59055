// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Layouts of other kernels, offline, from root trees saved from them
 * (fixtures/*.tar.xz: their format files and vmlinux BTF; see
 * fixtures/PROVENANCE): every format file parses (and agrees with
 * libtraceevent when it is available), every raw form resolves, the
 * generated C of both forms compiles under static asserts. Then two
 * made-up roots: BTF without any btf_trace_ typedef (raw form missing,
 * with that reason) and a malformed format file (one-line error naming
 * the file and line).
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/btf.h>

#ifdef LAYOUT_HAVE_TEP
#include "tep-compare.h"
#endif
#include "layout-internal.h"
#include "testutil.h"

static char tmp[] = "/tmp/test-layout-fixtures.XXXXXX";

static const struct fixture {
	const char *file;
	const char *release;
	unsigned int min_events;
} fixtures[] = {
	{ "debian-6.1.176-1-cloud-amd64.tar.xz", "6.1.0-50-cloud-amd64", 1300 },
	{ "debian-6.12.117-1-cloud-amd64.tar.xz", "6.12.117+deb12-cloud-amd64", 1500 },
};

static char logged[1024];
static unsigned int n_logged;

static void capture(void *data, int priority, const char *file, int line, const char *fn,
		    const char *format, va_list args)
{
	if (priority > LOG_ERR)
		return;
	vsnprintf(logged, sizeof(logged), format, args);
	n_logged++;
}

static struct feat_ctx *ctx_for(const char *root)
{
	struct feat_opts o = { .sz = sizeof(o), .root = root, .log_fn = capture,
			       .flags = FEAT_F_NO_CACHE };
	struct feat_ctx *ctx = feat_new(&o);

	ck_assert_msg(ctx != NULL, "feat_new(%s): %s", root, strerror(errno));
	return ctx;
}

static int run(const char *cmd)
{
	int r = system(cmd);

	return WIFEXITED(r) ? WEXITSTATUS(r) : -1;
}

static void root_of(size_t i, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%zu", tmp, i);
}

START_TEST(test_fixture)
{
	const struct fixture *fx = &fixtures[_i];
	unsigned int events = 0, classic = 0, raw = 0, fields = 0, dynamic = 0, args = 0;
	unsigned int mismatches = 0;
	char root[300], cfile[400], cmd[1200];
	struct feat_catalog *cat;
	struct feat_emit *emit;
	struct feat_ctx *ctx;
	FILE *out;
	int tfd;
#ifdef LAYOUT_HAVE_TEP
	struct tep_handle *tep = tep_alloc();
#endif

	root_of((size_t)_i, root, sizeof(root));
	if (access(root, F_OK) < 0) {
		printf("fixture %s: not present, skipped\n", fx->file);
		return;
	}
	ctx = ctx_for(root);
	ck_assert_int_eq(feat_catalog_new(ctx, &cat), 0);
	tfd = feat_layout_tracefs_open(ctx);
	ck_assert_int_ge(tfd, 0);
	snprintf(cfile, sizeof(cfile), "%s/%zu.c", tmp, (size_t)_i);
	out = fopen(cfile, "w");
	ck_assert_ptr_nonnull(out);
	emit = feat_emit_new(ctx, out);
	for (size_t i = 0; i < feat_catalog_count(cat); i++) {
		const struct feat_tracepoint *tp = feat_catalog_get(cat, i);
		struct feat_layout *l;
		int r;

		if (tp->system) {
			char path[600], *text;
			size_t size;
			int fd;

			snprintf(path, sizeof(path), "events/%s/%s/format", tp->system, tp->name);
			fd = openat(tfd, path, O_RDONLY | O_CLOEXEC);
			ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
			ck_assert_int_eq(feat_read_fd(fd, 1u << 20, &text, &size), 0);
			close(fd);
#ifdef LAYOUT_HAVE_TEP
			r = tep_compare_format(ctx, tep, path, tp->system, text, size, &fields, &dynamic);
			ck_assert_msg(r >= 0, "%s could not be parsed", path);
			mismatches += (unsigned int)r;
#else
			{
				struct feat_format f;

				ck_assert_int_eq(feat_format_parse(ctx, text, path, &f, NULL, 0), 0);
				fields += (unsigned int)f.n_fields;
				feat_format_release(&f);
			}
#endif
			free(text);
			events++;
		}
		r = feat_catalog_layout(cat, i, FEAT_FORM_BOTH, &l);
		ck_assert_msg(r == 0, "%s: %s", tp->name, strerror(-r));
		ck_assert_int_eq(feat_layout_has(l, FEAT_FORM_CLASSIC), tp->classic);
		ck_assert_int_eq(feat_layout_has(l, FEAT_FORM_RAW), tp->raw);
		if (tp->raw) {
			ck_assert_int_eq((int)feat_layout_arg_count(l), tp->n_args);
			raw++;
			args += (unsigned int)feat_layout_arg_count(l);
			for (size_t j = 0; j < feat_layout_arg_count(l); j++)
				ck_assert_msg(strncmp(feat_layout_arg(l, j)->name, "arg", 3) != 0 ||
						      strcmp(tp->name, "sched_switch") != 0,
					      "sched_switch arg %zu has no name", j);
		}
		classic += tp->classic;
		if (strcmp(tp->name, "sched_switch") == 0) {
			/* Names from __traceiter_ (before 6.4) or __probestub_. */
			ck_assert_str_eq(feat_layout_arg(l, 0)->name, "preempt");
			ck_assert_str_eq(feat_layout_arg(l, 1)->name, "prev");
			ck_assert_str_eq(feat_layout_arg(l, 1)->type, "struct task_struct *");
			ck_assert_str_eq(feat_layout_arg(l, 1)->pointee, "struct task_struct");
		}
		ck_assert_int_eq(feat_emit_layout(emit, l, FEAT_FORM_BOTH, NULL, true), 0);
		feat_layout_free(l);
	}
	feat_emit_free(emit);
	ck_assert_int_eq(fclose(out), 0);
	close(tfd);
	printf("fixture %s: %u events, %u fields (%u dynamic), %s %u mismatches; "
	       "%u classic and %u raw forms (%u args)\n",
	       fx->file, events, fields, dynamic,
#ifdef LAYOUT_HAVE_TEP
	       "compared with libtraceevent:",
#else
	       "libtraceevent absent, parsed only:",
#endif
	       mismatches, classic, raw, args);
	ck_assert_uint_ge(events, fx->min_events);
	ck_assert_uint_eq(mismatches, 0);
	snprintf(cmd, sizeof(cmd), "gcc -std=gnu11 -fsyntax-only -w %s && gcc -std=gnu11 -fsyntax-only -w -DSTAPPROBE_RAW %s", cfile, cfile);
	ck_assert_msg(run(cmd) == 0, "gcc refused the generated C of %s (%s)", fx->file, cfile);
	if (run("command -v clang >/dev/null") == 0) {
		snprintf(cmd, sizeof(cmd), "clang -target bpf -O2 -w -c -o /dev/null %s && clang -target bpf -O2 -w -DSTAPPROBE_RAW -c -o /dev/null %s",
			 cfile, cfile);
		ck_assert_msg(run(cmd) == 0, "clang -target bpf refused the generated C of %s", fx->file);
	}
	printf("fixture %s: generated C of %u + %u forms compiles with static asserts\n", fx->file,
	       classic, raw);
	unlink(cfile);
	feat_catalog_free(cat);
	feat_unref(ctx);
#ifdef LAYOUT_HAVE_TEP
	tep_free(tep);
#endif
}
END_TEST

/* A root with the first fixture's format files and BTF made here: one
 * int, no btf_trace_ typedef at all. */
static void make_root(const char *root, const char *tracing_from, bool with_btf_int)
{
	char path[600], cmd[1500];
	struct btf *btf;
	const void *raw;
	__u32 size;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "mkdir -p %s/sys/kernel/btf && cp -r %s/sys/kernel/tracing %s/sys/kernel/",
		 root, tracing_from, root);
	ck_assert_int_eq(run(cmd), 0);
	btf = btf__new_empty();
	ck_assert_ptr_nonnull(btf);
	if (with_btf_int)
		ck_assert_int_gt(btf__add_int(btf, "int", 4, BTF_INT_SIGNED), 0);
	raw = btf__raw_data(btf, &size);
	ck_assert_ptr_nonnull(raw);
	snprintf(path, sizeof(path), "%s/sys/kernel/btf/vmlinux", root);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(raw, 1, size, f), size);
	ck_assert_int_eq(fclose(f), 0);
	btf__free(btf);
}

START_TEST(test_no_btf_trace)
{
	char root[300], from[300];
	struct feat_catalog *cat;
	struct feat_layout *l;
	struct feat_ctx *ctx;
	unsigned int n = 0;

	root_of(0, from, sizeof(from));
	if (access(from, F_OK) < 0)
		return;
	snprintf(root, sizeof(root), "%s/nobtftrace", tmp);
	make_root(root, from, true);
	ctx = ctx_for(root);
	ck_assert_int_eq(feat_catalog_new(ctx, &cat), 0);
	for (size_t i = 0; i < feat_catalog_count(cat); i++) {
		const struct feat_tracepoint *tp = feat_catalog_get(cat, i);

		ck_assert(!tp->raw);
		ck_assert_ptr_nonnull(tp->raw_missing);
		if (tp->system && strcmp(tp->system, "ftrace") != 0 && strcmp(tp->system, "syscalls") != 0)
			ck_assert_msg(strstr(tp->raw_missing, "has no btf_trace_"), "%s", tp->raw_missing);
		n++;
	}
	ck_assert_uint_gt(n, 0);
	ck_assert_int_eq(feat_layout_resolve(ctx, "sched:sched_switch", 0, &l), 0);
	ck_assert(feat_layout_has(l, FEAT_FORM_CLASSIC));
	ck_assert(!feat_layout_has(l, FEAT_FORM_RAW));
	ck_assert_str_eq(feat_layout_missing(l, FEAT_FORM_RAW), "BTF has no btf_trace_sched_switch typedef");
	feat_layout_free(l);
	printf("no btf_trace: %u tracepoints, none with a raw form, each saying why\n", n);
	feat_catalog_free(cat);
	feat_unref(ctx);
}
END_TEST

START_TEST(test_malformed_root)
{
	char root[300], from[300], path[600];
	struct feat_layout *l = NULL;
	struct feat_ctx *ctx;
	FILE *f;

	root_of(0, from, sizeof(from));
	if (access(from, F_OK) < 0)
		return;
	snprintf(root, sizeof(root), "%s/malformed", tmp);
	make_root(root, from, true);
	snprintf(path, sizeof(path), "%s/sys/kernel/tracing/events/sched/sched_switch/format", root);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("name: sched_switch\nID: 1\nformat:\n"
	      "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n\n"
	      "\tfield:char prev_comm[16];\toffset:8;\tsize:sixteen;\tsigned:0;\n", f);
	ck_assert_int_eq(fclose(f), 0);
	ctx = ctx_for(root);
	n_logged = 0;
	ck_assert_int_eq(feat_layout_resolve(ctx, "sched:sched_switch", 0, &l), -EBADMSG);
	ck_assert_ptr_null(l);
	ck_assert_uint_eq(n_logged, 1);
	ck_assert_str_eq(logged, "events/sched/sched_switch/format:6: 'size:' is not a number\n");
	printf("malformed: %s", logged);
	feat_unref(ctx);
}
END_TEST

int main(void)
{
	char cmd[1200], root[300];
	unsigned int present = 0;
	Suite *s;
	TCase *tc;
	int failed;

	if (run("command -v tar >/dev/null && command -v xz >/dev/null && command -v gcc >/dev/null") != 0)
		test_skip("tar, xz or gcc not found");
	if (!mkdtemp(tmp))
		test_skip("mkdtemp: %s", strerror(errno));
	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		char file[600];

		snprintf(file, sizeof(file), "%s/tests/layout/fixtures/%s", test_srcdir(), fixtures[i].file);
		if (access(file, R_OK) < 0)
			continue;
		root_of(i, root, sizeof(root));
		snprintf(cmd, sizeof(cmd), "mkdir -p %s && tar xJf %s -C %s", root, file, root);
		if (run(cmd) != 0)
			test_skip("cannot unpack %s", file);
		present++;
	}
	if (!present)
		test_skip("no fixture found under %s/tests/layout/fixtures", test_srcdir());

	s = suite_create("layout-fixtures");
	tc = tcase_create("fixtures");
	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, test_fixture, 0, (int)(sizeof(fixtures) / sizeof(fixtures[0])));
	tcase_add_test(tc, test_no_btf_trace);
	tcase_add_test(tc, test_malformed_root);
	suite_add_tcase(s, tc);
	failed = test_run_suite(s, CK_NOFORK);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
	if (!failed)
		run(cmd);
	else
		printf("kept %s\n", tmp);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
