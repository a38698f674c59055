// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The kernel matrix's helper inside the VM: answers only the kernel gives,
 * with no libfeat in between, for tests/kernels/layout.py and verdicts.py
 * to judge featprobe against.
 *
 * km-helper rawslots [HINTS]
 *	For every btf_trace_NAME typedef of the running kernel's BTF, the arg
 *	count the kernel itself proves: one line "NAME N ERRNO-NAME HOW".
 *	The count is checked at attach (bpf_probe_register():
 *	prog->aux->max_ctx_offset > btp->num_args * sizeof(u64) is EINVAL), so
 *	a reader of slot k attaches exactly when k < num_args: a reader of
 *	slot N-1 attaching and one of slot N failing with EINVAL prove N.
 *	HOW "pair": HINTS (lines "NAME N", from anyone: featprobe list) named
 *	N and those two attaches proved it; "walk": slots 0, 1, ... were
 *	attached until one failed (no hint, or the hint was not proved), N is
 *	how many attached, ERRNO-NAME the failure's errno ("-" when slot 11
 *	attached too: slot 12 is past the verifier's limit,
 *	raw_tp_prog_is_valid_access(), and is never loaded). A refused attach
 *	is cheap; one that attaches costs about 17 ms under TCG (the
 *	tracepoint's static key and static call are patched twice), hence the
 *	pairs. The last line: "total N typedefs, A attaches in S ms".
 *
 * km-helper copy-formats EVENTS DEST
 *	Copy EVENTS/SYS/NAME/format (a mounted tracefs's events directory)
 *	to DEST/SYS/NAME/format: the oracle's input, copied without featprobe
 *	and without a process per file (a busybox loop takes 20 s under TCG).
 *	tracefs reports size 0: read until the end.
 *
 * km-helper finit FILE
 *	finit_module(FILE, "", MODULE_INIT_COMPRESSED_FILE): the kernel
 *	decompresses the module itself (CONFIG_MODULE_DECOMPRESS,
 *	kernel/module/main.c: init_module_from_file()).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>

#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE 4 /* include/uapi/linux/module.h, since 5.17 */
#endif

#define SLOTS 12

static const char *errno_name(int e)
{
	switch (e) {
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case EBUSY: return "EBUSY";
	case E2BIG: return "E2BIG";
	case ENOMEM: return "ENOMEM";
	case EEXIST: return "EEXIST";
	default: return "E?";
	}
}

/* r0 = *(u64 *)(r1 + 8 * slot); r0 = 0; exit */
static int load_reader(unsigned int slot)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_LDX | BPF_MEM | BPF_DW, .dst_reg = BPF_REG_0, .src_reg = BPF_REG_1,
		  .off = (short)(8 * slot) },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	return bpf_prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, NULL, "GPL", insns, 3, NULL);
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* The hinted count of @name, or -1. */
static int hint_of(char **names, int *counts, size_t n, const char *name)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(names[mid], name);

		if (c == 0)
			return counts[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

struct hint {
	char *name;
	int count;
};

static int hint_cmp(const void *a, const void *b)
{
	return strcmp(((const struct hint *)a)->name, ((const struct hint *)b)->name);
}

/* Attach a reader of @slot to @name: 0 or the errno. */
static int try_slot(const int *readers, const char *name, int slot, unsigned long *attaches)
{
	int link = bpf_raw_tracepoint_open(name, readers[slot]);

	(*attaches)++;
	if (link < 0)
		return errno;
	close(link);
	return 0;
}

static int rawslots(const char *hints_path)
{
	struct hint *hints = NULL;
	char **hint_names = NULL;
	int *hint_counts = NULL;
	size_t n_hints = 0;
	int readers[SLOTS];
	unsigned long attaches = 0, typedefs = 0;
	struct btf *btf = btf__load_vmlinux_btf();
	double t0 = now_ms();

	if (!btf) {
		fprintf(stderr, "km-helper: vmlinux BTF: %s\n", strerror(errno));
		return 1;
	}
	if (hints_path) {
		FILE *f = fopen(hints_path, "r");
		char line[512], name[256];
		int count;

		if (!f) {
			fprintf(stderr, "km-helper: %s: %s\n", hints_path, strerror(errno));
			return 1;
		}
		while (fgets(line, sizeof(line), f)) {
			if (sscanf(line, "%255s %d", name, &count) != 2)
				continue;
			struct hint *more = realloc(hints, (n_hints + 1) * sizeof(*hints));

			if (!more || !(more[n_hints].name = strdup(name))) {
				fprintf(stderr, "km-helper: %s: out of memory\n", hints_path);
				return 1;
			}
			hints = more;
			hints[n_hints++].count = count;
		}
		fclose(f);
		qsort(hints, n_hints, sizeof(*hints), hint_cmp);
		hint_names = calloc(n_hints + 1, sizeof(*hint_names));
		hint_counts = calloc(n_hints + 1, sizeof(*hint_counts));
		if (!hint_names || !hint_counts)
			return 1;
		for (size_t i = 0; i < n_hints; i++) {
			hint_names[i] = hints[i].name;
			hint_counts[i] = hints[i].count;
		}
	}
	for (unsigned int s = 0; s < SLOTS; s++) {
		readers[s] = load_reader(s);
		if (readers[s] < 0) {
			fprintf(stderr, "km-helper: loading a reader of slot %u: %s\n", s, strerror(errno));
			return 1;
		}
	}
	for (__u32 id = 1; id < btf__type_cnt(btf); id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *name = btf__name_by_offset(btf, t->name_off);
		int s, err = 0, hint;

		if (!btf_is_typedef(t) || strncmp(name, "btf_trace_", 10) != 0)
			continue;
		typedefs++;
		name += 10;
		hint = hint_of(hint_names, hint_counts, n_hints, name);
		if (hint > 0 && hint < SLOTS && try_slot(readers, name, hint - 1, &attaches) == 0 &&
		    try_slot(readers, name, hint, &attaches) == EINVAL) {
			printf("%s %d EINVAL pair\n", name, hint);
			continue;
		}
		if (hint == 0 && try_slot(readers, name, 0, &attaches) == EINVAL) {
			printf("%s 0 EINVAL pair\n", name);
			continue;
		}
		for (s = 0; s < SLOTS; s++) {
			err = try_slot(readers, name, s, &attaches);
			if (err)
				break;
		}
		printf("%s %d %s walk\n", name, s, err ? errno_name(err) : "-");
	}
	printf("total %lu typedefs, %lu attaches in %.0f ms\n", typedefs, attaches, now_ms() - t0);
	for (unsigned int s = 0; s < SLOTS; s++)
		close(readers[s]);
	btf__free(btf);
	for (size_t i = 0; i < n_hints; i++)
		free(hints[i].name);
	free(hints);
	free(hint_names);
	free(hint_counts);
	return fflush(stdout) == 0 ? 0 : 1;
}

/* Copy @from to @to, reading until the end. */
static int copy_file(const char *from, const char *to)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC), out, r = 0;
	ssize_t n;

	if (in < 0)
		return -errno;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
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
	if (close(out) < 0 && !r)
		r = -errno;
	return r;
}

