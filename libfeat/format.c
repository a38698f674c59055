// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The classic form from a tracefs format file (events/SYS/NAME/format), as
 * the kernel prints it in print_event_fields()/f_show() (kernel/trace/
 * trace_events.c):
 *
 *	name: sched_switch
 *	ID: 372
 *	format:
 *		field:unsigned short common_type;	offset:0;	size:2;	signed:0;
 *		...common fields...
 *	<blank line>
 *		field:char prev_comm[16];	offset:8;	size:16;	signed:0;
 *	<blank line>
 *	print fmt: ...
 *
 * The common header is read, never assumed to be 8 bytes (older kernels had
 * common_lock_depth / common_padding). "signed:" is absent before 2.6.32.
 * Dynamic arrays are "__data_loc T[] name" (offset = v & 0xffff,
 * len = v >> 16; trace_event_raw_event_*) or, since 5.19, "__rel_loc T[]
 * name" whose offset is counted from the end of the field itself.
 * syscalls:* fields declare the argument's type but occupy an unsigned
 * long slot (syscall_enter_define_fields(): size sizeof(unsigned long)).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "layout-internal.h"

struct parse_state {
	struct feat_ctx *ctx;
	const char *file;
	unsigned int line;
	char *errbuf;
	size_t errsize;
};

static int _printf_(2, 3) parse_error(struct parse_state *ps, const char *format, ...)
{
	char msg[256];
	va_list args;

	va_start(args, format);
	vsnprintf(msg, sizeof(msg), format, args);
	va_end(args);
	if (ps->errbuf)
		snprintf(ps->errbuf, ps->errsize, "%s:%u: %s", ps->file, ps->line, msg);
	err(ps->ctx, "%s:%u: %s\n", ps->file, ps->line, msg);
	return -EBADMSG;
}

/* "key:NUMBER;" at *p; advances past the ';'. */
static int parse_attr(struct parse_state *ps, char **p, const char *key,
		      long *value, bool optional)
{
	size_t klen = strlen(key);
	char *s = *p, *end;

	while (*s == ' ' || *s == '\t')
		s++;
	if (strncmp(s, key, klen) != 0 || s[klen] != ':') {
		if (optional)
			return 1;
		return parse_error(ps, "expected '%s:'", key);
	}
	s += klen + 1;
	errno = 0;
	*value = strtol(s, &end, 10);
	if (end == s || errno || *value < 0 || *value > INT_MAX)
		return parse_error(ps, "'%s:' is not a number", key);
	if (*end != ';')
		return parse_error(ps, "'%s:%ld' is not followed by ';'", key, *value);
	*p = end + 1;
	return 0;
}

static bool is_ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

static char *trim_dup(const char *s, size_t len)
{
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return strndup(s, len);
}

/*
 * One "field:DECL;" declaration: split it into type, name, array length
 * and dynamic kind. DECL is "TYPE NAME", "TYPE NAME[N]", "TYPE NAME[]" or
 * "__data_loc TYPE[] NAME" / "__rel_loc TYPE[] NAME".
 */
