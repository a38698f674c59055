# kernels.mk: the qemu kernel matrix (make check-kernels)
# Boots Debian's other kernels (the newest 6.1 and 6.12 cloud kernels and
# the 6.1 amd64 flavour, each with a few of its own modules, fetched with
# apt-get download into a cache kept between runs) under
# qemu-system-x86_64 -accel tcg with a busybox initramfs holding featprobe,
# and checks featprobe's verdicts in each against that kernel's own config
# and BTF, featprobe trace's values on every backend against what a
# command in the VM did (tests/kernels/access.py), and the layouts of every
# tracepoint against libtraceevent and the kernel's attach verdicts
# (tests/kernels/layout.py). Not part of TESTS: it
# downloads packages and boots VMs (about 10-20 s per boot under TCG). Skips (77) with a one-line reason when qemu,
# busybox-static, a decompressor or the packages cannot be had.
#   FEAT_KERNEL_CACHE=DIR   where the .debs and their unpacked kernels live
#                           (default tests/kernels/cache in the build tree)
#   FEAT_KERNEL_PACKAGES='REGEX ...'  which kernels (apt-cache search names)
#   FEAT_KERNEL_TIMEOUT=S   seconds per boot (default 120)
KERNEL_MATRIX_FILES = \
	tests/kernels/run.sh \
	tests/kernels/fetch.sh \
	tests/kernels/init.sh \
	tests/kernels/bzimage.py \
	tests/kernels/modsig.py \
	tests/kernels/verdicts.py \
	tests/kernels/access.sh \
	tests/kernels/access.py \
	tests/kernels/layout.py
EXTRA_DIST += $(KERNEL_MATRIX_FILES)

# The layout sweep: km-helper runs in the VM (the kernel's own raw arg
# counts, a copy of the format files; finit_module of a .ko.xz),
# km-layout-check on the host (libtraceevent's parse of the VM's format
# files). Built by make check,
# run by check-kernels only; without libtraceevent run.sh says the sweep
# did not run.
check_PROGRAMS += tests/kernels/km-helper
tests_kernels_km_helper_SOURCES = tests/kernels/km-helper.c
tests_kernels_km_helper_CFLAGS = $(AM_CFLAGS) $(LIBBPF_CFLAGS)
tests_kernels_km_helper_LDADD = $(LIBBPF_LIBS)
if HAVE_LIBTRACEEVENT
check_PROGRAMS += tests/kernels/km-layout-check
tests_kernels_km_layout_check_SOURCES = tests/kernels/km-layout-check.c
tests_kernels_km_layout_check_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS) $(LIBTRACEEVENT_CFLAGS)
tests_kernels_km_layout_check_LDADD = $(JSONC_LIBS) $(LIBTRACEEVENT_LIBS)
endif

.PHONY: check-kernels clean-kernels
# The bpf() shim of the hostile tests, when it builds, lets the lockdown
# boot see the decision fall back past raw_tp and tracepoint.
check-kernels: featprobe$(EXEEXT)
	-@$(MAKE) $(AM_MAKEFLAGS) tests/hostile/bpf-shim.la >/dev/null 2>&1
	-@$(MAKE) $(AM_MAKEFLAGS) tests/kernels/km-helper$(EXEEXT) >/dev/null 2>&1
	-@$(MAKE) $(AM_MAKEFLAGS) tests/kernels/km-layout-check$(EXEEXT) >/dev/null 2>&1
	@shim=$(abs_top_builddir)/tests/hostile/.libs/bpf-shim.so; \
	test -f $$shim || shim=; \
	lcheck=$(abs_top_builddir)/tests/kernels/km-layout-check$(EXEEXT); \
	test -x $$lcheck || lcheck=; \
	top_builddir=$(abs_top_builddir) BPF_SHIM=$$shim \
	KM_HELPER=$(abs_top_builddir)/tests/kernels/km-helper$(EXEEXT) KM_LAYOUT_CHECK=$$lcheck \
	FEATPROBE=$(abs_top_builddir)/featprobe$(EXEEXT) \
	$(SHELL) $(srcdir)/tests/kernels/run.sh

# The package cache is kept: it is what makes a second run cheap.
clean-kernels:
	-rm -rf tests/kernels/work tests/kernels/logs

# The package cache survives make clean, not make distclean: tests that
# read kernel packages (check-kernels, tests/target, tests/downstream) may
# have filled it in a build tree that make distcheck then requires empty.
distclean-local:
	-rm -rf tests/kernels/cache
