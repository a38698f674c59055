#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# featprobe as an unprivileged user (uid/gid 65534, no capabilities, no
# groups) against featprobe as root, on the running kernel. A refusal for
# privilege is "unknown" with EPERM (or EACCES), never "no"; what the kernel
# supports does not depend on who asks. Exit statuses of `featprobe check`:
# 0 yes, 1 no, 2 unknown, 64 usage error.
#
# Needs root (to switch users), setpriv (util-linux), and jq or python3.

set -u

skip() {
	echo "SKIP: $*"
	exit 77
}

failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

ok() {
	echo "ok: $*"
}

FEATPROBE=${FEATPROBE:-./featprobe}
[ -x "$FEATPROBE" ] || { echo "ERROR: no featprobe at $FEATPROBE"; exit 99; }
[ "$(id -u)" = 0 ] || skip "not root: cannot switch to an unprivileged user"
command -v setpriv >/dev/null 2>&1 || skip "setpriv (util-linux) is not installed"

if command -v jq >/dev/null 2>&1; then
	json_get() { # FILE FEATURE FIELD
		jq -r --arg f "$2" --arg k "$3" \
			'.features[$f][$k] | if . == null then "null" else tostring end' "$1"
	}
	json_choice() {
		jq -r '.backend.choice' "$1"
	}
elif python3 -c 'import json' >/dev/null 2>&1; then
	json_get() {
		python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))["features"][sys.argv[2]].get(sys.argv[3])
print("null" if v is None else str(v).lower() if isinstance(v, bool) else v)' "$1" "$2" "$3"
	}
	json_choice() {
		python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["backend"]["choice"])' "$1"
	}
else
	skip "neither jq nor python3 to read JSON"
fi

unprivileged() {
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		--bounding-set=-all "$@"
}

unprivileged true || skip "setpriv cannot switch to uid 65534 here"
unprivileged test -x "$FEATPROBE" || skip "uid 65534 cannot run $FEATPROBE (directory permissions)"

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

"$FEATPROBE" --json >"$tmp/root.json" 2>"$tmp/root.err"
rc=$?
[ $rc = 0 ] || { cat "$tmp/root.err"; echo "ERROR: featprobe --json as root exited $rc"; exit 99; }
[ "$(json_get "$tmp/root.json" bpf state)" = yes ] ||
	skip "bpf() is refused to root here: $(json_get "$tmp/root.json" bpf detail)"

unprivileged "$FEATPROBE" --json >"$tmp/user.json" 2>"$tmp/user.err"
rc=$?
if [ $rc = 0 ]; then
	ok "featprobe --json as uid 65534 exits 0"
else
	cat "$tmp/user.err"
	fail "featprobe --json as uid 65534 exited $rc"
fi

for f in bpf raw_tp tp_btf tracepoint; do
	state=$(json_get "$tmp/user.json" "$f" state)
	err=$(json_get "$tmp/user.json" "$f" errno)
	kernel=$(json_get "$tmp/user.json" "$f" kernel)
	root_kernel=$(json_get "$tmp/root.json" "$f" kernel)
	echo "$f: uid 65534: state $state, errno $err, kernel $kernel; root: kernel $root_kernel"
	if [ "$state" = unknown ]; then
		ok "$f unprivileged: state unknown"
	else
		fail "$f unprivileged: state '$state', expected unknown ($(json_get "$tmp/user.json" "$f" detail))"
	fi
	case $err in
	EPERM | EACCES) ok "$f unprivileged: errno $err" ;;
	*) fail "$f unprivileged: errno '$err', expected EPERM or EACCES" ;;
	esac
	if [ "$root_kernel" = yes ]; then
		if [ "$kernel" = yes ]; then
			ok "$f unprivileged: kernel yes, as for root"
		else
			fail "$f unprivileged: kernel '$kernel', root says yes"
		fi
	fi
done

# Nothing this user can load: no BPF backend may be chosen.
choice=$(json_choice "$tmp/user.json")
case $choice in
tp_btf | raw_tp | tracepoint) fail "uid 65534 gets backend $choice, which it cannot load" ;;
*) ok "uid 65534: backend '$choice' (no BPF backend)" ;;
esac

# check_status EXPECTED DESCRIPTION COMMAND...
check_status() {
	want=$1
	what=$2
	shift 2
	"$@" >"$tmp/check.out" 2>&1
	got=$?
	if [ "$got" = "$want" ]; then
		ok "$what exits $got: $(head -n 1 "$tmp/check.out")"
	else
		fail "$what exits $got, expected $want: $(head -n 1 "$tmp/check.out")"
	fi
}

check_status 0 "root: featprobe check raw_tp" "$FEATPROBE" check raw_tp
check_status 64 "root: featprobe check nosuch" "$FEATPROBE" check nosuch
check_status 0 "uid 65534: featprobe check --kernel raw_tp" \
	unprivileged "$FEATPROBE" check --kernel raw_tp
check_status 2 "uid 65534: featprobe check raw_tp" \
	unprivileged "$FEATPROBE" check raw_tp

if [ $failures -gt 0 ]; then
	echo "$failures check(s) failed"
	exit 1
fi
echo "all checks passed"
exit 0
