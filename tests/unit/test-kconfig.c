// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * feat_kconfig_get() / feat_kconfig_state() on the configs of two Debian
 * kernels, checked symbol by symbol against the decompressed file, and on
 * the corner cases of the format.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

struct config_root {
	const char *root;
	const char *gz;		/* the fixture the root's config points at */
	const char *source;	/* the path the library should report */
};

static const struct config_root config_roots[] = {
	{ "roots/debian-6.1", "kconfig/config-" CFG61 ".gz", "/boot/config-" CFG61 },
	{ "roots/debian-6.12", "kconfig/config-" CFG612 ".gz",
	  "/lib/modules/" CFG612 "/config" },
};

/* Every symbol the file sets or unsets, as the library reads it. */
START_TEST(test_every_symbol)
{
	const struct config_root *c = &config_roots[_i];
	struct feat_ctx *ctx = ctx_root(c->root);
	const struct feat_result *r;
	char p[PATH_MAX], *text, *line;
	size_t len, checked = 0, n_read = 0;

	ck_assert_ptr_nonnull(ctx);
	text = slurp_gz(fixture(p, sizeof(p), c->gz), &len);
	ck_assert_ptr_nonnull(text);
	ck_assert_uint_gt(len, 100000);

	r = feat_probe(ctx, FEAT_KCONFIG);
	ck_assert_int_eq(r->state, FEAT_YES);
	ck_assert_int_eq(r->err, 0);
	ck_assert_str_eq(r->source, c->source);
	ck_assert_pstr_eq(feat_kconfig_source(ctx), c->source);
	/* "N symbols read": N is the number of set and unset lines. */
	ck_assert_int_eq(sscanf(r->detail, "%zu symbols", &n_read), 1);
	ck_assert_uint_eq(n_read, oracle_kconfig_count(text));

	for (line = text; line && *line;) {
		char *eol = strchr(line, '\n'), name[128];
		const char *v = NULL;
		char *want;
		size_t nl;

		if (eol)
			*eol = '\0';
		if (strncmp(line, "CONFIG_", 7) == 0)
			nl = strcspn(line + 7, "=");
		else if (strncmp(line, "# CONFIG_", 9) == 0)
			nl = strcspn(line + 9, " ");
		else
			nl = 0;
		if (nl > 0 && nl < sizeof(name)) {
			memcpy(name, line + (line[0] == '#' ? 9 : 7), nl);
			name[nl] = '\0';
			if (eol)
				*eol = '\n';
			want = oracle_kconfig(text, name);
			ck_assert_int_eq(feat_kconfig_get(ctx, name, &v), 0);
			ck_assert_msg(v && strcmp(v, want) == 0, "%s CONFIG_%s: library \"%s\", file \"%s\"",
				      c->root, name, v ? v : "(null)", want);
			free(want);
			checked++;
		} else if (eol) {
			*eol = '\n';
		}
		line = eol ? eol + 1 : NULL;
	}
	ck_assert_uint_eq(checked, n_read);
	free(text);
	feat_unref(ctx);
}
END_TEST

/*
 * Hand-checked values. Command run (2026-11-25, in tests/fixtures):
 *   for f in kconfig/config-*.gz; do zgrep -E '^(# )?CONFIG_(BPF|BPF_SYSCALL|BPF_EVENTS|
 *     DEBUG_INFO_BTF|TRACEPOINTS|TRACING|MODULES|IOSF_MBI|IKCONFIG|BPF_JIT_ALWAYS_ON|HZ|
 *     NR_CPUS|CC_IMPLICIT_FALLTHROUGH|LOCALVERSION|LSM|DEFAULT_HOSTNAME)[= ]' $f; done
 * The two configs agree on all of them but CONFIG_LSM (6.12 adds ipe).
 */
/* feat_kconfig_state(): YES for y, m, a number or a non-empty string (feat.h). */
struct known {
	const char *name;
	const char *v61, *v612;
	enum feat_state state;
};

