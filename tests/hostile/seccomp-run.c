// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * seccomp-run: run a command with some system calls answered by a seccomp
 * filter instead of the kernel, as a sandbox (container runtime, systemd's
 * SystemCallFilter=) would.
 *
 *   seccomp-run [-d SYSCALL=ERRNO]... [--] COMMAND [ARGS...]
 *
 * SYSCALL is one of the names below, ERRNO a name (ENOSYS, EPERM, EACCES).
 * The filter is installed with PR_SET_NO_NEW_PRIVS (so no privilege is
 * needed) and is inherited by COMMAND across execve.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_RULES 16

struct rule {
	int nr;
	int err;
};

static const struct {
	const char *name;
	int nr;
} syscalls[] = {
	{ "bpf", __NR_bpf },
	{ "perf_event_open", __NR_perf_event_open },
	{ "fsopen", __NR_fsopen },
	{ "fsconfig", __NR_fsconfig },
	{ "fsmount", __NR_fsmount },
	{ "open_tree", __NR_open_tree },
	{ "mount", __NR_mount },
	{ "unshare", __NR_unshare },
};

static const struct {
	const char *name;
	int err;
} errnos[] = {
	{ "ENOSYS", ENOSYS }, { "EPERM", EPERM }, { "EACCES", EACCES },
	{ "EINVAL", EINVAL }, { "ENOENT", ENOENT },
};

static int parse_rule(const char *arg, struct rule *r)
{
	const char *eq = strchr(arg, '=');
	size_t len;

	if (!eq)
		return -EINVAL;
	len = (size_t)(eq - arg);
	r->nr = -1;
	r->err = -1;
	for (size_t i = 0; i < sizeof(syscalls) / sizeof(syscalls[0]); i++)
		if (strlen(syscalls[i].name) == len &&
		    strncmp(syscalls[i].name, arg, len) == 0)
			r->nr = syscalls[i].nr;
	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (strcmp(errnos[i].name, eq + 1) == 0)
			r->err = errnos[i].err;
	return r->nr < 0 || r->err < 0 ? -EINVAL : 0;
}

/*
 * The program: kill a call from another architecture (its numbers mean
 * other calls), answer each listed call with its errno, allow the rest.
 */
static int install(const struct rule *rules, size_t n)
{
	struct sock_filter f[4 + 2 * MAX_RULES + 1];
	struct sock_fprog prog = { .filter = f };
	size_t i = 0;

	f[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, arch));
	f[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
					      AUDIT_ARCH_X86_64, 1, 0);
	f[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	f[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, nr));
	for (size_t k = 0; k < n; k++) {
		f[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						      (unsigned int)rules[k].nr, 0, 1);
		f[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
						      SECCOMP_RET_ERRNO |
						      ((unsigned int)rules[k].err & SECCOMP_RET_DATA));
	}
	f[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	prog.len = (unsigned short)i;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
		return -errno;
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: seccomp-run [-d SYSCALL=ERRNO]... [--] COMMAND [ARGS...]\n");
	exit(64);
}

int main(int argc, char **argv)
{
	struct rule rules[MAX_RULES];
	size_t n = 0;
	int i, e;

#ifndef __x86_64__
	fprintf(stderr, "seccomp-run: only x86-64 is supported\n");
	return 77;
#endif
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "-d") != 0)
			break;
		if (++i >= argc || n == MAX_RULES)
			usage();
		if (parse_rule(argv[i], &rules[n]) < 0) {
			fprintf(stderr, "seccomp-run: bad rule '%s'\n", argv[i]);
			usage();
		}
		n++;
	}
	if (i >= argc)
		usage();
	e = install(rules, n);
	if (e < 0) {
		fprintf(stderr, "seccomp-run: installing the filter: %s\n", strerror(-e));
		return 126;
	}
	execvp(argv[i], argv + i);
	fprintf(stderr, "seccomp-run: %s: %s\n", argv[i], strerror(errno));
	return 127;
}
