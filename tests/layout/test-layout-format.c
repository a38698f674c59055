// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The format file parser on text: well-formed files (current kernel, an
 * older 12-byte common header, __rel_loc, no "signed:") and malformed ones,
 * each rejected with a one-line "FILE:LINE: what" error.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout-internal.h"
#include "testutil.h"

static struct feat_ctx *ctx;

#define COMMON                                                                           \
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"           \
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"           \
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"   \
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"

START_TEST(test_sched_switch)
{
	static const char text[] =
		"name: sched_switch\nID: 372\nformat:\n" COMMON
		"\tfield:char prev_comm[16];\toffset:8;\tsize:16;\tsigned:0;\n"
		"\tfield:pid_t prev_pid;\toffset:24;\tsize:4;\tsigned:1;\n"
		"\tfield:__data_loc char[] name;\toffset:28;\tsize:4;\tsigned:0;\n"
		"\tfield:__rel_loc u8[] buf;\toffset:32;\tsize:4;\tsigned:0;\n"
		"\tfield:const char * filename;\toffset:40;\tsize:8;\tsigned:0;\n"
		"\tfield:unsigned long args[];\toffset:48;\tsize:0;\tsigned:0;\n"
		"\nprint fmt: \"x\", REC->prev_pid\n";
	struct feat_format f;
	char e[256] = "";

	ck_assert_int_eq(feat_format_parse(ctx, text, "t", &f, e, sizeof(e)), 0);
	ck_assert_str_eq(f.name, "sched_switch");
	ck_assert_int_eq(f.id, 372);
	ck_assert_uint_eq(f.n_common, 4);
	ck_assert_uint_eq(f.header_size, 8);
	ck_assert_uint_eq(f.n_fields, 10);
	ck_assert_str_eq(f.fields[4].name, "prev_comm");
	ck_assert_str_eq(f.fields[4].type, "char");
	ck_assert_int_eq(f.fields[4].array, 16);
	ck_assert_int_eq(f.fields[5].is_signed, 1);
	ck_assert_int_eq(f.fields[5].array, -1);
	ck_assert_str_eq(f.fields[6].type, "char");
	ck_assert_int_eq(f.fields[6].dynamic, FEAT_DYNAMIC_DATA_LOC);
	ck_assert_int_eq(f.fields[7].dynamic, FEAT_DYNAMIC_REL_LOC);
	ck_assert_str_eq(f.fields[7].type, "u8");
	ck_assert_str_eq(f.fields[8].type, "const char *");
	ck_assert_int_eq(f.fields[9].array, 0);
	ck_assert_uint_eq(f.size, 48);
	feat_format_release(&f);
}
END_TEST

START_TEST(test_old_header)
{
	/* 2.6.3x: common_lock_depth made the header 12 bytes; no "signed:" before 2.6.32. */
	static const char text[] =
		"name: old\nID: 1\nformat:\n"
		"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\n"
		"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\n"
		"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\n"
		"\tfield:int common_pid;\toffset:4;\tsize:4;\n"
		"\tfield:int common_lock_depth;\toffset:8;\tsize:4;\n\n"
		"\tfield:char comm[TASK_COMM_LEN];\toffset:12;\tsize:16;\n\n";
	struct feat_format f;
	char e[256] = "";

	ck_assert_int_eq(feat_format_parse(ctx, text, "t", &f, e, sizeof(e)), 0);
	ck_assert_uint_eq(f.header_size, 12);
	ck_assert_uint_eq(f.n_common, 5);
	ck_assert_str_eq(f.fields[5].name, "comm");
	feat_format_release(&f);
}
END_TEST

static const struct {
	const char *text;
	const char *error;
} malformed[] = {
	{ "name: x\nID: 1\n", "t:3: no 'format:' line" },
	{ "name: x\nID: z\nformat:\n", "t:2: 'ID:' is not a number" },
	{ "name: x\nformat:\n\tfield:int a;\toffset:0;\tsize:4;\tsigned:1;\n\n\tfield:int b\toffset:4;\tsize:4;\n",
	  "t:5: expected 'offset:'" },
	{ "name: x\nformat:\n\tfield:int a;\toffset:zero;\tsize:4;\n", "t:3: 'offset:' is not a number" },
	{ "name: x\nformat:\n\tfield:int a;\toffset:0;\n", "t:3: expected 'size:'" },
	{ "name: x\nformat:\n\tfield:int a;\toffset:0;\tsize:4;\tsigned:7;\n", "t:3: 'signed:7' is neither 0 nor 1" },
	{ "name: x\nformat:\n\tfield:int ;\toffset:0;\tsize:4;\n", "t:3: field 'int' has no type" },
	{ "name: x\nformat:\n\tfield:int a[;\toffset:0;\tsize:4;\n", "t:3: field declaration without a name" },
	{ "name: x\nformat:\n\tfield:int a];\toffset:0;\tsize:4;\n", "t:3: unbalanced ']' in field declaration" },
	{ "name: x\nformat:\n\tfield:__data_loc char[] name;\toffset:0;\tsize:8;\n",
	  "t:3: dynamic field 'name' has size 8, not 4" },
	{ "name: x\nformat:\n\tfield:int a;\toffset:0;\tsize:4;\n\tbogus\n", "t:4: expected 'field:', found 'bogus'" },
	{ "name: x\nformat:\n\tfield:int a;\toffset:65535;\tsize:4;\n", "t:3: field 'a' ends past 64 KiB" },
	{ "hello\n", "t:1: unexpected line before 'format:': 'hello'" },
	{ "name: x\nformat:\n\n", "t:1: no common fields" },
	{ "name: x\nformat:\n\tfield:int a;\toffset:0;\tsize:4;\n\tfield:int a;\toffset:4;\tsize:4;\n",
	  "t:5: field 'a' declared twice" },
};

START_TEST(test_malformed)
{
	struct feat_format f;
	char e[256] = "";
	int r;

	r = feat_format_parse(ctx, malformed[_i].text, "t", &f, e, sizeof(e));
	ck_assert_int_eq(r, -EBADMSG);
	ck_assert_str_eq(e, malformed[_i].error);
	ck_assert_ptr_null(strchr(e, '\n'));
}
END_TEST

static void quiet(void *data, int priority, const char *file, int line, const char *fn,
		  const char *format, va_list args)
{
}

int main(void)
{
	struct feat_opts opts = { .sz = sizeof(opts), .flags = FEAT_F_OFFLINE, .log_fn = quiet };
	Suite *s;
	TCase *tc;
	int failed;

	ctx = feat_new(&opts);
	if (!ctx)
		test_skip("feat_new: %s", strerror(errno));
	s = suite_create("layout-format");
	tc = tcase_create("format");
	tcase_add_test(tc, test_sched_switch);
	tcase_add_test(tc, test_old_header);
	tcase_add_loop_test(tc, test_malformed, 0, (int)(sizeof(malformed) / sizeof(malformed[0])));
	suite_add_tcase(s, tc);
	failed = test_run_suite(s, CK_FORK_GETENV);
	feat_unref(ctx);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
