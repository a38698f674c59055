// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * feat_kversion_parse() over version strings real kernels and distributions
 * wrote, and feat_kversion() over the fixture roots.
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "unit.h"

struct vcase {
	const char *source;
	const char *text;
	int ret;
	unsigned int major, minor, patch;
	const char *from; /* where the string was seen */
};

static const struct vcase vcases[] = {
	/* Ubuntu /proc/version_signature: the upstream version is the last word. */
	{ "version_signature", "Ubuntu 5.15.0-91.101-generic 5.15.131", 0, 5, 15, 131,
	  "Ubuntu 22.04 kernel 5.15.0-91.101 (libfeat KERNEL-FACTS.md)" },
	{ "version_signature", "Ubuntu 5.15.0-79.86-generic 5.15.111", 0, 5, 15, 111,
	  "github.com/libuv/libuv pull 4131" },
	{ "version_signature", "Ubuntu 6.2.0-24.24-generic 6.2.12", 0, 6, 2, 12,
	  "github.com/eminence/procfs issue 279" },
	{ "version_signature", "Ubuntu 3.2.0-31.50-generic 3.2.28\n", 0, 3, 2, 28,
	  "github.com/DE-IBH/apt-dater-host pull 1 (file content, newline kept)" },
	{ "version_signature", "", -EINVAL, 0, 0, 0, "empty file" },
	{ "version_signature", "   \n", -EINVAL, 0, 0, 0, "blank file" },
	{ "version_signature", "Ubuntu", -EINVAL, 0, 0, 0, "one word" },
	{ "version_signature", "Ubuntu 5.15.0-91.101-generic x.y", -EINVAL, 0, 0, 0,
	  "last word not a version" },

	/* Debian uname -v: the version after "Debian ". */
	{ "uname -v", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-11-16)", 0, 6, 1, 192,
	  "bzImage header of linux-image-6.1.0-56-cloud-amd64-unsigned 6.1.192-2" },
	{ "uname -v", "#1 SMP PREEMPT_DYNAMIC Debian 6.12.117-1~deb12u1 (2026-11-14)", 0, 6,
	  12, 117, "bzImage header of linux-image-6.12.117+deb12-cloud-amd64-unsigned" },
	{ "uname -v", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.106-3 (2024-08-26)", 0, 6, 1, 106,
	  "github.com/shadow/shadow pull 3442 (Debian 12)" },
	{ "uname -v", "#1 SMP Debian 5.10.191-1 (2023-08-16)", 0, 5, 10, 191,
	  "github.com/wazuh/wazuh issue 26788 (5.10.0-25-cloud-amd64)" },
	{ "uname -v", "#1 SMP Debian 4.9.82-1+deb9u3 (2018-03-02)", 0, 4, 9, 82,
	  "github.com/volatilityfoundation/profiles pull 52 (Debian 9.4)" },
	{ "uname -v", "#1 SMP Debian 4.19.325-1", 0, 4, 19, 325,
	  "buster LTS form from the project brief; sublevel above 255" },
	/* Backports: "~bpo12+1" is Debian's backports version suffix
	 * (bookworm-backports); the string is that form, not copied from a machine. */
	{ "uname -v", "#1 SMP PREEMPT_DYNAMIC Debian 6.12.9-1~bpo12+1 (2025-01-19)", 0, 6, 12,
	  9, "bookworm-backports version form" },
	{ "uname -v", "#50-Ubuntu SMP Fri Sep 7 16:16:45 UTC 2012", -EINVAL, 0, 0, 0,
	  "Ubuntu uname -v: no Debian version in it" },
	{ "uname -v", "#1 SMP Debian (2023-08-16)", -EINVAL, 0, 0, 0, "Debian without a version" },
	{ "uname -v", "", -EINVAL, 0, 0, 0, "empty" },
	{ "uname -v", "Debian", -EINVAL, 0, 0, 0, "the word alone" },

	/* uname -r: the upstream base at the start. */
	{ "uname -r", "6.1.0-56-cloud-amd64", 1, 6, 1, 0, "Debian 12 package" },
	{ "uname -r", "6.12.117+deb12-cloud-amd64", 0, 6, 12, 117, "Debian 12 package" },
	{ "uname -r", "4.19.0-27-amd64", 1, 4, 19, 0, "Debian 10 release form" },
	{ "uname -r", "5.15.0-91-generic", 1, 5, 15, 0, "Ubuntu 22.04" },
	{ "uname -r", "3.2.0-31-generic", 1, 3, 2, 0, "DE-IBH/apt-dater-host pull 1" },
	{ "uname -r", "4.18.0-513.el8.x86_64", 1, 4, 18, 0, "RHEL 8.9" },
	{ "uname -r", "5.14.0-362.8.1.el9_3.x86_64", 1, 5, 14, 0, "RHEL 9.3" },
	{ "uname -r", "6.5.6-300.fc39.x86_64", 0, 6, 5, 6, "Fedora 39" },
	{ "uname -r", "6.6.1-arch1-1", 0, 6, 6, 1, "Arch Linux" },
	{ "uname -r", "5.15.90.1-microsoft-standard-WSL2", 0, 5, 15, 90, "WSL2" },
	{ "uname -r", "6.8.0-rc1", 0, 6, 8, 0, "upstream release candidate" },
	{ "uname -r", "6.8", 0, 6, 8, 0, "two components" },
	{ "uname -r", "", -EINVAL, 0, 0, 0, "empty" },
	{ "uname -r", "linux", -EINVAL, 0, 0, 0, "no digits" },
	{ "uname -r", "6", -EINVAL, 0, 0, 0, "major only" },
	{ "uname -r", "6.", -EINVAL, 0, 0, 0, "dangling dot" },
	{ "uname -r", "6..1", -EINVAL, 0, 0, 0, "empty minor" },
	{ "uname -r", "v6.1.0", -EINVAL, 0, 0, 0, "leading v" },
	{ "uname -r", ".6.1", -EINVAL, 0, 0, 0, "leading dot" },
	{ "uname -r", "-6.1.0", -EINVAL, 0, 0, 0, "leading dash" },
	{ "uname -r", "99999999999999999999.1.0", -EINVAL, 0, 0, 0, "overflow" },
	{ "uname -r", "6.70000.0", -EINVAL, 0, 0, 0, "minor above 65535" },

	/* /proc/version */
	{ "proc/version",
	  "Linux version 3.2.0-31-generic (buildd@allspice) (gcc version 4.6.3 "
	  "(Ubuntu/Linaro 4.6.3-1ubuntu5) ) #50-Ubuntu SMP Fri Sep 7 16:16:45 UTC 2012",
	  0, 3, 2, 0, "DE-IBH/apt-dater-host pull 1" },
	{ "proc/version",
	  "Linux version 3.4.0-Microsoft (Microsoft@Microsoft.com) (gcc version 4.7 (GCC) ) "
	  "#1 SMP PREEMPT Wed Dec 31 14:42:53 PST 2014",
	  0, 3, 4, 0, "github.com/microsoft/WSL issue 1090" },
	/*
	 * The real Debian banner (linux_banner of the 6.1.0-56 package's
	 * vmlinux): the compiler's "(Debian 12.2.0-14+deb12u1)" comes before
	 * the kernel's "Debian 6.1.192-2". The kernel's version is 6.1.192.
	 */
	{ "proc/version",
	  "Linux version 6.1.0-56-cloud-amd64 (debian-kernel@lists.debian.org) (gcc-12 "
	  "(Debian 12.2.0-14+deb12u1) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) "
	  "#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-11-16)",
	  0, 6, 1, 192, "linux_banner of linux-image-6.1.0-56-cloud-amd64-unsigned" },
	{ "proc/version", "", -EINVAL, 0, 0, 0, "empty" },
	{ "proc/version", "Linux", -EINVAL, 0, 0, 0, "truncated" },
	{ "proc/version", "Linux version ", -EINVAL, 0, 0, 0, "truncated after the prefix" },

	/* Sources the function does not know. */
	{ "uname", "6.1.0", -EINVAL, 0, 0, 0, "unknown source" },
	{ "", "6.1.0", -EINVAL, 0, 0, 0, "empty source" },
};

