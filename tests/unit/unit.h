/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Helpers of the unit tests: fixture paths, an fd count, and an independent
 * reader of kernel config files (zlib + a line scan written here, sharing no
 * code with probes/kconfig.c) to check the library's answers against.
 */
#ifndef LIBFEAT_TESTS_UNIT_H
#define LIBFEAT_TESTS_UNIT_H

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "feat.h"
#include "testutil.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define CFG61 "6.1.0-56-cloud-amd64"
#define CFG612 "6.12.117+deb12-cloud-amd64"
#define HOSTILE_RELEASE "6.1.0-hostile"

/* $top_srcdir/tests/fixtures/REL, in a static buffer per call site. */
static inline const char *fixture(char *buf, size_t size, const char *rel)
{
	int n = snprintf(buf, size, "%s/tests/fixtures/%s", test_srcdir(), rel);

	if (n < 0 || (size_t)n >= size)
		abort();
	return buf;
}

/* Skip the whole program when the fixtures cannot be found. */
static inline void require_fixtures(void)
{
	char p[PATH_MAX];
	FILE *f = fopen(fixture(p, sizeof(p), "PROVENANCE.md"), "r");

	if (!f)
		test_skip("fixtures not found at %s (set $top_srcdir)", p);
	fclose(f);
}

static inline struct feat_ctx *ctx_root(const char *rel)
{
	char p[PATH_MAX];

	return feat_new(&(struct feat_opts){ .sz = sizeof(struct feat_opts),
					     .root = fixture(p, sizeof(p), rel) });
}

/* Open file descriptors of this process, from /proc/self/fd. */
static inline int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the directory stream's own fd */
}

/* A whole file, gzip or plain, through zlib's transparent reading. */
static inline char *slurp_gz(const char *path, size_t *len)
{
	gzFile gz = gzopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	char *buf;
	int r;

	if (!gz)
		return NULL;
	buf = malloc(cap);
	while (buf) {
		if (cap - n < 4096) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				break;
		}
		r = gzread(gz, buf + n, (unsigned int)(cap - n - 1));
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	gzclose(gz);
	if (buf) {
		buf[n] = '\0';
		if (len)
			*len = n;
	}
	return buf;
}

/*
 * What the config text says about NAME (without CONFIG_): the value as
 * written, outer quotes removed, in a malloc'd string; "n" for
 * "# CONFIG_NAME is not set" or absence. Scans the text line by line; the
 * last assignment wins, as in Kconfig's own reader.
 */
static inline char *oracle_kconfig(const char *text, const char *name)
{
	char set[160], unset[160];
	size_t ls, lu;
	const char *line = text;
	char *found = NULL;

	snprintf(set, sizeof(set), "CONFIG_%s=", name);
	snprintf(unset, sizeof(unset), "# CONFIG_%s is not set", name);
	ls = strlen(set);
	lu = strlen(unset);
	while (line && *line) {
		const char *eol = strchr(line, '\n');
		size_t len = eol ? (size_t)(eol - line) : strlen(line);

		if (len >= ls && memcmp(line, set, ls) == 0) {
			const char *v = line + ls;
			size_t vl = len - ls;

			if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
				v++;
				vl -= 2;
			}
			free(found);
			found = strndup(v, vl);
		} else if (len == lu && memcmp(line, unset, lu) == 0) {
			free(found);
			found = strdup("n");
		}
		line = eol ? eol + 1 : NULL;
	}
	return found ? found : strdup("n");
}

/* Lines that set or unset a symbol: "CONFIG_X=..." and "# CONFIG_X is not set". */
static inline size_t oracle_kconfig_count(const char *text)
{
	const char *line = text;
	size_t n = 0;

	while (line && *line) {
		const char *eol = strchr(line, '\n');
		size_t len = eol ? (size_t)(eol - line) : strlen(line);

		if (strncmp(line, "CONFIG_", 7) == 0 && memchr(line, '=', len))
			n++;
		else if (strncmp(line, "# CONFIG_", 9) == 0 && len > 11 &&
			 memcmp(line + len - 11, " is not set", 11) == 0)
			n++;
		line = eol ? eol + 1 : NULL;
	}
	return n;
}

/* The first line of a fixture file, without its newline; "" when absent. */
static inline void fixture_line(const char *rel, char *out, size_t size)
{
	char p[PATH_MAX];
	FILE *f = fopen(fixture(p, sizeof(p), rel), "r");

	out[0] = '\0';
	if (!f)
		return;
	if (fgets(out, (int)size, f))
		out[strcspn(out, "\n")] = '\0';
	fclose(f);
}

#endif