static int parse_decl(struct parse_state *ps, char *decl, size_t len, struct feat_layout_field *f)
{
	char *end = decl + len, *name_end, *name, *bracket = NULL;
	const char *type = decl;
	size_t type_len;

	while (end > decl && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	f->array = -1;
	if (strncmp(decl, "__data_loc ", 11) == 0) {
		f->dynamic = FEAT_DYNAMIC_DATA_LOC;
		type += 11;
	} else if (strncmp(decl, "__rel_loc ", 10) == 0) {
		f->dynamic = FEAT_DYNAMIC_REL_LOC;
		type += 10;
	}
	/* A trailing "[N]" belongs to the name (fixed or flexible array). */
	name_end = end;
	if (end > decl && end[-1] == ']') {
		bracket = memrchr(decl, '[', (size_t)(end - decl));
		if (!bracket)
			return parse_error(ps, "unbalanced ']' in field declaration");
		name_end = bracket;
	}
	name = name_end;
	while (name > type && is_ident_char(name[-1]))
		name--;
	if (name == name_end)
		return parse_error(ps, "field declaration without a name");
	if (bracket) {
		char *num_end;

		if (bracket + 1 == end - 1) {
			f->array = 0;
		} else {
			errno = 0;
			f->array = strtol(bracket + 1, &num_end, 10);
			/* Old kernels print the macro (comm[TASK_COMM_LEN]):
			 * the length is then the size over the element's. */
			if (num_end != end - 1 || errno || f->array < 0)
				f->array = -2;
		}
	}
	type_len = (size_t)(name - type);
	if (f->dynamic) {
		/* "char[]": the element type is before the brackets; a few
		 * have none ("__data_loc cpumask_t cpumask", ipi_send_cpumask). */
		char *lb = memchr(type, '[', type_len);

		if (lb)
			type_len = (size_t)(lb - type);
	}
	f->name = strndup(name, (size_t)(name_end - name));
	f->type = trim_dup(type, type_len);
	if (!f->name || !f->type)
		return -ENOMEM;
	if (!*f->type)
		return parse_error(ps, "field '%s' has no type", f->name);
	return 0;
}

static int parse_field(struct parse_state *ps, struct feat_format *fmt,
		       struct feat_layout_field *f, char *line, bool common_part);

static int parse_field_line(struct parse_state *ps, struct feat_format *fmt,
			    char *line, bool common_part)
{
	struct feat_layout_field *fields;
	int r;

	fields = realloc(fmt->fields, (fmt->n_fields + 1) * sizeof(*fields));
	if (!fields)
		return -ENOMEM;
	fmt->fields = fields;
	memset(&fields[fmt->n_fields], 0, sizeof(*fields));
	r = parse_field(ps, fmt, &fields[fmt->n_fields], line, common_part);
	if (r < 0) {
		free((char *)fields[fmt->n_fields].name);
		free((char *)fields[fmt->n_fields].type);
	}
	return r;
}

static int parse_field(struct parse_state *ps, struct feat_format *fmt,
		       struct feat_layout_field *f, char *line, bool common_part)
{
	char *decl, *semi, *p;
	long offset, size, is_signed = -1;
	int r;

	f->sz = sizeof(*f);
	decl = line + strlen("field:");
	/* The declaration ends at the first ';' (types hold none). */
	semi = strchr(decl, ';');
	if (!semi)
		return parse_error(ps, "field declaration without ';'");
	r = parse_decl(ps, decl, (size_t)(semi - decl), f);
	if (r < 0)
		return r;
	p = semi + 1;
	if ((r = parse_attr(ps, &p, "offset", &offset, false)) < 0 ||
	    (r = parse_attr(ps, &p, "size", &size, false)) < 0)
		return r;
	r = parse_attr(ps, &p, "signed", &is_signed, true);
	if (r < 0)
		return r;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p)
		return parse_error(ps, "unexpected text after the field: '%.20s'", p);
	if (is_signed > 1)
		return parse_error(ps, "'signed:%ld' is neither 0 nor 1", is_signed);
	if (offset + size > 0xffff)
		return parse_error(ps, "field '%s' ends past 64 KiB", f->name);
	if (f->dynamic && size != 4)
		return parse_error(ps, "dynamic field '%s' has size %ld, not 4", f->name, size);
	f->offset = (unsigned int)offset;
	f->size = (unsigned int)size;
	f->is_signed = is_signed == 1;
	f->common = common_part;
	if (f->array == 0 && size != 0)
		return parse_error(ps, "flexible array '%s' has size %ld", f->name, size);
	fmt->n_fields++;
	if (common_part) {
		fmt->n_common = fmt->n_fields;
		if (f->offset + f->size > fmt->header_size)
			fmt->header_size = f->offset + f->size;
	}
	if (f->offset + f->size > fmt->size)
		fmt->size = f->offset + f->size;
	return 0;
}

int feat_format_parse(struct feat_ctx *ctx, const char *text, const char *file,
		      struct feat_format *fmt, char *errbuf, size_t errsize)
{
	struct parse_state ps = { .ctx = ctx, .file = file, .errbuf = errbuf,
				  .errsize = errsize };
	enum { HEAD, COMMON, FIELDS, DONE } part = HEAD;
	bool seen_format = false;
	char *copy, *line, *next;
	int r = 0;

