/*
 * lower_simd_relaxed.c — the relaxed-SIMD instructions (0xFD 0x100-0x113).
 *
 * Each may give any of a few results the spec lists; w2n picks one per
 * target, from the target table's w2n_relaxed_choices (target.c), never
 * from --cpu or the CPU that runs the code: the same object always gives
 * the same result.  docs/relaxed-simd.md has the table.  Where the choice
 * is the instruction's deterministic Wasm 2.0 counterpart (swizzle,
 * trunc_sat, bitselect, min/max, q15mulr_sat) the 2.0 lowering of
 * lower_simd.c does the work, so the two can never drift apart.
 */
#include <stdbool.h>
#include <stdint.h>

#include "lower_simd.h"
#include "target.h"

static const w2n_relaxed_choices *choices(w2n_lower_func *f) {
    return &w2n_target_find(f->lm->opts->target)->relaxed;
}

/* The instruction lowered as its deterministic Wasm 2.0 counterpart `op`. */
static bool as_deterministic(w2n_lower_func *f, const w2n_instr *in, uint32_t op) {
    w2n_instr same = *in;
    same.op = op;
    return w2n_lower_simd(f, &same);
}

/* madd(a, b, c) = a * b + c, nmadd(a, b, c) = -(a * b) + c: rounded once
 * (llvm.fma, one instruction where the target has it) or twice. */
static void lower_madd(w2n_lower_func *f, shape s, bool negate, bool fused) {
    LLVMValueRef c = w2n_simd_pop_as(f, s);
    LLVMValueRef b = w2n_simd_pop_as(f, s);
    LLVMValueRef a = w2n_simd_pop_as(f, s);
    /* LLVM folds a * 1 or x + -0 with a constant into a, which could let a
     * signalling NaN through (see lower_numeric.c): then quiet the result. */
    bool folds = LLVMIsConstant(a) || LLVMIsConstant(b) || LLVMIsConstant(c);
    if (negate)
        a = LLVMBuildFNeg(f->b, a, "");
    LLVMValueRef r;
    if (fused) {
        LLVMTypeRef t = LLVMTypeOf(a);
        LLVMValueRef args[3] = {a, b, c};
        r = w2n_lower_intrinsic(f, "llvm.fma", &t, 1, args, 3);
    } else {
        r = LLVMBuildFAdd(f->b, LLVMBuildFMul(f->b, a, b, ""), c, "");
    }
    w2n_simd_push(f, folds ? w2n_simd_quiet_nan(f, r) : r);
}

/* min = a < b ? a : b, max = a > b ? a : b: x86's minps/maxps, which give b
 * when either is NaN and when both are zeros. */
static void lower_select_minmax(w2n_lower_func *f, shape s, bool is_max) {
    LLVMValueRef b = w2n_simd_pop_as(f, s);
    LLVMValueRef a = w2n_simd_pop_as(f, s);
    LLVMValueRef pick_a = LLVMBuildFCmp(f->b, is_max ? LLVMRealOGT : LLVMRealOLT, a, b, "");
    w2n_simd_push(f, LLVMBuildSelect(f->b, pick_a, a, b, ""));
}

/* Signed truncation giving -2^31 for NaN and out-of-range lanes: what x86's
 * cvttps2dq/cvttpd2dq do, in portable IR (fptosi is poison out of range, so
 * the select takes only in-range lanes from it).  f64x2 fills two zero lanes. */
static void lower_trunc_int_min(w2n_lower_func *f, shape s) {
    w2n_lower_module *lm = f->lm;
    bool wide = s == F64X2;
    unsigned n = wide ? 2 : 4;
    LLVMValueRef x = w2n_simd_pop_as(f, s);
    LLVMTypeRef lane = wide ? lm->t_f64 : lm->t_f32, ints = LLVMVectorType(lm->t_i32, n);
    /* In range: -2^31 <= trunc(x) < 2^31.  Below, -2^31 - 1 is an f64 but
     * not an f32 (it rounds to -2^31), hence the two comparisons. */
    LLVMValueRef lo =
        w2n_simd_splat_const(LLVMConstReal(lane, wide ? -2147483649.0 : -2147483648.0), n);
    LLVMValueRef hi = w2n_simd_splat_const(LLVMConstReal(lane, 2147483648.0), n);
    LLVMValueRef above = LLVMBuildFCmp(f->b, wide ? LLVMRealOGT : LLVMRealOGE, x, lo, "");
    LLVMValueRef in = LLVMBuildAnd(f->b, above, LLVMBuildFCmp(f->b, LLVMRealOLT, x, hi, ""), "");
    LLVMValueRef min = w2n_simd_splat_const(LLVMConstInt(lm->t_i32, 0x80000000u, false), n);
    LLVMValueRef r = LLVMBuildSelect(f->b, in, LLVMBuildFPToSI(f->b, x, ints, ""), min, "");
    if (wide)
        r = w2n_simd_shuffle_seq(f, r, LLVMConstNull(ints), 0, 1, 4);
    w2n_simd_push(f, r);
}

static bool lower_trunc_s(w2n_lower_func *f, const w2n_instr *in, shape s, uint32_t deterministic) {
    if (!choices(f)->trunc_int_min)
        return as_deterministic(f, in, deterministic);
    lower_trunc_int_min(f, s);
    return true;
}

