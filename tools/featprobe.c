// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * featprobe: the command-line face of libfeat.
 *
 * Exit statuses: report, macros, backend: 0, or 3 on error. check: 0 yes,
 * 1 no, 2 unknown. trace -c: the command's status. Usage errors (a
 * malformed NAME among them): 64.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>
#include <malloc.h>
#include <stdint.h>
#include <sys/mman.h>

#include "feat.h"
#include "featprobe-cmds.h"

#define EXIT_ERROR 3
#define EXIT_USAGE 64
#define JSON_SCHEMA 1

/* The features a report shows, in order. */
static const enum feat_id report_ids[] = {
	FEAT_BPF, FEAT_BTF, FEAT_RAW_TP, FEAT_TP_BTF, FEAT_TRACEPOINT,
	FEAT_TRACEFS, FEAT_LOCKDOWN, FEAT_KMOD,
};

/*
 * Commands that parse vmlinux BTF spend most of their time in page faults:
 * libbpf's btf__new() copies the 5 to 6 MB of BTF into fresh memory and
 * grows its type index, one fault per 4 KiB page, and a first touch of a
 * page is expensive on virtualised hosts (13 us a page measured on the
 * project's machine, more than the copy itself). Serve those blocks from
 * the heap instead of one mmap() each, grow the heap once, and ask for
 * transparent huge pages there (THP "madvise" mode, Debian's default):
 * the copy then faults a handful of 2 MiB pages. Only the program does
 * this; the library leaves its caller's allocator alone. Where mallopt()
 * or THP is missing the calls fail and nothing changes but the speed.
 */
static void heap_for_btf(void)
{
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD)
	const uintptr_t huge = 2u << 20, want = 24u << 20;
	uintptr_t lo, hi;
	void *volatile p;

	/* glibc caps the threshold at 32 MiB on 64-bit (HEAP_MAX_SIZE / 2). */
	if (!mallopt(M_MMAP_THRESHOLD, 32 << 20) || !mallopt(M_TRIM_THRESHOLD, 128 << 20))
		return;
	p = malloc(want);
	if (!p)
		return;
	lo = ((uintptr_t)p + huge - 1) & ~(huge - 1);
	hi = ((uintptr_t)p + want) & ~(huge - 1);
	if (hi > lo)
		(void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
	free(p); /* kept: the trim threshold is above it */
#endif
}

struct options {
	struct feat_opts feat;
	bool json;
	bool pretty;
	bool kernel;
	const char *prefix;
};

static bool json_errors;

static void __attribute__((format(printf, 1, 2))) fail(const char *format, ...)
{
	char msg[1024];
	va_list args;

	va_start(args, format);
	vsnprintf(msg, sizeof(msg), format, args);
	va_end(args);
	if (json_errors) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "error", json_object_new_string(msg));
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							       JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	} else {
		fprintf(stderr, "featprobe: %s\n", msg);
	}
}

