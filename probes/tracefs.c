// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * tracefs: where it is mounted (/proc/self/mounts: tracefs, or debugfs with
 * a tracing/ directory), and when it is mounted nowhere, a detached mount of
 * our own: fsopen("tracefs") + fsmount() gives a directory fd on a mount
 * that is attached to no path and vanishes with its last fd (5.2). On older
 * kernels a child process unshares its mount namespace, mounts there, sends
 * the directory fd back and exits: its namespace, and with it the mount,
 * dies when our fd is closed. Nothing is ever mounted in the caller's
 * namespace.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <sys/wait.h>
#include <unistd.h>

#include "probes.h"

/* Send or receive one fd over a unix socket (SCM_RIGHTS). */
static int send_fd(int sock, int fd)
{
	char c = 0, ctl[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &msg, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

static int recv_fd(int sock)
{
	char c, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *cm;
	ssize_t n;
	int fd;

	n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	if (n < 0)
		return -errno;
	cm = CMSG_FIRSTHDR(&msg);
	if (n != 1 || !cm || cm->cmsg_type != SCM_RIGHTS) {
		/* The child sent its errno as the byte instead. */
		return n == 1 && c ? -(int)(unsigned char)c : -EPROTO;
	}
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/* Before 5.2: mount in a child's private mount namespace. */
static int mount_in_child(const char *fstype)
{
	int sv[2], fd, status;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		int e = -errno;

		close(sv[0]);
		close(sv[1]);
		return e;
	}
	if (pid == 0) {
		/* Child: only async-signal-safe calls, then _exit. */
		unsigned char e = 0;
		int dfd = -1;

		close(sv[0]);
		if (unshare(CLONE_NEWNS) < 0 ||
		    mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount(fstype, "/tmp", fstype, MS_NOSUID | MS_NODEV | MS_NOEXEC,
			  NULL) < 0 ||
		    (dfd = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
			e = (unsigned char)errno;
		if (e)
			(void)!write(sv[1], &e, 1);
		else
			send_fd(sv[1], dfd);
		_exit(0);
	}
	close(sv[1]);
	fd = recv_fd(sv[0]);
	close(sv[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return fd;
}

int feat_mount_detached(const char *fstype)
{
	int fsfd, mfd, e;

	fsfd = fsopen(fstype, FSOPEN_CLOEXEC);
	if (fsfd < 0) {
		e = -errno;
		/* No new mount API (before 5.2): the namespace way. */
		return e == -ENOSYS ? mount_in_child(fstype) : e;
	}
	if (fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
		e = -errno;
		close(fsfd);
		return e;
	}
	mfd = fsmount(fsfd, FSMOUNT_CLOEXEC,
		      MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
	e = mfd < 0 ? -errno : mfd;
	close(fsfd);
	return e;
}

/*
 * Open the first mount of @type listed in /proc/self/mounts (plus @subdir)
 * that really is a filesystem with @magic: a listed mount can be covered by
 * another (systemd's InaccessiblePaths=, container masks), and what is
 * then found at its path is something else. Returns a directory fd and
 * its path, -ENOENT when no listed mount will do, or the most telling
 * error (EACCES) met on the way.
 */
int feat_open_mounted(struct feat_ctx *ctx, const char *type, const char *subdir,
		      long magic, char **path)
{
	char *mounts;
	int r, e = -ENOENT;

	*path = NULL;
	r = feat_read_file(ctx, "/proc/self/mounts", FEAT_FILE_MAX, &mounts, NULL);
	if (r < 0)
		return r;
	for (char *line = mounts, *next; line && *line; line = next) {
		char dev[256], dir[PATH_MAX], t[64], full[PATH_MAX + 64];
		struct statfs sfs;
		int fd;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		/* Mount points with spaces are octal-escaped: skip them. */
		if (sscanf(line, "%255s %4095s %63s", dev, dir, t) != 3 ||
		    strchr(dir, '\\') || strcmp(t, type) != 0)
			continue;
		snprintf(full, sizeof(full), "%s%s%s", dir, subdir ? "/" : "",
			 subdir ? subdir : "");
		fd = open(full, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			if (errno != ENOENT)
				e = -errno;
			continue;
		}
		if (fstatfs(fd, &sfs) < 0 || (long)sfs.f_type != magic) {
			dbg(ctx, "%s is listed as %s but is covered\n", full, type);
			close(fd);
			continue;
		}
		*path = strdup(full);
		free(mounts);
		if (!*path) {
			close(fd);
			return -ENOMEM;
		}
		return fd;
	}
	free(mounts);
	return e;
}

void feat_tracefs_load(struct feat_ctx *ctx)
{
	int fd;

	if (ctx->tracefs_done)
		return;
	ctx->tracefs_done = true;
	if (ctx->flags & FEAT_F_OFFLINE) {
		ctx->tracefs_err = ENODEV;
		return;
	}
	/* tracefs itself, or the tracing/ automount of debugfs (pre-4.1). */
	fd = feat_open_mounted(ctx, "tracefs", NULL, TRACEFS_MAGIC, &ctx->tracefs_path);
	if (fd == -ENOENT)
		fd = feat_open_mounted(ctx, "debugfs", "tracing", TRACEFS_MAGIC,
				       &ctx->tracefs_path);
	if (fd < 0) {
		int mounted_err = fd;

		/* Under lockdown=confidentiality tracefs is empty
		 * (LOCKDOWN_TRACEFS), and on 6.12 unmounting that empty
		 * tracefs oopses in tracefs_destroy_inode (seen booting
		 * Debian's 6.12.117 under qemu): do not mount it at all. */
		if (feat_lockdown_level(ctx) == FEAT_LOCKDOWN_CONFIDENTIALITY) {
			ctx->tracefs_err = EPERM;
			ctx->tracefs_lockdown = true;
			return;
		}
		fd = feat_mount_detached("tracefs");
		if (fd < 0) {
			/* A mount we may not open says more than EPERM. */
			ctx->tracefs_err = mounted_err != -ENOENT ? -mounted_err : -fd;
			return;
		}
		ctx->tracefs_detached = true;
	}
	ctx->tracefs_fd = fd;
}

FEAT_API const char *feat_tracefs_path(struct feat_ctx *ctx)
{
	feat_tracefs_load(ctx);
	return ctx->tracefs_path;
}

FEAT_API int feat_tracefs_open(struct feat_ctx *ctx)
{
	int fd;

	feat_tracefs_load(ctx);
	if (ctx->tracefs_fd < 0)
		return -ctx->tracefs_err;
	fd = fcntl(ctx->tracefs_fd, F_DUPFD_CLOEXEC, 3);
	return fd < 0 ? -errno : fd;
}

int feat_tracefs_event_id(struct feat_ctx *ctx, const char *system,
			  const char *event, long *id)
{
	char path[PATH_MAX], buf[32], *end;
	ssize_t n;
	int fd;

	feat_tracefs_load(ctx);
	if (ctx->tracefs_fd < 0)
		return -ctx->tracefs_err;
	snprintf(path, sizeof(path), "events/%s/%s/id", system, event);
	fd = openat(ctx->tracefs_fd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -ENODATA;
	buf[n] = '\0';
	*id = strtol(buf, &end, 10);
	return end == buf ? -EBADMSG : 0;
}

void probe_tracefs(struct feat_ctx *ctx, struct feat_result_buf *r)
{
	feat_tracefs_load(ctx);
	if (ctx->flags & FEAT_F_OFFLINE) {
		enum feat_state k = feat_kconfig_state(ctx, "CONFIG_TRACING");

		feat_result_offline(r);
		feat_result_append(r, "; CONFIG_TRACING %s",
				   k == FEAT_YES ? "is set" : k == FEAT_NO ? "is not set" : "unknown");
		feat_result_kernel(r, k, true);
		return;
	}
	if (ctx->tracefs_lockdown) {
		feat_result_set(r, FEAT_UNKNOWN, EPERM,
				"not mounted, and lockdown=confidentiality closes tracefs: not mounted privately");
		feat_result_source(r, "securityfs lockdown");
		feat_result_kernel(r, feat_kconfig_state(ctx, "CONFIG_TRACING"), true);
		return;
	}
	if (ctx->tracefs_fd < 0) {
		enum feat_state k = feat_kconfig_state(ctx, "CONFIG_TRACING");
		int e = ctx->tracefs_err;

		/* ENODEV from fsopen: the kernel has no tracefs at all. */
		if (e == ENODEV) {
			feat_result_set(r, FEAT_NO, e, "the kernel has no tracefs (fsopen: ENODEV)");
			feat_result_kernel(r, FEAT_NO, false);
		} else {
			feat_result_set(r, FEAT_UNKNOWN, e,
					"no usable tracefs mount, and a private mount failed: %s",
					strerror(e));
			feat_result_kernel(r, k, true);
		}
		feat_result_source(r, "%s", ctx->tracefs_path ? ctx->tracefs_path : "fsopen(\"tracefs\")");
		return;
	}
	if (faccessat(ctx->tracefs_fd, "events", R_OK | X_OK, 0) < 0) {
		int e = errno;

		if (feat_lockdown_level(ctx) == FEAT_LOCKDOWN_CONFIDENTIALITY) {
			feat_result_set(r, FEAT_UNKNOWN, EPERM,
					"%s is empty: lockdown=confidentiality closes tracefs",
					ctx->tracefs_path ? ctx->tracefs_path : "tracefs");
			feat_result_source(r, "%s", ctx->tracefs_path ? ctx->tracefs_path : "fsopen(\"tracefs\")");
			feat_result_kernel(r, FEAT_YES, false);
			return;
		}
		feat_result_set(r, FEAT_UNKNOWN, e, "%s: events/ is not readable: %s",
				ctx->tracefs_path ? ctx->tracefs_path : "detached tracefs",
				strerror(e));
		feat_result_source(r, "%s", ctx->tracefs_path ? ctx->tracefs_path : "fsopen(\"tracefs\")");
		feat_result_kernel(r, FEAT_YES, false);
		return;
	}
	if (ctx->tracefs_path) {
		feat_result_set(r, FEAT_YES, 0, "mounted at %s", ctx->tracefs_path);
		feat_result_source(r, "/proc/self/mounts");
	} else {
		feat_result_set(r, FEAT_YES, 0,
				"not mounted; read through a private detached mount that vanishes when closed");
		feat_result_source(r, "fsopen(\"tracefs\")");
	}
	feat_result_kernel(r, FEAT_YES, false);
}
