#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# featprobe behind seccomp filters (seccomp-run). bpf() answered with
# ENOSYS looks like a kernel built without CONFIG_BPF_SYSCALL; the library
# must see the filter ("Seccomp: 2" in /proc/self/status), the config and
# the kernel.unprivileged_bpf_disabled sysctl, and answer unknown, never
# no. fsopen() denied takes the detached tracefs and securityfs mounts away
# (mounted copies are hidden in a private namespace first); fsopen()
# answering ENOSYS is a kernel before 5.2, where the library falls back to
# a child in its own mount namespace.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/hostile/lib.sh"
hostile_init test-seccomp
need_tool unshare
if [ ! -x "$SECCOMP_RUN" ]; then
	echo "SKIP: no $SECCOMP_RUN (make check builds it)"
	exit 77
fi
TRY=1

kernel_never_no="bpf.kernel!=no raw_tp.kernel!=no tp_btf.kernel!=no tracepoint.kernel!=no
	tracefs.kernel!=no"
bpf_unknown="bpf.state=unknown raw_tp.state=unknown tp_btf.state=unknown
	tracepoint.state=unknown backend=none btf.state=yes"

filtered=$($SECCOMP_RUN -d bpf=ENOSYS -- grep ^Seccomp: /proc/self/status | awk '{print $2}')
if [ "$filtered" = 2 ]; then
	ok "seccomp-run installs a filter (Seccomp: 2)"
else
	nok "seccomp-run: Seccomp: is '$filtered' inside, not 2"
fi

run_case "bpf() -> ENOSYS by seccomp" $SECCOMP_RUN -d bpf=ENOSYS --
expect "bpf ENOSYS" $bpf_unknown $kernel_never_no bpf.errno=ENOSYS

run_case "bpf() -> EPERM by seccomp" $SECCOMP_RUN -d bpf=EPERM --
expect "bpf EPERM" $bpf_unknown $kernel_never_no bpf.errno=EPERM

# Without a config the filter alone must still keep ENOSYS from reading
# as "no bpf() system call".
run_case "bpf() -> ENOSYS, no kernel config" env FEAT_KCONFIG=/nonexistent \
	$SECCOMP_RUN -d bpf=ENOSYS --
expect "bpf ENOSYS, no config" $bpf_unknown bpf.kernel!=no bpf.errno=ENOSYS \
	raw_tp.kernel!=no tp_btf.kernel!=no tracepoint.kernel!=no

run_case "fsopen() -> EPERM, tracefs and securityfs unmounted" \
	$NS_RUN --hide-pseudofs -- $SECCOMP_RUN -d fsopen=EPERM --
expect "fsopen EPERM" $kernel_never_no tracefs.state=unknown tracefs.errno=EPERM \
	tracepoint.state=unknown lockdown.state=unknown lockdown.kernel!=no \
	raw_tp.state=yes tp_btf.state=yes backend=tp_btf

run_case "fsopen() -> ENOSYS (before 5.2): the mount namespace fallback" \
	$NS_RUN --hide-pseudofs -- $SECCOMP_RUN -d fsopen=ENOSYS --
expect "fsopen ENOSYS" $kernel_never_no tracefs.state=yes tracepoint.state=yes \
	lockdown.state!=unknown tracefs.mounted=none

run_case "fsopen() -> ENOSYS and unshare() -> EPERM" \
	$NS_RUN --hide-pseudofs -- $SECCOMP_RUN -d fsopen=ENOSYS -d unshare=EPERM --
expect "fsopen ENOSYS, unshare EPERM" $kernel_never_no tracefs.state=unknown \
	tracepoint.state=unknown lockdown.state=unknown lockdown.kernel!=no

FP_ARGS="--json --thorough"
run_case "perf_event_open() -> EPERM, thorough" $SECCOMP_RUN -d perf_event_open=EPERM --
expect "perf_event_open EPERM" $kernel_never_no tracepoint.state=unknown \
	tracepoint.errno=EPERM raw_tp.state=yes tp_btf.state=yes

hostile_finish
