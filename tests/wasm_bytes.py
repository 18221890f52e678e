"""Pieces of the WebAssembly binary format, for the test scripts that write
their modules byte by byte (tests/features, tests/relaxed)."""

HEADER = b"\0asm\1\0\0\0"


def leb(n):
    """Unsigned LEB128."""
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def section(sid, payload):
    return bytes([sid]) + leb(len(payload)) + payload


def vec(items):
    return leb(len(items)) + b"".join(items)


def name(s):
    return leb(len(s)) + s.encode()
