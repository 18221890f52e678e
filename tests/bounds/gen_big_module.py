#!/usr/bin/env python3
"""gen_big_module.py — write large, valid Wasm modules at test time.

    gen_big_module.py SHAPE N OUT.wasm

Shapes (each exercises one way compile time could grow faster than input):
  br_table   one function: a br_table of N entries over N+1 nested blocks,
             each block's exit returning its own constant (an N-case switch)
  br_table_few  a br_table of N entries over 8 labels (a long table, few blocks)
  call_chain N functions, f_i calls f_(i+1), the last returns a constant
  straight   one function of straight-line code about N bytes long (loads,
             arithmetic and stores on one memory, no branches)
  nesting    one function with N nested blocks and a br out of the innermost
  locals     one function declaring N i64 locals, each set and summed
  globals    N mutable i32 globals, one function summing them
  eh_chain   N functions in a call chain, the last throwing a tag that the
             first catches with try_table: run(x) = x + N - 2 + 1000
  table_huge a fixed-size table of N elements nothing writes (element 0 is
             run itself) and run(x) = call_indirect of element x
  table_types  such a table of 65536 elements holding run and one function
             of each of N distinct types, and a call_indirect of element x
             of each type when x != 0: run(0) = 7, run(1) calls element 1
             (type 0), then traps on a type mismatch

Large binaries are never committed: CMake and the tests generate them.
"""
import sys


def uleb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def sleb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if (n == 0 and not b & 0x40) or (n == -1 and b & 0x40):
            out.append(b)
            return bytes(out)
        out.append(b | 0x80)


def section(sid, payload):
    return bytes([sid]) + uleb(len(payload)) + payload


def vec(items):
    return uleb(len(items)) + b"".join(items)


I32, I64 = 0x7F, 0x7E


def functype(params, results):
    return b"\x60" + vec([bytes([p]) for p in params]) + vec([bytes([r]) for r in results])


def body(locals_, code):
    """locals_: list of (count, type); code without the final end."""
    decl = vec([uleb(c) + bytes([t]) for c, t in locals_])
    b = decl + code + b"\x0b"
    return uleb(len(b)) + b


def module(types, funcs, bodies, memory=False, globals_=b"", nglobals=0, export=0):
    out = b"\0asm\1\0\0\0"
    out += section(1, vec(types))
    out += section(3, vec([uleb(t) for t in funcs]))
    if memory:
        out += section(5, vec([b"\x00\x01"]))          # one memory, min 1 page
    if nglobals:
        out += section(6, uleb(nglobals) + globals_)
    name = b"run"
    out += section(7, vec([uleb(len(name)) + name + b"\x00" + uleb(export)]))
    out += section(10, vec(bodies))
    return out


def br_table(n):
    # block^(n+1) (local.get 0; br_table 0 1 .. n-1 n) end i32.const k return ...
    code = bytearray(b"\x02\x40" * (n + 1))
    code += b"\x20\x00\x0e" + uleb(n)
    for i in range(n):
        code += uleb(i)
    code += uleb(n)
    for k in range(n + 1):
        code += b"\x0b\x41" + sleb(k) + b"\x0f"
    code += b"\x41\x00"
    return module([functype([I32], [I32])], [0], [body([], bytes(code))])


def br_table_few(n):
    labels = 8
    code = bytearray(b"\x02\x40" * labels)
    code += b"\x20\x00\x0e" + uleb(n)
    for i in range(n):
        code += uleb(i % labels)
    code += uleb(labels - 1)
    for k in range(labels):
        code += b"\x0b\x41" + sleb(k) + b"\x0f"
    code += b"\x41\x00"
    return module([functype([I32], [I32])], [0], [body([], bytes(code))])


def call_chain(n):
    bodies = []
    for i in range(n):
        if i + 1 < n:
            code = b"\x20\x00\x41\x01\x6a\x10" + uleb(i + 1)   # call f(i+1)(x + 1)
        else:
            code = b"\x20\x00"
        bodies.append(body([], code))
    return module([functype([I32], [I32])], [0] * n, bodies)


def straight(nbytes):
    # One unit, about 20 bytes: mem[k+4] = x = x * 3 + mem[k].
    code = bytearray()
    k = 0
    while len(code) < nbytes:
        off = (k * 4) % 60000
        code += b"\x41\x00"                                # i32.const 0 (store address)
        code += b"\x20\x00\x41\x03\x6c"                    # local.get 0; i32.const 3; i32.mul
        code += b"\x41\x00\x28\x02" + uleb(off) + b"\x6a"  # i32.load offset=off; i32.add
        code += b"\x22\x00"                                # local.tee 0
        code += b"\x36\x02" + uleb(off + 4)                # i32.store offset=off+4
        k += 1
    code += b"\x20\x00"
    return module([functype([I32], [I32])], [0], [body([], bytes(code))], memory=True)


