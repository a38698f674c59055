#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The kernel matrix (make check-kernels): boot Debian's other kernels under
# qemu (TCG) with a busybox initramfs (oops=panic: a kernel oops ends the
# boot at once instead of hanging it until the timeout), run featprobe inside each, and check
# its verdicts against each kernel's own artifacts (/boot/config-R and the
# BTF inside vmlinuz), not against a hand-written table. A kernel with
# module support whose package holds the modules below also gets a cut-down
# /lib/modules/R, and the kernel's own module loading is the judge of the
# kmod verdict.
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
#   KM_HELPER           optional: the built tests/kernels/km-helper (in
#                       the VM: the kernel's own raw arg counts, finit_module
#                       of a .ko.xz); with
#                       KM_LAYOUT_CHECK (tests/kernels/km-layout-check, on
#                       the host: libtraceevent) a fourth boot of each
#                       kernel runs the layout sweep (layout.py judges it)
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
# All three have CONFIG_MODULES=y, and each package holds modules
# module_tree picks (the kmod backend's verdict judged by real loads).
packages=${FEAT_KERNEL_PACKAGES:-'^linux-image-6\.1\.0-[0-9]+-cloud-amd64-unsigned$ ^linux-image-6\.12\.[0-9]+\+deb12-cloud-amd64-unsigned$ ^linux-image-6\.1\.0-[0-9]+-amd64-unsigned$'}
# What a kernel with modules carries in /lib/modules/R, with dependencies:
# dummy (no dependency; on a kernel that decompresses modules itself,
# init.sh has it loaded from its .ko.xz by finit_module), and the first of
# module_signed the package has, which init.sh modprobes (nhc_hop needs
# 6lowpan: the amd64 flavour; the cloud flavours lack 6LoWPAN, ipip needs
# tunnel4 and ip_tunnel). crc7 becomes the unsigned module.
module_pick="dummy"
module_signed="nhc_hop ipip"
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

