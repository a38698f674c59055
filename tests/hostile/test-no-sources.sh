#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The running kernel with its evidence taken away, each in a private mount
# namespace: no tracefs or securityfs obtainable (mounted copies hidden,
# fsopen denied by seccomp), no kernel config anywhere (/proc/config.gz
# covered by an empty file, or FEAT_KCONFIG naming a missing file; this
# machine has no /boot/config-* nor /lib/modules), and /sys/kernel/btf/vmlinux
# empty, a character device, unreadable, or a forged BTF.
#
# What is honest for tp_btf: the kernel here supports it, but the probe
# needs the id of typedef btf_trace_<tp> from vmlinux BTF to load anything;
# without readable BTF it cannot tell, so state unknown, and the kernel's
# support is unknown or (from kconfig and the version, when a config is
# readable) a static yes; never no. raw_tp needs no BTF: it stays yes, and
# the backend falls back to it.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/hostile/lib.sh"
hostile_init test-no-sources
need_tool unshare setpriv
if [ ! -x "$SECCOMP_RUN" ]; then
	echo "SKIP: no $SECCOMP_RUN (make check builds it)"
	exit 77
fi
TRY=1

T=$HOSTILE_TMP
: >"$T/empty"
NOFS="$SECCOMP_RUN -d fsopen=EPERM --"
kernel_never_no="bpf.kernel!=no raw_tp.kernel!=no tp_btf.kernel!=no tracepoint.kernel!=no
	tracefs.kernel!=no"
no_btf="btf.state=unknown tp_btf.state=unknown raw_tp.state=yes backend=raw_tp"

run_case "no tracefs, no securityfs, no config, empty vmlinux BTF" \
	$NS_RUN --hide-pseudofs --bind "$T/empty" /proc/config.gz \
	--bind "$T/empty" /sys/kernel/btf/vmlinux -- $NOFS
expect "nothing" $kernel_never_no $no_btf kconfig.source=none kconfig.errno!=none \
	tracefs.state=unknown tracefs.errno=EPERM tracepoint.state=unknown \
	lockdown.state=unknown lockdown.kernel!=no tp_btf.kernel=unknown

run_case "FEAT_KCONFIG=/nonexistent, empty vmlinux BTF" \
	env FEAT_KCONFIG=/nonexistent $NS_RUN --bind "$T/empty" /sys/kernel/btf/vmlinux --
expect "FEAT_KCONFIG missing" $kernel_never_no $no_btf kconfig.source=none \
	kconfig.errno=ENOENT tp_btf.kernel=unknown

run_case "vmlinux BTF is /dev/null" $NS_RUN --bind /dev/null /sys/kernel/btf/vmlinux --
expect "BTF /dev/null" $kernel_never_no $no_btf

# A copy of the real BTF with mode 000, read by root without
# CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH: EACCES.
cp /sys/kernel/btf/vmlinux "$T/vmlinux-000"
chmod 000 "$T/vmlinux-000"
run_case "vmlinux BTF unreadable (mode 000, no CAP_DAC_*)" \
	$NS_RUN --bind "$T/vmlinux-000" /sys/kernel/btf/vmlinux -- \
	setpriv --inh-caps=-dac_override,-dac_read_search \
	--bounding-set=-dac_override,-dac_read_search --
expect "BTF EACCES" $kernel_never_no $no_btf btf.errno=EACCES tp_btf.errno=EACCES

# Truncated: the header promises more than the file holds.
head -c 4096 /sys/kernel/btf/vmlinux >"$T/vmlinux-short"
run_case "vmlinux BTF truncated to 4 KiB" \
	$NS_RUN --bind "$T/vmlinux-short" /sys/kernel/btf/vmlinux --
expect "BTF truncated" $kernel_never_no $no_btf

# A well-formed BTF that is not the running kernel's: the id it gives for
# btf_trace_sched_switch means another type to the kernel, which refuses
# the load with EINVAL. That says the evidence is wrong, not that the
# kernel lacks tp_btf: the honest answer is unknown.
python3 "$HOSTILE_DIR/mkbtf.py" forged "$T/forged.btf"
run_case "vmlinux BTF forged (btf_trace_sched_switch is type 2)" \
	$NS_RUN --bind "$T/forged.btf" /sys/kernel/btf/vmlinux --
expect "BTF forged" $kernel_never_no tp_btf.state!=no raw_tp.state=yes

hostile_finish