def nesting(n):
    code = b"\x02\x40" * n + b"\x0c" + uleb(n - 1) + b"\x0b" * n + b"\x20\x00"
    return module([functype([I32], [I32])], [0], [body([], code)])


def many_locals(n):
    code = bytearray()
    for i in range(n):
        code += b"\x42" + sleb(i) + b"\x21" + uleb(i + 1)             # i64.const i; local.set
    code += b"\x42\x00"
    for i in range(n):
        code += b"\x20" + uleb(i + 1) + b"\x7c"                      # local.get; i64.add
    code += b"\xa7"                                                   # i32.wrap_i64
    return module([functype([I32], [I32])], [0], [body([(n, I64)], bytes(code))])


def many_globals(n):
    glob = b"".join(b"\x7f\x01\x41" + sleb(i) + b"\x0b" for i in range(n))
    code = bytearray(b"\x20\x00")
    for i in range(n):
        code += b"\x23" + uleb(i) + b"\x6a"
    return module([functype([I32], [I32])], [0], [body([], bytes(code))], globals_=glob, nglobals=n)


def eh_chain(n):
    bodies = []
    for i in range(n):
        if i == 0:      # block (result i32) try_table (result i32) (catch 0 0) call f1 end return end +1000
            code = (b"\x02\x7f\x1f\x7f\x01\x00\x00\x00\x20\x00\x10\x01\x0b\x0f\x0b"
                    b"\x41" + sleb(1000) + b"\x6a")
        elif i + 1 < n:
            code = b"\x20\x00\x41\x01\x6a\x10" + uleb(i + 1)    # call f(i+1)(x + 1)
        else:
            code = b"\x20\x00\x08\x00"                            # throw 0 (x)
        bodies.append(body([], code))
    out = b"\0asm\1\0\0\0"
    out += section(1, vec([functype([I32], [I32]), functype([I32], [])]))
    out += section(3, vec([uleb(0)] * n))
    out += section(13, vec([b"\x00\x01"]))                 # tag 0: [i32]
    out += section(7, vec([b"\x03run\x00\x00"]))
    out += section(10, vec(bodies))
    return out


def fixed_table_module(types, code, size, callees=()):
    """types + run's type (i32) -> i32; run (function 0, `code`) and an
    empty function of each type in `callees`; one fixed-size funcref table
    of `size` elements holding run and the callees from 0 (an active
    segment); run exported."""
    out = b"\0asm\1\0\0\0"
    out += section(1, vec(types + [functype([I32], [I32])]))
    out += section(3, vec([uleb(len(types))] + [uleb(t) for t in callees]))
    out += section(4, vec([b"\x70\x01" + uleb(size) + uleb(size)]))
    out += section(7, vec([b"\x03run\x00\x00"]))
    out += section(9, vec([b"\x00\x41\x00\x0b" + vec([uleb(f) for f in range(1 + len(callees))])]))
    out += section(10, vec([body([], code)] + [body([], b"")] * len(callees)))
    return out


def table_huge(n):
    code = b"\x20\x00\x20\x00\x11\x00\x00"              # call_indirect (type 0) (x, x)
    return fixed_table_module([], code, n)


def table_types(n):
    kinds = [I32, 0x7E, 0x7D, 0x7C]                          # i32 i64 f32 f64
    consts = {I32: b"\x41\x00", 0x7E: b"\x42\x00", 0x7D: b"\x43" + bytes(4),
              0x7C: b"\x44" + bytes(8)}
    types, code = [], bytearray(b"\x20\x00\x04\x40")          # if (x)
    for t in range(n):
        params = [kinds[(t >> (2 * d)) & 3] for d in range(8)]   # distinct for t < 65536
        types.append(functype(params, []))
        for p in params:
            code += consts[p]
        code += b"\x20\x00\x11" + uleb(t) + b"\x00"      # call_indirect (type t) (x)
    code += b"\x0b\x41\x07"
    return fixed_table_module(types, bytes(code), 65536, callees=range(n))


SHAPES = {"br_table": br_table, "br_table_few": br_table_few, "call_chain": call_chain,
          "straight": straight, "nesting": nesting, "locals": many_locals,
          "globals": many_globals, "eh_chain": eh_chain, "table_huge": table_huge,
          "table_types": table_types}


def main(argv):
    if len(argv) != 4 or argv[1] not in SHAPES:
        sys.stderr.write("usage: gen_big_module.py %s N OUT.wasm\n" % "|".join(SHAPES))
        return 2
    data = SHAPES[argv[1]](int(argv[2]))
    with open(argv[3], "wb") as f:
        f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
