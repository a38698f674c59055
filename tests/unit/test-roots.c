// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Contexts on fixture roots: offline answers of the BPF probes from static
 * evidence, hostile roots (committed ones, and FIFOs, symlink loops, a sparse
 * 1 GB file and a gzip bomb made here in a mkdtemp() directory), and no fd
 * left behind.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"

/* --- offline answers from static evidence --- */

static bool set_in(const char *text, const char *name)
{
	char *v = oracle_kconfig(text, name);
	bool set = strcmp(v, "y") == 0 || strcmp(v, "m") == 0;

	free(v);
	return set;
}

static void check_offline(struct feat_ctx *ctx, enum feat_id id, enum feat_state kernel,
			  const char *what)
{
	const struct feat_result *r = feat_probe(ctx, id);

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->id, id);
	ck_assert_uint_eq(r->sz, sizeof(struct feat_result));
	/* Nothing was probed: the caller's use is unknown... */
	ck_assert_msg(r->state == FEAT_UNKNOWN, "%s %s: state %s", what, feat_id_name(id),
		      feat_state_name(r->state));
	/* ...and the kernel's support comes from static evidence. */
	ck_assert_msg(r->kernel_static, "%s %s: kernel not static", what, feat_id_name(id));
	ck_assert_msg(r->kernel == kernel, "%s %s: kernel %s, expected %s (%s)", what,
		      feat_id_name(id), feat_state_name(r->kernel), feat_state_name(kernel),
		      r->detail);
	ck_assert_ptr_nonnull(r->detail);
	ck_assert_ptr_nonnull(r->source);
}

/*
 * The rules of probes/bpf.c feat_static_bpf() for a root with a config and
 * no BTF file: bpf from CONFIG_BPF_SYSCALL; raw_tp from CONFIG_BPF_EVENTS and
 * version >= 4.17; tp_btf from CONFIG_BPF_EVENTS + CONFIG_DEBUG_INFO_BTF and
 * >= 5.5; tracepoint from CONFIG_BPF_EVENTS + CONFIG_TRACEPOINTS and >= 4.7.
 * A symbol that is not set is a static "no". The config values come from
 * the test's own reading of the gzip fixture.
 */
START_TEST(test_debian_static)
{
	static const char *const roots[] = { "roots/debian-6.1", "roots/debian-6.12" };
	static const char *const gzs[] = { "kconfig/config-" CFG61 ".gz",
					   "kconfig/config-" CFG612 ".gz" };
	struct feat_ctx *ctx = ctx_root(roots[_i]);
	char p[PATH_MAX], *text = slurp_gz(fixture(p, sizeof(p), gzs[_i]), NULL);
	bool events, syscall, btf, tps;

	ck_assert_ptr_nonnull(ctx);
	ck_assert_ptr_nonnull(text);
	ck_assert(feat_is_offline(ctx));
	syscall = set_in(text, "BPF_SYSCALL");
	events = set_in(text, "BPF_EVENTS");
	btf = set_in(text, "DEBUG_INFO_BTF");
	tps = set_in(text, "TRACEPOINTS");
	/* Both Debian configs set all four (zgrep, see test-kconfig.c). */
	ck_assert(syscall && events && btf && tps);
	ck_assert_int_eq(feat_kversion_at_least(ctx, 5, 5, 0), FEAT_YES);

	check_offline(ctx, FEAT_BPF, syscall ? FEAT_YES : FEAT_NO, roots[_i]);
	check_offline(ctx, FEAT_RAW_TP, events ? FEAT_YES : FEAT_NO, roots[_i]);
	check_offline(ctx, FEAT_TP_BTF, events && btf ? FEAT_YES : FEAT_NO, roots[_i]);
	check_offline(ctx, FEAT_TRACEPOINT, events && tps ? FEAT_YES : FEAT_NO, roots[_i]);
	/* No BTF file in the root, though the config says the kernel has one. */
	ck_assert_int_eq(feat_probe(ctx, FEAT_BTF)->state, FEAT_UNKNOWN);
	ck_assert_int_eq(feat_probe(ctx, FEAT_BTF)->err, ENOENT);
	ck_assert_int_eq(feat_probe(ctx, FEAT_BTF)->kernel, FEAT_YES);
	free(text);
	feat_unref(ctx);
}
END_TEST

