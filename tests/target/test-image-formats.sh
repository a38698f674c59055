#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# BTF out of kernel images, without a network: a small BTF (mkbtf.py old)
# put in an ELF's .BTF section (mkimage.py elf), compressed with each tool
# the kernel build uses (gzip, xz, lzma, zstd, lz4 -l) and wrapped in an
# x86 bzImage (mkimage.py bzimage). --btf of each must report what --btf of
# the raw BTF reports; compressions this build cannot inflate, truncated
# and corrupt images, an ELF without .BTF and unknown payloads must give an
# unknown naming the file and the reason, never a crash.
set -u
LC_ALL=C
export LC_ALL

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
FEATPROBE=${FEATPROBE:-$top_builddir/featprobe}
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 is not installed"; exit 77; }
[ -x "$FEATPROBE" ] || { echo "SKIP: $FEATPROBE is not built"; exit 77; }

work=$(mktemp -d "${TMPDIR:-/tmp}/feat-image.XXXXXX") || exit 1
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
built()
{
	grep -q "^#define $1 1" "$top_builddir/config.h"
}

python3 "$top_srcdir/tests/hostile/mkbtf.py" old "$work/raw.btf" &&
	python3 "$top_srcdir/tests/target/mkimage.py" elf "$work/raw.btf" "$work/vmlinux" &&
	python3 "$top_srcdir/tests/target/mkimage.py" elf - "$work/vmlinux-nobtf" || exit 1
"$FEATPROBE" --json --btf "$work/raw.btf" --release 4.19.0 >"$work/raw.json" 2>&1
vsize=$(wc -c <"$work/vmlinux")

# same FILE: the report of --btf FILE is the raw BTF's, but for the btf
# probe's own detail and source.
same()
{
	"$FEATPROBE" --json --btf "$1" --release 4.19.0 >"$work/img.json" 2>"$work/img.err"
	python3 - "$work/raw.json" "$work/img.json" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
bb = b["features"]["btf"]
ok = bb["state"] == "yes" and "with 2 BTF types" in bb["detail"]
for d in (a, b):
    d["features"]["btf"].pop("detail")
    d["features"]["btf"].pop("source")
sys.exit(0 if ok and a == b else 1)
EOF
}
# refused FILE REASON: btf unknown, the detail names FILE and REASON.
refused()
{
	"$FEATPROBE" --json --btf "$1" --release 4.19.0 >"$work/img.json" 2>"$work/img.err"
	rc=$?
	[ $rc -eq 0 ] || return 1
	python3 - "$work/img.json" "$1" "$2" <<'EOF'
import json, sys
b = json.load(open(sys.argv[1]))["features"]["btf"]
sys.exit(0 if b["state"] == "unknown" and sys.argv[2] in b["detail"] and sys.argv[3] in b["detail"] else 1)
EOF
}

same "$work/vmlinux" && pass "ELF vmlinux" || fail "ELF vmlinux: $(cat "$work/img.json")"
for fmt in gzip xz lzma zstd lz4; do
	case $fmt in
	gzip) tool="gzip -c" lib=always ;;
	xz) tool="xz --check=crc32 -c" lib=HAVE_LZMA ;;
	lzma) tool="xz --format=lzma -c" lib=HAVE_LZMA ;;
	zstd) tool="zstd -q -c" lib=HAVE_ZSTD ;;
	lz4) tool="lz4 -l -q -c" lib=HAVE_LZ4 ;;
	esac
	if ! command -v "${tool%% *}" >/dev/null 2>&1; then
		echo "SKIP: $fmt: ${tool%% *} is not installed"
		continue
	fi
	$tool <"$work/vmlinux" >"$work/vmlinux.$fmt" || { fail "$tool failed"; continue; }
	python3 "$top_srcdir/tests/target/mkimage.py" bzimage "$work/vmlinux.$fmt" "$work/bzImage.$fmt" "$vsize"
	if [ $lib != always ] && ! built $lib; then
		refused "$work/bzImage.$fmt" "$fmt compression is not supported" &&
			pass "$fmt: not built in ($lib), said so" || fail "$fmt without $lib: $(cat "$work/img.json")"
		continue
	fi
	same "$work/vmlinux.$fmt" && pass "vmlinux.$fmt" || fail "vmlinux.$fmt: $(cat "$work/img.json")"
	same "$work/bzImage.$fmt" && pass "bzImage ($fmt)" || fail "bzImage ($fmt): $(cat "$work/img.json")"
	# Cut inside the payload: the header's length now runs past the end.
	size=$(wc -c <"$work/bzImage.$fmt")
	head -c $((size - 40)) "$work/bzImage.$fmt" >"$work/cut.$fmt"
	refused "$work/cut.$fmt" "truncated" && pass "bzImage ($fmt) cut short: truncated" ||
		fail "bzImage ($fmt) cut short: $(cat "$work/img.json" "$work/img.err")"
	# A stream cut short, with a header that agrees: the decompressor says it.
	csize=$(wc -c <"$work/vmlinux.$fmt")
	head -c $((csize * 2 / 3)) "$work/vmlinux.$fmt" >"$work/short.$fmt"
	python3 "$top_srcdir/tests/target/mkimage.py" bzimage "$work/short.$fmt" "$work/bzshort.$fmt" "$vsize"
	refused "$work/bzshort.$fmt" "$fmt data is" && pass "$fmt stream cut short: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["features"]["btf"]["detail"])' "$work/img.json")" ||
		fail "$fmt stream cut short: $(cat "$work/img.json" "$work/img.err")"
	# An ELF without .BTF inside.
	$tool <"$work/vmlinux-nobtf" >"$work/nobtf.$fmt"
	python3 "$top_srcdir/tests/target/mkimage.py" bzimage "$work/nobtf.$fmt" "$work/bznobtf.$fmt" 0
	refused "$work/bznobtf.$fmt" "no .BTF section" && pass "$fmt: a vmlinux without .BTF" ||
		fail "$fmt without .BTF: $(cat "$work/img.json" "$work/img.err")"
done

# A payload no kernel reader knows, one it does not inflate, not a kernel.
head -c 4096 /dev/urandom | tr -d '\037\375\135\050\002\102\211' >"$work/noise"
python3 "$top_srcdir/tests/target/mkimage.py" bzimage "$work/noise" "$work/bzImage.noise" 0
refused "$work/bzImage.noise" "unknown format" && pass "bzImage with an unknown payload" ||
	fail "unknown payload: $(cat "$work/img.json" "$work/img.err")"
printf 'BZh91AY&SY' >"$work/fake.bz2"
head -c 100 /dev/zero >>"$work/fake.bz2"
python3 "$top_srcdir/tests/target/mkimage.py" bzimage "$work/fake.bz2" "$work/bzImage.bzip2" 0
refused "$work/bzImage.bzip2" "bzip2 compression is not supported" && pass "bzImage (bzip2): not supported, said so" ||
	fail "bzip2 payload: $(cat "$work/img.json" "$work/img.err")"
printf '\037\213 not really gzip' >"$work/notgz"
refused "$work/notgz" "gzip data is" && pass "gzip magic, no gzip: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["features"]["btf"]["detail"])' "$work/img.json")" ||
	fail "false gzip: $(cat "$work/img.json" "$work/img.err")"

echo "$failed failed"
[ $failed -eq 0 ]
