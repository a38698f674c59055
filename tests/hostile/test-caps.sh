#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# root with CAP_BPF, CAP_PERFMON or CAP_SYS_ADMIN dropped alone (setpriv,
# then capsh), and with pairs dropped so that what remains is not enough
# for tracing programs (kernel/bpf/syscall.c: tracing program types need
# bpf_capable() and perfmon_capable(); CAP_SYS_ADMIN implies both).
# Whatever the probes say is held against bpf-try in the same environment:
# no wrong yes, no wrong no; this kernel supports every backend, so the
# kernel's support must never read as no.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/hostile/lib.sh"
hostile_init test-caps
need_tool setpriv
TRY=1

# cap name -> bit (include/uapi/linux/capability.h)
declare -A bit=([sys_admin]=21 [perfmon]=38 [bpf]=39)

# The kernel of this machine supports all of it.
never_no="bpf.kernel!=no raw_tp.kernel!=no tp_btf.kernel!=no tracepoint.kernel!=no
	bpf.state!=no raw_tp.state!=no tp_btf.state!=no tracepoint.state!=no
	btf.state!=no tracefs.state!=no tracefs.kernel!=no lockdown.state!=no"

# check_dropped LABEL CAPS -- WRAPPER...: the caps are really gone inside.
check_dropped()
{
	local label=$1 caps=$2 eff c gone=1
	shift 3
	eff=$("$@" sh -c 'grep ^CapEff: /proc/self/status' | awk '{print $2}')
	for c in $caps; do
		cap_has "$eff" "${bit[$c]}" && gone=0
	done
	if [ "$gone" = 1 ]; then
		ok "$label: CapEff $eff lacks $caps"
	else
		nok "$label: CapEff $eff still has one of $caps"
	fi
	return $((1 - gone))
}

for caps in bpf perfmon sys_admin "bpf sys_admin" "perfmon sys_admin"; do
	list=$(echo $caps | tr ' ' ,)
	minus=$(echo $caps | sed 's/\([a-z_]*\)/-\1/g' | tr ' ' ,)
	label="setpriv without $list"
	w="setpriv --inh-caps=$minus --bounding-set=$minus --"
	if check_dropped "$label" "$caps" -- $w; then
		run_case "$label" $w
		expect "$label" $never_no
	fi
done

if command -v capsh >/dev/null 2>&1; then
	for c in bpf perfmon sys_admin; do
		label="capsh --drop=cap_$c"
		if check_dropped "$label" "$c" -- capsh --drop=cap_$c -- -c 'exec "$@"' capsh; then
			run_case "$label" capsh --drop=cap_$c -- -c 'exec "$@"' capsh
			expect "$label" $never_no
		fi
	done
else
	skip_case "capsh is not installed (apt-get install libcap2-bin)"
fi

hostile_finish
