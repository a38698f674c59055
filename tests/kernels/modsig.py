#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""modsig.py SIGNED.ko UNSIGNED.ko: write a copy of a module without its
appended signature, as a module built on the machine (SystemTap's) is.

Debian signs its modules at build time with a key the kernel trusts, so
they load even under lockdown; an unsigned module is what lockdown
refuses (kernel/module/signing.c, module_sig_check(): no signature and
security_locked_down(LOCKDOWN_MODULE_SIGNATURE) gives -EPERM). The
signature's layout: module bytes, signature, struct module_signature
(include/linux/module_signature.h: 12 bytes, big-endian sig_len last),
then the marker "~Module signature appended~\\n".
"""
import struct
import sys

MARKER = b"~Module signature appended~\n"


def main():
    data = open(sys.argv[1], "rb").read()
    if not data.endswith(MARKER):
        sys.exit(f"{sys.argv[1]}: no appended module signature")
    info = data[-len(MARKER) - 12:-len(MARKER)]
    (sig_len,) = struct.unpack(">I", info[8:12])
    end = len(data) - len(MARKER) - 12 - sig_len
    if sig_len == 0 or end <= 0:
        sys.exit(f"{sys.argv[1]}: a signature of {sig_len} bytes does not fit")
    with open(sys.argv[2], "wb") as f:
        f.write(data[:end])


if __name__ == "__main__":
    main()
