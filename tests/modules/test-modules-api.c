// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The library's side of module tracepoints, on the roots test-modules.sh
 * prepares (it runs this with them): feat_catalog_find() by MODULE/NAME,
 * feat_layout_raw_btf_id() (vmlinux only) against
 * feat_layout_raw_btf_obj_id() (the ids bpftool gives, from the stored
 * oracle), feat_catalog_new_flags() flags, and the backend choice for a
 * module that is not loaded.
 *
 * Usage: test-modules-api LOADED_ROOT FILES_ROOT
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feat.h"

static int failed;

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			printf("FAIL: %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			printf(__VA_ARGS__);                                   \
			printf("\n");                                          \
			failed = 1;                                            \
		}                                                              \
	} while (0)

static struct feat_ctx *root_ctx(const char *root)
{
	struct feat_opts o = { .sz = sizeof(o), .root = root };
	struct feat_ctx *ctx = feat_new(&o);

	if (!ctx) {
		printf("FAIL: feat_new(%s): %s\n", root, strerror(errno));
		exit(1);
	}
	return ctx;
}

static void loaded(const char *root)
{
	struct feat_ctx *ctx = root_ctx(root);
	const struct feat_tracepoint *tp;
	struct feat_catalog *cat;
	struct feat_layout *l;
	const char *object = "x";
	int r;

	CHECK(feat_catalog_new_flags(ctx, 1u << 7, &cat) == -EINVAL, "unknown flag taken");
	r = feat_catalog_new(ctx, &cat);
	CHECK(r == 0, "feat_catalog_new: %s", strerror(-r));
	if (r < 0)
		goto out;
	/* A loaded module's event: by SYS:NAME, NAME and MODULE/NAME. */
	r = feat_catalog_find(cat, "kyber_iosched/kyber_latency", &tp);
	CHECK(r == 0 && tp->system && strcmp(tp->system, "kyber") == 0, "MODULE/NAME: %d", r);
	r = feat_catalog_find(cat, "kyber:kyber_latency", &tp);
	CHECK(r == 0 && tp->module && strcmp(tp->module, "kyber_iosched") == 0 && tp->module_loaded &&
		      strcmp(tp->btf_object, "kyber_iosched") == 0 && tp->n_args == 7,
	      "kyber:kyber_latency: %d", r);
	r = feat_catalog_find(cat, "sched:sched_switch", &tp);
	CHECK(r == 0 && !tp->module && strcmp(tp->btf_object, "vmlinux") == 0, "sched_switch: %d", r);
	CHECK(feat_catalog_find(cat, "watchdog/nosuch", &tp) == -ENOENT, "watchdog/nosuch found");
	feat_catalog_free(cat);

	/* tp_btf ids: vmlinux's through both calls, a module's only through
	 * the object one (bpftool: [95079] TYPEDEF 'btf_trace_kyber_latency'). */
	r = feat_layout_resolve(ctx, "kyber:kyber_latency", FEAT_FORM_RAW, &l);
	CHECK(r == 0, "layout kyber:kyber_latency: %s", strerror(-r));
	if (r == 0) {
		CHECK(feat_layout_raw_btf_id(l) == 0, "vmlinux-relative id %u for a module's typedef",
		      feat_layout_raw_btf_id(l));
		CHECK(feat_layout_raw_btf_obj_id(l, &object) == 95079 && object &&
			      strcmp(object, "kyber_iosched") == 0,
		      "obj id %u in %s", feat_layout_raw_btf_obj_id(l, &object), object);
		feat_layout_free(l);
	}
	r = feat_layout_resolve(ctx, "sched:sched_switch", FEAT_FORM_RAW, &l);
	CHECK(r == 0, "layout sched:sched_switch: %s", strerror(-r));
	if (r == 0) {
		uint32_t id = feat_layout_raw_btf_id(l);

		CHECK(id > 0 && feat_layout_raw_btf_obj_id(l, &object) == id && object &&
			      strcmp(object, "vmlinux") == 0,
		      "sched_switch: %u vs %u in %s", id, feat_layout_raw_btf_obj_id(l, &object), object);
		feat_layout_free(l);
	}
out:
	feat_unref(ctx);
}

static void files(const char *root)
{
	struct feat_ctx *ctx = root_ctx(root);
	struct feat_policy p = { .sz = sizeof(p), .tracepoint = "nbd/nbd_send_request" };
	const struct feat_tracepoint *tp;
	enum feat_backend b;
	struct feat_catalog *cat;
	struct feat_choice *choice;
	bool said = false;
	int r;

	r = feat_catalog_new(ctx, &cat);
	CHECK(r == 0, "feat_catalog_new: %s", strerror(-r));
	if (r == 0) {
		CHECK(feat_catalog_find(cat, "nbd/nbd_send_request", &tp) == -ENOENT,
		      "a module not loaded listed without FEAT_CATALOG_MODULE_FILES");
		feat_catalog_free(cat);
	}
	r = feat_catalog_new_flags(ctx, FEAT_CATALOG_MODULE_FILES, &cat);
	CHECK(r == 0, "feat_catalog_new_flags: %s", strerror(-r));
	if (r < 0)
		goto out;
	r = feat_catalog_find(cat, "nbd/nbd_send_request", &tp);
	CHECK(r == 0 && !tp->system && tp->module && strcmp(tp->module, "nbd") == 0 &&
		      !tp->module_loaded && tp->raw && tp->n_args == 3 && tp->classic,
	      "nbd/nbd_send_request: %d", r);
	/* Not loaded: nothing attaches to it now. */
	p.catalog = cat;
	r = feat_backend_choose(ctx, &p, &choice);
	CHECK(r == 0, "feat_backend_choose: %s", strerror(-r));
	if (r == 0) {
		CHECK(feat_choice_backend(choice) == FEAT_BACKEND_NONE, "chose %s",
		      feat_backend_name(feat_choice_backend(choice)));
		for (size_t i = 0; i < feat_choice_reason_count(choice); i++)
			if (strstr(feat_choice_reason(choice, i, &b), "which is not loaded"))
				said = true;
		CHECK(said, "no reason says the module is not loaded");
		feat_choice_free(choice);
	}
	feat_catalog_free(cat);
out:
	feat_unref(ctx);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s LOADED_ROOT FILES_ROOT\n", argv[0]);
		return 2;
	}
	loaded(argv[1]);
	files(argv[2]);
	if (!failed)
		printf("ok: the library's module API (catalog lookups, BTF object ids, flags, backend choice)\n");
	return failed;
}
