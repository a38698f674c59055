// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Classic tracepoints: a BPF_PROG_TYPE_TRACEPOINT program loads, and the
 * event id of sched:sched_switch can be read from tracefs. The real attach
 * (perf_event_open(PERF_TYPE_TRACEPOINT) + PERF_EVENT_IOC_SET_BPF) runs only
 * with FEAT_F_THOROUGH: closing that perf event waits for the kernel to
 * unregister the tracepoint (tracepoint_synchronize_unregister), tens of
 * milliseconds, more than the whole default report.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "probes.h"

static const char *const tracepoint_configs[] = {
	"CONFIG_BPF_EVENTS", "CONFIG_TRACEPOINTS", NULL,
};
static const struct feat_static_spec tracepoint_spec = {
	tracepoint_configs, "BPF_PROG_TYPE_TRACEPOINT", NULL, 4, 7,
};

static const char *const events[][2] = {
	{ "sched", "sched_switch" },
	{ "raw_syscalls", "sys_enter" },
	{ "sched", "sched_process_exit" },
};

static int attach(int prog_fd, long id)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_TRACEPOINT,
		.size = sizeof(attr),
		.config = (unsigned long long)id,
		.sample_period = 1,
		.wakeup_events = 1,
	};
	int pfd, e = 0;

	/* One event on CPU 0 serves every CPU: the program hangs off the
	 * tracepoint's trace_event_call (perf_event_set_bpf_prog). */
	pfd = (int)syscall(__NR_perf_event_open, &attr, -1, 0, -1,
			   PERF_FLAG_FD_CLOEXEC);
	if (pfd < 0)
		return -errno;
	if (ioctl(pfd, PERF_EVENT_IOC_SET_BPF, prog_fd) < 0)
		e = -errno;
	close(pfd);
	return e;
}

void probe_tracepoint(struct feat_ctx *ctx, struct feat_result_buf *r)
{
	const struct feat_result *bpf, *tracefs;
	const char *sys = NULL, *event = NULL;
	char log[256];
	long id = 0;
	int fd, e = -ENOENT;

	if (ctx->flags & FEAT_F_OFFLINE) {
		feat_result_offline(r);
		feat_static_bpf(ctx, r, &tracepoint_spec);
		return;
	}
	feat_result_source(r, "bpf(BPF_PROG_LOAD, TRACEPOINT) + tracefs events/%s",
			   "sched/sched_switch/id");
	bpf = feat_probe(ctx, FEAT_BPF);
	if (bpf->state == FEAT_NO) {
		feat_result_set(r, FEAT_NO, bpf->err, "no bpf() system call");
		feat_result_kernel(r, FEAT_NO, false);
		return;
	}
	fd = feat_bpf_load_trivial(ctx, BPF_PROG_TYPE_TRACEPOINT, 0, 0, log,
				   sizeof(log));
	if (fd < 0) {
		feat_result_load_refused(ctx, r, &tracepoint_spec, -fd, log, "load");
		return;
	}
	feat_result_kernel(r, FEAT_YES, false);
	tracefs = feat_probe(ctx, FEAT_TRACEFS);
	for (size_t i = 0; i < ARRAY_SIZE(events) && tracefs->state == FEAT_YES; i++) {
		e = feat_tracefs_event_id(ctx, events[i][0], events[i][1], &id);
		if (e == 0) {
			sys = events[i][0];
			event = events[i][1];
			break;
		}
		if (e != -ENOENT)
			break;
	}
	if (tracefs->state != FEAT_YES) {
		close(fd);
		feat_result_set(r, FEAT_UNKNOWN, tracefs->err,
				"loaded, but no event id without tracefs: %s",
				tracefs->detail);
		return;
	}
	if (e < 0) {
		close(fd);
		feat_result_set(r, FEAT_UNKNOWN, -e, "loaded, but no event id: %s",
				strerror(-e));
		return;
	}
	if (!(ctx->flags & FEAT_F_THOROUGH)) {
		close(fd);
		feat_result_set(r, FEAT_YES, 0,
				"loaded, and %s:%s has event id %ld; attach not exercised (thorough mode does)",
				sys, event, id);
		return;
	}
	e = attach(fd, id);
	close(fd);
	if (e < 0) {
		feat_result_set(r, FEAT_UNKNOWN, -e,
				"loaded, but attaching to %s:%s (id %ld) failed: %s",
				sys, event, id, strerror(-e));
		return;
	}
	feat_result_set(r, FEAT_YES, 0,
			"loaded and attached to %s:%s (id %ld) with perf_event_open + PERF_EVENT_IOC_SET_BPF",
			sys, event, id);
}
