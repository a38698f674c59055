#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The kernel matrix's judge.

verdicts.py check ...: read one boot's serial log (sections between
@@KM-BEGIN NAME@@ and @@KM-END NAME rc=N@@, written by init.sh), derive what
featprobe must say from the kernel's own artifacts (its config, its BTF, its
package) and print one PASS or FAIL line per check; write a summary for the
table.

verdicts.py table --host HOST.json SUMMARY...: the verdicts side by side.

The rules: where the artifacts say the kernel has a feature, a root run must
say yes and no run may say no (a refusal is unknown, never no); an
unprivileged run may not say yes for anything a normal user cannot do; the
"kernel" answer must agree with the artifacts, online and offline.
"""
import argparse
import json
import re
import sys

FEATURES = ["bpf", "btf", "raw_tp", "tp_btf", "tracepoint", "tracefs", "lockdown", "kmod"]
TRACING = ["raw_tp", "tp_btf", "tracepoint"]


class Judge:
    def __init__(self, label):
        self.label = label
        self.failed = 0

    def ok(self, cond, what, said=None, truth=None):
        if cond:
            print(f"PASS: {self.label}: {what}")
        else:
            self.failed += 1
            extra = ""
            if said is not None or truth is not None:
                extra = f" (featprobe said {said!r}; the artifacts say {truth!r})"
            print(f"FAIL: {self.label}: {what}{extra}")
        return cond


def read_config(path):
    cfg = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = re.match(r"# (CONFIG_\w+) is not set$", line)
            if m:
                cfg[m.group(1)] = "n"
                continue
            m = re.match(r"(CONFIG_\w+)=(.*)$", line)
            if m:
                cfg[m.group(1)] = m.group(2).strip('"')
    return cfg


def set_(cfg, name):
    return cfg.get(name, "n") not in ("n", "")


def sections(log):
    """NAME -> (stdout text, rc) from the serial log."""
    text = open(log, "rb").read().decode("utf-8", "replace").replace("\r", "")
    out = {}
    for m in re.finditer(r"^@@KM-BEGIN (\S+)@@\n(.*?)^@@KM-END \1 rc=(\d+)@@$", text, re.S | re.M):
        out[m.group(1)] = (m.group(2), int(m.group(3)))
    return out, text


def json_of(sec, name):
    """The JSON document in section NAME (other lines, like id -u, skipped)."""
    if name not in sec:
        return None
    for line in sec[name][0].splitlines():
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                return None
    return None


def expectations(cfg, btf_path):
    """What the kernel supports, from its config and BTF."""
    btf = open(btf_path, "rb").read() if btf_path else b""
    bpf = set_(cfg, "CONFIG_BPF_SYSCALL")
    events = bpf and set_(cfg, "CONFIG_BPF_EVENTS") and set_(cfg, "CONFIG_TRACEPOINTS")
    has_btf = set_(cfg, "CONFIG_DEBUG_INFO_BTF") and len(btf) > 0
    k = {
        "bpf": bpf,
        "btf": has_btf,
        "raw_tp": events,
        "tp_btf": events and has_btf and b"\0btf_trace_sched_switch\0" in btf,
        "tracepoint": events and set_(cfg, "CONFIG_TRACING"),
        "tracefs": set_(cfg, "CONFIG_TRACING"),
        "lockdown": set_(cfg, "CONFIG_SECURITY_LOCKDOWN_LSM"),
        "kmod": set_(cfg, "CONFIG_MODULES"),
    }
    why = {
        "bpf": "CONFIG_BPF_SYSCALL=" + cfg.get("CONFIG_BPF_SYSCALL", "n"),
        "btf": "CONFIG_DEBUG_INFO_BTF=%s, .BTF %d bytes" % (cfg.get("CONFIG_DEBUG_INFO_BTF", "n"), len(btf)),
        "raw_tp": "CONFIG_BPF_EVENTS=" + cfg.get("CONFIG_BPF_EVENTS", "n"),
        "tp_btf": "CONFIG_BPF_EVENTS=%s, btf_trace_sched_switch %s in .BTF" % (
            cfg.get("CONFIG_BPF_EVENTS", "n"), "present" if b"\0btf_trace_sched_switch\0" in btf else "absent"),
        "tracepoint": "CONFIG_BPF_EVENTS=%s CONFIG_TRACING=%s" % (cfg.get("CONFIG_BPF_EVENTS", "n"), cfg.get("CONFIG_TRACING", "n")),
        "tracefs": "CONFIG_TRACING=" + cfg.get("CONFIG_TRACING", "n"),
        "lockdown": "CONFIG_SECURITY_LOCKDOWN_LSM=" + cfg.get("CONFIG_SECURITY_LOCKDOWN_LSM", "n"),
        "kmod": "CONFIG_MODULES=" + cfg.get("CONFIG_MODULES", "n"),
    }
    if set_(cfg, "CONFIG_LOCK_DOWN_KERNEL_FORCE_CONFIDENTIALITY"):
        level = "confidentiality"
    elif set_(cfg, "CONFIG_LOCK_DOWN_KERNEL_FORCE_INTEGRITY"):
        level = "integrity"
    else:
        level = "none"
    return k, why, level


def yn(b):
    return "yes" if b else "no"


def cell(f):
    if f is None:
        return "-"
    s = f.get("state")
    if s == "unknown":
        return "unk/" + (f.get("errno") or "?")
    if s == "no" and f.get("errno"):
        return "no/" + f["errno"]
    return s


def column(doc, kernel_field=False):
    """A run's verdicts for the table."""
    if doc is None:
        return {"missing": True}
    col = {}
    for name in FEATURES:
        f = doc.get("features", {}).get(name)
        if kernel_field and f is not None:
            col[name] = f.get("kernel") + ("(s)" if f.get("static") else "")
        else:
            col[name] = cell(f)
    lk = doc.get("features", {}).get("lockdown") or {}
    col["level"] = lk.get("level") or "-"
    col["backend"] = (doc.get("backend") or {}).get("choice") or "-"
    col["version"] = (doc.get("kernel") or {}).get("version") or "-"
    col["kconfig"] = "yes" if (doc.get("kconfig") or {}).get("source") else "no"
    return col


