#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# featprobe --target on real Debian kernel packages: the newest 6.1 and
# 6.12 cloud kernels (lz4 and zstd bzImages), fetched with apt-get download
# into the kernel matrix's package cache and unpacked with dpkg-deb -x. Its verdicts and the layout of
# sched:sched_switch are checked against the package's own config and the
# BTF of its vmlinux, extracted independently (tests/kernels/bzimage.py,
# the payload's decompressor tool, objcopy, bpftool); the BTF libfeat reads
# out of vmlinuz must give what the extracted raw BTF gives.
#
#   FEAT_KERNEL_CACHE       the package cache (default: the build tree's
#                           tests/kernels/cache, as make check-kernels)
#   FEAT_TARGET_PACKAGES    apt-cache regexes of the packages
# A kernel whose package, or a tool to read it independently, cannot be
# had is skipped with the reason; exit 77 when every one is.
set -u
LC_ALL=C
export LC_ALL

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
FEATPROBE=${FEATPROBE:-$top_builddir/featprobe}
cache=${FEAT_KERNEL_CACHE:-$top_builddir/tests/kernels/cache}
patterns=${FEAT_TARGET_PACKAGES:-'^linux-image-6\.1\.0-[0-9]+-cloud-amd64-unsigned$ ^linux-image-6\.12\.[0-9]+\+deb12-cloud-amd64-unsigned$'}

skip()
{
	echo "SKIP: $*"
	exit 77
}
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

for t in python3 dpkg-deb apt-cache apt-get objcopy bpftool; do
	command -v $t >/dev/null 2>&1 || skip "$t is not installed"
done
[ -x "$FEATPROBE" ] || skip "$FEATPROBE is not built"

work=$(mktemp -d "${TMPDIR:-/tmp}/feat-target.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT

. "$top_srcdir/tests/kernels/fetch.sh"

# check_kernel DEB: every check on one package; 77 when it cannot be read.
check_kernel()
{
deb=$1
pkg=$(dpkg-deb -f "$deb" Package)
rel=${pkg#linux-image-}
rel=${rel%-unsigned}
echo "== $(basename "$deb"): release $rel"

# --- the target, as a user makes it ---
target=$work/target
rm -rf "$target" "$work/vmlinux" "$work/payload" "$work/btf"
dpkg-deb -x "$deb" "$target" || { echo "SKIP: dpkg-deb -x $deb failed"; return 77; }
[ -f "$target/boot/vmlinuz-$rel" ] && [ -f "$target/boot/config-$rel" ] ||
	{ echo "SKIP: $deb holds no boot/vmlinuz-$rel and boot/config-$rel"; return 77; }

# --- the same kernel's BTF, extracted another way ---
fmt=$(python3 "$top_srcdir/tests/kernels/bzimage.py" "$target/boot/vmlinuz-$rel" "$work/payload") ||
	{ echo "SKIP: bzimage.py cannot read vmlinuz-$rel"; return 77; }
case $fmt in
gzip) dec="gzip -dc" ;;
xz) dec="xz -dc" ;;
lzma) dec="xz --format=lzma -dc" ;;
lz4) dec="lz4 -dc" ;;
zstd) dec="zstd -dc" ;;
*) echo "SKIP: vmlinuz-$rel is compressed with $fmt: no test decompressor"; return 77 ;;
esac
command -v "${dec%% *}" >/dev/null 2>&1 ||
	{ echo "SKIP: ${dec%% *} is needed to unpack the $fmt vmlinuz of $rel"; return 77; }
$dec <"$work/payload" >"$work/vmlinux" 2>/dev/null || { echo "SKIP: $dec failed on the payload of vmlinuz-$rel"; return 77; }
objcopy -O binary --only-section=.BTF "$work/vmlinux" "$work/btf" ||
	{ echo "SKIP: objcopy cannot read the vmlinux of $rel"; return 77; }
[ -s "$work/btf" ] || { echo "SKIP: the vmlinux of $rel has no .BTF"; return 77; }
# The build says which compressions libfeat reads.
case $fmt in
gzip) have=1 ;;
xz | lzma) have=$(grep -c '^#define HAVE_LZMA 1' "$top_builddir/config.h") ;;
lz4) have=$(grep -c '^#define HAVE_LZ4 1' "$top_builddir/config.h") ;;
zstd) have=$(grep -c '^#define HAVE_ZSTD 1' "$top_builddir/config.h") ;;
esac
bpftool btf dump file "$work/btf" >"$work/btf.txt" 2>/dev/null || { echo "SKIP: bpftool cannot dump the BTF of $rel"; return 77; }
rm -f "$work/vmlinux" "$work/payload"

