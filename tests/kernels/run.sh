#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The kernel matrix (make check-kernels): boot Debian's other kernels under
# qemu (TCG) with a busybox initramfs (oops=panic: a kernel oops ends the
# boot at once instead of hanging it until the timeout), run featprobe inside each, and check
# its verdicts against each kernel's own artifacts (/boot/config-R and the
# BTF inside vmlinuz), not against a hand-written table.
#
# Environment:
#   FEATPROBE           the built featprobe (required)
#   top_builddir        the build tree (default: featprobe's directory)
#   BPF_SHIM            optional: tests/hostile bpf-shim.so, to run featprobe
#                       as if bpf() were 5.4's (no tp_btf) in the lockdown boot
#   FEAT_KERNEL_CACHE   where .debs and what is unpacked from them are kept
#                       between runs (default: tests/kernels/cache in the
#                       build tree)
#   FEAT_KERNEL_WORK    scratch space (default: tests/kernels/work)
#   FEAT_KERNEL_PACKAGES  space-separated apt-cache regexes, one per kernel;
#                       the newest package matching each is used
#   FEAT_KERNEL_TIMEOUT seconds a boot may take (default 120)
#   FEAT_KERNEL_KEEP    non-empty: keep the scratch space
#
# Exit status: 0 all passed, 1 a wrong verdict or a broken boot, 77 skipped
# (qemu, busybox-static, a decompressor or the packages cannot be had).
# The last line is "N passed, M failed".
set -u
LC_ALL=C
export LC_ALL

here=$(cd "$(dirname "$0")" && pwd)
FEATPROBE=${FEATPROBE:?FEATPROBE must name the built featprobe}
builddir=${top_builddir:-$(cd "$(dirname "$FEATPROBE")" && pwd)}
cache=${FEAT_KERNEL_CACHE:-$builddir/tests/kernels/cache}
work=${FEAT_KERNEL_WORK:-$builddir/tests/kernels/work}
boot_timeout=${FEAT_KERNEL_TIMEOUT:-120}
packages=${FEAT_KERNEL_PACKAGES:-'^linux-image-6\.1\.0-[0-9]+-cloud-amd64-unsigned$ ^linux-image-6\.12\.[0-9]+\+deb12-cloud-amd64-unsigned$'}
start_time=$(date +%s)

skip()
{
	echo "SKIP: $*"
	echo "0 passed, 0 failed"
	exit 77
}
note()
{
	echo "== $*"
}

# --- what the run needs ---
QEMU=$(command -v qemu-system-x86_64) || skip "qemu-system-x86_64 is not installed (Debian: qemu-system-x86)"
[ "$(uname -m)" = x86_64 ] || skip "the kernels are amd64 and this is $(uname -m)"
BUSYBOX=
for b in /bin/busybox /usr/bin/busybox; do
	# busybox-static's binary has no program interpreter.
	if [ -x "$b" ] && ! LC_ALL=C readelf -l "$b" 2>/dev/null | grep -q 'program interpreter'; then
		BUSYBOX=$b
		break
	fi
done
[ -n "$BUSYBOX" ] || skip "no statically linked busybox (Debian: busybox-static)"
for t in python3 readelf objcopy gzip timeout dpkg-deb apt-cache apt-get ldd; do
	command -v $t >/dev/null 2>&1 || skip "$t is not installed"
done
[ -x "$FEATPROBE" ] || skip "$FEATPROBE is not built"
readelf -h "$FEATPROBE" >/dev/null 2>&1 || skip "$FEATPROBE is not an ELF file"

