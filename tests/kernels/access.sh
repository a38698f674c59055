# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=sh
# /km-access.sh in the kernel-matrix initramfs, sourced twice: by /init for
# access_case and access_compile (the calls themselves come from
# /km-cases.sh, which access.py plan wrote from this kernel's layouts), and
# by the shell featprobe trace -c starts, to run km_do NAME. km_do does one
# known thing and writes what it did, found by other means than the
# tracepoint (its own $$, /proc, the shell's signal table), to the truth
# file: the judge (access.py check) compares the traced values with it.
KM=/tmp/km
FP=${FP:-/usr/bin/featprobe}

km_truth()
{
	echo "$1=$2" >>$KM/truth
}

# km_do NAME: in the traced shell itself (-c '. /km-access.sh; km_do NAME'),
# so that $$ is the process whose events carry the values.
km_do()
{
	case $1 in
	signal)
		# signal_generate for a signal sent to oneself and handled
		# (result 0, TRACE_SIGNAL_DELIVERED): the sender is the target.
		km_truth pid $$
		km_truth comm "$(cat /proc/$$/comm)"
		km_truth sig "$(kill -l USR1)"
		trap : USR1
		kill -USR1 $$
		;;
	rename)
		# task_rename from a write to /proc/self/comm (__set_task_comm()
		# traces before it copies): old and new name, and a negative
		# short behind two pointers (task->signal->oom_score_adj).
		km_truth pid $$
		km_truth oldcomm "$(cat /proc/$$/comm)"
		echo -500 >/proc/self/oom_score_adj
		km_truth oom_score_adj "$(cat /proc/$$/oom_score_adj)"
		printf kmrename >/proc/self/comm
		km_truth newcomm "$(cat /proc/$$/comm)"
		;;
	exec)
		# sched_process_exec of a known path, by this very process.
		km_truth pid $$
		km_truth old_pid $$
		km_truth filename /bin/true
		exec /bin/true
		;;
	sysexit)
		# A failing call: chdir(2) of a missing directory returns
		# -ENOENT (-2); chdir is syscall 80 on x86-64
		# (arch/x86/entry/syscalls/syscall_64.tbl).
		km_truth pid $$
		if [ ! -e /km-missing ] && ! cd /km-missing 2>/dev/null; then
			km_truth ret -2
			km_truth id 80
		fi
		;;
	esac
	true
}

# access_case NAME BACKEND TRACEPOINT EXPR...: featprobe trace of EXPR on
# BACKEND while km_do NAME runs; the events (JSON lines), then the truth as
# "truth KEY=VALUE" lines. Returns featprobe's status.
access_case()
{
	_name=$1 _backend=$2 _tp=$3
	shift 3
	rm -rf $KM && mkdir -p $KM && : >$KM/truth
	$FP trace "$_tp" "$@" --backend "$_backend" -j --timeout 20 \
		-c ". /km-access.sh; km_do $_name"
	_rc=$?
	sed 's/^/truth /' $KM/truth
	return $_rc
}

# access_compile TRACEPOINT BACKEND EXPR...: featprobe access of each EXPR,
# one line each: "access RC EXPR STDERR".
access_compile()
{
	_tp=$1 _backend=$2
	shift 2
	mkdir -p $KM
	for _e in "$@"; do
		$FP access "$_tp" "$_e" --backend "$_backend" >/dev/null 2>$KM/err
		echo "access $? $_e $(tr '\n' ' ' <$KM/err)"
	done
}
