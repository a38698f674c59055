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

/* featprobe list [GLOB] [-j] */
int cmd_list(struct feat_ctx *ctx, const char *glob, bool json, bool pretty);
/* featprobe layout TRACEPOINT [--form classic|raw|both] [--format c|json] */
int cmd_layout(struct feat_ctx *ctx, const char *name, bool json, bool pretty);

/* featprobe export-formats DIR: a root tree for --root DIR. */
int cmd_export_formats(struct feat_ctx *ctx, const char *dir);

#endif