# module_tree: for a kernel with CONFIG_MODULES=y, $kdir/modtree: what a
# Debian system of that kernel has for the kmod backend, cut down to a few
# modules (the package's /lib/modules is 100-400 MB): $module_pick, the
# first of $module_signed the package has, their dependencies, the indexes
# depmod writes for exactly these (libkmod's kmod_load_resources() opens
# modules.dep.bin, modules.alias.bin, modules.symbols.bin,
# modules.builtin.alias.bin, modules.builtin.bin), the flavour's
# linux-headers package (/lib/modules/R/build -> its
# /usr/src/linux-headers-R: Makefile, .config, Module.symvers; not the
# -common tree it includes), /km-unsigned/crc7.ko, a copy of a module with
# its appended signature cut off (what a locally built module is; from a
# .ko.xz, decompressed first: the signature is inside the compressed
# file), and /km-modload, which tells init.sh what to load. Modules keep
# the package's form: 6.12's are .ko.xz (CONFIG_MODULE_COMPRESS_XZ).
# depmod comes from Debian's kmod package, unpacked, not installed. Made
# once per package, kept in the cache, and so is the reason when the
# package lacks those modules. Sets modroot and mod_signed (the module
# init.sh modprobes, then its dependencies), or mod_why when a kernel with
# module support gets no module tree.
module_tree()
{
	modroot=
	mod_why=
	mod_signed=
	grep -q '^CONFIG_MODULES=y$' "$kdir/config" || return 0
	if [ -s "$kdir/no-modtree" ]; then
		mod_why=$(cat "$kdir/no-modtree")
		return 1
	fi
	if [ ! -s "$kdir/modtree/lib/modules/$rel/modules.dep.bin" ]; then
		mt=$kdir/modtree.tmp
		rm -rf "$mt" && mkdir -p "$mt/full" "$mt/kmod" "$mt/root" || return 1
		full=$mt/full/lib/modules/$rel
		small=$mt/root/lib/modules/$rel
		dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$mt/full" "./lib/modules/$rel" 2>"$work/modtar.err"
		# The package's file of module M: M.ko or M.ko.xz.
		modfile() { find "$full" \( -name "$1.ko" -o -name "$1.ko.xz" \) 2>/dev/null | head -n 1; }
		signed=
		for m in $module_signed; do
			[ -n "$(modfile $m)" ] && { signed=$m; break; }
		done
		for m in $module_pick crc7 ${signed:-"one of $module_signed"}; do
			[ -n "$(modfile $m)" ] || {
				mod_why="the package has no $m.ko or $m.ko.xz"
				echo "$mod_why" >"$kdir/no-modtree"
				rm -rf "$mt"
				return 1
			}
		done
		# apt-cache regexes: the release's dots and plus signs are literal.
		fetch_kernel_debs "$cache" "$work" '^kmod$' "^linux-headers-$(echo "$rel" | sed 's/[.+]/\\&/g')\$" || {
			mod_why=$fetch_why
			return 1
		}
		# shellcheck disable=SC2086
		set -- $fetched_debs
		dpkg-deb -x "$1" "$mt/kmod" && dpkg-deb -x "$2" "$mt/root" &&
			ln -s "$mt/kmod/bin/kmod" "$mt/depmod" || {
			mod_why="cannot unpack $1 and $2"
			return 1
		}
		"$mt/depmod" -b "$mt/full" "$rel" 2>"$work/depmod.err" || {
			mod_why="depmod on $full failed: $(tail -n 1 "$work/depmod.err")"
			return 1
		}
		: >"$mt/picked"
		for m in $module_pick $signed; do
			# modules.dep: "kernel/PATH/M.ko[.xz]: DEPENDENCY.ko[.xz] ...", all of them.
			grep -E "(^|/)$m\.ko(\.xz)?:" "$full/modules.dep" | tr -d ':' | tr ' ' '\n' >>"$mt/picked"
		done
		for f in $(sort -u "$mt/picked"); do
			mkdir -p "$small/$(dirname "$f")" && cp "$full/$f" "$small/$f" || return 1
		done
		grep -Fx -f "$mt/picked" "$full/modules.order" >"$small/modules.order"
		cp "$full/modules.builtin" "$full/modules.builtin.modinfo" "$small/" || return 1
		"$mt/depmod" -b "$mt/root" "$rel" 2>"$work/depmod.err" || {
			mod_why="depmod on $small failed: $(tail -n 1 "$work/depmod.err")"
			return 1
		}
		crc7=$(modfile crc7)
		case $crc7 in
		*.xz) xz -dc "$crc7" >"$mt/crc7.ko" && crc7=$mt/crc7.ko || return 1 ;;
		esac
		mkdir -p "$mt/root/km-unsigned" &&
			python3 "$here/modsig.py" "$crc7" "$mt/root/km-unsigned/crc7.ko" >"$work/modsig.err" 2>&1 || {
			mod_why="cannot cut the signature off $crc7: $(tail -n 1 "$work/modsig.err")"
			return 1
		}
		# What init.sh loads: the signed module with modprobe (its
		# dependencies, in modules.dep's order, for verdicts.py), and a
		# .ko.xz through the kernel's own decompression when it has that.
		deps=$(grep -E "(^|/)$signed\.ko(\.xz)?:" "$small/modules.dep" | cut -d: -f2 |
			tr ' ' '\n' | sed -n 's|.*/\([^/]*\)\.ko\(\.xz\)\{0,1\}$|\1|p' | tr '\n' ' ')
		{
			echo "km_signed='$signed'"
			echo "km_signed_deps='${deps% }'"
			finit=$(cd "$mt/root" && find "lib/modules/$rel" -name 'dummy.ko.xz' | head -n 1)
			if [ -n "$finit" ] && grep -q '^CONFIG_MODULE_DECOMPRESS=y$' "$kdir/config"; then
				echo "km_finit_compressed='/$finit'"
			fi
		} >"$mt/root/km-modload"
		rm -rf "$kdir/modtree" && mv "$mt/root" "$kdir/modtree" && rm -rf "$mt" || return 1
	fi
	modroot=$kdir/modtree
	mod_signed=$(. "$modroot/km-modload" && echo "$km_signed $km_signed_deps")
	return 0
}

# --- the initramfs: busybox, featprobe and its libraries, /init ---
note "initramfs: $BUSYBOX, $FEATPROBE"
root=$work/root
mkdir -p "$root/bin" "$root/usr/bin" "$root/etc" "$root/boot" || exit 1
cp "$BUSYBOX" "$root/bin/busybox" && cp "$FEATPROBE" "$root/usr/bin/featprobe" &&
	cp "$here/init.sh" "$root/init" && chmod 755 "$root/init" &&
	cp "$here/access.sh" "$root/km-access.sh" || exit 1
layout_sweep=
if [ -n "${KM_HELPER:-}" ] && [ -x "$KM_HELPER" ]; then
	cp "$KM_HELPER" "$root/usr/bin/km-helper" || exit 1
else
	KM_HELPER=
fi
if [ -n "$KM_HELPER" ] && [ -n "${KM_LAYOUT_CHECK:-}" ] && [ -x "$KM_LAYOUT_CHECK" ]; then
	layout_sweep=yes
else
	echo "PARTIAL: no layout sweep in the VMs: KM_HELPER and KM_LAYOUT_CHECK (libbpf, libtraceevent, json-c) are not built"
