#!/bin/sh
# featprobe list and layout on the running kernel.
FEATPROBE=${FEATPROBE:-./featprobe}
fail() { echo "FAIL: $*"; exit 1; }

# Without tracefs (not root, sandboxed) layouts come from BTF: other tests.
probe=$("$FEATPROBE" layout sched:sched_switch --form classic --format json 2>&1)
case $probe in
*'"source":"tracefs events/'*) ;;
*) echo "SKIP: featprobe cannot read tracefs here: $(echo "$probe" | head -c 200)"; exit 77 ;;
esac
out=$("$FEATPROBE" layout sched:sched_switch 2>&1)
echo "$out" | grep -q '^struct stapprobe_sched_switch {' || fail "layout: no wrapped struct: $out"
echo "$out" | grep -q 'unsigned long long pad;' || fail "layout: classic form lacks pad"
echo "$out" | grep -q 'struct task_struct \*prev __attribute__((aligned(8)));' || fail "layout: raw form"
echo "$out" | grep -q '^struct task_struct;' || fail "layout: no forward declaration"

out=$("$FEATPROBE" layout sched_switch --form raw --format json) || fail "layout --format json"
echo "$out" | grep -q '"classic"' && fail "layout --form raw printed the classic form"
echo "$out" | grep -q '"slot":3' || fail "layout json: no slot 3: $out"

out=$("$FEATPROBE" layout syscalls:sys_enter_openat -j) || fail "layout syscalls"
echo "$out" | grep -q '"raw":null' || fail "syscalls: raw form not null: $out"
echo "$out" | grep -q '"raw_equivalent":"raw_syscalls:sys_enter"' || fail "syscalls: no raw equivalent"

err=$("$FEATPROBE" layout sched_swich 2>&1 >/dev/null) && fail "a misspelt name succeeded"
echo "$err" | grep -q "closest: sched:sched_switch" || fail "misspelt name: $err"
[ $(echo "$err" | wc -l) -eq 1 ] || fail "misspelt name: not one line: $err"

"$FEATPROBE" layout 2>/dev/null; [ $? -eq 64 ] || fail "layout without a name is not a usage error"
"$FEATPROBE" layout x --form sideways 2>/dev/null; [ $? -eq 64 ] || fail "bad --form is not a usage error"

n=$("$FEATPROBE" list | wc -l)
[ "$n" -gt 100 ] || fail "list: only $n lines"
"$FEATPROBE" list 'sched:sched_sw*' | grep -q '^sched:sched_switch .*classic.*raw  4 args' || fail "list GLOB"
"$FEATPROBE" list -j 'pelt_cfs_tp' | grep -q '"system":null' || fail "list -j raw-only"
# A saved root tree gives the same layouts offline.
tmp=$(mktemp -d) || fail mktemp
trap 'rm -rf "$tmp"' EXIT
"$FEATPROBE" export-formats "$tmp/root" >/dev/null || fail "export-formats"
"$FEATPROBE" layout '*' -j > "$tmp/live.json" || fail "layout '*' live"
"$FEATPROBE" --root "$tmp/root" layout '*' -j > "$tmp/offline.json" || fail "layout '*' --root"
# Only the source differs: "tracefs ..." against "saved tracefs ...".
sed 's/"source":"[^"]*",//g' "$tmp/live.json" > "$tmp/live.nosrc"
sed 's/"source":"[^"]*",//g' "$tmp/offline.json" > "$tmp/offline.nosrc"
grep -q '"source":"saved tracefs events/sched/sched_switch/format"' "$tmp/offline.json" ||
	fail "offline layouts do not name the saved tree as their source"
cmp -s "$tmp/live.nosrc" "$tmp/offline.nosrc" || fail "offline layouts differ from live ones"
echo "cli: list shows $n tracepoints; layout, misspelling and usage errors behave;" \
	"export-formats + --root reproduce all $(grep -o '"tracepoint":' "$tmp/live.json" | wc -l) layouts"
