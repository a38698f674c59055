#!/bin/sh
# featprobe access and featprobe trace on the running kernel: usage errors,
# unknown names, the shapes of the printed code, and trace -j -c end to end
# on every backend, with both ring and perf buffers.
FEATPROBE=${FEATPROBE:-./featprobe}
fail() { echo "FAIL: $*"; exit 1; }
tmp=$(mktemp -d) || fail mktemp
trap 'rm -rf "$tmp"' EXIT

# Usage errors need nothing from the kernel.
usage() {
	"$FEATPROBE" "$@" >/dev/null 2>"$tmp/err"
	[ $? -eq 64 ] || fail "featprobe $*: not a usage error (64): $(cat "$tmp/err")"
	[ "$(wc -l <"$tmp/err")" -ge 1 ] || fail "featprobe $*: no message"
}
usage access
usage access sched:sched_switch
usage access sched:sched_switch '$prev_pid' '$next_pid'
usage access sched:sched_switch '$prev_pid' --backend sideways
usage access sched:sched_switch '$prev_pid' --format c
usage access sched:sched_switch '$prev_pid' --count 3
usage access sched:sched_switch '$prev_pid' -c true
usage access sched:sched_switch '$prev_pid' --backend
usage trace
usage trace sched:sched_switch
usage trace sched:sched_switch '$prev_pid' --count 0
usage trace sched:sched_switch '$prev_pid' --count x
usage trace sched:sched_switch '$prev_pid' --timeout -1
usage trace sched:sched_switch '$prev_pid' --timeout soon
usage trace sched:sched_switch '$prev_pid' --format asm
usage trace sched:sched_switch '$prev_pid' -c ''
usage layout sched:sched_switch --backend raw_tp
usage report -c true

# The rest reads the running kernel's tracepoints and loads programs.
[ "$(id -u)" -eq 0 ] || { echo "SKIP: not root: trace needs to load and attach BPF programs"; exit 77; }
state=$("$FEATPROBE" check bpf 2>&1)
case $state in
'bpf: yes'*) ;;
*) echo "SKIP: no bpf() here: $state"; exit 77 ;;
esac
probe=$("$FEATPROBE" layout signal:signal_generate --form classic --format json 2>&1)
case $probe in
*'"source":"tracefs events/'*) ;;
*) echo "SKIP: featprobe cannot read tracefs here: $(echo "$probe" | head -c 200)"; exit 77 ;;
esac
# The backends this kernel offers.
backends=
for b in tp_btf raw_tp tracepoint; do
	"$FEATPROBE" check "$b" >/dev/null 2>&1 && backends="$backends $b"
done
[ -n "$backends" ] || { echo "SKIP: no tracepoint backend usable here"; exit 77; }

# An unknown tracepoint: exit 3, one line with the closest name.
"$FEATPROBE" access sched:sched_swich '$prev_pid' >/dev/null 2>"$tmp/err"
[ $? -eq 3 ] || fail "unknown tracepoint: not exit 3"
grep -q 'closest: sched:sched_switch' "$tmp/err" || fail "unknown tracepoint: no suggestion: $(cat "$tmp/err")"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "unknown tracepoint: not one line: $(cat "$tmp/err")"
"$FEATPROBE" trace sched:sched_swich '$prev_pid' >/dev/null 2>"$tmp/err"
[ $? -eq 3 ] || fail "trace: unknown tracepoint: not exit 3"
grep -q 'closest: sched:sched_switch' "$tmp/err" || fail "trace: unknown tracepoint: no suggestion"

# Before the access code exists there is nothing more to check.
if ! "$FEATPROBE" access signal:signal_generate '$sig' --backend tracepoint >"$tmp/out" 2>"$tmp/err" &&
	grep -q 'Function not implemented' "$tmp/err"; then
	echo "SKIP: feat_access_compile is not implemented yet: $(cat "$tmp/err")"
	exit 77
fi

