#!/bin/sh
# test-downstream.sh: configure a small autotools project that uses
# m4/feat.m4 natively, cross, with preset cache variables, without
# featprobe, offline against Debian 6.1 artifacts and against an unpacked
# Debian 6.1 package when one is cached; check config.h,
# the substituted backend and config.log each time.
: "${top_srcdir:?}" "${FEATPROBE:?}"

for t in autoreconf autoconf automake aclocal autoheader; do
	command -v $t >/dev/null 2>&1 || { echo "SKIP: $t is missing"; exit 77; }
done

pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { # check DESCRIPTION COMMAND...
	d=$1; shift
	if "$@"; then ok "$d"; else bad "$d"; fi
}
defined() { grep -q "^#define $1 1\$" "$2"; }
undefined() { ! grep -q "^#define $1 " "$2"; }

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

proj=$tmp/proj
mkdir "$proj" "$proj/m4"
cp "$top_srcdir/tests/downstream/configure.ac" "$top_srcdir/tests/downstream/Makefile.am" \
   "$top_srcdir/tests/downstream/backend.txt.in" "$proj/"
cp "$top_srcdir/m4/feat.m4" "$proj/m4/"
if ! (cd "$proj" && autoreconf -fi) >"$tmp/autoreconf.log" 2>&1; then
	cat "$tmp/autoreconf.log"
	echo "FAIL: autoreconf -fi"
	echo "0 passed, 1 failed"
	exit 1
fi
ok "autoreconf -fi"

# run NAME ARGS...: configure in a fresh build directory $tmp/NAME
run() {
	n=$1; shift
	mkdir "$tmp/$n"
	(cd "$tmp/$n" && "$proj/configure" "$@") >"$tmp/$n.out" 2>&1
	rc=$?
	check "$n: configure succeeds" test $rc -eq 0
	[ $rc -eq 0 ] || { tail -20 "$tmp/$n.out"; tail -40 "$tmp/$n/config.log"; }
}

# expect FEATURE DEFINE CONFIG.H: DEFINE is set exactly when featprobe
# (run here, independently) says yes
expect() {
	"$FEATPROBE" check --kernel "$1" >/dev/null 2>&1
	case $? in
	0) check "native: $2 defined ($1 yes)" defined "$2" "$3" ;;
	*) check "native: $2 not defined ($1 not yes)" undefined "$2" "$3" ;;
	esac
}

# (a) native
run native FEATPROBE="$FEATPROBE"
h=$tmp/native/config.h
expect raw_tp HAVE_KERNEL_BPF_RAW_TP "$h"
expect tp_btf HAVE_KERNEL_BPF_TP_BTF "$h"
expect btf HAVE_KERNEL_BTF "$h"
expect CONFIG_BPF_SYSCALL HAVE_KERNEL_CONFIG_BPF_SYSCALL "$h"
expect 'kernel>=5.5' HAVE_KERNEL_VERSION_5_5 "$h"
want=$("$FEATPROBE" backend --kernel 2>/dev/null | sed -n 1p)
got=$(sed -n 's/^backend=//p' "$tmp/native/backend.txt" 2>/dev/null)
check "native: FEAT_TRACEPOINT_BACKEND=$got equals featprobe's '$want'" test -n "$want" -a "x$got" = "x$want"
check "native: featprobe asked (config.log)" grep -q "check --kernel 'raw_tp'" "$tmp/native/config.log"

