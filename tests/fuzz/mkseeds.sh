#!/bin/sh
# Regenerate the seed corpora of the fuzz harnesses from real files:
#   kconfig  the running kernel's /proc/config.gz and the Debian configs of
#            tests/fixtures/kconfig, cut into pieces of a few KB (plain,
#            and marked to be gzipped by the harness), plus the hostile
#            fixture configs as they are;
#   kversion the version strings of tests/unit/test-kversion.c;
#   root     fixture roots' version files, packed as fuzz-root.c reads them;
#   btf      .BTF of seeds/tracepoints.c (clang -g -target bpf), whole,
#   layout   and mutated by hand in a few known ways;
#   format   tracefs format files, read through a private tracefs mount.
# Run as root from the source tree: tests/fuzz/mkseeds.sh
set -e
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/tests/fuzz/corpus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$out"
mkdir -p "$out/kconfig" "$out/kversion" "$out/root" "$out/btf" "$out/format" "$out/layout"

# kconfig: byte 0 is the harness's selector (0 as is, 1 gzip it).
i=0
for src in /proc/config.gz "$top"/tests/fixtures/kconfig/*.gz; do
	[ -r "$src" ] || continue
	zcat "$src" > "$tmp/config"
	split -l 120 -d -a 3 "$tmp/config" "$tmp/piece."
	for p in $(ls "$tmp"/piece.* | awk 'NR % 12 == 1'); do
		printf '\000' > "$out/kconfig/plain-$i"; cat "$p" >> "$out/kconfig/plain-$i"
		printf '\001' > "$out/kconfig/gz-$i"; cat "$p" >> "$out/kconfig/gz-$i"
		i=$((i + 1))
	done
	rm -f "$tmp"/piece.*
done
# One gzip stream whole, for the mutator to cut and flip.
printf '\000' > "$out/kconfig/raw-gzip"
cat "$top/tests/fixtures/kconfig/config-6.1.0-56-cloud-amd64.gz" >> "$out/kconfig/raw-gzip"
for f in "$top"/tests/fixtures/roots/kconfig-*/boot/config-*; do
	n=$(basename "$(dirname "$(dirname "$f")")")
	head -c 8192 "$f" > "$tmp/cut"
	printf '\000' > "$out/kconfig/$n"; cat "$tmp/cut" >> "$out/kconfig/$n"
done

# kversion: the second column of the table.
grep -o '^	{ "[^"]*", "[^"]*"' "$top/tests/unit/test-kversion.c" |
	sed 's/^	{ "[^"]*", "//; s/"$//' | sort -u |
	while IFS= read -r v; do
		printf '%b' "$v" > "$out/kversion/$(printf '%s' "$v" | md5sum | cut -c1-12)"
	done

# root: flags byte, then osrelease, version, version_signature, proc/version.
for d in "$top"/tests/fixtures/roots/*/; do
	n=$(basename "$d")
	flags=0
	f0=$d/proc/sys/kernel/osrelease f1=$d/proc/sys/kernel/version
	f2=$d/proc/version_signature f3=$d/proc/version
	[ -f "$f0" ] && flags=$((flags | 1))
	[ -f "$f1" ] && flags=$((flags | 2))
	[ -f "$f2" ] && flags=$((flags | 4))
	[ -f "$f3" ] && flags=$((flags | 8))
	{
		printf "\\$(printf %o $flags)"
		for f in "$f0" "$f1" "$f2" "$f3"; do
			[ -f "$f" ] && head -c 512 "$f"
			printf '\000'
		done
	} > "$out/root/$n"
done

# btf, layout: the .BTF of a miniature vmlinux.
clang -g -O0 -target bpf -c "$top/tests/fuzz/seeds/tracepoints.c" -o "$tmp/tp.o"
llvm-objcopy --dump-section .BTF="$tmp/tp.btf" "$tmp/tp.o"
cp "$tmp/tp.btf" "$out/btf/tracepoints.btf"
cp "$tmp/tp.btf" "$out/layout/tracepoints.btf"
python3 "$top/tests/hostile/mkbtf.py" old "$out/btf/old-prog-types.btf"
python3 "$top/tests/hostile/mkbtf.py" forged "$out/btf/forged.btf"
cp "$out/btf/old-prog-types.btf" "$out/btf/forged.btf" "$out/layout/"
# The ELF form too (the btf probe hands ELF files to libbpf).
llvm-objcopy --only-section=.BTF "$tmp/tp.o" "$out/btf/tracepoints.o"

# format: a few dozen real format files, the smallest of several systems.
mnt=$tmp/mnt
mkdir -p "$mnt"
unshare -m sh -c "mount -t tracefs none '$mnt' && \
	for sys in sched syscalls raw_syscalls irq timer kmem ftrace signal \
		   task workqueue block net skb; do \
		ls '$mnt'/events/\$sys 2>/dev/null | head -4 | while read ev; do \
			f='$mnt'/events/\$sys/\$ev/format; \
			[ -f \"\$f\" ] && cat \"\$f\" > '$out/format/'\$sys-\$ev; \
		done; \
	done; \
	for ev in sched_switch sched_process_exec sys_enter_openat ipi_send_cpumask; do \
		f=\$(ls -d '$mnt'/events/*/\$ev 2>/dev/null | head -1); \
		[ -n \"\$f\" ] && cat \"\$f/format\" > '$out/format/'\$ev; \
	done; true"
find "$out/format" -size 0 -delete
echo "seeds: $(find "$out" -type f | wc -l) files, $(du -sh "$out" | cut -f1)"
