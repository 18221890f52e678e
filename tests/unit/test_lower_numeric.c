/*
 * test_lower_numeric.c — scalar numeric lowering, run bit-exactly on the host.
 *
 * Each case lowers one instruction through compiler/lower/lower_numeric.c, JITs it
 * (lower_harness.c) and compares the result bits, the NaN class, or the trap
 * against the Wasm spec; the values are the suite's edge cases (i32.wast,
 * i64.wast, f32.wast, f64.wast, conversions.wast).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "lower_harness.c"

enum {
    EXACT,
    ARITH_NAN
}; /* ARITH_NAN: any quiet NaN (canonical included) */
enum {
    I = W2N_I32,
    L = W2N_I64,
    F = W2N_F32,
    D = W2N_F64
};

typedef struct ncase {
    uint32_t op;
    uint8_t p0, p1, r; /* operand types (p1 = 0: unary), result type */
    uint64_t a, b;     /* operand bits */
    uint64_t want;     /* result bits (EXACT) */
    int check;
    uint32_t trap; /* expected trap, 0 for none */
} ncase;

/* Operand or result bits of a float, written as a double literal. */
static uint64_t f32b(float x) {
    uint32_t u;
    memcpy(&u, &x, 4);
    return u;
}
static uint64_t f64b(double x) {
    uint64_t u;
    memcpy(&u, &x, 8);
    return u;
}

static lh_value as_value(uint8_t t, uint64_t bits) {
    lh_value v;
    memset(&v, 0, sizeof v);
    if (t == I || t == F)
        v.u32[0] = (uint32_t)bits;
    else
        v.u64[0] = bits;
    return v;
}

static bool is_quiet_nan(uint8_t t, const lh_value *v) {
    if (t == F)
        return (v->u32[0] & 0x7fc00000u) == 0x7fc00000u;
    return (v->u64[0] & 0x7ff8000000000000ull) == 0x7ff8000000000000ull;
}

static void run_cases(const ncase *cases, size_t n) {
    lh_harness *h = lh_create();
    for (size_t i = 0; i < n; i++) {
        const ncase *c = &cases[i];
        w2n_instr in;
        memset(&in, 0, sizeof in);
        in.op = c->op;
        uint8_t params[2] = {c->p0, c->p1};
        lh_value args[2] = {as_value(c->p0, c->a), as_value(c->p1, c->b)};
        lh_value out;
        memset(&out, 0, sizeof out);
        uint32_t trap = lh_run(h, &in, params, c->p1 ? 2 : 1, c->r, args, &out);
        const char *name = w2n_opcode_lookup(c->op) ? w2n_opcode_lookup(c->op)->name : "?";
        cr_expect_neq(trap, UINT32_MAX, "case %zu: %s not lowered", i, name);
        cr_expect_eq(trap, c->trap, "case %zu: %s(%#llx, %#llx): trap %u, want %u", i, name,
                     (unsigned long long)c->a, (unsigned long long)c->b, trap, c->trap);
        if (c->trap || trap)
            continue;
        uint64_t got = (c->r == I || c->r == F) ? out.u32[0] : out.u64[0];
        if (c->check == ARITH_NAN)
            cr_expect(is_quiet_nan(c->r, &out),
                      "case %zu: %s(%#llx, %#llx) = %#llx, want a quiet NaN", i, name,
                      (unsigned long long)c->a, (unsigned long long)c->b, (unsigned long long)got);
        else
            cr_expect_eq(got, c->want, "case %zu: %s(%#llx, %#llx) = %#llx, want %#llx", i, name,
                         (unsigned long long)c->a, (unsigned long long)c->b,
                         (unsigned long long)got, (unsigned long long)c->want);
    }
    lh_destroy(h);
}

