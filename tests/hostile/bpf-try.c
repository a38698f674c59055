// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * bpf-try: the ground truth the hostile tests hold featprobe's verdicts
 * against. In the same environment as featprobe, it does what a tracing
 * session would do with each backend, without libfeat, and prints one line
 * per backend: "NAME ok" or "NAME ERRNONAME where".
 *
 *   bpf     load a socket filter (r0 = 0; exit)
 *   raw_tp  load RAW_TRACEPOINT, BPF_RAW_TRACEPOINT_OPEN("sched_switch")
 *   tp_btf  find btf_trace_sched_switch with libbpf, load TRACING with
 *           BPF_TRACE_RAW_TP, BPF_RAW_TRACEPOINT_OPEN(NULL)
 *   tracepoint  load TRACEPOINT, read sched/sched_switch/id from tracefs
 *           (where /proc/self/mounts has it, else a detached fsopen mount),
 *           perf_event_open +
 *           PERF_EVENT_IOC_SET_BPF: the real attach
 *
 * bpf() goes through glibc's syscall(), as in libfeat, so bpf-shim.so
 * applies here too.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/perf_event.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	return (int)syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static int load(int prog_type, int attach_type, unsigned int btf_id)
{
	static const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = (unsigned int)prog_type;
	attr.insns = (unsigned long)insns;
	attr.insn_cnt = 2;
	attr.license = (unsigned long)"GPL";
	attr.expected_attach_type = (unsigned int)attach_type;
	attr.attach_btf_id = btf_id;
	fd = sys_bpf(BPF_PROG_LOAD, &attr);
	return fd < 0 ? -errno : fd;
}

static int raw_tp_open(const char *name, int prog_fd)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.raw_tracepoint.name = (unsigned long)name;
	attr.raw_tracepoint.prog_fd = (unsigned int)prog_fd;
	fd = sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &attr);
	return fd < 0 ? -errno : fd;
}

static void report(const char *name, int err, const char *where)
{
	if (err >= 0)
		printf("%s ok\n", name);
	else
		printf("%s %s %s\n", name, strerrorname_np(-err), where);
}

static void try_bpf(void)
{
	int fd = load(BPF_PROG_TYPE_SOCKET_FILTER, 0, 0);

	report("bpf", fd, "load");
	if (fd >= 0)
		close(fd);
}

static void try_raw_tp(void)
{
	int fd = load(BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 0), lfd;

	if (fd < 0) {
		report("raw_tp", fd, "load");
		return;
	}
	lfd = raw_tp_open("sched_switch", fd);
	report("raw_tp", lfd, "attach");
	if (lfd >= 0)
		close(lfd);
	close(fd);
}

static void try_tp_btf(void)
{
	struct btf *btf;
	int id, fd, lfd;

	libbpf_set_print(NULL);
	btf = btf__load_vmlinux_btf();
	if (!btf) {
		report("tp_btf", -errno, "btf");
		return;
	}
	id = btf__find_by_name_kind(btf, "btf_trace_sched_switch", BTF_KIND_TYPEDEF);
	btf__free(btf);
	if (id < 0) {
		report("tp_btf", id, "btf");
		return;
	}
	fd = load(BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP, (unsigned int)id);
	if (fd < 0) {
		report("tp_btf", fd, "load");
		return;
	}
	lfd = raw_tp_open(NULL, fd);
	report("tp_btf", lfd, "attach");
	if (lfd >= 0)
		close(lfd);
	close(fd);
}

/* A directory fd on a tracefs mounted in our namespace, or -1. */
static int tracefs_mounted(void)
{
	char line[4096], dir[4096], type[64];
	FILE *f = fopen("/proc/self/mounts", "re");
	int dfd = -1;

	if (!f)
		return -1;
	while (dfd < 0 && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %4095s %63s", dir, type) != 2)
			continue;
		if (strcmp(type, "debugfs") == 0)
			strncat(dir, "/tracing", sizeof(dir) - strlen(dir) - 1);
		else if (strcmp(type, "tracefs") != 0)
			continue;
		dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	fclose(f);
	return dfd;
}

static long read_id(int dfd)
{
	char buf[32];
	ssize_t n;
	int fd;

	fd = openat(dfd, "events/sched/sched_switch/id", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

/* No fsopen (before 5.2): mount tracefs in a namespace of our own, which
 * dies with this process. The tracepoint try is the last one. */
static long tracefs_in_own_namespace(void)
{
	long id;
	int dfd;

	if (unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("tracefs", "/tmp", "tracefs", 0, NULL) < 0)
		return -errno;
	dfd = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	id = read_id(dfd);
	close(dfd);
	return id;
}

/* The event id of sched:sched_switch, or -errno. */
static long sched_switch_id(void)
{
	int dfd, fsfd;
	long n;

	dfd = tracefs_mounted();
	if (dfd < 0) {
		fsfd = fsopen("tracefs", FSOPEN_CLOEXEC);
		if (fsfd < 0 && errno == ENOSYS)
			return tracefs_in_own_namespace();
		if (fsfd < 0)
			return -errno;
		if (fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
			dfd = fsmount(fsfd, FSMOUNT_CLOEXEC, 0);
		n = dfd < 0 ? -errno : 0;
		close(fsfd);
		if (dfd < 0)
			return n;
	}
	n = read_id(dfd);
	close(dfd);
	return n;
}

static void try_tracepoint(void)
{
	struct perf_event_attr pa = {
		.type = PERF_TYPE_TRACEPOINT,
		.size = sizeof(pa),
		.sample_period = 1,
	};
	int fd, pfd, e = 0;
	long id;

	fd = load(BPF_PROG_TYPE_TRACEPOINT, 0, 0);
	if (fd < 0) {
		report("tracepoint", fd, "load");
		return;
	}
	id = sched_switch_id();
	if (id < 0) {
		close(fd);
		report("tracepoint", (int)id, "tracefs");
		return;
	}
	pa.config = (unsigned long long)id;
	pfd = (int)syscall(__NR_perf_event_open, &pa, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (pfd < 0) {
		e = -errno;
		close(fd);
		report("tracepoint", e, "perf_event_open");
		return;
	}
	if (ioctl(pfd, PERF_EVENT_IOC_SET_BPF, fd) < 0)
		e = -errno;
	close(pfd);
	close(fd);
	report("tracepoint", e, "set_bpf");
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} tries[] = {
		{ "bpf", try_bpf },
		{ "raw_tp", try_raw_tp },
		{ "tp_btf", try_tp_btf },
		{ "tracepoint", try_tracepoint },
	};

	for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
		bool want = argc < 2;

		for (int j = 1; j < argc; j++)
			want |= strcmp(argv[j], tries[i].name) == 0;
		if (want)
			tries[i].fn();
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
