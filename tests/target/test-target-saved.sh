#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# --target DIR with a saved copy of the target's format files, without a
# network: the Debian 6.1 root tree of the layout fixtures (format files
# and BTF saved from the kernel of linux-image-6.1.0-50-cloud-amd64, see
# tests/layout/fixtures/PROVENANCE) laid out as an unpacked package would
# be, with lib/modules/R naming the release. Layouts must come from the
# saved format files and equal what --root of the same tree gives.
set -u
LC_ALL=C
export LC_ALL

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
FEATPROBE=${FEATPROBE:-$top_builddir/featprobe}
tarball=$top_srcdir/tests/layout/fixtures/debian-6.1.176-1-cloud-amd64.tar.xz
rel=6.1.0-50-cloud-amd64
[ -x "$FEATPROBE" ] || { echo "SKIP: $FEATPROBE is not built"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 is not installed"; exit 77; }
[ -f "$tarball" ] || { echo "FAIL: $tarball is missing"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/feat-saved.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
failed=0
pass()
{
	echo "PASS: $*"
}
fail()
{
	echo "FAIL: $*"
	failed=$((failed + 1))
}

t=$work/target
mkdir -p "$t/lib/modules/$rel" && xz -dc "$tarball" | tar -xf - -C "$t" || exit 1

"$FEATPROBE" --target "$t" --json >"$work/report.json" 2>"$work/report.err"
python3 - "$work/report.json" "$rel" <<'EOF' && pass "report: release $rel from lib/modules, BTF from the saved sys/kernel/btf/vmlinux, tp_btf" ||
import json, sys
d = json.load(open(sys.argv[1]))
b = d["features"]["btf"]
sys.exit(0 if d["kernel"]["release"] == sys.argv[2] and b["state"] == "yes" and
         b["source"] == "/sys/kernel/btf/vmlinux" and d["backend"]["choice"] == "tp_btf" else 1)
EOF
	fail "report: $(cat "$work/report.json" "$work/report.err")"

for tp in sched:sched_switch sched:sched_wakeup block:block_rq_issue; do
	"$FEATPROBE" layout --target "$t" --format json "$tp" >"$work/target.json" 2>&1
	"$FEATPROBE" layout --root "$t" --release "$rel" --format json "$tp" >"$work/root.json" 2>&1
	src=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["classic"]["source"])' "$work/target.json" 2>/dev/null)
	if cmp -s "$work/target.json" "$work/root.json" && [ "${src#saved tracefs}" != "$src" ]; then
		pass "layout $tp: from the saved format file ($src), as --root gives it"
	else
		fail "layout $tp: $src: $(diff "$work/target.json" "$work/root.json" | head -5)"
	fi
done
# With format files the catalog knows systems: SYS:NAME must match exactly.
"$FEATPROBE" --target "$t" backend sched:sched_switch >/dev/null 2>&1 &&
	pass "backend sched:sched_switch found" || fail "backend sched:sched_switch not found"
"$FEATPROBE" --target "$t" backend nosuch:sched_switch >/dev/null 2>&1 &&
	fail "backend nosuch:sched_switch found in a catalog with systems" ||
	pass "backend nosuch:sched_switch: not found (the catalog has systems)"
# Nothing touches the running kernel: no bpf(), perf event, mount or
# uname, no file of the host's /sys, /proc, /boot, /lib/modules or /run.
if command -v strace >/dev/null 2>&1; then
	for cmd in "" "layout sched:sched_switch" "backend sched:sched_switch"; do
		# shellcheck disable=SC2086
		strace -f -qq -o "$work/strace.log" \
			-e trace=bpf,perf_event_open,fsopen,fsmount,mount,unshare,uname,open,openat,access,faccessat,faccessat2,stat,lstat,newfstatat,statx,readlink \
			"$FEATPROBE" --target "$t" --json $cmd >/dev/null 2>&1
		live=$(grep -E ' (bpf|perf_event_open|fsopen|fsmount|mount|unshare|uname)\(|"/(sys|proc|boot|run|lib/modules)[/"]' "$work/strace.log" |
			grep -v '"/proc/self/' | grep -vF "\"$work/" | head -n 3)
		[ -z "$live" ] && pass "featprobe --target ${cmd:-report}: no system call touches the running kernel" ||
			fail "featprobe --target ${cmd:-report} touched the running kernel: $live"
	done
else
	echo "SKIP: strace is not installed: the no-live-syscall check is not run"
fi
# --root and --target name the same thing: not both.
"$FEATPROBE" --target "$t" --root "$t" >/dev/null 2>&1
[ $? -eq 64 ] && pass "--target with --root: usage error" || fail "--target with --root accepted"

echo "$failed failed"
[ $failed -eq 0 ]
