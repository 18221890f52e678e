#!/usr/bin/env python3
"""Rewrite the ABI version of a w2n object and reseal it, as an object of
another w2n would carry (docs/abi.md: the metadata header, the seal).

    set_abi_version.py IN.o OUT.o MAJOR MINOR

Reads the ELF section headers to find .w2n.module, replaces the u32 after
its magic (major in the low 16 bits, minor in the high 16), then recomputes
the seal's SHA-256 over the whole file with the hash field zeroed.  Only for
unsigned objects: a signature would no longer verify.
"""
import hashlib
import struct
import sys

SEAL_SIZE = 144


def section(elf, wanted):
    shoff, = struct.unpack_from('<Q', elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from('<HHH', elf, 0x3A)
    def header(i):
        return struct.unpack_from('<IIQQQQ', elf, shoff + i * shentsize)
    strtab = header(shstrndx)[4]
    for i in range(shnum):
        name, _, _, _, offset, size = header(i)
        end = elf.index(b'\0', strtab + name)
        if elf[strtab + name:end].decode() == wanted:
            return offset, size
    sys.exit(f'no section {wanted}')


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    data = bytearray(open(sys.argv[1], 'rb').read())
    major, minor = int(sys.argv[3]), int(sys.argv[4])
    elf, seal = data[:-SEAL_SIZE], data[-SEAL_SIZE:]
    if seal[:8] != b'W2NSEAL\0' or struct.unpack_from('<I', seal, 12)[0] & 1:
        sys.exit('not an unsigned sealed w2n object')
    offset, _ = section(elf, '.w2n.module')
    if elf[offset:offset + 8] != b'W2NMETA\0':
        sys.exit('bad metadata magic')
    struct.pack_into('<I', data, offset + 8, major | minor << 16)
    hash_at = len(data) - SEAL_SIZE + 16
    data[hash_at:hash_at + 32] = bytes(32)
    data[hash_at:hash_at + 32] = hashlib.sha256(data).digest()
    open(sys.argv[2], 'wb').write(data)


if __name__ == '__main__':
    main()