# (b) cross: --build and --host differ
run cross --build=x86_64-pc-linux-gnu --host=aarch64-linux-gnu FEATPROBE="$FEATPROBE"
check "cross: the macros saw cross_compiling=yes" grep -q "WARNING:.*: cross-compiling" "$tmp/cross.out"
check "cross: warning names feat_cv_raw_tp" grep -q "WARNING:.*feat_cv_raw_tp=yes or no" "$tmp/cross.out"
check "cross: warning names feat_cv_tracepoint_backend" grep -q "WARNING:.*feat_cv_tracepoint_backend" "$tmp/cross.out"
check "cross: feat_cv_raw_tp=unknown" grep -q "^feat_cv_raw_tp=unknown" "$tmp/cross/config.log"
check "cross: nothing HAVE_KERNEL_ defined" undefined 'HAVE_KERNEL_[A-Z0-9_]*' "$tmp/cross/config.h"
check "cross: backend unknown" grep -q '^backend=unknown$' "$tmp/cross/backend.txt"
check "cross: featprobe not asked" sh -c "! grep -q \"check --kernel '\" '$tmp/cross/config.log'"

# (c) preset cache variables: on the command line and in the environment
run preset FEATPROBE="$FEATPROBE" feat_cv_raw_tp=no
check "preset: HAVE_KERNEL_BPF_RAW_TP not defined" undefined HAVE_KERNEL_BPF_RAW_TP "$tmp/preset/config.h"
check "preset: featprobe not asked for raw_tp" sh -c "! grep -q \"check --kernel 'raw_tp'\" '$tmp/preset/config.log'"
check "preset: featprobe asked for tp_btf" grep -q "check --kernel 'tp_btf'" "$tmp/preset/config.log"
mkdir "$tmp/preset-env"
(cd "$tmp/preset-env" && feat_cv_tp_btf=yes feat_cv_tracepoint_backend=kmod \
	FEATPROBE="$FEATPROBE" "$proj/configure") >"$tmp/preset-env.out" 2>&1
check "preset-env: configure succeeds" test $? -eq 0
check "preset-env: HAVE_KERNEL_BPF_TP_BTF defined" defined HAVE_KERNEL_BPF_TP_BTF "$tmp/preset-env/config.h"
check "preset-env: backend kmod" grep -q '^backend=kmod$' "$tmp/preset-env/backend.txt"
check "preset-env: featprobe not asked for tp_btf or backend" \
	sh -c "! grep -q \"check --kernel 'tp_btf'\\|backend --kernel\" '$tmp/preset-env/config.log'"

# (d) featprobe absent
run absent FEATPROBE=/nonexistent/featprobe
check "absent: warning names feat_cv_btf" grep -q "WARNING:.*feat_cv_btf=yes or no" "$tmp/absent.out"
check "absent: nothing HAVE_KERNEL_ defined" undefined 'HAVE_KERNEL_[A-Z0-9_]*' "$tmp/absent/config.h"
check "absent: backend unknown" grep -q '^backend=unknown$' "$tmp/absent/backend.txt"
mkdir "$tmp/nopath"
(cd "$tmp/nopath" && PATH=/usr/bin:/bin && unset FEATPROBE && "$proj/configure") >"$tmp/nopath.out" 2>&1
check "absent from PATH: configure succeeds" test $? -eq 0
check "absent from PATH: warning names feat_cv_raw_tp" grep -q "WARNING:.*feat_cv_raw_tp=yes or no" "$tmp/nopath.out"

# (e) offline, Debian 6.1: kconfig and release, BTF from the layout fixture
kconfig=$(ls "$top_srcdir"/tests/fixtures/kconfig/config-6.1.0-*.gz 2>/dev/null | sed -n 1p)
if [ -z "$kconfig" ]; then
	bad "offline: no Debian 6.1 kconfig fixture"
