#!/usr/bin/env python3
"""One small module per Wasm 3.0 / threads construct w2n lacks, built here from
hand-written bytes, and what `w2n validate` (and compile, run) must say of it.

    check_feature.py W2N CASE      run one case (ctest: features.CASE)
    check_feature.py --list        the case names

A refused feature is W2N_ERR_UNSUPPORTED: exit status 3 and
"FILE: offset 0xN: WHAT requires the 'NAME' feature, which w2n does not
support" (or "..., which is disabled" for one --wasm-features turned off),
never a malformed/invalid verdict.  Validate-only features (GC: w2n
validates its modules but does not compile them) are accepted by `w2n
validate` and refused so by compile and run.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from wasm_bytes import HEADER, leb, section, vec  # noqa: E402


VOID_TYPE = section(1, vec([b"\x60\x00\x00"]))
ONE_FUNC = section(3, vec([b"\x00"]))
MEMORY = section(5, vec([b"\x00\x01"]))


def code(body, locals_=b"\x00"):
    f = locals_ + body + b"\x0b"
    return section(10, vec([leb(len(f)) + f]))


def func_module(body, memory=False):
    """() -> () whose body is `body`; the offset of the body's first byte."""
    head = HEADER + VOID_TYPE + ONE_FUNC + (MEMORY if memory else b"")
    return head + code(body)


# name: (module bytes, feature, what, extra w2n validate args, disabled?)
CASES = {
}

# Implemented features switched off with --wasm-features.  A fourth item is
# what the default features say instead of "valid": the memory index 1 of a
# one-memory module is refused as a feature when multi-memory is off, but is
# an unknown memory (invalid) when it is on.
DISABLED = {
    "disabled-gc": (func_module(b"\x41\x00\xfb\x1c\x1a"), "gc", "ref.i31"),
    "disabled-gc-rec": (HEADER + section(1, vec([b"\x4e\x01\x60\x00\x00"])),
                        "gc", "a GC type definition"),
    "disabled-gc-anyref": (HEADER + section(1, vec([b"\x60\x01\x6e\x00"])),
                           "gc", "a GC reference type"),
    # (type (struct)) (func (drop (struct.new 0))): -gc refuses it at the type section.
    "disabled-gc-struct-new": (HEADER + section(1, vec([b"\x5f\x00", b"\x60\x00\x00"]))
                               + section(3, vec([b"\x01"])) + code(b"\xfb\x00\x00\x1a"),
                               "gc", "a GC type definition"),
    "disabled-extended-const": (HEADER + section(6, vec([b"\x7f\x00\x41\x01\x41\x02\x6a\x0b"])),
                                "extended-const", "an extended constant expression"),
    # Wasm 2.0's rule: only imported globals (here a data offset reads global 0).
    "disabled-extended-const-global": (HEADER + MEMORY + section(6, vec([b"\x7f\x00\x41\x00\x0b"]))
                                       + section(11, vec([b"\x00\x23\x00\x0b\x00"])),
                                       "extended-const",
                                       "a constant expression reading a global defined in the module"),
    "disabled-relaxed-simd": (func_module(b"\x41\x00\xfd\x0f" + b"\x41\x00\xfd\x0f\xfd" + leb(0x100) + b"\x1a"),
                              "relaxed-simd", "i8x16.relaxed_swizzle"),
    "disabled-multi-memory": (HEADER + section(5, vec([b"\x00\x01", b"\x00\x01"])),
                              "multi-memory", "a second memory"),
    "disabled-multi-memory-memarg": (func_module(b"\x41\x00\x28\x42\x01\x00\x1a", memory=True),
                                     "multi-memory", "a memory index other than 0",
                                     "unknown memory 1"),
    "disabled-multi-memory-memory-size": (func_module(b"\x3f\x01\x1a", memory=True),
                                          "multi-memory", "a memory index other than 0",
                                          "unknown memory 1"),
    "disabled-simd": (func_module(b"\xfd\x0c" + b"\0" * 16 + b"\x1a"), "simd", "v128.const"),
    "disabled-sign-extension": (func_module(b"\x41\x00\xc0\x1a"), "sign-extension", "i32.extend8_s"),
    "disabled-bulk-memory": (func_module(b"\x41\x00\x41\x00\x41\x00\xfc\x0b\x00", memory=True),
                             "bulk-memory", "memory.fill"),
    "disabled-memory64": (HEADER + section(5, vec([b"\x04\x01"])), "memory64", "a 64-bit memory"),
    "disabled-memory64-table": (HEADER + section(4, vec([b"\x70\x04\x01"])), "memory64",
                                "a 64-bit table"),
    "disabled-multi-value": (HEADER + section(1, vec([b"\x60\x00\x02\x7f\x7f"])),
                             "multi-value", "a function type with several results"),
    "disabled-threads": (HEADER + section(5, vec([b"\x03\x01\x01"])), "threads", "shared memory"),
    "disabled-threads-import": (HEADER + section(2, vec([b"\x01m\x03mem\x02\x03\x01\x01"])),
                                "threads", "shared memory"),
    "disabled-threads-atomic": (func_module(b"\x41\x00\xfe\x10\x02\x00\x1a", memory=True),
                                "threads", "i32.atomic.load"),
    "disabled-threads-fence": (func_module(b"\xfe\x03\x00"), "threads", "atomic.fence"),
    "disabled-reference-types-tables": (HEADER + section(4, vec([b"\x70\x00\x01", b"\x70\x00\x01"])),
                                        "reference-types", "a second table"),
    "disabled-function-references": (func_module(b"\xd0\x00\x14\x00"), "function-references",
                                     "a typed ref.null"),
    "disabled-function-references-call-ref": (func_module(b"\x00\x14\x00"),
                                              "function-references", "call_ref"),
    # return_call_ref is in the tail-call proposal's opcode space but takes a typed reference.
    "disabled-function-references-return-call-ref": (func_module(b"\x00\x15\x00"),
                                                     "function-references", "return_call_ref"),
    "disabled-function-references-type": (HEADER + section(1, vec([b"\x60\x01\x63\x70\x00"])),
                                          "function-references", "value type (ref null ...)"),
    "disabled-function-references-table-init": (HEADER + section(4, vec([b"\x40\x00\x70\x00\x01\xd0\x70\x0b"])),
                                                "function-references", "a table with an initializer"),
    "disabled-tail-call": (func_module(b"\x12\x00"), "tail-call", "return_call"),
    # try catch_all end: valid with the defaults.
    "disabled-legacy-exceptions": (func_module(b"\x06\x40\x19\x0b"), "legacy-exceptions", "try"),
    "disabled-tail-call-indirect": (HEADER + VOID_TYPE + ONE_FUNC + section(4, vec([b"\x70\x00\x01"]))
                                    + code(b"\x41\x00\x13\x00\x00"),
                                    "tail-call", "return_call_indirect"),
    "disabled-exceptions": (HEADER + VOID_TYPE + section(13, vec([b"\x00\x00"])),
                            "exceptions", "the tag section"),
    "disabled-exceptions-try-table": (func_module(b"\x1f\x40\x00\x0b"), "exceptions", "try_table"),
    "disabled-exceptions-throw": (HEADER + VOID_TYPE + ONE_FUNC + section(13, vec([b"\x00\x00"]))
                                  + code(b"\x08\x00"), "exceptions", "the tag section"),
    "disabled-exceptions-exnref": (HEADER + section(1, vec([b"\x60\x01\x69\x00"])),
                                   "exceptions", "value type exnref"),
}