def modload(j, a, sec, text, complete, locked, summary):
    """The kernel is the authority on module loading: what modprobe and
    insmod did in the VM, and whether featprobe's kmod verdict agrees."""
    if not complete and "truth_proc_modules" not in sec:
        return  # the boot's failure says why
    lines = {l.split()[0]: l for l in sec.get("truth_proc_modules", ("", 1))[0].splitlines() if l.strip()}
    loaded = set(lines)
    signed_rc = sec.get("truth_modprobe_signed", ("", None))[1]
    unsigned_rc = sec.get("truth_insmod_unsigned", ("", None))[1]
    # run.sh: the module init.sh modprobes, then its dependencies (from
    # the package's modules.dep); /proc/modules spells '-' as '_'.
    signed = a.signed_module.split()
    want = {m.replace("-", "_") for m in signed}
    # Debian signs its modules with a key built into the kernel: they load
    # under lockdown too.
    j.ok(signed_rc == 0 and bool(want) and want <= loaded,
         f"modprobe {signed[0] if signed else '?'} (signed by Debian) loaded it"
         f"{' and its dependencies ' + ' '.join(signed[1:]) if len(signed) > 1 else ''} (rc {signed_rc}, "
         f"/proc/modules: {' '.join(sorted(loaded)) or 'empty'})", (signed_rc, sorted(loaded)), " ".join(signed))
    if "truth_finit_compressed" in sec:
        # A kernel with CONFIG_MODULE_DECOMPRESS=y reads a .ko.xz itself
        # (finit_module(MODULE_INIT_COMPRESSED_FILE), module_decompress()),
        # and checks the signature inside.
        frc = sec["truth_finit_compressed"][1]
        comp = sec.get("truth_sys_module_compression", ("", None))[0].strip()
        j.ok(frc == 0 and "dummy" in loaded and "(E)" not in lines.get("dummy", ""),
             f"finit_module(MODULE_INIT_COMPRESSED_FILE) of dummy.ko.xz: the kernel decompressed it "
             f"(/sys/module/compression: {comp or '?'}) and accepted its signature (rc {frc}: {lines.get('dummy')})",
             (frc, lines.get("dummy")), "loaded, not tainted E")
    unsigned_in = unsigned_rc == 0 and "crc7" in loaded
    if locked:
        m = re.search(r"^@@KM-STDERR truth_insmod_unsigned@@\n(.*?)^@@KM-STDERR-END", text, re.S | re.M)
        err = m.group(1).strip() if m else ""
        j.ok(not unsigned_in and unsigned_rc not in (0, None) and "Operation not permitted" in err,
             f"insmod of an unsigned crc7.ko is refused with EPERM under lockdown=confidentiality "
             f"(rc {unsigned_rc}: {err})", (unsigned_rc, err), "refused: Operation not permitted")
    else:
        # The kernel marks a module loaded without a valid signature with
        # taint E (TAINT_UNSIGNED_MODULE, module_sig_check()): proof that
        # the copy really is unsigned and Debian's module really is signed.
        j.ok(unsigned_in and "(E)" in lines.get("crc7", ""),
             f"insmod of an unsigned crc7.ko loads it, tainted E (rc {unsigned_rc}: {lines.get('crc7')})",
             (unsigned_rc, lines.get("crc7")), "loaded (E)")
        first = signed[0].replace("-", "_") if signed else "?"
        j.ok("(E)" not in lines.get(first, "(E)"), f"{first}'s signature was accepted: {lines.get(first)}",
             lines.get(first), "no taint E")
    doc = json_of(sec, "root_json")
    st = ((doc or {}).get("features", {}).get("kmod") or {}).get("state")
    j.ok((st == "yes") == unsigned_in and st != "no",
         f"root_json: kmod {st} agrees with what insmod of an unsigned module did "
         f"({'loaded' if unsigned_in else 'refused'})", st, "yes" if unsigned_in else "unknown")
    summary["modload"] = "sig:%s%s uns:%s" % (
        "ok" if signed_rc == 0 else "rc%s" % signed_rc,
        "" if "truth_finit_compressed" not in sec else
        " xz:" + ("ok" if sec["truth_finit_compressed"][1] == 0 else "rc%s" % sec["truth_finit_compressed"][1]),
        "ok" if unsigned_in else "refused")


