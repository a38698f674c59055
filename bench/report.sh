#!/bin/sh
# Whole-process benchmark of `featprobe --json` against the anchors of the
# field, side by side in one hyperfine run: `bpftool feature probe kernel`
# and `bpftrace --info`. Needs root (the anchors probe as root), hyperfine,
# bpftool and bpftrace (Debian packages of those names).
#
#   make bench            or      FEATPROBE=./featprobe sh bench/report.sh
set -eu
FEATPROBE=${FEATPROBE:-./featprobe}
RUNS=${RUNS:-300}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

for tool in hyperfine bpftool bpftrace; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "bench: $tool is missing (apt-get install $tool)" >&2
		exit 77
	fi
done

# The first (cold) run: no per-boot cache yet, page cache dropped.
sync
echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true
start=$(date +%s%N)
FEAT_CACHE_DIR=$out/cache "$FEATPROBE" --json >/dev/null
end=$(date +%s%N)
cold_us=$(( (end - start) / 1000 ))

# Warm it once so that the timed runs see the per-boot cache.
"$FEATPROBE" --json >/dev/null

hyperfine -N --warmup 20 --runs "$RUNS" --export-json "$out/h.json" \
	"$FEATPROBE --json" \
	"bpftool feature probe kernel" \
	"bpftrace --info" >"$out/h.txt" 2>&1 || { cat "$out/h.txt"; exit 1; }

# Layouts: one tracepoint, both forms, against bpftrace's listing of the
# same tracepoint; the whole catalog with both layouts of every tracepoint
# as JSON, against bpftool's C dump of vmlinux BTF.
hyperfine -N --warmup 3 --runs "${LAYOUT_RUNS:-30}" --export-json "$out/l.json" \
	"$FEATPROBE layout sched:sched_switch" \
	"bpftrace -lv tracepoint:sched:sched_switch" \
	"$FEATPROBE layout --format json *" \
	"bpftool btf dump file /sys/kernel/btf/vmlinux format c" >"$out/l.txt" 2>&1 ||
	{ cat "$out/l.txt"; exit 1; }
# Access code: one expression, whole process, against bpftrace compiling
# a program that reads the same field (-d: parse and code generation, no
# load). bpftrace needs a mounted tracefs: it gets one in a private mount
# namespace, whose cost is measured alone beside it.
bt_prog='tracepoint:sched:sched_switch { print(args->prev_pid); }'
hyperfine -N --warmup 5 --runs "${ACCESS_RUNS:-50}" --export-json "$out/a.json" \
	"$FEATPROBE access sched:sched_switch \$prev->pid" \
	"$FEATPROBE access --backend tracepoint sched:sched_switch \$prev_pid" \
	"unshare -m sh -c 'mount -t tracefs none /sys/kernel/tracing && bpftrace -d -e \"$bt_prog\" >/dev/null 2>&1'" \
	"unshare -m sh -c 'mount -t tracefs none /sys/kernel/tracing'" >"$out/a.txt" 2>&1 ||
	{ cat "$out/a.txt"; exit 1; }
rss_kb=0
if [ -x /usr/bin/time ]; then	# Debian package "time"
	rss_kb=$(/usr/bin/time -f %M "$FEATPROBE" layout --format json '*' 2>&1 >/dev/null | tail -1)
fi

python3 - "$out/h.json" "$cold_us" "$out/l.json" "$rss_kb" "$out/a.json" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
cold_us = int(sys.argv[2])
med = {r["command"]: r["median"] * 1000 for r in res}
mean = {r["command"]: r["mean"] * 1000 for r in res}
fp = [c for c in med if c.endswith("--json")][0]
print("| command | median ms | mean ms | median / featprobe |")
print("| --- | --- | --- | --- |")
for c in med:
    print(f"| `{c.split('/')[-1]}` | {med[c]:.2f} | {mean[c]:.2f} | {med[c] / med[fp]:.1f}x |")
print(f"\nfirst (cold) run of featprobe --json, empty cache, page cache dropped: {cold_us / 1000:.2f} ms")
lres = json.load(open(sys.argv[3]))["results"]
print("\n| command | median ms | mean ms |")
print("| --- | --- | --- |")
for r in lres:
    c = r["command"].split("/")[-1] if r["command"].startswith("/") else r["command"]
    print(f"| `{c}` | {r['median'] * 1000:.1f} | {r['mean'] * 1000:.1f} |")
print(f"\npeak RSS of featprobe layout --format json '*': {int(sys.argv[4]) / 1024:.1f} MB")
ares = json.load(open(sys.argv[5]))["results"]
print("\n| command | median ms | mean ms |")
print("| --- | --- | --- |")
for r in ares:
    c = r["command"].split("/")[-1] if r["command"].startswith("/") else r["command"]
    print(f"| `{c}` | {r['median'] * 1000:.1f} | {r['mean'] * 1000:.1f} |")
PY
