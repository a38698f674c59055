#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Tracepoints of kernel modules, on real files of Debian's
# linux-image-6.1.0-50-cloud-amd64-unsigned 6.1.176-1 (tests/fixtures/
# PROVENANCE.md): the vmlinux BTF and tracefs of that kernel
# (tests/layout/fixtures/debian-6.1.176-1-cloud-amd64.tar.xz) with
#  - roots/debian-6.1-modules-loaded: watchdog and kyber_iosched loaded
#    (their /sys/kernel/btf/MODULE and tracefs format files, as the booted
#    kernel showed them);
#  - roots/debian-6.1-modules-files: watchdog loaded, kyber_iosched and nbd
#    not: their files in lib/modules/R (nbd as .ko.xz), indexed by depmod.
# The oracles are not this code's: bpftool's reading of each module's BTF
# (fixtures/modules/bpftool-btf-trace.txt, checked again here when bpftool
# is installed) for the raw arguments, and the kernel's own format files
# for the classic records laid out from BTF. Then malformed inputs: module
# BTF over another kernel's vmlinux, a truncated .ko, a truncated .ko.xz,
# FIFOs in place of the files: one line each, no crash, and under valgrind
# (when installed) no leak.
set -u
LC_ALL=C
export LC_ALL
fp=${FEATPROBE:?FEATPROBE must name the built featprobe}
src=${top_srcdir:-.}
bld=${top_builddir:-.}
fix=$src/tests/fixtures
rel=6.1.0-50-cloud-amd64

skip() { echo "SKIP: $*"; exit 77; }
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
command -v xz >/dev/null 2>&1 || skip "xz is not installed (the 6.1 fixture is a .tar.xz)"
[ -x "$fp" ] || skip "$fp is not built"

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

# --- the roots ---
mkdir "$tmp/base" "$tmp/base12"
tar -xJf "$src/tests/layout/fixtures/debian-6.1.176-1-cloud-amd64.tar.xz" -C "$tmp/base" ||
	skip "cannot unpack the 6.1 layout fixture"
tar -xJf "$src/tests/layout/fixtures/debian-6.12.117-1-cloud-amd64.tar.xz" -C "$tmp/base12" \
	sys/kernel/btf/vmlinux || skip "cannot unpack the 6.12 layout fixture"
L=$tmp/loaded
F=$tmp/files
cp -r "$tmp/base" "$L" && cp -r "$fix/roots/debian-6.1-modules-loaded/." "$L/" || exit 1
mkdir -p "$F/sys/kernel/btf" && cp "$tmp/base/sys/kernel/btf/vmlinux" "$F/sys/kernel/btf/" &&
	cp -r "$fix/roots/debian-6.1-modules-files/." "$F/" || exit 1

# --- the oracle, again from bpftool when it is here ---
oracle=$fix/modules/bpftool-btf-trace.txt
if command -v bpftool >/dev/null 2>&1; then
	# FILE=MODULE pairs: raw .BTF of the loaded ones, and the .BTF of
	# the module files (objcopy), or the kernel's sysfs copy.
	md=$F/lib/modules/$rel/kernel
	if command -v objcopy >/dev/null 2>&1; then
		xz -dc "$md/drivers/block/nbd.ko.xz" >"$tmp/nbd.ko"
		objcopy -O binary --only-section=.BTF --set-section-flags .BTF=alloc "$tmp/nbd.ko" "$tmp/nbd.btf"
		sh "$fix/modules/make-oracle.sh" "$L/sys/kernel/btf/vmlinux" \
			watchdog="$L/sys/kernel/btf/watchdog" \
			kyber_iosched="$L/sys/kernel/btf/kyber_iosched" nbd="$tmp/nbd.btf" >"$tmp/oracle" 2>&1
		if cmp -s "$tmp/oracle" "$oracle"; then
			ok "bpftool reads the fixtures as the stored oracle says ($(wc -l <"$oracle") typedefs)"
		else
			bad "bpftool's reading differs from $oracle:"
			diff "$oracle" "$tmp/oracle" | head -20
		fi
	fi
else
	echo "note: bpftool is not installed: the stored oracle is used as it is"
fi

