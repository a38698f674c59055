// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * feat_kversion_parse(): the input, as a C string, read in each source's
 * form. A parsed version must be one the parser promises (two or three
 * numbers, none above 65535).
 */
#include "fuzz-util.h"

static const char *const sources[] = {
	"version_signature", "uname -v", "uname -r", "release", "proc/version",
	"bogus",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_strndup(data, size);

	for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]); i++) {
		unsigned int major = 0, minor = 0, patch = 0;
		int r = feat_kversion_parse(sources[i], text, &major, &minor, &patch);

		if (r >= 0 && (major > 65535 || minor > 65535 || patch > 65535))
			abort();
		/* 1: only MAJOR.MINOR is known (an ABI release), patch 0. */
		if (r == 1 && patch != 0)
			abort();
		if (r != 0 && r != 1 && r != -EINVAL)
			abort();
		/* The output pointers are optional. */
		if (feat_kversion_parse(sources[i], text, NULL, NULL, NULL) != r)
			abort();
	}
	free(text);
	return 0;
}