static const struct known known[] = {
	{ "CONFIG_BPF", "y", "y", FEAT_YES },
	{ "CONFIG_BPF_SYSCALL", "y", "y", FEAT_YES },
	{ "CONFIG_BPF_EVENTS", "y", "y", FEAT_YES },
	{ "CONFIG_DEBUG_INFO_BTF", "y", "y", FEAT_YES },
	{ "CONFIG_TRACEPOINTS", "y", "y", FEAT_YES },
	{ "CONFIG_TRACING", "y", "y", FEAT_YES },
	{ "CONFIG_MODULES", "y", "y", FEAT_YES },
	{ "CONFIG_IOSF_MBI", "m", "m", FEAT_YES },
	{ "CONFIG_IKCONFIG", "n", "n", FEAT_NO },	    /* is not set */
	{ "CONFIG_BPF_JIT_ALWAYS_ON", "n", "n", FEAT_NO }, /* is not set */
	{ "CONFIG_HZ", "250", "250", FEAT_YES },
	{ "CONFIG_NR_CPUS", "8192", "8192", FEAT_YES },
	{ "CONFIG_CC_IMPLICIT_FALLTHROUGH", "-Wimplicit-fallthrough=5",
	  "-Wimplicit-fallthrough=5", FEAT_YES },
	{ "CONFIG_LOCALVERSION", "", "", FEAT_NO },
	{ "CONFIG_DEFAULT_HOSTNAME", "(none)", "(none)", FEAT_YES },
	{ "CONFIG_LSM", "landlock,lockdown,yama,loadpin,safesetid,integrity,apparmor,selinux,smack,tomoyo,bpf",
	  "landlock,lockdown,yama,loadpin,safesetid,integrity,apparmor,selinux,smack,tomoyo,bpf,ipe",
	  FEAT_YES },
	/* Absent from both files (zgrep finds nothing): n. */
	{ "CONFIG_NO_SUCH_SYMBOL_AT_ALL", "n", "n", FEAT_NO },
};

START_TEST(test_known_values)
{
	for (size_t k = 0; k < ARRAY_LEN(config_roots); k++) {
		struct feat_ctx *ctx = ctx_root(config_roots[k].root);

		ck_assert_ptr_nonnull(ctx);
		for (size_t i = 0; i < ARRAY_LEN(known); i++) {
			const char *want = k == 0 ? known[i].v61 : known[i].v612;
			const char *v = NULL;

			ck_assert_int_eq(feat_kconfig_get(ctx, known[i].name, &v), 0);
			ck_assert_msg(v && strcmp(v, want) == 0, "%s %s: \"%s\", expected \"%s\"",
				      config_roots[k].root, known[i].name, v ? v : "(null)", want);
			/* The prefix may be omitted. */
			ck_assert_int_eq(feat_kconfig_get(ctx, known[i].name + 7, &v), 0);
			ck_assert_str_eq(v, want);
			ck_assert_msg(feat_kconfig_state(ctx, known[i].name) == known[i].state,
				      "%s: state %d", known[i].name, feat_kconfig_state(ctx, known[i].name));
		}
		feat_unref(ctx);
	}
}
END_TEST

START_TEST(test_bad_names)
{
	struct feat_ctx *ctx = ctx_root("roots/debian-6.1");
	const char *v = "untouched";

	ck_assert_int_eq(feat_kconfig_get(ctx, NULL, &v), -EINVAL);
	ck_assert_int_eq(feat_kconfig_get(ctx, "", &v), -EINVAL);
	ck_assert_int_eq(feat_kconfig_get(ctx, "CONFIG_", &v), -EINVAL);
	ck_assert_str_eq(v, "untouched");
	ck_assert_int_eq(feat_kconfig_state(ctx, ""), FEAT_UNKNOWN);
	/* A NULL value pointer is allowed. */
	ck_assert_int_eq(feat_kconfig_get(ctx, "CONFIG_BPF", NULL), 0);
	feat_unref(ctx);
}
END_TEST

/* tests/fixtures/roots/kconfig-quirks: values read as written. */
struct quirk {
	const char *name;
	const char *value;
	enum feat_state state;
};