# --- featprobe --target ---
"$FEATPROBE" --target "$target" --json >"$work/target.json" 2>"$work/target.err"
rc=$?
[ $rc -eq 0 ] && pass "featprobe --target: exit 0" || fail "featprobe --target: exit $rc: $(cat "$work/target.err")"
if [ "$have" = 0 ]; then
	grep -q "compression is not supported" "$work/target.json" &&
		pass "$fmt image without its library: said so" ||
		fail "$fmt image without its library: $(cat "$work/target.json")"
	echo "SKIP: $rel: this build does not read $fmt images (configure found no library)"
	return 77
fi
python3 - "$work/target.json" "$target/boot/config-$rel" "$work/btf.txt" "$rel" <<'EOF' || failed=$((failed + 1))
import json, re, sys

doc = json.load(open(sys.argv[1]))
cfg = {}
for line in open(sys.argv[2], errors="replace"):
    m = re.match(r"(CONFIG_\w+)=(.*)$", line.strip())
    if m:
        cfg[m.group(1)] = m.group(2)
dump = open(sys.argv[3]).read()
rel = sys.argv[4]
bad = 0


def check(cond, what):
    global bad
    print(("PASS: " if cond else "FAIL: ") + what)
    bad += not cond


def on(name):
    return cfg.get(name, "n") in ("y", "m")


def enumerator(name):
    return re.search(r"^\s+'%s' val=" % name, dump, re.M) is not None


f = doc["features"]
types = len(re.findall(r"^\[\d+\] ", dump, re.M))
check(doc["kernel"]["release"] == rel, "release %s found in the target (%s)" % (doc["kernel"]["release"], rel))
check(doc["kernel"].get("offline") is True, "offline")
check(doc["kconfig"]["source"] == "/boot/config-" + rel, "kconfig read from /boot/config-%s (%s)" % (rel, doc["kconfig"]["source"]))
check(f["btf"]["state"] == "yes" and f["btf"]["source"] == "/boot/vmlinuz-" + rel,
      "BTF read from vmlinuz (%s: %s)" % (f["btf"]["source"], f["btf"]["detail"]))
check(("with %d BTF types" % types) in (f["btf"]["detail"] or ""), "%d BTF types, as bpftool counts" % types)
events = on("CONFIG_BPF_SYSCALL") and on("CONFIG_BPF_EVENTS")
expect = {
    "bpf": on("CONFIG_BPF_SYSCALL"),
    "raw_tp": events and enumerator("BPF_PROG_TYPE_RAW_TRACEPOINT"),
    "tp_btf": events and enumerator("BPF_PROG_TYPE_TRACING") and enumerator("BPF_TRACE_RAW_TP"),
    "tracepoint": events and enumerator("BPF_PROG_TYPE_TRACEPOINT"),
    "tracefs": on("CONFIG_TRACING"),
    "kmod": on("CONFIG_MODULES"),
}
for name, want in expect.items():
    r = f[name]
    check(r["state"] == "unknown" and r["errno"] == "ENODEV" and r["static"] is True and
          r["kernel"] == ("yes" if want else "no"),
          "%s: kernel %s (static), config and BTF say %s" % (name, r["kernel"], "yes" if want else "no"))
backend = "tp_btf" if expect["tp_btf"] else "raw_tp" if expect["raw_tp"] else "tracepoint"
check(doc["backend"]["choice"] == backend, "backend %s (expected %s)" % (doc["backend"]["choice"], backend))
sys.exit(1 if bad else 0)
EOF

# --- featprobe layout --target: both forms against the BTF ---
"$FEATPROBE" layout --target "$target" --format json sched:sched_switch >"$work/layout.json" 2>"$work/layout.err"
rc=$?
[ $rc -eq 0 ] && pass "featprobe layout --target: exit 0" || fail "featprobe layout --target: exit $rc: $(cat "$work/layout.err")"
python3 - "$work/layout.json" "$work/btf.txt" <<'EOF' || failed=$((failed + 1))
import json, re, sys