static void usage(FILE *out)
{
	fputs("Usage: featprobe [OPTIONS] [COMMAND [ARGS]]\n"
	      "\n"
	      "Which BPF tracepoint backend can a tracing session use on this kernel?\n"
	      "\n"
	      "Commands:\n"
	      "  (none)              a short report of every probe and the backend choice\n"
	      "  check NAME          exit 0 yes, 1 no, 2 unknown; NAME is a feature\n"
	      "                      (bpf btf raw_tp tp_btf tracepoint tracefs lockdown kmod),\n"
	      "                      CONFIG_X (yes when set: y, m or a value) or kernel>=X.Y[.Z]\n"
	      "  macros              a C header of #define PREFIX_HAVE_... lines\n"
	      "  backend [TRACEPOINT] the backend choice and the reasons, for the session\n"
	      "                      or for one tracepoint (SYS:NAME or NAME)\n"
	      "  list [GLOB] [--modules]\n"
	      "                      every tracepoint, its forms and raw arg count;\n"
	      "                      --modules: also those of modules not loaded (their files)\n"
	      "  layout TRACEPOINT [--form classic|raw|both] [--format c|json]\n"
	      "                      the struct forms of SYS:NAME, NAME, MODULE/NAME (a kernel\n"
	      "                      module's, loaded or not), or every match of a GLOB\n"
	      "  export-formats DIR  save tracefs format files and vmlinux BTF as a root tree\n"
	      "                      for --root DIR (offline layouts of this kernel)\n"
	      "  access TRACEPOINT EXPR [--backend auto|tp_btf|raw_tp|tracepoint]\n"
	      "                     [--format asm|json]\n"
	      "                      the BPF instructions that read EXPR ($prev_pid,\n"
	      "                      $prev->comm, $filename) on that backend\n"
	      "  trace TRACEPOINT EXPR... [--backend B] [-c COMMAND] [--count N]\n"
	      "                     [--timeout S]\n"
	      "                      load, attach and print the values at every event (-j:\n"
	      "                      JSON lines); -c runs COMMAND and keeps only its events\n"
	      "                      and its children's, until it exits, and exits with its\n"
	      "                      status\n"
	      "\n"
	      "Options:\n"
	      "  -j, --json          print JSON\n"
	      "  -p, --pretty        print indented JSON (implies --json)\n"
	      "  -k, --kernel        answer whether the kernel supports a feature at all,\n"
	      "                      not whether this caller can use it now\n"
	      "      --thorough      exercise expensive paths too (a real classic attach)\n"
	      "      --prefix P      macro prefix for 'macros' (default FEAT)\n"
	      "      --root DIR      read every file under DIR; probe nothing live\n"
	      "      --kconfig FILE  the kernel config (plain or gzip)\n"
	      "      --btf FILE      the target's vmlinux BTF; probe nothing live\n"
	      "      --release R     the target's release; probe nothing live\n"
	      "      --target DIR    an unpacked kernel package (boot/config-R, boot/vmlinuz-R,\n"
	      "                      lib/modules/R, saved format files); probe nothing live\n"
	      "  -h, --help          this text\n"
	      "  -V, --version       the version\n"
	      "\n"
	      "Exit status: 0 success (check: yes), 1 check: no, 2 check: unknown,\n"
	      "3 error, 64 usage error; trace -c: the command's status.\n",
	      out);
}

static const char *errno_str(int err)
{
	return err ? strerrorname_np(err) : NULL;
}

/* --- JSON --- */

static struct json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static struct json_object *json_result(struct feat_ctx *ctx,
				       const struct feat_result *r)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "state", jstr(feat_state_name(r->state)));
	json_object_object_add(o, "kernel", jstr(feat_state_name(r->kernel)));
	json_object_object_add(o, "static", json_object_new_boolean(r->kernel_static));
	json_object_object_add(o, "errno", jstr(errno_str(r->err)));
	json_object_object_add(o, "detail", jstr(r->detail));
	json_object_object_add(o, "source", jstr(r->source));
	if (r->id == FEAT_LOCKDOWN)
		json_object_object_add(o, "level",
				       jstr(feat_lockdown_name(feat_lockdown_level(ctx))));
	if (r->id == FEAT_TRACEFS)
		json_object_object_add(o, "mounted", jstr(feat_tracefs_path(ctx)));
	return o;
}

static struct json_object *json_choice(const struct feat_choice *c)
{
	struct json_object *o = json_object_new_object();
	struct json_object *reasons = json_object_new_array();

	json_object_object_add(o, "choice",
			       jstr(feat_backend_name(feat_choice_backend(c))));
	for (size_t i = 0; i < feat_choice_reason_count(c); i++)
		json_object_array_add(reasons, jstr(feat_choice_reason(c, i, NULL)));
	json_object_object_add(o, "reasons", reasons);
	return o;
}

