/*
 * lower_simd.c — the v128 instructions of Wasm 2.0 that do not touch memory.
 *
 * A v128 travels on the operand stack as <16 x i8> (lm->t_v128); each
 * instruction bitcasts it to its lane shape, works with LLVM's generic vector
 * operations and intrinsics, and bitcasts back.  Generic IR lets each backend
 * (SSE2 or AVX2, NEON, RISC-V with or without V) choose its instructions, and
 * none of it expands to a library call outside the loader's allow-list
 * (ceil/floor/trunc/roundeven/sqrt and their f variants when scalarised).
 *
 * Wherever the hardware's natural meaning differs from Wasm's, the IR spells
 * out Wasm's: swizzle zeroes out-of-range lanes, shifts take their count
 * modulo the lane width, narrowing saturates, min/max propagate NaN (as a
 * quiet NaN) and order -0 below +0, pmin/pmax are the spec's selects.
 * Memory forms live in lower_simd_memory.c.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "float_identity.h"
#include "lower_simd.h"

static const unsigned shape_lanes[] = {16, 8, 4, 2, 4, 2};

static LLVMTypeRef lane_type(w2n_lower_module *lm, shape s) {
    switch (s) {
    case I8X16: return lm->t_i8;
    case I16X8: return lm->t_i16;
    case I32X4: return lm->t_i32;
    case I64X2: return lm->t_i64;
    case F32X4: return lm->t_f32;
    default: return lm->t_f64;
    }
}

static LLVMTypeRef vec_type(w2n_lower_module *lm, shape s) {
    return LLVMVectorType(lane_type(lm, s), shape_lanes[s]);
}

/* The integer shape with the lanes of a float shape. */
static shape int_shape(shape s) { return s == F32X4 ? I32X4 : s == F64X2 ? I64X2 : s; }

static unsigned lane_bytes_of(LLVMTypeRef lane) {
    switch (LLVMGetTypeKind(lane)) {
    case LLVMIntegerTypeKind: return LLVMGetIntTypeWidth(lane) / 8;
    case LLVMFloatTypeKind: return 4;
    case LLVMDoubleTypeKind: return 8;
    default: return 0;
    }
}

/* A constant v128 seen as vector type t, or NULL if some lane is not a plain
 * number (undef, poison, an expression).  Without a data layout LLVM's
 * constant folder leaves a bitcast between vectors of different lane counts
 * as an expression, and LLVM 19's x86 DAG combiner can loop forever on
 * operations of such expressions at -O0 (i8x16.popcnt of a constant
 * i32x4.gt_u).  So the bytes are reinterpreted here, little-endian like every
 * w2n target, and LLVM only ever sees plain constants. */
static LLVMValueRef reinterpret_const(w2n_lower_module *lm, LLVMValueRef v, LLVMTypeRef t) {
    LLVMTypeRef from_lane = LLVMGetElementType(LLVMTypeOf(v)), to_lane = LLVMGetElementType(t);
    unsigned n = LLVMGetVectorSize(LLVMTypeOf(v)), from = lane_bytes_of(from_lane);
    unsigned m = LLVMGetVectorSize(t), to = lane_bytes_of(to_lane);
    if (n * from != 16 || m * to != 16)
        return NULL;
    uint8_t bytes[16];
    for (unsigned i = 0; i < n; i++) {
        LLVMValueRef e = LLVMGetAggregateElement(v, i);
        if (e && LLVMIsAConstantFP(e))
            e = LLVMConstBitCast(e, LLVMIntTypeInContext(lm->ctx, 8 * from));
        if (!e || !LLVMIsAConstantInt(e))
            return NULL;
        uint64_t bits = LLVMConstIntGetZExtValue(e);
        for (unsigned k = 0; k < from; k++)
            bytes[i * from + k] = (uint8_t)(bits >> (8 * k));
    }
    LLVMTypeRef int_lane = LLVMIntTypeInContext(lm->ctx, 8 * to);
    LLVMValueRef lanes[16];
    for (unsigned j = 0; j < m; j++) {
        uint64_t bits = 0;
        for (unsigned k = 0; k < to; k++)
            bits |= (uint64_t)bytes[j * to + k] << (8 * k);
        lanes[j] = LLVMConstInt(int_lane, bits, false);
        if (to_lane != int_lane)
            lanes[j] = LLVMConstBitCast(lanes[j], to_lane);
    }
    return LLVMConstVector(lanes, m);
}

/* v as vector type t: a bitcast, folded here when v is a constant. */
static LLVMValueRef reinterpret(w2n_lower_func *f, LLVMValueRef v, LLVMTypeRef t) {
    if (LLVMTypeOf(v) == t)
        return v;
    LLVMValueRef c = LLVMIsConstant(v) ? reinterpret_const(f->lm, v, t) : NULL;
    return c ? c : LLVMBuildBitCast(f->b, v, t, "");
}

static LLVMValueRef as_shape(w2n_lower_func *f, LLVMValueRef v, shape s) {
    return reinterpret(f, v, vec_type(f->lm, s));
}

static LLVMValueRef pop_as(w2n_lower_func *f, shape s) { return as_shape(f, w2n_lower_pop(f), s); }

static void push_v128(w2n_lower_func *f, LLVMValueRef v) {
    w2n_lower_push(f, reinterpret(f, v, f->lm->t_v128));
}

static LLVMValueRef i32_const(w2n_lower_func *f, uint64_t v) {
    return LLVMConstInt(f->lm->t_i32, v, false);
}

/* A vector of n lanes, all equal to the scalar constant c. */
static LLVMValueRef splat_const(LLVMValueRef c, unsigned n) {
    LLVMValueRef lanes[16];
    for (unsigned i = 0; i < n; i++)
        lanes[i] = c;
    return LLVMConstVector(lanes, n);
}

static LLVMValueRef splat_value(w2n_lower_func *f, LLVMValueRef x, unsigned n) {
    LLVMTypeRef vt = LLVMVectorType(LLVMTypeOf(x), n);
    LLVMValueRef v = LLVMBuildInsertElement(f->b, LLVMGetPoison(vt), x, i32_const(f, 0), "");
    LLVMValueRef zeros = LLVMConstNull(LLVMVectorType(f->lm->t_i32, n));
    return LLVMBuildShuffleVector(f->b, v, LLVMGetPoison(vt), zeros, "");
}

/* shufflevector with mask lanes first, first+step, ... (count lanes). */
static LLVMValueRef shuffle_seq(w2n_lower_func *f, LLVMValueRef a, LLVMValueRef b, unsigned first,
                                unsigned step, unsigned count) {
    LLVMValueRef mask[32];
    for (unsigned i = 0; i < count; i++)
        mask[i] = i32_const(f, first + i * step);
    if (!b)
        b = LLVMGetPoison(LLVMTypeOf(a));
    return LLVMBuildShuffleVector(f->b, a, b, LLVMConstVector(mask, count), "");
}

