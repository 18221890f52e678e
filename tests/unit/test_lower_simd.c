/*
 * test_lower_simd.c — v128 lowering, run bit-exactly on the host.
 *
 * Each check lowers one instruction (or a short sequence) through
 * compiler/lower/lower_simd.c or lower_simd_memory.c, JITs it with lower_harness.c
 * and compares every lane with the Wasm spec's result.  Values follow the
 * edge cases of the suite's simd_*.wast files.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "lower_harness.c"

enum {
    I = W2N_I32,
    L = W2N_I64,
    F = W2N_F32,
    D = W2N_F64,
    V = W2N_V128
};

static uint32_t f32b(float x) {
    uint32_t u;
    memcpy(&u, &x, 4);
    return u;
}
static uint64_t f64b(double x) {
    uint64_t u;
    memcpy(&u, &x, 8);
    return u;
}

static lh_value v8(const int l[16]) {
    lh_value v;
    for (int i = 0; i < 16; i++)
        v.v128[i] = (uint8_t)l[i];
    return v;
}
static lh_value v16(const int l[8]) {
    lh_value v;
    for (int i = 0; i < 8; i++)
        v.u16[i] = (uint16_t)l[i];
    return v;
}
static lh_value v32(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
    lh_value v;
    v.u32[0] = a, v.u32[1] = b, v.u32[2] = c, v.u32[3] = d;
    return v;
}
static lh_value v64(uint64_t a, uint64_t b) {
    lh_value v;
    v.u64[0] = a, v.u64[1] = b;
    return v;
}
static lh_value vf32(float a, float b, float c, float d) {
    return v32(f32b(a), f32b(b), f32b(c), f32b(d));
}
static lh_value vf64(double a, double b) { return v64(f64b(a), f64b(b)); }
static lh_value scalar(uint64_t bits) {
    lh_value v;
    memset(&v, 0, sizeof v);
    v.u64[0] = bits;
    return v;
}

#define V8(...) v8((const int[16]){__VA_ARGS__})
#define V16(...) v16((const int[8]){__VA_ARGS__})

static lh_harness *h;
static void setup(void) { h = lh_create(); }
static void teardown(void) { lh_destroy(h); }

static w2n_instr instr(uint32_t op) {
    w2n_instr in;
    memset(&in, 0, sizeof in);
    in.op = op;
    return in;
}

/* Run `in` on operands of the given types; assert that it did not trap. */
static lh_value run_in(w2n_instr in, unsigned n, const uint8_t *types, const lh_value *args,
                       uint8_t rt) {
    lh_value out;
    memset(&out, 0, sizeof out);
    uint32_t trap = lh_run(h, &in, types, n, rt, args, &out);
    const w2n_opcode_info *info = w2n_opcode_lookup(in.op);
    cr_assert_eq(trap, 0, "%s: trap %u", info ? info->name : "?", trap);
    return out;
}

static lh_value run1(uint32_t op, lh_value a) {
    return run_in(instr(op), 1, (const uint8_t[]){V}, &a, V);
}

static lh_value run2(uint32_t op, lh_value a, lh_value b) {
    lh_value args[2] = {a, b};
    return run_in(instr(op), 2, (const uint8_t[]){V, V}, args, V);
}

static void expect_v(lh_value got, lh_value want, const char *what) {
    cr_expect(memcmp(got.v128, want.v128, 16) == 0, "%s: got %016llx%016llx, want %016llx%016llx",
              what, (unsigned long long)got.u64[1], (unsigned long long)got.u64[0],
              (unsigned long long)want.u64[1], (unsigned long long)want.u64[0]);
}

#define EXPECT1(op, a, want) expect_v(run1(W2N_OP_##op, a), want, #op)
#define EXPECT2(op, a, b, want) expect_v(run2(W2N_OP_##op, a, b), want, #op)

static bool quiet32(uint32_t x) { return (x & 0x7fc00000u) == 0x7fc00000u; }
static bool quiet64(uint64_t x) { return (x & 0x7ff8000000000000ull) == 0x7ff8000000000000ull; }

#define SNAN32 0x7fa00000u
#define SNAN64 0x7ff4000000000000ull
#define QNAN32 0x7fc00000u

TestSuite(lower_simd, .init = setup, .fini = teardown);

