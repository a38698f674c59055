// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * km-layout-check TRACEFS-COPY LAYOUT.json ASSERTS.h
 *
 * The kernel matrix's classic-layout judge, on the host: the format files a
 * VM's tracefs held (copied there with busybox, not with featprobe) are
 * parsed by libtraceevent, and every event's classic layout that featprobe
 * printed inside the same VM (featprobe layout --format json '*') must
 * equal it: field names, element types, offsets, sizes, signedness, array
 * lengths, dynamic kinds. ASSERTS.h gets a _Static_assert on offsetof and
 * sizeof of every field, with libtraceevent's numbers, for the generated C
 * to be compiled against.
 *
 * Prints one MISMATCH line per difference and last
 * "classic: E events, F fields compared, N without a classic form (ftrace), M mismatches".
 * Exit 0 when M is 0, 1 otherwise, 2 on a usage or I/O error.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <traceevent/event-parse.h>

static unsigned int mismatches;

#define MISMATCH(...)                    \
	do {                             \
		printf("MISMATCH ");     \
		printf(__VA_ARGS__);     \
		printf("\n");            \
		mismatches++;            \
	} while (0)

static char *read_all(const char *path, size_t *size)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		return NULL;
	do {
		if (n + 4096 + 1 > cap) {
			char *bigger = realloc(buf, cap ? cap * 2 : 65536);

			if (!bigger) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = bigger;
			cap = cap ? cap * 2 : 65536;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	fclose(f);
	if (buf) {
		buf[n] = '\0';
		*size = n;
	}
	return buf;
}

/* libtraceevent writes "char[16]" and "__data_loc char[]"; featprobe's JSON
 * gives the element type ("char") with "array" and "dynamic" apart. Blanks
 * around '*' differ between the two ("const char * const *"). */
static void normal_type(const char *in, char *out, size_t size)
{
	size_t n = 0;

	if (strncmp(in, "__data_loc ", 11) == 0)
		in += 11;
	else if (strncmp(in, "__rel_loc ", 10) == 0)
		in += 10;
	for (const char *p = in; *p && *p != '[' && n + 1 < size; p++) {
		if (*p == ' ' && (p[1] == '*' || p[1] == '[' || p[1] == '\0' || (n && out[n - 1] == '*')))
			continue;
		out[n++] = *p;
	}
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

static const char *jstring(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) && v ? json_object_get_string(v) : NULL;
}

static long jint(struct json_object *o, const char *key, long absent)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) && v ? json_object_get_int64(v) : absent;
}

static void compare_field(const char *event, struct json_object *m, const struct tep_format_field *t)
{
	bool dyn = t->flags & TEP_FIELD_IS_DYNAMIC;
	bool rel = t->flags & TEP_FIELD_IS_RELATIVE;
	bool arr = (t->flags & TEP_FIELD_IS_ARRAY) && !dyn;
	const char *name = jstring(m, "name") ? jstring(m, "name") : "?";
	const char *mdyn = jstring(m, "dynamic");
	const char *tdyn = dyn ? (rel ? "__rel_loc" : "__data_loc") : NULL;
	struct json_object *sv;
	char a[256], b[256];
	long marray = jint(m, "array", -1);
	bool msigned = json_object_object_get_ex(m, "signed", &sv) && json_object_get_boolean(sv);

	normal_type(jstring(m, "type") ? jstring(m, "type") : "", a, sizeof(a));
	normal_type(t->type, b, sizeof(b));
	if (strcmp(name, t->name) != 0)
		MISMATCH("%s: field name %s, libtraceevent %s", event, name, t->name);
	if (strcmp(a, b) != 0)
		MISMATCH("%s.%s: type '%s', libtraceevent '%s'", event, name, a, b);
	if (jint(m, "offset", -1) != t->offset)
		MISMATCH("%s.%s: offset %ld, libtraceevent %d", event, name, jint(m, "offset", -1), t->offset);
	if (jint(m, "size", -1) != t->size)
		MISMATCH("%s.%s: size %ld, libtraceevent %d", event, name, jint(m, "size", -1), t->size);
	if (msigned != !!(t->flags & TEP_FIELD_IS_SIGNED))
		MISMATCH("%s.%s: signed %d, libtraceevent %d", event, name, msigned,
			 !!(t->flags & TEP_FIELD_IS_SIGNED));
	if ((mdyn || tdyn) && (!mdyn || !tdyn || strcmp(mdyn, tdyn) != 0))
		MISMATCH("%s.%s: dynamic %s, libtraceevent %s", event, name, mdyn ? mdyn : "none",
			 tdyn ? tdyn : "none");
	if ((marray >= 0) != arr || (arr && marray != (long)t->arraylen))
		MISMATCH("%s.%s: array %ld, libtraceevent %ld", event, name, marray,
			 arr ? (long)t->arraylen : -1L);
}

/* The asserts of one event, with libtraceevent's numbers. syscalls:* args
 * declare a type narrower than their 8-byte slot (the C member has the
 * declared type): the member fits the slot, its offset is exact. */
