#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The check-news rule: NEWS's top entry is the version configure.ac's
# AC_INIT declares ("libfeat 0.1 (unreleased)" for AC_INIT([libfeat], [0.1])).
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
init=$(sed -n 's/^AC_INIT(\[[^]]*\], *\[\([^]]*\)\].*/\1/p' "$top_srcdir/configure.ac" | head -n 1)
news=$(sed -n '/^[^ ]/{p;q}' "$top_srcdir/NEWS")
[ -n "$init" ] || { echo "FAIL: no AC_INIT version in configure.ac"; exit 1; }
case $news in
"libfeat $init "* | "libfeat $init")
	echo "PASS: NEWS starts with libfeat $init: $news"
	;;
*)
	echo "FAIL: NEWS's top entry '$news' is not for version $init (configure.ac AC_INIT)"
	exit 1
	;;
esac
