#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# featprobe as nobody with no capability at all. With
# kernel.unprivileged_bpf_disabled >= 1 bpf() refuses every load with EPERM
# (kernel/bpf/syscall.c, bpf_prog_load -> bpf_capable()): that says nothing
# about the kernel, so every BPF verdict must be unknown with EPERM or
# EACCES, never no, and the kernel's support must not read as no either.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/hostile/lib.sh"
hostile_init test-unprivileged
need_tool setpriv
TRY=1

nobody="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all"
caps=$($nobody sh -c 'grep ^CapEff: /proc/self/status' | awk '{print $2}')
echo "CapEff inside: $caps"
if [ "$caps" = 0000000000000000 ]; then
	ok "nobody has no effective capability"
else
	nok "nobody still has capabilities $caps"
fi
ubd=$(cat /proc/sys/kernel/unprivileged_bpf_disabled 2>/dev/null || echo unknown)
echo "kernel.unprivileged_bpf_disabled=$ubd"

run_case "nobody, no capabilities" $nobody
set -- bpf.kernel!=no raw_tp.kernel!=no tp_btf.kernel!=no tracepoint.kernel!=no \
	btf.state!=no tracefs.state!=no tracefs.kernel!=no lockdown.state!=no
if [ "$ubd" = 1 ] || [ "$ubd" = 2 ]; then
	# The load is refused before the program type is even looked at.
	for f in bpf raw_tp tp_btf tracepoint; do
		set -- "$@" $f.state=unknown $f.errno=EPERM\|EACCES
	done
	set -- "$@" backend=none
else
	for f in bpf raw_tp tp_btf tracepoint; do
		set -- "$@" $f.state!=no
	done
fi
expect "nobody" "$@"

# The same with the BTF id cache primed by root first: a cached fact must
# not turn into a verdict for a caller who could not have found it.
FP_ARGS=--json run_case "root primes the cache" env
run_case "nobody after root ran" $nobody
expect "nobody, cache primed" tp_btf.state!=yes tp_btf.kernel!=no bpf.state!=yes

hostile_finish
