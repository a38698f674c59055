#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# featprobe --root on hostile trees, made at run time: symlink loops, FIFOs
# and directories in place of files, a 1 GB sparse config, a gzip config
# that inflates past the library's limit, BTF files that are corrupt,
# truncated or of another (hand-made, older) kernel. No hang (each run is
# under timeout 10), no crash, errors of one line, unknown where the tree
# gives no evidence and no where it does not say no.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/hostile/lib.sh"
hostile_init test-root-tree
need_tool gzip mkfifo truncate

T=$HOSTILE_TMP
R=$T/root
rel=6.18.0-hostile
offline_unknown="bpf.state=unknown raw_tp.state=unknown tp_btf.state=unknown
	tracepoint.state=unknown tracefs.state=unknown"
no_evidence="raw_tp.kernel=unknown tp_btf.kernel=unknown tracepoint.kernel=unknown
	bpf.kernel=unknown btf.state=unknown kconfig.source=none backend=none"

# fp LABEL ARGS...: featprobe --json ARGS... (text with JSON= empty).
JSON=--json
fp()
{
	local label=$1
	shift
	FP_ARGS="$JSON $*" run_case "$label"
}

mkdir -p "$R/proc/sys/kernel" "$R/boot" "$R/sys/kernel/btf" \
	"$R/lib/modules/$rel/build"
echo "$rel" >"$R/proc/sys/kernel/osrelease"
mkfifo "$R/proc/version" "$R/proc/config.gz" "$R/lib/modules/$rel/build/.config"
ln -s loop-a "$R/boot/config-$rel"
ln -s loop-b "$R/boot/loop-a"
ln -s loop-a "$R/boot/loop-b"
ln -s vmlinux "$R/sys/kernel/btf/vmlinux"
truncate -s 1G "$R/lib/modules/$rel/config"
# The real BTF with its magic broken: a file that looks like BTF at a glance.
cp /sys/kernel/btf/vmlinux "$T/btf-badmagic"
printf '\x00\x00' | dd of="$T/btf-badmagic" bs=1 conv=notrunc status=none
cp "$T/btf-badmagic" "$R/boot/vmlinux-$rel"

fp "loops, FIFOs, 1 GB config, corrupt BTF" --root "$R"
expect "hostile root" $offline_unknown $no_evidence

JSON= fp "the same, text report" --root "$R"

# The vmlinux BTF a FIFO, then a directory, in a root that is otherwise fine.
R2=$T/root2
mkdir -p "$R2/proc/sys/kernel" "$R2/sys/kernel/btf"
echo "$rel" >"$R2/proc/sys/kernel/osrelease"
mkfifo "$R2/sys/kernel/btf/vmlinux"
fp "root with a FIFO as vmlinux BTF" --root "$R2"
expect "BTF FIFO in root" $offline_unknown $no_evidence
rm "$R2/sys/kernel/btf/vmlinux"
mkdir "$R2/sys/kernel/btf/vmlinux"
fp "root with a directory as vmlinux BTF" --root "$R2"
expect "BTF directory in root" $offline_unknown $no_evidence

# Each hostile file given directly.
mkfifo "$T/fifo"
fp "--btf FIFO" --root "$R" --btf "$T/fifo"
expect "--btf FIFO" $offline_unknown $no_evidence
fp "--kconfig FIFO" --root "$R" --kconfig "$T/fifo"
expect "--kconfig FIFO" $offline_unknown $no_evidence kconfig.errno!=none
fp "--kconfig 1 GB sparse" --root "$R" --kconfig "$R/lib/modules/$rel/config"
expect "--kconfig 1 GB" $offline_unknown $no_evidence kconfig.errno=EFBIG
head -c 64M /dev/zero | gzip -1 >"$T/bomb.gz"
fp "--kconfig gzip inflating to 64 MB" --root "$R" --kconfig "$T/bomb.gz"
expect "--kconfig gzip bomb" $offline_unknown $no_evidence kconfig.errno=EFBIG
mkdir "$T/dir-config"
EXPECT_RC=3
fp "--kconfig a directory" --root "$R" --kconfig "$T/dir-config"
ln -s root-loop "$T/root-loop"
fp "--root a symlink loop" --root "$T/root-loop"
EXPECT_RC=0

head -c 100000 /sys/kernel/btf/vmlinux >"$T/btf-short"
fp "--btf truncated to 100 kB" --btf "$T/btf-short" --release "$rel"
expect "--btf truncated" $offline_unknown btf.state=unknown btf.errno=EBADMSG \
	tp_btf.kernel!=no raw_tp.kernel!=no tracepoint.kernel!=no
fp "--btf with a broken magic" --btf "$T/btf-badmagic" --release "$rel"
expect "--btf bad magic" $offline_unknown btf.state=unknown \
	tp_btf.kernel!=no raw_tp.kernel!=no tracepoint.kernel!=no
cp /sys/kernel/btf/vmlinux "$T/btf-v2"
printf '\x02' | dd of="$T/btf-v2" bs=1 seek=2 conv=notrunc status=none
fp "--btf of BTF version 2" --btf "$T/btf-v2" --release "$rel"
expect "--btf v2" $offline_unknown btf.state=unknown btf.errno=EPROTO \
	tp_btf.kernel!=no raw_tp.kernel!=no tracepoint.kernel!=no

# Another kernel's BTF: its enum bpf_prog_type ends at RAW_TRACEPOINT, so
# it has raw_tp and classic tracepoints but no TRACING, hence no tp_btf.
python3 "$HOSTILE_DIR/mkbtf.py" old "$T/old.btf"
fp "--btf of an older kernel (no BPF_PROG_TYPE_TRACING)" \
	--btf "$T/old.btf" --release 4.19.0
expect "--btf older kernel" $offline_unknown btf.state=yes raw_tp.kernel=yes \
	tp_btf.kernel=no tracepoint.kernel=yes backend=raw_tp

hostile_finish
