// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * featprobe access TRACEPOINT EXPR [--backend B] [--format asm|json]
 * featprobe trace TRACEPOINT EXPR... [--backend B] [-c COMMAND] [--count N]
 *	[--timeout S] [-j]
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "featprobe-cmds.h"
#include "trace-prog.h"

#define EXIT_ERROR 3
#define EXIT_USAGE 64

/* The options only access and trace know, taken out of argv before getopt. */
static const char *backend_option = "auto";
static const char *format_option;
static const char *command_option;
static const char *count_option;
static const char *timeout_option;

static const char **option_slot(const char *name)
{
	if (strcmp(name, "--backend") == 0)
		return &backend_option;
	if (strcmp(name, "--format") == 0)
		return &format_option;
	if (strcmp(name, "-c") == 0 || strcmp(name, "--command") == 0)
		return &command_option;
	if (strcmp(name, "--count") == 0)
		return &count_option;
	if (strcmp(name, "--timeout") == 0)
		return &timeout_option;
	return NULL;
}

int featprobe_trace_options(int argc, char **argv)
{
	int out = 1;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *eq = strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
		const char **slot;
		char name[16];

		if (strcmp(a, "--") == 0) {
			while (i < argc)
				argv[out++] = argv[i++];
			break;
		}
		snprintf(name, sizeof(name), "%.*s", eq ? (int)(eq - a) : (int)strlen(a), a);
		slot = option_slot(name);
		if (!slot) {
			argv[out++] = argv[i];
			continue;
		}
		if (!eq && i + 1 >= argc) {
			fprintf(stderr, "featprobe: %s needs a value\n", name);
			return -1;
		}
		*slot = eq ? eq + 1 : argv[++i];
	}
	argv[out] = NULL;
	return out;
}

/* --- shared: the layout and the backend --- */

/* Errors feat_layout_resolve() and feat_access_compile() log themselves. */
static bool logged(int r)
{
	return r == -ENOENT || r == -ENOTUNIQ || r == -EBADMSG || r == -EINVAL || r == -ENODATA ||
	       r == -EMEDIUMTYPE || r == -EOPNOTSUPP || r == -ERANGE;
}

static enum feat_form backend_form(enum feat_backend b)
{
	return b == FEAT_BACKEND_TRACEPOINT ? FEAT_FORM_CLASSIC : FEAT_FORM_RAW;
}

/*
 * --backend auto: feat_backend_choose() offered only the BPF backends whose
 * form @layout holds, in the default order (feat.h). The answer a policy
 * naming the tracepoint gives, without the catalog that policy builds
 * (tens of milliseconds) to look up forms the layout has already.
 */
static int choose_auto(struct feat_ctx *ctx, const struct feat_layout *layout, const char *cmd,
		       const char *name, enum feat_backend *backend)
{
	static const enum feat_backend bpf_order[] = {
		FEAT_BACKEND_TP_BTF, FEAT_BACKEND_RAW_TP, FEAT_BACKEND_TRACEPOINT,
	};
	/* An offline target has no caller: choose by what its kernel supports. */
	struct feat_policy policy = { .sz = sizeof(policy), .kernel = feat_is_offline(ctx) };
	struct feat_choice *choice;
	size_t n = 0;
	int r;

	const char *object = NULL;

	/* trace loads what it attaches to vmlinux types only: a module's
	 * typedef would need attach_btf_obj_fd (trace-prog.c). */
	feat_layout_raw_btf_obj_id(layout, &object);
	for (size_t i = 0; i < sizeof(bpf_order) / sizeof(bpf_order[0]); i++)
		if (feat_layout_has(layout, backend_form(bpf_order[i])) &&
		    !(bpf_order[i] == FEAT_BACKEND_TP_BTF && strcmp(cmd, "trace") == 0 && object &&
		      strcmp(object, "vmlinux") != 0))
			policy.order[n++] = bpf_order[i];
	if (!n) {
		fprintf(stderr, "featprobe: %s %s: no form a BPF program can read (classic: %s; raw: %s)\n",
			cmd, name, feat_layout_missing(layout, FEAT_FORM_CLASSIC),
			feat_layout_missing(layout, FEAT_FORM_RAW));
		return -1;
	}
	r = feat_backend_choose(ctx, &policy, &choice);
	if (r < 0) {
		fprintf(stderr, "featprobe: %s %s: feat_backend_choose: %s\n", cmd, name, strerror(-r));
		return -1;
	}
	*backend = feat_choice_backend(choice);
	if (*backend == FEAT_BACKEND_NONE) {
		fprintf(stderr, "featprobe: %s %s: no BPF backend can reach it (%s)\n", cmd, name,
			feat_choice_reason_count(choice) ? feat_choice_reason(choice, 0, NULL)
							 : "no reason given");
		feat_choice_free(choice);
		return -1;
	}
	feat_choice_free(choice);
	return 0;
}