static LLVMValueRef call1(w2n_lower_func *f, const char *name, LLVMValueRef x) {
    LLVMTypeRef t = LLVMTypeOf(x);
    return w2n_lower_intrinsic(f, name, &t, 1, &x, 1);
}

static LLVMValueRef call2(w2n_lower_func *f, const char *name, LLVMValueRef x, LLVMValueRef y) {
    LLVMTypeRef t = LLVMTypeOf(x);
    LLVMValueRef args[2] = {x, y};
    return w2n_lower_intrinsic(f, name, &t, 1, args, 2);
}

/* Every lane selected by nan_mask becomes the canonical NaN (see
 * lower_numeric.c: LLVM may otherwise pass a signalling NaN through). */
static LLVMValueRef quiet_where(w2n_lower_func *f, LLVMValueRef nan_mask, LLVMValueRef r) {
    w2n_lower_module *lm = f->lm;
    LLVMTypeRef lane = LLVMGetElementType(LLVMTypeOf(r));
    LLVMValueRef bits = lane == lm->t_f32 ? LLVMConstInt(lm->t_i32, 0x7fc00000u, false)
                                          : LLVMConstInt(lm->t_i64, 0x7ff8000000000000ull, false);
    LLVMValueRef qnan = splat_const(LLVMConstBitCast(bits, lane), LLVMGetVectorSize(LLVMTypeOf(r)));
    return LLVMBuildSelect(f->b, nan_mask, qnan, r, "");
}

static LLVMValueRef quiet_nan(w2n_lower_func *f, LLVMValueRef r) {
    return quiet_where(f, LLVMBuildFCmp(f->b, LLVMRealUNO, r, r, ""), r);
}

/* n lanes of the integer constant v. */
static LLVMValueRef splat_int(LLVMTypeRef lane, uint64_t v, unsigned n) {
    return splat_const(LLVMConstInt(lane, v, false), n);
}

/* Lane-wise product of x and y sign-extended to <n x i32>. */
static LLVMValueRef widening_mul_i32(w2n_lower_func *f, LLVMValueRef x, LLVMValueRef y) {
    LLVMTypeRef wt = LLVMVectorType(f->lm->t_i32, LLVMGetVectorSize(LLVMTypeOf(x)));
    return LLVMBuildMul(f->b, LLVMBuildSExt(f->b, x, wt, ""), LLVMBuildSExt(f->b, y, wt, ""), "");
}

/* A constant vector with a lane of absolute value 0 or 1: LLVM folds
 * x + -0, x - 0, x * 1, x / -1 ... lane-wise into x (or -x), which would let a
 * signalling NaN through (see lower_numeric.c).  Undecidable constants count. */
static bool has_identity_lane(LLVMValueRef v) {
    if (!LLVMIsConstant(v))
        return false;
    unsigned n = LLVMGetVectorSize(LLVMTypeOf(v));
    for (unsigned i = 0; i < n; i++) {
        LLVMValueRef e = LLVMGetAggregateElement(v, i);
        if (!e || !LLVMIsAConstantFP(e))
            return true;
        if (w2n_float_identity_of_constant(e) != W2N_FLOAT_NO_IDENTITY)
            return true;
    }
    return false;
}

/* ---- families ----------------------------------------------------------------- */

enum kind {
    K_BIN,      /* LLVM binary opcode */
    K_FBIN,     /* float binary opcode: NaN quieted after folds with constants */
    K_BIN_INTR, /* two-operand overloaded intrinsic */
    K_UN_INTR,  /* one-operand overloaded intrinsic */
    K_ROUND,    /* ceil/floor/trunc/roundeven: NaN quieted (RISC-V passes it through) */
    K_ICMP,
    K_FCMP,
    K_SHIFT,
    K_FMINMAX, /* llvm.minimum/maximum, NaN quieted */
    K_INEG,
    K_FNEG,
    K_IABS,
    K_SPLAT,
    K_EXTRACT, /* arg: 0 plain, 1 sign-, 2 zero-extend to i32 */
    K_REPLACE,
    K_ALL_TRUE,
    K_BITMASK,
    K_EXTEND, /* arg: bit 0 high half, bit 1 unsigned; shape is the source */
    K_EXTMUL, /* same arg */
    K_EXTADD, /* arg: bit 1 unsigned */
    K_NARROW, /* arg: bit 1 unsigned; shape is the source */
    K_AVGR,
};

typedef struct simd_op {
    uint32_t op;
    uint8_t kind, shape;
    unsigned arg;     /* opcode, predicate or flags */
    const char *name; /* intrinsic */
} simd_op;