START_TEST(test_parse_table)
{
	const struct vcase *c = &vcases[_i];
	unsigned int a = 1111, b = 2222, p = 3333;
	int r;

	r = feat_kversion_parse(c->source, c->text, &a, &b, &p);
	ck_assert_msg(r == c->ret, "%s \"%s\" (%s): returned %d, expected %d", c->source,
		      c->text, c->from, r, c->ret);
	if (c->ret < 0) {
		/* Outputs untouched on failure. */
		ck_assert_uint_eq(a, 1111);
		ck_assert_uint_eq(b, 2222);
		ck_assert_uint_eq(p, 3333);
		return;
	}
	ck_assert_msg(a == c->major && b == c->minor && p == c->patch,
		      "%s \"%s\" (%s): %u.%u.%u, expected %u.%u.%u", c->source, c->text,
		      c->from, a, b, p, c->major, c->minor, c->patch);
}
END_TEST

START_TEST(test_parse_null)
{
	unsigned int a;

	ck_assert_int_eq(feat_kversion_parse(NULL, "6.1.0", &a, &a, &a), -EINVAL);
	ck_assert_int_eq(feat_kversion_parse("uname -r", NULL, &a, &a, &a), -EINVAL);
	/* NULL outputs are allowed. */
	ck_assert_int_eq(feat_kversion_parse("uname -r", "6.1.0", NULL, NULL, NULL), 0);
}
END_TEST