/* kconfig-quirks: CONFIG_BPF_SYSCALL=y, "# CONFIG_BPF_EVENTS is not set". */
START_TEST(test_quirks_static)
{
	struct feat_ctx *ctx = ctx_root("roots/kconfig-quirks");
	struct feat_choice *c = NULL;

	ck_assert_ptr_nonnull(ctx);
	check_offline(ctx, FEAT_BPF, FEAT_YES, "quirks");
	check_offline(ctx, FEAT_RAW_TP, FEAT_NO, "quirks");
	check_offline(ctx, FEAT_TP_BTF, FEAT_NO, "quirks");
	check_offline(ctx, FEAT_TRACEPOINT, FEAT_NO, "quirks");
	/* CONFIG_MODULES=m: only the module backend is left. */
	check_offline(ctx, FEAT_KMOD, FEAT_YES, "quirks");
	ck_assert_int_eq(feat_backend_choose(ctx, &(struct feat_policy){
					     .sz = sizeof(struct feat_policy), .kernel = true }, &c), 0);
	ck_assert_int_eq(feat_choice_backend(c), FEAT_BACKEND_KMOD);
	feat_choice_free(c);
	feat_unref(ctx);
}
END_TEST

/* No config at all: no static evidence either way. */
START_TEST(test_missing_static)
{
	struct feat_ctx *ctx = ctx_root("roots/missing");
	struct feat_choice *c = NULL;
	const struct feat_result *r;

	ck_assert_ptr_nonnull(ctx);
	r = feat_probe(ctx, FEAT_KCONFIG);
	ck_assert_int_eq(r->state, FEAT_UNKNOWN);
	ck_assert_int_eq(r->err, ENOENT);
	ck_assert_ptr_null(feat_kconfig_source(ctx));
	ck_assert_int_eq(feat_kconfig_get(ctx, "CONFIG_BPF", NULL), -ENOENT);
	check_offline(ctx, FEAT_BPF, FEAT_UNKNOWN, "missing");
	check_offline(ctx, FEAT_RAW_TP, FEAT_UNKNOWN, "missing");
	check_offline(ctx, FEAT_TP_BTF, FEAT_UNKNOWN, "missing");
	check_offline(ctx, FEAT_TRACEPOINT, FEAT_UNKNOWN, "missing");
	ck_assert_int_eq(feat_backend_choose(ctx, &(struct feat_policy){
					     .sz = sizeof(struct feat_policy), .kernel = true }, &c), 0);
	ck_assert_int_eq(feat_choice_backend(c), FEAT_BACKEND_NONE);
	ck_assert_uint_gt(feat_choice_reason_count(c), 0);
	feat_choice_free(c);
	feat_unref(ctx);
}
END_TEST

START_TEST(test_debian_backend)
{
	struct feat_ctx *ctx = ctx_root("roots/debian-6.1");
	struct feat_choice *c = NULL;
	enum feat_backend b = FEAT_BACKEND_NONE;

	/* What the kernel supports: tp_btf, first in the default order. */
	ck_assert_int_eq(feat_backend_choose(ctx, &(struct feat_policy){
					     .sz = sizeof(struct feat_policy), .kernel = true }, &c), 0);
	ck_assert_int_eq(feat_choice_backend(c), FEAT_BACKEND_TP_BTF);
	ck_assert_ptr_nonnull(feat_choice_reason(c, 0, &b));
	ck_assert_int_eq(b, FEAT_BACKEND_TP_BTF);
	ck_assert_ptr_null(feat_choice_reason(c, feat_choice_reason_count(c), NULL));
	feat_choice_free(c);
	/* What a caller can use now: nothing was probed, so nothing. */
	ck_assert_int_eq(feat_backend_choose(ctx, NULL, &c), 0);
	ck_assert_int_eq(feat_choice_backend(c), FEAT_BACKEND_NONE);
	feat_choice_free(c);
	feat_unref(ctx);
}
END_TEST

/* --- hostile roots in the repository --- */

struct hostile {
	const char *root;
	int err; /* 0: any errno */
};

static const struct hostile hostiles[] = {
	{ "roots/kconfig-empty", 0 },
	/* Cut mid-stream: 616 complete lines decompress before the cut, but a
	 * partial config must not be taken for the kernel's config. */
	{ "roots/kconfig-truncated", 0 },
	{ "roots/kconfig-corrupt", 0 },
	{ "roots/kconfig-badgzip", 0 },
	{ "roots/kconfig-noconfig", 0 },
	{ "roots/missing", ENOENT },
	{ "roots/empty", ENOENT },
};

