# ===========================================================================
#   feat.m4: configure checks for BPF tracing kernel features, via featprobe
# ===========================================================================
#
# SYNOPSIS
#
#   FEAT_PROG_FEATPROBE
#   FEAT_CHECK([FEATURE], [ACTION-IF-YES], [ACTION-IF-NO])
#
# DESCRIPTION
#
#   FEAT_PROG_FEATPROBE finds the featprobe program (AC_ARG_VAR FEATPROBE).
#
#   FEAT_CHECK asks `featprobe check --kernel FEATURE` whether the kernel
#   supports FEATURE at all (configure usually runs as a normal user, for
#   whom every live BPF probe answers "unknown"). FEATURE is any name
#   featprobe check takes: bpf, btf, raw_tp, tp_btf, tracepoint, tracefs,
#   lockdown, kmod, CONFIG_X, kernel>=X.Y[.Z]. The answer is cached in
#   feat_cv_FEATURE (non-alphanumerics as _), which a user or config.site
#   may preset to yes or no. Unknown (featprobe missing, cross-compiling,
#   or the kernel cannot tell) runs ACTION-IF-NO, as the feature cannot be
#   relied upon, and warns with the name of the cache variable to preset.
#   A missing feature is never fatal unless ACTION-IF-NO makes it so.
#
#   Projects using these macros may add m4_pattern_forbid([^FEAT_]) to
#   configure.ac so that an unexpanded macro is an error.
#
# LICENSE
#
#   Copying and distribution of this file, with or without modification,
#   are permitted in any medium without royalty provided the copyright
#   notice and this notice are preserved. This file is offered as-is,
#   without any warranty.

#serial 1

AC_DEFUN([FEAT_PROG_FEATPROBE], [
	AC_ARG_VAR([FEATPROBE], [the featprobe program])
	AC_PATH_PROG([FEATPROBE], [featprobe], [])
])

AC_DEFUN([FEAT_CHECK], [
	AC_REQUIRE([FEAT_PROG_FEATPROBE])
	AS_VAR_PUSHDEF([feat_cv], [feat_cv_$1])
	AC_CACHE_CHECK([whether the kernel supports $1], [feat_cv], [
		AS_IF([test "x$cross_compiling" = xyes], [AS_VAR_SET([feat_cv], [unknown])],
		      [test -z "$FEATPROBE"], [AS_VAR_SET([feat_cv], [unknown])],
		      [$FEATPROBE check --kernel '$1' >&AS_MESSAGE_LOG_FD 2>&1
		       case $? in
		       0) AS_VAR_SET([feat_cv], [yes]) ;;
		       1) AS_VAR_SET([feat_cv], [no]) ;;
		       *) AS_VAR_SET([feat_cv], [unknown]) ;;
		       esac])
	])
	AS_VAR_IF([feat_cv], [unknown],
		[AC_MSG_WARN([cannot tell whether the kernel supports $1; preset ]AS_TR_SH([feat_cv_$1])[=yes or no])])
	AS_VAR_IF([feat_cv], [yes], [$2], [$3])
	AS_VAR_POPDEF([feat_cv])
])