# --- loaded modules: tracefs events, raw form from /sys/kernel/btf/MODULE ---
"$fp" --root "$L" list -j >"$tmp/L.list" 2>"$tmp/L.err" || bad "list --root loaded: $(cat "$tmp/L.err")"
[ -s "$tmp/L.err" ] && bad "list --root loaded said: $(cat "$tmp/L.err")"
for tp in watchdog:watchdog_start watchdog:watchdog_ping watchdog:watchdog_stop \
	watchdog:watchdog_set_timeout kyber:kyber_latency kyber:kyber_adjust kyber:kyber_throttled; do
	"$fp" --root "$L" layout "$tp" -j >"$tmp/L.$tp.json" 2>"$tmp/L.$tp.err" ||
		bad "layout $tp --root loaded: $(cat "$tmp/L.$tp.err")"
done
"$fp" --root "$L" layout kyber_latency -j >"$tmp/L.name.json" 2>&1 || bad "layout kyber_latency (NAME alone)"
"$fp" --root "$L" backend kyber:kyber_latency >"$tmp/L.backend" 2>&1 || bad "backend kyber:kyber_latency"

# --- modules not loaded: their files through libkmod ---
"$fp" --root "$F" list -j >"$tmp/F.list0" 2>"$tmp/F.err0" || bad "list --root files: $(cat "$tmp/F.err0")"
"$fp" --root "$F" list --modules -j >"$tmp/F.list" 2>"$tmp/F.err" ||
	bad "list --modules --root files: $(cat "$tmp/F.err")"
[ -s "$tmp/F.err" ] && bad "list --modules said: $(cat "$tmp/F.err")"
for tp in kyber_iosched/kyber_latency kyber_iosched/kyber_adjust kyber_iosched/kyber_throttled \
	nbd/nbd_header_sent nbd/nbd_header_received nbd/nbd_payload_sent nbd/nbd_payload_received \
	nbd/nbd_send_request watchdog/watchdog_start watchdog/watchdog_set_timeout; do
	f=$(echo "$tp" | tr / .)
	"$fp" --root "$F" layout "$tp" -j >"$tmp/F.$f.json" 2>"$tmp/F.$f.err" ||
		bad "layout $tp --root files: $(cat "$tmp/F.$f.err")"
done
# The file's name has '-', the module's '_' (KBUILD_MODNAME).
"$fp" --root "$F" layout kyber-iosched/kyber_adjust -j >"$tmp/F.dash.json" 2>&1 ||
	bad "layout kyber-iosched/kyber_adjust: $(cat "$tmp/F.dash.json")"
"$fp" --root "$F" backend kyber_iosched/kyber_latency >"$tmp/F.backend" 2>&1 ||
	bad "backend kyber_iosched/kyber_latency"

# The library's API on the same roots.
api=$bld/tests/modules/test-modules-api
if [ -x "$api" ]; then
	"$api" "$L" "$F" || fail=1
else
	echo "note: $api is not built: the API checks did not run"
fi

python3 - "$tmp" "$oracle" <<'EOF' || fail=1
import json, os, re, sys
tmp, oracle_path = sys.argv[1], sys.argv[2]
bad = 0
def fail(msg):
    global bad
    bad += 1
    print("FAIL: " + msg)

# The oracle: MODULE ID btf_trace_NAME(void *, T1, T2, ...)
oracle, oracle_id = {}, {}
for line in open(oracle_path):
    m = re.match(r"(\S+) (\d+) btf_trace_(\w+)\((.*)\)$", line.strip())
    args = [a.strip() for a in m.group(4).split(",")]
    assert args[0] == "void *"
    oracle[m.group(3)] = (m.group(1), args[1:])
    oracle_id[m.group(3)] = int(m.group(2))

def load(name):
    with open(os.path.join(tmp, name)) as f:
        return json.load(f)

def check_raw(what, j, name, module):
    mod, types = oracle[name]
    if j.get("module") != mod or j.get("btf_object") != mod:
        fail("%s: module %r btf_object %r, the oracle says %s" % (what, j.get("module"), j.get("btf_object"), mod))
    args = (j.get("raw") or {}).get("args")
    if args is None:
        fail("%s: no raw form: %s" % (what, j.get("raw_missing")))
        return 0
    if j["raw"].get("btf_id") != oracle_id[name]:
        fail("%s: btf_id %s, bpftool says %d" % (what, j["raw"].get("btf_id"), oracle_id[name]))
    got = [a["type"] for a in args]
    if got != types:
        fail("%s: raw types %s, bpftool says %s" % (what, got, types))
    if [a["slot"] for a in args] != list(range(len(types))):
        fail("%s: slots %s" % (what, [a["slot"] for a in args]))
    return len(types)