/* Every probe answers, within range, with text. */
static void probe_all(struct feat_ctx *ctx)
{
	for (int id = 0; id < _FEAT_ID_COUNT; id++) {
		const struct feat_result *r = feat_probe(ctx, (enum feat_id)id);

		ck_assert_ptr_nonnull(r);
		ck_assert_int_eq(r->id, id);
		ck_assert(r->state == FEAT_UNKNOWN || r->state == FEAT_NO || r->state == FEAT_YES);
		ck_assert(r->kernel == FEAT_UNKNOWN || r->kernel == FEAT_NO ||
			  r->kernel == FEAT_YES);
		ck_assert_int_ge(r->err, 0);
		ck_assert_ptr_nonnull(r->detail);
		ck_assert_ptr_nonnull(r->source);
	}
	ck_assert_ptr_null(feat_probe(ctx, _FEAT_ID_COUNT));
	ck_assert_ptr_null(feat_probe(ctx, (enum feat_id)-1));
}

static void check_kconfig_unknown(struct feat_ctx *ctx, int err, const char *what)
{
	const struct feat_result *r = feat_probe(ctx, FEAT_KCONFIG);

	ck_assert_msg(r->state == FEAT_UNKNOWN, "%s: kconfig %s (%s)", what,
		      feat_state_name(r->state), r->detail);
	ck_assert_msg(r->err != 0, "%s: unknown without an errno", what);
	if (err)
		ck_assert_msg(r->err == err, "%s: errno %d (%s), expected %d (%s)", what, r->err,
			      strerror(r->err), err, strerror(err));
	ck_assert_ptr_null(feat_kconfig_source(ctx));
	ck_assert_int_eq(feat_kconfig_get(ctx, "CONFIG_BPF", NULL), -ENOENT);
	ck_assert_int_eq(feat_kconfig_state(ctx, "CONFIG_BPF"), FEAT_UNKNOWN);
}

START_TEST(test_hostile_committed)
{
	struct feat_ctx *ctx = ctx_root(hostiles[_i].root);

	ck_assert_ptr_nonnull(ctx);
	check_kconfig_unknown(ctx, hostiles[_i].err, hostiles[_i].root);
	probe_all(ctx);
	feat_unref(ctx);
}
END_TEST

/* --- hostile roots made at run time --- */

static char tmp_root[] = "/tmp/libfeat-unit-XXXXXX";
static char tmp_path[PATH_MAX];

static const char *tmp(const char *rel)
{
	snprintf(tmp_path, sizeof(tmp_path), "%s/%s", tmp_root, rel);
	return tmp_path;
}

