#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The kernel matrix's access cases (featprobe trace on every backend).

access.py plan ...: from one kernel's own layouts (featprobe layout on its
BTF, offline), the target-variable expressions of each case on each
backend, and whether featprobe's code for each one calls a probe_read
helper (featprobe access on the same BTF); writes the plan (JSON, for the
judge) and /km-cases.sh (for the VM: section calls of access.sh).

access.py check ...: one boot's access sections against the truth each
command wrote about itself; PASS or FAIL lines, and a summary.

access.py table SUMMARY...: the values read, side by side.

The rules. Booted normally, every backend the kernel's probes say yes to
(featprobe --json as root, itself judged against the kernel's config and
BTF by verdicts.py) must read what the command did; a backend they do not
say yes to must fail loudly, never pass silently. Under
lockdown=confidentiality the kernel withdraws the probe_read helpers
(bpf_tracing_func_proto() asks security_locked_down(
LOCKDOWN_BPF_READ_KERNEL)): an expression whose code calls one must be
refused by featprobe access with a clear error, and the others must still
read the right values on every backend the probes say yes to. Values that
have no truth (signal_generate's result) must agree between backends.
"""
import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from verdicts import Judge, json_of, sections  # noqa: E402

BACKENDS = ["tp_btf", "raw_tp", "tracepoint"]
SHORT = {"tp_btf": "tp_btf", "raw_tp": "raw_tp", "tracepoint": "classic"}
# bpf_probe_read, _str, _kernel, _kernel_str, _user, _user_str (enum bpf_func_id).
PROBE_READ = {4, 45, 112, 113, 114, 115}


class AccessJudge(Judge):
    """PASS/FAIL lines whose truth is what the command did."""

    def ok(self, cond, what, said=None, truth=None):
        if cond or (said is None and truth is None):
            return super().ok(cond, what)
        return super().ok(cond, f"{what} (featprobe read {said!r}; expected {truth!r})")


# --- plan ---

class Raw:
    """A raw layout's arguments, found by type where names vary."""

    def __init__(self, args):
        self.args = args or []

    def typed(self, ctype):
        for a in self.args:
            if a["type"].replace(" ", "") == ctype.replace(" ", ""):
                return a["name"]
        return None

    def named(self, name, fallback_type=None):
        for a in self.args:
            if a["name"] == name:
                return name
        return self.typed(fallback_type) if fallback_type else None

    def string(self):
        for a in self.args:
            if re.fullmatch(r"(const )?char \*", a["type"]):
                return a["name"]
        return None


def deref(arg, path):
    return f"${arg}{path}" if arg else None


def roles_of(case, classic, raw):
    """[(role, has truth, classic expression, raw expression)] for a case."""
    fields = {f["name"] for f in (classic or {}).get("fields", [])}

    def c(name):
        return "$" + name if name in fields else None

    task = raw.typed("struct task_struct *")
    if case == "signal":
        return [("sig", True, c("sig"), deref(raw.named("sig", "int"), "")),
                ("pid", True, c("pid"), deref(task, "->pid")),
                ("comm", True, c("comm"), deref(task, "->comm")),
                ("result", False, c("result"), deref(raw.named("result"), ""))]
    if case == "rename":
        return [("newcomm", True, c("newcomm"), deref(raw.string(), "")),
                ("oldcomm", True, c("oldcomm"), deref(task, "->comm")),
                ("pid", True, c("pid"), deref(task, "->pid")),
                ("oom_score_adj", True, c("oom_score_adj"), deref(task, "->signal->oom_score_adj"))]
    if case == "exec":
        return [("filename", True, c("filename"), deref(raw.typed("struct linux_binprm *"), "->filename")),
                ("pid", True, c("pid"), deref(task, "->pid")),
                ("old_pid", True, c("old_pid"), deref(raw.named("old_pid", "pid_t"), ""))]
    if case == "sysexit":
        return [("id", True, c("id"), deref(raw.typed("struct pt_regs *"), "->orig_ax")),
                ("ret", True, c("ret"), deref(raw.named("ret", "long int"), ""))]
    raise ValueError(case)


CASES = [("signal", "signal:signal_generate"), ("rename", "task:task_rename"),
         ("exec", "sched:sched_process_exec"), ("sysexit", "raw_syscalls:sys_exit")]


def offline(a, *args):
    cmd = [a.featprobe, "--kconfig", a.kconfig, "--release", a.release]
    if a.btf:
        cmd += ["--btf", a.btf]
    p = subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def uses_probe_read(a, tp, expr, backend):
    """Whether featprobe's code for EXPR calls a probe_read helper (None: no code)."""
    rc, out, err = offline(a, "access", tp, expr, "--backend", backend, "--format", "json")
    if rc != 0:
        return None, err.strip()
    insns = json.loads(out)["insns"]
    return any(i["code"] == 0x85 and i["src"] == 0 and i["imm"] in PROBE_READ for i in insns), ""


def shq(s):
    return "'" + s.replace("'", "'\\''") + "'"


def names_source(btf, event):
    """Which BTF function names the raw arguments: __probestub_NAME where
    the kernel has one (6.12 does, 6.1 does not), else __traceiter_NAME."""
    for prefix in ("__probestub_", "__traceiter_"):
        if b"\0" + (prefix + event).encode() + b"\0" in btf:
            return prefix + event
    return None


def plan(a):
    doc = {"release": a.release, "cases": [], "notes": [], "names_from": {}}
    btf = open(a.btf, "rb").read() if a.btf else b""
    jobs = []
    for name, tp in CASES:
        rc, out, err = offline(a, "layout", tp, "--format", "json")
        if rc != 0:
            doc["notes"].append(f"{tp}: featprobe layout failed: {err.strip()}")
            continue
        lay = json.loads(out)
        doc["names_from"][tp] = names_source(btf, tp.split(":")[-1])
        roles = []
        for role, truth, cexpr, rexpr in roles_of(name, lay.get("classic"), Raw((lay.get("raw") or {}).get("args"))):
            exprs = {"tracepoint": cexpr, "tp_btf": rexpr, "raw_tp": rexpr}
            roles.append({"role": role, "truth": truth, "expr": exprs, "helper": {}})
            for b, e in exprs.items():
                if e is None:
                    doc["notes"].append(f"{tp} {role}: no {SHORT[b]} expression on this kernel")
                else:
                    jobs.append((roles[-1], tp, e, b))
        doc["cases"].append({"name": name, "tracepoint": tp, "roles": roles})
    # Two at a time: the machine's two cores (each call parses the BTF).
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        for (role, tp, e, b), (used, err) in zip(jobs, pool.map(lambda j: uses_probe_read(a, j[1], j[2], j[3]), jobs)):
            role["helper"][b] = used
            if used is None:
                role["expr"][b] = None
                doc["notes"].append(f"{tp} {e} on {b}: featprobe access refused it offline: {err}")
    lines = ["# Written by tests/kernels/access.py plan for " + a.release + "; sourced by /init."]
    for mode in ("normal", "lockdown"):
        lines.append(f"km_cases_{mode}()\n{{")
        for case in doc["cases"]:
            for b in BACKENDS:
                traced = [r["expr"][b] for r in case["roles"] if r["expr"][b]
                          and (mode == "normal" or not r["helper"][b])]
                refused = [r["expr"][b] for r in case["roles"] if r["expr"][b]
                           and mode == "lockdown" and r["helper"][b]]
                if traced:
                    lines.append(f"\tsection acc_{case['name']}_{b} access_case {case['name']} {b} "
                                 f"{case['tracepoint']} " + " ".join(shq(e) for e in traced))
                if refused:
                    lines.append(f"\tsection accc_{case['name']}_{b} access_compile {case['tracepoint']} {b} "
                                 + " ".join(shq(e) for e in refused))
        lines.append("\ttrue\n}")
    with open(a.out_sh, "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(a.out_json, "w") as f:
        json.dump(doc, f, indent=1)
    for n in doc["notes"]:
        print("note: " + n)
    return 0


# --- check ---

def stderr_of(text, name):
    m = re.search(r"^@@KM-STDERR %s@@\n(.*?)^@@KM-STDERR-END %s@@$" % (re.escape(name), re.escape(name)),
                  text, re.S | re.M)
    return m.group(1).strip() if m else ""


def parse_case(out):
    events, truth, compiled = [], {}, []
    for line in out.splitlines():
        if line.startswith("{"):
            try:
                events.append(json.loads(line))
            except ValueError:
                pass
        elif line.startswith("truth "):
            k, _, v = line[6:].partition("=")
            truth[k] = v
        elif line.startswith("access "):
            parts = line.split(" ", 3)
            compiled.append((int(parts[1]), parts[2], parts[3] if len(parts) > 3 else ""))
    return events, truth, compiled


def same(value, want):
    return str(value) == str(want)


def check(a):
    j = AccessJudge(a.label)
    doc = json.load(open(a.plan))
    sec, text = sections(a.log)
    mode = {"normal": "normal", "lockdown": "lockdown"}.get(a.boot)
    summary = {"label": a.label, "release": a.release, "boot": a.boot, "cells": {}, "legend": {},
               "names_from": doc.get("names_from", {})}
    if mode is None:
        json.dump(summary, open(a.summary, "w"))
        return 0
    for n in doc["notes"]:
        print(f"NOTE: {a.label}: {n}")
    # Every case is planned on every kernel: a missing one is a failure,
    # not a smaller matrix.
    planned = {c["name"] for c in doc["cases"]}
    for name, tp in CASES:
        j.ok(name in planned, f"access case {name} ({tp}) planned from this kernel's layout",
             sorted(planned), name)
    complete = "@@KM-DONE@@" in text
    root = json_of(sec, "root_json") or {}
    states = {b: ((root.get("features") or {}).get(b) or {}).get("state", "missing") for b in BACKENDS}
    tracefs_truth = sec.get("truth_tracefs", ("", 1))[1] == 0
    for case in doc["cases"]:
        agree = {}
        for r in case["roles"]:
            summary["legend"][f"{case['name']}:{r['role']}"] = \
                f"{case['tracepoint']} classic {r['expr']['tracepoint'] or '-'}, raw {r['expr']['tp_btf'] or '-'}"
        for b in BACKENDS:
            roles = [r for r in case["roles"] if r["expr"][b]]
            traced = [r for r in roles if mode == "normal" or not r["helper"][b]]
            refused = [r for r in roles if mode == "lockdown" and r["helper"][b]]
            what = f"{case['tracepoint']} on {b}"

            def cell(r, v):
                summary["cells"].setdefault(f"{case['name']}:{r['role']}", {})[b] = v

            for r in case["roles"]:
                if not r["expr"][b]:
                    cell(r, "n/a")
            name = f"accc_{case['name']}_{b}"
            if refused and (name in sec or complete):
                _, _, compiled = parse_case(sec.get(name, ("", 1))[0])
                got = {e: (rc, err) for rc, e, err in compiled}
                for r in refused:
                    rc, err = got.get(r["expr"][b], (None, "not run"))
                    ok = rc not in (0, None) and "no helper to read memory" in err
                    j.ok(ok, f"featprobe access {what} {r['expr'][b]} (its code calls probe_read) "
                         f"fails with a clear error: {err.strip()[:160]!r}", rc, "refused: no helper")
                    cell(r, "refused" if ok else "!compiled")
            if not traced:
                continue
            name = f"acc_{case['name']}_{b}"
            if name not in sec:
                if complete:
                    j.ok(False, f"{what}: the access case did not run")
                continue
            out, rc = sec[name]
            events, truth, _ = parse_case(out)
            err = stderr_of(text, name)
            exprs = " ".join(r["expr"][b] for r in traced)
            usable = states[b] == "yes"
            if not usable:
                # The probes say no (or unknown): the trace must fail, loudly.
                ok = rc != 0 and not events and err != ""
                why = err.splitlines()[0] if err else "no error printed"
                if b == "tracepoint" and mode == "lockdown":
                    why += "; the kernel's tracefs, mounted after the runs, %s" % (
                        "has events" if tracefs_truth else "has no events either")
                j.ok(ok, f"{what}: featprobe says {b} {states[b]}, and trace fails ({why[:200]})",
                     (rc, len(events)), "a failure")
                for r in traced:
                    cell(r, "absent" if ok else "!ran")
                continue
            tpid = truth.get("pid")
            mine = [e for e in events if tpid is not None and str(e.get("pid")) == tpid]
            key = {r["role"]: r["expr"][b].lstrip("$") for r in traced}
            checked = [r for r in traced if r["truth"]]

            def score(e):
                return sum(same(e["values"].get(key[r["role"]]), truth.get(r["role"])) for r in checked)

            best = max(mine, key=score) if mine else None
            ok = (best is not None and rc == 0 and all(r["role"] in truth for r in checked)
                  and score(best) == len(checked))
            if best is not None:
                said = {key[r["role"]]: best["values"].get(key[r["role"]]) for r in traced}
            else:
                said = f"{len(events)} events, none from pid {tpid}: {events[:3]}; stderr {err[:200]!r}"
            j.ok(ok, f"{what}: {exprs} read what the command did (exit {rc})", said,
                 {key[r["role"]]: truth.get(r["role"]) for r in checked})
            for r in traced:
                v = best["values"].get(key[r["role"]]) if best is not None else None
                right = not r["truth"] or same(v, truth.get(r["role"]))
                shown = "-" if v is None else str(v)
                if right and r["truth"] and truth.get(r["role"]) == tpid:
                    shown = "$$"  # the command's own pid: a number per run
                cell(r, ("" if right else "!") + shown)
                if v is not None and ok:
                    agree.setdefault(r["role"], {})[b] = (v, truth.get(r["role"]))
        # Each run is its own process: compare values whose truth is the
        # same in every run (a pid is checked against its own run above).
        for role, pairs in agree.items():
            vals = {b: v for b, (v, _) in pairs.items()}
            if len(vals) > 1 and len({t for _, t in pairs.values()}) == 1:
                j.ok(len({json.dumps(v) for v in vals.values()}) == 1,
                     f"{case['tracepoint']} {role}: classic and raw backends agree ({vals})", vals, "equal")
    json.dump(summary, open(a.summary, "w"))
    return 1 if j.failed else 0


# --- table ---

def table(a):
    cols, legend, rows, names = [], {}, [], {}
    for path in a.summaries:
        try:
            s = json.load(open(path))
        except (OSError, ValueError):
            continue
        if not s["cells"]:
            continue
        legend.update(s["legend"])
        names[s["release"]] = s.get("names_from") or {}
        for r in s["cells"]:
            if r not in rows:
                rows.append(r)
        short = s["release"].replace("-amd64", "").replace("+deb12", "")
        tag = {"normal": "", "lockdown": "ld:"}.get(s["boot"], s["boot"] + ":")
        for b in BACKENDS:
            cols.append((short, tag + SHORT[b], {r: v.get(b, "-") for r, v in s["cells"].items()}))
    if not cols:
        print("Access cases: none ran")
        return 0
    lw = max(len(r) for r in rows) + 1
    width = [max(8, len(c[0]), len(c[1]), *(len(str(c[2].get(r, "-"))) for r in rows)) for c in cols]
    chunks, cur, used = [], [], lw
    for w, c in zip(width, cols):
        if cur and used + w + 1 > 150:
            chunks.append(cur)
            cur, used = [], lw
        cur.append((w, c))
        used += w + 1
    chunks.append(cur)
    print("Access values side by side (featprobe trace -j -c COMMAND; ld: = lockdown=confidentiality;")
    print(" $$ = the traced command's own pid, as it should be; !V = V is wrong;")
    print(" refused = featprobe access refused it (its code needs a probe_read helper, which the kernel withdrew);")
    print(" absent = the probes say the backend cannot be used, and the trace failed; n/a = no such field):")
    for chunk in chunks:
        print()
        print("%-*s" % (lw, "") + " ".join("%-*s" % (w, c[0]) for w, c in chunk).rstrip())
        print("%-*s" % (lw, "") + " ".join("%-*s" % (w, c[1]) for w, c in chunk).rstrip())
        for r in rows:
            print("%-*s" % (lw, r) + " ".join("%-*s" % (w, str(c[2].get(r, "-"))) for w, c in chunk).rstrip())
    print()
    for r in rows:
        print(f"  {r}: {legend.get(r, '')}")
    for rel, by_tp in names.items():
        print(f"  raw argument names on {rel}: " + ", ".join(f"{v or '?'}" for v in by_tp.values()))
    return 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    pl = sub.add_parser("plan")
    pl.add_argument("--featprobe", required=True)
    pl.add_argument("--btf")
    pl.add_argument("--kconfig", required=True)
    pl.add_argument("--release", required=True)
    pl.add_argument("--out-sh", required=True)
    pl.add_argument("--out-json", required=True)
    c = sub.add_parser("check")
    c.add_argument("--label", required=True)
    c.add_argument("--boot", required=True)
    c.add_argument("--log", required=True)
    c.add_argument("--plan", required=True)
    c.add_argument("--release", required=True)
    c.add_argument("--summary", required=True)
    t = sub.add_parser("table")
    t.add_argument("summaries", nargs="*")
    a = p.parse_args()
    if a.cmd != "check":
        sys.exit({"plan": plan, "table": table}[a.cmd](a))
    # A judge that breaks says so in a FAIL line, which run.sh counts.
    try:
        sys.exit(check(a))
    except Exception as e:  # noqa: BLE001
        print(f"FAIL: {a.label}: access.py check could not judge: {type(e).__name__}: {e}")
        sys.exit(2)


if __name__ == "__main__":
    main()
