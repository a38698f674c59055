#!/bin/sh
# libfeat as a consumer sees it: installed (make install DESTDIR=...), found
# with pkg-config, linked, run; its choice must be featprobe's.
set -u
: "${top_srcdir:?}" "${top_builddir:?}" "${FEATPROBE:?}"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS: $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
for t in pkg-config cc make; do
	command -v $t >/dev/null 2>&1 || { echo "SKIP: $t is missing"; exit 77; }
done
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

if make -C "$top_builddir" install DESTDIR="$tmp/root" >"$tmp/install.log" 2>&1; then
	ok "make install DESTDIR"
else
	tail -n 20 "$tmp/install.log"
	bad "make install DESTDIR"
	echo "$pass passed, $fail failed"
	exit 1
fi
pc=$(find "$tmp/root" -name libfeat.pc | head -n 1)
[ -n "$pc" ] && ok "libfeat.pc installed ($pc)" || bad "libfeat.pc installed"
export PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR=$tmp/root
flags=$(pkg-config --cflags --libs libfeat) && ok "pkg-config --cflags --libs libfeat: $flags" ||
	bad "pkg-config --cflags --libs libfeat"
# A library built with --enable-sanitizers needs the sanitizer runtime in
# the program that loads it.
san=
so=$(find "$tmp/root" -name 'libfeat.so.*.*' | head -n 1)
if command -v nm >/dev/null 2>&1 && nm -D "$so" 2>/dev/null | grep -q '__asan_'; then
	san="-fsanitize=address,undefined"
fi
# shellcheck disable=SC2086
if cc $san -o "$tmp/consumer" "$top_srcdir/tests/downstream/consumer.c" $flags 2>"$tmp/cc.log"; then
	ok "a consumer compiles and links with those flags alone"
else
	cat "$tmp/cc.log"
	bad "a consumer compiles and links with those flags alone"
fi
libdir=$(pkg-config --variable=libdir libfeat)
got=$(LD_LIBRARY_PATH=$libdir "$tmp/consumer" 2>/dev/null)
want=$("$FEATPROBE" backend 2>/dev/null | head -n 1)
[ -n "$got" ] && [ "$got" = "$want" ] && ok "the installed library chooses what featprobe chooses ($got)" ||
	bad "the installed library chooses '$got', featprobe '$want'"
# Only the public API is exported.
if command -v nm >/dev/null 2>&1; then
	stray=$(nm -D --defined-only "$so" | awk '$2 ~ /^[TDBR]$/ && $3 !~ /^feat_/ {print $3}' | grep -v '^LIBFEAT_' | head -n 5)
	[ -z "$stray" ] && ok "libfeat.so exports feat_* only" || bad "libfeat.so exports: $stray"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
