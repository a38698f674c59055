/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* featprobe subcommands that live outside featprobe.c. */
#ifndef FEATPROBE_CMDS_H
#define FEATPROBE_CMDS_H

#include <stdbool.h>

#include "feat.h"

/*
 * Take the options only 'layout' knows (--form, --format) out of argv
 * before featprobe's getopt sees them; returns the new argc, or -1 after
 * printing a usage error.
 */
int featprobe_layout_options(int argc, char **argv);

/* The library's JSON text on stdout, plain or indented (--pretty); 0 or 3. */
int print_json_text(const char *text, bool pretty);

/* featprobe list [GLOB] [-j] */
int cmd_list(struct feat_ctx *ctx, const char *glob, bool json, bool pretty);
/* featprobe layout TRACEPOINT [--form classic|raw|both] [--format c|json] */
int cmd_layout(struct feat_ctx *ctx, const char *name, bool json, bool pretty);

/* featprobe export-formats DIR: a root tree for --root DIR. */
int cmd_export_formats(struct feat_ctx *ctx, const char *dir);

/*
 * Take the options only 'access' and 'trace' know (--backend, --format,
 * -c/--command, --count, --timeout) out of argv; returns the new argc, or
 * -1 after printing a usage error. featprobe calls it instead of
 * featprobe_layout_options() when the command is access or trace.
 */
int featprobe_trace_options(int argc, char **argv);
/* featprobe access TRACEPOINT EXPR [--backend B] [--format asm|json] */
int cmd_access(struct feat_ctx *ctx, const char *name, const char *expr, bool json, bool pretty);
/* featprobe trace TRACEPOINT EXPR... [--backend B] [-c CMD] [--count N] [--timeout S] [-j] */
int cmd_trace(struct feat_ctx *ctx, const char *name, char **exprs, int n_exprs, bool json);

#endif
