#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""bzimage.py VMLINUZ OUT: write the compressed kernel inside an x86 bzImage
to OUT and print its compression format (gzip, xz, lzma, lz4, zstd, bzip2,
lzo) on stdout.

The boot protocol header says where the payload is: setup_sects (0x1f1;
0 means 4) 512-byte sectors of real-mode setup follow the boot sector, and
payload_offset/payload_length (0x248/0x24c, protocol >= 2.08) place the
compressed vmlinux inside the protected-mode part. Every payload but gzip's
ends with the 4-byte uncompressed size (arch/x86/boot/compressed/Makefile
builds them with scripts/Makefile.lib's cmd_<format>_with_size, which runs
size_append; gzip's own trailer holds the size), which their decompressors
would call trailing garbage or a truncated stream (xz: "Unexpected end of
input", seen with Debian's amd64 flavour): it is cut off.
"""
import struct
import sys

MAGICS = [
    (b"\x1f\x8b", "gzip"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x5d\x00\x00", "lzma"),
    (b"\x02\x21\x4c\x18", "lz4"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"BZh", "bzip2"),
    (b"\x89LZO", "lzo"),
]


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: bzimage.py VMLINUZ OUT")
    data = open(sys.argv[1], "rb").read()
    if len(data) < 0x250 or data[0x202:0x206] != b"HdrS":
        sys.exit(f"{sys.argv[1]}: not a bzImage (no HdrS header)")
    version = struct.unpack_from("<H", data, 0x206)[0]
    if version < 0x208:
        sys.exit(f"{sys.argv[1]}: boot protocol {version:#x} has no payload fields")
    setup_sects = data[0x1F1] or 4
    offset, length = struct.unpack_from("<II", data, 0x248)
    start = (setup_sects + 1) * 512 + offset
    payload = data[start:start + length]
    if len(payload) != length:
        sys.exit(f"{sys.argv[1]}: payload runs past the end of the file")
    for magic, name in MAGICS:
        if payload.startswith(magic):
            break
    else:
        sys.exit(f"{sys.argv[1]}: unknown payload format {payload[:4].hex()}")
    if name != "gzip":
        payload = payload[:-4]
    with open(sys.argv[2], "wb") as out:
        out.write(payload)
    print(name)


if __name__ == "__main__":
    main()