static void write_file(const char *rel, const char *text)
{
	FILE *f = fopen(tmp(rel), "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void tmp_setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmp_root));
	ck_assert_int_eq(mkdir(tmp("proc"), 0755), 0);
	ck_assert_int_eq(mkdir(tmp("proc/sys"), 0755), 0);
	ck_assert_int_eq(mkdir(tmp("proc/sys/kernel"), 0755), 0);
	ck_assert_int_eq(mkdir(tmp("boot"), 0755), 0);
	write_file("proc/sys/kernel/osrelease", HOSTILE_RELEASE "\n");
}

static void tmp_teardown(void)
{
	nftw(tmp_root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static struct feat_ctx *tmp_ctx(void)
{
	struct feat_ctx *ctx = feat_new(&(struct feat_opts){ .sz = sizeof(struct feat_opts),
							      .root = tmp_root });

	ck_assert_ptr_nonnull(ctx);
	return ctx;
}

#define TMP_CONFIG "boot/config-" HOSTILE_RELEASE

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A FIFO where the config should be: opening it must not wait for a writer. */
START_TEST(test_fifo_config)
{
	struct feat_ctx *ctx;

	tmp_setup();
	ck_assert_int_eq(mkfifo(tmp(TMP_CONFIG), 0644), 0);
	ctx = tmp_ctx();
	check_kconfig_unknown(ctx, 0, "fifo config"); /* the tcase timeout catches a hang */
	probe_all(ctx);
	feat_unref(ctx);
	tmp_teardown();
}
END_TEST

/* A FIFO as osrelease: no release, no hang. */
START_TEST(test_fifo_osrelease)
{
	struct feat_ctx *ctx;

	tmp_setup();
	ck_assert_int_eq(unlink(tmp("proc/sys/kernel/osrelease")), 0);
	ck_assert_int_eq(mkfifo(tmp("proc/sys/kernel/osrelease"), 0644), 0);
	ck_assert_int_eq(mkfifo(tmp("proc/sys/kernel/version"), 0644), 0);
	ctx = tmp_ctx();
	ck_assert_ptr_null(feat_kversion(ctx)->release);
	ck_assert_ptr_null(feat_kversion(ctx)->version);
	probe_all(ctx);
	feat_unref(ctx);
	tmp_teardown();
}
END_TEST

START_TEST(test_symlink_loop)
{
	struct feat_ctx *ctx;

	tmp_setup();
	ck_assert_int_eq(symlink("config-" HOSTILE_RELEASE, tmp(TMP_CONFIG)), 0);
	ctx = tmp_ctx();
	check_kconfig_unknown(ctx, ELOOP, "symlink loop");
	probe_all(ctx);
	feat_unref(ctx);
	tmp_teardown();
}
END_TEST

/* Two links pointing at each other. */
START_TEST(test_symlink_loop2)
{
	struct feat_ctx *ctx;

	tmp_setup();
	ck_assert_int_eq(symlink("other", tmp(TMP_CONFIG)), 0);
	ck_assert_int_eq(symlink("config-" HOSTILE_RELEASE, tmp("boot/other")), 0);
	ctx = tmp_ctx();
	check_kconfig_unknown(ctx, ELOOP, "symlink pair");
	feat_unref(ctx);
	tmp_teardown();
}
END_TEST

/* A sparse 1 GB file: refused by its size, without reading it. */
START_TEST(test_sparse_1g)
{
	struct feat_ctx *ctx;
	double t0;
	int fd;

	tmp_setup();
	fd = open(tmp(TMP_CONFIG), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, 1L << 30), 0);
	close(fd);
	ctx = tmp_ctx();
	t0 = now();
	check_kconfig_unknown(ctx, EFBIG, "sparse 1 GB");
	ck_assert_msg(now() - t0 < 0.5, "took %.3f s", now() - t0);
	feat_unref(ctx);
	tmp_teardown();
}
END_TEST

/* A small gzip file that inflates to 32 MB: the output is bounded too. */
START_TEST(test_gzip_bomb)
{
	static const char line[] = "CONFIG_BOMB=y\n";
	static char chunk[1u << 20];
	size_t used = 0;
	struct feat_ctx *ctx;
	gzFile gz;
	struct stat st;
	double t0;

	/* 1 MB of config lines, written 32 times: few zlib calls. */
	while (used + sizeof(line) - 1 <= sizeof(chunk)) {
		memcpy(chunk + used, line, sizeof(line) - 1);
		used += sizeof(line) - 1;
	}
	tmp_setup();
	gz = gzopen(tmp(TMP_CONFIG), "wb9");
	ck_assert_ptr_nonnull(gz);
	for (int i = 0; i < 32; i++)
		ck_assert_int_eq(gzwrite(gz, chunk, (unsigned int)used), (int)used);
	ck_assert_int_eq(gzclose(gz), Z_OK);
	ck_assert_int_eq(stat(tmp(TMP_CONFIG), &st), 0);
	ck_assert_int_lt(st.st_size, 1 << 20); /* small on disk */
	ctx = tmp_ctx();
	t0 = now();
	check_kconfig_unknown(ctx, EFBIG, "gzip bomb");
	ck_assert_msg(now() - t0 < 2.0, "took %.3f s", now() - t0);
	feat_unref(ctx);
	tmp_teardown();
}
END_TEST

START_TEST(test_directory_config)
{
	struct feat_ctx *ctx;

	tmp_setup();
	ck_assert_int_eq(mkdir(tmp(TMP_CONFIG), 0755), 0);
	ctx = tmp_ctx();
	check_kconfig_unknown(ctx, 0, "directory");
	feat_unref(ctx);
	tmp_teardown();
}
END_TEST

/* /proc/config.gz when /boot has nothing (CONFIG_IKCONFIG_PROC kernels). */
START_TEST(test_proc_config_gz)
{
	char gz[PATH_MAX];
	struct feat_ctx *ctx;
	const char *v;

	tmp_setup();
	ck_assert_int_eq(symlink(fixture(gz, sizeof(gz), "kconfig/config-" CFG61 ".gz"),
				 tmp("proc/config.gz")), 0);
	ctx = tmp_ctx();
	ck_assert_int_eq(feat_probe(ctx, FEAT_KCONFIG)->state, FEAT_YES);
	ck_assert_pstr_eq(feat_kconfig_source(ctx), "/proc/config.gz");
	ck_assert_int_eq(feat_kconfig_get(ctx, "CONFIG_BPF_SYSCALL", &v), 0);
	ck_assert_str_eq(v, "y");
	feat_unref(ctx);
	tmp_teardown();
}
END_TEST

/* --- no fd left behind --- */

START_TEST(test_no_fd_leak)
{
	static const char *const roots[] = {
		"roots/debian-6.1",	     "roots/debian-6.12",	  "roots/debian-4.19",
		"roots/ubuntu-3.2",	     "roots/kconfig-truncated", "roots/kconfig-corrupt",
		"roots/kconfig-badgzip",   "roots/kconfig-quirks",	  "roots/missing",
		"roots/empty",		     "roots/no-such-root",
	};
	int before, after;

	/* Warm up whatever the C library opens once. */
	feat_unref(ctx_root("roots/missing"));
	before = count_fds();
	ck_assert_int_gt(before, 0);
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < ARRAY_LEN(roots); i++) {
			struct feat_ctx *ctx = ctx_root(roots[i]);
			struct feat_choice *c = NULL;

			ck_assert_ptr_nonnull(ctx);
			ck_assert_ptr_eq(feat_ref(ctx), ctx);
			feat_kversion(ctx);
			probe_all(ctx);
			feat_kconfig_get(ctx, "CONFIG_BPF", NULL);
			ck_assert_int_eq(feat_backend_choose(ctx, NULL, &c), 0);
			feat_choice_free(c);
			ck_assert_ptr_eq(feat_unref(ctx), ctx); /* one reference left */
			ck_assert_ptr_null(feat_unref(ctx));
		}
	}
	after = count_fds();
	ck_assert_msg(after == before, "%d fds before, %d after", before, after);
}
END_TEST

