// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A plain driver for the harnesses: built with the project's compiler (and
 * its sanitizers under --enable-sanitizers), it runs LLVMFuzzerTestOneInput
 * once on each file named, so that the regression inputs are replayed by
 * make check without clang's libFuzzer runtime.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

int main(int argc, char **argv)
{
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		struct stat st;
		uint8_t *buf;
		size_t len = 0;
		int fd;

		fd = open(argv[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st) < 0) {
			perror(argv[i]);
			return 2;
		}
		buf = malloc((size_t)st.st_size + 1);
		if (!buf)
			return 2;
		while (len < (size_t)st.st_size) {
			ssize_t n = read(fd, buf + len, (size_t)st.st_size - len);

			if (n <= 0)
				break;
			len += (size_t)n;
		}
		close(fd);
		fprintf(stderr, "replay %s (%zu bytes)\n", argv[i], len);
		LLVMFuzzerTestOneInput(buf, len);
		free(buf);
	}
	return 0;
}
