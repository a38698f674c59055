#!/bin/busybox sh
# /init of the kernel-matrix initramfs (tests/kernels/run.sh builds it).
# Mounts what a normal system mounts at boot (proc, sysfs, devtmpfs, tmpfs
# on /run and /tmp; NOT tracefs or securityfs: featprobe must cope), runs
# featprobe as root and as an unprivileged user, prints every output between
# marker lines on the serial console, gathers the ground truth the kernel
# shows once tracefs/securityfs are mounted, and powers off.
/bin/busybox mkdir -p /proc /sys /dev /run /tmp /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs -o mode=0755 tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /tmp
# Only kernel errors would reach the console now; keep them off it.
dmesg -n 1
echo 'root:x:0:0:root:/root:/bin/sh' >/etc/passwd
echo 'nobody:x:65534:65534:nobody:/nonexistent:/bin/sh' >>/etc/passwd
printf 'root:x:0:\nnogroup:x:65534:\n' >/etc/group
FP=/usr/bin/featprobe
# km.tracefs=1 on the command line: tracefs mounted at /sys/kernel/tracing
# before featprobe runs, as systemd mounts it (sys-kernel-tracing.mount).
case " $(cat /proc/cmdline) " in
*" km.tracefs=1 "*) mount -t tracefs tracefs /sys/kernel/tracing ;;
esac

# section NAME CMD...: the command's stdout between markers, its stderr after.
section()
{
	name=$1
	shift
	echo "@@KM-RUN $name@@"
	"$@" >/tmp/out 2>/tmp/err </dev/null
	rc=$?
	echo "@@KM-BEGIN $name@@"
	cat /tmp/out
	echo "@@KM-END $name rc=$rc@@"
	if [ -s /tmp/err ]; then
		echo "@@KM-STDERR $name@@"
		cat /tmp/err
		echo "@@KM-STDERR-END $name@@"
	fi
}
# as_nobody CMD...: CMD as uid/gid 65534, without capabilities.
as_nobody()
{
	su -s /bin/sh nobody -c "$*"
}

# km.layout=1: a boot of its own (run.sh boots it with one vCPU) for the
# layout sweep, and nothing else. Every tracepoint laid out by featprobe
# (JSON and C), its exported format files, a copy of tracefs's format
# files made without featprobe (the oracle libtraceevent parses on the
# host), and the kernel's own raw arg counts (km-helper: raw_tp readers of
# slot n-1 and n, n as featprobe list says, or of slot 0, 1, ... until one
# fails). Brought back as a base64 tar.gz; run.sh hands it to layout.py.
# layout_time: /proc/uptime after each step.
layout_sweep()
{
	mkdir -p /mnt/trace && mount -t tracefs none /mnt/trace
	stamps="start $(cut -d' ' -f1 /proc/uptime)"
	stamp() { stamps="$stamps $1 $(cut -d' ' -f1 /proc/uptime)"; }
	mkdir -p /tmp/lay
	$FP list 2>/dev/null | awk '$NF ~ /^args?$/ && $(NF-2) == "raw" { n = $1; sub(/.*:/, "", n); print n, $(NF-1) }' >/tmp/hints
	section layout_rawslots km-helper rawslots /tmp/hints
	stamp rawslots
	section layout_json sh -c "$FP layout --format json '*' >/tmp/lay/layout.json"
	stamp json
	section layout_c sh -c "$FP layout --format c '*' >/tmp/lay/layout.c"
	stamp c
	section layout_export $FP export-formats /tmp/lay/export
	stamp export
	mkdir -p /tmp/lay/tracefs
	section layout_copy km-helper copy-formats /mnt/trace/events /tmp/lay/tracefs/events
	stamp copy
	# The exported BTF is 5 MB: its checksum travels, not the file.
	section layout_btf_sum sh -c 'sha256sum /sys/kernel/btf/vmlinux /tmp/lay/export/sys/kernel/btf/vmlinux &&
		rm /tmp/lay/export/sys/kernel/btf/vmlinux'
	tar -C /tmp/lay -czf /tmp/lay.tgz .
	stamp tar
	section layout_bundle base64 /tmp/lay.tgz
	stamp serial
	section layout_time echo "$stamps"
	rm -rf /tmp/lay /tmp/lay.tgz /tmp/hints
}

