#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Write small hand-made raw BTF files (include/uapi/linux/btf.h layout).

  mkbtf.py forged OUT  a well-formed BTF whose typedef btf_trace_sched_switch
                       is type 2: not what the running kernel's id 2 is
  mkbtf.py old OUT     a BTF whose enum bpf_prog_type ends at
                       BPF_PROG_TYPE_RAW_TRACEPOINT (17), as 4.17-4.19
                       kernels have it: no TRACING, so no tp_btf
"""
import struct
import sys

KIND_INT, KIND_ENUM, KIND_TYPEDEF = 1, 6, 8

OLD_PROG_TYPES = [
    "UNSPEC", "SOCKET_FILTER", "KPROBE", "SCHED_CLS", "SCHED_ACT",
    "TRACEPOINT", "XDP", "PERF_EVENT", "CGROUP_SKB", "CGROUP_SOCK",
    "LWT_IN", "LWT_OUT", "LWT_XMIT", "SOCK_OPS", "SK_SKB", "CGROUP_DEVICE",
    "SK_MSG", "RAW_TRACEPOINT",
]


class Btf:
    def __init__(self):
        self.strs = b"\0"
        self.types = b""

    def name(self, s):
        off = len(self.strs)
        self.strs += s.encode() + b"\0"
        return off

    def add(self, name, kind, vlen, size_or_type, extra=b""):
        info = (kind << 24) | vlen
        self.types += struct.pack("<III", self.name(name) if name else 0,
                                  info, size_or_type) + extra

    def blob(self):
        hdr = struct.pack("<HBBIIIII", 0xEB9F, 1, 0, 24, 0, len(self.types),
                          len(self.types), len(self.strs))
        return hdr + self.types + self.strs


def main():
    mode, out = sys.argv[1], sys.argv[2]
    b = Btf()
    # type 1: int (encoding SIGNED, 32 bits)
    b.add("int", KIND_INT, 0, 4, struct.pack("<I", (1 << 24) | 32))
    if mode == "forged":
        b.add("btf_trace_sched_switch", KIND_TYPEDEF, 0, 1)
    elif mode == "old":
        members = b"".join(struct.pack("<Ii", b.name("BPF_PROG_TYPE_" + n), i)
                           for i, n in enumerate(OLD_PROG_TYPES))
        b.add("bpf_prog_type", KIND_ENUM, len(OLD_PROG_TYPES), 4, members)
    else:
        sys.exit("mkbtf.py: unknown mode " + mode)
    with open(out, "wb") as f:
        f.write(b.blob())


if __name__ == "__main__":
    main()
