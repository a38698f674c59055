# ===========================================================================
#   feat.m4: configure checks for BPF tracing kernel features, via featprobe
# ===========================================================================
#
# SYNOPSIS
#
#   FEAT_PROG_FEATPROBE
#   FEAT_CHECK([FEATURE], [ACTION-IF-YES], [ACTION-IF-NO], [ACTION-IF-UNKNOWN])
#   FEAT_CHECK_BPF_RAW_TP([ACTION-IF-YES], [ACTION-IF-NO], [ACTION-IF-UNKNOWN])
#   FEAT_CHECK_BPF_TP_BTF([ACTION-IF-YES], [ACTION-IF-NO], [ACTION-IF-UNKNOWN])
#   FEAT_CHECK_BTF([ACTION-IF-YES], [ACTION-IF-NO], [ACTION-IF-UNKNOWN])
#   FEAT_CHECK_KCONFIG([CONFIG_X], [ACTION-IF-YES], [ACTION-IF-NO], [ACTION-IF-UNKNOWN])
#   FEAT_CHECK_KERNEL_VERSION([X.Y[.Z]], [ACTION-IF-YES], [ACTION-IF-NO], [ACTION-IF-UNKNOWN])
#   FEAT_TRACEPOINT_BACKEND
#
# DESCRIPTION
#
#   FEAT_PROG_FEATPROBE finds the featprobe program (AC_ARG_VAR FEATPROBE)
#   and checks that it runs. It also declares, once, the options that
#   describe a target kernel by files instead of the running kernel:
#
#     --with-target-kernel=DIR           an unpacked kernel package (dpkg-deb
#                                        -x): boot/config-R, boot/vmlinuz-R
#     --with-target-kernel-btf=FILE      the target's BTF (raw, vmlinux, vmlinuz)
#     --with-target-kernel-config=FILE   the target's kernel config (plain/gz)
#     --with-target-kernel-release=R     the target's kernel release
#
#   Any of them puts featprobe in offline mode (--target, --btf, --kconfig,
#   --release): answers come from that static evidence and nothing is
#   probed on the build machine. In offline mode cross-compiling does not
#   make the answers unknown, since the target is described by files.
#
#   FEAT_CHECK asks `featprobe check --kernel FEATURE` whether the kernel
#   supports FEATURE at all (configure usually runs as a normal user, for
#   whom every live BPF probe answers "unknown", so the macros never ask
#   whether the caller could use the feature now). FEATURE must be a
#   literal and is any name featprobe check takes: bpf, btf, raw_tp, tp_btf,
#   tracepoint, tracefs, lockdown, kmod, CONFIG_X, kernel>=X.Y[.Z].
#
#   The answer (yes, no or unknown) is cached in feat_cv_NAME, where NAME
#   is FEATURE with every character other than a letter, digit or _ turned
#   into _, and kernel>=X.Y becoming kernel_version_X_Y: feat_cv_raw_tp,
#   feat_cv_CONFIG_BPF_SYSCALL, feat_cv_kernel_version_5_5. A user or
#   config.site may preset these to yes or no; featprobe is then not run.
#
#   Without ACTION-IF-YES, a yes defines HAVE_KERNEL_DEF to 1 in config.h,
#   where DEF is NAME in upper case, except that raw_tp and tp_btf give
#   BPF_RAW_TP and BPF_TP_BTF and kernel>=X.Y gives VERSION_X_Y:
#   HAVE_KERNEL_BPF_RAW_TP, HAVE_KERNEL_CONFIG_BPF_SYSCALL,
#   HAVE_KERNEL_VERSION_5_5.
#
#   The result is unknown when cross-compiling without a target kernel
#   described by the options above, when featprobe is missing or does not
#   run, or when featprobe cannot tell; configure then warns, naming the
#   cache variable to preset. Unknown runs ACTION-IF-UNKNOWN, which
#   defaults to ACTION-IF-NO (the feature cannot be relied upon) and
#   defines nothing. A missing or unknown feature is never fatal unless an
#   action makes it so.
#
#   FEAT_CHECK_BPF_RAW_TP, FEAT_CHECK_BPF_TP_BTF and FEAT_CHECK_BTF are
#   FEAT_CHECK of raw_tp, tp_btf and btf; FEAT_CHECK_KCONFIG([CONFIG_X])
#   and FEAT_CHECK_KERNEL_VERSION([X.Y]) are FEAT_CHECK of CONFIG_X and
#   kernel>=X.Y (a hint only: distributions backport features).
#
#   FEAT_TRACEPOINT_BACKEND sets and AC_SUBSTs FEAT_TRACEPOINT_BACKEND to
#   the backend featprobe chooses by kernel support (the first line of
#   `featprobe backend --kernel`: tp_btf, raw_tp, tracepoint, kmod, ...),
#   cached in feat_cv_tracepoint_backend, or to "unknown" under the same
#   conditions as above, with a warning.
#
#   All the macros' names begin with FEAT_. A project using them may add
#
#     m4_pattern_forbid([^FEAT_])
#
#   to configure.ac, so that autoconf reports a FEAT_ macro left
#   unexpanded (feat.m4 not found by aclocal) instead of writing it into
#   configure. The output variable FEAT_TRACEPOINT_BACKEND is exempted by
#   m4_pattern_allow in this file.
#
# LICENSE
#
#   Copyright (c) 2026 the libfeat authors
#
#   Copying and distribution of this file, with or without modification,
#   are permitted in any medium without royalty provided the copyright
#   notice and this notice are preserved. This file is offered as-is,
#   without any warranty.