else
	release=$(basename "$kconfig" .gz); release=${release#config-}
	set -- --with-target-kernel-config="$kconfig" --with-target-kernel-release="$release"
	tarball=$(ls "$top_srcdir"/tests/layout/fixtures/debian-6.1.*.tar.xz 2>/dev/null | sed -n 1p)
	if [ -n "$tarball" ] && mkdir "$tmp/root61" &&
	   xz -dc "$tarball" | tar -xf - -C "$tmp/root61" sys/kernel/btf/vmlinux 2>/dev/null &&
	   [ -s "$tmp/root61/sys/kernel/btf/vmlinux" ]; then
		set -- "$@" --with-target-kernel-btf="$tmp/root61/sys/kernel/btf/vmlinux"
		echo "offline: BTF from $(basename "$tarball")"
	else
		echo "offline: no Debian 6.1 BTF available; kconfig and release only"
	fi
	# cross as well: files describe the target, so answers are not unknown
	run offline --build=x86_64-pc-linux-gnu --host=aarch64-linux-gnu FEATPROBE="$FEATPROBE" "$@"
	h=$tmp/offline/config.h
	if zgrep -q '^CONFIG_BPF_SYSCALL=y' "$kconfig"; then
		check "offline: HAVE_KERNEL_CONFIG_BPF_SYSCALL defined (kconfig has it)" defined HAVE_KERNEL_CONFIG_BPF_SYSCALL "$h"
	else
		check "offline: HAVE_KERNEL_CONFIG_BPF_SYSCALL not defined (kconfig lacks it)" undefined HAVE_KERNEL_CONFIG_BPF_SYSCALL "$h"
	fi
	check "offline: HAVE_KERNEL_VERSION_5_5 defined (release $release)" defined HAVE_KERNEL_VERSION_5_5 "$h"
	check "offline: featprobe asked with --kconfig and --release" \
		grep -q -- "--kconfig '$kconfig' --release '$release' check --kernel 'raw_tp'" "$tmp/offline/config.log"
	check "offline: no unknown warning" sh -c "! grep -q 'WARNING: cannot tell' '$tmp/offline.out'"
	got=$(sed -n 's/^backend=//p' "$tmp/offline/backend.txt" 2>/dev/null)
	check "offline: backend '$got' is a backend name" sh -c "case '$got' in tp_btf|raw_tp|tracepoint|kmod) true;; *) false;; esac"
fi

# (f) offline, an unpacked kernel package (--with-target-kernel=DIR): a
# Debian 6.1 cloud .deb that tests/target/test-target.sh or make
# check-kernels cached; nothing is downloaded here.
cache=${FEAT_KERNEL_CACHE:-${top_builddir:-.}/tests/kernels/cache}
deb=$(ls "$cache"/linux-image-6.1.0-*-cloud-amd64-unsigned_*.deb 2>/dev/null | sort -V | tail -n 1)
if [ -z "$deb" ] || ! command -v dpkg-deb >/dev/null 2>&1; then
	echo "offline target: no cached Debian 6.1 package in $cache (test-target.sh fetches one); skipped"
elif ! dpkg-deb -x "$deb" "$tmp/k61" 2>/dev/null; then
	bad "offline target: dpkg-deb -x $deb"
else
	config=$(ls "$tmp"/k61/boot/config-* | sed -n 1p)
	run target --build=x86_64-pc-linux-gnu --host=aarch64-linux-gnu FEATPROBE="$FEATPROBE" \
		--with-target-kernel="$tmp/k61"
	h=$tmp/target/config.h
	check "target: featprobe asked with --target" grep -q -- "--target '$tmp/k61' check --kernel 'tp_btf'" "$tmp/target/config.log"
	check "target: no unknown warning" sh -c "! grep -q 'WARNING: cannot tell' '$tmp/target.out'"
	# The BTF inside vmlinuz has BPF_PROG_TYPE_TRACING, the config BPF events.
	if grep -q '^CONFIG_DEBUG_INFO_BTF=y' "$config" && grep -q '^CONFIG_BPF_EVENTS=y' "$config"; then
		check "target: HAVE_KERNEL_BTF and HAVE_KERNEL_BPF_TP_BTF defined (BTF from vmlinuz)" \
			sh -c "grep -q '^#define HAVE_KERNEL_BTF 1' '$h' && grep -q '^#define HAVE_KERNEL_BPF_TP_BTF 1' '$h'"
		check "target: backend tp_btf" grep -q '^backend=tp_btf$' "$tmp/target/backend.txt"
	fi
	check "target: HAVE_KERNEL_VERSION_5_5 defined" defined HAVE_KERNEL_VERSION_5_5 "$h"
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
