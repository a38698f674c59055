#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Run inside a private mount namespace (unshare -m --propagation private):
# change what this namespace sees, then exec the command. Nothing done here
# reaches the caller's namespace; it all dies with the command.
#
#   ns-run.sh [--hide-pseudofs] [--bind SRC DST]... -- COMMAND [ARGS...]
#
# --hide-pseudofs  unmount every tracefs, debugfs and securityfs mount, so
#                  that only a mount of one's own could reach them
# --bind SRC DST   bind-mount SRC over DST
set -e
while [ $# -gt 0 ]; do
	case $1 in
	--hide-pseudofs)
		for m in $(awk '$3 == "tracefs" || $3 == "debugfs" || $3 == "securityfs" { print $2 }' \
			/proc/self/mounts | sort -r); do
			umount -l "$m"
		done
		shift
		;;
	--bind)
		mount --bind "$2" "$3"
		shift 3
		;;
	--)
		shift
		break
		;;
	*)
		echo "ns-run.sh: unknown option $1" >&2
		exit 64
		;;
	esac
done
exec "$@"
