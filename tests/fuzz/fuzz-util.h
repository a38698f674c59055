/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Helpers shared by the libFuzzer harnesses: the library reads files, so
 * each input is handed to it as a file (a memfd named by /proc/self/fd/N),
 * and the library's log is formatted (so its format strings are exercised)
 * but never printed.
 */
#ifndef FUZZ_UTIL_H
#define FUZZ_UTIL_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <syslog.h>
#include <unistd.h>

#include "feat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static inline void fuzz_log(void *data, int priority, const char *file,
			    int line, const char *fn, const char *format,
			    va_list args)
{
	char msg[1024];

	(void)data;
	(void)priority;
	(void)file;
	(void)line;
	(void)fn;
	vsnprintf(msg, sizeof(msg), format, args);
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "libfeat: %s", msg);
}

/* A file the library can open by path: one memfd per harness, rewritten
 * for each input. */
struct fuzz_file {
	int fd;
	char path[64];
};

static inline void fuzz_file_init(struct fuzz_file *f, const char *name)
{
	f->fd = memfd_create(name, MFD_CLOEXEC);
	if (f->fd < 0) {
		perror("memfd_create");
		abort();
	}
	snprintf(f->path, sizeof(f->path), "/proc/self/fd/%d", f->fd);
}

static inline void fuzz_file_set(struct fuzz_file *f, const void *data,
				 size_t size)
{
	const char *p = data;
	off_t off = 0;

	if (ftruncate(f->fd, 0) < 0)
		abort();
	while (size > 0) {
		ssize_t n = pwrite(f->fd, p, size, off);

		if (n <= 0)
			abort();
		p += n;
		off += n;
		size -= (size_t)n;
	}
}

/* A NUL-terminated copy of the input (the parsers take C strings). */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Touch every byte of a string the library returned, so that ASan sees a
 * dangling or unterminated one. */
static inline size_t fuzz_touch(const char *s)
{
	return s ? strlen(s) : 0;
}

static inline void fuzz_opts(struct feat_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->sz = sizeof(*o);
	o->flags = FEAT_F_OFFLINE | FEAT_F_NO_CACHE;
	o->log_fn = fuzz_log;
	o->log_priority = LOG_DEBUG;
}

#endif