# featprobe access: the header, then the instructions as the verifier prints them.
for b in $backends; do
	case $b in tracepoint) task_pid='$pid' comm='$comm' ;; *) task_pid='$task->pid' comm='$task->comm' ;; esac
	"$FEATPROBE" access signal:signal_generate '$sig' --backend "$b" >"$tmp/out" 2>"$tmp/err" ||
		fail "access \$sig --backend $b: $(cat "$tmp/err")"
	grep -q "^; signal:signal_generate \$sig on $b\$" "$tmp/out" || fail "access $b: header: $(cat "$tmp/out")"
	grep -q '^; type: int, a 4-byte signed integer, in r0$' "$tmp/out" || fail "access $b: type line: $(cat "$tmp/out")"
	grep -q '^; context in r6; writes r0' "$tmp/out" || fail "access $b: registers line: $(cat "$tmp/out")"
	grep -Eq '^0: \([0-9a-f]{2}\) r0 = ' "$tmp/out" || fail "access $b: no first instruction: $(cat "$tmp/out")"
	grep -Ev '^(;|[0-9]+: \([0-9a-f]{2}\) )' "$tmp/out" && fail "access $b: a line of neither kind"
	"$FEATPROBE" access signal:signal_generate "$comm" --backend "$b" >"$tmp/out" 2>"$tmp/err" ||
		fail "access $comm --backend $b: $(cat "$tmp/err")"
	grep -q '^; type: char\[16\], a string of at most 16 bytes with its NUL, copied to r10-72$' "$tmp/out" ||
		fail "access $comm $b: type line: $(cat "$tmp/out")"
	"$FEATPROBE" access signal:signal_generate "$task_pid" --backend "$b" --format json >"$tmp/out" 2>"$tmp/err" ||
		fail "access $task_pid --backend $b --format json: $(cat "$tmp/err")"
	for key in '"tracepoint":"signal:signal_generate"' "\"backend\":\"$b\"" '"kind":"int"' '"insns":\[{' \
		'"registers":\['; do
		grep -q "$key" "$tmp/out" || fail "access json $b: no $key: $(cat "$tmp/out")"
	done
	[ "$(wc -l <"$tmp/out")" -eq 1 ] || fail "access json $b: not one line"
	# -j is --format json too.
	"$FEATPROBE" -j access signal:signal_generate '$sig' --backend "$b" | grep -q '"expr":"\$sig"' ||
		fail "access -j $b: no expr"
done
# auto: the backend featprobe backend picks.
auto=$("$FEATPROBE" backend signal:signal_generate | head -n 1)
"$FEATPROBE" access signal:signal_generate '$sig' | grep -q "^; signal:signal_generate \$sig on $auto\$" ||
	fail "access --backend auto did not take $auto"
# Errors: unknown names list the valid ones; a struct value; a classic-only event on a raw backend.
"$FEATPROBE" access signal:signal_generate '$nope' --backend raw_tp >/dev/null 2>"$tmp/err"
[ $? -eq 3 ] || fail "unknown argument: not exit 3"
grep -q '\$sig' "$tmp/err" || fail "unknown argument: the valid names are not listed: $(cat "$tmp/err")"
"$FEATPROBE" access syscalls:sys_enter_openat '$filename' --backend raw_tp >/dev/null 2>"$tmp/err"
[ $? -eq 3 ] || fail "syscalls on raw_tp: not exit 3"
grep -q 'raw_syscalls:sys_enter' "$tmp/err" || fail "syscalls on raw_tp: no raw equivalent: $(cat "$tmp/err")"

# featprobe trace -j -c, end to end: kill -USR1 $$ in the command, whose pid
# it writes first; the program keeps that pid's events only.
# SIGUSR1's number as the shell knows it (dash's kill -l takes numbers only).
usr1=
for i in $(seq 1 31); do
	[ "$(kill -l "$i" 2>/dev/null)" = USR1 ] && usr1=$i && break
