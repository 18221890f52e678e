#!/usr/bin/env python3
"""Pin the result w2n gives each relaxed-SIMD instruction, per target, on the
inputs where the spec allows more than one (docs/relaxed-simd.md): NaN and
signed zeros for min/max, out-of-range and NaN truncation, swizzle indices
of 16 and more, laneselect masks that are neither all ones nor all zeros,
inputs where fused and unfused multiply-add differ, dot products whose
16-bit sums overflow.  A change of choice on any target fails here.

    check_relaxed.py W2N TARGET [RUNNER...]   ctest: relaxed.TARGET

The module (built here from bytes) is compiled with `w2n compile
--target=TARGET` and each export run by RUNNER (default: w2n-run next to
W2N; for other targets `qemu-T -L /usr/T-linux-gnu BUILD/cross-T/tools/w2n-run`)
with --invoke.  The choice belongs to the target, not to the CPU or its
extensions, so the results must not change with them: on x86-64 the module
is also compiled with --cpu=x86-64-v3 (FMA, AVX2) when this host can run it,
on RISC-V under qemu with --features=+v (the two f64x2 truncations left out
there: qemu-user 7.2 aborts on vfncvt.rtz, docs/cross-compiling.md).
"""
import os
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from wasm_bytes import HEADER, leb, name, section, vec  # noqa: E402

# ---- the module --------------------------------------------------------------


# (export name, sub-opcode after 0xFD, number of v128 operands)
OPS = [
    ("i8x16.relaxed_swizzle", 0x100, 2),
    ("i32x4.relaxed_trunc_f32x4_s", 0x101, 1),
    ("i32x4.relaxed_trunc_f32x4_u", 0x102, 1),
    ("i32x4.relaxed_trunc_f64x2_s_zero", 0x103, 1),
    ("i32x4.relaxed_trunc_f64x2_u_zero", 0x104, 1),
    ("f32x4.relaxed_madd", 0x105, 3),
    ("f32x4.relaxed_nmadd", 0x106, 3),
    ("f64x2.relaxed_madd", 0x107, 3),
    ("f64x2.relaxed_nmadd", 0x108, 3),
    ("i8x16.relaxed_laneselect", 0x109, 3),
    ("i16x8.relaxed_laneselect", 0x10A, 3),
    ("i32x4.relaxed_laneselect", 0x10B, 3),
    ("i64x2.relaxed_laneselect", 0x10C, 3),
    ("f32x4.relaxed_min", 0x10D, 2),
    ("f32x4.relaxed_max", 0x10E, 2),
    ("f64x2.relaxed_min", 0x10F, 2),
    ("f64x2.relaxed_max", 0x110, 2),
    ("i16x8.relaxed_q15mulr_s", 0x111, 2),
    ("i16x8.relaxed_dot_i8x16_i7x16_s", 0x112, 2),
    ("i32x4.relaxed_dot_i8x16_i7x16_add_s", 0x113, 3),
]


def module():
    types = [b"\x60" + vec([b"\x7b"] * n) + vec([b"\x7b"]) for n in (1, 2, 3)]
    funcs = [leb(n - 1) for _, _, n in OPS]
    exports = [name(op) + b"\x00" + leb(i) for i, (op, _, _) in enumerate(OPS)]
    bodies = []
    for _, code, n in OPS:
        body = b"\x00" + b"".join(b"\x20" + leb(k) for k in range(n)) + b"\xfd" + leb(code) + b"\x0b"
        bodies.append(leb(len(body)) + body)
    return (HEADER + section(1, vec(types)) + section(3, vec(funcs))
            + section(7, vec(exports)) + section(10, vec(bodies)))


# ---- v128 values, as --invoke reads and prints them ----------------------------


def v128(fmt, lanes):
    return "0x" + struct.pack("<" + fmt, *lanes)[::-1].hex()


