/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers shared by the Check tests. */
#ifndef LIBFEAT_TESTUTIL_H
#define LIBFEAT_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define EXIT_SKIP 77

/* Skip the whole test program with a reason: never a silent pass. */
#define test_skip(...)                                                         \
	do {                                                                   \
		printf("SKIP: ");                                              \
		printf(__VA_ARGS__);                                           \
		printf("\n");                                                  \
		exit(EXIT_SKIP);                                               \
	} while (0)

/* $top_srcdir as set by the test harness, or "." when run by hand. */
static inline const char *test_srcdir(void)
{
	const char *s = getenv("top_srcdir");

	return s && *s ? s : ".";
}

#ifdef CHECK_H
/* Run a suite with Check's normal output (its summary line is what CI
 * reads) and return the number of failed tests. CK_FORK_GETENV keeps
 * Check's default, which $CK_FORK can change. */
static inline int test_run_suite(Suite *s, enum fork_status fork)
{
	SRunner *sr = srunner_create(s);
	int failed;

	if (fork != CK_FORK_GETENV)
		srunner_set_fork_status(sr, fork);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed;
}
#endif

#endif
