// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What a SystemTap-style translator does first, with libfeat: probe the
 * kernel, choose a backend for each tracepoint its script names, lay the
 * tracepoint out, and compile the access code of each target variable.
 *
 *   early-session [TRACEPOINT '$VAR'... [-- TRACEPOINT '$VAR'...]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <feat.h>

static const char *const script[] = {
	"sched:sched_switch", "$prev->pid", "$next->comm", "--",
	"syscalls:sys_enter_openat", "$filename", "$dfd", NULL,
};

/* One probe point of the script: its backend, layout and variables. */
static int probe_point(struct feat_ctx *ctx, const char *const *words, size_t n)
{
	struct feat_policy policy = { .sz = sizeof(policy), .tracepoint = words[0] };
	struct feat_choice *choice;
	struct feat_layout *layout;
	enum feat_backend backend;
	int r;

	r = feat_backend_choose(ctx, &policy, &choice);
	if (r < 0)
		return r;
	backend = feat_choice_backend(choice);
	feat_choice_free(choice);
	printf("probe %s: backend %s\n", words[0], feat_backend_name(backend));
	if (backend == FEAT_BACKEND_NONE || backend == FEAT_BACKEND_KMOD)
		return 0; /* no BPF code to generate */
	r = feat_layout_resolve(ctx, words[0], 0, &layout);
	for (size_t i = 1; r == 0 && i < n; i++) {
		struct feat_access *access;
		char *listing;

		r = feat_access_compile(layout, words[i], backend, NULL, &access);
		if (r == 0 && (r = feat_access_asm(access, &listing)) == 0) {
			printf("  %s: %s\n%s", words[i], feat_access_type(access)->c_type, listing);
			free(listing);
		}
		feat_access_free(access);
	}
	feat_layout_free(layout);
	return r;
}

int main(int argc, char **argv)
{
	const char *const *words = argc > 1 ? (const char *const *)argv + 1 : script;
	struct feat_ctx *ctx = feat_new(NULL);
	int r = 0;

	if (!ctx)
		return 1;
	while (r == 0 && *words) {
		size_t n = 0;

		while (words[n] && strcmp(words[n], "--") != 0)
			n++;
		r = probe_point(ctx, words, n);
		words += words[n] ? n + 1 : n;
	}
	feat_unref(ctx);
	if (r < 0)
		fprintf(stderr, "early-session: %s\n", strerror(-r));
	return r < 0;
}
