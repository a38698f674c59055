// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Every file the library reads goes through here, so that a context with a
 * root reads its fixture tree and never the host's files.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "feat-internal.h"

const char *feat_path(const struct feat_ctx *ctx, const char *path, char *buf,
		      size_t size)
{
	int n;

	if (!ctx->root || path[0] != '/')
		return path;
	n = snprintf(buf, size, "%s%s", ctx->root, path);
	if (n < 0 || (size_t)n >= size)
		return NULL;
	return buf;
}

int feat_open(const struct feat_ctx *ctx, const char *path, int flags)
{
	char buf[PATH_MAX];
	const char *p = feat_path(ctx, path, buf, sizeof(buf));
	int fd;

	if (!p)
		return -ENAMETOOLONG;
	/* O_NONBLOCK: a FIFO planted where a file should be must not hang
	 * the open; feat_read_fd() then refuses anything not regular. */
	fd = open(p, flags | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	return fd < 0 ? -errno : fd;
}

int feat_access(const struct feat_ctx *ctx, const char *path, int mode)
{
	char buf[PATH_MAX];
	const char *p = feat_path(ctx, path, buf, sizeof(buf));

	if (!p)
		return -ENAMETOOLONG;
	return access(p, mode) < 0 ? -errno : 0;
}

int feat_read_fd(int fd, size_t max, char **data, size_t *size)
{
	struct stat st;
	size_t cap, len = 0;
	char *buf;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	if ((uint64_t)st.st_size > max)
		return -EFBIG;
	/* procfs and sysfs files report a size of 0 or 4096: read to EOF. */
	cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		if (len > max) {
			free(buf);
			return -EFBIG;
		}
		if (len + 1 >= cap) {
			char *nbuf;

			/* One byte past max is enough to know it is too big. */
			cap = cap * 2 > max + 2 ? max + 2 : cap * 2;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				free(buf);
				return -ENOMEM;
			}
			buf = nbuf;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			free(buf);
			return -e;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*data = buf;
	if (size)
		*size = len;
	return 0;
}

int feat_read_file(const struct feat_ctx *ctx, const char *path, size_t max,
		   char **data, size_t *size)
{
	int fd, r;

	fd = feat_open(ctx, path, O_RDONLY);
	if (fd < 0)
		return fd;
	r = feat_read_fd(fd, max, data, size);
	close(fd);
	return r;
}

char *strtrim(char *s)
{
	size_t len;

	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		s[--len] = '\0';
	return s;
}

int feat_read_line(const struct feat_ctx *ctx, const char *path, char *buf,
		   size_t size)
{
	char *data, *nl;
	int r;

	r = feat_read_file(ctx, path, 1u << 16, &data, NULL);
	if (r < 0)
		return r;
	nl = strchr(data, '\n');
	if (nl)
		*nl = '\0';
	snprintf(buf, size, "%s", data);
	free(data);
	return 0;
}

int feat_read_int(const struct feat_ctx *ctx, const char *path, long *value)
{
	char buf[64], *end, *s;
	long v;
	int r;

	r = feat_read_line(ctx, path, buf, sizeof(buf));
	if (r < 0)
		return r;
	s = strtrim(buf);
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end)
		return -EBADMSG;
	*value = v;
	return 0;
}
