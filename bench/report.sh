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

python3 - "$out/h.json" "$cold_us" <<'PY'
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
PY