def i8(*l): return v128("16b", l)
def u8(*l): return v128("16B", l)
def i16(*l): return v128("8h", l)
def i32(*l): return v128("4i", l)
def u32(*l): return v128("4I", l)
def i64(*l): return v128("2q", l)
def f32(*l): return v128("4f", [float.fromhex(x) if isinstance(x, str) else x for x in l])
def f64(*l): return v128("2d", [float.fromhex(x) if isinstance(x, str) else x for x in l])


NAN32 = 0x7FC00000          # the canonical NaN, as bits
NAN64 = 0x7FF8000000000000


def f32bits(*l): return u32(*l)
def f64bits(*l): return v128("2Q", l)


INF = float("inf")
DMAX = "0x1.fffffffffffffp+1023"
# a * b + c is 2^-37 with one rounding and 0 with two (f32), 2^-53 and 0 (f64).
FX, FY, FZ = "0x1.000004p+0", "0x1.0002p+0", "-0x1.000204p+0"
DX, DY, DZ = "0x1.00000004p+0", "0x1.000002p+0", "-0x1.00000204p+0"

# Which choices each target makes (target.c, docs/relaxed-simd.md).
TARGETS = {
    "x86_64": {"fused": False, "select": True, "int_min": True},
    "aarch64": {"fused": True, "select": False, "int_min": False},
    "riscv64": {"fused": True, "select": False, "int_min": False},
}