/*
 * Resolve @name and pick the backend: the one --backend names, or for
 * "auto" what feat_backend_choose() picks for this tracepoint. Returns 0 or
 * an exit status.
 */
static int layout_and_backend(struct feat_ctx *ctx, const char *cmd, const char *name,
			      struct feat_layout **layout, enum feat_backend *backend)
{
	const char *missing;
	int r;

	*layout = NULL;
	if (strcmp(backend_option, "auto") == 0) {
		*backend = FEAT_BACKEND_NONE;
	} else {
		r = feat_backend_from_name(backend_option);
		if (r != FEAT_BACKEND_TP_BTF && r != FEAT_BACKEND_RAW_TP &&
		    r != FEAT_BACKEND_TRACEPOINT) {
			fprintf(stderr, "featprobe: --backend '%s': expected auto, raw_tp, tp_btf or tracepoint\n",
				backend_option);
			return EXIT_USAGE;
		}
		*backend = (enum feat_backend)r;
	}
	r = feat_layout_resolve(ctx, name, *backend ? backend_form(*backend) : 0, layout);
	if (r < 0) {
		if (!logged(r))
			fprintf(stderr, "featprobe: %s %s: %s\n", cmd, name, strerror(-r));
		return EXIT_ERROR;
	}
	if (*backend == FEAT_BACKEND_NONE && choose_auto(ctx, *layout, cmd, name, backend) < 0)
		goto fail;
	missing = feat_layout_missing(*layout, backend_form(*backend));
	if (missing) {
		const char *equivalent = feat_layout_tracepoint(*layout)->raw_equivalent;

		fprintf(stderr, "featprobe: %s %s: no %s form for %s: %s%s%s\n", cmd, name,
			*backend == FEAT_BACKEND_TRACEPOINT ? "classic" : "raw",
			feat_backend_name(*backend), missing,
			equivalent && *backend != FEAT_BACKEND_TRACEPOINT ? "; its raw equivalent is " : "",
			equivalent && *backend != FEAT_BACKEND_TRACEPOINT ? equivalent : "");
		goto fail;
	}
	return 0;
fail:
	feat_layout_free(*layout);
	*layout = NULL;
	return EXIT_ERROR;
}

static const char *full_name(const struct feat_layout *layout, char *buf, size_t size)
{
	const struct feat_tracepoint *tp = feat_layout_tracepoint(layout);

	snprintf(buf, size, "%s%s%s", tp->system ? tp->system : "", tp->system ? ":" : "",
		 tp->name);
	return buf;
}

/* --- featprobe access --- */

static void print_asm_header(const char *tracepoint, const char *expr, enum feat_backend backend,
			     const struct feat_access *access,
			     const struct feat_access_opts *opts)
{
	const struct feat_access_type *t = feat_access_type(access);
	unsigned int regs = feat_access_regs(access);

	printf("; %s %s on %s\n", tracepoint, expr, feat_backend_name(backend));
	switch (t->kind) {
	case FEAT_VALUE_STRING:
		printf("; type: %s, a string of at most %u bytes with its NUL%s, copied to r10%+d\n",
		       t->c_type, t->size, t->user ? " (user memory)" : "", opts->str_off);
		break;
	case FEAT_VALUE_PTR:
		printf("; type: %s, a%s %u-byte pointer%s, in r0\n", t->c_type,
		       t->size == 8 ? "n" : "", t->size,
		       t->user ? " to user memory" : "");
		break;
	default:
		printf("; type: %s, a%s %u-byte %s integer, in r0\n", t->c_type,
		       t->size == 8 ? "n" : "", t->size,
		       t->is_signed ? "signed" : "unsigned");
		break;
	}
	printf("; context in r%d; writes", opts->ctx_reg);
	for (int i = 0; i < 11; i++)
		if (regs & (1u << i))
			printf(" r%d", i);
	putchar('\n');
	printf("; scratch: the 8 bytes at r10%+d\n", opts->scratch_off);
}