#define OP(x) W2N_OP_##x
static const simd_op simd_ops[] = {
    {OP(I8X16_ADD), K_BIN, I8X16, LLVMAdd, 0},
    {OP(I8X16_SUB), K_BIN, I8X16, LLVMSub, 0},
    {OP(I16X8_ADD), K_BIN, I16X8, LLVMAdd, 0},
    {OP(I16X8_SUB), K_BIN, I16X8, LLVMSub, 0},
    {OP(I16X8_MUL), K_BIN, I16X8, LLVMMul, 0},
    {OP(I32X4_ADD), K_BIN, I32X4, LLVMAdd, 0},
    {OP(I32X4_SUB), K_BIN, I32X4, LLVMSub, 0},
    {OP(I32X4_MUL), K_BIN, I32X4, LLVMMul, 0},
    {OP(I64X2_ADD), K_BIN, I64X2, LLVMAdd, 0},
    {OP(I64X2_SUB), K_BIN, I64X2, LLVMSub, 0},
    {OP(I64X2_MUL), K_BIN, I64X2, LLVMMul, 0},
    {OP(V128_AND), K_BIN, I64X2, LLVMAnd, 0},
    {OP(V128_OR), K_BIN, I64X2, LLVMOr, 0},
    {OP(V128_XOR), K_BIN, I64X2, LLVMXor, 0},
    {OP(F32X4_ADD), K_FBIN, F32X4, LLVMFAdd, 0},
    {OP(F32X4_SUB), K_FBIN, F32X4, LLVMFSub, 0},
    {OP(F32X4_MUL), K_FBIN, F32X4, LLVMFMul, 0},
    {OP(F32X4_DIV), K_FBIN, F32X4, LLVMFDiv, 0},
    {OP(F64X2_ADD), K_FBIN, F64X2, LLVMFAdd, 0},
    {OP(F64X2_SUB), K_FBIN, F64X2, LLVMFSub, 0},
    {OP(F64X2_MUL), K_FBIN, F64X2, LLVMFMul, 0},
    {OP(F64X2_DIV), K_FBIN, F64X2, LLVMFDiv, 0},

    {OP(I8X16_ADD_SAT_S), K_BIN_INTR, I8X16, 0, "llvm.sadd.sat"},
    {OP(I8X16_ADD_SAT_U), K_BIN_INTR, I8X16, 0, "llvm.uadd.sat"},
    {OP(I8X16_SUB_SAT_S), K_BIN_INTR, I8X16, 0, "llvm.ssub.sat"},
    {OP(I8X16_SUB_SAT_U), K_BIN_INTR, I8X16, 0, "llvm.usub.sat"},
    {OP(I16X8_ADD_SAT_S), K_BIN_INTR, I16X8, 0, "llvm.sadd.sat"},
    {OP(I16X8_ADD_SAT_U), K_BIN_INTR, I16X8, 0, "llvm.uadd.sat"},
    {OP(I16X8_SUB_SAT_S), K_BIN_INTR, I16X8, 0, "llvm.ssub.sat"},
    {OP(I16X8_SUB_SAT_U), K_BIN_INTR, I16X8, 0, "llvm.usub.sat"},
    {OP(I8X16_MIN_S), K_BIN_INTR, I8X16, 0, "llvm.smin"},
    {OP(I8X16_MIN_U), K_BIN_INTR, I8X16, 0, "llvm.umin"},
    {OP(I8X16_MAX_S), K_BIN_INTR, I8X16, 0, "llvm.smax"},
    {OP(I8X16_MAX_U), K_BIN_INTR, I8X16, 0, "llvm.umax"},
    {OP(I16X8_MIN_S), K_BIN_INTR, I16X8, 0, "llvm.smin"},
    {OP(I16X8_MIN_U), K_BIN_INTR, I16X8, 0, "llvm.umin"},
    {OP(I16X8_MAX_S), K_BIN_INTR, I16X8, 0, "llvm.smax"},
    {OP(I16X8_MAX_U), K_BIN_INTR, I16X8, 0, "llvm.umax"},
    {OP(I32X4_MIN_S), K_BIN_INTR, I32X4, 0, "llvm.smin"},
    {OP(I32X4_MIN_U), K_BIN_INTR, I32X4, 0, "llvm.umin"},
    {OP(I32X4_MAX_S), K_BIN_INTR, I32X4, 0, "llvm.smax"},
    {OP(I32X4_MAX_U), K_BIN_INTR, I32X4, 0, "llvm.umax"},
    {OP(F32X4_MIN), K_FMINMAX, F32X4, 0, "llvm.minimum"},
    {OP(F32X4_MAX), K_FMINMAX, F32X4, 0, "llvm.maximum"},
    {OP(F64X2_MIN), K_FMINMAX, F64X2, 0, "llvm.minimum"},
    {OP(F64X2_MAX), K_FMINMAX, F64X2, 0, "llvm.maximum"},

    {OP(I8X16_POPCNT), K_UN_INTR, I8X16, 0, "llvm.ctpop"},
    {OP(F32X4_ABS), K_UN_INTR, F32X4, 0, "llvm.fabs"},
    {OP(F32X4_SQRT), K_UN_INTR, F32X4, 0, "llvm.sqrt"},
    {OP(F32X4_CEIL), K_ROUND, F32X4, 0, "llvm.ceil"},
    {OP(F32X4_FLOOR), K_ROUND, F32X4, 0, "llvm.floor"},
    {OP(F32X4_TRUNC), K_ROUND, F32X4, 0, "llvm.trunc"},
    {OP(F32X4_NEAREST), K_ROUND, F32X4, 0, "llvm.roundeven"},
    {OP(F64X2_ABS), K_UN_INTR, F64X2, 0, "llvm.fabs"},
    {OP(F64X2_SQRT), K_UN_INTR, F64X2, 0, "llvm.sqrt"},
    {OP(F64X2_CEIL), K_ROUND, F64X2, 0, "llvm.ceil"},
    {OP(F64X2_FLOOR), K_ROUND, F64X2, 0, "llvm.floor"},
    {OP(F64X2_TRUNC), K_ROUND, F64X2, 0, "llvm.trunc"},
    {OP(F64X2_NEAREST), K_ROUND, F64X2, 0, "llvm.roundeven"},

    {OP(I8X16_NEG), K_INEG, I8X16, 0, 0},
    {OP(I16X8_NEG), K_INEG, I16X8, 0, 0},
    {OP(I32X4_NEG), K_INEG, I32X4, 0, 0},
    {OP(I64X2_NEG), K_INEG, I64X2, 0, 0},
    {OP(F32X4_NEG), K_FNEG, F32X4, 0, 0},
    {OP(F64X2_NEG), K_FNEG, F64X2, 0, 0},
    {OP(I8X16_ABS), K_IABS, I8X16, 0, 0},
    {OP(I16X8_ABS), K_IABS, I16X8, 0, 0},
    {OP(I32X4_ABS), K_IABS, I32X4, 0, 0},
    {OP(I64X2_ABS), K_IABS, I64X2, 0, 0},

    {OP(I8X16_EQ), K_ICMP, I8X16, LLVMIntEQ, 0},
    {OP(I8X16_NE), K_ICMP, I8X16, LLVMIntNE, 0},
    {OP(I8X16_LT_S), K_ICMP, I8X16, LLVMIntSLT, 0},
    {OP(I8X16_LT_U), K_ICMP, I8X16, LLVMIntULT, 0},
    {OP(I8X16_GT_S), K_ICMP, I8X16, LLVMIntSGT, 0},
    {OP(I8X16_GT_U), K_ICMP, I8X16, LLVMIntUGT, 0},
    {OP(I8X16_LE_S), K_ICMP, I8X16, LLVMIntSLE, 0},
    {OP(I8X16_LE_U), K_ICMP, I8X16, LLVMIntULE, 0},
    {OP(I8X16_GE_S), K_ICMP, I8X16, LLVMIntSGE, 0},
    {OP(I8X16_GE_U), K_ICMP, I8X16, LLVMIntUGE, 0},
    {OP(I16X8_EQ), K_ICMP, I16X8, LLVMIntEQ, 0},
    {OP(I16X8_NE), K_ICMP, I16X8, LLVMIntNE, 0},
    {OP(I16X8_LT_S), K_ICMP, I16X8, LLVMIntSLT, 0},
    {OP(I16X8_LT_U), K_ICMP, I16X8, LLVMIntULT, 0},
    {OP(I16X8_GT_S), K_ICMP, I16X8, LLVMIntSGT, 0},
    {OP(I16X8_GT_U), K_ICMP, I16X8, LLVMIntUGT, 0},
    {OP(I16X8_LE_S), K_ICMP, I16X8, LLVMIntSLE, 0},
    {OP(I16X8_LE_U), K_ICMP, I16X8, LLVMIntULE, 0},
    {OP(I16X8_GE_S), K_ICMP, I16X8, LLVMIntSGE, 0},
    {OP(I16X8_GE_U), K_ICMP, I16X8, LLVMIntUGE, 0},
    {OP(I32X4_EQ), K_ICMP, I32X4, LLVMIntEQ, 0},
    {OP(I32X4_NE), K_ICMP, I32X4, LLVMIntNE, 0},
    {OP(I32X4_LT_S), K_ICMP, I32X4, LLVMIntSLT, 0},
    {OP(I32X4_LT_U), K_ICMP, I32X4, LLVMIntULT, 0},
    {OP(I32X4_GT_S), K_ICMP, I32X4, LLVMIntSGT, 0},
    {OP(I32X4_GT_U), K_ICMP, I32X4, LLVMIntUGT, 0},
    {OP(I32X4_LE_S), K_ICMP, I32X4, LLVMIntSLE, 0},
    {OP(I32X4_LE_U), K_ICMP, I32X4, LLVMIntULE, 0},
    {OP(I32X4_GE_S), K_ICMP, I32X4, LLVMIntSGE, 0},
    {OP(I32X4_GE_U), K_ICMP, I32X4, LLVMIntUGE, 0},
    {OP(I64X2_EQ), K_ICMP, I64X2, LLVMIntEQ, 0},
    {OP(I64X2_NE), K_ICMP, I64X2, LLVMIntNE, 0},
    {OP(I64X2_LT_S), K_ICMP, I64X2, LLVMIntSLT, 0},
    {OP(I64X2_GT_S), K_ICMP, I64X2, LLVMIntSGT, 0},
    {OP(I64X2_LE_S), K_ICMP, I64X2, LLVMIntSLE, 0},
    {OP(I64X2_GE_S), K_ICMP, I64X2, LLVMIntSGE, 0},
    /* ne is unordered (true on NaN), the others ordered. */
    {OP(F32X4_EQ), K_FCMP, F32X4, LLVMRealOEQ, 0},
    {OP(F32X4_NE), K_FCMP, F32X4, LLVMRealUNE, 0},
    {OP(F32X4_LT), K_FCMP, F32X4, LLVMRealOLT, 0},
    {OP(F32X4_GT), K_FCMP, F32X4, LLVMRealOGT, 0},
    {OP(F32X4_LE), K_FCMP, F32X4, LLVMRealOLE, 0},
    {OP(F32X4_GE), K_FCMP, F32X4, LLVMRealOGE, 0},
    {OP(F64X2_EQ), K_FCMP, F64X2, LLVMRealOEQ, 0},
    {OP(F64X2_NE), K_FCMP, F64X2, LLVMRealUNE, 0},
    {OP(F64X2_LT), K_FCMP, F64X2, LLVMRealOLT, 0},
    {OP(F64X2_GT), K_FCMP, F64X2, LLVMRealOGT, 0},
    {OP(F64X2_LE), K_FCMP, F64X2, LLVMRealOLE, 0},
    {OP(F64X2_GE), K_FCMP, F64X2, LLVMRealOGE, 0},

    {OP(I8X16_SHL), K_SHIFT, I8X16, LLVMShl, 0},
    {OP(I8X16_SHR_S), K_SHIFT, I8X16, LLVMAShr, 0},
    {OP(I8X16_SHR_U), K_SHIFT, I8X16, LLVMLShr, 0},
    {OP(I16X8_SHL), K_SHIFT, I16X8, LLVMShl, 0},
    {OP(I16X8_SHR_S), K_SHIFT, I16X8, LLVMAShr, 0},
    {OP(I16X8_SHR_U), K_SHIFT, I16X8, LLVMLShr, 0},
    {OP(I32X4_SHL), K_SHIFT, I32X4, LLVMShl, 0},
    {OP(I32X4_SHR_S), K_SHIFT, I32X4, LLVMAShr, 0},
    {OP(I32X4_SHR_U), K_SHIFT, I32X4, LLVMLShr, 0},
    {OP(I64X2_SHL), K_SHIFT, I64X2, LLVMShl, 0},
    {OP(I64X2_SHR_S), K_SHIFT, I64X2, LLVMAShr, 0},
    {OP(I64X2_SHR_U), K_SHIFT, I64X2, LLVMLShr, 0},

    {OP(I8X16_SPLAT), K_SPLAT, I8X16, 0, 0},
    {OP(I16X8_SPLAT), K_SPLAT, I16X8, 0, 0},
    {OP(I32X4_SPLAT), K_SPLAT, I32X4, 0, 0},
    {OP(I64X2_SPLAT), K_SPLAT, I64X2, 0, 0},
    {OP(F32X4_SPLAT), K_SPLAT, F32X4, 0, 0},
    {OP(F64X2_SPLAT), K_SPLAT, F64X2, 0, 0},
    {OP(I8X16_EXTRACT_LANE_S), K_EXTRACT, I8X16, 1, 0},
    {OP(I8X16_EXTRACT_LANE_U), K_EXTRACT, I8X16, 2, 0},
    {OP(I16X8_EXTRACT_LANE_S), K_EXTRACT, I16X8, 1, 0},
    {OP(I16X8_EXTRACT_LANE_U), K_EXTRACT, I16X8, 2, 0},
    {OP(I32X4_EXTRACT_LANE), K_EXTRACT, I32X4, 0, 0},
    {OP(I64X2_EXTRACT_LANE), K_EXTRACT, I64X2, 0, 0},
    {OP(F32X4_EXTRACT_LANE), K_EXTRACT, F32X4, 0, 0},
    {OP(F64X2_EXTRACT_LANE), K_EXTRACT, F64X2, 0, 0},
    {OP(I8X16_REPLACE_LANE), K_REPLACE, I8X16, 0, 0},
    {OP(I16X8_REPLACE_LANE), K_REPLACE, I16X8, 0, 0},
    {OP(I32X4_REPLACE_LANE), K_REPLACE, I32X4, 0, 0},
    {OP(I64X2_REPLACE_LANE), K_REPLACE, I64X2, 0, 0},
    {OP(F32X4_REPLACE_LANE), K_REPLACE, F32X4, 0, 0},
    {OP(F64X2_REPLACE_LANE), K_REPLACE, F64X2, 0, 0},

    {OP(I8X16_ALL_TRUE), K_ALL_TRUE, I8X16, 0, 0},
    {OP(I16X8_ALL_TRUE), K_ALL_TRUE, I16X8, 0, 0},
    {OP(I32X4_ALL_TRUE), K_ALL_TRUE, I32X4, 0, 0},
    {OP(I64X2_ALL_TRUE), K_ALL_TRUE, I64X2, 0, 0},
    {OP(I8X16_BITMASK), K_BITMASK, I8X16, 0, 0},
    {OP(I16X8_BITMASK), K_BITMASK, I16X8, 0, 0},
    {OP(I32X4_BITMASK), K_BITMASK, I32X4, 0, 0},
    {OP(I64X2_BITMASK), K_BITMASK, I64X2, 0, 0},

    {OP(I16X8_EXTEND_LOW_I8X16_S), K_EXTEND, I8X16, 0, 0},
    {OP(I16X8_EXTEND_HIGH_I8X16_S), K_EXTEND, I8X16, 1, 0},
    {OP(I16X8_EXTEND_LOW_I8X16_U), K_EXTEND, I8X16, 2, 0},
    {OP(I16X8_EXTEND_HIGH_I8X16_U), K_EXTEND, I8X16, 3, 0},
    {OP(I32X4_EXTEND_LOW_I16X8_S), K_EXTEND, I16X8, 0, 0},
    {OP(I32X4_EXTEND_HIGH_I16X8_S), K_EXTEND, I16X8, 1, 0},
    {OP(I32X4_EXTEND_LOW_I16X8_U), K_EXTEND, I16X8, 2, 0},
    {OP(I32X4_EXTEND_HIGH_I16X8_U), K_EXTEND, I16X8, 3, 0},
    {OP(I64X2_EXTEND_LOW_I32X4_S), K_EXTEND, I32X4, 0, 0},
    {OP(I64X2_EXTEND_HIGH_I32X4_S), K_EXTEND, I32X4, 1, 0},
    {OP(I64X2_EXTEND_LOW_I32X4_U), K_EXTEND, I32X4, 2, 0},
    {OP(I64X2_EXTEND_HIGH_I32X4_U), K_EXTEND, I32X4, 3, 0},
    {OP(I16X8_EXTMUL_LOW_I8X16_S), K_EXTMUL, I8X16, 0, 0},
    {OP(I16X8_EXTMUL_HIGH_I8X16_S), K_EXTMUL, I8X16, 1, 0},
    {OP(I16X8_EXTMUL_LOW_I8X16_U), K_EXTMUL, I8X16, 2, 0},
    {OP(I16X8_EXTMUL_HIGH_I8X16_U), K_EXTMUL, I8X16, 3, 0},
    {OP(I32X4_EXTMUL_LOW_I16X8_S), K_EXTMUL, I16X8, 0, 0},
    {OP(I32X4_EXTMUL_HIGH_I16X8_S), K_EXTMUL, I16X8, 1, 0},
    {OP(I32X4_EXTMUL_LOW_I16X8_U), K_EXTMUL, I16X8, 2, 0},
    {OP(I32X4_EXTMUL_HIGH_I16X8_U), K_EXTMUL, I16X8, 3, 0},
    {OP(I64X2_EXTMUL_LOW_I32X4_S), K_EXTMUL, I32X4, 0, 0},
    {OP(I64X2_EXTMUL_HIGH_I32X4_S), K_EXTMUL, I32X4, 1, 0},
    {OP(I64X2_EXTMUL_LOW_I32X4_U), K_EXTMUL, I32X4, 2, 0},
    {OP(I64X2_EXTMUL_HIGH_I32X4_U), K_EXTMUL, I32X4, 3, 0},
    {OP(I16X8_EXTADD_PAIRWISE_I8X16_S), K_EXTADD, I8X16, 0, 0},
    {OP(I16X8_EXTADD_PAIRWISE_I8X16_U), K_EXTADD, I8X16, 2, 0},
    {OP(I32X4_EXTADD_PAIRWISE_I16X8_S), K_EXTADD, I16X8, 0, 0},
    {OP(I32X4_EXTADD_PAIRWISE_I16X8_U), K_EXTADD, I16X8, 2, 0},
    {OP(I8X16_NARROW_I16X8_S), K_NARROW, I16X8, 0, 0},
    {OP(I8X16_NARROW_I16X8_U), K_NARROW, I16X8, 2, 0},
    {OP(I16X8_NARROW_I32X4_S), K_NARROW, I32X4, 0, 0},
    {OP(I16X8_NARROW_I32X4_U), K_NARROW, I32X4, 2, 0},
    {OP(I8X16_AVGR_U), K_AVGR, I8X16, 0, 0},
    {OP(I16X8_AVGR_U), K_AVGR, I16X8, 0, 0},
};
#undef OP