lay = json.load(open(sys.argv[1]))
dump = open(sys.argv[2]).read()
bad = 0


def check(cond, what):
    global bad
    print(("PASS: " if cond else "FAIL: ") + what)
    bad += not cond


def record(kind, name):
    """The members (name, bits_offset) or params (name) of a BTF type from bpftool's dump."""
    m = re.search(r"^\[(\d+)\] %s '%s' (.*)\n((?:\t.*\n)*)" % (kind, re.escape(name)), dump, re.M)
    if not m:
        return None, None
    return m.group(2), m.group(3)


def by_id(i):
    m = re.search(r"^\[%s\] (\w+) '([^']*)' (.*)\n((?:\t.*\n)*)" % i, dump, re.M)
    return m.groups() if m else None


head, body = record("STRUCT", "trace_event_raw_sched_switch")
members = [(n, int(o) // 8) for n, o in re.findall(r"'(\w+)' type_id=\d+ bits_offset=(\d+)", body or "")]
members = [m for m in members if m[0] not in ("ent", "__data")]
size = int(re.search(r"size=(\d+)", head).group(1)) if head else None
classic = lay.get("classic") or {}
fields = [(x["name"], x["offset"]) for x in classic.get("fields", [])]
check(members and fields == members, "classic fields and offsets = struct trace_event_raw_sched_switch: %s" % fields)
check(classic.get("size") == size, "classic record size %s = the struct's %s" % (classic.get("size"), size))
# The raw form: TP_PROTO names from __traceiter_ (or __probestub_), minus __data.
params = None
for fn in ("__probestub_sched_switch", "__traceiter_sched_switch"):
    head, _ = record("FUNC", fn)
    if head:
        proto = by_id(re.search(r"type_id=(\d+)", head).group(1))
        params = re.findall(r"'(\w*)' type_id=\d+", proto[3])[1:]
        break
raw = [a["name"] for a in (lay.get("raw") or {}).get("args", [])]
check(params is not None and raw == params, "raw args %s = the BTF prototype's %s" % (raw, params))
check([a["slot"] for a in lay["raw"]["args"]] == list(range(len(raw))), "one u64 slot per argument")
sys.exit(1 if bad else 0)
EOF

# SYS:NAME names a tracepoint of a catalog built from BTF alone (no systems).
out=$("$FEATPROBE" --target "$target" backend sched:sched_switch 2>&1)
rc=$?
exp=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["backend"]["choice"])' "$work/target.json" 2>/dev/null)
[ $rc -eq 0 ] && [ "$(echo "$out" | sed -n 1p)" = "$exp" ] && pass "featprobe backend --target sched:sched_switch: $exp" ||
	fail "featprobe backend --target sched:sched_switch: exit $rc: $out"

# --- --btf vmlinuz gives what --btf of the extracted raw BTF gives ---
for what in "" "layout sched:sched_switch" "list sched_*"; do
	# shellcheck disable=SC2086
	"$FEATPROBE" --json --btf "$target/boot/vmlinuz-$rel" --release "$rel" $what >"$work/a.json" 2>&1
	# shellcheck disable=SC2086
	"$FEATPROBE" --json --btf "$work/btf" --release "$rel" $what >"$work/b.json" 2>&1
	# The btf probe's own detail and source name the file: drop them.
	python3 - "$work/a.json" "$work/b.json" <<'EOF'
import json, sys
docs = []
for p in sys.argv[1:]:
    d = json.load(open(p))
    if "features" in d:
        d["features"]["btf"].pop("detail")
        d["features"]["btf"].pop("source")
    docs.append(d)
sys.exit(0 if docs[0] == docs[1] and docs[0] else 1)
EOF
	[ $? -eq 0 ] && pass "--btf vmlinuz = --btf raw BTF: featprobe ${what:-report}" ||
		fail "--btf vmlinuz differs from --btf raw BTF: featprobe ${what:-report}: $(diff "$work/a.json" "$work/b.json" | head -c 400)"
done

[ -n "$first" ] || return 0
first=

# --- bad input: one line naming the file and the reason, no crash ---
vz=$target/boot/vmlinuz-$rel
size=$(wc -c <"$vz")
head -c $((size / 2)) "$vz" >"$work/vmlinuz-half"
head -c 8192 "$vz" >"$work/vmlinuz-head"
cp "$vz" "$work/vmlinuz-garbled"
# Overwrite 64 KiB in the middle of the payload.
dd if=/dev/urandom of="$work/vmlinuz-garbled" bs=65536 seek=$((size / 65536 / 2)) count=1 conv=notrunc 2>/dev/null
for f in vmlinuz-half vmlinuz-head vmlinuz-garbled; do
	out=$("$FEATPROBE" --btf "$work/$f" --release "$rel" layout sched:sched_switch 2>&1)
	rc=$?
	lines=$(printf '%s\n' "$out" | wc -l)
	if [ $rc -ge 1 ] && [ $rc -lt 64 ] && printf '%s' "$out" | grep -q "$work/$f" &&
		printf '%s' "$out" | grep -qE 'truncated|corrupt|runs past'; then
		pass "$f: exit $rc, $lines line(s): $(printf '%s' "$out" | head -n 1)"
	else
		fail "$f: exit $rc: $out"
	fi
	"$FEATPROBE" --json --btf "$work/$f" --release "$rel" >"$work/bad.json" 2>/dev/null
	python3 -c 'import json,sys; b=json.load(open(sys.argv[1]))["features"]["btf"]; sys.exit(0 if b["state"] == "unknown" and b["errno"] == "EBADMSG" and sys.argv[2] in b["detail"] else 1)' \
		"$work/bad.json" "$work/$f" && pass "$f: btf unknown (EBADMSG) in the report" ||
		fail "$f: report: $(cat "$work/bad.json")"
done

# --- Fedora's layout: config and vmlinuz in lib/modules/R ---
mkdir -p "$work/fedora/lib/modules/$rel"
cp "$target/boot/vmlinuz-$rel" "$work/fedora/lib/modules/$rel/vmlinuz"
cp "$target/boot/config-$rel" "$work/fedora/lib/modules/$rel/config"
"$FEATPROBE" --target "$work/fedora" --json >"$work/fedora.json" 2>&1
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); b=d["features"]["btf"]; sys.exit(0 if b["state"] == "yes" and b["source"].endswith("/vmlinuz") and d["kconfig"]["source"].endswith("/config") else 1)' \
	"$work/fedora.json" && pass "lib/modules/R/{vmlinuz,config} (Fedora's places) are read" ||
	fail "Fedora layout: $(cat "$work/fedora.json")"