int cmd_access(struct feat_ctx *ctx, const char *name, const char *expr, bool json, bool pretty)
{
	struct feat_access_opts opts = {
		.sz = sizeof(opts), .ctx_reg = 6, .scratch_off = -8, .str_off = -72, .str_size = 64,
	};
	struct feat_access *access = NULL;
	struct feat_layout *layout;
	enum feat_backend backend;
	char *text = NULL, tp[300];
	int r, ret;

	if (command_option || count_option || timeout_option) {
		fprintf(stderr, "featprobe: access takes no -c, --count or --timeout (those are trace's)\n");
		return EXIT_USAGE;
	}
	if (format_option) {
		if (strcmp(format_option, "json") != 0 && strcmp(format_option, "asm") != 0) {
			fprintf(stderr, "featprobe: --format '%s': expected asm or json\n", format_option);
			return EXIT_USAGE;
		}
		json = strcmp(format_option, "json") == 0;
	}
	ret = layout_and_backend(ctx, "access", name, &layout, &backend);
	if (ret)
		return ret;
	full_name(layout, tp, sizeof(tp));
	r = feat_access_compile(layout, expr, backend, &opts, &access);
	if (r < 0) {
		if (!logged(r))
			fprintf(stderr, "featprobe: access %s %s: feat_access_compile (%s): %s\n", tp,
				expr, feat_backend_name(backend), strerror(-r));
		ret = EXIT_ERROR;
		goto out;
	}
	r = json ? feat_access_json(access, &text) : feat_access_asm(access, &text);
	if (r < 0 || !text || (!json && !feat_access_type(access))) {
		fprintf(stderr, "featprobe: access %s %s: %s: %s\n", tp, expr,
			json ? "feat_access_json" : "feat_access_asm", strerror(r < 0 ? -r : EINVAL));
		ret = EXIT_ERROR;
		goto out;
	}
	if (json) {
		ret = print_json_text(text, pretty);
	} else {
		size_t len = strlen(text);

		print_asm_header(tp, expr, backend, access, &opts);
		fputs(text, stdout);
		if (len && text[len - 1] != '\n')
			putchar('\n');
		ret = fflush(stdout) == 0 ? 0 : EXIT_ERROR;
	}
out:
	free(text);
	feat_access_free(access);
	feat_layout_free(layout);
	return ret;
}

/* --- featprobe trace --- */

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

/* SIGCHLD only interrupts the wait: the loop calls waitpid() itself. */
static void on_child(int sig)
{
	(void)sig;
}

struct trace_out {
	const char *tracepoint;
	const char *backend;
	bool json;
	unsigned long count;	/* 0: no limit */
	unsigned long seen;
	bool write_error;
};

static struct json_object *json_value(const struct trace_value *v)
{
	char buf[32];

	if (v->str)
		return json_object_new_string(v->str);
	if (v->type->kind == FEAT_VALUE_PTR) {
		snprintf(buf, sizeof(buf), "0x%" PRIx64, v->u);
		return json_object_new_string(buf);
	}
	if (v->type->is_signed)
		return json_object_new_int64(v->i);
	return json_object_new_uint64(v->u);
}