static int print_json(struct json_object *o, const struct options *opt)
{
	puts(json_object_to_json_string_ext(o, opt->pretty ? JSON_C_TO_STRING_PRETTY |
							       JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE
							 : JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return fflush(stdout) == 0 ? 0 : EXIT_ERROR;
}

static int choose_for(struct feat_ctx *ctx, const struct options *opt,
		      const char *tracepoint, struct feat_choice **c)
{
	struct feat_policy policy = { .sz = sizeof(policy), .kernel = opt->kernel,
				      .tracepoint = tracepoint };
	int r;

	/* An offline target has no caller: choose by what its kernel supports. */
	if (feat_is_offline(ctx))
		policy.kernel = true;
	r = feat_backend_choose(ctx, &policy, c);
	if (r < 0 && tracepoint)
		fail("backend %s: %s", tracepoint,
		     r == -ENOENT ? "no such tracepoint (featprobe list shows them)"
		     : r == -ENOTUNIQ ? "more than one system has it: name it SYS:NAME"
				      : strerror(-r));
	else if (r < 0)
		fail("feat_backend_choose: %s", strerror(-r));
	return r;
}

static int choose(struct feat_ctx *ctx, const struct options *opt,
		  struct feat_choice **c)
{
	return choose_for(ctx, opt, NULL, c);
}

static int cmd_report_json(struct feat_ctx *ctx, const struct options *opt)
{
	const struct feat_kversion *kv = feat_kversion(ctx);
	const struct feat_result *kc = feat_probe(ctx, FEAT_KCONFIG);
	struct json_object *root = json_object_new_object();
	struct json_object *kernel = json_object_new_object();
	struct json_object *sources = json_object_new_array();
	struct json_object *kconfig = json_object_new_object();
	struct json_object *features = json_object_new_object();
	struct feat_choice *c;

	json_object_object_add(root, "schema", json_object_new_int(JSON_SCHEMA));
	json_object_object_add(kernel, "release", jstr(kv->release));
	json_object_object_add(kernel, "version", jstr(kv->version));
	json_object_object_add(kernel, "version_source", jstr(kv->source));
	json_object_object_add(kernel, "version_code",
			       kv->code ? json_object_new_int64(kv->code) : NULL);
	for (size_t i = 0; i < kv->n_seen; i++) {
		struct json_object *s = json_object_new_object();

		json_object_object_add(s, "source", jstr(kv->seen_name[i]));
		json_object_object_add(s, "value", jstr(kv->seen_value[i]));
		json_object_array_add(sources, s);
	}
	json_object_object_add(kernel, "version_sources", sources);
	json_object_object_add(kernel, "offline", json_object_new_boolean(feat_is_offline(ctx)));
	json_object_object_add(root, "kernel", kernel);

	json_object_object_add(kconfig, "source", jstr(feat_kconfig_source(ctx)));
	json_object_object_add(kconfig, "errno", jstr(errno_str(kc->err)));
	json_object_object_add(kconfig, "detail", jstr(kc->detail));
	json_object_object_add(root, "kconfig", kconfig);

	for (size_t i = 0; i < sizeof(report_ids) / sizeof(report_ids[0]); i++)
		json_object_object_add(features, feat_id_name(report_ids[i]),
				       json_result(ctx, feat_probe(ctx, report_ids[i])));
	json_object_object_add(root, "features", features);

	if (choose(ctx, opt, &c) < 0) {
		json_object_put(root);
		return EXIT_ERROR;
	}
	json_object_object_add(root, "backend", json_choice(c));
	feat_choice_free(c);
	return print_json(root, opt);
}

static int cmd_report(struct feat_ctx *ctx, const struct options *opt)
{
	const struct feat_kversion *kv;
	const struct feat_result *kc;
	struct feat_choice *c;

	if (opt->json)
		return cmd_report_json(ctx, opt);
	kv = feat_kversion(ctx);
	kc = feat_probe(ctx, FEAT_KCONFIG);
	printf("%-11s %s (from %s), release %s%s\n", "kernel",
	       kv->version ? kv->version : "unknown", kv->source ? kv->source : "nothing",
	       kv->release ? kv->release : "unknown",
	       feat_is_offline(ctx) ? ", offline target" : "");
	printf("%-11s %s\n", "kconfig", kc->state == FEAT_YES ? feat_kconfig_source(ctx) : kc->detail);
	for (size_t i = 0; i < sizeof(report_ids) / sizeof(report_ids[0]); i++) {
		const struct feat_result *r = feat_probe(ctx, report_ids[i]);
		char state[64];

		snprintf(state, sizeof(state), "%s%s%s%s", feat_state_name(r->state),
			 r->err ? " (" : "", r->err ? errno_str(r->err) : "", r->err ? ")" : "");
		printf("%-11s %-16s %s", feat_id_name(r->id), state, r->detail);
		if (r->state != r->kernel || r->kernel_static)
			printf(" [kernel: %s%s]", feat_state_name(r->kernel),
			       r->kernel_static ? ", static" : "");
		putchar('\n');
	}
	if (choose(ctx, opt, &c) < 0)
		return EXIT_ERROR;
	printf("%-11s %s\n", "backend", feat_backend_name(feat_choice_backend(c)));
	for (size_t i = 0; i < feat_choice_reason_count(c); i++)
		printf("  %s\n", feat_choice_reason(c, i, NULL));
	feat_choice_free(c);
	return fflush(stdout) == 0 ? 0 : EXIT_ERROR;
}

static int cmd_backend(struct feat_ctx *ctx, const struct options *opt,
		       const char *tracepoint)
{
	struct feat_choice *c;

	if (choose_for(ctx, opt, tracepoint, &c) < 0)
		return EXIT_ERROR;
	if (opt->json) {
		struct json_object *o = json_choice(c);

		feat_choice_free(c);
		return print_json(o, opt);
	}
	printf("%s\n", feat_backend_name(feat_choice_backend(c)));
	for (size_t i = 0; i < feat_choice_reason_count(c); i++)
		printf("  %s\n", feat_choice_reason(c, i, NULL));
	feat_choice_free(c);
	return 0;
}

/* "kernel>=X.Y[.Z]": 0 and the numbers, or -EINVAL. */
static int parse_kernel_ge(const char *name, unsigned int v[3])
{
	const char *p = name + strlen("kernel>=");
	int n = 0;

	v[0] = v[1] = v[2] = 0;
	while (n < 3) {
		char *end;
		unsigned long x;

		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		errno = 0;
		x = strtoul(p, &end, 10);
		if (errno || x > 65535)
			return -EINVAL;
		v[n++] = (unsigned int)x;
		p = end;
		if (*p == '\0')
			break;
		if (*p != '.')
			return -EINVAL;
		p++;
	}
	return *p == '\0' && n >= 2 ? 0 : -EINVAL;
}

static bool valid_config_name(const char *name)
{
	const char *p = name + strlen("CONFIG_");

	if (!*p)
		return false;
	for (; *p; p++)
		if (!isupper((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_')
			return false;
	return true;
}

static int cmd_check(struct feat_ctx *ctx, const struct options *opt,
		     const char *name)
{
	enum feat_state s;
	const char *why = "";
	char buf[600];
	int id;

	if (strncmp(name, "kernel>=", 8) == 0) {
		unsigned int v[3];

		if (parse_kernel_ge(name, v) < 0) {
			fail("check: malformed version in '%s': expected kernel>=X.Y[.Z]", name);
			return EXIT_USAGE;
		}
		s = feat_kversion_at_least(ctx, v[0], v[1], v[2]);
		if (feat_kversion(ctx)->version) {
			snprintf(buf, sizeof(buf), "the kernel is %s", feat_kversion(ctx)->version);
			why = buf;
		} else {
			why = "no kernel version found";
		}
	} else if (strncmp(name, "CONFIG_", 7) == 0) {
		const char *value;

		if (!valid_config_name(name)) {
			fail("check: malformed config symbol '%s'", name);
			return EXIT_USAGE;
		}
		s = feat_kconfig_state(ctx, name);
		if (feat_kconfig_get(ctx, name, &value) == 0) {
			if (strcmp(value, "n") == 0)
				snprintf(buf, sizeof(buf), "%s is not set in %s", name,
					 feat_kconfig_source(ctx));
			else
				snprintf(buf, sizeof(buf), "%s=%s in %s", name, value,
					 feat_kconfig_source(ctx));
			why = buf;
		} else {
			why = feat_probe(ctx, FEAT_KCONFIG)->detail;
		}
	} else if ((id = feat_id_from_name(name)) >= 0 && id != FEAT_KVERSION &&
		   id != FEAT_KCONFIG) {
		const struct feat_result *r = feat_probe(ctx, (enum feat_id)id);

		s = opt->kernel ? r->kernel : r->state;
		why = r->detail;
	} else {
		fail("check: unknown name '%s': expected a feature (bpf btf raw_tp tp_btf "
		     "tracepoint tracefs lockdown kmod), CONFIG_X or kernel>=X.Y[.Z]",
		     name);
		return EXIT_USAGE;
	}
	if (opt->json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "name", jstr(name));
		json_object_object_add(o, "state", jstr(feat_state_name(s)));
		json_object_object_add(o, "detail", jstr(why));
		print_json(o, opt);
	} else {
		printf("%s: %s (%s)\n", name, feat_state_name(s), why);
	}
	switch (s) {
	case FEAT_YES:
		return 0;
	case FEAT_NO:
		return 1;
	default:
		return 2;
	}
}

static int cmd_macros(struct feat_ctx *ctx, const struct options *opt)
{
	const struct feat_kversion *kv = feat_kversion(ctx);
	const char *prefix = opt->prefix ? opt->prefix : "FEAT";
	struct feat_choice *c;

	for (const char *p = prefix; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_') {
			fail("macros: --prefix '%s' is not a C identifier", prefix);
			return EXIT_USAGE;
		}
	if (!*prefix || isdigit((unsigned char)*prefix)) {
		fail("macros: --prefix '%s' is not a C identifier", prefix);
		return EXIT_USAGE;
	}
	printf("/* Generated by featprobe %s for %s (%s): %s. */\n", PACKAGE_VERSION,
	       kv->release ? kv->release : "an unknown release",
	       feat_is_offline(ctx) ? "offline target" : "running kernel",
	       opt->kernel ? "what the kernel supports" : "what this caller can use");
	printf("#ifndef %s_FEATURES_H\n#define %s_FEATURES_H\n\n", prefix, prefix);
	if (kv->version)
		printf("#define %s_KERNEL_VERSION_CODE 0x%06x /* %s%s */\n", prefix,
		       (kv->major << 16) | (kv->minor << 8) | (kv->patch > 255 ? 255 : kv->patch),
		       kv->version, kv->patch_known ? "" : ", sublevel unknown");
	for (size_t i = 0; i < sizeof(report_ids) / sizeof(report_ids[0]); i++) {
		const struct feat_result *r = feat_probe(ctx, report_ids[i]);
		enum feat_state s = opt->kernel ? r->kernel : r->state;
		char upper[32];
		size_t j;

		for (j = 0; feat_id_name(r->id)[j] && j < sizeof(upper) - 1; j++)
			upper[j] = (char)toupper((unsigned char)feat_id_name(r->id)[j]);
		upper[j] = '\0';
		if (s == FEAT_YES)
			printf("#define %s_HAVE_%s 1\n", prefix, upper);
		else
			printf("/* %s_HAVE_%s is not defined: %s */\n", prefix, upper,
			       feat_state_name(s));
	}
	if (choose(ctx, opt, &c) < 0)
		return EXIT_ERROR;
	printf("#define %s_BACKEND \"%s\"\n", prefix, feat_backend_name(feat_choice_backend(c)));
	feat_choice_free(c);
	printf("\n#endif /* %s_FEATURES_H */\n", prefix);
	return fflush(stdout) == 0 ? 0 : EXIT_ERROR;
}

/* An explicit path that cannot be read is an error, not an unknown. */
static int check_path(const char *option, const char *path, bool dir)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		fail("%s %s: %s", option, path, strerror(errno));
		return -1;
	}
	if (dir != !!S_ISDIR(st.st_mode)) {
		fail("%s %s: %s", option, path, strerror(dir ? ENOTDIR : EISDIR));
		return -1;
	}
	if (access(path, R_OK) < 0) {
		fail("%s %s: %s", option, path, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * The command word, before getopt permutes argv: the first argument that is
 * neither an option nor an option's value. Commands own some options.
 */
static const char *command_word(int argc, char **argv)
{
	static const char *const with_value[] = {
		"--prefix", "--root", "--target", "--kconfig", "--btf", "--release", "--form",
		"--format", "--backend", "--count", "--timeout", "--command", "-c",
	};

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0)
			return i + 1 < argc ? argv[i + 1] : NULL;
		if (a[0] != '-' || a[1] == '\0')
			return a;
		for (size_t k = 0; k < sizeof(with_value) / sizeof(with_value[0]); k++)
			if (strcmp(a, with_value[k]) == 0) {
				i++;
				break;
			}
	}
	return NULL;
}

static bool is_trace_command(const char *cmd)
{
	return cmd && (strcmp(cmd, "access") == 0 || strcmp(cmd, "trace") == 0);
}

int main(int argc, char **argv)
{
	enum { OPT_ROOT = 256, OPT_KCONFIG, OPT_BTF, OPT_RELEASE, OPT_PREFIX, OPT_THOROUGH,
	       OPT_TARGET };
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "kernel", no_argument, NULL, 'k' },
		{ "thorough", no_argument, NULL, OPT_THOROUGH },
		{ "prefix", required_argument, NULL, OPT_PREFIX },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "kconfig", required_argument, NULL, OPT_KCONFIG },
		{ "btf", required_argument, NULL, OPT_BTF },
		{ "release", required_argument, NULL, OPT_RELEASE },
		{ "target", required_argument, NULL, OPT_TARGET },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct options opt = { .feat = { .sz = sizeof(struct feat_opts) } };
	struct feat_ctx *ctx;
	const char *cmd;
	int c, r;

	if (is_trace_command(command_word(argc, argv)))
		argc = featprobe_trace_options(argc, argv);
	else
		argc = featprobe_layout_options(argc, argv);
	if (argc < 0)
		return EXIT_USAGE;
	/* Options may come before or after the command. */
	while ((c = getopt_long(argc, argv, "jpkhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			opt.json = true;
			break;
		case 'p':
			opt.json = opt.pretty = true;
			break;
		case 'k':
			opt.kernel = true;
			break;
		case OPT_THOROUGH:
			opt.feat.flags |= FEAT_F_THOROUGH;
			break;
		case OPT_PREFIX:
			opt.prefix = optarg;
			break;
		case OPT_ROOT:
			opt.feat.root = optarg;
			break;
		case OPT_KCONFIG:
			opt.feat.kconfig = optarg;
			break;
		case OPT_BTF:
			opt.feat.btf = optarg;
			break;
		case OPT_RELEASE:
			opt.feat.release = optarg;
			break;
		case OPT_TARGET:
			opt.feat.target = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("featprobe %s\n", PACKAGE_VERSION);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	json_errors = opt.json;
	cmd = optind < argc ? argv[optind++] : "report";
	if (opt.feat.root && opt.feat.target) {
		fail("--root and --target both name the tree to read: give one");
		return EXIT_USAGE;
	}
	if ((opt.feat.root && check_path("--root", opt.feat.root, true) < 0) ||
	    (opt.feat.target && check_path("--target", opt.feat.target, true) < 0) ||
	    (opt.feat.kconfig && check_path("--kconfig", opt.feat.kconfig, false) < 0) ||
	    (opt.feat.btf && check_path("--btf", opt.feat.btf, false) < 0))
		return EXIT_ERROR;
	if (opt.feat.release && (!*opt.feat.release || strchr(opt.feat.release, '/'))) {
		fail("--release '%s': not a kernel release", opt.feat.release);
		return EXIT_USAGE;
	}

	if (strcmp(cmd, "check") == 0) {
		if (optind + 1 != argc) {
			fail("check takes exactly one NAME");
			return EXIT_USAGE;
		}
	} else if (strcmp(cmd, "list") == 0 || strcmp(cmd, "layout") == 0 ||
		   strcmp(cmd, "export-formats") == 0) {
		bool layout = strcmp(cmd, "list") != 0;

		if (layout ? optind + 1 != argc : optind + 1 < argc) {
			fail("%s", !layout ? "list takes at most one GLOB"
				   : strcmp(cmd, "layout") == 0 ? "layout takes exactly one TRACEPOINT"
						   : "export-formats takes exactly one DIR");
			return EXIT_USAGE;
		}
	} else if (strcmp(cmd, "access") == 0) {
		if (optind + 2 != argc) {
			fail("access takes a TRACEPOINT and one EXPR");
			return EXIT_USAGE;
		}
	} else if (strcmp(cmd, "trace") == 0) {
		if (optind + 2 > argc) {
			fail("trace takes a TRACEPOINT and at least one EXPR");
			return EXIT_USAGE;
		}
	} else if (strcmp(cmd, "backend") == 0) {
		if (optind + 1 < argc) {
			fail("backend takes at most one TRACEPOINT");
			return EXIT_USAGE;
		}
	} else if (strcmp(cmd, "report") == 0 || strcmp(cmd, "macros") == 0) {
		if (optind != argc) {
			fail("%s takes no arguments: '%s'", cmd, argv[optind]);
			return EXIT_USAGE;
		}
	} else {
		fail("unknown command '%s' (see featprobe --help)", cmd);
		return EXIT_USAGE;
	}

	if (strcmp(cmd, "list") == 0 || strcmp(cmd, "layout") == 0 || strcmp(cmd, "access") == 0 ||
	    strcmp(cmd, "trace") == 0 || (strcmp(cmd, "backend") == 0 && optind < argc))
		heap_for_btf();
	ctx = feat_new(&opt.feat);
	if (!ctx && opt.feat.target && (errno == ENOENT || errno == ENOTUNIQ)) {
		fail("--target %s: %s", opt.feat.target,
		     errno == ENOENT ? "no kernel in it (no boot/config-R, boot/vmlinuz-R or lib/modules/R)"
				     : "more than one kernel release in boot/ and lib/modules/: name one with --release");
		return EXIT_ERROR;
	}
	if (!ctx) {
		fail("feat_new: %s", strerror(errno));
		return EXIT_ERROR;
	}
	if (strcmp(cmd, "check") == 0)
		r = cmd_check(ctx, &opt, argv[optind]);
	else if (strcmp(cmd, "macros") == 0)
		r = cmd_macros(ctx, &opt);
	else if (strcmp(cmd, "backend") == 0)
		r = cmd_backend(ctx, &opt, optind < argc ? argv[optind] : NULL);
	else if (strcmp(cmd, "list") == 0)
		r = cmd_list(ctx, argv[optind], opt.json, opt.pretty);
	else if (strcmp(cmd, "layout") == 0)
		r = cmd_layout(ctx, argv[optind], opt.json, opt.pretty);
	else if (strcmp(cmd, "export-formats") == 0)
		r = cmd_export_formats(ctx, argv[optind]);
	else if (strcmp(cmd, "access") == 0)
		r = cmd_access(ctx, argv[optind], argv[optind + 1], opt.json, opt.pretty);
	else if (strcmp(cmd, "trace") == 0)
		r = cmd_trace(ctx, argv[optind], argv + optind + 1, argc - optind - 1, opt.json);
	else
		r = cmd_report(ctx, &opt);
	feat_unref(ctx);
	return r;
}