def check(a):
    j = Judge(a.label)
    cfg = read_config(a.config)
    k, why, level0 = expectations(cfg, a.btf)
    upstream = a.package_version.split(":")[-1].split("-")[0]
    sec, text = sections(a.log)
    summary = {"label": a.label, "release": a.release, "boot": a.boot, "columns": {}}

    complete = "@@KM-DONE@@" in text
    if not j.ok(complete, f"the VM booted, ran every step and powered off (qemu status {a.qemu_status})"):
        tail = [l for l in text.splitlines() if l.strip()][-8:]
        for l in tail:
            print("   | " + l[:200])
    j.ok(a.qemu_status == 0, "qemu exited 0 (not killed by the timeout)", a.qemu_status, 0)
    # A kernel oops (oops=panic makes it end the boot): say where and in what.
    m = re.search(r"^.*(Oops:|BUG:|Kernel panic).*$", text, re.M)
    if j.ok(m is None, "no kernel oops, BUG or panic during the runs" + (": " + m.group(0).strip() if m else "")):
        pass
    else:
        before = text[:m.start()]
        running = re.findall(r"^@@KM-RUN (\S+)@@$", before, re.M)
        done = re.findall(r"^@@KM-END (\S+) rc=", before, re.M)
        step = running[-1] if running and (not done or done[-1] != running[-1]) else "between steps"
        trace = re.findall(r"^\[[ \d.]+\]\s+([\w.]+\+0x[0-9a-f]+/0x[0-9a-f]+)$", text[m.start():], re.M)
        rip = re.search(r"RIP: 0010:(\S+)", text[m.start():])
        print(f"   | during {step}: {m.group(0).strip()}; RIP {rip.group(1) if rip else '?'}; "
              f"call trace {' < '.join(trace[:6])}")

    # The ground truth the booted kernel shows.
    uname_r = sec.get("uname_r", ("", 1))[0].strip()
    uname_v = sec.get("uname_v", ("", 1))[0].strip()
    j.ok(uname_r == a.release, "the booted kernel is the package's release (uname -r)", uname_r, a.release)
    j.ok(f"Debian {a.package_version}" in uname_v, "uname -v names the package version", uname_v, a.package_version)
    truth_level = None
    m = re.search(r"\[(\w+)\]", sec.get("truth_lockdown", ("", 1))[0])
    if m:
        truth_level = m.group(1)
    locked = a.boot.startswith("lockdown")
    expected_level = "confidentiality" if locked else level0
    if k["lockdown"] and (complete or "truth_lockdown" in sec):
        j.ok(truth_level == expected_level, "securityfs (mounted after the runs) shows the expected lockdown level",
             truth_level, expected_level)

    offline = json.load(open(a.offline)) if a.offline else None
    runs = [("root", "root_json"), ("thorough", "root_thorough"), ("nobody/2", "nobody_default_json"),
            ("nobody/0", "nobody_unpriv0_json"), ("shim5.4", "root_shim54")]
    not_reached = []
    for col, name in runs:
        doc = json_of(sec, name)
        if name == "root_shim54" and name not in sec and (complete or not a.shim):
            continue
        if name not in sec and not complete:
            not_reached.append(name)  # the boot's failure says why
            continue
        if not j.ok(doc is not None and sec[name][1] == 0, f"{name}: featprobe printed JSON and exited 0",
                    sec.get(name, ("missing", None))[1], 0):
            summary["columns"][col] = column(None)
            continue
        summary["columns"][col] = column(doc)
        feats = doc["features"]
        kern = doc["kernel"]
        j.ok(kern.get("release") == a.release, f"{name}: kernel.release", kern.get("release"), a.release)
        j.ok(kern.get("version") == upstream, f"{name}: kernel.version is the package's upstream version",
             kern.get("version"), upstream)
        j.ok(kern.get("offline") is False, f"{name}: not an offline target", kern.get("offline"), False)
        j.ok((doc.get("kconfig") or {}).get("source") == f"/boot/config-{a.release}",
             f"{name}: kconfig read from /boot/config-R", (doc.get("kconfig") or {}).get("source"),
             f"/boot/config-{a.release}")
        priv = name.startswith("root")
        for f in FEATURES:
            r = feats.get(f) or {}
            st, kf = r.get("state"), r.get("kernel")
            if name == "root_shim54" and f in ("tp_btf", "bpf"):
                continue  # the shim makes up bpf() answers; judged below
            # The kernel field: what the kernel supports, from the artifacts.
            if priv or kf != "unknown":
                j.ok(kf == yn(k[f]), f"{name}: {f} kernel={kf} ({why[f]})", kf, yn(k[f]))
            # Never a wrong no.
            if k[f] and f not in ("kmod", "lockdown"):
                j.ok(st != "no", f"{name}: {f} is not 'no' on a kernel that has it ({st}, {r.get('errno')})",
                     st, f"kernel has it: {why[f]}")
            if f == "kmod" and a.modules and k["kmod"]:
                # /lib/modules/R with its indexes and build tree: root may
                # load an unsigned module unless lockdown forbids it
                # (module_sig_check(): LOCKDOWN_MODULE_SIGNATURE, EPERM);
                # uid 65534 lacks CAP_SYS_MODULE (may_init_module()).
                if priv and not locked:
                    want = ("yes", None)
                else:
                    want = ("unknown", "EPERM")
                j.ok((st, r.get("errno")) == want,
                     f"{name}: kmod {'/'.join(w for w in want if w)} with /lib/modules/{a.release} "
                     f"({'root' if priv else 'uid 65534'}, {a.boot}) ({st}, {r.get('errno')})",
                     (st, r.get("errno")), want)
            elif f == "kmod":
                # No /lib/modules in the initramfs: nothing to load.
                j.ok(st in ("no", "unknown"), f"{name}: kmod is not yes without /lib/modules ({st}, {r.get('errno')})",
                     st, "no or unknown")
            elif not k[f]:
                j.ok(st == "no", f"{name}: {f} is no on a kernel without it", st, "no: " + why[f])
        # lockdown: yes when the kernel is locked down, no when its level is none.
        lk = feats.get("lockdown") or {}
        if k["lockdown"]:
            want = ("no" if expected_level == "none" else "yes", expected_level)
            if priv:
                j.ok((lk.get("state"), lk.get("level")) == want,
                     f"{name}: lockdown {want[0]}, level {expected_level}", (lk.get("state"), lk.get("level")), want)
            else:
                j.ok(lk.get("state") in ("unknown", want[0]) and lk.get("level") in ("unknown", expected_level),
                     f"{name}: lockdown {want[0]}/{expected_level} or unknown ({lk.get('state')}, {lk.get('level')})",
                     (lk.get("state"), lk.get("level")), want)
        choice = (doc.get("backend") or {}).get("choice")
        reasons = (doc.get("backend") or {}).get("reasons") or []
        if priv and name != "root_shim54":
            for f in ("bpf", "btf", "tp_btf"):
                if k[f]:
                    j.ok(feats[f]["state"] == "yes", f"{name}: {f} yes as root", feats[f]["state"], "yes: " + why[f])
            if not locked:
                for f in ("raw_tp", "tracepoint", "tracefs"):
                    if k[f]:
                        j.ok(feats[f]["state"] == "yes", f"{name}: {f} yes as root", feats[f]["state"], "yes: " + why[f])
                order = [b for b in ("tp_btf", "raw_tp", "tracepoint") if k[b]]
                want = order[0] if order else "none"
            else:
                # lockdown=confidentiality: raw_tp and tracepoint are passed over.
                want = "tp_btf" if k["tp_btf"] else "none"
                for f in ("tracepoint", "tracefs"):
                    st = feats[f]["state"]
                    j.ok(st != "yes", f"{name}: {f} is not yes under lockdown=confidentiality (tracefs is empty) ({st}, {feats[f].get('errno')})",
                         st, "unknown: the kernel creates no tracefs files when locked down")
            j.ok(choice == want, f"{name}: backend {want}", choice, want)
            if name == "root_thorough" and a.boot == "normal" and k["tracepoint"]:
                j.ok("attach" in (feats["tracepoint"].get("detail") or "") and "not exercised" not in feats["tracepoint"].get("detail", ""),
                     f"{name}: the classic attach was exercised", feats["tracepoint"].get("detail"), "attached")
        elif name == "root_shim54":
            # bpf() answers as 5.4: no tp_btf; the backend falls back.
            st = feats["tp_btf"]["state"]
            j.ok(st != "yes", f"{name}: tp_btf not yes when bpf() answers as 5.4 ({st}, {feats['tp_btf'].get('errno')})", st, "no or unknown")
            if not locked:
                want = "raw_tp" if k["raw_tp"] else "none"
                j.ok(choice == want, f"{name}: backend falls back to {want}", choice, want)
            else:
                j.ok(choice not in ("tp_btf", "raw_tp", "tracepoint"),
                     f"{name}: under lockdown=confidentiality nothing of raw_tp/tracepoint is chosen ({choice})", choice, "none or kmod")
                for b in ("raw_tp", "tracepoint"):
                    j.ok(any(r.startswith(b + " passed over") for r in reasons),
                         f"{name}: the decision says why {b} is passed over", reasons, f"{b} passed over")
        else:
            j.ok(sec[name][0].splitlines()[0].strip() == "65534", f"{name}: ran as uid 65534",
                 sec[name][0].splitlines()[0], "65534")
            sysctl_name = "unpriv_sysctl_default" if name == "nobody_default_json" else "unpriv_sysctl_set"
            unpriv = sec.get(sysctl_name, ("?", 1))[0].strip()
            bst = feats["bpf"]["state"]
            if k["bpf"]:
                if unpriv == "0":
                    j.ok(bst in ("yes", "unknown"), f"{name}: bpf yes or unknown with unprivileged_bpf_disabled=0 ({bst})", bst, "yes or unknown")
                else:
                    j.ok(bst == "unknown" and feats["bpf"].get("errno") == "EPERM",
                         f"{name}: bpf unknown/EPERM with unprivileged_bpf_disabled={unpriv} ({bst}, {feats['bpf'].get('errno')})",
                         (bst, feats["bpf"].get("errno")), ("unknown", "EPERM"))
            for f in TRACING:
                st = feats[f]["state"]
                j.ok(st != "yes", f"{name}: {f} is not yes for uid 65534 ({st}, {feats[f].get('errno')})", st, "unknown (EPERM)")
            if k["btf"]:
                j.ok(feats["btf"]["state"] == "yes", f"{name}: btf yes (/sys/kernel/btf/vmlinux is world-readable)",
                     feats["btf"]["state"], "yes")
            j.ok(choice == "none", f"{name}: no backend chosen for uid 65534", choice, "none")

        # The offline verdicts on the same artifacts agree with the live ones.
        if offline is not None and name == "root_json":
            for f in FEATURES:
                off = (offline.get("features") or {}).get(f) or {}
                live = feats.get(f) or {}
                if off.get("kernel") != "unknown":
                    j.ok(off.get("kernel") == live.get("kernel") == yn(k[f]),
                         f"offline --btf/--kconfig/--release: {f} kernel={off.get('kernel')} agrees with the VM",
                         (off.get("kernel"), live.get("kernel")), yn(k[f]))
            if a.boot == "normal":
                oc = (offline.get("backend") or {}).get("choice")
                j.ok(oc == choice, "offline backend choice agrees with the VM", oc, choice)

    if not_reached:
        j.ok(False, "runs that did not complete because the boot ended early: " + " ".join(not_reached))
    if "root_backend" in sec:
        lines = sec["root_backend"][0].splitlines()
        doc = json_of(sec, "root_json")
        want = (doc.get("backend") or {}).get("choice") if doc else None
        j.ok(bool(lines) and lines[0].strip() == want, "featprobe backend prints the JSON's choice",
             lines[0] if lines else None, want)
    if a.modules and k["kmod"]:
        modload(j, a, sec, text, complete, locked, summary)
    else:
        summary["modload"] = "no tree" if k["kmod"] else "no MODULES"
    mounts = sec.get("mounts_after", ("", 1))[0]
    ours = ["tracefs /sys/kernel/tracing tracefs"] if a.boot == "lockdown-tracefs" else []
    found = [" ".join(l.split()[:3]) for l in mounts.splitlines() if re.search(r" (tracefs|securityfs|debugfs) ", l)]
    if "mounts_after" in sec:
        j.ok(found == ours,
             "featprobe left no tracefs/securityfs/debugfs mount behind", found, ours)
    if offline is not None:
        summary["offline"] = column(offline, kernel_field=True)
    if a.offline_version and a.boot == "normal":
        # featprobe --release R check kernel>=UPSTREAM: yes, or unknown when
        # the release does not tell the sublevel; never no.
        text = open(a.offline_version).read()
        m = re.search(r"rc=(\d+)", text)
        rc = int(m.group(1)) if m else -1
        said = text.splitlines()[0] if text else ""
        j.ok(rc in (0, 2), f"offline --release {a.release}: check kernel>={upstream} is not no",
             said, f"the package is {a.package_version}: the kernel is {upstream}")
        ov = (offline or {}).get("kernel", {}).get("version")
        # MAJOR.MINOR alone is honest for an ABI release (X.Y.0-N...).
        major_minor = ".".join(upstream.split(".")[:2])
        j.ok(ov in (None, upstream, major_minor),
             f"offline --release {a.release}: kernel.version is {upstream}, {major_minor} or absent",
             ov, upstream)
    json.dump(summary, open(a.summary, "w"))
    return 1 if j.failed else 0