# Loaded: every module event of the saved tracefs, with its module.
lst = load("L.list")
mods = {e["tracepoint"]: e for e in lst if e.get("module")}
want = {"watchdog:" + n for n in oracle if oracle[n][0] == "watchdog"} | \
       {"kyber:" + n for n in oracle if oracle[n][0] == "kyber_iosched"}
if set(mods) != want:
    fail("loaded: module entries %s, expected %s" % (sorted(mods), sorted(want)))
for full, e in mods.items():
    name = e["name"]
    if not (e["classic"] and e["raw"] and e["module_loaded"] and e["args"] == len(oracle[name][1])):
        fail("loaded: %s: %s" % (full, e))
nraw = 0
for full in sorted(want):
    j = load("L.%s.json" % full)
    nraw += check_raw("loaded " + full, j, full.split(":")[1], None)
    src = (j.get("classic") or {}).get("source", "")
    if not src.startswith("saved tracefs events/"):
        fail("loaded %s: classic source %r" % (full, src))
if load("L.name.json").get("tracepoint") != "kyber:kyber_latency":
    fail("loaded: kyber_latency alone is %r" % load("L.name.json").get("tracepoint"))
print("ok: loaded modules: %d tracepoints, %d raw args agree with bpftool" % (len(want), nraw))

# Not loaded: only with --modules, named MODULE/NAME, no system.
plain = {e["tracepoint"] for e in load("F.list0") if e.get("module")}
if plain != {"watchdog/" + n for n in oracle if oracle[n][0] == "watchdog"}:
    fail("files, without --modules: module entries %s" % sorted(plain))
lst = {e["tracepoint"]: e for e in load("F.list") if e.get("module")}
want = {"%s/%s" % (oracle[n][0], n) for n in oracle}
if set(lst) != want:
    fail("files --modules: module entries %s, expected %s" % (sorted(lst), sorted(want)))
for full, e in lst.items():
    if e["system"] is not None or e["args"] != len(oracle[e["name"]][1]) or not e["raw"] or not e["classic"]:
        fail("files --modules: %s: %s" % (full, e))
    if e["module_loaded"] != (e["module"] == "watchdog"):
        fail("files --modules: %s: module_loaded %s" % (full, e["module_loaded"]))
nraw = 0
for full in sorted(want):
    f = "F.%s.json" % full.replace("/", ".")
    if not os.path.exists(os.path.join(tmp, f)):
        continue
    j = load(f)
    nraw += check_raw("files " + full, j, full.split("/")[1], None)
print("ok: module files: %d tracepoints listed, %d raw args agree with bpftool" % (len(want), nraw))

# The classic record from the module's BTF (trace_event_raw_*) against the
# kernel's own format file of the same event (the loaded root).
def fields(j):
    c = j["classic"]
    return [(f["name"], f["offset"], f["size"], f["signed"], f["array"], f["dynamic"])
            for f in c["common"] + c["fields"]], c["size"]
n = 0
for sysname, mod, names in (("kyber", "kyber_iosched", ("kyber_latency", "kyber_adjust", "kyber_throttled")),
                            ("watchdog", "watchdog", ("watchdog_start", "watchdog_set_timeout"))):
    for name in names:
        b = load("F.%s.%s.json" % (mod, name))
        t = load("L.%s:%s.json" % (sysname, name))
        src = b["classic"]["source"] if b.get("classic") else b.get("classic_missing")
        if mod != "watchdog" and not src.startswith("BTF struct trace_event_raw_"):
            fail("files %s/%s: classic source %r" % (mod, name, src))
        if fields(b) != fields(t):
            fail("%s/%s: BTF %s != format file %s" % (mod, name, fields(b), fields(t)))
        n += 1
print("ok: %d classic records from module BTF equal the kernel's format files" % n)
if load("F.dash.json").get("module") != "kyber_iosched":
    fail("kyber-iosched/kyber_adjust: %s" % load("F.dash.json").get("module"))
sys.exit(1 if bad else 0)
EOF