static int copy_formats(const char *events, const char *dest)
{
	unsigned int copied = 0, failed = 0;
	struct dirent *sd, *ed;
	char from[4096], to[4096];
	DIR *top = opendir(events), *sys;

	if (!top || (mkdir(dest, 0755) < 0 && errno != EEXIST)) {
		fprintf(stderr, "km-helper: %s: %s\n", top ? dest : events, strerror(errno));
		return 1;
	}
	while ((sd = readdir(top))) {
		if (sd->d_name[0] == '.' || sd->d_type != DT_DIR)
			continue;
		snprintf(from, sizeof(from), "%s/%s", events, sd->d_name);
		sys = opendir(from);
		if (!sys)
			continue;
		while ((ed = readdir(sys))) {
			int r;

			if (ed->d_name[0] == '.' || ed->d_type != DT_DIR)
				continue;
			snprintf(to, sizeof(to), "%s/%s", dest, sd->d_name);
			mkdir(to, 0755);
			snprintf(to, sizeof(to), "%s/%s/%s", dest, sd->d_name, ed->d_name);
			mkdir(to, 0755);
			snprintf(from, sizeof(from), "%s/%s/%s/format", events, sd->d_name, ed->d_name);
			snprintf(to, sizeof(to), "%s/%s/%s/format", dest, sd->d_name, ed->d_name);
			r = copy_file(from, to);
			if (r < 0) {
				fprintf(stderr, "km-helper: %s: %s\n", from, strerror(-r));
				failed++;
			} else {
				copied++;
			}
		}
		closedir(sys);
	}
	closedir(top);
	printf("copied %u format files, %u failed\n", copied, failed);
	return failed ? 1 : 0;
}

static int finit(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || syscall(SYS_finit_module, fd, "", MODULE_INIT_COMPRESSED_FILE) != 0) {
		fprintf(stderr, "km-helper: finit_module %s (MODULE_INIT_COMPRESSED_FILE): %s\n", path,
			strerror(errno));
		return 1;
	}
	close(fd);
	printf("finit_module %s: loaded\n", path);
	return 0;
}

int main(int argc, char **argv)
{
	if ((argc == 2 || argc == 3) && strcmp(argv[1], "rawslots") == 0)
		return rawslots(argc == 3 ? argv[2] : NULL);
	if (argc == 4 && strcmp(argv[1], "copy-formats") == 0)
		return copy_formats(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "finit") == 0)
		return finit(argv[2]);
	fprintf(stderr, "usage: km-helper rawslots [HINTS] | copy-formats EVENTS DEST | finit FILE\n");
	return 64;
}