def table(a):
    host = None
    try:
        host = json.load(open(a.host))
    except (OSError, ValueError):
        pass
    cols = [("running kernel", (host or {}).get("kernel", {}).get("release", "?")[:18], column(host))]
    offline_done = set()
    for path in a.summaries:
        try:
            s = json.load(open(path))
        except (OSError, ValueError):
            continue
        rel = s["release"]
        short = rel.replace("-amd64", "").replace("+deb12", "")
        if rel not in offline_done and "offline" in s:
            offline_done.add(rel)
            cols.append((short, "offline(kernel)", s["offline"]))
        for run in ("root", "thorough", "nobody/2", "nobody/0", "shim5.4"):
            if run in s["columns"]:
                if s["boot"] != "normal" and run in ("thorough", "nobody/2", "nobody/0"):
                    continue
                tag = {"normal": "", "lockdown": "ld:", "lockdown-tracefs": "ldt:"}[s["boot"]] + run
                col = dict(s["columns"][run])
                if run == "root":
                    col["modload"] = s.get("modload", "-")
                cols.append((short, tag, col))
    rows = FEATURES + ["level", "backend", "version", "kconfig", "modload"]
    width = [max(10, len(c[0]), len(c[1]), *(len(str(c[2].get(r, "-"))) for r in rows)) for c in cols]
    chunks, cur, used = [], [], 11
    for w, c in zip(width, cols):
        if cur and used + w + 1 > 150:
            chunks.append(cur)
            cur, used = [], 11
        cur.append((w, c))
        used += w + 1
    chunks.append(cur)
    print("Verdicts side by side (unk/E = unknown with errno E; offline column: the 'kernel' field, (s) = static;")
    print(" ld: = booted with lockdown=confidentiality, ldt: = the same with tracefs mounted before the runs;")
    print(" nobody/N = uid 65534 with kernel.unprivileged_bpf_disabled=N;")
    print(" shim5.4 = root with bpf() answering as 5.4 would, tests/hostile/bpf-shim.so;")
    print(" modload = in the VM after the runs: modprobe of a Debian-signed module, xz: finit_module of a .ko.xz the kernel decompresses,")
    print(" insmod of an unsigned one):")
    for chunk in chunks:
        print()
        print("%-11s" % "" + " ".join("%-*s" % (w, c[0]) for w, c in chunk).rstrip())
        print("%-11s" % "" + " ".join("%-*s" % (w, c[1]) for w, c in chunk).rstrip())
        for r in rows:
            print("%-11s" % r + " ".join("%-*s" % (w, str(c[2].get(r, "-"))) for w, c in chunk).rstrip())
    return 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check")
    c.add_argument("--label", required=True)
    c.add_argument("--boot", choices=["normal", "lockdown", "lockdown-tracefs"], required=True)
    c.add_argument("--log", required=True)
    c.add_argument("--qemu-status", type=int, default=0)
    c.add_argument("--config", required=True)
    c.add_argument("--btf")
    c.add_argument("--release", required=True)
    c.add_argument("--package-version", required=True)
    c.add_argument("--offline")
    c.add_argument("--offline-version")
    c.add_argument("--shim", action="store_true", help="the initramfs holds bpf-shim.so")
    c.add_argument("--modules", action="store_true",
                   help="the initramfs holds /lib/modules/R: indexes, a few modules, the build tree")
    c.add_argument("--signed-module", default="",
                   help="the module init.sh modprobes, then its dependencies, space-separated")
    c.add_argument("--host")
    c.add_argument("--summary", required=True)
    t = sub.add_parser("table")
    t.add_argument("--host")
    t.add_argument("summaries", nargs="*")
    a = p.parse_args()
    sys.exit(check(a) if a.cmd == "check" else table(a))


if __name__ == "__main__":
    main()