static const struct quirk quirks[] = {
	{ "BPF", "y", FEAT_YES },
	{ "BPF_EVENTS", "n", FEAT_NO },
	{ "MODULES", "m", FEAT_YES },
	{ "HZ", "250", FEAT_YES },
	{ "CC_IMPLICIT_FALLTHROUGH", "-Wimplicit-fallthrough=5", FEAT_YES },
	{ "CMDLINE", "console=ttyS0 root=/dev/vda1 quiet", FEAT_YES },
	/* Escapes are kept, only the outer quotes go (feat.h). */
	{ "QUOTED", "say \\\"hi\\\" = there", FEAT_YES },
	{ "EMPTY_STRING", "", FEAT_NO },
	{ "PHYSICAL_START", "0x1000000", FEAT_YES },
	/* Assigned twice: the last assignment wins, as in Kconfig's reader
	 * (scripts/kconfig/confdata.c warns "override: reassigning"). */
	{ "DUP_ON_THEN_OFF", "n", FEAT_NO },
	{ "DUP_OFF_THEN_ON", "m", FEAT_YES },
	/* Not the kconfig syntax: ignored, so absent, so n. */
	{ "NOT_SET_TRAILING", "n", FEAT_NO },
	{ "NO_SPACE", "n", FEAT_NO },
	{ "INDENTED", "n", FEAT_NO },
	{ "NO_EQUALS", "n", FEAT_NO },
};

START_TEST(test_quirks)
{
	struct feat_ctx *ctx = ctx_root("roots/kconfig-quirks");
	const struct feat_result *r;
	const char *v;

	ck_assert_ptr_nonnull(ctx);
	r = feat_probe(ctx, FEAT_KCONFIG);
	ck_assert_int_eq(r->state, FEAT_YES);
	ck_assert_str_eq(r->source, "/boot/config-" HOSTILE_RELEASE);
	for (size_t i = 0; i < ARRAY_LEN(quirks); i++) {
		v = NULL;
		ck_assert_int_eq(feat_kconfig_get(ctx, quirks[i].name, &v), 0);
		ck_assert_msg(v && strcmp(v, quirks[i].value) == 0, "CONFIG_%s: \"%s\", expected \"%s\"",
			      quirks[i].name, v ? v : "(null)", quirks[i].value);
		ck_assert_msg(feat_kconfig_state(ctx, quirks[i].name) == quirks[i].state,
			      "CONFIG_%s: state %d", quirks[i].name, feat_kconfig_state(ctx, quirks[i].name));
	}
	/* An unterminated string: whatever it reads, it must not crash. */
	ck_assert_int_eq(feat_kconfig_get(ctx, "UNTERMINATED", &v), 0);
	ck_assert_ptr_nonnull(v);
	feat_unref(ctx);
}
END_TEST

/* opts.kconfig: the file as given, gzip or plain, not under a root. */
START_TEST(test_opts_kconfig)
{
	char gz[PATH_MAX], plain[PATH_MAX], root[PATH_MAX];
	struct feat_ctx *ctx;
	const char *v;

	fixture(gz, sizeof(gz), "kconfig/config-" CFG612 ".gz");
	fixture(plain, sizeof(plain), "roots/kconfig-quirks/boot/config-" HOSTILE_RELEASE);
	fixture(root, sizeof(root), "roots/missing");

	ctx = feat_new(&(struct feat_opts){ .sz = sizeof(struct feat_opts), .root = root,
					     .kconfig = gz });
	ck_assert_ptr_nonnull(ctx);
	ck_assert_pstr_eq(feat_kconfig_source(ctx), gz);
	ck_assert_int_eq(feat_probe(ctx, FEAT_KCONFIG)->state, FEAT_YES);
	ck_assert_str_eq(feat_probe(ctx, FEAT_KCONFIG)->source, gz);
	ck_assert_int_eq(feat_kconfig_get(ctx, "LSM", &v), 0);
	ck_assert_ptr_nonnull(strstr(v, ",ipe")); /* 6.12's, not 6.1's */
	feat_unref(ctx);

	/* A plain file, with the environment pointing elsewhere: the option wins. */
	setenv("FEAT_KCONFIG", gz, 1);
	ctx = feat_new(&(struct feat_opts){ .sz = sizeof(struct feat_opts), .root = root,
					     .kconfig = plain });
	ck_assert_pstr_eq(feat_kconfig_source(ctx), plain);
	ck_assert_int_eq(feat_kconfig_state(ctx, "BPF_EVENTS"), FEAT_NO);
	feat_unref(ctx);
	unsetenv("FEAT_KCONFIG");
}
END_TEST