static const simd_op *find_op(uint32_t op) {
    for (size_t i = 0; i < sizeof simd_ops / sizeof simd_ops[0]; i++)
        if (simd_ops[i].op == op)
            return &simd_ops[i];
    return NULL;
}

/* The shape with lanes twice as wide and half as many. */
static shape wider(shape s) { return s == I8X16 ? I16X8 : s == I16X8 ? I32X4 : I64X2; }

/* Extend half of a vector (high or low) to the wider shape. */
static LLVMValueRef extend_half(w2n_lower_func *f, LLVMValueRef v, shape s, bool high,
                                bool is_unsigned) {
    unsigned half = shape_lanes[s] / 2;
    LLVMValueRef part = shuffle_seq(f, v, NULL, high ? half : 0, 1, half);
    LLVMTypeRef to = vec_type(f->lm, wider(s));
    return is_unsigned ? LLVMBuildZExt(f->b, part, to, "") : LLVMBuildSExt(f->b, part, to, "");
}

static void lower_binary_kind(w2n_lower_func *f, const simd_op *d) {
    shape s = d->shape;
    LLVMValueRef y = pop_as(f, s);
    LLVMValueRef x = pop_as(f, s);
    LLVMValueRef r;
    switch (d->kind) {
    case K_BIN: r = LLVMBuildBinOp(f->b, d->arg, x, y, ""); break;
    case K_FBIN:
        r = LLVMBuildBinOp(f->b, d->arg, x, y, "");
        if (has_identity_lane(x) || has_identity_lane(y))
            r = quiet_nan(f, r);
        break;
    case K_BIN_INTR: r = call2(f, d->name, x, y); break;
    case K_FMINMAX:
        r = quiet_where(f, LLVMBuildFCmp(f->b, LLVMRealUNO, x, y, ""), call2(f, d->name, x, y));
        break;
    case K_ICMP:
        r = LLVMBuildSExt(f->b, LLVMBuildICmp(f->b, d->arg, x, y, ""), vec_type(f->lm, s), "");
        break;
    case K_FCMP:
        r = LLVMBuildSExt(f->b, LLVMBuildFCmp(f->b, d->arg, x, y, ""),
                          vec_type(f->lm, int_shape(s)), "");
        break;
    case K_EXTMUL: {
        bool high = d->arg & 1, uns = d->arg & 2;
        r = LLVMBuildMul(f->b, extend_half(f, x, s, high, uns), extend_half(f, y, s, high, uns),
                         "");
        break;
    }
    case K_NARROW: {
        /* Saturate the concatenated signed lanes to the narrow range, then truncate. */
        shape n = s == I16X8 ? I8X16 : I16X8;
        unsigned bits = s == I16X8 ? 8 : 16;
        LLVMValueRef both = shuffle_seq(f, x, y, 0, 1, 2 * shape_lanes[s]);
        LLVMTypeRef lt = lane_type(f->lm, s);
        unsigned count = 2 * shape_lanes[s];
        int64_t lo = (d->arg & 2) ? 0 : -((int64_t)1 << (bits - 1));
        int64_t hi = (d->arg & 2) ? ((int64_t)1 << bits) - 1 : ((int64_t)1 << (bits - 1)) - 1;
        both = call2(f, "llvm.smax", both, splat_int(lt, (uint64_t)lo, count));
        both = call2(f, "llvm.smin", both, splat_int(lt, (uint64_t)hi, count));
        r = LLVMBuildTrunc(f->b, both, vec_type(f->lm, n), "");
        break;
    }
    case K_AVGR: {
        /* (x + y + 1) >> 1 computed without overflow in wider lanes. */
        LLVMTypeRef wt = LLVMVectorType(lane_type(f->lm, wider(s)), shape_lanes[s]);
        LLVMValueRef one = splat_int(lane_type(f->lm, wider(s)), 1, shape_lanes[s]);
        LLVMValueRef sum =
            LLVMBuildAdd(f->b, LLVMBuildZExt(f->b, x, wt, ""), LLVMBuildZExt(f->b, y, wt, ""), "");
        sum = LLVMBuildLShr(f->b, LLVMBuildAdd(f->b, sum, one, ""), one, "");
        r = LLVMBuildTrunc(f->b, sum, vec_type(f->lm, s), "");
        break;
    }
    default: r = NULL; break;
    }
    push_v128(f, r);
}

