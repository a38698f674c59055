#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every module tracepoint of an unpacked Debian linux-image package against
# bpftool: featprobe's raw argument types (list --modules, layout) and
# bpftool's C dump of each module's btf_trace_ typedefs over the same
# vmlinux BTF. Not part of make check (minutes, and a 26 MB package):
#
#   apt-get download linux-image-6.1.0-50-cloud-amd64-unsigned=6.1.176-1
#   dpkg-deb -x linux-image-*.deb pkg
#   tar -xJf tests/layout/fixtures/debian-6.1.176-1-cloud-amd64.tar.xz sys/kernel/btf/vmlinux
#   FEATPROBE=./featprobe sh tests/modules/sweep-package.sh pkg sys/kernel/btf/vmlinux
#
# VMLINUX_BTF must be that package's kernel's (the layout fixture's is, for
# 6.1.176-1). Plain .ko files only (objcopy reads them). Differences are
# listed; btf_dump names the second of two same-named structs NAME___2 (in
# the order it meets them), featprobe names it plainly: those are counted
# apart.
set -eu
LC_ALL=C
export LC_ALL
pkg=$1
vmlinux=$2
fp=${FEATPROBE:?FEATPROBE must name the built featprobe}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rel=$(ls "$pkg/lib/modules" | head -n 1)
mkdir -p "$tmp/root/sys/kernel/btf" "$tmp/root/proc/sys/kernel" "$tmp/btf"
cp "$vmlinux" "$tmp/root/sys/kernel/btf/vmlinux"
echo "$rel" >"$tmp/root/proc/sys/kernel/osrelease"
ln -s "$(cd "$pkg" && pwd)/lib" "$tmp/root/lib"

args=
for f in $(find "$pkg/lib/modules/$rel/kernel" -name '*.ko'); do
	grep -q 'btf_trace_' "$f" || continue
	n=$(basename "$f" .ko | tr - _)
	objcopy -O binary --only-section=.BTF --set-section-flags .BTF=alloc "$f" "$tmp/btf/$n"
	args="$args $n=$tmp/btf/$n"
done
# shellcheck disable=SC2086
sh "$here/../fixtures/modules/make-oracle.sh" "$vmlinux" $args >"$tmp/oracle"
"$fp" --root "$tmp/root" layout '*/*' --modules --form raw -j >"$tmp/layouts"
python3 - "$tmp/oracle" "$tmp/layouts" <<'EOF'
import json, re, sys

def split_args(s):
    parts, depth, cur = [], 0, ""
    for ch in s:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    return parts + [cur.strip()]

oracle = {}
for line in open(sys.argv[1]):
    m = re.match(r"(\S+) (\d+) btf_trace_(\w+)\((.*)\)$", line.strip())
    oracle[(m.group(1), m.group(3))] = (int(m.group(2)), split_args(m.group(4))[1:])
got = {}
for o in json.load(open(sys.argv[2])):
    if o.get("module"):
        name = re.split("[:/]", o["tracepoint"])[-1]
        got[(o["module"], name)] = (o["raw"]["btf_id"], [a["type"] for a in o["raw"]["args"]])
same = sum(1 for k in oracle if got.get(k) == oracle[k])
suffixed = [k for k in oracle if k in got and got[k] != oracle[k] and
            (got[k][0], [re.sub(r"___\d+", "", t) for t in oracle[k][1]]) == got[k]]
other = [k for k in oracle if k in got and got[k] != oracle[k] and k not in suffixed]
missing = [k for k in oracle if k not in got]
extra = [k for k in got if k not in oracle]
print("%d module tracepoints (bpftool), %d by featprobe: %d identical, %d differ only by btf_dump's ___N "
      "suffix, %d differ, %d missing, %d extra" % (len(oracle), len(got), same, len(suffixed), len(other),
                                                   len(missing), len(extra)))
for k in other[:20] + missing[:20] + extra[:20]:
    print("  %s/%s: bpftool %s, featprobe %s" % (k[0], k[1], oracle.get(k), got.get(k)))
sys.exit(1 if other or missing or extra else 0)
EOF
