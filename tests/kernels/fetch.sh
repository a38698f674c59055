# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by the kernel matrix (run.sh) and the target tests: find Debian
# kernel packages, newest match first, and fetch each once into a cache
# kept between runs (apt-get download: the package lists of this machine,
# no other network use).
#
# fetch_kernel_debs CACHE SCRATCH PATTERN...: for each apt-cache regex,
# the newest matching package's .deb in CACHE (downloaded when missing;
# a .deb cached by an earlier run serves when the package lists know
# nothing). Sets fetched_debs (space-separated paths); on failure returns
# 1 with the reason in fetch_why.
fetch_kernel_debs()
{
	_cache=$1
	_scratch=$2
	shift 2
	fetched_debs=
	fetch_why=
	mkdir -p "$_cache" "$_scratch" || {
		fetch_why="cannot create $_cache or $_scratch"
		return 1
	}
	# apt-cache sees nothing without package lists: fetch them (root only).
	if [ -z "$(apt-cache pkgnames linux-image- 2>/dev/null | head -n 1)" ] && [ "$(id -u)" = 0 ]; then
		echo "== apt-get update (no package lists)"
		apt-get update -qq >/dev/null 2>&1
	fi
	for _pat in "$@"; do
		_pkg=$(apt-cache search --names-only "$_pat" 2>/dev/null | cut -d' ' -f1 | sort -V | tail -n 1)
		if [ -z "$_pkg" ]; then
			_pkg=$(ls "$_cache" 2>/dev/null | sed -n 's/_.*\.deb$//p' | grep -E "$_pat" | sort -V | tail -n 1)
		fi
		[ -n "$_pkg" ] || {
			fetch_why="no package matches $_pat (apt-cache search) and none is cached in $_cache"
			return 1
		}
		_ver=$(apt-cache show --no-all-versions "$_pkg" 2>/dev/null | sed -n 's/^Version: //p' | head -n 1)
		_deb=
		if [ -n "$_ver" ]; then
			# .deb file names spell the epoch colon as %3a.
			_deb=$(ls "$_cache/${_pkg}_$(echo "$_ver" | sed 's/:/%3a/')_"*.deb 2>/dev/null | head -n 1)
			if [ -z "$_deb" ]; then
				echo "== apt-get download $_pkg=$_ver into $_cache"
				(cd "$_cache" && apt-get download -q "$_pkg=$_ver" >/dev/null 2>"$_scratch/apt.err")
				_deb=$(ls "$_cache/${_pkg}_"*.deb 2>/dev/null | sort -V | tail -n 1)
				[ -n "$_deb" ] || {
					fetch_why="apt-get download $_pkg failed: $(tail -n 1 "$_scratch/apt.err")"
					return 1
				}
			fi
		else
			_deb=$(ls "$_cache/${_pkg}_"*.deb 2>/dev/null | sort -V | tail -n 1)
			[ -n "$_deb" ] || {
				fetch_why="apt-cache knows no version of $_pkg"
				return 1
			}
		fi
		fetched_debs="$fetched_debs $_deb"
	done
	return 0
}