#serial 4

m4_pattern_allow([^FEAT_TRACEPOINT_BACKEND$])

# _FEAT_NAME(FEATURE): the cache-variable suffix of FEATURE.
m4_define([_FEAT_NAME],
[m4_bpatsubst(m4_bpatsubst([$1], [^kernel>=], [kernel_version_]),
	[[^a-zA-Z0-9_]], [_])])

# _FEAT_DEFNAME(FEATURE): the HAVE_KERNEL_ suffix of FEATURE.
m4_define([_FEAT_DEFNAME],
[m4_case([$1],
	[raw_tp], [BPF_RAW_TP],
	[tp_btf], [BPF_TP_BTF],
	[m4_toupper(m4_bpatsubst(m4_bpatsubst([$1], [^kernel>=], [version_]),
		[[^a-zA-Z0-9_]], [_]))])])

# _FEAT_TARGET_KERNEL_ARGS: the --with-target-kernel-* options, declared
# once; sets feat_offline_opts (featprobe options, single-quoted for eval)
# and feat_offline (yes or no).
AC_DEFUN([_FEAT_TARGET_KERNEL_ARGS],
[feat_offline=no
feat_offline_opts=
AC_ARG_WITH([target-kernel],
	[AS_HELP_STRING([--with-target-kernel=DIR],
		[answer kernel feature checks from this unpacked kernel package (boot/config-R, boot/vmlinuz-R, lib/modules/R), offline])],
	[AS_CASE([$withval],
		[no], [],
		[yes|''], [AC_MSG_ERROR([--with-target-kernel needs a DIR])],
		[*\'*], [AC_MSG_ERROR([--with-target-kernel: a directory name with a single quote is not supported])],
		[AS_IF([test -d "$withval"], [],
			[AC_MSG_ERROR([--with-target-kernel: $withval is not a directory])])
		 feat_offline=yes
		 feat_offline_opts="$feat_offline_opts --target '$withval'"])])
AC_ARG_WITH([target-kernel-btf],
	[AS_HELP_STRING([--with-target-kernel-btf=FILE],
		[answer kernel feature checks from this target kernel BTF (raw BTF, vmlinux or its vmlinuz), offline])],
	[_FEAT_TARGET_FILE([--with-target-kernel-btf], [--btf])])
AC_ARG_WITH([target-kernel-config],
	[AS_HELP_STRING([--with-target-kernel-config=FILE],
		[answer kernel feature checks from this target kernel config (plain or gzip), offline])],
	[_FEAT_TARGET_FILE([--with-target-kernel-config], [--kconfig])])
AC_ARG_WITH([target-kernel-release],
	[AS_HELP_STRING([--with-target-kernel-release=R],
		[answer kernel feature checks for this target kernel release, offline])],
	[AS_CASE([$withval],
		[no], [],
		[yes|''|*\'*],
		[AC_MSG_ERROR([--with-target-kernel-release needs a kernel release such as 6.1.0-40-amd64])],
		[feat_offline=yes
		 feat_offline_opts="$feat_offline_opts --release '$withval'"])])
])

# _FEAT_TARGET_FILE(OPTION, FEATPROBE-OPTION): handle $withval for OPTION.
AC_DEFUN([_FEAT_TARGET_FILE],
[AS_CASE([$withval],
	[no], [],
	[yes|''], [AC_MSG_ERROR([$1 needs a FILE])],
	[*\'*], [AC_MSG_ERROR([$1: a file name with a single quote is not supported])],
	[AS_IF([test -r "$withval"], [],
		[AC_MSG_ERROR([$1: cannot read $withval])])
	 feat_offline=yes
	 feat_offline_opts="$feat_offline_opts $2 '$withval'"])])

AC_DEFUN([FEAT_PROG_FEATPROBE],
[AC_REQUIRE([_FEAT_TARGET_KERNEL_ARGS])dnl
AC_ARG_VAR([FEATPROBE], [the featprobe program (libfeat)])dnl
AC_PATH_PROG([FEATPROBE], [featprobe], [])
feat_featprobe_ok=no
AS_IF([test -n "$FEATPROBE"],
	[AC_MSG_CHECKING([whether $FEATPROBE runs])
	 AS_IF([$FEATPROBE --version >&AS_MESSAGE_LOG_FD 2>&1],
		[feat_featprobe_ok=yes])
	 AC_MSG_RESULT([$feat_featprobe_ok])])
AS_IF([test "x$feat_offline" = xyes],
	[AC_MSG_NOTICE([kernel feature checks answer offline for the target described by:$feat_offline_opts])])
])

# _FEAT_RUN(VAR, FEATPROBE-ARGS...): run featprobe with the offline
# options and ARGS (single-quoted words), standard output to the file
# conftest.feat, status in VAR; VAR is empty when featprobe cannot be
# asked, with the reason in feat_why.
AC_DEFUN([_FEAT_RUN],
[AS_IF([test "x$feat_featprobe_ok" != xyes],
	[$1= feat_why="featprobe was not found or does not run (set FEATPROBE)"],
	[test "x$cross_compiling" = xyes && test "x$feat_offline" != xyes],
	[$1= feat_why="cross-compiling (describe the target with --with-target-kernel=DIR, or -btf, -config, -release)"],
	[feat_cmd="\$FEATPROBE$feat_offline_opts $2"
	 _AS_ECHO_LOG([$FEATPROBE$feat_offline_opts $2])
	 eval "$feat_cmd" >conftest.feat 2>&AS_MESSAGE_LOG_FD
	 $1=$?
	 cat conftest.feat >&AS_MESSAGE_LOG_FD
	 feat_why="featprobe could not tell"])])

AC_DEFUN([FEAT_CHECK],
[AC_REQUIRE([FEAT_PROG_FEATPROBE])dnl
m4_if(m4_bregexp([$1], [^[a-zA-Z0-9_>=.]+$]), [-1],
	[m4_fatal([$0: bad feature name '$1'])])dnl
feat_why="preset or cached"
AC_CACHE_CHECK([whether the kernel supports $1], [feat_cv_]_FEAT_NAME([$1]),
[_FEAT_RUN([feat_status], [check --kernel '$1'])
 AS_CASE([$feat_status],
	[0], [feat_cv_[]_FEAT_NAME([$1])=yes],
	[1], [feat_cv_[]_FEAT_NAME([$1])=no],
	[feat_cv_[]_FEAT_NAME([$1])=unknown])
 rm -f conftest.feat])
AS_CASE([$feat_cv_[]_FEAT_NAME([$1])],
	[yes], [m4_default([$2],
		[AC_DEFINE([HAVE_KERNEL_]_FEAT_DEFNAME([$1]), [1],
			[Define to 1 if the kernel supports $1 (featprobe check --kernel).])])],
	[no], [$3],
	[AC_MSG_WARN([cannot tell whether the kernel supports $1: $feat_why; preset feat_cv_[]_FEAT_NAME([$1])=yes or no])
	 m4_default([$4], [$3])])
])

AC_DEFUN([FEAT_CHECK_BPF_RAW_TP], [FEAT_CHECK([raw_tp], [$1], [$2], [$3])])
AC_DEFUN([FEAT_CHECK_BPF_TP_BTF], [FEAT_CHECK([tp_btf], [$1], [$2], [$3])])
AC_DEFUN([FEAT_CHECK_BTF], [FEAT_CHECK([btf], [$1], [$2], [$3])])
AC_DEFUN([FEAT_CHECK_KCONFIG],
[m4_if(m4_bregexp([$1], [^CONFIG_[A-Za-z0-9_]+$]), [-1],
	[m4_fatal([$0: '$1' is not a CONFIG_ name])])dnl
FEAT_CHECK([$1], [$2], [$3], [$4])])
AC_DEFUN([FEAT_CHECK_KERNEL_VERSION],
[m4_if(m4_bregexp([$1], [^[0-9]+\.[0-9]+\(\.[0-9]+\)?$]), [-1],
	[m4_fatal([$0: '$1' is not a version X.Y or X.Y.Z])])dnl
FEAT_CHECK([kernel>=$1], [$2], [$3], [$4])])

AC_DEFUN([FEAT_TRACEPOINT_BACKEND],
[AC_REQUIRE([FEAT_PROG_FEATPROBE])dnl
feat_why="preset or cached"
AC_CACHE_CHECK([which tracepoint backend the kernel supports],
	[feat_cv_tracepoint_backend],
[_FEAT_RUN([feat_status], [backend --kernel])
 feat_cv_tracepoint_backend=
 AS_IF([test -n "$feat_status"],
	[feat_cv_tracepoint_backend=`sed -n '1{s/^[[	 ]]*//;s/[[	 ]].*//;p;}' conftest.feat`])
 AS_CASE([$feat_cv_tracepoint_backend],
	[''|*[[!a-z0-9_]]*], [feat_cv_tracepoint_backend=unknown])
 rm -f conftest.feat])
AS_IF([test "x$feat_cv_tracepoint_backend" = xunknown],
	[AC_MSG_WARN([cannot tell which tracepoint backend the kernel supports: $feat_why; preset feat_cv_tracepoint_backend])])
[FEAT_TRACEPOINT_BACKEND]=$feat_cv_tracepoint_backend
AC_SUBST([FEAT_TRACEPOINT_BACKEND])
])
