# downstream.mk: a configure script using m4/feat.m4
# tests/downstream/ is a small autotools project using the macros; the
# driver configures it natively, cross, with preset cache variables,
# without featprobe and offline against Debian 6.1 artifacts.
TESTS += tests/downstream/test-downstream.sh
EXTRA_DIST += tests/downstream/test-downstream.sh tests/downstream/configure.ac \
	tests/downstream/Makefile.am tests/downstream/backend.txt.in

# libfeat installed with DESTDIR, found with pkg-config, linked by a consumer.
TESTS += tests/downstream/test-pkgconfig.sh
EXTRA_DIST += tests/downstream/test-pkgconfig.sh tests/downstream/consumer.c