grep -q "^tp_btf$" "$tmp/L.backend" || bad "backend kyber:kyber_latency: $(head -1 "$tmp/L.backend")"

# The C text of one module's tracepoints compiles, both forms.
if command -v cc >/dev/null 2>&1; then
	"$fp" --root "$L" layout 'kyber:*' --format c >"$tmp/kyber.h" 2>&1 || bad "layout 'kyber:*' --format c"
	"$fp" --root "$F" layout 'nbd/*' --modules --format c >"$tmp/nbd.h" 2>&1 ||
		bad "layout 'nbd/*' --modules --format c"
	for h in kyber nbd; do
		for d in -USTAPPROBE_RAW -DSTAPPROBE_RAW; do
			printf '#include "%s.h"\n' $h >"$tmp/$h.c"
			cc $d -fsyntax-only -Wall -Werror -c "$tmp/$h.c" -o /dev/null 2>"$tmp/cc.err" ||
				bad "$h.h $d does not compile: $(head -3 "$tmp/cc.err")"
		done
	done
	ok "C text of kyber:* (loaded) and nbd/* (a .ko.xz) compiles, both forms"
fi
# One C unit over vmlinux's and modules' tracepoints: every tracepoint of
# the loaded root, and of the root whose modules are files only; a type of
# vmlinux declared by both a vmlinux and a module layout must be defined
# once, or the unit does not compile.
if command -v cc >/dev/null 2>&1; then
	"$fp" --root "$L" layout '*' --format c >"$tmp/all-L.h" 2>"$tmp/mixed.err" ||
		bad "layout '*' --format c over vmlinux and loaded modules: $(cat "$tmp/mixed.err")"
	"$fp" --root "$F" layout '*' --modules --format c >"$tmp/all-F.h" 2>"$tmp/mixed.err" ||
		bad "layout '*' --modules --format c: $(cat "$tmp/mixed.err")"
	grep -q "BTF of module watchdog" "$tmp/all-L.h" && grep -q "BTF of module kyber_iosched" "$tmp/all-L.h" &&
		grep -q "^/\* sched:sched_switch \*/" "$tmp/all-L.h" ||
		bad "layout '*' of the loaded root lacks vmlinux's or a module's tracepoints"
	grep -q "BTF of module nbd, not loaded" "$tmp/all-F.h" ||
		bad "layout '*' --modules lacks nbd's tracepoints"
	for h in all-L all-F; do
		# gnu11 takes a typedef twice; a unit still should not.
		dup=$(grep -E '^(typedef .*;|(struct|union|enum) [A-Za-z_0-9]+ \{)$' "$tmp/$h.h" | grep -v '^struct stapprobe_' | sort | uniq -d | head -3)
		[ -z "$dup" ] || bad "$h.h declares twice: $dup"
		for d in -USTAPPROBE_RAW -DSTAPPROBE_RAW; do
			printf '#include "%s.h"\n' $h >"$tmp/$h.c"
			cc -std=gnu11 $d -fsyntax-only -Wall -Werror -c "$tmp/$h.c" -o /dev/null 2>"$tmp/cc.err" ||
				bad "$h.h $d does not compile: $(head -3 "$tmp/cc.err")"
		done
	done
	ok "one C unit of vmlinux's and modules' tracepoints compiles, both forms"
fi

# An unpacked package has no modules.dep (depmod runs when it is
# installed): the files under lib/modules/R are found all the same.
U=$tmp/unpacked
cp -r "$F" "$U" && rm -f "$U/lib/modules/$rel"/modules.* || exit 1
"$fp" --root "$U" layout kyber_iosched/kyber_throttled -j >"$tmp/U.json" 2>"$tmp/U.err" &&
	cmp -s "$tmp/U.json" "$tmp/F.kyber_iosched.kyber_throttled.json" ||
	bad "without modules.dep: layout kyber_iosched/kyber_throttled: $(cat "$tmp/U.err")"
"$fp" --root "$U" list --modules >"$tmp/U.list" 2>"$tmp/U.err" || bad "without modules.dep: list --modules"
[ "$(grep -c '\[module' "$tmp/U.list")" = 12 ] ||
	bad "without modules.dep: $(grep -c '\[module' "$tmp/U.list") module tracepoints, not 12: $(cat "$tmp/U.err")"
