# SPDX-License-Identifier: LGPL-2.1-or-later
# Shared by the hostile tests: sourced, not run.
#
#   hostile_init NAME            root check, temp dir, cleanup trap
#   need_tool TOOL...            skip (77) when a tool is missing
#   run_case LABEL WRAPPER...    run WRAPPER... featprobe $FP_ARGS (and,
#                                with TRY=1, WRAPPER... bpf-try) under
#                                timeout 10; check exit status and stderr
#   expect LABEL EXPECTATION...  hold the last report to expectations
#                                (see verdicts.py)
#   ok TEXT / nok TEXT / skip_case TEXT   count one result
#   hostile_finish               print "N passed, M failed" and exit
#
# Everything a case creates lives in $HOSTILE_TMP, removed on exit; mounts
# are only ever made inside a child's private mount namespace (unshare -m),
# which dies with it.

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=.}"
: "${FEATPROBE:=$top_builddir/featprobe}"
HOSTILE_DIR=$top_srcdir/tests/hostile
SECCOMP_RUN=$top_builddir/tests/hostile/seccomp-run
BPF_TRY=$top_builddir/tests/hostile/bpf-try
BPF_SHIM=$top_builddir/tests/hostile/.libs/bpf-shim.so
FP_ARGS=--json
EXPECT_RC=0
TRY=0
N_PASS=0
N_FAIL=0
N_SKIP=0

hostile_cleanup()
{
	[ -n "${HOSTILE_TMP:-}" ] && rm -rf "$HOSTILE_TMP"
}

hostile_init()
{
	HOSTILE_NAME=$1
	if [ "$(id -u)" != 0 ]; then
		echo "SKIP: $HOSTILE_NAME needs root (to drop privileges, filter calls and mount privately)"
		exit 77
	fi
	if [ ! -x "$FEATPROBE" ]; then
		echo "SKIP: no featprobe at $FEATPROBE"
		exit 77
	fi
	need_tool python3 timeout
	HOSTILE_TMP=$(mktemp -d "${TMPDIR:-/tmp}/feat-hostile.XXXXXX") || exit 99
	trap hostile_cleanup EXIT
	trap 'exit 130' INT TERM
	# The per-boot BTF id cache goes into the temp dir, not /run.
	export FEAT_CACHE_DIR=$HOSTILE_TMP/cache
}

need_tool()
{
	for t in "$@"; do
		if ! command -v "$t" >/dev/null 2>&1; then
			echo "SKIP: $t is not installed"
			exit 77
		fi
	done
}

ok()
{
	echo "PASS: $*"
	N_PASS=$((N_PASS + 1))
}

nok()
{
	echo "FAIL: $*"
	N_FAIL=$((N_FAIL + 1))
}

skip_case()
{
	echo "SKIP: $*"
	N_SKIP=$((N_SKIP + 1))
}

# The capability bit $2 in the hex mask $1.
cap_has()
{
	[ $(((0x$1 >> $2) & 1)) = 1 ]
}

# Run featprobe (and bpf-try with TRY=1) behind WRAPPER...; the report is in
# $CASE/out, its stderr in $CASE/err, bpf-try's lines in $CASE/try. A hang
# (timeout), a crash (signal) or an exit status other than $EXPECT_RC
# (default 0) fails the case, and so
# does an error message of more than one line per problem: stderr may hold
# a few lines, each shorter than 400 characters.
run_case()
{
	local label=$1 rc lines long
	shift
	CASE=$HOSTILE_TMP/case.$((N_PASS + N_FAIL + N_SKIP)).$RANDOM
	mkdir -p "$CASE"
	echo
	echo "=== $label"
	echo "  \$ $* featprobe $FP_ARGS"
	timeout -k 2 10 "$@" "$FEATPROBE" $FP_ARGS >"$CASE/out" 2>"$CASE/err"
	rc=$?
	CASE_RC=$rc
	sed 's/^/  stderr: /' "$CASE/err"
	if [ $rc = 124 ] || [ $rc = 137 ]; then
		nok "$label: featprobe hung (killed after 10 s)"
	elif [ $rc -ge 128 ]; then
		nok "$label: featprobe died of signal $((rc - 128))"
	elif [ $rc != "$EXPECT_RC" ]; then
		nok "$label: featprobe exited $rc, not $EXPECT_RC"
	else
		ok "$label: featprobe exited $rc"
	fi
	lines=$(wc -l <"$CASE/err")
	long=$(awk 'length > 400' "$CASE/err" | wc -l)
	if [ "$lines" -le 4 ] && [ "$long" = 0 ]; then
		ok "$label: $lines line(s) on stderr, none longer than 400"
	else
		nok "$label: $lines line(s) on stderr, $long longer than 400"
	fi
	: >"$CASE/try"
	if [ "$TRY" = 1 ]; then
		timeout -k 2 30 "$@" "$BPF_TRY" >"$CASE/try" 2>"$CASE/try-err"
		sed 's/^/  bpf-try: /' "$CASE/try"
	fi
}

expect()
{
	local label=$1 out
	shift
	if [ "$TRY" = 1 ]; then
		out=$(python3 "$HOSTILE_DIR/verdicts.py" --label "$label" \
			--json "$CASE/out" --try "$CASE/try" "$@")
	else
		out=$(python3 "$HOSTILE_DIR/verdicts.py" --label "$label" \
			--json "$CASE/out" "$@")
	fi
	echo "$out"
	N_PASS=$((N_PASS + $(echo "$out" | grep -c '^PASS: ')))
	N_FAIL=$((N_FAIL + $(echo "$out" | grep -c '^FAIL: ')))
}

hostile_finish()
{
	echo
	# Other work on this machine may mount things meanwhile: look for ours.
	if grep -q -e "$HOSTILE_TMP" -e feat-hostile /proc/self/mountinfo; then
		nok "a mount of this test is left in the caller's namespace"
	else
		ok "no mount of this test left in the caller's namespace"
	fi
	if [ "$N_SKIP" -gt 0 ]; then
		echo "$N_PASS passed, $N_FAIL failed, $N_SKIP skipped"
	else
		echo "$N_PASS passed, $N_FAIL failed"
	fi
	[ "$N_FAIL" = 0 ] && [ "$N_PASS" -gt 0 ]
	exit $?
}

# A wrapper prefix: a private mount namespace changed by ns-run.sh options.
# Usage: $NS_RUN [--hide-pseudofs] [--bind SRC DST]... -- COMMAND...
NS_RUN="unshare -m --propagation private $top_srcdir/tests/hostile/ns-run.sh"