done
[ -n "$usr1" ] || fail "the shell knows no SIGUSR1"
n=0
for out in ringbuf perf; do
	for b in $backends; do
		case $b in tracepoint) task_pid='$pid' ;; *) task_pid='$task->pid' ;; esac
		perf=0
		[ $out = perf ] && perf=1
		FEATPROBE_PERF_BUFFER=$perf timeout 60 "$FEATPROBE" trace signal:signal_generate '$sig' "$task_pid" \
			--backend "$b" -j -c "echo \$\$ > $tmp/pid; kill -USR1 \$\$" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		[ $rc -eq $((128 + usr1)) ] || fail "trace $b ($out): exit $rc, not the command's $((128 + usr1)): $(cat "$tmp/err")"
		pid=$(cat "$tmp/pid")
		key=${task_pid#\$}
		line=$(grep "\"sig\":${usr1}[,}]" "$tmp/out" | head -n 1)
		[ -n "$line" ] || fail "trace $b ($out): no event with sig $usr1: $(cat "$tmp/out") $(cat "$tmp/err")"
		for want in '"tracepoint":"signal:signal_generate"' "\"backend\":\"$b\"" "\"pid\":$pid," \
			"\"$key\":${pid}[,}]"; do
			echo "$line" | grep -q "$want" || fail "trace $b ($out): no $want in $line"
		done
		# Every line is the command's.
		grep -v "\"pid\":$pid," "$tmp/out" && fail "trace $b ($out): an event of another process"
		n=$((n + 1))
	done
done

# Descendants: the signal a grandchild sends itself; the command's status
# is its last command's.
# shellcheck disable=SC2086 # split into words on purpose
set -- $backends
b=$1
timeout 60 "$FEATPROBE" trace signal:signal_generate '$sig' --backend "$b" -j \
	-c "sh -c 'echo \$\$ > $tmp/pid; kill -USR1 \$\$'; exit 7" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 7 ] || fail "trace -c with a grandchild: exit $rc, not 7: $(cat "$tmp/err")"
pid=$(cat "$tmp/pid")
grep -q "\"pid\":$pid,.*\"sig\":${usr1}}" "$tmp/out" ||
	fail "trace -c: no event of the command's child $pid: $(cat "$tmp/out")"

# The gate: when the program cannot be built the command never runs.
"$FEATPROBE" trace signal:signal_generate '$nope' -c "touch $tmp/ran" >/dev/null 2>&1
[ $? -eq 3 ] || fail "trace with a bad expression: not exit 3"
[ -e "$tmp/ran" ] && fail "trace with a bad expression ran the command"

# --count, --timeout and SIGTERM end with 0.
case $b in tracepoint) e='$prev_pid' ;; *) e='$prev->pid' ;; esac
timeout 30 "$FEATPROBE" trace sched:sched_switch "$e" --backend "$b" --count 3 -j >"$tmp/out" 2>"$tmp/err" ||
	fail "trace --count 3: $(cat "$tmp/err")"
[ "$(wc -l <"$tmp/out")" -eq 3 ] || fail "trace --count 3: $(wc -l <"$tmp/out") lines"
start=$(date +%s)
timeout 30 "$FEATPROBE" trace signal:signal_generate '$sig' --backend "$b" --timeout 0.5 >/dev/null 2>"$tmp/err" ||
	fail "trace --timeout: $(cat "$tmp/err")"
[ $(($(date +%s) - start)) -le 5 ] || fail "trace --timeout 0.5 took more than 5 s"
"$FEATPROBE" trace signal:signal_generate '$sig' --backend "$b" >/dev/null 2>"$tmp/err" &
tracer=$!
sleep 1
kill -TERM $tracer
wait $tracer
rc=$?
[ $rc -eq 0 ] || fail "trace after SIGTERM: exit $rc: $(cat "$tmp/err")"

echo "cli: usage errors, unknown names, access output on$backends; trace -j -c right on $n backend and buffer pairs;" \
	"--count, --timeout, SIGTERM"
