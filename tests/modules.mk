# modules.mk: tracepoints of kernel modules (issue 3): split BTF of loaded
# modules (/sys/kernel/btf/MODULE) and the .BTF of module files found
# through libkmod, on real Debian 6.1 files (tests/fixtures/PROVENANCE.md;
# the fixtures ship with tests/fixtures, unit.mk). The library code is
# libfeat/module-btf.c (layout.mk).
TESTS += tests/modules/test-modules.sh
EXTRA_DIST += tests/modules/test-modules.sh
