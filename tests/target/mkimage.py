#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Small stand-ins for kernel images, for the image reader's tests.

  mkimage.py elf BTF OUT        an ELF64 file whose .BTF section holds BTF
                                (no .BTF when BTF is "-")
  mkimage.py bzimage PAYLOAD OUT [SIZE]
                                an x86 bzImage around a compressed payload:
                                "HdrS" at 0x202, boot protocol 2.15,
                                setup_sects, payload_offset/length at
                                0x248/0x24c (Documentation/arch/x86/boot.rst),
                                and the payload followed by the 4-byte
                                uncompressed size, as the kernel build appends
"""
import struct
import sys


def elf(btf):
    names = b"\0.shstrtab\0" + (b".BTF\0" if btf is not None else b"")
    data = btf or b""
    ehdr_size, shdr_size = 64, 64
    off_btf = ehdr_size
    off_names = off_btf + len(data)
    off_sh = (off_names + len(names) + 7) & ~7
    sections = [struct.pack("<IIQQQQIIQQ", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)]
    sections.append(struct.pack("<IIQQQQIIQQ", 1, 3, 0, 0, off_names, len(names), 0, 0, 1, 0))
    if btf is not None:
        sections.append(struct.pack("<IIQQQQIIQQ", 11, 1, 0, 0, off_btf, len(data), 0, 0, 4, 0))
    ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
    ehdr = ident + struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, 0, 0, off_sh, 0, ehdr_size,
                               0, 0, shdr_size, len(sections), 1)
    out = ehdr + data + names
    out += bytes(off_sh - len(out))
    return out + b"".join(sections)


def bzimage(payload, size):
    setup_sects = 1
    payload_offset = 0x100
    body = bytearray((setup_sects + 1) * 512 + payload_offset)
    body[0x1F1] = setup_sects
    body[0x1FE:0x200] = b"\x55\xaa"
    body[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", body, 0x206, 0x020F)
    blob = payload + struct.pack("<I", size)
    struct.pack_into("<II", body, 0x248, payload_offset, len(blob))
    return bytes(body) + blob


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "elf":
        btf = None if sys.argv[2] == "-" else open(sys.argv[2], "rb").read()
        data = elf(btf)
    elif len(sys.argv) >= 4 and sys.argv[1] == "bzimage":
        size = int(sys.argv[4]) if len(sys.argv) > 4 else 0
        data = bzimage(open(sys.argv[2], "rb").read(), size)
    else:
        sys.exit(__doc__)
    with open(sys.argv[3], "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