ok "without modules.dep: the module files under lib/modules/R"

# --- errors: one line each, naming the file ---
# expect_error ROOT WHAT PATTERN ARGS...: exit 3, and exactly one line
# matching PATTERN (a module's message) on stderr.
expect_error()
{
	root=$1 what=$2 pattern=$3
	shift 3
	timeout 20 "$fp" --root "$root" "$@" >"$tmp/e.out" 2>"$tmp/e.err"
	rc=$?
	if [ $rc != 3 ]; then
		bad "$what: featprobe $* exited $rc, expected 3: $(cat "$tmp/e.err")"
	elif [ "$(grep -c -- "$pattern" "$tmp/e.err")" != 1 ]; then
		bad "$what: expected one line matching '$pattern', got: $(cat "$tmp/e.err")"
	else
		ok "$what: $(grep -- "$pattern" "$tmp/e.err")"
	fi
}
expect_error "$F" "built-in module" "built into the kernel" layout binfmt_script/x
expect_error "$F" "unknown module" "not found in /lib/modules/$rel/modules.dep" layout nosuchmodule/x
expect_error "$F" "unknown tracepoint of a module" "no tracepoint nosuch" layout kyber_iosched/nosuch

# Module BTF over another kernel's vmlinux BTF (6.12's).
M=$tmp/mismatch
mkdir -p "$M/sys/kernel/btf" "$M/proc/sys/kernel"
cp "$tmp/base12/sys/kernel/btf/vmlinux" "$M/sys/kernel/btf/"
cp "$L/sys/kernel/btf/watchdog" "$M/sys/kernel/btf/"
echo 6.12.117+deb12-cloud-amd64 >"$M/proc/sys/kernel/osrelease"
expect_error "$M" "mismatched base" "/sys/kernel/btf/watchdog: not split BTF over this vmlinux BTF" \
	layout watchdog/watchdog_start
"$fp" --root "$M" list >/dev/null 2>"$tmp/m.err" || bad "list over a mismatched module BTF failed"
[ "$(grep -c "not split BTF" "$tmp/m.err")" = 1 ] || bad "list over a mismatched module BTF: $(cat "$tmp/m.err")"

# A truncated .ko, a truncated .ko.xz, FIFOs for a module file and for a
# module's sysfs BTF.
T=$tmp/broken
cp -r "$F" "$T"
md=$T/lib/modules/$rel/kernel
head -c 40000 "$F/lib/modules/$rel/kernel/block/kyber-iosched.ko" >"$md/block/kyber-iosched.ko"
head -c 12000 "$F/lib/modules/$rel/kernel/drivers/block/nbd.ko.xz" >"$md/drivers/block/nbd.ko.xz"
expect_error "$T" "truncated .ko" "/lib/modules/$rel/kernel/block/kyber-iosched.ko: truncated" \
	layout kyber_iosched/kyber_latency
if grep -q '^#define HAVE_LZMA 1' "$bld/config.h" 2>/dev/null; then
	expect_error "$T" "truncated .ko.xz" "/lib/modules/$rel/kernel/drivers/block/nbd.ko.xz: " \
		layout nbd/nbd_send_request
fi
# The broken ones are said and skipped; the others listed.
"$fp" --root "$T" list --modules >"$tmp/t.out" 2>"$tmp/t.err" || bad "list --modules with broken files failed"
[ "$(wc -l <"$tmp/t.err")" -le 2 ] && grep -q "kyber-iosched.ko" "$tmp/t.err" ||
	bad "list --modules with broken files said: $(cat "$tmp/t.err")"
grep -q "^watchdog/watchdog_start" "$tmp/t.out" || bad "list --modules with broken files lost watchdog"
rm "$md/block/kyber-iosched.ko" && mkfifo "$md/block/kyber-iosched.ko"
expect_error "$T" "FIFO for a module file" "kyber-iosched.ko: not a regular file" \
	layout kyber_iosched/kyber_latency
rm "$T/sys/kernel/btf/watchdog" && mkfifo "$T/sys/kernel/btf/watchdog"
expect_error "$T" "FIFO for a module's BTF" "/sys/kernel/btf/watchdog: not a regular file" \
	layout watchdog/watchdog_start

