#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# bpf() answering as older kernels do (bpf-shim.so, LD_PRELOAD): as 4.16,
# which has neither BPF_PROG_TYPE_RAW_TRACEPOINT nor
# BPF_RAW_TRACEPOINT_OPEN (4.17), and as 5.4, which has no
# BPF_PROG_TYPE_TRACING (5.5). The live probes must say no for what the
# simulated kernel lacks, and the backend choice must fall back to what
# remains: tracepoint on 4.16, raw_tp on 5.4.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/hostile/lib.sh"
hostile_init test-old-kernel
if [ ! -f "$BPF_SHIM" ]; then
	echo "SKIP: no $BPF_SHIM (make check builds it)"
	exit 77
fi
TRY=1

# The shim wraps glibc's syscall(): featprobe must be a dynamically linked
# executable (not a libtool wrapper script) that takes syscall from libc.
if [ "$(head -c 4 "$FEATPROBE" | od -An -c | tr -d ' ')" = '177ELF' ] &&
   ldd "$FEATPROBE" | grep -q 'libc\.so\.6'; then
	ok "featprobe is an ELF executable linked against libc.so.6: LD_PRELOAD applies"
else
	nok "featprobe is not a dynamically linked ELF executable: the shim cannot apply"
fi

shim()
{
	echo env LD_PRELOAD=$BPF_SHIM BPF_SHIM_KERNEL=$1 BPF_SHIM_LOG=$HOSTILE_TMP/shim-$1.log
}

# shim_used KERNEL PATTERN WHAT: the shim made up an answer matching PATTERN.
shim_used()
{
	if grep -q -- "$2" "$HOSTILE_TMP/shim-$1.log" 2>/dev/null; then
		ok "shim as $1 answered $3: $(grep -m1 -- "$2" "$HOSTILE_TMP/shim-$1.log")"
	else
		nok "shim as $1 never answered $3 (log: $(tr '\n' ';' <"$HOSTILE_TMP/shim-$1.log" 2>/dev/null))"
	fi
}

run_case "bpf() as 4.16" $(shim 4.16)
expect "as 4.16" bpf.state=yes raw_tp.state=no raw_tp.kernel=no raw_tp.static=false \
	raw_tp.errno=EINVAL tp_btf.state=no tp_btf.kernel=no tracepoint.state=yes \
	tracepoint.kernel=yes backend=tracepoint
shim_used 4.16 "prog_type 17 .*EINVAL" "BPF_PROG_LOAD(RAW_TRACEPOINT) with EINVAL"
# 4.16's union bpf_attr ends before attach_btf_id: a TRACING load that sets
# it is refused by bpf_check_uarg_tail_zero before the type is looked at.
shim_used 4.16 "prog_type 26 .*E2BIG" "BPF_PROG_LOAD(TRACING) with E2BIG"

FP_ARGS="--json --kernel"
run_case "bpf() as 4.16, choosing by kernel support" $(shim 4.16)
expect "as 4.16, --kernel" raw_tp.kernel=no tp_btf.kernel=no tracepoint.kernel=yes \
	backend=tracepoint
FP_ARGS=--json

run_case "bpf() as 5.4" $(shim 5.4)
expect "as 5.4" bpf.state=yes raw_tp.state=yes raw_tp.kernel=yes tp_btf.state=no \
	tp_btf.kernel=no tp_btf.static=false tp_btf.errno=EINVAL tracepoint.state=yes \
	backend=raw_tp
shim_used 5.4 "prog_type 26 .*EINVAL" "BPF_PROG_LOAD(TRACING) with EINVAL"

# The shim must not change anything else: without a kernel named, all is real.
run_case "shim loaded, no kernel named" env LD_PRELOAD=$BPF_SHIM
expect "shim idle" bpf.state=yes raw_tp.state=yes tp_btf.state=yes backend=tp_btf

hostile_finish