/* $FEAT_KCONFIG: used when no option names a file, before the root's files. */
START_TEST(test_env_kconfig)
{
	char gz[PATH_MAX];
	struct feat_ctx *ctx;
	const char *v;

	fixture(gz, sizeof(gz), "kconfig/config-" CFG612 ".gz");
	setenv("FEAT_KCONFIG", gz, 1);
	/* debian-6.1 has its own /boot config: the environment still wins. */
	ctx = ctx_root("roots/debian-6.1");
	ck_assert_pstr_eq(feat_kconfig_source(ctx), gz);
	ck_assert_int_eq(feat_kconfig_get(ctx, "CONFIG_LSM", &v), 0);
	ck_assert_ptr_nonnull(strstr(v, ",ipe"));
	feat_unref(ctx);

	/* An empty variable is no variable. */
	setenv("FEAT_KCONFIG", "", 1);
	ctx = ctx_root("roots/debian-6.1");
	ck_assert_pstr_eq(feat_kconfig_source(ctx), "/boot/config-" CFG61);
	feat_unref(ctx);
	unsetenv("FEAT_KCONFIG");
}
END_TEST

/* An explicit file that cannot be read: unknown, and no fallback. */
START_TEST(test_explicit_missing)
{
	char root[PATH_MAX];
	const struct feat_result *r;
	struct feat_ctx *ctx;
	const char *v;

	fixture(root, sizeof(root), "roots/debian-6.1");
	ctx = feat_new(&(struct feat_opts){ .sz = sizeof(struct feat_opts), .root = root,
					     .kconfig = "/nonexistent/config.gz" });
	r = feat_probe(ctx, FEAT_KCONFIG);
	ck_assert_int_eq(r->state, FEAT_UNKNOWN);
	ck_assert_int_eq(r->err, ENOENT);
	ck_assert_ptr_null(feat_kconfig_source(ctx));
	ck_assert_int_eq(feat_kconfig_get(ctx, "CONFIG_BPF", &v), -ENOENT);
	ck_assert_int_eq(feat_kconfig_state(ctx, "CONFIG_BPF"), FEAT_UNKNOWN);
	feat_unref(ctx);

	setenv("FEAT_KCONFIG", "/nonexistent/env-config", 1);
	ctx = ctx_root("roots/debian-6.1");
	ck_assert_int_eq(feat_probe(ctx, FEAT_KCONFIG)->state, FEAT_UNKNOWN);
	ck_assert_int_eq(feat_probe(ctx, FEAT_KCONFIG)->err, ENOENT);
	feat_unref(ctx);
	unsetenv("FEAT_KCONFIG");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("kconfig");
	TCase *tc = tcase_create("debian");
	int failed;

	require_fixtures();
	unsetenv("FEAT_KCONFIG");
	tcase_add_loop_test(tc, test_every_symbol, 0, (int)ARRAY_LEN(config_roots));
	tcase_add_test(tc, test_known_values);
	tcase_add_test(tc, test_bad_names);
	suite_add_tcase(s, tc);
	tc = tcase_create("format");
	tcase_add_test(tc, test_quirks);
	suite_add_tcase(s, tc);
	tc = tcase_create("explicit");
	tcase_add_test(tc, test_opts_kconfig);
	tcase_add_test(tc, test_env_kconfig);
	tcase_add_test(tc, test_explicit_missing);
	suite_add_tcase(s, tc);
	failed = test_run_suite(s, CK_FORK_GETENV);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