mkdir -p "$cache" "$work" || skip "cannot create $cache or $work"
[ -n "${FEAT_KERNEL_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
rm -rf "$work"/*

# --- the packages: the newest match of each pattern, fetched once ---
. "$here/fetch.sh"
# shellcheck disable=SC2086
fetch_kernel_debs "$cache" "$work" $packages || skip "$fetch_why"
kernels=$fetched_debs

# --- each kernel's artifacts: vmlinuz, config, BTF (unpacked once) ---
# unpack DEB: sets rel, ver, kdir (the cache directory of this package).
unpack()
{
	deb=$1
	ver=$(dpkg-deb -f "$deb" Version)
	pkgname=$(dpkg-deb -f "$deb" Package)
	rel=${pkgname#linux-image-}
	rel=${rel%-unsigned}
	kdir=$cache/$pkgname-$ver
	if [ ! -s "$kdir/btf" ] && [ ! -e "$kdir/no-btf" ]; then
		rm -rf "$kdir.tmp" && mkdir -p "$kdir.tmp" || return 1
		dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$kdir.tmp" ./boot || return 1
		[ -f "$kdir.tmp/boot/vmlinuz-$rel" ] && [ -f "$kdir.tmp/boot/config-$rel" ] || {
			echo "$deb holds no boot/vmlinuz-$rel and boot/config-$rel"
			return 1
		}
		fmt=$(python3 "$here/bzimage.py" "$kdir.tmp/boot/vmlinuz-$rel" "$kdir.tmp/payload") || return 1
		case $fmt in
		gzip) dec="gzip -dc" ;;
		xz) dec="xz -dc" ;;
		lzma) dec="xz --format=lzma -dc" ;;
		lz4) dec="lz4 -dc" ;;
		zstd) dec="zstd -dc" ;;
		bzip2) dec="bzip2 -dc" ;;
		lzo) dec="lzop -dc" ;;
		esac
		command -v ${dec%% *} >/dev/null 2>&1 || {
			echo "SKIP-DECOMP ${dec%% *} is needed to unpack the $fmt vmlinuz of $rel"
			return 2
		}
		$dec <"$kdir.tmp/payload" >"$kdir.tmp/vmlinux" || return 1
		readelf -h "$kdir.tmp/vmlinux" >/dev/null 2>&1 || {
			echo "the $fmt payload of vmlinuz-$rel is not an ELF vmlinux"
			return 1
		}
		# An empty btf file: the kernel has no .BTF section.
		objcopy -O binary --only-section=.BTF "$kdir.tmp/vmlinux" "$kdir.tmp/btf" || return 1
		[ -s "$kdir.tmp/btf" ] || { rm -f "$kdir.tmp/btf"; touch "$kdir.tmp/no-btf"; }
		mv "$kdir.tmp/boot/vmlinuz-$rel" "$kdir.tmp/vmlinuz"
		mv "$kdir.tmp/boot/config-$rel" "$kdir.tmp/config"
		rm -rf "$kdir.tmp/boot" "$kdir.tmp/payload" "$kdir.tmp/vmlinux"
		echo "$rel" >"$kdir.tmp/release"
		rm -rf "$kdir" && mv "$kdir.tmp" "$kdir" || return 1
	fi
	return 0
}

# --- the initramfs: busybox, featprobe and its libraries, /init ---
note "initramfs: $BUSYBOX, $FEATPROBE"
root=$work/root
mkdir -p "$root/bin" "$root/usr/bin" "$root/etc" "$root/boot" || exit 1
cp "$BUSYBOX" "$root/bin/busybox" && cp "$FEATPROBE" "$root/usr/bin/featprobe" &&
	cp "$here/init.sh" "$root/init" && chmod 755 "$root/init" &&
	cp "$here/access.sh" "$root/km-access.sh" || exit 1
# What ldd lists, the dynamic loader among them, at the same paths.
libs=$(ldd "$FEATPROBE" | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (0x.*/\1/p')
[ -n "$libs" ] || skip "ldd $FEATPROBE lists no libraries"
for lib in $libs; do
	mkdir -p "$root$(dirname "$lib")" && cp -L "$lib" "$root$lib" || exit 1
done
if [ -n "${BPF_SHIM:-}" ] && [ -f "$BPF_SHIM" ]; then
	mkdir -p "$root/shim" && cp "$BPF_SHIM" "$root/shim/bpf-shim.so" || exit 1
	for lib in $(ldd "$BPF_SHIM" | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p'); do
		[ -e "$root$lib" ] || { mkdir -p "$root$(dirname "$lib")" && cp -L "$lib" "$root$lib"; } || exit 1
	done
fi
(cd "$root" && find . | sort | "$BUSYBOX" cpio -o -H newc 2>/dev/null) | gzip -9n >"$work/base.cpio.gz" || exit 1
note "initramfs: $(wc -c <"$work/base.cpio.gz") bytes"

# --- boots ---
passed=0
failed=0
count()
{
	# count FILE: add its PASS/FAIL lines to the totals.
	p=$(grep -c '^PASS' "$1")
	f=$(grep -c '^FAIL' "$1")
	passed=$((passed + p))
	failed=$((failed + f))
}
fail_one()
{
	echo "FAIL: $*"
	failed=$((failed + 1))
}

"$FEATPROBE" --json >"$work/host.json" 2>"$work/host.err"
summaries=
access_summaries=
for deb in $kernels; do
	unpack "$deb" >"$work/unpack.out" 2>&1
	st=$?
	out=$(cat "$work/unpack.out")
	case $st in
	0) ;;
	2) skip "${out#SKIP-DECOMP }" ;;
	*)
		fail_one "$(basename "$deb"): cannot unpack: $out"
		continue
		;;
	esac
	[ -n "$out" ] && echo "$out"
	note "kernel $rel (package $ver)"
	# This kernel's part of the initramfs: its config at /boot, as a
	# Debian system has it; an empty /lib/modules/R is not there.
	kroot=$work/$rel/root
	mkdir -p "$kroot/boot" && cp "$kdir/config" "$kroot/boot/config-$rel" || exit 1
	btf=$kdir/btf
	[ -e "$kdir/no-btf" ] && btf=
	# Its access cases, named from its own layouts (featprobe offline on
	# its BTF): /km-cases.sh for the VM, the plan for the judge.
	python3 "$here/access.py" plan --featprobe "$FEATPROBE" ${btf:+--btf "$btf"} \
		--kconfig "$kdir/config" --release "$rel" --out-sh "$kroot/km-cases.sh" \
		--out-json "$work/$rel/access-plan.json" >"$work/$rel/access-plan.out" 2>&1 ||
		fail_one "$rel: access.py plan: $(tail -n 3 "$work/$rel/access-plan.out")"
	(cd "$kroot" && find . | sort | "$BUSYBOX" cpio -o -H newc 2>/dev/null) | gzip -9n >"$work/$rel/extra.cpio.gz"
	# Concatenated gzip'd newc archives: the kernel unpacks them in turn.
	cat "$work/base.cpio.gz" "$work/$rel/extra.cpio.gz" >"$work/$rel/initrd.gz"
	# The same kernel seen offline: its BTF, config and release.
	"$FEATPROBE" --json ${btf:+--btf "$btf"} --kconfig "$kdir/config" --release "$rel" \
		>"$work/$rel/offline.json" 2>"$work/$rel/offline.err"
	# Offline, the version comes from the release alone: is the package's
	# upstream version (6.1.192 for 6.1.0-56) at least not denied?
	upstream=$(echo "${ver#*:}" | sed 's/-.*//')
	"$FEATPROBE" ${btf:+--btf "$btf"} --kconfig "$kdir/config" --release "$rel" \
		check "kernel>=$upstream" >"$work/$rel/offline-version.txt" 2>&1
	echo "rc=$?" >>"$work/$rel/offline-version.txt"
	# lockdown-tracefs: tracefs mounted before featprobe, as systemd does;
	# tracefs then stays mounted (see the note on 6.12 in the report).
	for boot in normal lockdown lockdown-tracefs; do
		case $boot in
		normal) extra=" km.access=normal" ;;
		lockdown) extra=" lockdown=confidentiality km.access=lockdown" ;;
		lockdown-tracefs) extra=" lockdown=confidentiality km.tracefs=1" ;;
		esac
		log=$work/$rel/$boot.log
		# Under TCG the kernel now and then oopses in its own boot
		# (int3 of a text_poke_bp, in swapper, seen with 6.12) before
		# /init runs: nothing of ours ran yet, so boot again, twice at
		# most. A crash after /init started is never retried.
		for try in 1 2 3; do
			t0=$(date +%s)
			timeout -k 5 "$boot_timeout" "$QEMU" -accel tcg -cpu max -m 1G -smp 2 \
				-nographic -no-reboot -kernel "$kdir/vmlinuz" -initrd "$work/$rel/initrd.gz" \
				-append "console=ttyS0 panic=-1 oops=panic quiet$extra" </dev/null >"$log" 2>&1
			qrc=$?
			t1=$(date +%s)
			note "$rel $boot boot: qemu exit $qrc after $((t1 - t0)) s"
			if grep -aq '@@KM-BOOTED@@' "$log" || ! grep -aqE 'Oops|Kernel panic' "$log"; then
				break
			fi
			note "$rel $boot boot: the kernel crashed before /init ran (try $try); booting again"
			cp "$log" "$log.crash$try"
		done
		python3 "$here/verdicts.py" check --label "$rel/$boot" --boot "$boot" \
			--log "$log" --qemu-status "$qrc" --config "$kdir/config" ${btf:+--btf "$btf"} \
			--release "$rel" --package-version "$ver" --offline "$work/$rel/offline.json" \
			--offline-version "$work/$rel/offline-version.txt" \
			${BPF_SHIM:+--shim} \
			--host "$work/host.json" --summary "$work/$rel/$boot.summary.json" \
			>"$work/$rel/$boot.check" 2>&1
		python3 "$here/access.py" check --label "$rel/$boot" --boot "$boot" --log "$log" \
			--plan "$work/$rel/access-plan.json" --release "$rel" \
			--summary "$work/$rel/$boot.access.json" >>"$work/$rel/$boot.check" 2>&1
		cat "$work/$rel/$boot.check"
		count "$work/$rel/$boot.check"
		if grep -q '^FAIL' "$work/$rel/$boot.check"; then
			mkdir -p "$builddir/tests/kernels/logs" &&
				cp "$log" "$builddir/tests/kernels/logs/$rel-$boot.log" &&
				echo "   serial log kept: $builddir/tests/kernels/logs/$rel-$boot.log"
		fi
		summaries="$summaries $work/$rel/$boot.summary.json"
		access_summaries="$access_summaries $work/$rel/$boot.access.json"
	done
done

echo
python3 "$here/verdicts.py" table --host "$work/host.json" $summaries
echo
python3 "$here/access.py" table $access_summaries
echo
echo "run time: $(($(date +%s) - start_time)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