Test(lower_simd, integer_arithmetic) {
    EXPECT2(I8X16_ADD, V8(127, 255, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80),
            V8(1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80),
            V8(0x80, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    EXPECT2(I16X8_MUL, V16(0x7fff, 0x8000, 3, 0, 0, 0, 0, -1), V16(2, 0x8000, -3, 0, 0, 0, 0, -1),
            V16(0xfffe, 0, -9, 0, 0, 0, 0, 1));
    EXPECT2(I32X4_MUL, v32(0x12345678, 0x80000000, 7, 0xffffffff), v32(0x10, 2, 6, 0xffffffff),
            v32(0x23456780, 0, 42, 1));
    EXPECT2(I64X2_MUL, v64(0x0123456789abcdefull, 1ull << 63), v64(0xfedcba9876543210ull, 2),
            v64(0x2236d88fe5618cf0ull, 0));
    EXPECT2(I64X2_SUB, v64(0, 1ull << 63), v64(1, 1), v64(~0ull, 0x7fffffffffffffffull));
    EXPECT1(I8X16_NEG, V8(0x80, 1, 0, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            V8(0x80, 0xff, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    EXPECT1(I16X8_ABS, V16(-32768, -1, 5, 0, 0, 0, 0, -32767),
            V16(-32768, 1, 5, 0, 0, 0, 0, 32767));
    EXPECT1(I64X2_ABS, v64(1ull << 63, (uint64_t)-5), v64(1ull << 63, 5));
    EXPECT1(I32X4_NEG, v32(0x80000000, 1, 0, 0xffffffff), v32(0x80000000, 0xffffffff, 0, 1));
    EXPECT1(I8X16_POPCNT, V8(0xff, 0x80, 0x55, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            V8(8, 1, 4, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
}

Test(lower_simd, saturating_min_max_avgr) {
    lh_value a = V8(127, -128, 255, 0, 100, -100, 0x80, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0);
    lh_value b = V8(1, -1, 1, 1, 100, -100, 0x7f, 0x80, 0, 0, 0, 0, 0, 0, 0, 0);
    EXPECT2(I8X16_ADD_SAT_S, a, b, V8(127, -128, 0, 1, 127, -128, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0));
    EXPECT2(I8X16_ADD_SAT_U, a, b,
            V8(128, 255, 255, 1, 200, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0));
    EXPECT2(I8X16_SUB_SAT_S, a, b, V8(126, -127, -2, -1, 0, 0, -128, 127, 0, 0, 0, 0, 0, 0, 0, 0));
    EXPECT2(I8X16_SUB_SAT_U, a, b, V8(126, 0, 254, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    EXPECT2(I16X8_ADD_SAT_S, V16(32767, -32768, 0, 0, 0, 0, 0, 0), V16(1, -1, 0, 0, 0, 0, 0, 0),
            V16(32767, -32768, 0, 0, 0, 0, 0, 0));
    EXPECT2(I16X8_SUB_SAT_U, V16(0, 65535, 0, 0, 0, 0, 0, 0), V16(1, 1, 0, 0, 0, 0, 0, 0),
            V16(0, 65534, 0, 0, 0, 0, 0, 0));
    EXPECT2(I8X16_MIN_S, a, b, V8(1, -128, -1, 0, 100, -100, 0x80, 0x80, 0, 0, 0, 0, 0, 0, 0, 0));
    EXPECT2(I8X16_MAX_U, a, b, V8(127, 255, 255, 1, 100, 156, 0x80, 0x80, 0, 0, 0, 0, 0, 0, 0, 0));
    EXPECT2(I32X4_MIN_U, v32(0x80000000, 1, 2, 3), v32(1, 0xffffffff, 2, 0), v32(1, 1, 2, 0));
    EXPECT2(I32X4_MAX_S, v32(0x80000000, 1, 2, 3), v32(1, 0xffffffff, 2, 0), v32(1, 1, 2, 3));
    EXPECT2(I8X16_AVGR_U, V8(255, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            V8(255, 1, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            V8(255, 1, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    EXPECT2(I16X8_AVGR_U, V16(65535, 0, 3, 0, 0, 0, 0, 0), V16(65535, 65535, 4, 0, 0, 0, 0, 0),
            V16(65535, 32768, 4, 0, 0, 0, 0, 0));
}

Test(lower_simd, comparisons) {
    lh_value a = V8(0x80, 1, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    lh_value b = V8(0x7f, 1, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
    EXPECT2(I8X16_LT_S, a, b, V8(-1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1));
    EXPECT2(I8X16_LT_U, a, b, V8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1));
    EXPECT2(I8X16_GE_U, a, b, V8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0));
    EXPECT2(I16X8_NE, V16(1, 2, 0, 0, 0, 0, 0, 0), V16(1, 3, 0, 0, 0, 0, 0, 0),
            V16(0, -1, 0, 0, 0, 0, 0, 0));
    EXPECT2(I64X2_GT_S, v64(1, 1ull << 63), v64(1ull << 63, 0), v64(~0ull, 0));
    EXPECT2(I64X2_LE_S, v64(1, 1ull << 63), v64(1ull << 63, 0), v64(0, ~0ull));
    EXPECT2(I32X4_GT_U, v32(0x80000000, 1, 0, 0), v32(1, 0x80000000, 0, 0), v32(~0u, 0, 0, 0));
    lh_value fa = v32(QNAN32, f32b(-0.0f), f32b(1.0f), f32b(-INFINITY));
    lh_value fb = v32(QNAN32, f32b(0.0f), f32b(2.0f), f32b(-INFINITY));
    EXPECT2(F32X4_EQ, fa, fb, v32(0, ~0u, 0, ~0u));
    EXPECT2(F32X4_NE, fa, fb, v32(~0u, 0, ~0u, 0));
    EXPECT2(F32X4_LT, fa, fb, v32(0, 0, ~0u, 0));
    EXPECT2(F32X4_GE, fa, fb, v32(0, ~0u, 0, ~0u));
    EXPECT2(F64X2_LE, v64(SNAN64, f64b(-1.0)), v64(f64b(1.0), f64b(-1.0)), v64(0, ~0ull));
    EXPECT2(F64X2_GT, v64(f64b(INFINITY), f64b(0.0)), v64(f64b(1.0), f64b(-0.0)), v64(~0ull, 0));
}

static lh_value shift(uint32_t op, lh_value a, uint32_t count) {
    lh_value args[2] = {a, scalar(count)};
    return run_in(instr(op), 2, (const uint8_t[]){V, I}, args, V);
}

Test(lower_simd, shifts_take_count_modulo_lane_width) {
    lh_value b = V8(0x81, 1, 0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff);
    expect_v(shift(W2N_OP_I8X16_SHL, b, 9),
             V8(2, 2, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfe), "i8x16.shl 9");
    expect_v(shift(W2N_OP_I8X16_SHR_S, b, 15), V8(-1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1),
             "i8x16.shr_s 15");
    expect_v(shift(W2N_OP_I8X16_SHR_U, b, 0xffffffff),
             V8(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), "i8x16.shr_u -1");
    expect_v(shift(W2N_OP_I16X8_SHR_S, V16(-32768, 4, 0, 0, 0, 0, 0, 0), 17),
             V16(-16384, 2, 0, 0, 0, 0, 0, 0), "i16x8.shr_s 17");
    expect_v(shift(W2N_OP_I32X4_SHL, v32(1, 2, 3, 0x80000000), 32), v32(1, 2, 3, 0x80000000),
             "i32x4.shl 32");
    expect_v(shift(W2N_OP_I32X4_SHR_U, v32(0x80000000, 2, 3, 0xffffffff), 33),
             v32(0x40000000, 1, 1, 0x7fffffff), "i32x4.shr_u 33");
    expect_v(shift(W2N_OP_I64X2_SHR_U, v64(1ull << 63, 3), 65), v64(1ull << 62, 1),
             "i64x2.shr_u 65");
    expect_v(shift(W2N_OP_I64X2_SHR_S, v64(1ull << 63, 3), 127), v64(~0ull, 0), "i64x2.shr_s 127");
    expect_v(shift(W2N_OP_I64X2_SHL, v64(1, 3), 64), v64(1, 3), "i64x2.shl 64");
}

Test(lower_simd, swizzle_and_shuffle) {
    lh_value a = V8(0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc,
                    0xfd, 0xfe, 0xff);
    lh_value s = V8(15, 16, 0xff, 0x80, 0, 17, 1, 0x10, 31, 14, 0x7f, 3, 3, 255, 2, 1);
    EXPECT2(I8X16_SWIZZLE, a, s,
            V8(0xff, 0, 0, 0, 0xf0, 0, 0xf1, 0, 0, 0xfe, 0, 0xf3, 0xf3, 0, 0xf2, 0xf1));
    lh_value b = V8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    w2n_instr in = instr(W2N_OP_I8X16_SHUFFLE);
    const uint8_t mask[16] = {31, 0, 16, 15, 1, 17, 2, 18, 30, 14, 3, 19, 4, 20, 5, 21};
    memcpy(in.imm.v128, mask, 16);
    lh_value args[2] = {a, b};
    expect_v(run_in(in, 2, (const uint8_t[]){V, V}, args, V),
             V8(15, 0xf0, 0, 0xff, 0xf1, 1, 0xf2, 2, 14, 0xfe, 0xf3, 3, 0xf4, 4, 0xf5, 5),
             "i8x16.shuffle");
}

static lh_value lane_op(uint32_t op, uint8_t lane, unsigned n, const uint8_t *types,
                        const lh_value *args, uint8_t rt) {
    w2n_instr in = instr(op);
    in.lane = lane;
    return run_in(in, n, types, args, rt);
}

Test(lower_simd, splat_extract_replace) {
    lh_value x = scalar(0x12345681);
    expect_v(run_in(instr(W2N_OP_I8X16_SPLAT), 1, (const uint8_t[]){I}, &x, V),
             V8(0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81,
                0x81, 0x81),
             "i8x16.splat");
    expect_v(run_in(instr(W2N_OP_I16X8_SPLAT), 1, (const uint8_t[]){I}, &x, V),
             V16(0x5681, 0x5681, 0x5681, 0x5681, 0x5681, 0x5681, 0x5681, 0x5681), "i16x8.splat");
    lh_value nan = scalar(SNAN32 | 1);
    expect_v(run_in(instr(W2N_OP_F32X4_SPLAT), 1, (const uint8_t[]){F}, &nan, V),
             v32(SNAN32 | 1, SNAN32 | 1, SNAN32 | 1, SNAN32 | 1), "f32x4.splat keeps NaN bits");
    lh_value d = scalar(0xfedcba9876543210ull);
    expect_v(run_in(instr(W2N_OP_I64X2_SPLAT), 1, (const uint8_t[]){L}, &d, V),
             v64(0xfedcba9876543210ull, 0xfedcba9876543210ull), "i64x2.splat");

    lh_value v = V8(0, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80);
    cr_expect_eq(lane_op(W2N_OP_I8X16_EXTRACT_LANE_S, 1, 1, (const uint8_t[]){V}, &v, I).i32, -1);
    cr_expect_eq(lane_op(W2N_OP_I8X16_EXTRACT_LANE_U, 1, 1, (const uint8_t[]){V}, &v, I).i32, 255);
    cr_expect_eq(lane_op(W2N_OP_I8X16_EXTRACT_LANE_S, 15, 1, (const uint8_t[]){V}, &v, I).i32,
                 -128);
    lh_value w = V16(0, 0, 0, 0, 0, 0, 0, 0x8001);
    cr_expect_eq(lane_op(W2N_OP_I16X8_EXTRACT_LANE_S, 7, 1, (const uint8_t[]){V}, &w, I).i32,
                 -32767);
    cr_expect_eq(lane_op(W2N_OP_I16X8_EXTRACT_LANE_U, 7, 1, (const uint8_t[]){V}, &w, I).i32,
                 0x8001);
    lh_value fv = v32(0, 0, SNAN32 | 5, 0);
    cr_expect_eq(lane_op(W2N_OP_F32X4_EXTRACT_LANE, 2, 1, (const uint8_t[]){V}, &fv, F).u32[0],
                 SNAN32 | 5);
    lh_value dv = v64(1, 2);
    cr_expect_eq(lane_op(W2N_OP_I64X2_EXTRACT_LANE, 1, 1, (const uint8_t[]){V}, &dv, L).u64[0], 2);

    lh_value args[2] = {V16(1, 2, 3, 4, 5, 6, 7, 8), scalar(0x12345678)};
    expect_v(lane_op(W2N_OP_I16X8_REPLACE_LANE, 3, 2, (const uint8_t[]){V, I}, args, V),
             V16(1, 2, 3, 0x5678, 5, 6, 7, 8), "i16x8.replace_lane");
    lh_value args8[2] = {V8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), scalar(0x1ff)};
    expect_v(lane_op(W2N_OP_I8X16_REPLACE_LANE, 15, 2, (const uint8_t[]){V, I}, args8, V),
             V8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff), "i8x16.replace_lane");
    lh_value argsd[2] = {vf64(1.0, 2.0), scalar(SNAN64 | 3)};
    expect_v(lane_op(W2N_OP_F64X2_REPLACE_LANE, 0, 2, (const uint8_t[]){V, D}, argsd, V),
             v64(SNAN64 | 3, f64b(2.0)), "f64x2.replace_lane");
}

Test(lower_simd, narrow_extend_pairwise_extmul) {
    lh_value a = V16(300, -300, 127, -128, 255, 256, -1, 0);
    lh_value b = V16(1, 2, 3, 4, 5, 6, 7, -32768);
    EXPECT2(I8X16_NARROW_I16X8_S, a, b,
            V8(127, -128, 127, -128, 127, 127, -1, 0, 1, 2, 3, 4, 5, 6, 7, -128));
    EXPECT2(I8X16_NARROW_I16X8_U, a, b, V8(255, 0, 127, 0, 255, 255, 0, 0, 1, 2, 3, 4, 5, 6, 7, 0));
    EXPECT2(I16X8_NARROW_I32X4_S, v32(70000, (uint32_t)-70000, 5, 0xffffffff),
            v32(0, 1, 32768, 32767), V16(32767, -32768, 5, -1, 0, 1, 32767, 32767));
    EXPECT2(I16X8_NARROW_I32X4_U, v32(70000, (uint32_t)-70000, 65535, 65536), v32(0, 1, 2, 3),
            V16(65535, 0, 65535, 65535, 0, 1, 2, 3));

    lh_value c = V8(0x80, 0x7f, 0xff, 1, 2, 3, 4, 5, 0xfe, 9, 10, 11, 12, 13, 14, 0x81);
    EXPECT1(I16X8_EXTEND_LOW_I8X16_S, c, V16(-128, 127, -1, 1, 2, 3, 4, 5));
    EXPECT1(I16X8_EXTEND_HIGH_I8X16_U, c, V16(254, 9, 10, 11, 12, 13, 14, 0x81));
    EXPECT1(I64X2_EXTEND_HIGH_I32X4_S, v32(0, 0, 0x80000000, 7), v64(0xffffffff80000000ull, 7));
    EXPECT1(I64X2_EXTEND_LOW_I32X4_U, v32(0x80000000, 0xffffffff, 0, 0),
            v64(0x80000000, 0xffffffff));
    EXPECT1(I16X8_EXTADD_PAIRWISE_I8X16_S, c, V16(-1, 0, 5, 9, 7, 21, 25, -113));
    EXPECT1(I16X8_EXTADD_PAIRWISE_I8X16_U, c, V16(255, 256, 5, 9, 263, 21, 25, 143));
    EXPECT1(I32X4_EXTADD_PAIRWISE_I16X8_U, V16(65535, 65535, 1, 2, 0, 0, -32768, -32768),
            v32(131070, 3, 0, 65536));
    EXPECT1(I32X4_EXTADD_PAIRWISE_I16X8_S, V16(-32768, -32768, 1, 2, 0, 0, 32767, 32767),
            v32((uint32_t)-65536, 3, 0, 65534));

    EXPECT2(I16X8_EXTMUL_LOW_I8X16_S, c, c, V16(16384, 16129, 1, 1, 4, 9, 16, 25));
    EXPECT2(I16X8_EXTMUL_HIGH_I8X16_U, c, c, V16(64516, 81, 100, 121, 144, 169, 196, 16641));
    EXPECT2(I64X2_EXTMUL_LOW_I32X4_S, v32(0x80000000, 0xffffffff, 0, 0), v32(0x80000000, 2, 0, 0),
            v64(1ull << 62, (uint64_t)-2));
    EXPECT2(I64X2_EXTMUL_HIGH_I32X4_U, v32(0, 0, 0xffffffff, 3), v32(0, 0, 0xffffffff, 5),
            v64(0xfffffffe00000001ull, 15));
}

Test(lower_simd, q15mulr_and_dot) {
    EXPECT2(I16X8_Q15MULR_SAT_S, V16(-32768, 16384, -1, 32767, 3, -32768, 100, -5),
            V16(-32768, 16384, 1, 32767, 16384, 32767, -100, 16384),
            V16(32767, 8192, 0, 32766, 2, -32767, 0, -2));
    EXPECT2(I32X4_DOT_I16X8_S, V16(-32768, -32768, 1, 2, 3, 4, 32767, -32768),
            V16(-32768, -32768, 5, 6, -7, 8, 32767, 32767),
            v32(0x80000000, 17, 11, (uint32_t)(32767 * 32767 - 32768 * 32767)));
}

Test(lower_simd, bitwise_and_boolean) {
    lh_value a = v64(0xff00ff00ff00ff00ull, 0x0123456789abcdefull);
    lh_value b = v64(0x0ff00ff00ff00ff0ull, 0xffffffff00000000ull);
    EXPECT1(V128_NOT, a, v64(0x00ff00ff00ff00ffull, 0xfedcba9876543210ull));
    EXPECT2(V128_AND, a, b, v64(0x0f000f000f000f00ull, 0x0123456700000000ull));
    EXPECT2(V128_ANDNOT, a, b, v64(0xf000f000f000f000ull, 0x0000000089abcdefull));
    EXPECT2(V128_OR, a, b, v64(0xfff0fff0fff0fff0ull, 0xffffffff89abcdefull));
    EXPECT2(V128_XOR, a, b, v64(0xf0f0f0f0f0f0f0f0ull, 0xfedcba9889abcdefull));
    lh_value c = v64(0xffff0000ffff0000ull, 0x00000000ffffffffull);
    lh_value args[3] = {a, b, c};
    expect_v(run_in(instr(W2N_OP_V128_BITSELECT), 3, (const uint8_t[]){V, V, V}, args, V),
             v64(0xff000ff0ff000ff0ull, 0xffffffff89abcdefull), "v128.bitselect");

    struct {
        uint32_t op;
        lh_value v;
        int32_t want;
    } t[] = {
        {W2N_OP_V128_ANY_TRUE, v64(0, 0), 0},
        {W2N_OP_V128_ANY_TRUE, v64(0, 1ull << 63), 1},
        {W2N_OP_I8X16_ALL_TRUE, V8(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), 1},
        {W2N_OP_I8X16_ALL_TRUE, V8(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1), 0},
        {W2N_OP_I16X8_ALL_TRUE, V16(0x100, 1, 1, 1, 1, 1, 1, 1), 1},
        {W2N_OP_I16X8_ALL_TRUE, V16(0x100, 1, 1, 1, 1, 0, 1, 1), 0},
        {W2N_OP_I32X4_ALL_TRUE, v32(1, 0x10000, 0x80000000, 0), 0},
        {W2N_OP_I32X4_ALL_TRUE, v32(1, 0x10000, 0x80000000, 2), 1},
        {W2N_OP_I64X2_ALL_TRUE, v64(1ull << 32, 1), 1},
        {W2N_OP_I64X2_ALL_TRUE, v64(0, 1), 0},
        {W2N_OP_I8X16_BITMASK, V8(0x80, 0, 0xff, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x90),
         0x8005},
        {W2N_OP_I16X8_BITMASK, V16(-1, 0, 0, 0x7fff, 0, 0, 0, -32768), 0x81},
        {W2N_OP_I32X4_BITMASK, v32(0x80000000, 0x7fffffff, 0xffffffff, 0), 5},
        {W2N_OP_I64X2_BITMASK, v64(1, 1ull << 63), 2},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        lh_value r = run_in(instr(t[i].op), 1, (const uint8_t[]){V}, &t[i].v, I);
        cr_expect_eq(r.i32, t[i].want, "%s case %zu: %d, want %d", w2n_opcode_lookup(t[i].op)->name,
                     i, r.i32, t[i].want);
    }
}

Test(lower_simd, float_arithmetic) {
    EXPECT2(F32X4_ADD, vf32(1.0f, 0x1p-149f, -0.0f, 3e38f), vf32(0x1p-24f, 0x1p-149f, -0.0f, 3e38f),
            vf32(1.0f, 0x1p-148f, -0.0f, INFINITY));
    EXPECT2(F64X2_DIV, vf64(1.0, -1.0), vf64(3.0, 0.0),
            v64(0x3fd5555555555555ull, f64b(-INFINITY)));
    EXPECT1(F32X4_NEG, v32(QNAN32, SNAN32 | 1, 0, f32b(-1.0f)),
            v32(QNAN32 | 0x80000000u, SNAN32 | 0x80000001u, 0x80000000u, f32b(1.0f)));
    EXPECT1(F64X2_ABS, v64(SNAN64 | (1ull << 63), f64b(-0.0)), v64(SNAN64, 0));
    EXPECT1(F32X4_SQRT, vf32(4.0f, -0.0f, 2.0f, INFINITY),
            v32(f32b(2.0f), f32b(-0.0f), 0x3fb504f3, f32b(INFINITY)));
    EXPECT1(F32X4_NEAREST, vf32(2.5f, -0.5f, 3.5f, -8388609.0f),
            vf32(2.0f, -0.0f, 4.0f, -8388609.0f));
    EXPECT1(F32X4_CEIL, vf32(-0.5f, 1.1f, -1.5f, 0x1p-149f), vf32(-0.0f, 2.0f, -1.0f, 1.0f));
    EXPECT1(F64X2_FLOOR, vf64(-0.5, 0x1p-1074), vf64(-1.0, 0.0));
    EXPECT1(F64X2_TRUNC, vf64(-0.5, 4503599627370495.5), vf64(-0.0, 4503599627370495.0));
    EXPECT1(F64X2_NEAREST, vf64(-2.5, 4503599627370495.5), vf64(-2.0, 4503599627370496.0));

    lh_value r = run1(W2N_OP_F32X4_CEIL, v32(SNAN32, 0, 0, 0));
    cr_expect(quiet32(r.u32[0]), "ceil(sNaN) = %#x", r.u32[0]);
    r = run2(W2N_OP_F64X2_MUL, v64(SNAN64, 0), vf64(1.0, 1.0));
    cr_expect(quiet64(r.u64[0]), "mul(sNaN, 1) = %#llx", (unsigned long long)r.u64[0]);
}

Test(lower_simd, float_min_max) {
    lh_value a = v32(f32b(-0.0f), f32b(0.0f), SNAN32, f32b(1.0f));
    lh_value b = v32(f32b(0.0f), f32b(-0.0f), f32b(1.0f), QNAN32 | 0x80000000u);
    lh_value mn = run2(W2N_OP_F32X4_MIN, a, b);
    cr_expect_eq(mn.u32[0], 0x80000000u);
    cr_expect_eq(mn.u32[1], 0x80000000u);
    cr_expect(quiet32(mn.u32[2]) && quiet32(mn.u32[3]), "min NaN lanes %#x %#x", mn.u32[2],
              mn.u32[3]);
    lh_value mx = run2(W2N_OP_F32X4_MAX, a, b);
    cr_expect_eq(mx.u32[0], 0);
    cr_expect_eq(mx.u32[1], 0);
    cr_expect(quiet32(mx.u32[2]) && quiet32(mx.u32[3]), "max NaN lanes %#x %#x", mx.u32[2],
              mx.u32[3]);
    lh_value d =
        run2(W2N_OP_F64X2_MIN, v64(SNAN64, f64b(-INFINITY)), v64(f64b(-INFINITY), f64b(2.0)));
    cr_expect(quiet64(d.u64[0]));
    cr_expect_eq(d.u64[1], f64b(-INFINITY));
    d = run2(W2N_OP_F64X2_MAX, v64(f64b(-0.0), f64b(3.0)), v64(f64b(0.0), SNAN64));
    cr_expect_eq(d.u64[0], 0);
    cr_expect(quiet64(d.u64[1]));

    /* pmin(a, b) = b < a ? b : a; pmax(a, b) = a < b ? b : a: NaN and zeros pass as is. */
    lh_value p = v32(SNAN32, f32b(1.0f), f32b(-0.0f), f32b(0.0f));
    lh_value q = v32(f32b(1.0f), SNAN32 | 1, f32b(0.0f), f32b(-0.0f));
    EXPECT2(F32X4_PMIN, p, q, v32(SNAN32, f32b(1.0f), f32b(-0.0f), f32b(0.0f)));
    EXPECT2(F32X4_PMAX, p, q, v32(SNAN32, f32b(1.0f), f32b(-0.0f), f32b(0.0f)));
    EXPECT2(F32X4_PMIN, vf32(2.0f, 1.0f, -1.0f, 5.0f), vf32(1.0f, 2.0f, -2.0f, 5.0f),
            vf32(1.0f, 1.0f, -2.0f, 5.0f));
    EXPECT2(F64X2_PMAX, vf64(1.0, -0.0), vf64(2.0, 0.0), vf64(2.0, -0.0));
    EXPECT2(F64X2_PMIN, v64(f64b(1.0), SNAN64), v64(SNAN64 | 1, f64b(0.0)), v64(f64b(1.0), SNAN64));
}

Test(lower_simd, conversions) {
    EXPECT1(I32X4_TRUNC_SAT_F32X4_S, v32(QNAN32, f32b(3e9f), f32b(-3e9f), f32b(-1.9f)),
            v32(0, 0x7fffffff, 0x80000000, (uint32_t)-1));
    EXPECT1(I32X4_TRUNC_SAT_F32X4_U, v32(SNAN32, f32b(5e9f), f32b(-1.0f), f32b(4294967040.0f)),
            v32(0, 0xffffffff, 0, 4294967040u));
    EXPECT1(I32X4_TRUNC_SAT_F64X2_S_ZERO, vf64(-2147483649.0, 2147483647.9),
            v32(0x80000000, 0x7fffffff, 0, 0));
    EXPECT1(I32X4_TRUNC_SAT_F64X2_U_ZERO, v64(SNAN64, f64b(4294967296.0)),
            v32(0, 0xffffffff, 0, 0));
    EXPECT1(F32X4_CONVERT_I32X4_S, v32(0x80000000, 16777217, (uint32_t)-1, 0),
            vf32(-2147483648.0f, 16777216.0f, -1.0f, 0.0f));
    EXPECT1(F32X4_CONVERT_I32X4_U, v32(0xffffffff, 0x80000080, 0x80000081, 16777219),
            vf32(4294967296.0f, 2147483648.0f, 2147483904.0f, 16777220.0f));
    EXPECT1(F64X2_CONVERT_LOW_I32X4_S, v32(0x80000000, 7, 1, 1), vf64(-2147483648.0, 7.0));
    EXPECT1(F64X2_CONVERT_LOW_I32X4_U, v32(0x80000000, 0xffffffff, 1, 1),
            vf64(2147483648.0, 4294967295.0));
    EXPECT1(F32X4_DEMOTE_F64X2_ZERO, vf64(0x1.fffffefffffffp127, 0x1p-150),
            v32(f32b(0x1.fffffep127f), 0, 0, 0));
    EXPECT1(F64X2_PROMOTE_LOW_F32X4, vf32(0x1p-149f, -0.0f, 1.0f, 1.0f), vf64(0x1p-149, -0.0));
    lh_value r = run1(W2N_OP_F32X4_DEMOTE_F64X2_ZERO, v64(SNAN64, f64b(1.0)));
    cr_expect(quiet32(r.u32[0]) && r.u32[1] == f32b(1.0f) && r.u32[2] == 0 && r.u32[3] == 0);
    r = run1(W2N_OP_F64X2_PROMOTE_LOW_F32X4, v32(0, SNAN32, 0, 0));
    cr_expect(quiet64(r.u64[1]));
}

Test(lower_simd, constant_operands_still_quiet_nan) {
    /* local.get 0; v128.const f32x4 1 1 1 1; f32x4.mul: LLVM folds x * 1 to x. */
    w2n_instr seq[3] = {instr(W2N_OP_LOCAL_GET), instr(W2N_OP_V128_CONST), instr(W2N_OP_F32X4_MUL)};
    lh_value one = vf32(1.0f, 1.0f, 1.0f, 1.0f);
    memcpy(seq[1].imm.v128, one.v128, 16);
    lh_value arg = v32(SNAN32, f32b(2.0f), SNAN32 | 0x80000000u, f32b(-0.0f));
    lh_value out;
    cr_assert_eq(lh_run_seq(h, seq, 3, (const uint8_t[]){V}, 1, V, &arg, &out), 0);
    cr_expect(quiet32(out.u32[0]) && quiet32(out.u32[2]), "%#x %#x", out.u32[0], out.u32[2]);
    cr_expect_eq(out.u32[1], f32b(2.0f));
    cr_expect_eq(out.u32[3], f32b(-0.0f));

    /* promote then demote folds to the identity. */
    w2n_instr pd[3] = {instr(W2N_OP_LOCAL_GET), instr(W2N_OP_F64X2_PROMOTE_LOW_F32X4),
                       instr(W2N_OP_F32X4_DEMOTE_F64X2_ZERO)};
    cr_assert_eq(lh_run_seq(h, pd, 3, (const uint8_t[]){V}, 1, V, &arg, &out), 0);
    cr_expect(quiet32(out.u32[0]), "demote(promote(sNaN)) = %#x", out.u32[0]);
    cr_expect_eq(out.u32[1], f32b(2.0f));
}

Test(lower_simd, v128_const) {
    w2n_instr in = instr(W2N_OP_V128_CONST);
    for (int i = 0; i < 16; i++)
        in.imm.v128[i] = (uint8_t)(0xf0 + i);
    lh_value out = run_in(in, 0, NULL, NULL, V);
    cr_expect(memcmp(out.v128, in.imm.v128, 16) == 0);
}

/* ---- memory forms ----------------------------------------------------------------- */

static uint32_t mem_run(uint32_t op, uint64_t offset, uint8_t lane, unsigned n,
                        const uint8_t *types, const lh_value *args, uint8_t rt, lh_value *out) {
    w2n_instr in = instr(op);
    in.imm.memarg.offset = offset;
    in.lane = lane;
    return lh_run(h, &in, types, n, rt, args, out);
}

static void fill_memory(void) {
    uint8_t *m = lh_memory(h);
    for (unsigned i = 0; i < LH_MEMORY_SIZE; i++)
        m[i] = (uint8_t)(i * 7 + 0x80);
}

Test(lower_simd, loads) {
    fill_memory();
    const uint8_t *m = lh_memory(h);
    lh_value out, addr = scalar(3);
    cr_assert_eq(mem_run(W2N_OP_V128_LOAD, 10, 0, 1, (const uint8_t[]){I}, &addr, V, &out), 0);
    cr_expect(memcmp(out.v128, m + 13, 16) == 0, "v128.load");

    cr_assert_eq(mem_run(W2N_OP_V128_LOAD8X8_S, 0, 0, 1, (const uint8_t[]){I}, &addr, V, &out), 0);
    for (int i = 0; i < 8; i++)
        cr_expect_eq((int16_t)out.u16[i], (int8_t)m[3 + i], "load8x8_s lane %d", i);
    cr_assert_eq(mem_run(W2N_OP_V128_LOAD16X4_U, 1, 0, 1, (const uint8_t[]){I}, &addr, V, &out), 0);
    for (int i = 0; i < 4; i++) {
        uint16_t x;
        memcpy(&x, m + 4 + 2 * i, 2);
        cr_expect_eq(out.u32[i], x, "load16x4_u lane %d", i);
    }
    cr_assert_eq(mem_run(W2N_OP_V128_LOAD32X2_S, 0, 0, 1, (const uint8_t[]){I}, &addr, V, &out), 0);
    for (int i = 0; i < 2; i++) {
        int32_t x;
        memcpy(&x, m + 3 + 4 * i, 4);
        cr_expect_eq((int64_t)out.u64[i], x, "load32x2_s lane %d", i);
    }

    cr_assert_eq(mem_run(W2N_OP_V128_LOAD8_SPLAT, 0, 0, 1, (const uint8_t[]){I}, &addr, V, &out),
                 0);
    for (int i = 0; i < 16; i++)
        cr_expect_eq(out.v128[i], m[3]);
    cr_assert_eq(mem_run(W2N_OP_V128_LOAD64_SPLAT, 0, 0, 1, (const uint8_t[]){I}, &addr, V, &out),
                 0);
    cr_expect(memcmp(out.v128, m + 3, 8) == 0 && memcmp(out.v128 + 8, m + 3, 8) == 0);
    cr_assert_eq(mem_run(W2N_OP_V128_LOAD32_ZERO, 0, 0, 1, (const uint8_t[]){I}, &addr, V, &out),
                 0);
    cr_expect(memcmp(out.v128, m + 3, 4) == 0 && out.u32[1] == 0 && out.u64[1] == 0);
    cr_assert_eq(mem_run(W2N_OP_V128_LOAD64_ZERO, 0, 0, 1, (const uint8_t[]){I}, &addr, V, &out),
                 0);
    cr_expect(memcmp(out.v128, m + 3, 8) == 0 && out.u64[1] == 0);

    lh_value args[2] = {addr, v64(0x1111111111111111ull, 0x2222222222222222ull)};
    cr_assert_eq(mem_run(W2N_OP_V128_LOAD16_LANE, 2, 5, 2, (const uint8_t[]){I, V}, args, V, &out),
                 0);
    uint16_t x16;
    memcpy(&x16, m + 5, 2);
    cr_expect_eq(out.u16[5], x16);
    cr_expect_eq(out.u16[4], 0x2222);
    cr_expect_eq(out.u64[0], 0x1111111111111111ull);
}

Test(lower_simd, stores) {
    uint8_t *m = lh_memory(h);
    lh_value val = V8(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
    lh_value args[2] = {scalar(100), val};
    cr_assert_eq(mem_run(W2N_OP_V128_STORE, 4, 0, 2, (const uint8_t[]){I, V}, args, 0, NULL), 0);
    cr_expect(memcmp(m + 104, val.v128, 16) == 0);
    cr_expect_eq(m[103], 0);
    cr_expect_eq(m[120], 0);
    cr_assert_eq(mem_run(W2N_OP_V128_STORE8_LANE, 0, 9, 2, (const uint8_t[]){I, V}, args, 0, NULL),
                 0);
    cr_expect_eq(m[100], 10);
    cr_expect_eq(m[101], 0);
    cr_assert_eq(
        mem_run(W2N_OP_V128_STORE64_LANE, 200, 1, 2, (const uint8_t[]){I, V}, args, 0, NULL), 0);
    cr_expect(memcmp(m + 300, val.v128 + 8, 8) == 0);
    cr_expect_eq(m[308], 0);
    cr_assert_eq(mem_run(W2N_OP_V128_STORE32_LANE, 0, 3, 2, (const uint8_t[]){I, V}, args, 0, NULL),
                 0);
    cr_expect(memcmp(m + 100, val.v128 + 12, 4) == 0);
}

Test(lower_simd, out_of_bounds_traps) {
    lh_value out, addr = scalar(LH_MEMORY_SIZE - 16);
    cr_expect_eq(mem_run(W2N_OP_V128_LOAD, 0, 0, 1, (const uint8_t[]){I}, &addr, V, &out), 0);
    cr_expect_eq(mem_run(W2N_OP_V128_LOAD, 1, 0, 1, (const uint8_t[]){I}, &addr, V, &out),
                 W2N_TRAP_MEMORY_OOB);
    lh_value far = scalar(0xffffffff);
    cr_expect_eq(mem_run(W2N_OP_V128_LOAD8_SPLAT, 0, 0, 1, (const uint8_t[]){I}, &far, V, &out),
                 W2N_TRAP_MEMORY_OOB);
    lh_value args[2] = {scalar(LH_MEMORY_SIZE - 4), v64(0, 0)};
    cr_expect_eq(mem_run(W2N_OP_V128_STORE32_LANE, 0, 0, 2, (const uint8_t[]){I, V}, args, 0, NULL),
                 0);
    cr_expect_eq(mem_run(W2N_OP_V128_STORE64_LANE, 0, 0, 2, (const uint8_t[]){I, V}, args, 0, NULL),
                 W2N_TRAP_MEMORY_OOB);
}

Test(lower_simd, constant_identity_lanes_quiet_nan) {
    /* f32x4.sub x (v128.const f32x4 2 0 3 4): lane 1 folds to x on its own. */
    w2n_instr seq[3] = {instr(W2N_OP_LOCAL_GET), instr(W2N_OP_V128_CONST), instr(W2N_OP_F32X4_SUB)};
    lh_value k = vf32(2.0f, 0.0f, 3.0f, 4.0f);
    memcpy(seq[1].imm.v128, k.v128, 16);
    lh_value arg = v32(f32b(5.0f), SNAN32, f32b(1.0f), SNAN32), out;
    cr_assert_eq(lh_run_seq(h, seq, 3, (const uint8_t[]){V}, 1, V, &arg, &out), 0);
    cr_expect_eq(out.u32[0], f32b(3.0f));
    cr_expect(quiet32(out.u32[1]) && quiet32(out.u32[3]), "%#x %#x", out.u32[1], out.u32[3]);
    cr_expect_eq(out.u32[2], f32b(-2.0f));
    /* A constant without such lanes needs no guard and still computes. */
    k = vf32(2.0f, 0.5f, 3.0f, 4.0f);
    memcpy(seq[1].imm.v128, k.v128, 16);
    seq[2] = instr(W2N_OP_F32X4_MUL);
    cr_assert_eq(lh_run_seq(h, seq, 3, (const uint8_t[]){V}, 1, V, &arg, &out), 0);
    cr_expect_eq(out.u32[0], f32b(10.0f));
    cr_expect(quiet32(out.u32[1]));
    cr_expect_eq(out.u32[2], f32b(3.0f));
}