# Features w2n implements in part, off unless asked for: `w2n validate`
# accepts them, compile and run refuse them as disabled and say how to ask.
# None today (GC was the last, until session 9).
OPT_IN = set()


def run(args):
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    return p.returncode, p.stderr.decode().strip()


def expect(args, path, status, message):
    rc, err = run(args)
    want_tail = ": " + message
    ok = rc == status and err.startswith(path + ": offset 0x") and err.endswith(want_tail)
    if not ok:
        print("FAIL: %s\n  exit %d, stderr %r\n  want exit %d and '%s: offset 0x..%s'"
              % (" ".join(args), rc, err, status, path, want_tail))
    return ok


def main():
    if sys.argv[1:] == ["--list"]:
        print("\n".join(list(CASES) + list(DISABLED)))
        return 0
    w2n, case = sys.argv[1], sys.argv[2]
    disabled = case in DISABLED
    module, feature, what, *default_verdict = (DISABLED if disabled else CASES)[case]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, case + ".wasm")
        with open(path, "wb") as f:
            f.write(module)
        tail = ("which is disabled" if disabled
                else "which is disabled (w2n supports it in part: --wasm-features=+%s)" % feature
                if feature in OPT_IN else "which w2n does not support")
        msg = "%s requires the '%s' feature, %s" % (what, feature, tail)
        flags = ["--wasm-features=-" + feature] if disabled else []
        if feature in OPT_IN and not disabled:
            rc, err = run([w2n, "validate", path])
            ok = rc == 0
            if not ok:
                print("FAIL: w2n validate %s: exit %d, %r; want it valid" % (case, rc, err))
        else:
            ok = expect([w2n, "validate"] + flags + [path], path, 3, msg)
        ok &= expect([w2n, "compile"] + flags + [path, "-o", os.path.join(tmp, "out.o")], path, 3, msg)
        rc, err = run([w2n, "run"] + flags + [path])
        if rc != 3 or not err.endswith(msg):
            print("FAIL: w2n run %s: exit %d, %r; want exit 3 and '...%s'" % (case, rc, err, msg))
            ok = False
        if disabled and not default_verdict:
            # With the defaults the same module is valid.
            rc, err = run([w2n, "validate", path])
            if rc != 0:
                print("FAIL: %s is refused with default features: %s" % (case, err))
                ok = False
        elif disabled:
            # With the defaults it is decoded and judged by the feature's rules.
            rc, err = run([w2n, "validate", path])
            if rc == 3 or not err.endswith(default_verdict[0]):
                print("FAIL: %s with default features: exit %d, %r; want '...%s'"
                      % (case, rc, err, default_verdict[0]))
                ok = False
    print("%d passed, %d failed" % (1 if ok else 0, 0 if ok else 1))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