/* The entry named @name among the sources seen, or NULL. */
static const char *seen(const struct feat_kversion *kv, const char *name)
{
	for (size_t i = 0; i < kv->n_seen; i++)
		if (strcmp(kv->seen_name[i], name) == 0)
			return kv->seen_value[i];
	return NULL;
}

struct rcase {
	const char *root;
	const char *release;	/* NULL: none */
	const char *version;	/* NULL: none */
	const char *source;
	const char *const seen_sources[4];
};

static const struct rcase rcases[] = {
	{ "roots/debian-6.1", CFG61, "6.1.192", "uname -v", { "uname -v", "uname -r" } },
	{ "roots/debian-6.12", CFG612, "6.12.117", "uname -v", { "uname -v", "uname -r" } },
	/* Sublevel 325: the strings are not clamped at 255 as KERNEL_VERSION() is. */
	{ "roots/debian-4.19", "4.19.0-27-amd64", "4.19.325", "uname -v",
	  { "uname -v", "uname -r" } },
	{ "roots/ubuntu-3.2", "3.2.0-31-generic", "3.2.28", "version_signature",
	  { "version_signature", "proc/version", "uname -r" } },
	{ "roots/rhel-8", "4.18.0-513.el8.x86_64", "4.18", "uname -r", { "uname -r" } },
	{ "roots/missing", "6.1.0-missing", "6.1.0", "uname -r", { "uname -r" } },
	/* Only /proc/version: see the proc/version row of vcases. */
	{ "roots/debian-6.1-procversion", CFG61, "6.1.192", "proc/version",
	  { "proc/version", "uname -r" } },
};

START_TEST(test_root_kversion)
{
	const struct rcase *c = &rcases[_i];
	struct feat_ctx *ctx = ctx_root(c->root);
	const struct feat_kversion *kv;
	const struct feat_result *r;
	char file[512], rel[PATH_MAX];

	ck_assert_ptr_nonnull(ctx);
	ck_assert(feat_is_offline(ctx));
	kv = feat_kversion(ctx);
	ck_assert_ptr_nonnull(kv);
	ck_assert_uint_eq(kv->sz, sizeof(*kv));
	/* The release is the root's osrelease file, read here independently. */
	snprintf(rel, sizeof(rel), "%s/proc/sys/kernel/osrelease", c->root);
	fixture_line(rel, file, sizeof(file));
	ck_assert_str_eq(file, c->release);
	ck_assert_pstr_eq(kv->release, c->release);
	ck_assert_msg(kv->version && strcmp(kv->version, c->version) == 0,
		      "%s: version %s from %s, expected %s from %s", c->root,
		      kv->version ? kv->version : "(null)", kv->source ? kv->source : "(null)",
		      c->version, c->source);
	ck_assert_pstr_eq(kv->source, c->source);
	ck_assert_uint_eq(kv->code, 0); /* no vDSO of a target */
	for (size_t i = 0; i < 4 && c->seen_sources[i]; i++) {
		const char *v = seen(kv, c->seen_sources[i]);

		ck_assert_msg(v != NULL, "%s: source %s not seen", c->root, c->seen_sources[i]);
		ck_assert_str_eq(kv->seen_name[i], c->seen_sources[i]); /* order of trust */
	}
	/* What each source said is the file's content. */
	if (seen(kv, "uname -v")) {
		snprintf(rel, sizeof(rel), "%s/proc/sys/kernel/version", c->root);
		fixture_line(rel, file, sizeof(file));
		ck_assert_str_eq(seen(kv, "uname -v"), file);
	}
	if (seen(kv, "version_signature")) {
		snprintf(rel, sizeof(rel), "%s/proc/version_signature", c->root);
		fixture_line(rel, file, sizeof(file));
		ck_assert_str_eq(seen(kv, "version_signature"), file);
	}
	if (seen(kv, "uname -r"))
		ck_assert_str_eq(seen(kv, "uname -r"), c->release);

	r = feat_probe(ctx, FEAT_KVERSION);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->id, FEAT_KVERSION);
	ck_assert_int_eq(r->state, FEAT_YES);
	ck_assert_int_eq(r->err, 0);
	ck_assert_str_eq(r->source, c->source);
	ck_assert_ptr_nonnull(strstr(r->detail, c->version));
	ck_assert_ptr_null(feat_unref(ctx));
}
END_TEST

