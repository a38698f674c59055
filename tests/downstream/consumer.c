// SPDX-License-Identifier: LGPL-2.1-or-later
/* A program outside the tree, built with pkg-config --cflags --libs libfeat
 * against an installed libfeat: it prints the backend the library chooses. */
#include <stdio.h>

#include <feat.h>

int main(void)
{
	struct feat_ctx *ctx = feat_new(NULL);
	struct feat_choice *c;

	if (!ctx || feat_backend_choose(ctx, NULL, &c) < 0)
		return 1;
	printf("%s\n", feat_backend_name(feat_choice_backend(c)));
	feat_choice_free(c);
	feat_unref(ctx);
	return 0;
}