fi
# What ldd lists, the dynamic loader among them, at the same paths.
libs=$(ldd "$FEATPROBE" $KM_HELPER | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (0x.*/\1/p' | sort -u)
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
layout_summaries=
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
	# A kernel with module support: its module tree, and libkmod (featprobe
	# dlopen()s it, so ldd of featprobe does not list it) with what it needs.
	module_tree
	modules=
	if [ -n "$modroot" ]; then
		libkmod=$(PATH=$PATH:/sbin:/usr/sbin ldconfig -p 2>/dev/null | sed -n 's/.*libkmod\.so\.2 (libc6,x86-64) => //p' | head -n 1)
		if [ -n "$libkmod" ]; then
			cp -a "$modroot/." "$kroot/" || exit 1
			for lib in $libkmod $(ldd "$libkmod" | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p'); do
				[ -e "$root$lib" ] || { mkdir -p "$kroot$(dirname "$lib")" && cp -L "$lib" "$kroot$lib"; } || exit 1
			done
			modules=yes
			note "$rel: /lib/modules/$rel with $(find "$modroot/lib" -name '*.ko' -o -name '*.ko.xz' | wc -l) modules ($(cd "$modroot/lib" && find . -name '*.ko' -o -name '*.ko.xz' | sed 's|.*/||' | sort | tr '\n' ' ')), its indexes and build tree; $libkmod"
		else
			mod_why="libkmod.so.2 is not on this machine (Debian: libkmod2)"
		fi
	fi
	# Never a silent pass: a kernel with module support booted without its
	# module tree says so, and its kmod verdicts are judged as such.
	[ -z "$mod_why" ] || echo "PARTIAL: $rel: booted without /lib/modules: $mod_why"
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
	# layout: the layout sweep alone (init.sh), on one vCPU: its raw_tp
	# attaches patch kernel text (static keys, static calls) about a
	# thousand times, and with two vCPUs TCG now and then lets the other
	# one run an int3 of a text_poke_bp after the poke is over (seen on
	# 6.12: "Oops: int3" in rcu_gp_kthread during the attaches).
	for boot in normal lockdown lockdown-tracefs ${layout_sweep:+layout}; do
		smp=2
		case $boot in
		normal) extra=" km.access=normal" ;;
		lockdown) extra=" lockdown=confidentiality km.access=lockdown" ;;
		lockdown-tracefs) extra=" lockdown=confidentiality km.tracefs=1" ;;
		layout) extra=" km.layout=1" smp=1 ;;
		esac
		log=$work/$rel/$boot.log
		# Under TCG the kernel now and then oopses in its own boot
		# (int3 of a text_poke_bp, in swapper, seen with 6.12) before
		# /init runs: nothing of ours ran yet, so boot again, twice at
		# most. A crash after /init started is never retried.
		for try in 1 2 3; do
			t0=$(date +%s)
			timeout -k 5 "$boot_timeout" "$QEMU" -accel tcg -cpu max -m 1G -smp $smp \
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
		if [ "$boot" = layout ]; then
			t0=$(date +%s)
			python3 "$here/layout.py" check --label "$rel/layout" --log "$log" --qemu-status "$qrc" \
				--checker "$KM_LAYOUT_CHECK" ${btf:+--btf "$btf"} --release "$rel" \
				--dir "$work/$rel/layout" --summary "$work/$rel/layout.json" \
				>"$work/$rel/$boot.check" 2>&1
			echo "== $rel layout sweep: judged on the host in $(($(date +%s) - t0)) s" >>"$work/$rel/$boot.check"
			layout_summaries="$layout_summaries $work/$rel/layout.json"
		else
			python3 "$here/verdicts.py" check --label "$rel/$boot" --boot "$boot" \
				--log "$log" --qemu-status "$qrc" --config "$kdir/config" ${btf:+--btf "$btf"} \
				--release "$rel" --package-version "$ver" --offline "$work/$rel/offline.json" \
				--offline-version "$work/$rel/offline-version.txt" \
				${BPF_SHIM:+--shim} ${modules:+--modules --signed-module "$mod_signed"} \
				--host "$work/host.json" --summary "$work/$rel/$boot.summary.json" \
				>"$work/$rel/$boot.check" 2>&1
			python3 "$here/access.py" check --label "$rel/$boot" --boot "$boot" --log "$log" \
				--plan "$work/$rel/access-plan.json" --release "$rel" \
				--summary "$work/$rel/$boot.access.json" >>"$work/$rel/$boot.check" 2>&1
			summaries="$summaries $work/$rel/$boot.summary.json"
			access_summaries="$access_summaries $work/$rel/$boot.access.json"
		fi
		cat "$work/$rel/$boot.check"
		count "$work/$rel/$boot.check"
		if grep -q '^FAIL' "$work/$rel/$boot.check"; then
			mkdir -p "$builddir/tests/kernels/logs" &&
				cp "$log" "$builddir/tests/kernels/logs/$rel-$boot.log" &&
				echo "   serial log kept: $builddir/tests/kernels/logs/$rel-$boot.log"
		fi
	done
done

echo
python3 "$here/verdicts.py" table --host "$work/host.json" $summaries
echo
python3 "$here/access.py" table $access_summaries
echo
[ -z "$layout_sweep" ] || { python3 "$here/layout.py" table $layout_summaries; echo; }
echo "run time: $(($(date +%s) - start_time)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