rm -rf "$work/fedora"

# --- --target DIR names one release, or says what to do ---
mkdir -p "$work/two/boot" "$work/two/lib/modules/9.9.9-other" "$work/none"
cp "$target/boot/config-$rel" "$work/two/boot/"
out=$("$FEATPROBE" --target "$work/two" 2>&1)
rc=$?
[ $rc -eq 3 ] && echo "$out" | grep -q -- "--release" && [ "$(echo "$out" | wc -l)" -eq 1 ] &&
	pass "two releases: exit 3, $out" || fail "two releases: exit $rc: $out"
"$FEATPROBE" --target "$work/two" --release "$rel" check --kernel CONFIG_BPF_EVENTS >/dev/null 2>&1
rc=$?
[ $rc -eq 0 ] && pass "two releases, --release picks one: check --kernel CONFIG_BPF_EVENTS yes" ||
	fail "two releases with --release: exit $rc"
out=$("$FEATPROBE" --target "$work/none" 2>&1)
rc=$?
[ $rc -eq 3 ] && echo "$out" | grep -q "no kernel" && pass "no release: exit 3, $out" ||
	fail "no release: exit $rc: $out"

}

# The patterns hold [0-9]: split them without globbing.
set -f
# shellcheck disable=SC2086
set -- $patterns
set +f
# One package missing from the lists: the others still count.
debs=
for p in "$@"; do
	if fetch_kernel_debs "$cache" "$work" "$p"; then
		debs="$debs $fetched_debs"
	else
		echo "SKIP: $fetch_why"
	fi
done
first=yes
checked=0
for deb in $debs; do
	check_kernel "$deb"
	[ $? -eq 77 ] || checked=$((checked + 1))
done
echo "$failed failed, $checked kernel(s) checked"
[ $checked -gt 0 ] || [ $failed -gt 0 ] || exit 77
[ $failed -eq 0 ]