#define RUN(table) run_cases(table, sizeof table / sizeof table[0])
#define U1(op, t, r, a, w) \
    { W2N_OP_##op, t, 0, r, a, 0, w, EXACT, 0 }
#define B2(op, t, r, a, b, w) \
    { W2N_OP_##op, t, t, r, a, b, w, EXACT, 0 }
#define B2T(op, t, a, b, code) \
    { W2N_OP_##op, t, t, t, a, b, 0, EXACT, W2N_TRAP_##code }
#define U1T(op, t, r, a, code) \
    { W2N_OP_##op, t, 0, r, a, 0, 0, EXACT, W2N_TRAP_##code }
#define U1N(op, t, r, a) \
    { W2N_OP_##op, t, 0, r, a, 0, 0, ARITH_NAN, 0 }
#define B2N(op, t, a, b) \
    { W2N_OP_##op, t, t, t, a, b, 0, ARITH_NAN, 0 }

#define M32 0xffffffffull
#define MIN32 0x80000000ull
#define MIN64 0x8000000000000000ull
#define M64 0xffffffffffffffffull

Test(lower_numeric, i32_arith) {
    const ncase t[] = {
        B2(I32_ADD, I, I, 0x7fffffff, 1, MIN32),
        B2(I32_ADD, I, I, M32, M32, 0xfffffffe),
        B2(I32_SUB, I, I, MIN32, 1, 0x7fffffff),
        B2(I32_MUL, I, I, 0x01234567, 0x76543210, 0x358e7470),
        B2(I32_MUL, I, I, MIN32, M32, MIN32),
        B2(I32_DIV_S, I, I, 7, (uint32_t)-3, (uint32_t)-2),
        B2(I32_DIV_S, I, I, MIN32, 2, 0xc0000000),
        B2T(I32_DIV_S, I, MIN32, M32, INT_OVERFLOW),
        B2T(I32_DIV_S, I, 1, 0, INT_DIV_ZERO),
        B2T(I32_DIV_S, I, MIN32, 0, INT_DIV_ZERO),
        B2(I32_DIV_U, I, I, MIN32, M32, 0),
        B2(I32_DIV_U, I, I, 0x8ff00ff0, 0x10001, 0x8fef),
        B2T(I32_DIV_U, I, 1, 0, INT_DIV_ZERO),
        B2(I32_REM_S, I, I, MIN32, M32, 0),
        B2(I32_REM_S, I, I, 0x7fffffff, M32, 0),
        B2(I32_REM_S, I, I, (uint32_t)-7, 3, (uint32_t)-1),
        B2(I32_REM_S, I, I, 7, (uint32_t)-3, 1),
        B2T(I32_REM_S, I, 1, 0, INT_DIV_ZERO),
        B2(I32_REM_U, I, I, MIN32, M32, MIN32),
        B2(I32_REM_U, I, I, 0x8ff00ff0, 0x10001, 0x8001),
        B2T(I32_REM_U, I, 0, 0, INT_DIV_ZERO),
        B2(I32_AND, I, I, 0xf0f0ffff, 0xfffff0f0, 0xf0f0f0f0),
        B2(I32_OR, I, I, 0xf0f0ffff, 0xfffff0f0, M32),
        B2(I32_XOR, I, I, MIN32, M32, 0x7fffffff),
        B2(I32_SHL, I, I, 1, 32, 1),
        B2(I32_SHL, I, I, 1, 31, MIN32),
        B2(I32_SHL, I, I, 1, M32, MIN32),
        B2(I32_SHR_S, I, I, MIN32, 33, 0xc0000000),
        B2(I32_SHR_S, I, I, 1, M32, 0),
        B2(I32_SHR_U, I, I, MIN32, 33, 0x40000000),
        B2(I32_SHR_U, I, I, M32, 0xffffffe1, 0x7fffffff),
        B2(I32_ROTL, I, I, 0xabcd9876, 1, 0x579b30ed),
        B2(I32_ROTL, I, I, 0xfe00dc00, 4, 0xe00dc00f),
        B2(I32_ROTL, I, I, 0xb0c1d2e3, 5, 0x183a5c76),
        B2(I32_ROTL, I, I, 0x00008000, 37, 0x00100000),
        B2(I32_ROTL, I, I, 0x769abcdf, 0xffffffed, 0x579beed3),
        B2(I32_ROTR, I, I, 0xb0c1d2e3, 0x0005, 0x1d860e97),
        B2(I32_ROTR, I, I, 0xb0c1d2e3, 0xff05, 0x1d860e97),
        B2(I32_ROTR, I, I, 0x769abcdf, 0xffffffed, 0xe6fbb4d5),
        B2(I32_ROTR, I, I, 1, 0, 1),
        U1(I32_CLZ, I, I, 0, 32),
        U1(I32_CLZ, I, I, 0x00008000, 16),
        U1(I32_CLZ, I, I, M32, 0),
        U1(I32_CTZ, I, I, 0, 32),
        U1(I32_CTZ, I, I, 0x00010000, 16),
        U1(I32_CTZ, I, I, MIN32, 31),
        U1(I32_POPCNT, I, I, M32, 32),
        U1(I32_POPCNT, I, I, 0xaaaa5555, 16),
        U1(I32_EXTEND8_S, I, I, 0x80, 0xffffff80),
        U1(I32_EXTEND8_S, I, I, 0x0123457f, 0x7f),
        U1(I32_EXTEND16_S, I, I, 0xfedc8000, 0xffff8000),
        U1(I32_EQZ, I, I, 0, 1),
        U1(I32_EQZ, I, I, MIN32, 0),
        B2(I32_EQ, I, I, MIN32, MIN32, 1),
        B2(I32_NE, I, I, MIN32, MIN32, 0),
        B2(I32_LT_S, I, I, MIN32, 0, 1),
        B2(I32_LT_U, I, I, MIN32, 0, 0),
        B2(I32_GT_S, I, I, MIN32, 0, 0),
        B2(I32_GT_U, I, I, MIN32, 0, 1),
        B2(I32_LE_S, I, I, M32, M32, 1),
        B2(I32_LE_U, I, I, M32, 0, 0),
        B2(I32_GE_S, I, I, 0, M32, 1),
        B2(I32_GE_U, I, I, 0, M32, 0),
    };
    RUN(t);
}

Test(lower_numeric, i64_arith) {
    const ncase t[] = {
        B2(I64_ADD, L, L, 0x7fffffffffffffff, 1, MIN64),
        B2(I64_SUB, L, L, MIN64, 1, 0x7fffffffffffffff),
        B2(I64_MUL, L, L, 0x0123456789abcdef, 0xfedcba9876543210, 0x2236d88fe5618cf0),
        B2(I64_DIV_S, L, L, MIN64, 2, 0xc000000000000000),
        B2T(I64_DIV_S, L, MIN64, M64, INT_OVERFLOW),
        B2T(I64_DIV_S, L, 0, 0, INT_DIV_ZERO),
        B2(I64_DIV_U, L, L, MIN64, M64, 0),
        B2(I64_DIV_U, L, L, 0x8ff00ff00ff00ff0, 0x100000001, 0x8ff00fef),
        B2T(I64_DIV_U, L, 1, 0, INT_DIV_ZERO),
        B2(I64_REM_S, L, L, MIN64, M64, 0),
        B2(I64_REM_S, L, L, (uint64_t)-7, 3, M64),
        B2T(I64_REM_S, L, MIN64, 0, INT_DIV_ZERO),
        B2(I64_REM_U, L, L, 0x8ff00ff00ff00ff0, 0x100000001, 0x80000001),
        B2T(I64_REM_U, L, 1, 0, INT_DIV_ZERO),
        B2(I64_SHL, L, L, 1, 64, 1),
        B2(I64_SHL, L, L, 1, 63, MIN64),
        B2(I64_SHR_S, L, L, MIN64, 65, 0xc000000000000000),
        B2(I64_SHR_U, L, L, MIN64, 65, 0x4000000000000000),
        B2(I64_SHR_U, L, L, M64, 0xffffffffffffffc1, 0x7fffffffffffffff),
        B2(I64_ROTL, L, L, 0xabd1234ef567809c, 63, 0x55e891a77ab3c04e),
        B2(I64_ROTL, L, L, 0xabd1234ef567809c, 0x800000000000003f, 0x55e891a77ab3c04e),
        B2(I64_ROTR, L, L, 0xabd1234ef567809c, 5, 0xe55e891a77ab3c04),
        B2(I64_ROTR, L, L, 1, 64, 1),
        U1(I64_CLZ, L, L, 0, 64),
        U1(I64_CLZ, L, L, 1, 63),
        U1(I64_CTZ, L, L, 0, 64),
        U1(I64_CTZ, L, L, MIN64, 63),
        U1(I64_POPCNT, L, L, 0x8000800080008000, 4),
        U1(I64_EXTEND8_S, L, L, 0x80, M64 - 0x7f),
        U1(I64_EXTEND16_S, L, L, 0x8000, M64 - 0x7fff),
        U1(I64_EXTEND32_S, L, L, 0x0123456780000000, 0xffffffff80000000),
        U1(I64_EQZ, L, I, 0, 1),
        U1(I64_EQZ, L, I, MIN64, 0),
        B2(I64_LT_S, L, I, MIN64, 0, 1),
        B2(I64_LT_U, L, I, MIN64, 0, 0),
        B2(I64_GE_U, L, I, M64, MIN64, 1),
        B2(I64_NE, L, I, 1, 0x100000001, 1),
    };
    RUN(t);
}

#define QNAN32 0x7fc00000ull
#define SNAN32 0x7fa00000ull /* nan:0x200000 */
#define NQNAN32 0xffc00000ull
#define PAY32 0x7f812345ull /* signalling NaN with a payload */
#define QNAN64 0x7ff8000000000000ull
#define SNAN64 0x7ff4000000000000ull
#define NQNAN64 0xfff8000000000000ull
#define PAY64 0x7ff0000000012345ull

Test(lower_numeric, f32_ops) {
    const ncase t[] = {
        B2(F32_ADD, F, F, f32b(1.0f), f32b(0x1p-24f), f32b(1.0f)),
        B2(F32_ADD, F, F, f32b(-0.0f), f32b(-0.0f), f32b(-0.0f)),
        B2(F32_ADD, F, F, f32b(-0.0f), f32b(0.0f), f32b(0.0f)),
        B2N(F32_ADD, F, f32b(INFINITY), f32b(-INFINITY)),
        B2N(F32_ADD, F, SNAN32, f32b(1.0f)),
        B2(F32_SUB, F, F, f32b(0x1p-149f), f32b(0x1p-149f), f32b(0.0f)),
        B2(F32_MUL, F, F, f32b(0x1p-126f), f32b(0.5f), f32b(0x1p-127f)),
        B2N(F32_MUL, F, f32b(0.0f), f32b(INFINITY)),
        B2(F32_DIV, F, F, f32b(1.0f), f32b(-0.0f), f32b(-INFINITY)),
        B2(F32_DIV, F, F, f32b(1.0f), f32b(3.0f), 0x3eaaaaab),
        B2N(F32_DIV, F, f32b(0.0f), f32b(0.0f)),
        B2(F32_MIN, F, F, f32b(-0.0f), f32b(0.0f), f32b(-0.0f)),
        B2(F32_MIN, F, F, f32b(0.0f), f32b(-0.0f), f32b(-0.0f)),
        B2(F32_MIN, F, F, f32b(-INFINITY), f32b(1.0f), f32b(-INFINITY)),
        B2N(F32_MIN, F, QNAN32, f32b(1.0f)),
        B2N(F32_MIN, F, f32b(1.0f), SNAN32),
        B2N(F32_MIN, F, SNAN32, f32b(-INFINITY)),
        B2N(F32_MIN, F, NQNAN32, SNAN32),
        B2(F32_MAX, F, F, f32b(-0.0f), f32b(0.0f), f32b(0.0f)),
        B2(F32_MAX, F, F, f32b(0.0f), f32b(-0.0f), f32b(0.0f)),
        B2(F32_MAX, F, F, f32b(2.0f), f32b(1.0f), f32b(2.0f)),
        B2N(F32_MAX, F, f32b(INFINITY), SNAN32),
        B2N(F32_MAX, F, QNAN32, f32b(INFINITY)),
        B2(F32_COPYSIGN, F, F, f32b(1.0f), f32b(-0.0f), f32b(-1.0f)),
        B2(F32_COPYSIGN, F, F, PAY32, NQNAN32, PAY32 | 0x80000000u),
        B2(F32_COPYSIGN, F, F, NQNAN32 | 1, f32b(2.0f), QNAN32 | 1),
        U1(F32_ABS, F, F, NQNAN32 | 5, QNAN32 | 5),
        U1(F32_ABS, F, F, PAY32 | 0x80000000u, PAY32),
        U1(F32_NEG, F, F, PAY32, PAY32 | 0x80000000u),
        U1(F32_NEG, F, F, NQNAN32, QNAN32),
        U1(F32_NEG, F, F, f32b(0.0f), f32b(-0.0f)),
        U1(F32_CEIL, F, F, f32b(-0.5f), f32b(-0.0f)),
        U1(F32_CEIL, F, F, f32b(1.5f), f32b(2.0f)),
        U1N(F32_CEIL, F, F, SNAN32),
        U1(F32_FLOOR, F, F, f32b(-0.5f), f32b(-1.0f)),
        U1(F32_FLOOR, F, F, f32b(0x1p-149f), f32b(0.0f)),
        U1N(F32_FLOOR, F, F, SNAN32),
        U1(F32_TRUNC, F, F, f32b(-1.5f), f32b(-1.0f)),
        U1(F32_TRUNC, F, F, f32b(-0.5f), f32b(-0.0f)),
        U1N(F32_TRUNC, F, F, SNAN32),
        U1(F32_NEAREST, F, F, f32b(2.5f), f32b(2.0f)),
        U1(F32_NEAREST, F, F, f32b(-3.5f), f32b(-4.0f)),
        U1(F32_NEAREST, F, F, f32b(-0.5f), f32b(-0.0f)),
        U1(F32_NEAREST, F, F, f32b(8388609.0f), f32b(8388609.0f)),
        U1(F32_NEAREST, F, F, f32b(4194304.5f), f32b(4194304.0f)),
        U1N(F32_NEAREST, F, F, SNAN32),
        U1(F32_SQRT, F, F, f32b(-0.0f), f32b(-0.0f)),
        U1(F32_SQRT, F, F, f32b(2.0f), 0x3fb504f3),
        U1N(F32_SQRT, F, F, f32b(-1.0f)),
        U1N(F32_SQRT, F, F, SNAN32),
        B2(F32_EQ, F, I, f32b(0.0f), f32b(-0.0f), 1),
        B2(F32_EQ, F, I, QNAN32, QNAN32, 0),
        B2(F32_NE, F, I, QNAN32, QNAN32, 1),
        B2(F32_NE, F, I, f32b(1.0f), f32b(1.0f), 0),
        B2(F32_LT, F, I, QNAN32, f32b(1.0f), 0),
        B2(F32_LT, F, I, f32b(-0.0f), f32b(0.0f), 0),
        B2(F32_LE, F, I, f32b(-0.0f), f32b(0.0f), 1),
        B2(F32_GT, F, I, f32b(1.0f), QNAN32, 0),
        B2(F32_GE, F, I, f32b(INFINITY), f32b(INFINITY), 1),
        B2(F32_GE, F, I, SNAN32, SNAN32, 0),
    };
    RUN(t);
}

Test(lower_numeric, f64_ops) {
    const ncase t[] = {
        B2(F64_ADD, D, D, f64b(1.0), f64b(0x1p-53), f64b(1.0)),
        B2(F64_ADD, D, D, f64b(1.0), f64b(0x1.8p-53), f64b(0x1.0000000000001p0)),
        B2N(F64_ADD, D, SNAN64, f64b(1.0)),
        B2(F64_SUB, D, D, f64b(-0.0), f64b(0.0), f64b(-0.0)),
        B2(F64_MUL, D, D, f64b(0x1p-1022), f64b(0x1p-52), f64b(0x1p-1074)),
        B2(F64_DIV, D, D, f64b(-1.0), f64b(0.0), f64b(-INFINITY)),
        B2N(F64_DIV, D, f64b(INFINITY), f64b(INFINITY)),
        B2(F64_MIN, D, D, f64b(0.0), f64b(-0.0), f64b(-0.0)),
        B2N(F64_MIN, D, SNAN64, f64b(0.0)),
        B2N(F64_MIN, D, f64b(-INFINITY), PAY64),
        B2(F64_MAX, D, D, f64b(-0.0), f64b(0.0), f64b(0.0)),
        B2N(F64_MAX, D, f64b(INFINITY), QNAN64),
        B2N(F64_MAX, D, NQNAN64, SNAN64),
        B2(F64_COPYSIGN, D, D, PAY64, f64b(-1.0), PAY64 | MIN64),
        U1(F64_ABS, D, D, NQNAN64 | 7, QNAN64 | 7),
        U1(F64_NEG, D, D, PAY64, PAY64 | MIN64),
        U1(F64_NEG, D, D, f64b(-0.0), f64b(0.0)),
        U1(F64_CEIL, D, D, f64b(-0.75), f64b(-0.0)),
        U1(F64_CEIL, D, D, f64b(0x1p-1074), f64b(1.0)),
        U1N(F64_CEIL, D, D, SNAN64),
        U1(F64_FLOOR, D, D, f64b(-0x1p-1074), f64b(-1.0)),
        U1(F64_TRUNC, D, D, f64b(-0.75), f64b(-0.0)),
        U1(F64_NEAREST, D, D, f64b(0.5), f64b(0.0)),
        U1(F64_NEAREST, D, D, f64b(1.5), f64b(2.0)),
        U1(F64_NEAREST, D, D, f64b(4503599627370497.0), f64b(4503599627370497.0)),
        U1(F64_NEAREST, D, D, f64b(2251799813685248.5), f64b(2251799813685248.0)),
        U1N(F64_NEAREST, D, D, SNAN64),
        U1(F64_SQRT, D, D, f64b(2.0), 0x3ff6a09e667f3bcd),
        U1N(F64_SQRT, D, D, f64b(-INFINITY)),
        B2(F64_EQ, D, I, QNAN64, QNAN64, 0),
        B2(F64_NE, D, I, QNAN64, f64b(0.0), 1),
        B2(F64_LT, D, I, f64b(-INFINITY), f64b(0.0), 1),
        B2(F64_GT, D, I, f64b(0.0), f64b(-0.0), 0),
        B2(F64_LE, D, I, QNAN64, QNAN64, 0),
        B2(F64_GE, D, I, f64b(0.0), f64b(-0.0), 1),
    };
    RUN(t);
}

Test(lower_numeric, constants_keep_bits) {
    lh_harness *h = lh_create();
    static const uint32_t f32s[] = {0x7fa00001, 0xff812345, 0x80000000, 0x00000001};
    static const uint64_t f64s[] = {0x7ff4000000000001, 0xfff0000000000001, 0x8000000000000000};
    for (size_t i = 0; i < 4; i++) {
        w2n_instr in;
        memset(&in, 0, sizeof in);
        in.op = W2N_OP_F32_CONST;
        in.imm.f32_bits = f32s[i];
        lh_value out;
        cr_assert_eq(lh_run(h, &in, NULL, 0, F, NULL, &out), 0);
        cr_expect_eq(out.u32[0], f32s[i], "f32.const %#x came back as %#x", f32s[i], out.u32[0]);
    }
    for (size_t i = 0; i < 3; i++) {
        w2n_instr in;
        memset(&in, 0, sizeof in);
        in.op = W2N_OP_F64_CONST;
        in.imm.f64_bits = f64s[i];
        lh_value out;
        cr_assert_eq(lh_run(h, &in, NULL, 0, D, NULL, &out), 0);
        cr_expect_eq(out.u64[0], f64s[i]);
    }
    w2n_instr in;
    memset(&in, 0, sizeof in);
    in.op = W2N_OP_I32_CONST;
    in.imm.i32 = -5;
    lh_value out;
    cr_assert_eq(lh_run(h, &in, NULL, 0, I, NULL, &out), 0);
    cr_expect_eq(out.i32, -5);
    in.op = W2N_OP_I64_CONST;
    in.imm.i64 = INT64_MIN;
    cr_assert_eq(lh_run(h, &in, NULL, 0, L, NULL, &out), 0);
    cr_expect_eq(out.i64, INT64_MIN);
    lh_destroy(h);
}

Test(lower_numeric, trapping_truncations) {
    const ncase t[] = {
        U1(I32_TRUNC_F32_S, F, I, f32b(-2147483648.0f), MIN32),
        U1(I32_TRUNC_F32_S, F, I, f32b(2147483520.0f), 2147483520u),
        U1(I32_TRUNC_F32_S, F, I, f32b(-1.9f), (uint32_t)-1),
        U1T(I32_TRUNC_F32_S, F, I, f32b(2147483648.0f), INT_OVERFLOW),
        U1T(I32_TRUNC_F32_S, F, I, f32b(-2147483904.0f), INT_OVERFLOW),
        U1T(I32_TRUNC_F32_S, F, I, f32b(INFINITY), INT_OVERFLOW),
        U1T(I32_TRUNC_F32_S, F, I, SNAN32, INVALID_CONVERSION),
        U1T(I32_TRUNC_F32_S, F, I, NQNAN32, INVALID_CONVERSION),
        U1(I32_TRUNC_F32_U, F, I, f32b(4294967040.0f), 4294967040u),
        U1(I32_TRUNC_F32_U, F, I, f32b(-0.99999994f), 0),
        U1T(I32_TRUNC_F32_U, F, I, f32b(4294967296.0f), INT_OVERFLOW),
        U1T(I32_TRUNC_F32_U, F, I, f32b(-1.0f), INT_OVERFLOW),
        U1T(I32_TRUNC_F32_U, F, I, QNAN32, INVALID_CONVERSION),
        U1(I32_TRUNC_F64_S, D, I, f64b(-2147483648.9), MIN32),
        U1(I32_TRUNC_F64_S, D, I, f64b(2147483647.9), 0x7fffffff),
        U1T(I32_TRUNC_F64_S, D, I, f64b(2147483648.0), INT_OVERFLOW),
        U1T(I32_TRUNC_F64_S, D, I, f64b(-2147483649.0), INT_OVERFLOW),
        U1T(I32_TRUNC_F64_S, D, I, SNAN64 | MIN64, INVALID_CONVERSION),
        U1(I32_TRUNC_F64_U, D, I, f64b(4294967295.9), M32),
        U1(I32_TRUNC_F64_U, D, I, f64b(-0.9), 0),
        U1T(I32_TRUNC_F64_U, D, I, f64b(4294967296.0), INT_OVERFLOW),
        U1T(I32_TRUNC_F64_U, D, I, f64b(1e16), INT_OVERFLOW),
        U1T(I32_TRUNC_F64_U, D, I, f64b(-1.0), INT_OVERFLOW),
        U1(I64_TRUNC_F32_S, F, L, f32b(-9223372036854775808.0f), MIN64),
        U1(I64_TRUNC_F32_S, F, L, f32b(9223371487098961920.0f), 9223371487098961920ull),
        U1T(I64_TRUNC_F32_S, F, L, f32b(9223372036854775808.0f), INT_OVERFLOW),
        U1T(I64_TRUNC_F32_S, F, L, f32b(-9223373136366403584.0f), INT_OVERFLOW),
        U1T(I64_TRUNC_F32_S, F, L, QNAN32, INVALID_CONVERSION),
        U1(I64_TRUNC_F32_U, F, L, f32b(18446742974197923840.0f), 18446742974197923840ull),
        U1T(I64_TRUNC_F32_U, F, L, f32b(18446744073709551616.0f), INT_OVERFLOW),
        U1T(I64_TRUNC_F32_U, F, L, f32b(-1.0f), INT_OVERFLOW),
        U1(I64_TRUNC_F64_S, D, L, f64b(-9223372036854775808.0), MIN64),
        U1(I64_TRUNC_F64_S, D, L, f64b(9223372036854774784.0), 9223372036854774784ull),
        U1T(I64_TRUNC_F64_S, D, L, f64b(9223372036854775808.0), INT_OVERFLOW),
        U1T(I64_TRUNC_F64_S, D, L, f64b(-9223372036854777856.0), INT_OVERFLOW),
        U1T(I64_TRUNC_F64_S, D, L, f64b(-INFINITY), INT_OVERFLOW),
        U1T(I64_TRUNC_F64_S, D, L, QNAN64, INVALID_CONVERSION),
        U1(I64_TRUNC_F64_U, D, L, f64b(18446744073709549568.0), 18446744073709549568ull),
        U1(I64_TRUNC_F64_U, D, L, f64b(-0.9999999999999999), 0),
        U1T(I64_TRUNC_F64_U, D, L, f64b(18446744073709551616.0), INT_OVERFLOW),
        U1T(I64_TRUNC_F64_U, D, L, f64b(-1.0), INT_OVERFLOW),
        U1T(I64_TRUNC_F64_U, D, L, PAY64, INVALID_CONVERSION),
    };
    RUN(t);
}

Test(lower_numeric, saturating_truncations) {
    const ncase t[] = {
        U1(I32_TRUNC_SAT_F32_S, F, I, f32b(2147483648.0f), 0x7fffffff),
        U1(I32_TRUNC_SAT_F32_S, F, I, f32b(-INFINITY), MIN32),
        U1(I32_TRUNC_SAT_F32_S, F, I, SNAN32 | MIN32, 0),
        U1(I32_TRUNC_SAT_F32_S, F, I, f32b(-1.5f), (uint32_t)-1),
        U1(I32_TRUNC_SAT_F32_U, F, I, f32b(4294967296.0f), M32),
        U1(I32_TRUNC_SAT_F32_U, F, I, f32b(-1.0f), 0),
        U1(I32_TRUNC_SAT_F32_U, F, I, QNAN32, 0),
        U1(I32_TRUNC_SAT_F64_S, D, I, f64b(-2147483649.0), MIN32),
        U1(I32_TRUNC_SAT_F64_S, D, I, f64b(1e30), 0x7fffffff),
        U1(I32_TRUNC_SAT_F64_U, D, I, f64b(4294967295.9), M32),
        U1(I32_TRUNC_SAT_F64_U, D, I, f64b(-INFINITY), 0),
        U1(I32_TRUNC_SAT_F64_U, D, I, NQNAN64, 0),
        U1(I64_TRUNC_SAT_F32_S, F, L, f32b(9223372036854775808.0f), 0x7fffffffffffffff),
        U1(I64_TRUNC_SAT_F32_S, F, L, f32b(-INFINITY), MIN64),
        U1(I64_TRUNC_SAT_F32_S, F, L, QNAN32, 0),
        U1(I64_TRUNC_SAT_F32_U, F, L, f32b(18446744073709551616.0f), M64),
        U1(I64_TRUNC_SAT_F32_U, F, L, f32b(-0.5f), 0),
        U1(I64_TRUNC_SAT_F64_S, D, L, f64b(9223372036854775808.0), 0x7fffffffffffffff),
        U1(I64_TRUNC_SAT_F64_S, D, L, f64b(-9223372036854777856.0), MIN64),
        U1(I64_TRUNC_SAT_F64_S, D, L, SNAN64, 0),
        U1(I64_TRUNC_SAT_F64_U, D, L, f64b(18446744073709549568.0), 18446744073709549568ull),
        U1(I64_TRUNC_SAT_F64_U, D, L, f64b(INFINITY), M64),
        U1(I64_TRUNC_SAT_F64_U, D, L, f64b(-INFINITY), 0),
    };
    RUN(t);
}

Test(lower_numeric, conversions) {
    const ncase t[] = {
        U1(I64_EXTEND_I32_S, I, L, MIN32, 0xffffffff80000000),
        U1(I64_EXTEND_I32_U, I, L, MIN32, MIN32),
        U1(I32_WRAP_I64, L, I, 0xfedcba9876543210, 0x76543210),
        U1(F32_CONVERT_I32_S, I, F, MIN32, f32b(-2147483648.0f)),
        U1(F32_CONVERT_I32_S, I, F, 16777217, f32b(16777216.0f)),
        U1(F32_CONVERT_I32_S, I, F, 16777219, f32b(16777220.0f)),
        U1(F32_CONVERT_I32_U, I, F, M32, f32b(4294967296.0f)),
        U1(F32_CONVERT_I32_U, I, F, 0x80000080, f32b(2147483648.0f)),
        U1(F32_CONVERT_I32_U, I, F, 0x80000081, f32b(2147483904.0f)),
        U1(F32_CONVERT_I32_U, I, F, 0x80000180, f32b(2147484160.0f)),
        U1(F32_CONVERT_I64_S, L, F, 9223372036854775807, f32b(9223372036854775807.0f)),
        U1(F32_CONVERT_I64_S, L, F, 0x20000020000001, f32b(9007199791611905.0f)),
        U1(F32_CONVERT_I64_S, L, F, (uint64_t)-9007199791611905LL, f32b(-9007199791611905.0f)),
        U1(F32_CONVERT_I64_U, L, F, M64, f32b(18446744073709551616.0f)),
        U1(F32_CONVERT_I64_U, L, F, 0x8000008000000001, f32b(9223373136366403584.0f)),
        U1(F32_CONVERT_I64_U, L, F, 0xfffffe8000000001, f32b(18446742974197923840.0f)),
        U1(F32_CONVERT_I64_U, L, F, 0x20000020000001, f32b(9007199791611905.0f)),
        U1(F64_CONVERT_I32_S, I, D, MIN32, f64b(-2147483648.0)),
        U1(F64_CONVERT_I32_U, I, D, M32, f64b(4294967295.0)),
        U1(F64_CONVERT_I64_S, L, D, 9007199254740993, f64b(9007199254740992.0)),
        U1(F64_CONVERT_I64_S, L, D, (uint64_t)-9007199254740995LL, f64b(-9007199254740996.0)),
        U1(F64_CONVERT_I64_U, L, D, M64, f64b(18446744073709551616.0)),
        U1(F64_CONVERT_I64_U, L, D, 0x8000000000000401, f64b(9223372036854777856.0)),
        U1(F64_CONVERT_I64_U, L, D, 0xfffffffffffff400, 0x43effffffffffffe),
        U1(F64_CONVERT_I64_U, L, D, 0xfffffffffffff401, 0x43efffffffffffff),
        U1(F64_CONVERT_I64_U, L, D, 9007199254740993, f64b(9007199254740992.0)),
        U1(F64_PROMOTE_F32, F, D, f32b(0x1p-149f), f64b(0x1p-149)),
        U1(F64_PROMOTE_F32, F, D, f32b(-0.0f), f64b(-0.0)),
        U1N(F64_PROMOTE_F32, F, D, SNAN32),
        U1N(F64_PROMOTE_F32, F, D, NQNAN32),
        U1(F32_DEMOTE_F64, D, F, f64b(0x1.fffffe0000000p-127), f32b(0x1p-126f)),
        U1(F32_DEMOTE_F64, D, F, f64b(0x1.fffffefffffffp127), f32b(0x1.fffffep127f)),
        U1(F32_DEMOTE_F64, D, F, f64b(0x1.ffffffp127), f32b(INFINITY)),
        U1(F32_DEMOTE_F64, D, F, f64b(0x1p-150), f32b(0.0f)),
        U1(F32_DEMOTE_F64, D, F, f64b(0x1.0000000000001p-150), f32b(0x1p-149f)),
        U1(F32_DEMOTE_F64, D, F, f64b(1.0000000596046448), f32b(1.0f)),
        U1N(F32_DEMOTE_F64, D, F, SNAN64),
        U1N(F32_DEMOTE_F64, D, F, NQNAN64),
        U1(F32_REINTERPRET_I32, I, F, SNAN32 | 1, SNAN32 | 1),
        U1(I32_REINTERPRET_F32, F, I, PAY32 | MIN32, PAY32 | MIN32),
        U1(F64_REINTERPRET_I64, L, D, PAY64, PAY64),
        U1(I64_REINTERPRET_F64, D, L, SNAN64 | MIN64 | 1, SNAN64 | MIN64 | 1),
    };
    RUN(t);
}

Test(lower_numeric, refuses_other_families) {
    lh_harness *h = lh_create();
    w2n_instr in;
    memset(&in, 0, sizeof in);
    in.op = W2N_OP_DROP;
    uint8_t p[1] = {I};
    lh_value a[1] = {{.i32 = 1}};
    cr_expect_eq(lh_run(h, &in, p, 1, 0, a, NULL), UINT32_MAX);
    lh_destroy(h);
}

/* Short sequences with constant operands, optimised at O2: LLVM may fold
 * x - 0, x * 1, x / -1, -0 - x or demote(promote x) into x (or its negation),
 * which would let a signalling NaN through; Wasm wants a quiet NaN. */
static w2n_instr mk(uint32_t op, uint64_t imm) {
    w2n_instr in;
    memset(&in, 0, sizeof in);
    in.op = op;
    in.imm.i64 = (int64_t)imm;
    return in;
}

Test(lower_numeric, folds_keep_nan_quiet) {
    lh_harness *h = lh_create();
    const w2n_instr get = mk(W2N_OP_LOCAL_GET, 0);
    struct {
        w2n_instr seq[3];
        uint8_t t;
    } cases[] = {
        {{get, mk(W2N_OP_F32_CONST, f32b(0.0f)), mk(W2N_OP_F32_SUB, 0)}, F},
        {{get, mk(W2N_OP_F32_CONST, f32b(-0.0f)), mk(W2N_OP_F32_ADD, 0)}, F},
        {{get, mk(W2N_OP_F32_CONST, f32b(1.0f)), mk(W2N_OP_F32_MUL, 0)}, F},
        {{get, mk(W2N_OP_F32_CONST, f32b(-1.0f)), mk(W2N_OP_F32_MUL, 0)}, F},
        {{get, mk(W2N_OP_F32_CONST, f32b(1.0f)), mk(W2N_OP_F32_DIV, 0)}, F},
        {{mk(W2N_OP_F32_CONST, f32b(-0.0f)), get, mk(W2N_OP_F32_SUB, 0)}, F},
        {{get, mk(W2N_OP_F64_CONST, f64b(0.0)), mk(W2N_OP_F64_SUB, 0)}, D},
        {{get, mk(W2N_OP_F64_CONST, f64b(-1.0)), mk(W2N_OP_F64_DIV, 0)}, D},
        {{mk(W2N_OP_F64_CONST, f64b(1.0)), get, mk(W2N_OP_F64_MUL, 0)}, D},
        /* a constant dividend: the division itself must quiet y */
        {{mk(W2N_OP_F64_CONST, f64b(1.0)), get, mk(W2N_OP_F64_DIV, 0)}, D},
        {{mk(W2N_OP_F32_CONST, f32b(-1.0f)), get, mk(W2N_OP_F32_DIV, 0)}, F},
        {{mk(W2N_OP_F64_CONST, f64b(0.0)), get, mk(W2N_OP_F64_DIV, 0)}, D},
        {{get, get, mk(W2N_OP_F32_MIN, 0)}, F},
        {{get, get, mk(W2N_OP_F64_MAX, 0)}, D},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t t = cases[i].t;
        lh_value arg = as_value(t, t == F ? SNAN32 : SNAN64), out;
        cr_assert_eq(lh_run_seq(h, cases[i].seq, 3, &t, 1, t, &arg, &out), 0);
        cr_expect(is_quiet_nan(t, &out), "case %zu: got %#llx", i, (unsigned long long)out.u64[0]);
    }
    /* f32.demote_f64(f64.promote_f32 x) */
    w2n_instr pd[3] = {get, mk(W2N_OP_F64_PROMOTE_F32, 0), mk(W2N_OP_F32_DEMOTE_F64, 0)};
    uint8_t t = F;
    lh_value arg = as_value(F, SNAN32 | 0x80000000u), out;
    cr_assert_eq(lh_run_seq(h, pd, 3, &t, 1, F, &arg, &out), 0);
    cr_expect(is_quiet_nan(F, &out), "demote(promote(sNaN)) = %#x", out.u32[0]);
    arg = as_value(F, f32b(1.5f));
    cr_assert_eq(lh_run_seq(h, pd, 3, &t, 1, F, &arg, &out), 0);
    cr_expect_eq(out.u32[0], f32b(1.5f));
    lh_destroy(h);
}

Test(lower_numeric, constant_division_edge_cases) {
    /* With constant operands LLVM sees the whole division: INT_MIN rem -1 must
     * still be 0 and INT_MIN div -1 must still trap. */
    lh_harness *h = lh_create();
    w2n_instr rem[3] = {mk(W2N_OP_I32_CONST, 0x80000000u), mk(W2N_OP_I32_CONST, 0xffffffffu),
                        mk(W2N_OP_I32_REM_S, 0)};
    lh_value out;
    cr_expect_eq(lh_run_seq(h, rem, 3, NULL, 0, I, NULL, &out), 0);
    cr_expect_eq(out.i32, 0);
    w2n_instr rem64[3] = {mk(W2N_OP_I64_CONST, MIN64), mk(W2N_OP_I64_CONST, M64),
                          mk(W2N_OP_I64_REM_S, 0)};
    cr_expect_eq(lh_run_seq(h, rem64, 3, NULL, 0, L, NULL, &out), 0);
    cr_expect_eq(out.i64, 0);
    w2n_instr div[3] = {mk(W2N_OP_I64_CONST, MIN64), mk(W2N_OP_I64_CONST, M64),
                        mk(W2N_OP_I64_DIV_S, 0)};
    cr_expect_eq(lh_run_seq(h, div, 3, NULL, 0, L, NULL, &out), W2N_TRAP_INT_OVERFLOW);
    w2n_instr divz[3] = {mk(W2N_OP_I32_CONST, 1), mk(W2N_OP_I32_CONST, 0), mk(W2N_OP_I32_DIV_U, 0)};
    cr_expect_eq(lh_run_seq(h, divz, 3, NULL, 0, I, NULL, &out), W2N_TRAP_INT_DIV_ZERO);
    w2n_instr tr[2] = {mk(W2N_OP_F32_CONST, 0x7fc00000u), mk(W2N_OP_I32_TRUNC_F32_S, 0)};
    cr_expect_eq(lh_run_seq(h, tr, 2, NULL, 0, I, NULL, &out), W2N_TRAP_INVALID_CONVERSION);
    w2n_instr tr2[2] = {mk(W2N_OP_F64_CONST, f64b(4294967296.0)), mk(W2N_OP_I32_TRUNC_F64_U, 0)};
    cr_expect_eq(lh_run_seq(h, tr2, 2, NULL, 0, I, NULL, &out), W2N_TRAP_INT_OVERFLOW);
    w2n_instr sh[3] = {mk(W2N_OP_I32_CONST, 1), mk(W2N_OP_I32_CONST, 33), mk(W2N_OP_I32_SHL, 0)};
    cr_expect_eq(lh_run_seq(h, sh, 3, NULL, 0, I, NULL, &out), 0);
    cr_expect_eq(out.i32, 2);
    lh_destroy(h);
}
