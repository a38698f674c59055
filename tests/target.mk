# target.mk: offline target kernels (issue 5): BTF out of kernel images,
# featprobe --target on an unpacked Debian package, and release hygiene.
# test-target.sh fetches the newest Debian 6.1 and 6.12 cloud kernels into
# the kernel matrix's package cache (FEAT_KERNEL_CACHE) and skips (77)
# without them. test-target-saved.sh: a target with saved format files
# (the layout fixtures' Debian 6.1 tree), no network. test-manuals.sh:
# every exported symbol is in libfeat.3, every macro in feat.m4.7.
TESTS += tests/target/test-image-formats.sh tests/target/test-target.sh \
	tests/target/test-target-saved.sh tests/target/test-news.sh \
	tests/target/test-manuals.sh
EXTRA_DIST += tests/target/test-image-formats.sh tests/target/test-target.sh \
	tests/target/test-target-saved.sh tests/target/test-news.sh tests/target/mkimage.py \
	tests/target/test-manuals.sh
