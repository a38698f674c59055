// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * featprobe list [GLOB] [--modules] [-j]
 * featprobe layout TRACEPOINT [--form classic|raw|both] [--format c|json] [--modules]
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <json-c/json.h>

#include "featprobe-cmds.h"

#define EXIT_ERROR 3
#define EXIT_USAGE 64

static unsigned int layout_forms = FEAT_FORM_BOTH;
static const char *layout_format;
/* --modules: the catalog reads the module files of modules not loaded. */
static unsigned int catalog_flags;

static int parse_layout_option(const char *opt, const char *value)
{
	if (!value) {
		fprintf(stderr, "featprobe: %s needs a value\n", opt);
		return -1;
	}
	if (strcmp(opt, "--form") == 0) {
		if (strcmp(value, "classic") == 0)
			layout_forms = FEAT_FORM_CLASSIC;
		else if (strcmp(value, "raw") == 0)
			layout_forms = FEAT_FORM_RAW;
		else if (strcmp(value, "both") == 0)
			layout_forms = FEAT_FORM_BOTH;
		else
			goto bad;
		return 0;
	}
	if (strcmp(value, "c") == 0 || strcmp(value, "json") == 0) {
		layout_format = value;
		return 0;
	}
bad:
	fprintf(stderr, "featprobe: %s '%s': expected %s\n", opt, value,
		strcmp(opt, "--form") == 0 ? "classic, raw or both" : "c or json");
	return -1;
}

int featprobe_layout_options(int argc, char **argv)
{
	int out = 1;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *eq;
		size_t len;

		if (strcmp(a, "--") == 0) {
			while (i < argc)
				argv[out++] = argv[i++];
			break;
		}
		if (strcmp(a, "--modules") == 0) {
			catalog_flags |= FEAT_CATALOG_MODULE_FILES;
			continue;
		}
		eq = strchr(a, '=');
		len = eq ? (size_t)(eq - a) : strlen(a);
		if ((len == 6 && strncmp(a, "--form", 6) == 0) ||
		    (len == 8 && strncmp(a, "--format", 8) == 0)) {
			char opt[9];
			const char *value = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);

			snprintf(opt, sizeof(opt), "%.*s", (int)len, a);
			if (parse_layout_option(opt, value) < 0)
				return -1;
			continue;
		}
		argv[out++] = argv[i];
	}
	argv[out] = NULL;
	return out;
}

