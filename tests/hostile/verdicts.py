#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Check featprobe --json verdicts against expectations.

  verdicts.py --label L --json FILE [--try FILE] [EXPECTATION...]

Prints the verdicts, then one line per check, "PASS: L: ..." or
"FAIL: L: ...", for the calling shell test to count. Expectations:

  FEATURE.FIELD=V1|V2    the field is one of the values
  FEATURE.FIELD!=V1|V2   the field is none of them
  backend=V1|V2          the backend choice (also !=)
  kconfig.FIELD=V        the report's kconfig section (source, errno)

FIELD is state, kernel, errno (an errno name, or "none") or static
(true/false). With --try (bpf-try's output in the same environment), every
bpf/raw_tp/tp_btf/tracepoint verdict is also held against what really
happened: "yes" where the backend failed is a wrong yes, "no" where it
worked is a wrong no, and the chosen backend must be one that worked.
"""
import argparse
import json
import re
import sys

LIVE = ("bpf", "raw_tp", "tp_btf", "tracepoint")


def field(doc, path):
    if path == "backend":
        return doc["backend"]["choice"]
    obj, _, name = path.partition(".")
    if obj == "kconfig":
        v = doc["kconfig"].get(name)
    else:
        v = doc["features"][obj][name]
    if v is None:
        return "none"
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--label", required=True)
    ap.add_argument("--json", required=True)
    ap.add_argument("--try", dest="tried")
    ap.add_argument("expect", nargs="*")
    a = ap.parse_args()
    fails = 0

    def result(ok, text):
        nonlocal fails
        print("%s: %s: %s" % ("PASS" if ok else "FAIL", a.label, text))
        fails += not ok

    try:
        # Undecodable bytes survive as surrogates, flagged below.
        with open(a.json, encoding="utf-8", errors="surrogateescape") as f:
            doc = json.load(f)
        doc["features"]
    except (OSError, ValueError, KeyError) as e:
        result(False, "featprobe --json gave no report: %s" % e)
        return 1

    for name, r in doc["features"].items():
        print("  %-10s %-7s kernel %-7s%s errno %-7s %s" % (
            name, r["state"], r["kernel"], " (static)" if r["static"] else "",
            r["errno"] or "-", r["detail"]))
    print("  %-10s %s" % ("backend", doc["backend"]["choice"]))
    for reason in doc["backend"]["reasons"]:
        print("             %s" % reason)

    # What a user reads: one line of evidence per verdict, with its reason.
    for name, r in doc["features"].items():
        d = r["detail"] or ""
        if "\n" in d:
            result(False, "%s detail is one line (it has %d)" % (name, d.count("\n") + 1))
        if any("\udc80" <= c <= "\udcff" for c in d):
            result(False, "%s detail is not valid UTF-8 (uninitialised bytes?): %r" % (name, d))
        if d.rstrip().endswith(":"):
            result(False, "%s detail ends without its reason: '%s'" % (name, d[-60:]))

    for e in a.expect:
        m = re.fullmatch(r"([a-z_]+(?:\.[a-z_]+)?)(!?=)(.*)", e)
        if not m:
            result(False, "bad expectation '%s'" % e)
            continue
        path, op, values = m.groups()
        try:
            have = field(doc, path)
        except KeyError:
            result(False, "%s: not in the report" % path)
            continue
        ok = (have in values.split("|")) == (op == "=")
        result(ok, "%s %s %s (is %s)" % (path, "in" if op == "=" else "not in",
                                         values, have))

    if a.tried:
        with open(a.tried) as f:
            tried = dict(line.split(None, 1) for line in f if line.strip())
        for name in LIVE:
            if name not in tried:
                continue
            truth = tried[name].strip()
            state = doc["features"][name]["state"]
            works = truth == "ok"
            if state == "yes":
                result(works, "%s yes is true (bpf-try: %s)" % (name, truth))
            elif state == "no":
                result(not works, "%s no is true (bpf-try: %s)" % (name, truth))
            else:
                result(True, "%s unknown is no wrong answer (bpf-try: %s)%s" % (
                    name, truth, ": a missed yes" if works else ""))
        # The choice itself: a backend bpf-try could not use is a wrong yes.
        choice = doc["backend"]["choice"]
        if choice in LIVE:
            truth = tried.get(choice, "not tried").strip()
            result(truth == "ok", "backend %s is usable (bpf-try: %s)" % (choice, truth))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
