/*
 * test_float_identity.c — the one classifier of identity float constants
 * (compiler/lower/float_identity.c) that the lowering's fences and
 * emit/float_fences.c share: +0, -0 and +-1 told apart, f32 and f64, v128
 * lanes from their bits, and which constants fold fadd, fsub, fmul and
 * fdiv, scalar or every lane of a vector.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "float_identity.h"

static LLVMContextRef ctx;
static LLVMTypeRef f32, f64;

static void setup(void) {
    ctx = LLVMContextCreate();
    f32 = LLVMFloatTypeInContext(ctx);
    f64 = LLVMDoubleTypeInContext(ctx);
}

static void teardown(void) { LLVMContextDispose(ctx); }

TestSuite(float_identity, .init = setup, .fini = teardown);

static w2n_float_identity of(LLVMTypeRef t, double d) {
    return w2n_float_identity_of_constant(LLVMConstReal(t, d));
}

Test(float_identity, zeros_and_ones) {
    LLVMTypeRef types[] = {f32, f64};
    for (unsigned i = 0; i < 2; i++) {
        cr_assert_eq(of(types[i], 0.0), W2N_FLOAT_PLUS_ZERO);
        cr_assert_eq(of(types[i], -0.0), W2N_FLOAT_MINUS_ZERO);
        cr_assert_eq(of(types[i], 1.0), W2N_FLOAT_ONE);
        cr_assert_eq(of(types[i], -1.0), W2N_FLOAT_ONE);
    }
}

Test(float_identity, non_identities) {
    double others[] = {2.0, 0.5, -2.0, 1e-300, 1.0 + 0x1p-52, INFINITY, NAN};
    for (unsigned i = 0; i < sizeof others / sizeof others[0]; i++)
        cr_assert_eq(of(f64, others[i]), W2N_FLOAT_NO_IDENTITY, "%g", others[i]);
    /* the f32 nearest 1 + 2^-52 is 1: the constant is read as what it holds */
    cr_assert_eq(of(f32, 1.0 + 0x1p-52), W2N_FLOAT_ONE);
    cr_assert_eq(of(f32, 1.0 + 0x1p-23), W2N_FLOAT_NO_IDENTITY);
    cr_assert(isnan(w2n_float_constant_double(LLVMConstReal(f32, NAN))));
}

static uint64_t f32_bits(float x) {
    uint32_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

static uint64_t f64_bits(double x) {
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

Test(float_identity, lanes_from_bits) {
    cr_assert_eq(w2n_float_identity_of_bits(f32_bits(-0.0f), 4), W2N_FLOAT_MINUS_ZERO);
    cr_assert_eq(w2n_float_identity_of_bits(f32_bits(0.0f), 4), W2N_FLOAT_PLUS_ZERO);
    cr_assert_eq(w2n_float_identity_of_bits(f32_bits(-1.0f), 4), W2N_FLOAT_ONE);
    cr_assert_eq(w2n_float_identity_of_bits(f64_bits(1.0), 8), W2N_FLOAT_ONE);
    cr_assert_eq(w2n_float_identity_of_bits(f64_bits(-0.0), 8), W2N_FLOAT_MINUS_ZERO);
    cr_assert_eq(w2n_float_identity_of_bits(f64_bits(3.0), 8), W2N_FLOAT_NO_IDENTITY);
    /* an f32 lane is the low 32 bits: 1.0f there, whatever lies above */
    cr_assert_eq(w2n_float_identity_of_bits(0xdeadbeef00000000ull | f32_bits(1.0f), 4),
                 W2N_FLOAT_ONE);
    /* 1.0f's bits read as an f64 are a tiny denormal, no identity */
    cr_assert_eq(w2n_float_identity_of_bits(f32_bits(1.0f), 8), W2N_FLOAT_NO_IDENTITY);
}

static const LLVMOpcode additive[] = {LLVMFAdd, LLVMFSub};
static const LLVMOpcode multiplicative[] = {LLVMFMul, LLVMFDiv};

Test(float_identity, scalars_fold_their_ops) {
    for (unsigned i = 0; i < 2; i++) {
        cr_assert(w2n_float_identity_folds(additive[i], LLVMConstReal(f64, 0.0)));
        cr_assert(w2n_float_identity_folds(additive[i], LLVMConstReal(f32, -0.0)));
        cr_assert_not(w2n_float_identity_folds(additive[i], LLVMConstReal(f64, 1.0)));
        cr_assert_not(w2n_float_identity_folds(additive[i], LLVMConstReal(f64, 2.0)));
        cr_assert(w2n_float_identity_folds(multiplicative[i], LLVMConstReal(f32, 1.0)));
        cr_assert(w2n_float_identity_folds(multiplicative[i], LLVMConstReal(f64, -1.0)));
        cr_assert_not(w2n_float_identity_folds(multiplicative[i], LLVMConstReal(f64, 0.0)));
        cr_assert_not(w2n_float_identity_folds(multiplicative[i], LLVMConstReal(f64, -0.0)));
        cr_assert_not(w2n_float_identity_folds(multiplicative[i], LLVMConstReal(f32, 0.5)));
    }
}

static LLVMValueRef vec4(double a, double b, double c, double d) {
    LLVMValueRef lanes[] = {LLVMConstReal(f32, a), LLVMConstReal(f32, b), LLVMConstReal(f32, c),
                            LLVMConstReal(f32, d)};
    return LLVMConstVector(lanes, 4);
}

Test(float_identity, vectors_need_every_lane) {
    cr_assert(w2n_float_identity_folds(LLVMFAdd, vec4(0.0, -0.0, 0.0, -0.0)));
    cr_assert(w2n_float_identity_folds(LLVMFMul, vec4(1.0, -1.0, 1.0, 1.0)));
    /* mixed lanes: one identity of the other kind, or none, and it does not fold */
    cr_assert_not(w2n_float_identity_folds(LLVMFAdd, vec4(0.0, 1.0, 0.0, 0.0)));
    cr_assert_not(w2n_float_identity_folds(LLVMFMul, vec4(1.0, 1.0, 0.0, 1.0)));
    cr_assert_not(w2n_float_identity_folds(LLVMFDiv, vec4(1.0, -1.0, 1.0, 2.0)));
    cr_assert_not(w2n_float_identity_folds(LLVMFSub, vec4(3.0, 3.0, 3.0, 3.0)));
    /* the all-zero vector folds fadd and fsub, not fmul */
    LLVMValueRef zero = LLVMConstNull(LLVMVectorType(f64, 2));
    cr_assert(w2n_float_identity_folds(LLVMFSub, zero));
    cr_assert_not(w2n_float_identity_folds(LLVMFMul, zero));
}

Test(float_identity, undecided_constants_count) {
    /* poison (a lane or the whole value) may be any float: a fence too many */
    LLVMValueRef lanes[] = {LLVMConstReal(f32, 1.0), LLVMGetPoison(f32), LLVMConstReal(f32, 1.0),
                            LLVMConstReal(f32, -1.0)};
    cr_assert(w2n_float_identity_folds(LLVMFMul, LLVMConstVector(lanes, 4)));
    cr_assert(w2n_float_identity_folds(LLVMFAdd, LLVMGetPoison(f64)));
}