START_TEST(test_at_least_sublevel)
{
	struct feat_ctx *ctx = ctx_root("roots/debian-4.19");

	ck_assert_ptr_nonnull(ctx);
	ck_assert_int_eq(feat_kversion_at_least(ctx, 4, 19, 255), FEAT_YES);
	ck_assert_int_eq(feat_kversion_at_least(ctx, 4, 19, 325), FEAT_YES);
	ck_assert_int_eq(feat_kversion_at_least(ctx, 4, 19, 326), FEAT_NO);
	ck_assert_int_eq(feat_kversion_at_least(ctx, 4, 20, 0), FEAT_NO);
	ck_assert_int_eq(feat_kversion_at_least(ctx, 3, 99, 999), FEAT_YES);
	ck_assert_int_eq(feat_kversion_at_least(ctx, 5, 0, 0), FEAT_NO);
	feat_unref(ctx);
}
END_TEST

START_TEST(test_empty_root)
{
	struct feat_ctx *ctx = ctx_root("roots/empty");
	const struct feat_kversion *kv;
	const struct feat_result *r;

	ck_assert_ptr_nonnull(ctx);
	kv = feat_kversion(ctx);
	ck_assert_ptr_null(kv->release);
	ck_assert_ptr_null(kv->version);
	ck_assert_uint_eq(kv->major, 0);
	ck_assert_int_eq(feat_kversion_at_least(ctx, 0, 0, 0), FEAT_UNKNOWN);
	r = feat_probe(ctx, FEAT_KVERSION);
	ck_assert_int_eq(r->state, FEAT_UNKNOWN);
	ck_assert_int_ne(r->err, 0);
	ck_assert_ptr_nonnull(r->detail);
	ck_assert_ptr_nonnull(r->source);
	feat_unref(ctx);
}
END_TEST

/* A root that does not exist: every file is missing. */
START_TEST(test_nonexistent_root)
{
	struct feat_ctx *ctx = ctx_root("roots/no-such-root");
	const struct feat_result *r;

	ck_assert_ptr_nonnull(ctx);
	ck_assert_ptr_null(feat_kversion(ctx)->version);
	r = feat_probe(ctx, FEAT_KVERSION);
	ck_assert_int_eq(r->state, FEAT_UNKNOWN);
	ck_assert_int_eq(r->err, ENOENT);
	feat_unref(ctx);
}
END_TEST

/* opts.release alone: an offline target named by its release. */
START_TEST(test_release_option)
{
	struct feat_ctx *ctx = feat_new(&(struct feat_opts){
		.sz = sizeof(struct feat_opts), .release = "5.14.0-362.8.1.el9_3.x86_64" });
	const struct feat_kversion *kv;

	ck_assert_ptr_nonnull(ctx);
	ck_assert(feat_is_offline(ctx));
	kv = feat_kversion(ctx);
	ck_assert_pstr_eq(kv->release, "5.14.0-362.8.1.el9_3.x86_64");
	/* RHEL's X.Y.0-N is an ABI name: the sublevel is not known. */
	ck_assert_pstr_eq(kv->version, "5.14");
	ck_assert(!kv->patch_known);
	ck_assert_pstr_eq(kv->source, "release");
	ck_assert_uint_eq(kv->major, 5);
	ck_assert_uint_eq(kv->minor, 14);
	ck_assert_uint_eq(kv->patch, 0);
	ck_assert_uint_eq(kv->n_seen, 1);
	feat_unref(ctx);
}
END_TEST

/* Options the library must refuse. */
START_TEST(test_bad_options)
{
	errno = 0;
	ck_assert_ptr_null(feat_new(&(struct feat_opts){ .sz = sizeof(struct feat_opts),
							 .root = "" }));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(feat_new(&(struct feat_opts){ .sz = 1 }));
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("kversion");
	TCase *tc = tcase_create("parse");
	int failed;

	require_fixtures();
	tcase_add_loop_test(tc, test_parse_table, 0, (int)ARRAY_LEN(vcases));
	tcase_add_test(tc, test_parse_null);
	suite_add_tcase(s, tc);
	tc = tcase_create("roots");
	tcase_add_loop_test(tc, test_root_kversion, 0, (int)ARRAY_LEN(rcases));
	tcase_add_test(tc, test_at_least_sublevel);
	tcase_add_test(tc, test_empty_root);
	tcase_add_test(tc, test_nonexistent_root);
	tcase_add_test(tc, test_release_option);
	tcase_add_test(tc, test_bad_options);
	suite_add_tcase(s, tc);
	failed = test_run_suite(s, CK_FORK_GETENV);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