/* all_true, bitmask: results are i32. */
static void lower_reduce(w2n_lower_func *f, const simd_op *d) {
    shape s = d->shape;
    unsigned n = shape_lanes[s];
    LLVMValueRef x = pop_as(f, s);
    LLVMValueRef zero = LLVMConstNull(vec_type(f->lm, s));
    LLVMTypeRef in_t = LLVMIntTypeInContext(f->lm->ctx, n);
    LLVMValueRef r;
    if (d->kind == K_ALL_TRUE) {
        LLVMValueRef bits =
            LLVMBuildBitCast(f->b, LLVMBuildICmp(f->b, LLVMIntNE, x, zero, ""), in_t, "");
        r = LLVMBuildICmp(f->b, LLVMIntEQ, bits, LLVMConstAllOnes(in_t), "");
    } else {
        r = LLVMBuildBitCast(f->b, LLVMBuildICmp(f->b, LLVMIntSLT, x, zero, ""), in_t, "");
    }
    w2n_lower_push(f, LLVMBuildZExt(f->b, r, f->lm->t_i32, ""));
}

static void lower_unary_kind(w2n_lower_func *f, const simd_op *d) {
    shape s = d->shape;
    LLVMValueRef x = pop_as(f, s);
    LLVMValueRef r;
    switch (d->kind) {
    case K_UN_INTR: r = call1(f, d->name, x); break;
    case K_ROUND: r = quiet_nan(f, call1(f, d->name, x)); break;
    case K_INEG: r = LLVMBuildNeg(f->b, x, ""); break;
    case K_FNEG: r = LLVMBuildFNeg(f->b, x, ""); break;
    case K_IABS: {
        /* abs(INT_MIN) is INT_MIN: is_int_min_poison = false. */
        LLVMTypeRef t = LLVMTypeOf(x);
        LLVMValueRef args[2] = {x, LLVMConstInt(f->lm->t_i1, 0, false)};
        r = w2n_lower_intrinsic(f, "llvm.abs", &t, 1, args, 2);
        break;
    }
    case K_EXTEND: r = extend_half(f, x, s, d->arg & 1, d->arg & 2); break;
    case K_EXTADD: {
        unsigned half = shape_lanes[s] / 2;
        LLVMTypeRef to = vec_type(f->lm, wider(s));
        LLVMValueRef even = shuffle_seq(f, x, NULL, 0, 2, half);
        LLVMValueRef odd = shuffle_seq(f, x, NULL, 1, 2, half);
        if (d->arg & 2) {
            even = LLVMBuildZExt(f->b, even, to, "");
            odd = LLVMBuildZExt(f->b, odd, to, "");
        } else {
            even = LLVMBuildSExt(f->b, even, to, "");
            odd = LLVMBuildSExt(f->b, odd, to, "");
        }
        r = LLVMBuildAdd(f->b, even, odd, "");
        break;
    }
    default: r = NULL; break;
    }
    push_v128(f, r);
}