/* Print the library's JSON text through json-c (plain or indented). */
int print_json_text(const char *text, bool pretty)
{
	struct json_object *o = json_tokener_parse(text);

	if (!o) {
		fprintf(stderr, "featprobe: the library produced invalid JSON\n");
		return EXIT_ERROR;
	}
	puts(json_object_to_json_string_ext(o, (pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED
						       : JSON_C_TO_STRING_PLAIN) |
						       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return fflush(stdout) == 0 ? 0 : EXIT_ERROR;
}

/* Errors the library already logged with their details. */
static bool logged(int r)
{
	return r == -ENOENT || r == -ENOTUNIQ || r == -EBADMSG || r == -EINVAL || r == -ENODATA;
}

/* As the catalog names entries: SYS:NAME, NAME, or MODULE/NAME for a
 * module's tracepoint without a tracefs event. */
static void full_name(const struct feat_tracepoint *tp, char *buf, size_t size)
{
	if (tp->system)
		snprintf(buf, size, "%s:%s", tp->system, tp->name);
	else if (tp->module)
		snprintf(buf, size, "%s/%s", tp->module, tp->name);
	else
		snprintf(buf, size, "%s", tp->name);
}

static bool glob_match(const char *glob, const struct feat_tracepoint *tp)
{
	char full[600];

	if (!glob)
		return true;
	full_name(tp, full, sizeof(full));
	if (fnmatch(glob, full, 0) == 0)
		return true;
	/* MODULE/GLOB matches a module's tracefs events too. */
	if (tp->module && tp->system && strchr(glob, '/')) {
		snprintf(full, sizeof(full), "%s/%s", tp->module, tp->name);
		if (fnmatch(glob, full, 0) == 0)
			return true;
	}
	/* A glob without a system or module matches names alone too. */
	return !strpbrk(glob, ":/") && fnmatch(glob, tp->name, 0) == 0;
}

static struct json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

int cmd_list(struct feat_ctx *ctx, const char *glob, bool json, bool pretty)
{
	struct json_object *arr = json ? json_object_new_array() : NULL;
	struct feat_catalog *cat;
	size_t shown = 0;
	int r;

	r = feat_catalog_new_flags(ctx, catalog_flags, &cat);
	if (r < 0) {
		fprintf(stderr, "featprobe: list: %s\n", strerror(-r));
		json_object_put(arr);
		return EXIT_ERROR;
	}
	for (size_t i = 0; i < feat_catalog_count(cat); i++) {
		const struct feat_tracepoint *tp = feat_catalog_get(cat, i);
		char full[600], raw[64], module[96] = "";

		if (!glob_match(glob, tp))
			continue;
		shown++;
		full_name(tp, full, sizeof(full));
		if (json) {
			struct json_object *o = json_object_new_object();

			json_object_object_add(o, "tracepoint", jstr(full));
			json_object_object_add(o, "system", jstr(tp->system));
			json_object_object_add(o, "name", jstr(tp->name));
			json_object_object_add(o, "classic", json_object_new_boolean(tp->classic));
			json_object_object_add(o, "raw", json_object_new_boolean(tp->raw));
			json_object_object_add(o, "args", tp->raw ? json_object_new_int(tp->n_args) : NULL);
			json_object_object_add(o, "classic_missing", jstr(tp->classic_missing));
			json_object_object_add(o, "raw_missing", jstr(tp->raw_missing));
			if (tp->raw_equivalent)
				json_object_object_add(o, "raw_equivalent", jstr(tp->raw_equivalent));
			json_object_object_add(o, "module", jstr(tp->module));
			json_object_object_add(o, "module_loaded",
					       tp->module ? json_object_new_boolean(tp->module_loaded) : NULL);
			json_object_object_add(o, "btf_object", jstr(tp->btf_object));
			json_object_array_add(arr, o);
			continue;
		}
		if (tp->raw)
			snprintf(raw, sizeof(raw), "raw %2d arg%s", tp->n_args, tp->n_args == 1 ? "" : "s");
		else if (tp->raw_equivalent)
			snprintf(raw, sizeof(raw), "raw via %s", tp->raw_equivalent);
		else
			snprintf(raw, sizeof(raw), "-");
		if (tp->module)
			snprintf(module, sizeof(module), "  [module %s%s]", tp->module,
				 tp->module_loaded ? "" : ", not loaded");
		printf("%-48s %-8s %s%s\n", full, tp->classic ? "classic" : "-", raw, module);
	}
	feat_catalog_free(cat);
	if (json) {
		puts(json_object_to_json_string_ext(arr, (pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED
								 : JSON_C_TO_STRING_PLAIN) |
								 JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(arr);
	}
	if (glob && shown == 0) {
		fprintf(stderr, "featprobe: list: nothing matches '%s'\n", glob);
		return 1;
	}
	return fflush(stdout) == 0 ? 0 : EXIT_ERROR;
}

/* Every tracepoint matching a glob: a JSON array, or one C unit. */
static int layout_glob(struct feat_ctx *ctx, const char *glob, bool json, bool pretty)
{
	struct feat_layout **ls = NULL;
	struct feat_catalog *cat;
	struct strbuf_out {
		char *s;
		size_t len;
	} js = { 0 };
	FILE *jf = NULL;
	size_t n = 0;
	char *text = NULL;
	int r, ret = EXIT_ERROR;

	r = feat_catalog_new_flags(ctx, catalog_flags, &cat);
	if (r < 0) {
		fprintf(stderr, "featprobe: layout: %s\n", strerror(-r));
		return EXIT_ERROR;
	}
	ls = calloc(feat_catalog_count(cat) + 1, sizeof(*ls));
	if (json)
		jf = open_memstream(&js.s, &js.len);
	if (!ls || (json && !jf))
		goto out;
	if (jf)
		fputc('[', jf);
	for (size_t i = 0; i < feat_catalog_count(cat); i++) {
		if (!glob_match(glob, feat_catalog_get(cat, i)))
			continue;
		r = feat_catalog_layout(cat, i, layout_forms, &ls[n]);
		if (r < 0) {
			fprintf(stderr, "featprobe: layout %s: %s\n", feat_catalog_get(cat, i)->name,
				strerror(-r));
			goto out;
		}
		if (jf) {
			r = feat_layout_json(ls[n], layout_forms, &text);
			if (r < 0)
				goto out;
			fprintf(jf, "%s%s", n ? "," : "", text);
			free(text);
			text = NULL;
			feat_layout_free(ls[n]);
			ls[n] = NULL;
		}
		n++;
	}
	if (n == 0) {
		fprintf(stderr, "featprobe: layout: nothing matches '%s'\n", glob);
		goto out;
	}
	if (jf) {
		fputc(']', jf);
		if (fclose(jf) != 0)
			goto out;
		jf = NULL;
		/* The library's text is JSON already; json-c re-indents it. */
		if (pretty) {
			ret = print_json_text(js.s, pretty);
		} else {
			puts(js.s);
			ret = fflush(stdout) == 0 ? 0 : EXIT_ERROR;
		}
		goto out;
	}
	r = feat_layouts_c((const struct feat_layout *const *)ls, n, layout_forms, NULL, &text);
	if (r < 0) {
		fprintf(stderr, "featprobe: layout: %s\n", strerror(-r));
		goto out;
	}
	fputs(text, stdout);
	ret = fflush(stdout) == 0 ? 0 : EXIT_ERROR;
out:
	if (jf)
		fclose(jf);
	free(js.s);
	free(text);
	for (size_t i = 0; ls && i < n + 1; i++)
		feat_layout_free(ls[i]);
	free(ls);
	feat_catalog_free(cat);
	return ret;
}

int cmd_layout(struct feat_ctx *ctx, const char *name, bool json, bool pretty)
{
	struct feat_layout *l;
	char *text = NULL;
	int r;

	if (layout_format)
		json = strcmp(layout_format, "json") == 0;
	if (strpbrk(name, "*?["))
		return layout_glob(ctx, name, json, pretty);
	r = feat_layout_resolve(ctx, name, layout_forms, &l);
	if (r < 0) {
		if (!logged(r))
			fprintf(stderr, "featprobe: layout %s: %s\n", name, strerror(-r));
		return EXIT_ERROR;
	}
	r = json ? feat_layout_json(l, layout_forms, &text)
		 : feat_layout_c(l, layout_forms, NULL, &text);
	feat_layout_free(l);
	if (r < 0) {
		fprintf(stderr, "featprobe: layout %s: %s\n", name, strerror(-r));
		return EXIT_ERROR;
	}
	if (json) {
		r = print_json_text(text, pretty);
	} else {
		fputs(text, stdout);
		r = fflush(stdout) == 0 ? 0 : EXIT_ERROR;
	}
	free(text);
	return r;
}

/* --- export-formats --- */

/* Copy @from (relative to @from_dir) to @to (relative to @to_dir). tracefs
 * files report size 0: read until the end, never by st_size. */
static int copy_file(int from_dir, const char *from, int to_dir, const char *to)
{
	char buf[65536];
	int in, out, r = 0;
	ssize_t n;

	in = openat(from_dir, from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	out = openat(to_dir, to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		r = -errno;
		close(in);
		return r;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			r = -EIO;
			break;
		}
	if (n < 0)
		r = -errno;
	close(in);
	if (close(out) < 0 && r == 0)
		r = -errno;
	return r;
}

/* mkdir -p of @path under @dir. */
static int make_dirs(int dir, const char *path)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s", path);
	for (char *s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;

			*s = '\0';
			if (mkdirat(dir, p, 0755) < 0 && errno != EEXIST)
				return -errno;
			*s = c;
			if (!c)
				return 0;
		}
	}
}

int cmd_export_formats(struct feat_ctx *ctx, const char *dir)
{
	static const char *const headers[] = { "events/header_page", "events/header_event" };
	unsigned int systems = 0, events = 0;
	struct dirent *sys;
	int tfd, out, efd, r = 0;
	struct utsname u;
	DIR *ev;

	if (feat_is_offline(ctx)) {
		fprintf(stderr, "featprobe: export-formats reads the running kernel; not with --root/--btf\n");
		return EXIT_USAGE;
	}
	tfd = feat_tracefs_open(ctx);
	if (tfd < 0) {
		fprintf(stderr, "featprobe: export-formats: tracefs: %s\n", strerror(-tfd));
		return EXIT_ERROR;
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "featprobe: export-formats: %s: %s\n", dir, strerror(errno));
		close(tfd);
		return EXIT_ERROR;
	}
	out = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	efd = openat(tfd, "events", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ev = efd >= 0 ? fdopendir(efd) : NULL;
	if (out < 0 || !ev) {
		fprintf(stderr, "featprobe: export-formats: %s: %s\n", out < 0 ? dir : "tracefs events",
			strerror(errno));
		r = -1;
		goto done;
	}
	while (r == 0 && (sys = readdir(ev))) {
		struct dirent *e;
		DIR *sd;
		int sfd;

		if (sys->d_name[0] == '.' || sys->d_type != DT_DIR)
			continue;
		sfd = openat(efd, sys->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		sd = sfd >= 0 ? fdopendir(sfd) : NULL;
		if (!sd) {
			if (sfd >= 0)
				close(sfd);
			continue;
		}
		systems++;
		while (r == 0 && (e = readdir(sd))) {
			char from[600], to[900];

			if (e->d_name[0] == '.' || e->d_type != DT_DIR)
				continue;
			snprintf(from, sizeof(from), "events/%s/%s/format", sys->d_name, e->d_name);
			snprintf(to, sizeof(to), "sys/kernel/tracing/events/%s/%s", sys->d_name, e->d_name);
			r = make_dirs(out, to);
			if (r == 0) {
				strcat(to, "/format");
				r = copy_file(tfd, from, out, to);
			}
			if (r < 0)
				fprintf(stderr, "featprobe: export-formats: %s: %s\n", from, strerror(-r));
			events++;
		}
		closedir(sd);
	}
	for (size_t i = 0; r == 0 && i < sizeof(headers) / sizeof(headers[0]); i++) {
		char to[300];

		snprintf(to, sizeof(to), "sys/kernel/tracing/%s", headers[i]);
		copy_file(tfd, headers[i], out, to); /* optional */
	}
	if (r == 0 && access("/sys/kernel/btf/vmlinux", R_OK) == 0) {
		int bfd = open("/sys/kernel/btf", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		DIR *bd = NULL;
		struct dirent *de;

		r = make_dirs(out, "sys/kernel/btf");
		if (r == 0 && bfd >= 0)
			r = copy_file(bfd, "vmlinux", out, "sys/kernel/btf/vmlinux");
		if (r < 0)
			fprintf(stderr, "featprobe: export-formats: /sys/kernel/btf/vmlinux: %s\n",
				strerror(-r));
		/* The loaded modules' BTF too: their events' raw form. */
		if (r == 0 && bfd >= 0 && (bd = fdopendir(bfd)))
			bfd = -1;
		while (r == 0 && bd && (de = readdir(bd))) {
			char to[300];

			if (de->d_name[0] == '.' || strcmp(de->d_name, "vmlinux") == 0)
				continue;
			snprintf(to, sizeof(to), "sys/kernel/btf/%s", de->d_name);
			r = copy_file(dirfd(bd), de->d_name, out, to);
			if (r < 0)
				fprintf(stderr, "featprobe: export-formats: /sys/kernel/btf/%s: %s\n",
					de->d_name, strerror(-r));
		}
		if (bd)
			closedir(bd);
		if (bfd >= 0)
			close(bfd);
	}
	/* The release, for a reader of the tree (the library takes it from
	 * --release, not from this file). */
	if (r == 0 && uname(&u) == 0 && make_dirs(out, "proc") == 0) {
		int vfd = openat(out, "proc/version", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

		if (vfd >= 0) {
			dprintf(vfd, "Linux version %s %s\n", u.release, u.version);
			close(vfd);
		}
	}
	if (r == 0)
		printf("%u events in %u systems saved under %s; read them with --root %s\n", events,
		       systems, dir, dir);
done:
	if (ev)
		closedir(ev);
	else if (efd >= 0)
		close(efd);
	if (out >= 0)
		close(out);
	close(tfd);
	return r < 0 ? EXIT_ERROR : 0;
}
