// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The built featprobe on fixture roots: exit statuses of `check`, usage
 * errors, and the keys of `--json`, parsed with json-c.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"

extern char **environ;

static const char *featprobe;

/* Run featprobe with @args (NULL-terminated); its stdout in *out (malloc'd). */
static int run(char **out, const char *const *args)
{
	const char *argv[16];
	posix_spawn_file_actions_t fa;
	size_t n = 0, cap = 1 << 16, len = 0;
	int pipefd[2], status;
	char *buf = malloc(cap);
	pid_t pid;
	ssize_t r;

	ck_assert_ptr_nonnull(buf);
	argv[n++] = featprobe;
	for (; *args && n < ARRAY_LEN(argv) - 1; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	ck_assert_int_eq(pipe2(pipefd, O_CLOEXEC), 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	ck_assert_int_eq(posix_spawn(&pid, featprobe, &fa, NULL, (char *const *)argv, environ),
			 0);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	while ((r = read(pipefd[0], buf + len, cap - len - 1)) > 0) {
		len += (size_t)r;
		if (cap - len < 4096) {
			cap *= 2;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
	}
	close(pipefd[0]);
	buf[len] = '\0';
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	if (out)
		*out = buf;
	else
		free(buf);
	return WEXITSTATUS(status);
}

static char root61[PATH_MAX], root419[PATH_MAX], rootmissing[PATH_MAX], rootquirks[PATH_MAX];

struct check_case {
	const char *root;
	const char *name;
	bool kernel;
	int status;
	const char *why;
};

/*
 * Expected statuses: 0 yes, 1 no, 2 unknown, 64 usage (featprobe.c header).
 * Values from the zgrep list in test-kconfig.c.
 */
static const struct check_case checks[] = {
	{ root61, "CONFIG_BPF", false, 0, "CONFIG_BPF=y" },
	{ root61, "CONFIG_BPF_SYSCALL", false, 0, "=y" },
	{ root61, "CONFIG_IOSF_MBI", false, 0, "=m counts as set" },
	{ root61, "CONFIG_IKCONFIG", false, 1, "is not set" },
	{ root61, "CONFIG_NO_SUCH_SYMBOL_AT_ALL", false, 1, "absent" },
	{ rootmissing, "CONFIG_BPF", false, 2, "no config in the root" },
	{ rootquirks, "CONFIG_BPF_EVENTS", false, 1, "is not set" },
	{ rootquirks, "CONFIG_MODULES", false, 0, "=m" },
	{ root61, "kernel>=6.1", false, 0, "6.1.192" },
	{ root61, "kernel>=6.1.192", false, 0, "6.1.192" },
	{ root61, "kernel>=6.1.193", false, 1, "6.1.192" },
	{ root61, "kernel>=6.2", false, 1, "6.1.192" },
	/* 4.19.325: not clamped at 255 */
	{ root419, "kernel>=4.19.300", false, 0, "4.19.325" },
	{ root419, "kernel>=4.19.326", false, 1, "4.19.325" },
	/* Offline: nothing probed, so the caller's use is unknown... */
	{ root61, "raw_tp", false, 2, "offline" },
	{ root61, "bpf", false, 2, "offline" },
	/* ...while the kernel's support has static evidence. */
	{ root61, "raw_tp", true, 0, "CONFIG_BPF_EVENTS=y, 6.1 >= 4.17" },
	{ root61, "tp_btf", true, 0, "CONFIG_DEBUG_INFO_BTF=y, 6.1 >= 5.5" },
	{ root61, "bpf", true, 0, "CONFIG_BPF_SYSCALL=y" },
	{ rootquirks, "raw_tp", true, 1, "CONFIG_BPF_EVENTS is not set" },
	{ rootmissing, "raw_tp", true, 2, "no evidence" },
	/* Malformed names: usage errors. */
	{ root61, "kernel>=x", false, 64, "malformed version" },
	{ root61, "kernel>=6", false, 64, "one component" },
	{ root61, "kernel>=6.1.", false, 64, "trailing dot" },
	{ root61, "CONFIG_lower", false, 64, "lower case" },
	{ root61, "CONFIG_", false, 64, "empty symbol" },
	{ root61, "CONFIG_A-B", false, 64, "dash" },
	{ root61, "nosuch", false, 64, "unknown feature" },
	{ root61, "", false, 64, "empty name" },
	{ root61, "kconfig", false, 64, "not a feature" },
};

START_TEST(test_check_status)
{
	const struct check_case *c = &checks[_i];
	const char *args[8];
	size_t n = 0;
	int status;

	args[n++] = "--root";
	args[n++] = c->root;
	if (c->kernel)
		args[n++] = "--kernel";
	args[n++] = "check";
	args[n++] = c->name;
	args[n] = NULL;
	status = run(NULL, args);
	ck_assert_msg(status == c->status, "check %s%s on %s: exit %d, expected %d (%s)",
		      c->kernel ? "--kernel " : "", c->name, c->root, status, c->status, c->why);
}
END_TEST

/* Two names, or none: usage errors too. */
START_TEST(test_check_usage)
{
	ck_assert_int_eq(run(NULL, (const char *[]){ "--root", root61, "check", NULL }), 64);
	ck_assert_int_eq(run(NULL, (const char *[]){ "--no-such-option", NULL }), 64);
	/* A root that does not exist is an error, not an unknown. */
	ck_assert_int_ne(run(NULL, (const char *[]){ "--root", "/nonexistent/root", "check",
						     "CONFIG_BPF", NULL }),
			 0);
}
END_TEST

static struct json_object *get(struct json_object *o, const char *path)
{
	char buf[128], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *k = strtok_r(buf, ".", &save); k; k = strtok_r(NULL, ".", &save)) {
		struct json_object *v = NULL;

		ck_assert_msg(o && json_object_get_type(o) == json_type_object,
			      "%s: parent of %s is not an object", path, k);
		ck_assert_msg(json_object_object_get_ex(o, k, &v), "key %s missing", path);
		o = v;
	}
	return o;
}

static const char *get_str(struct json_object *o, const char *path)
{
	struct json_object *v = get(o, path);

	ck_assert_msg(json_object_get_type(v) == json_type_string, "%s is not a string", path);
	return json_object_get_string(v);
}

static struct json_object *report(const char *root)
{
	struct json_object *j;
	char *out;

	ck_assert_int_eq(run(&out, (const char *[]){ "--root", root, "--json", NULL }), 0);
	j = json_tokener_parse(out);
	ck_assert_msg(j != NULL, "not JSON: %.200s", out);
	free(out);
	return j;
}

START_TEST(test_json_debian)
{
	static const char *const features[] = { "bpf", "btf", "raw_tp", "tp_btf", "tracepoint",
						"tracefs", "lockdown", "kmod" };
	struct json_object *j = report(root61), *v;
	char release[128], kv[256];

	fixture_line("roots/debian-6.1/proc/sys/kernel/osrelease", release, sizeof(release));
	fixture_line("roots/debian-6.1/proc/sys/kernel/version", kv, sizeof(kv));
	ck_assert_ptr_nonnull(strstr(kv, "Debian 6.1.192-2")); /* the package version */

	v = get(j, "schema");
	ck_assert_int_eq(json_object_get_type(v), json_type_int);
	ck_assert_int_ge(json_object_get_int(v), 1);
	ck_assert_str_eq(get_str(j, "kernel.release"), release);
	ck_assert_str_eq(get_str(j, "kernel.version"), "6.1.192");
	ck_assert_str_eq(get_str(j, "kernel.version_source"), "uname -v");
	ck_assert_str_eq(get_str(j, "kconfig.source"), "/boot/config-" CFG61);
	for (size_t i = 0; i < ARRAY_LEN(features); i++) {
		char key[64];
		enum json_type t;

		snprintf(key, sizeof(key), "features.%s.state", features[i]);
		ck_assert_str_eq(get_str(j, key), "unknown"); /* offline */
		snprintf(key, sizeof(key), "features.%s.errno", features[i]);
		t = json_object_get_type(get(j, key));
		ck_assert_msg(t == json_type_string || t == json_type_null, "%s", key);
		snprintf(key, sizeof(key), "features.%s.detail", features[i]);
		ck_assert_uint_gt(strlen(get_str(j, key)), 0);
	}
	ck_assert_str_eq(get_str(j, "features.raw_tp.kernel"), "yes");
	ck_assert_str_eq(get_str(j, "features.bpf.kernel"), "yes");
	/* An offline target is chosen for by what its kernel supports. */
	ck_assert_str_eq(get_str(j, "backend.choice"), "tp_btf");
	v = get(j, "backend.reasons");
	ck_assert_int_eq(json_object_get_type(v), json_type_array);
	ck_assert_uint_gt(json_object_array_length(v), 0);
	for (size_t i = 0; i < json_object_array_length(v); i++)
		ck_assert_int_eq(json_object_get_type(json_object_array_get_idx(v, i)),
				 json_type_string);
	json_object_put(j);
}
END_TEST

START_TEST(test_json_missing)
{
	struct json_object *j = report(rootmissing), *v;

	ck_assert_str_eq(get_str(j, "kernel.release"), "6.1.0-missing");
	ck_assert_str_eq(get_str(j, "kernel.version_source"), "uname -r");
	v = get(j, "kconfig.source");
	ck_assert_int_eq(json_object_get_type(v), json_type_null);
	ck_assert_str_eq(get_str(j, "kconfig.errno"), "ENOENT");
	ck_assert_str_eq(get_str(j, "backend.choice"), "none");
	json_object_put(j);
}
END_TEST

START_TEST(test_json_check)
{
	struct json_object *j;
	char *out;

	ck_assert_int_eq(run(&out, (const char *[]){ "--root", root61, "--json", "check",
						     "CONFIG_BPF", NULL }),
			 0);
	j = json_tokener_parse(out);
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(get_str(j, "name"), "CONFIG_BPF");
	ck_assert_str_eq(get_str(j, "state"), "yes");
	json_object_put(j);
	free(out);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("check");
	int failed;

	require_fixtures();
	featprobe = getenv("FEATPROBE");
	if (!featprobe || !*featprobe)
		test_skip("$FEATPROBE is not set (run through make check)");
	if (access(featprobe, X_OK) < 0)
		test_skip("%s: %s", featprobe, strerror(errno));
	unsetenv("FEAT_KCONFIG");
	setenv("FEAT_NO_CACHE", "1", 1);
	fixture(root61, sizeof(root61), "roots/debian-6.1");
	fixture(root419, sizeof(root419), "roots/debian-4.19");
	fixture(rootmissing, sizeof(rootmissing), "roots/missing");
	fixture(rootquirks, sizeof(rootquirks), "roots/kconfig-quirks");

	tcase_add_loop_test(tc, test_check_status, 0, (int)ARRAY_LEN(checks));
	tcase_add_test(tc, test_check_usage);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	tc = tcase_create("json");
	tcase_add_test(tc, test_json_debian);
	tcase_add_test(tc, test_json_missing);
	tcase_add_test(tc, test_json_check);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	failed = test_run_suite(s, CK_FORK_GETENV);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