/* Shifts: the i32 count is taken modulo the lane width and splat. */
static void lower_shift(w2n_lower_func *f, const simd_op *d) {
    shape s = d->shape;
    LLVMTypeRef lt = lane_type(f->lm, s);
    unsigned bits = LLVMGetIntTypeWidth(lt);
    LLVMValueRef count = w2n_lower_pop(f);
    LLVMValueRef x = pop_as(f, s);
    count = LLVMBuildAnd(f->b, count, i32_const(f, bits - 1), "");
    count = LLVMBuildZExtOrBitCast(
        f->b, LLVMBuildTruncOrBitCast(f->b, count, bits < 32 ? lt : f->lm->t_i32, ""), lt, "");
    push_v128(f, LLVMBuildBinOp(f->b, d->arg, x, splat_value(f, count, shape_lanes[s]), ""));
}

/* Scalar of a lane type from its Wasm operand (i8/i16 lanes come from i32). */
static LLVMValueRef lane_scalar(w2n_lower_func *f, shape s, LLVMValueRef x) {
    if (s == I8X16 || s == I16X8)
        return LLVMBuildTrunc(f->b, x, lane_type(f->lm, s), "");
    return x;
}

static void lower_lane_kind(w2n_lower_func *f, const simd_op *d, const w2n_instr *in) {
    shape s = d->shape;
    if (d->kind == K_SPLAT) {
        LLVMValueRef x = lane_scalar(f, s, w2n_lower_pop(f));
        push_v128(f, splat_value(f, x, shape_lanes[s]));
    } else if (d->kind == K_EXTRACT) {
        LLVMValueRef v = pop_as(f, s);
        LLVMValueRef x = LLVMBuildExtractElement(f->b, v, i32_const(f, in->lane), "");
        if (d->arg == 1)
            x = LLVMBuildSExt(f->b, x, f->lm->t_i32, "");
        else if (d->arg == 2)
            x = LLVMBuildZExt(f->b, x, f->lm->t_i32, "");
        w2n_lower_push(f, x);
    } else {
        LLVMValueRef x = lane_scalar(f, s, w2n_lower_pop(f));
        LLVMValueRef v = pop_as(f, s);
        push_v128(f, LLVMBuildInsertElement(f->b, v, x, i32_const(f, in->lane), ""));
    }
}