static void write_asserts(FILE *out, const char *system, const char *event, struct tep_event *ev)
{
	bool narrow_ok = strcmp(system, "syscalls") == 0;
	unsigned int end = 0;

	for (struct tep_format_field *f = ev->format.fields; f; f = f->next) {
		fprintf(out, "_Static_assert(__builtin_offsetof(struct stapprobe_%s, data.%s) == %d, \"%s:%s %s offset\");\n",
			event, f->name, f->offset, system, event, f->name);
		fprintf(out, "_Static_assert(sizeof(((struct stapprobe_%s *)0)->data.%s) %s %d, \"%s:%s %s size\");\n",
			event, f->name,
			narrow_ok && !(f->flags & (TEP_FIELD_IS_ARRAY | TEP_FIELD_IS_DYNAMIC)) ? "<=" : "==",
			f->size, system, event, f->name);
		if ((unsigned int)(f->offset + f->size) > end)
			end = (unsigned int)(f->offset + f->size);
	}
	fprintf(out, "_Static_assert(sizeof(struct stapprobe_%s) >= %u, \"%s:%s record size\");\n", event,
		end, system, event);
}

int main(int argc, char **argv)
{
	unsigned int events = 0, fields = 0, no_classic = 0, asserts = 0;
	struct json_object *all, *index;
	struct tep_handle *tep;
	struct dirent *sd, *ed;
	char path[4096];
	DIR *sysdir;
	FILE *out;

	if (argc != 4) {
		fprintf(stderr, "usage: km-layout-check TRACEFS-COPY LAYOUT.json ASSERTS.h\n");
		return 2;
	}
	all = json_object_from_file(argv[2]);
	if (!all || !json_object_is_type(all, json_type_array)) {
		fprintf(stderr, "km-layout-check: %s: not a JSON array\n", argv[2]);
		return 2;
	}
	index = json_object_new_object();
	for (size_t i = 0; i < json_object_array_length(all); i++) {
		struct json_object *o = json_object_array_get_idx(all, i);
		const char *tp = jstring(o, "tracepoint");

		if (tp)
			json_object_object_add(index, tp, json_object_get(o));
	}
	out = fopen(argv[3], "w");
	tep = tep_alloc();
	snprintf(path, sizeof(path), "%s/events", argv[1]);
	sysdir = opendir(path);
	if (!out || !tep || !sysdir) {
		fprintf(stderr, "km-layout-check: %s: %s\n", !out ? argv[3] : path, strerror(errno));
		return 2;
	}
	while ((sd = readdir(sysdir))) {
		DIR *evdir;

		if (sd->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/events/%s", argv[1], sd->d_name);
		evdir = opendir(path);
		if (!evdir)
			continue;
		while ((ed = readdir(evdir))) {
			struct json_object *o, *classic, *common, *flds;
			struct tep_event *ev = NULL;
			struct tep_format_field *tf;
			char full[600], *text;
			size_t size, nc, nf;

			if (ed->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/events/%s/%s/format", argv[1], sd->d_name, ed->d_name);
			text = read_all(path, &size);
			if (!text)
				continue; /* a file in events/SYS, not an event */
			snprintf(full, sizeof(full), "%s:%s", sd->d_name, ed->d_name);
			events++;
			if (!json_object_object_get_ex(index, full, &o)) {
				MISMATCH("%s: has a format file, featprobe layout does not list it", full);
				free(text);
				continue;
			}
			if (!json_object_object_get_ex(o, "classic", &classic) || !classic) {
				if (strcmp(sd->d_name, "ftrace") == 0)
					no_classic++;
				else
					MISMATCH("%s: no classic form: %s", full, jstring(o, "classic_missing"));
				free(text);
				continue;
			}
			if (tep_parse_format(tep, &ev, text, size, sd->d_name) != 0 || !ev) {
				MISMATCH("%s: libtraceevent cannot parse its format file", full);
				free(text);
				continue;
			}
			free(text);
			json_object_object_get_ex(classic, "common", &common);
			json_object_object_get_ex(classic, "fields", &flds);
			nc = common ? json_object_array_length(common) : 0;
			nf = flds ? json_object_array_length(flds) : 0;
			if (nc != (size_t)ev->format.nr_common || nf != (size_t)ev->format.nr_fields) {
				MISMATCH("%s: %zu common + %zu fields, libtraceevent %d + %d", full, nc, nf,
					 ev->format.nr_common, ev->format.nr_fields);
				continue;
			}
			tf = ev->format.common_fields;
			for (size_t j = 0; j < nc; j++, tf = tf->next, fields++)
				compare_field(full, json_object_array_get_idx(common, j), tf);
			tf = ev->format.fields;
			for (size_t j = 0; j < nf; j++, tf = tf->next, fields++)
				compare_field(full, json_object_array_get_idx(flds, j), tf);
			write_asserts(out, sd->d_name, ed->d_name, ev);
			asserts += 2 * (unsigned int)nf + 1;
		}
		closedir(evdir);
	}
	closedir(sysdir);
	if (fclose(out) != 0) {
		fprintf(stderr, "km-layout-check: %s: %s\n", argv[3], strerror(errno));
		return 2;
	}
	printf("asserts: %u\n", asserts);
	printf("classic: %u events, %u fields compared, %u without a classic form (ftrace), %u mismatches\n",
	       events, fields, no_classic, mismatches);
	tep_free(tep);
	json_object_put(index);
	json_object_put(all);
	return mismatches ? 1 : 0;
}
