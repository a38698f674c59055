#!/bin/sh
# The early-session example on the running kernel: for each probe point it
# must choose the backend `featprobe backend` chooses, and print a listing
# of the access code of every variable in the verifier's notation.
ex=${top_builddir:-.}/examples/early-session
fp=${FEATPROBE:-${top_builddir:-.}/featprobe}
[ "$(id -u)" = 0 ] || { echo "SKIP: early-session: needs root (the BPF probes)"; exit 77; }
out=$("$ex") || { echo "FAIL: early-session exited $?"; echo "$out"; exit 1; }
echo "$out"
fail=0
for tp in sched:sched_switch syscalls:sys_enter_openat; do
	want=$("$fp" backend "$tp" | head -1)
	got=$(echo "$out" | sed -n "s/^probe $tp: backend //p")
	if [ -z "$want" ] || [ "$got" != "$want" ]; then
		echo "FAIL: $tp: early-session chose '$got', featprobe backend '$want'"
		fail=1
	fi
done
for var in '$prev->pid' '$next->comm' '$filename' '$dfd'; do
	# The variable's line, then at least one instruction "0: (xx) ...".
	if ! echo "$out" | grep -A1 -F "  $var: " | grep -q '^0: ([0-9a-f][0-9a-f]) '; then
		echo "FAIL: no listing for $var"
		fail=1
	fi
done
# A tracepoint that does not exist: an error, not a crash.
if "$ex" nope:nope '$x' >/dev/null 2>&1; then
	echo "FAIL: early-session accepted nope:nope"
	fail=1
fi
exit $fail