START_TEST(test_no_fd_leak_hostile_tmp)
{
	int before, after;

	tmp_setup();
	ck_assert_int_eq(mkfifo(tmp(TMP_CONFIG), 0644), 0);
	before = count_fds();
	for (int i = 0; i < 3; i++) {
		struct feat_ctx *ctx = tmp_ctx();

		probe_all(ctx);
		feat_unref(ctx);
	}
	ck_assert_int_eq(unlink(tmp(TMP_CONFIG)), 0);
	ck_assert_int_eq(symlink("config-" HOSTILE_RELEASE, tmp(TMP_CONFIG)), 0);
	for (int i = 0; i < 3; i++) {
		struct feat_ctx *ctx = tmp_ctx();

		probe_all(ctx);
		feat_unref(ctx);
	}
	after = count_fds();
	tmp_teardown();
	ck_assert_msg(after == before, "%d fds before, %d after", before, after);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("roots");
	TCase *tc = tcase_create("static");
	int failed;

	require_fixtures();
	unsetenv("FEAT_KCONFIG");
	/* No per-boot cache in the tests' way. */
	setenv("FEAT_NO_CACHE", "1", 1);
	tcase_add_loop_test(tc, test_debian_static, 0, 2);
	tcase_add_test(tc, test_quirks_static);
	tcase_add_test(tc, test_missing_static);
	tcase_add_test(tc, test_debian_backend);
	suite_add_tcase(s, tc);
	tc = tcase_create("hostile");
	tcase_add_loop_test(tc, test_hostile_committed, 0, (int)ARRAY_LEN(hostiles));
	tcase_add_test(tc, test_fifo_config);
	tcase_add_test(tc, test_fifo_osrelease);
	tcase_add_test(tc, test_symlink_loop);
	tcase_add_test(tc, test_symlink_loop2);
	tcase_add_test(tc, test_sparse_1g);
	tcase_add_test(tc, test_gzip_bomb);
	tcase_add_test(tc, test_directory_config);
	tcase_add_test(tc, test_proc_config_gz);
	tcase_set_timeout(tc, 10);
	suite_add_tcase(s, tc);
	tc = tcase_create("fds");
	tcase_add_test(tc, test_no_fd_leak);
	tcase_add_test(tc, test_no_fd_leak_hostile_tmp);
	tcase_set_timeout(tc, 20);
	suite_add_tcase(s, tc);
	failed = test_run_suite(s, CK_FORK_GETENV);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