/* ---- instructions of their own -------------------------------------------------- */

/* swizzle: lanes of a picked by the indices in s; an index >= 16 gives 0.
 * There is no generic variable shuffle, so each lane is an extractelement
 * with a masked index (in range by construction), then one select. */
static void lower_swizzle(w2n_lower_func *f) {
    w2n_lower_module *lm = f->lm;
    LLVMValueRef s = pop_as(f, I8X16);
    LLVMValueRef a = pop_as(f, I8X16);
    LLVMValueRef idx = LLVMBuildAnd(f->b, s, splat_int(lm->t_i8, 15, 16), "");
    LLVMValueRef r = LLVMGetPoison(lm->t_v128);
    for (unsigned i = 0; i < 16; i++) {
        LLVMValueRef k = LLVMBuildExtractElement(f->b, idx, i32_const(f, i), "");
        LLVMValueRef lane = LLVMBuildExtractElement(f->b, a, k, "");
        r = LLVMBuildInsertElement(f->b, r, lane, i32_const(f, i), "");
    }
    LLVMValueRef in_range = LLVMBuildICmp(f->b, LLVMIntULT, s, splat_int(lm->t_i8, 16, 16), "");
    push_v128(f, LLVMBuildSelect(f->b, in_range, r, LLVMConstNull(lm->t_v128), ""));
}

static void lower_shuffle(w2n_lower_func *f, const w2n_instr *in) {
    LLVMValueRef b = pop_as(f, I8X16);
    LLVMValueRef a = pop_as(f, I8X16);
    LLVMValueRef mask[16];
    for (unsigned i = 0; i < 16; i++)
        mask[i] = i32_const(f, in->imm.v128[i] & 31); /* validated < 32 */
    push_v128(f, LLVMBuildShuffleVector(f->b, a, b, LLVMConstVector(mask, 16), ""));
}

static void lower_const(w2n_lower_func *f, const w2n_instr *in) {
    LLVMValueRef bytes[16];
    for (unsigned i = 0; i < 16; i++)
        bytes[i] = LLVMConstInt(f->lm->t_i8, in->imm.v128[i], false);
    w2n_lower_push(f, LLVMConstVector(bytes, 16));
}

static void lower_bitwise(w2n_lower_func *f, uint32_t op) {
    LLVMValueRef ones = LLVMConstAllOnes(vec_type(f->lm, I64X2));
    if (op == W2N_OP_V128_NOT) {
        push_v128(f, LLVMBuildXor(f->b, pop_as(f, I64X2), ones, ""));
    } else if (op == W2N_OP_V128_ANDNOT) {
        LLVMValueRef y = pop_as(f, I64X2);
        LLVMValueRef x = pop_as(f, I64X2);
        push_v128(f, LLVMBuildAnd(f->b, x, LLVMBuildXor(f->b, y, ones, ""), ""));
    } else if (op == W2N_OP_V128_BITSELECT) {
        LLVMValueRef c = pop_as(f, I64X2);
        LLVMValueRef v2 = pop_as(f, I64X2);
        LLVMValueRef v1 = pop_as(f, I64X2);
        LLVMValueRef t = LLVMBuildAnd(f->b, v1, c, "");
        LLVMValueRef e = LLVMBuildAnd(f->b, v2, LLVMBuildXor(f->b, c, ones, ""), "");
        push_v128(f, LLVMBuildOr(f->b, t, e, ""));
    } else {
        /* any_true: an or-reduction stays in vector registers everywhere
         * (an i128 compare of a loaded value became byte loads on RISC-V). */
        LLVMValueRef any = call1(f, "llvm.vector.reduce.or", pop_as(f, I64X2));
        LLVMValueRef nz = LLVMBuildICmp(f->b, LLVMIntNE, any, LLVMConstNull(f->lm->t_i64), "");
        w2n_lower_push(f, LLVMBuildZExt(f->b, nz, f->lm->t_i32, ""));
    }
}

/* pmin(a, b) = b < a ? b : a;  pmax(a, b) = a < b ? b : a (the spec's own). */
static void lower_pminmax(w2n_lower_func *f, shape s, bool is_max) {
    LLVMValueRef b = pop_as(f, s);
    LLVMValueRef a = pop_as(f, s);
    LLVMValueRef lt = is_max ? LLVMBuildFCmp(f->b, LLVMRealOLT, a, b, "")
                             : LLVMBuildFCmp(f->b, LLVMRealOLT, b, a, "");
    push_v128(f, LLVMBuildSelect(f->b, lt, b, a, ""));
}

static void lower_q15mulr(w2n_lower_func *f) {
    w2n_lower_module *lm = f->lm;
    LLVMValueRef y = pop_as(f, I16X8);
    LLVMValueRef x = pop_as(f, I16X8);
    LLVMValueRef p = widening_mul_i32(f, x, y);
    p = LLVMBuildAdd(f->b, p, splat_int(lm->t_i32, 0x4000, 8), "");
    p = LLVMBuildAShr(f->b, p, splat_int(lm->t_i32, 15, 8), "");
    /* Only -32768 * -32768 overflows, to 32768. */
    p = call2(f, "llvm.smin", p, splat_int(lm->t_i32, 0x7fff, 8));
    push_v128(f, LLVMBuildTrunc(f->b, p, vec_type(lm, I16X8), ""));
}

static void lower_dot(w2n_lower_func *f) {
    LLVMValueRef y = pop_as(f, I16X8);
    LLVMValueRef x = pop_as(f, I16X8);
    LLVMValueRef p = widening_mul_i32(f, x, y);
    LLVMValueRef even = shuffle_seq(f, p, NULL, 0, 2, 4);
    LLVMValueRef odd = shuffle_seq(f, p, NULL, 1, 2, 4);
    push_v128(f, LLVMBuildAdd(f->b, even, odd, "")); /* wraps for 2 * (-32768)^2 */
}

