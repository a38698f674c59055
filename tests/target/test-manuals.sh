#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The manuals keep up with the code: every symbol libfeat.sym exports is in
# man/libfeat.3, every public macro m4/feat.m4 defines is in man/feat.m4.7.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
failed=0
for sym in $(sed -n 's/^[[:space:]]*\(feat_[a-z0-9_]*\);$/\1/p' "$top_srcdir/libfeat/libfeat.sym"); do
	grep -q "$sym(" "$top_srcdir/man/libfeat.3" || {
		echo "FAIL: $sym (libfeat.sym) is not in man/libfeat.3"
		failed=$((failed + 1))
	}
done
for m in $(sed -n 's/^AC_DEFUN(\[\(FEAT_[A-Z0-9_]*\)\].*/\1/p' "$top_srcdir/m4/feat.m4"); do
	grep -q "$m" "$top_srcdir/man/feat.m4.7" || {
		echo "FAIL: $m (m4/feat.m4) is not in man/feat.m4.7"
		failed=$((failed + 1))
	}
done
n=$(grep -c '^[[:space:]]*feat_[a-z0-9_]*;$' "$top_srcdir/libfeat/libfeat.sym")
echo "$n symbols and the feat.m4 macros checked, $failed missing"
[ $failed -eq 0 ]