# (export, [args], expected): expected is a v128 string, or (choice, if set, if not).
CASES = [
    # Indices 16..127 give 0 (as i8x16.swizzle), as do 128 and more.
    ("i8x16.relaxed_swizzle",
     [u8(*range(0x10, 0x20)), u8(0, 15, 16, 17, 31, 127, 128, 255, 0x8F, 0x70, 1, 2, 3, 4, 5, 6)],
     u8(0x10, 0x1F, 0, 0, 0, 0, 0, 0, 0, 0, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16)),
    # Signed truncation gives -2^31 for NaN and out of range (x86's cvttps2dq)
    # or saturates with NaN as 0 (as trunc_sat); unsigned always saturates.
    ("i32x4.relaxed_trunc_f32x4_s", [f32(float("nan"), 2147483648.0, -3e9, -1.5)],
     ("int_min", i32(-2**31, -2**31, -2**31, -1), i32(0, 2**31 - 1, -2**31, -1))),
    ("i32x4.relaxed_trunc_f32x4_s", [f32(-2147483648.0, 2147483520.0, -0.9, 7.9)],
     i32(-2**31, 2147483520, 0, 7)),
    ("i32x4.relaxed_trunc_f32x4_u", [f32(float("nan"), 5e9, -1.0, 2.5)],
     u32(0, 2**32 - 1, 0, 2)),
    ("i32x4.relaxed_trunc_f64x2_s_zero", [f64(float("nan"), -1e10)],
     ("int_min", i32(-2**31, -2**31, 0, 0), i32(0, -2**31, 0, 0))),
    ("i32x4.relaxed_trunc_f64x2_s_zero", [f64(2147483647.9, -2147483648.9)], i32(2**31 - 1, -2**31, 0, 0)),
    ("i32x4.relaxed_trunc_f64x2_s_zero", [f64(2147483648.0, -2147483649.0)],
     ("int_min", i32(-2**31, -2**31, 0, 0), i32(2**31 - 1, -2**31, 0, 0))),
    ("i32x4.relaxed_trunc_f64x2_u_zero", [f64(1e10, -0.9)], u32(2**32 - 1, 0, 0, 0)),
    # Fused or not; lane 2 is exact either way, lane 3 a NaN operand.
    ("f32x4.relaxed_madd",
     [f32bits(0x3F800002, 0x3F800002, 0x3F800000, NAN32), f32(FY, FY, 2.0, 1.0), f32(FZ, FZ, 3.0, 1.0)],
     ("fused", f32bits(0x2D000000, 0x2D000000, 0x40A00000, NAN32), f32bits(0, 0, 0x40A00000, NAN32))),
    ("f32x4.relaxed_nmadd",
     [f32("-" + FX, FX, 2.0, 1.0), f32(FY, "-" + FY, 2.0, 1.0), f32(FZ, FZ, 3.0, 1.0)],
     ("fused", f32("0x1p-37", "0x1p-37", -1.0, 0.0), f32(0.0, 0.0, -1.0, 0.0))),
    ("f64x2.relaxed_madd", [f64(DMAX, DX), f64(2.0, DY), f64("-" + DMAX, DZ)],
     ("fused", f64(DMAX, "0x1p-53"), f64(INF, 0.0))),
    ("f64x2.relaxed_nmadd", [f64("-" + DMAX, "-" + DX), f64(2.0, DY), f64("-" + DMAX, DZ)],
     ("fused", f64(DMAX, "0x1p-53"), f64(INF, 0.0))),
    # Every laneselect is a bitselect, whatever the mask.
    ("i8x16.relaxed_laneselect",
     [u8(*[0xAA] * 16), u8(*[0x55] * 16), u8(0x0F, 0x80, 0x7F, 0xFF, 0, 0xF0, 1, 0xFE, *[0x3C] * 8)],
     u8(0x0A ^ 0x50, 0x80 | 0x55 & 0x7F, 0x2A | 0x55 & 0x80, 0xAA, 0x55, 0xA0 | 0x05, 0x54, 0xAB,
        *[0x28 | 0x41] * 8)),
    ("i16x8.relaxed_laneselect",
     [i16(*[0x1234] * 8), i16(*[-0x1235] * 8), i16(-0x8000, 0x7FFF, 0x00FF, -0x100, 0, -1, 0x0F0F, 1)],
     i16(*[(0x1234 & m) | (-0x1235 & ~m) for m in (-0x8000, 0x7FFF, 0x00FF, -0x100, 0, -1, 0x0F0F, 1)])),
    ("i32x4.relaxed_laneselect",
     [i32(*[0x12345678] * 4), i32(*[-0x12345679] * 4), i32(-2**31, 2**31 - 1, 0xFFFF, 1)],
     i32(*[(0x12345678 & m) | (-0x12345679 & ~m) for m in (-2**31, 2**31 - 1, 0xFFFF, 1)])),
    ("i64x2.relaxed_laneselect",
     [i64(0x0123456789ABCDEF, 0x0123456789ABCDEF), i64(-1, 0), i64(-2**63, 0x00000000FFFFFFFF)],
     i64(0x0123456789ABCDEF & -2**63 | (-1 & ~-2**63), 0x89ABCDEF)),
    # min/max: `a < b ? a : b` gives b for a NaN on either side and for two zeros.
    ("f32x4.relaxed_min", [f32bits(NAN32, 0, 0, 0x80000000), f32bits(0, NAN32, 0x80000000, 0)],
     ("select", f32bits(0, NAN32, 0x80000000, 0), f32bits(NAN32, NAN32, 0x80000000, 0x80000000))),
    ("f32x4.relaxed_max", [f32bits(NAN32, 0, 0, 0x80000000), f32bits(0, NAN32, 0x80000000, 0)],
     ("select", f32bits(0, NAN32, 0x80000000, 0), f32bits(NAN32, NAN32, 0, 0))),
    ("f64x2.relaxed_min", [f64bits(NAN64, 0), f64bits(0x3FF0000000000000, 1 << 63)],
     ("select", f64bits(0x3FF0000000000000, 1 << 63), f64bits(NAN64, 1 << 63))),
    ("f64x2.relaxed_max", [f64bits(NAN64, 0), f64bits(0x3FF0000000000000, 1 << 63)],
     ("select", f64bits(0x3FF0000000000000, 1 << 63), f64bits(NAN64, 0))),
    # -32768 * -32768 saturates (as q15mulr_sat_s).
    ("i16x8.relaxed_q15mulr_s",
     [i16(-0x8000, 0x4000, -0x8000, 0x7FFF, 1, 0, 0, 0), i16(-0x8000, 0x4000, 0x7FFF, 0x7FFF, 1, 0, 0, 0)],
     i16(0x7FFF, 0x2000, -0x7FFF, 0x7FFE, 0, 0, 0, 0)),
    # b's top bit is a sign; 16-bit pair sums wrap: 2 * (-128 * -128) = -32768.
    ("i16x8.relaxed_dot_i8x16_i7x16_s",
     [i8(-128, -128, 127, 127, -128, -128, 1, 2, *[0] * 8), i8(-128, -128, 127, 127, -127, -127, 3, 4, *[0] * 8)],
     i16(-0x8000, 32258, 32512, 11, 0, 0, 0, 0)),
    ("i32x4.relaxed_dot_i8x16_i7x16_add_s",
     [i8(*[-128] * 4, *[-128] * 4, 1, 2, 3, 4, *[0] * 4), i8(*[-128] * 4, *[-127] * 4, 1, 1, 1, 1, *[0] * 4),
      i32(1, 2, 3, 4)],
     i32(-65535, 65026, 13, 4)),
]