echo "@@KM-BOOTED@@"
case " $(cat /proc/cmdline) " in
*" km.layout=1 "*)
	section uname_r uname -r
	layout_sweep
	echo "@@KM-DONE@@"
	sync
	poweroff -f
	;;
esac
section uname_r uname -r
section uname_v uname -v
section cmdline cat /proc/cmdline
section root_json $FP --json
section root_thorough $FP --thorough --json
section root_backend $FP backend
if [ -e /shim/bpf-shim.so ]; then
	# bpf() answering as 5.4 (no tp_btf): what remains after lockdown?
	section root_shim54 env LD_PRELOAD=/shim/bpf-shim.so BPF_SHIM_KERNEL=5.4 $FP --json
fi
# The access cases: featprobe trace on every backend while a command does a
# known thing (/km-access.sh; this kernel's calls in /km-cases.sh, written
# by access.py plan from its layouts). km.access=normal|lockdown on the
# command line says which list; before mounts_after, which then covers
# trace's own tracefs mounts too.
access_mode=$(sed -n 's/.*km\.access=\([a-z]*\).*/\1/p' /proc/cmdline)
if [ -n "$access_mode" ] && [ -f /km-cases.sh ]; then
	. /km-access.sh
	. /km-cases.sh
	km_cases_$access_mode
fi
section mounts_after cat /proc/mounts
section unpriv_sysctl_default cat /proc/sys/kernel/unprivileged_bpf_disabled
section nobody_default_json as_nobody "id -u; $FP --json"
sysctl -w kernel.unprivileged_bpf_disabled=0 >/dev/null 2>&1
section unpriv_sysctl_set cat /proc/sys/kernel/unprivileged_bpf_disabled
section nobody_unpriv0_json as_nobody "id -u; $FP --json"
section nobody_unpriv0_backend as_nobody "$FP backend"
# Ground truth, now that featprobe has run: mount securityfs and tracefs.
mkdir -p /mnt/sec /mnt/trace
section truth_lockdown sh -c 'mount -t securityfs none /mnt/sec && cat /mnt/sec/lockdown'
section truth_tracefs sh -c 'mount -t tracefs none /mnt/trace && cat /mnt/trace/events/sched/sched_switch/id'
section truth_modules sh -c 'cat /proc/sys/kernel/modules_disabled; ls /lib/modules 2>&1'
# A kernel with its module tree (run.sh carries one for CONFIG_MODULES=y;
# /km-modload says what to load): does the kernel load a module? One
# signed by Debian through modules.dep (km_signed: nhc_hop pulls in
# 6lowpan, ipip tunnel4 and ip_tunnel), a .ko.xz handed to the kernel to
# decompress itself when it can (km-helper: finit_module with
# MODULE_INIT_COMPRESSED_FILE; busybox modprobe does not pass that flag),
# and one with its signature cut off, which is what the kmod backend would
# load; /proc/modules says what got in.
if [ -s "/lib/modules/$(uname -r)/modules.dep" ] && [ -f /km-modload ]; then
	. /km-modload
	section truth_modprobe_signed modprobe "$km_signed"
	if [ -n "${km_finit_compressed:-}" ]; then
		section truth_sys_module_compression cat /sys/module/compression
		section truth_finit_compressed km-helper finit "$km_finit_compressed"
	fi
	section truth_insmod_unsigned insmod /km-unsigned/crc7.ko
	section truth_proc_modules cat /proc/modules
fi
echo "@@KM-DONE@@"
sync
poweroff -f
