// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * bpf-shim.so: LD_PRELOAD this to make bpf() answer as an older kernel
 * would. libfeat calls syscall(__NR_bpf, ...) itself, and libbpf's
 * bpf_raw_tracepoint_open() goes through glibc's syscall() too, so wrapping
 * syscall() catches both.
 *
 * $BPF_SHIM_KERNEL selects the kernel:
 *  "4.16": no BPF_PROG_TYPE_RAW_TRACEPOINT, no BPF_RAW_TRACEPOINT_OPEN
 *	(both came in 4.17, kernel commit "bpf: introduce BPF_RAW_TRACEPOINT");
 *  "5.4": no BPF_PROG_TYPE_TRACING (5.5, kernel commit "bpf: Replace
 *	prog_raw_tp+btf_id with prog_tracing").
 * Anything the simulated kernel knows goes to the real one.
 *
 * The answers follow kernel/bpf/syscall.c of those releases: an attr larger
 * than the kernel's union bpf_attr with non-zero bytes past it is E2BIG
 * (bpf_check_uarg_tail_zero), an unknown command is EINVAL, an unknown
 * program type is EINVAL (find_prog_type).
 *
 * $BPF_SHIM_LOG, when set, names a file that gets one line per answer the
 * shim made up, so that a test can tell the shim was in the path.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

typedef long (*syscall_fn)(long number, ...);

struct old_kernel {
	const char *name;
	unsigned int max_cmd;	    /* last enum bpf_cmd value it knows */
	unsigned int max_prog_type; /* last enum bpf_prog_type value */
	size_t attr_size;	    /* its sizeof(union bpf_attr) */
};

static const struct old_kernel kernels[] = {
	/* 4.16: BPF_PROG_QUERY, BPF_PROG_TYPE_SK_MSG; the PROG_LOAD part of
	 * the attr ends at prog_ifindex (68 bytes, 72 with padding). */
	{ "4.16", BPF_PROG_QUERY, BPF_PROG_TYPE_SK_MSG, 72 },
	/* 5.4: BPF_BTF_GET_NEXT_ID, BPF_PROG_TYPE_CGROUP_SOCKOPT; PROG_LOAD
	 * ends at line_info_cnt (108 bytes, 112 with padding). */
	{ "5.4", BPF_BTF_GET_NEXT_ID, BPF_PROG_TYPE_CGROUP_SOCKOPT, 112 },
};

static void shim_log(const char *format, ...)
{
	const char *path = getenv("BPF_SHIM_LOG");
	char line[256];
	va_list args;
	int fd, n;

	if (!path || !*path)
		return;
	va_start(args, format);
	n = vsnprintf(line, sizeof(line), format, args);
	va_end(args);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	(void)!write(fd, line, (size_t)n);
	close(fd);
}

static const struct old_kernel *shim_kernel(void)
{
	const char *want = getenv("BPF_SHIM_KERNEL");

	if (!want)
		return NULL;
	for (size_t i = 0; i < sizeof(kernels) / sizeof(kernels[0]); i++)
		if (strcmp(kernels[i].name, want) == 0)
			return &kernels[i];
	return NULL;
}

/* 0 to pass the call on, else the positive errno the old kernel gives. */
static int old_kernel_answer(const struct old_kernel *k, unsigned long cmd,
			     const void *attr, unsigned long size)
{
	const unsigned char *bytes = attr;

	if (cmd > k->max_cmd)
		return EINVAL;
	if (attr && size > k->attr_size) {
		for (unsigned long i = k->attr_size; i < size; i++)
			if (bytes[i])
				return E2BIG;
	}
	if (cmd == BPF_PROG_LOAD && attr && size >= sizeof(__u32)) {
		__u32 prog_type;

		memcpy(&prog_type, attr, sizeof(prog_type));
		if (prog_type > k->max_prog_type)
			return EINVAL;
	}
	return 0;
}

__attribute__((visibility("default"))) long syscall(long number, ...)
{
	static syscall_fn real;
	const struct old_kernel *k;
	long a[6];
	va_list args;

	va_start(args, number);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(args, long);
	va_end(args);
	if (!real) {
		real = (syscall_fn)dlsym(RTLD_NEXT, "syscall");
		if (!real) {
			errno = ENOSYS;
			return -1;
		}
	}
	if (number == __NR_bpf && (k = shim_kernel())) {
		int e = old_kernel_answer(k, (unsigned long)a[0],
					  (const void *)a[1], (unsigned long)a[2]);

		if (e) {
			__u32 prog_type = 0;

			if (a[0] == BPF_PROG_LOAD && a[1])
				memcpy(&prog_type, (const void *)a[1], sizeof(prog_type));
			shim_log("bpf cmd %ld prog_type %u size %ld: %s as %s\n", a[0],
				 prog_type, a[2], e == E2BIG ? "E2BIG" : "EINVAL",
				 k->name);
			errno = e;
			return -1;
		}
	}
	return real(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}