/* The first two lanes of a, followed by two zero lanes. */
static LLVMValueRef concat_zero(w2n_lower_func *f, LLVMValueRef two) {
    return shuffle_seq(f, two, LLVMConstNull(LLVMTypeOf(two)), 0, 1, 4);
}

static bool lower_conversion(w2n_lower_func *f, uint32_t op) {
    w2n_lower_module *lm = f->lm;
    LLVMTypeRef v4i32 = vec_type(lm, I32X4), v2i32 = LLVMVectorType(lm->t_i32, 2);
    LLVMTypeRef v4f32 = vec_type(lm, F32X4), v2f64 = vec_type(lm, F64X2);
    LLVMValueRef x, r;
    switch (op) {
    case W2N_OP_I32X4_TRUNC_SAT_F32X4_S:
    case W2N_OP_I32X4_TRUNC_SAT_F32X4_U: {
        x = pop_as(f, F32X4);
        LLVMTypeRef ts[2] = {v4i32, v4f32};
        r = w2n_lower_intrinsic(
            f, op == W2N_OP_I32X4_TRUNC_SAT_F32X4_S ? "llvm.fptosi.sat" : "llvm.fptoui.sat", ts, 2,
            &x, 1);
        break;
    }
    case W2N_OP_I32X4_TRUNC_SAT_F64X2_S_ZERO:
    case W2N_OP_I32X4_TRUNC_SAT_F64X2_U_ZERO: {
        x = pop_as(f, F64X2);
        LLVMTypeRef ts[2] = {v2i32, v2f64};
        r = w2n_lower_intrinsic(
            f, op == W2N_OP_I32X4_TRUNC_SAT_F64X2_S_ZERO ? "llvm.fptosi.sat" : "llvm.fptoui.sat",
            ts, 2, &x, 1);
        r = concat_zero(f, r);
        break;
    }
    case W2N_OP_F32X4_CONVERT_I32X4_S:
        r = LLVMBuildSIToFP(f->b, pop_as(f, I32X4), v4f32, "");
        break;
    case W2N_OP_F32X4_CONVERT_I32X4_U:
        r = LLVMBuildUIToFP(f->b, pop_as(f, I32X4), v4f32, "");
        break;
    case W2N_OP_F64X2_CONVERT_LOW_I32X4_S:
    case W2N_OP_F64X2_CONVERT_LOW_I32X4_U:
        x = shuffle_seq(f, pop_as(f, I32X4), NULL, 0, 1, 2);
        r = op == W2N_OP_F64X2_CONVERT_LOW_I32X4_S ? LLVMBuildSIToFP(f->b, x, v2f64, "")
                                                   : LLVMBuildUIToFP(f->b, x, v2f64, "");
        break;
    case W2N_OP_F32X4_DEMOTE_F64X2_ZERO:
        /* fptrunc(fpext x) folds to x, which could keep a signalling NaN. */
        r = LLVMBuildFPTrunc(f->b, pop_as(f, F64X2), LLVMVectorType(lm->t_f32, 2), "");
        r = concat_zero(f, quiet_nan(f, r));
        break;
    case W2N_OP_F64X2_PROMOTE_LOW_F32X4:
        x = shuffle_seq(f, pop_as(f, F32X4), NULL, 0, 1, 2);
        r = LLVMBuildFPExt(f->b, x, v2f64, "");
        break;
    default: return false;
    }
    push_v128(f, r);
    return true;
}

/* ---- for the other v128 lowering files (lower_simd.h) ------------------------------ */

LLVMTypeRef w2n_simd_vec_type(w2n_lower_module *lm, shape s) { return vec_type(lm, s); }

LLVMValueRef w2n_simd_pop_as(w2n_lower_func *f, shape s) { return pop_as(f, s); }

void w2n_simd_push(w2n_lower_func *f, LLVMValueRef v) { push_v128(f, v); }

LLVMValueRef w2n_simd_shuffle_seq(w2n_lower_func *f, LLVMValueRef a, LLVMValueRef b, unsigned first,
                                  unsigned step, unsigned count) {
    return shuffle_seq(f, a, b, first, step, count);
}

LLVMValueRef w2n_simd_splat_const(LLVMValueRef c, unsigned n) { return splat_const(c, n); }

LLVMValueRef w2n_simd_quiet_nan(w2n_lower_func *f, LLVMValueRef r) { return quiet_nan(f, r); }

bool w2n_lower_simd(w2n_lower_func *f, const w2n_instr *in) {
    const simd_op *d = find_op(in->op);
    if (d) {
        switch (d->kind) {
        case K_BIN:
        case K_FBIN:
        case K_BIN_INTR:
        case K_FMINMAX:
        case K_ICMP:
        case K_FCMP:
        case K_EXTMUL:
        case K_NARROW:
        case K_AVGR: lower_binary_kind(f, d); break;
        case K_UN_INTR:
        case K_ROUND:
        case K_INEG:
        case K_FNEG:
        case K_IABS:
        case K_EXTEND:
        case K_EXTADD: lower_unary_kind(f, d); break;
        case K_SHIFT: lower_shift(f, d); break;
        case K_SPLAT:
        case K_EXTRACT:
        case K_REPLACE: lower_lane_kind(f, d, in); break;
        case K_ALL_TRUE:
        case K_BITMASK: lower_reduce(f, d); break;
        default: return false;
        }
        return true;
    }
    switch (in->op) {
    case W2N_OP_V128_CONST: lower_const(f, in); return true;
    case W2N_OP_I8X16_SHUFFLE: lower_shuffle(f, in); return true;
    case W2N_OP_I8X16_SWIZZLE: lower_swizzle(f); return true;
    case W2N_OP_V128_NOT:
    case W2N_OP_V128_ANDNOT:
    case W2N_OP_V128_BITSELECT:
    case W2N_OP_V128_ANY_TRUE: lower_bitwise(f, in->op); return true;
    case W2N_OP_F32X4_PMIN: lower_pminmax(f, F32X4, false); return true;
    case W2N_OP_F32X4_PMAX: lower_pminmax(f, F32X4, true); return true;
    case W2N_OP_F64X2_PMIN: lower_pminmax(f, F64X2, false); return true;
    case W2N_OP_F64X2_PMAX: lower_pminmax(f, F64X2, true); return true;
    case W2N_OP_I16X8_Q15MULR_SAT_S: lower_q15mulr(f); return true;
    case W2N_OP_I32X4_DOT_I16X8_S: lower_dot(f); return true;
    default: return lower_conversion(f, in->op);
    }
}