static int print_record(void *data, const struct trace_record *rec)
{
	struct trace_out *out = data;

	if (out->json) {
		struct json_object *o = json_object_new_object();
		struct json_object *values = json_object_new_object();

		json_object_object_add(o, "tracepoint", json_object_new_string(out->tracepoint));
		json_object_object_add(o, "backend", json_object_new_string(out->backend));
		json_object_object_add(o, "pid", json_object_new_int64(rec->tgid));
		json_object_object_add(o, "tid", json_object_new_int64(rec->tid));
		json_object_object_add(o, "cpu", json_object_new_int64(rec->cpu));
		for (size_t i = 0; i < rec->n_values; i++)
			json_object_object_add(values, rec->values[i].name,
					       json_value(&rec->values[i]));
		json_object_object_add(o, "values", values);
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							       JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	} else {
		printf("%s %s [%" PRIu32 "]", out->tracepoint, out->backend, rec->tgid);
		for (size_t i = 0; i < rec->n_values; i++) {
			char buf[2048];

			printf(" %s=%s", rec->values[i].name,
			       trace_value_format(&rec->values[i], buf, sizeof(buf)));
		}
		putchar('\n');
	}
	if (ferror(stdout)) {
		out->write_error = true;
		return 1;
	}
	out->seen++;
	return out->count && out->seen >= out->count;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int parse_trace_options(unsigned long *count, double *timeout)
{
	char *end;

	if (format_option) {
		fprintf(stderr, "featprobe: trace takes no --format (-j prints JSON)\n");
		return EXIT_USAGE;
	}
	*count = 0;
	*timeout = 0;
	if (count_option) {
		errno = 0;
		*count = strtoul(count_option, &end, 10);
		if (errno || *end || !*count_option || *count == 0 || count_option[0] == '-') {
			fprintf(stderr, "featprobe: --count '%s': expected a positive number\n",
				count_option);
			return EXIT_USAGE;
		}
	}
	if (timeout_option) {
		errno = 0;
		*timeout = strtod(timeout_option, &end);
		if (errno || *end || !*timeout_option || !(*timeout > 0) || !isfinite(*timeout)) {
			fprintf(stderr, "featprobe: --timeout '%s': expected a positive number of seconds\n",
				timeout_option);
			return EXIT_USAGE;
		}
	}
	if (command_option && !*command_option) {
		fprintf(stderr, "featprobe: -c: an empty command\n");
		return EXIT_USAGE;
	}
	return 0;
}

/* Fork the command; it waits on @gate until the program is attached. */
static pid_t start_command(const char *command, int *gate)
{
	int fds[2];
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0) {
		fprintf(stderr, "featprobe: trace: pipe2: %s\n", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "featprobe: trace: fork: %s\n", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		char go;

		close(fds[1]);
		/* EOF instead of a byte: the tracer failed; run nothing. */
		if (read(fds[0], &go, 1) != 1)
			_exit(127);
		/* An ignored signal stays ignored across exec: give the
		 * command the SIGPIPE featprobe ignores. */
		signal(SIGPIPE, SIG_DFL);
		execl("/bin/sh", "sh", "-c", command, (char *)NULL);
		fprintf(stderr, "featprobe: trace: /bin/sh: %s\n", strerror(errno));
		_exit(127);
	}
	close(fds[0]);
	*gate = fds[1];
	return pid;
}

static int exit_status_of(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return EXIT_ERROR;
}

/* The event loop: until the command exits, --count, --timeout or a signal. */
static int trace_loop(struct trace_prog *prog, struct trace_out *out, pid_t child,
		      double timeout, int *child_status)
{
	double deadline = timeout > 0 ? now() + timeout : 0;

	for (;;) {
		int wait_ms = 200, r;

		if (deadline) {
			double left = deadline - now();

			if (left <= 0)
				return 0;
			if (left * 1000 < wait_ms)
				wait_ms = (int)(left * 1000) + 1;
		}
		if (child > 0 && waitpid(child, child_status, WNOHANG) == child) {
			/* Every event of the command is in the buffer by now. */
			trace_prog_drain(prog);
			return 1;
		}
		r = trace_prog_poll(prog, wait_ms);
		if (fflush(stdout) != 0 || out->write_error)
			return 0;
		if (stop_signal)
			return 0;
		if (r < 0 && r != -EINTR) {
			fprintf(stderr, "featprobe: trace: %s\n", trace_prog_error(prog));
			return -1;
		}
		if (out->count && out->seen >= out->count)
			return 0;
	}
}

int cmd_trace(struct feat_ctx *ctx, const char *name, char **exprs, int n_exprs, bool json)
{
	struct trace_prog_opts popts = { .sz = sizeof(popts) };
	struct trace_out out = { .json = json };
	struct sigaction sa = { 0 }, old_int, old_term, old_chld;
	struct trace_prog *prog = NULL;
	struct trace_env *env = NULL;
	struct feat_layout *layout = NULL;
	enum feat_backend backend;
	int gate = -1, status = 0, ret, r;
	unsigned long count;
	char tp[300];
	double timeout;
	pid_t child = 0;

	ret = parse_trace_options(&count, &timeout);
	if (ret)
		return ret;
	if (feat_is_offline(ctx)) {
		fprintf(stderr, "featprobe: trace runs on the running kernel; not with --root/--btf/--release\n");
		return EXIT_USAGE;
	}
	ret = layout_and_backend(ctx, "trace", name, &layout, &backend);
	if (ret)
		return ret;
	full_name(layout, tp, sizeof(tp));
	out.tracepoint = tp;
	out.backend = feat_backend_name(backend);
	out.count = count;
	ret = EXIT_ERROR;

	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sa.sa_handler = on_child;
	sigaction(SIGCHLD, &sa, &old_chld);
	signal(SIGPIPE, SIG_IGN);

	r = trace_env_new(ctx, NULL, &env);
	if (r < 0) {
		fprintf(stderr, "featprobe: trace: %s\n", strerror(-r));
		goto out;
	}
	if (command_option) {
		child = start_command(command_option, &gate);
		if (child < 0)
			goto out;
		popts.tgid = child;
		/* The command's events are its children's too: sh forks. */
		popts.flags |= TRACE_PROG_F_DESCENDANTS;
	} else {
		/* Our own writes would be traced too: keep them out. */
		popts.exclude_tgid = getpid();
	}
	/* The fallback's test on kernels that have ring buffers. */
	if (getenv("FEATPROBE_PERF_BUFFER") && strcmp(getenv("FEATPROBE_PERF_BUFFER"), "1") == 0)
		popts.flags |= TRACE_PROG_F_PERF_BUFFER;
	popts.on_record = print_record;
	popts.data = &out;
	r = trace_prog_new(env, layout, backend, &popts, &prog);
	if (r < 0) {
		fprintf(stderr, "featprobe: trace %s: trace_prog_new (%s): %s\n", tp, out.backend,
			strerror(-r));
		goto out;
	}
	for (int i = 0; i < n_exprs; i++) {
		r = trace_prog_add(prog, exprs[i]);
		if (r < 0) {
			if (!logged(r))
				fprintf(stderr, "featprobe: trace %s (%s): %s\n", tp, out.backend,
					trace_prog_error(prog));
			goto out;
		}
	}
	if (trace_prog_load(prog) < 0 || trace_prog_attach(prog) < 0) {
		fprintf(stderr, "featprobe: trace: %s\n", trace_prog_error(prog));
		goto out;
	}
	if (gate >= 0) {
		if (write(gate, "", 1) != 1) {
			fprintf(stderr, "featprobe: trace: starting the command: %s\n", strerror(errno));
			goto out;
		}
		close(gate);
		gate = -1;
	}
	r = trace_loop(prog, &out, child, timeout, &status);
	if (r < 0)
		goto out;
	if (r == 1) {
		/* The command ended on its own: its status is ours. */
		child = 0;
		ret = exit_status_of(status);
	} else {
		ret = 0;
	}
	if (trace_prog_lost(prog))
		fprintf(stderr, "featprobe: trace: %" PRIu64 " events lost (the buffer was full)\n",
			trace_prog_lost(prog));
out:
	trace_prog_free(prog);
	trace_env_free(env);
	feat_layout_free(layout);
	if (gate >= 0)
		close(gate);
	if (child > 0) {
		/* Tracing ended first (or failed): the command goes too. */
		kill(child, SIGTERM);
		while (waitpid(child, &status, 0) < 0 && errno == EINTR)
			;
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGCHLD, &old_chld, NULL);
	if (fflush(stdout) != 0 && ret == 0 && errno != EPIPE)
		ret = EXIT_ERROR;
	return ret;
}
