#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The kernel matrix's layout sweep, judged on the host.

layout.py check ...: from one layout boot's serial log (init.sh with
km.layout=1), unpack what the VM sent back and judge featprobe's layouts of
every tracepoint of that kernel against oracles that do not come from
featprobe:
  - raw arg counts: the kernel's own attach verdicts (km-helper rawslots:
    raw_tp readers of slot 0, 1, ... attach until one fails with EINVAL),
    for every btf_trace_ typedef of the kernel's BTF;
  - classic layouts: libtraceevent's parse of the format files busybox
    copied out of the VM's tracefs (km-layout-check);
  - featprobe export-formats: byte for byte the same format files, and the
    BTF it saved is /sys/kernel/btf/vmlinux, which is the .BTF section of
    the package's vmlinuz;
  - the generated C of every tracepoint (featprobe layout --format c '*'
    in the VM), both forms, compiles with gcc and clang -target bpf with
    _Static_asserts whose numbers come from libtraceevent (classic) and
    from the kernel's attach verdicts (raw).
One PASS or FAIL line per check; a summary for the table. The layout boot
is a boot of its own (init.sh, km.layout=1, one vCPU).

layout.py table SUMMARY...: the kernels' totals side by side.
"""
import argparse
import base64
import filecmp
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from verdicts import Judge, sections  # noqa: E402


def rawslots(text):
    """NAME -> (slots that attached, errno name of the failure, "pair" or "walk")."""
    out, total = {}, None
    for line in text.splitlines():
        f = line.split()
        if len(f) == 4 and f[1].isdigit():
            out[f[0]] = (int(f[1]), f[2], f[3])
        elif line.startswith("total "):
            total = line
    return out, total


def kernel_count(attached, err):
    """The arg count the kernel's verdicts prove, or None. bpf_probe_register()
    refuses (EINVAL) a program reading past num_args slots and only those:
    slot N-1 attaching and slot N refused with EINVAL prove N args (a walk
    attached every slot below N too); slot 12 is never loaded, so 12
    attaching slots prove 12 args."""
    if err == "EINVAL" or (err == "-" and attached == 12):
        return attached
    return None


def compile_unit(cc, args, path):
    r = subprocess.run([cc] + args + [path], capture_output=True, text=True)
    return r.returncode, (r.stdout + r.stderr)


def check(a):
    j = Judge(a.label)
    sec, text = sections(a.log)
    summary = {"release": a.release, "label": a.label}
    j.ok("@@KM-DONE@@" in text, f"the layout boot ran the sweep and powered off (qemu status {a.qemu_status})")
    j.ok(a.qemu_status == 0, "qemu exited 0 (not killed by the timeout)", a.qemu_status, 0)
    m = re.search(r"^.*(Oops:|BUG:|Kernel panic).*$", text, re.M)
    if not j.ok(m is None, "no kernel oops, BUG or panic during the sweep" + (": " + m.group(0).strip() if m else "")):
        running = re.findall(r"^@@KM-RUN (\S+)@@$", text[:m.start()], re.M)
        print(f"   | during {running[-1] if running else 'the boot'}")
    uname_r = sec.get("uname_r", ("", 1))[0].strip()
    j.ok(uname_r == a.release, "the booted kernel is the package's release (uname -r)", uname_r, a.release)
    missing = [n for n in ("layout_rawslots", "layout_json", "layout_c", "layout_export", "layout_copy",
                           "layout_bundle") if n not in sec]
    if not j.ok(not missing, "the VM ran every layout step" + (f" (missing: {' '.join(missing)})" if missing else "")):
        json.dump(summary, open(a.summary, "w"))
        return 1
    for name in ("layout_rawslots", "layout_json", "layout_c", "layout_export", "layout_copy", "layout_btf_sum"):
        rc = sec.get(name, ("", None))[1]
        err = re.search(r"^@@KM-STDERR %s@@\n(.*?)^@@KM-STDERR-END" % name, text, re.S | re.M)
        j.ok(rc == 0, f"{name} exited 0 (rc {rc}{': ' + err.group(1).strip()[:300] if err else ''})", rc, 0)
    stamps = sec.get("layout_time", ("", 1))[0].split()
    if len(stamps) >= 4 and len(stamps) % 2 == 0:
        t = [(stamps[i], float(stamps[i + 1])) for i in range(0, len(stamps), 2)]
        summary["vm_seconds"] = round(t[-1][1] - t[0][1], 1)
        summary["vm_steps"] = " ".join(f"{t[i][0]} {t[i][1] - t[i - 1][1]:.1f}" for i in range(1, len(t)))
        print(f"   | seconds in the VM: {summary['vm_steps']}")

    # Unpack the bundle.
    shutil.rmtree(a.dir, ignore_errors=True)
    os.makedirs(a.dir)
    try:
        blob = base64.b64decode("".join(sec["layout_bundle"][0].split()))
        tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz").extractall(a.dir)
    except (ValueError, tarfile.TarError, OSError) as e:
        j.ok(False, f"the layout bundle unpacks ({e})")
        json.dump(summary, open(a.summary, "w"))
        return 1
    summary["bundle_bytes"] = len(blob)
    try:
        layouts = json.load(open(os.path.join(a.dir, "layout.json")))
    except (OSError, ValueError) as e:
        j.ok(False, f"featprobe layout --format json '*' printed a JSON array ({e})")
        json.dump(summary, open(a.summary, "w"))
        return 1

    # --- raw arg counts: the kernel's attach verdicts ---
    kernel, total = rawslots(sec["layout_rawslots"][0])
    summary["rawslots"] = total
    fp_raw = {}
    slot_bad = []
    for o in layouts:
        raw = o.get("raw")
        if raw is None:
            continue
        name = o["tracepoint"].split(":")[-1]
        fp_raw[name] = raw["args"]
        slot_bad += [f"{name}.{x['name']} slot {x['slot']}" for i, x in enumerate(raw["args"]) if x["slot"] != i]
    raw_bad, proved, not_attachable = [], {}, []
    how = {}
    for name, (attached, err, mode) in sorted(kernel.items()):
        how[mode] = how.get(mode, 0) + 1
        n = kernel_count(attached, err)
        if n is None:
            # A typedef the kernel will not attach to at all (slot 0 fails
            # with something else than EINVAL): featprobe must not offer it.
            not_attachable.append(f"{name}({attached}:{err})")
            if name in fp_raw:
                raw_bad.append(f"{name}: featprobe gives {len(fp_raw[name])} raw args; the kernel "
                               f"attached {attached} slots, then {err}")
            continue
        proved[name] = n
        if name not in fp_raw:
            raw_bad.append(f"{name}: the kernel attaches {n} slots, featprobe gives no raw form")
        elif len(fp_raw[name]) != n:
            raw_bad.append(f"{name}: featprobe gives {len(fp_raw[name])} raw args, the kernel {n}")
    raw_bad += [f"{n}: featprobe gives a raw form, the BTF has no btf_trace_{n}" for n in fp_raw if n not in kernel]
    raw_bad += [f"{s}: not its position" for s in slot_bad]
    for line in raw_bad[:20]:
        print("   | " + line)
    hist = {}
    for n in proved.values():
        hist[n] = hist.get(n, 0) + 1
    j.ok(proved and not raw_bad,
         f"raw arg counts of {len(fp_raw)} raw tracepoints = the kernel's attach verdicts for {len(kernel)} "
         f"btf_trace_ typedefs ({total}; {how.get('pair', 0)} by slots n-1 and n, {how.get('walk', 0)} by a walk "
         f"from slot 0; by count: {' '.join(f'{k}:{v}' for k, v in sorted(hist.items()))}"
         f"{'; not attachable: ' + ' '.join(not_attachable) if not_attachable else ''}): "
         f"{len(raw_bad)} mismatches")
    summary["raw"] = [len(kernel), len(raw_bad)]

    # --- classic layouts: libtraceevent ---
    asserts = os.path.join(a.dir, "asserts-classic.h")
    r = subprocess.run([a.checker, os.path.join(a.dir, "tracefs"), os.path.join(a.dir, "layout.json"), asserts],
                       capture_output=True, text=True)
    out = r.stdout
    bad = [l for l in out.splitlines() if l.startswith("MISMATCH")]
    for line in bad[:20]:
        print("   | " + line)
    m = re.search(r"^classic: (\d+) events, (\d+) fields compared, (\d+) without a classic form \(ftrace\), "
                  r"(\d+) mismatches$", out, re.M)
    j.ok(r.returncode == 0 and m is not None and int(m.group(1)) > 0,
         f"classic layouts = libtraceevent's parse of the VM's format files: "
         f"{m.group(0) if m else out.strip()[-300:] + r.stderr.strip()[-300:]}")
    if m:
        summary["classic"] = [int(m.group(1)), int(m.group(4))]
        summary["fields"] = int(m.group(2))
    ma = re.search(r"^asserts: (\d+)$", out, re.M)
    n_classic_asserts = int(ma.group(1)) if ma else 0

    # --- export-formats: the same files, the same BTF ---
    tdir = os.path.join(a.dir, "tracefs", "events")
    edir = os.path.join(a.dir, "export", "sys", "kernel", "tracing", "events")

    def formats(top):
        found = set()
        for sysname in os.listdir(top) if os.path.isdir(top) else []:
            d = os.path.join(top, sysname)
            for ev in os.listdir(d) if os.path.isdir(d) else []:
                if os.path.isfile(os.path.join(d, ev, "format")):
                    found.add(f"{sysname}/{ev}")
        return found
    tset, eset = formats(tdir), formats(edir)
    differ = [e for e in sorted(tset & eset)
              if not filecmp.cmp(os.path.join(tdir, e, "format"), os.path.join(edir, e, "format"), shallow=False)]
    only = sorted(tset ^ eset)
    for e in (only + differ)[:10]:
        print("   | export-formats: " + e + (" differs" if e in differ else " only on one side"))
    j.ok(tset and not only and not differ,
         f"featprobe export-formats saved the {len(eset)} format files busybox copied from tracefs ({len(tset)}), "
         f"byte for byte: {len(only) + len(differ)} mismatches")
    summary["export"] = [len(tset), len(only) + len(differ)]
    sums = {}
    for line in sec.get("layout_btf_sum", ("", 1))[0].splitlines():
        f = line.split()
        if len(f) == 2:
            sums[f[1]] = f[0]
    if a.btf:
        want = hashlib.sha256(open(a.btf, "rb").read()).hexdigest()
        got = (sums.get("/sys/kernel/btf/vmlinux"), sums.get("/tmp/lay/export/sys/kernel/btf/vmlinux"))
        j.ok(got == (want, want), "/sys/kernel/btf/vmlinux and export-formats' copy are the .BTF section of "
             "the package's vmlinuz (sha256)", got, want)

    # --- the generated C, both forms, with asserts from the oracles ---
    raw_asserts = []
    for name, args in sorted(fp_raw.items()):
        n = proved.get(name)
        if n is None:
            continue
        tag = "stapprobe_" + name
        raw_asserts.append(f'_Static_assert(sizeof(((struct {tag} *)0)->data) == {8 * n}, "{name}: {n} slots");')
        for i, x in enumerate(args):
            raw_asserts.append(f'_Static_assert(__builtin_offsetof(struct {tag}, data.{x["name"]}) == {8 * i}, '
                               f'"{name} {x["name"]} slot");')
            raw_asserts.append(f'_Static_assert(sizeof(((struct {tag} *)0)->data.{x["name"]}) <= 8, '
                               f'"{name} {x["name"]} fits its slot");')
    unit = os.path.join(a.dir, "all-asserted.c")
    with open(unit, "w") as f:
        f.write(open(os.path.join(a.dir, "layout.c")).read())
        f.write("\n#ifndef STAPPROBE_RAW\n")
        f.write(open(asserts).read() if os.path.exists(asserts) else "")
        f.write("#else\n")
        f.write("\n".join(raw_asserts) + "\n")
        f.write("#endif\n")
    compiled = 0
    compilers = [("gcc", ["-std=gnu11", "-fsyntax-only", "-w"])]
    if shutil.which("clang"):
        compilers.append(("clang", ["-target", "bpf", "-O2", "-w", "-c", "-o", os.devnull]))
    for cc, args in compilers:
        for form, define in (("classic", []), ("raw", ["-DSTAPPROBE_RAW"])):
            rc, msg = compile_unit(cc, args + define, unit)
            failed_asserts = len(re.findall(r"static.?assert(ion)? failed", msg))
            if rc != 0:
                for line in msg.splitlines()[:12]:
                    print("   | " + line)
            n = n_classic_asserts if form == "classic" else len(raw_asserts)
            compiled += rc == 0
            j.ok(rc == 0, f"{cc} {' '.join(args[:2])}: the {form} forms of every tracepoint compile, "
                 f"{n} static asserts hold ({failed_asserts} failed)")
    summary["compile"] = [len(compilers) * 2, len(compilers) * 2 - compiled]
    summary["asserts"] = n_classic_asserts + len(raw_asserts)
    json.dump(summary, open(a.summary, "w"))
    return 1 if j.failed else 0


def table(a):
    cols = []
    for path in a.summaries:
        try:
            cols.append(json.load(open(path)))
        except (OSError, ValueError):
            continue
    rows = [("raw", "raw arg counts vs the kernel's attach verdicts (typedefs)"),
            ("classic", "classic layouts vs libtraceevent (format files)"),
            ("export", "export-formats vs tracefs (format files)"),
            ("compile", "gcc/clang-bpf compiles of both forms")]
    print("Layout sweep in the VMs (a boot of its own, one vCPU), checked / mismatches; every tracepoint, no sampling:")
    names = [c["release"].replace("-amd64", "").replace("+deb12", "") for c in cols]
    w = max([14] + [len(n) for n in names])
    print("%-58s" % "" + " ".join("%-*s" % (w, n) for n in names))

    def cell(c, k):
        v = c.get(k)
        return f"{v[0]} / {v[1]}" if isinstance(v, list) else "-"
    for key, label in rows:
        print("%-58s" % label + " ".join("%-*s" % (w, cell(c, key)) for c in cols))
    print("%-58s" % "fields compared" + " ".join("%-*s" % (w, c.get("fields", "-")) for c in cols))
    print("%-58s" % "static asserts (numbers from the oracles)" + " ".join("%-*s" % (w, c.get("asserts", "-")) for c in cols))
    print("%-58s" % "seconds the layout steps took in the VM" + " ".join("%-*s" % (w, c.get("vm_seconds", "-")) for c in cols))
    print("%-58s" % "bundle brought back over the serial console (bytes)" + " ".join("%-*s" % (w, c.get("bundle_bytes", "-")) for c in cols))
    return 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check")
    c.add_argument("--label", required=True)
    c.add_argument("--log", required=True)
    c.add_argument("--qemu-status", type=int, default=0)
    c.add_argument("--checker", required=True)
    c.add_argument("--btf")
    c.add_argument("--release", required=True)
    c.add_argument("--dir", required=True)
    c.add_argument("--summary", required=True)
    t = sub.add_parser("table")
    t.add_argument("summaries", nargs="*")
    a = p.parse_args()
    sys.exit(check(a) if a.cmd == "check" else table(a))


if __name__ == "__main__":
    main()