/* Products of the signed bytes of a and b (b's top bit read as a sign),
 * pairs added with 16-bit wrap-around; the _add form widens those sums in
 * pairs to i32 and adds c (i32x4.extadd_pairwise_i16x8_s then i32x4.add). */
static void lower_relaxed_dot(w2n_lower_func *f, bool add) {
    w2n_lower_module *lm = f->lm;
    LLVMValueRef c = add ? w2n_simd_pop_as(f, I32X4) : NULL;
    LLVMValueRef b = w2n_simd_pop_as(f, I8X16);
    LLVMValueRef a = w2n_simd_pop_as(f, I8X16);
    LLVMTypeRef v16i16 = LLVMVectorType(lm->t_i16, 16);
    LLVMValueRef p = LLVMBuildMul(f->b, LLVMBuildSExt(f->b, a, v16i16, ""),
                                  LLVMBuildSExt(f->b, b, v16i16, ""), ""); /* |p| <= 2^14 */
    LLVMValueRef sums = LLVMBuildAdd(f->b, w2n_simd_shuffle_seq(f, p, NULL, 0, 2, 8),
                                     w2n_simd_shuffle_seq(f, p, NULL, 1, 2, 8), "");
    if (add) {
        LLVMValueRef wide = LLVMBuildSExt(f->b, sums, LLVMVectorType(lm->t_i32, 8), "");
        sums = LLVMBuildAdd(f->b, w2n_simd_shuffle_seq(f, wide, NULL, 0, 2, 4),
                            w2n_simd_shuffle_seq(f, wide, NULL, 1, 2, 4), "");
        sums = LLVMBuildAdd(f->b, sums, c, "");
    }
    w2n_simd_push(f, sums);
}

static bool lower_minmax(w2n_lower_func *f, const w2n_instr *in, shape s, bool is_max,
                         uint32_t deterministic) {
    if (!choices(f)->select_minmax)
        return as_deterministic(f, in, deterministic);
    lower_select_minmax(f, s, is_max);
    return true;
}

static void lower_fma(w2n_lower_func *f, shape s, bool negate) {
    lower_madd(f, s, negate, choices(f)->fused_madd);
}

bool w2n_lower_simd_relaxed(w2n_lower_func *f, const w2n_instr *in) {
    switch (in->op) {
    case W2N_OP_I8X16_RELAXED_SWIZZLE: return as_deterministic(f, in, W2N_OP_I8X16_SWIZZLE);
    case W2N_OP_I32X4_RELAXED_TRUNC_F32X4_S:
        return lower_trunc_s(f, in, F32X4, W2N_OP_I32X4_TRUNC_SAT_F32X4_S);
    case W2N_OP_I32X4_RELAXED_TRUNC_F32X4_U:
        return as_deterministic(f, in, W2N_OP_I32X4_TRUNC_SAT_F32X4_U);
    case W2N_OP_I32X4_RELAXED_TRUNC_F64X2_S_ZERO:
        return lower_trunc_s(f, in, F64X2, W2N_OP_I32X4_TRUNC_SAT_F64X2_S_ZERO);
    case W2N_OP_I32X4_RELAXED_TRUNC_F64X2_U_ZERO:
        return as_deterministic(f, in, W2N_OP_I32X4_TRUNC_SAT_F64X2_U_ZERO);
    case W2N_OP_F32X4_RELAXED_MADD: lower_fma(f, F32X4, false); return true;
    case W2N_OP_F32X4_RELAXED_NMADD: lower_fma(f, F32X4, true); return true;
    case W2N_OP_F64X2_RELAXED_MADD: lower_fma(f, F64X2, false); return true;
    case W2N_OP_F64X2_RELAXED_NMADD: lower_fma(f, F64X2, true); return true;
    case W2N_OP_I8X16_RELAXED_LANESELECT:
    case W2N_OP_I16X8_RELAXED_LANESELECT:
    case W2N_OP_I32X4_RELAXED_LANESELECT:
    case W2N_OP_I64X2_RELAXED_LANESELECT: return as_deterministic(f, in, W2N_OP_V128_BITSELECT);
    case W2N_OP_F32X4_RELAXED_MIN: return lower_minmax(f, in, F32X4, false, W2N_OP_F32X4_MIN);
    case W2N_OP_F32X4_RELAXED_MAX: return lower_minmax(f, in, F32X4, true, W2N_OP_F32X4_MAX);
    case W2N_OP_F64X2_RELAXED_MIN: return lower_minmax(f, in, F64X2, false, W2N_OP_F64X2_MIN);
    case W2N_OP_F64X2_RELAXED_MAX: return lower_minmax(f, in, F64X2, true, W2N_OP_F64X2_MAX);
    case W2N_OP_I16X8_RELAXED_Q15MULR_S: return as_deterministic(f, in, W2N_OP_I16X8_Q15MULR_SAT_S);
    case W2N_OP_I16X8_RELAXED_DOT_I8X16_I7X16_S: lower_relaxed_dot(f, false); return true;
    case W2N_OP_I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S: lower_relaxed_dot(f, true); return true;
    default: return false;
    }
}