	memset(fmt, 0, sizeof(*fmt));
	fmt->id = -1;
	copy = strdup(text);
	if (!copy)
		return -ENOMEM;
	for (line = copy; line; line = next) {
		char *s = line;

		ps.line++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else if (!*line)
			break;
		while (*s == ' ' || *s == '\t')
			s++;
		if (part == HEAD) {
			if (strncmp(s, "name:", 5) == 0) {
				free(fmt->name);
				fmt->name = trim_dup(s + 5, strlen(s + 5));
				if (!fmt->name) {
					r = -ENOMEM;
					break;
				}
			} else if (strncmp(s, "ID:", 3) == 0) {
				char *end;

				errno = 0;
				fmt->id = strtol(s + 3, &end, 10);
				if (end == s + 3 || errno || fmt->id < 0) {
					r = parse_error(&ps, "'ID:' is not a number");
					break;
				}
			} else if (strcmp(s, "format:") == 0) {
				seen_format = true;
				part = COMMON;
			} else if (*s) {
				r = parse_error(&ps, "unexpected line before 'format:': '%.30s'", s);
				break;
			}
			continue;
		}
		if (part == DONE)
			break;
		if (!*s) {
			/* The blank line ends the common header, then the fields. */
			part = part == COMMON ? FIELDS : DONE;
			continue;
		}
		if (strncmp(s, "print fmt:", 10) == 0) {
			part = DONE;
			break;
		}
		if (strncmp(s, "field:", 6) != 0) {
			r = parse_error(&ps, "expected 'field:', found '%.30s'", s);
			break;
		}
		r = parse_field_line(&ps, fmt, s, part == COMMON);
		if (r < 0)
			break;
	}
	free(copy);
	if (r == 0 && !seen_format) {
		r = parse_error(&ps, "no 'format:' line");
	} else if (r == 0 && fmt->n_common == 0) {
		ps.line = 1;
		r = parse_error(&ps, "no common fields");
	}
	/* Field names are unique (a record is a C struct). */
	for (size_t i = 0; r == 0 && i < fmt->n_fields; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(fmt->fields[i].name, fmt->fields[j].name) == 0) {
				r = parse_error(&ps, "field '%s' declared twice",
						fmt->fields[i].name);
				break;
			}
	if (r < 0)
		feat_format_release(fmt);
	return r;
}

void feat_format_release(struct feat_format *fmt)
{
	for (size_t i = 0; i < fmt->n_fields; i++) {
		free((char *)fmt->fields[i].name);
		free((char *)fmt->fields[i].type);
	}
	free(fmt->fields);
	free(fmt->name);
	memset(fmt, 0, sizeof(*fmt));
	fmt->id = -1;
}

int feat_layout_tracefs_open(struct feat_ctx *ctx)
{
	static const char *const saved[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	int fd = -ENODEV;

	if (!ctx->root)
		return feat_tracefs_open(ctx);
	for (size_t i = 0; i < ARRAY_SIZE(saved); i++) {
		fd = feat_open(ctx, saved[i], O_RDONLY | O_DIRECTORY);
		if (fd >= 0 && faccessat(fd, "events", X_OK, 0) == 0)
			return fd;
		if (fd >= 0) {
			close(fd);
			fd = -ENOENT;
		}
	}
	return fd;
}

int feat_format_read(struct feat_ctx *ctx, int tracefs_fd, const char *system,
		     const char *name, struct feat_format *fmt)
{
	char path[PATH_MAX], *text;
	size_t size;
	int fd, r;

	if (snprintf(path, sizeof(path), "events/%s/%s/format", system, name) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = openat(tracefs_fd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	r = feat_read_fd(fd, 1u << 20, &text, &size);
	close(fd);
	if (r < 0) {
		err(ctx, "tracefs %s: %s\n", path, strerror(-r));
		return r;
	}
	r = feat_format_parse(ctx, text, path, fmt, NULL, 0);
	free(text);
	return r;
}
