#!/bin/sh
# valgrind memcheck over featprobe's subcommands, success and error paths:
# no error and no leak (definite, indirect or possible), with the
# suppressions of tests/fuzz/valgrind.supp, each explained there.
#
#   make check-valgrind      (run by .ci/run; too slow for every make check)
fp=${FEATPROBE:-${top_builddir:-.}/featprobe}
supp=${top_srcdir:-.}/tests/fuzz/valgrind.supp
command -v valgrind >/dev/null 2>&1 || { echo "SKIP: valgrind not found (Debian package valgrind)"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "SKIP: valgrind: the live subcommands need root"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
head -c 4096 /dev/urandom >"$tmp/bad.btf"
fail=0
n=0

# vg WANT_RC ARGS...: featprobe ARGS under memcheck; WANT_RC is its own
# exit status without valgrind (a number, or "any" for trace -c, which
# exits with the command's status).
vg()
{
	want=$1
	shift
	n=$((n + 1))
	valgrind -q --suppressions="$supp" --leak-check=full \
		--errors-for-leak-kinds=definite,indirect,possible \
		--error-exitcode=99 --log-file="$tmp/vg.$n" \
		"$fp" "$@" >"$tmp/out.$n" 2>"$tmp/err.$n"
	rc=$?
	# Memcheck's reports are the "==PID==" lines; "--PID--" lines are
	# valgrind's own warnings (it does not know fsopen(), syscall 430:
	# featprobe then falls back, as on a kernel before 5.2).
	if [ $rc = 99 ] || grep -q '^==[0-9]*==' "$tmp/vg.$n"; then
		echo "FAIL: featprobe $*: memcheck (exit $rc):"
		grep '^==[0-9]*==' "$tmp/vg.$n" | head -40
		fail=1
	elif [ "$want" != any ] && [ $rc != "$want" ]; then
		echo "FAIL: featprobe $*: exit $rc under valgrind, expected $want"
		head -5 "$tmp/err.$n"
		fail=1
	else
		echo "ok: featprobe $* (exit $rc)"
	fi
}

vg 0 --json
vg 0 check raw_tp
vg 0 macros
vg 0 backend sched:sched_switch
vg 0 list 'sched:*'
vg 0 layout sched:sched_switch
vg 0 layout --format json raw_syscalls:sys_enter
vg 0 access sched:sched_switch '$prev->pid'
vg 0 access --backend tracepoint --format json sched:sched_process_exec '$filename'
vg 0 access --backend raw_tp sched:sched_switch '$next->comm'
vg any trace --backend tp_btf signal:signal_generate '$sig' '$task->comm' -c 'kill -USR1 $$'
vg 0 trace --backend tracepoint signal:signal_generate '$sig' --count 1 -c 'kill -USR1 $$'
vg 0 export-formats "$tmp/saved"
vg 0 --root "$tmp/saved" layout sched:sched_switch
# Error paths: a name that does not exist, a bad expression, a bad BTF file.
vg 3 layout nope:nope
vg 3 access sched:sched_switch '$nope'
vg 3 layout --btf "$tmp/bad.btf" sched:sched_switch
vg 64 access sched:sched_switch
echo "$n runs"
exit $fail