def expected(case, target):
    want = case[2]
    if isinstance(want, tuple):
        choice, if_set, if_not = want
        return if_set if TARGETS[target][choice] else if_not
    return want


def run(args):
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    return p.returncode, p.stdout.decode().strip(), p.stderr.decode().strip()


def has_x86_64_v3():
    try:
        with open("/proc/cpuinfo") as f:
            flags = next((l for l in f if l.startswith("flags")), "").split()
    except OSError:
        return False
    return all(x in flags for x in ("avx2", "fma", "bmi2", "movbe"))


RVV_QEMU_CPU = "rv64,v=true,vlen=128,vext_spec=v1.0"   # as spec-tests/run
QEMU_ABORTS_WITH_V = ("i32x4.relaxed_trunc_f64x2_s_zero", "i32x4.relaxed_trunc_f64x2_u_zero")


def variants(target, runner):
    """(label, compile flags, runner, cases) for each build to check."""
    out = [("baseline", [], runner, CASES)]
    if target == "x86_64" and has_x86_64_v3():
        out.append(("x86-64-v3", ["--cpu=x86-64-v3"], runner, CASES))
    if target == "riscv64" and os.path.basename(runner[0]).startswith("qemu"):
        cases = [c for c in CASES if c[0] not in QEMU_ABORTS_WITH_V]
        out.append(("+v", ["--features=+v"], runner[:1] + ["-cpu", RVV_QEMU_CPU] + runner[1:], cases))
    return out


def check_object(obj, runner, target, label, cases):
    fails = 0
    for case in cases:
        rc, out, err = run(runner + ["--invoke", case[0], obj] + case[1])
        want = expected(case, target)
        if rc != 0 or out != want:
            print("FAIL %s %s: exit %d, got %s, want %s %s" % (label, case[0], rc, out, want, err))
            fails += 1
    return fails


def main():
    w2n, target = sys.argv[1], sys.argv[2]
    runner = sys.argv[3:] or [os.path.join(os.path.dirname(w2n), "w2n-run")]
    fails = 0
    with tempfile.TemporaryDirectory() as tmp:
        wasm = os.path.join(tmp, "relaxed.wasm")
        with open(wasm, "wb") as f:
            f.write(module())
        n = 0
        for label, flags, run_with, cases in variants(target, runner):
            for bounds in ("guard", "explicit"):
                n += len(cases)
                obj = os.path.join(tmp, "relaxed-%s-%s.o" % (label, bounds))
                rc, _, err = run([w2n, "compile", "--target=%s-linux-gnu" % target,
                                  "--bounds-checks=" + bounds] + flags + [wasm, "-o", obj])
                if rc != 0:
                    print("FAIL compile %s %s: %s" % (label, bounds, err))
                    fails += 1
                    continue
                fails += check_object(obj, run_with, target, "%s %s %s" % (target, label, bounds), cases)
    print("%d passed, %d failed" % (n - fails, fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