# Mutated module BTF (bytes flipped in the header, the types and the
# strings; a fixed seed): featprobe answers or refuses in one line, never
# crashes or hangs.
Z=$tmp/mutant
mkdir -p "$Z/sys/kernel/btf" "$Z/proc/sys/kernel"
cp "$L/sys/kernel/btf/vmlinux" "$Z/sys/kernel/btf/"
echo $rel >"$Z/proc/sys/kernel/osrelease"
python3 - "$L/sys/kernel/btf/watchdog" "$tmp/mutants" <<'EOF2'
import os, random, struct, sys
data = open(sys.argv[1], "rb").read()
os.mkdir(sys.argv[2])
rnd = random.Random(20261204)
hdr_len, type_off, type_len, str_off, str_len = struct.unpack_from("<5I", data, 4)
for i in range(120):
    b = bytearray(data)
    region = i % 3  # header, types, strings
    lo, hi = [(0, hdr_len), (hdr_len + type_off, hdr_len + type_off + type_len),
              (hdr_len + str_off, hdr_len + str_off + str_len)][region]
    for _ in range(1 + i % 4):
        pos = rnd.randrange(lo, hi)
        b[pos] = rnd.choice((0, 0xff, b[pos] ^ (1 << rnd.randrange(8)), rnd.randrange(256)))
    if i % 10 == 9:
        b = b[:rnd.randrange(len(b))]
    open(os.path.join(sys.argv[2], "%03d" % i), "wb").write(b)
EOF2
crashes=0 runs=0
for m in "$tmp/mutants"/*; do
	cp "$m" "$Z/sys/kernel/btf/watchdog"
	for args in "layout watchdog/watchdog_set_timeout" "layout watchdog_start -j" "list"; do
		runs=$((runs + 1))
		# shellcheck disable=SC2086
		timeout 20 "$fp" --root "$Z" $args >/dev/null 2>"$tmp/z.err"
		rc=$?
		if [ $rc != 0 ] && [ $rc != 3 ] && [ $rc != 1 ]; then
			crashes=$((crashes + 1))
			bad "mutant $(basename "$m"): featprobe $args exited $rc: $(head -2 "$tmp/z.err")"
		elif [ "$(wc -l <"$tmp/z.err")" -gt 2 ]; then
			bad "mutant $(basename "$m"): featprobe $args said $(wc -l <"$tmp/z.err") lines"
		fi
	done
done
[ $crashes = 0 ] && ok "$runs runs over 120 mutants of watchdog's BTF: no crash, no hang"

# --- no leak, no invalid access on these paths (valgrind, when installed) ---
if (ldd "$fp" 2>/dev/null | grep -q libasan) || (nm "$fp" 2>/dev/null | grep -q __asan_init); then
	echo "note: $fp is built with AddressSanitizer, which checks these paths itself: no valgrind"
elif command -v valgrind >/dev/null 2>&1; then
	supp=$src/tests/fuzz/valgrind.supp
	n=0
	# WANT_RC:ARGS, WANT_RC featprobe's own exit status.
	for run in "3:--root $M layout watchdog/watchdog_start" "3:--root $T layout kyber_iosched/kyber_latency" \
		"3:--root $T layout watchdog/watchdog_start" "0:--root $T list --modules" \
		"0:--root $F layout nbd/nbd_send_request" "0:--root $L layout kyber:kyber_latency"; do
		n=$((n + 1))
		want=${run%%:*}
		args=${run#*:}
		# shellcheck disable=SC2086
		timeout 300 valgrind -q --suppressions="$supp" --leak-check=full \
			--errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
			--log-file="$tmp/vg.$n" "$fp" $args >/dev/null 2>&1
		rc=$?
		if [ $rc = 99 ] || grep -q '^==[0-9]*==' "$tmp/vg.$n"; then
			bad "valgrind: featprobe $args:"
			grep '^==[0-9]*==' "$tmp/vg.$n" | head -20
		elif [ $rc != "$want" ]; then
			bad "valgrind: featprobe $args exited $rc, expected $want: $(head -3 "$tmp/vg.$n")"
		fi
	done
	ok "valgrind: $n runs over module BTF, files and errors"
else
	echo "note: valgrind is not installed: the leak checks did not run"
fi

[ $fail = 0 ] && echo "PASS: module tracepoints" || echo "FAIL: module tracepoints"
exit $fail
