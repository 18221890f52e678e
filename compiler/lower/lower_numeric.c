/*
 * lower_numeric.c — scalar numeric instructions of Wasm 2.0 to LLVM IR.
 *
 * Every lowering here has the exact Wasm semantics on every target: integer
 * division and float-to-int truncation trap where the spec says so and never
 * reach LLVM's undefined behaviour (division by zero, INT_MIN / -1, fptosi
 * out of range); shifts mask their count; floats are IEEE with the default
 * rounding, so no fast-math flag is ever set.  NaN results of arithmetic may
 * be any arithmetic NaN (the spec allows it); abs, neg and copysign are pure
 * sign-bit operations and keep payloads, as the spec requires.
 *
 * Quiet NaNs: LLVM's NaN rules let a signalling NaN operand come back
 * unchanged from some folds and expansions (x - 0 -> x, x * 1 -> x,
 * fptrunc(fpext x) -> x, llvm.minimum on x86, ceil & co. on RISC-V), while
 * Wasm wants an arithmetic (quiet) NaN.  Those few places select the
 * canonical NaN when the result is a NaN; the hardware quiets everywhere else.
 *
 * Operands come from the lead's operand stack (lower.h); the validator has
 * already checked their types.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "float_identity.h"
#include "lower.h"

/* ---- small builders --------------------------------------------------------- */

static LLVMValueRef const_int(LLVMTypeRef t, uint64_t v) { return LLVMConstInt(t, v, false); }

/* A float constant built from its bits, so NaN payloads survive exactly. */
static LLVMValueRef const_float_bits(LLVMTypeRef ft, LLVMTypeRef it, uint64_t bits) {
    return LLVMConstBitCast(LLVMConstInt(it, bits, false), ft);
}

static LLVMValueRef bool_to_i32(w2n_lower_func *f, LLVMValueRef b) {
    return LLVMBuildZExt(f->b, b, f->lm->t_i32, "");
}

static LLVMValueRef unary_intrinsic(w2n_lower_func *f, const char *name, LLVMValueRef x) {
    LLVMTypeRef t = LLVMTypeOf(x);
    return w2n_lower_intrinsic(f, name, &t, 1, &x, 1);
}

static LLVMValueRef binary_intrinsic(w2n_lower_func *f, const char *name, LLVMValueRef x,
                                     LLVMValueRef y) {
    LLVMTypeRef t = LLVMTypeOf(x);
    LLVMValueRef args[2] = {x, y};
    return w2n_lower_intrinsic(f, name, &t, 1, args, 2);
}

/* ---- integers --------------------------------------------------------------- */

static void int_compare(w2n_lower_func *f, LLVMIntPredicate pred) {
    LLVMValueRef y = w2n_lower_pop(f);
    LLVMValueRef x = w2n_lower_pop(f);
    w2n_lower_push(f, bool_to_i32(f, LLVMBuildICmp(f->b, pred, x, y, "")));
}

static void int_eqz(w2n_lower_func *f) {
    LLVMValueRef x = w2n_lower_pop(f);
    LLVMValueRef zero = LLVMConstNull(LLVMTypeOf(x));
    w2n_lower_push(f, bool_to_i32(f, LLVMBuildICmp(f->b, LLVMIntEQ, x, zero, "")));
}

/* clz / ctz with a defined result for zero (the width), popcnt. */
static void int_count(w2n_lower_func *f, const char *name) {
    LLVMValueRef x = w2n_lower_pop(f);
    LLVMTypeRef t = LLVMTypeOf(x);
    if (strcmp(name, "llvm.ctpop") == 0) {
        w2n_lower_push(f, w2n_lower_intrinsic(f, name, &t, 1, &x, 1));
        return;
    }
    LLVMValueRef args[2] = {x, LLVMConstInt(f->lm->t_i1, 0, false)}; /* zero is not poison */
    w2n_lower_push(f, w2n_lower_intrinsic(f, name, &t, 1, args, 2));
}

/* Division and remainder: trap on a zero divisor; div_s also on INT_MIN / -1;
 * rem_s of INT_MIN by -1 is 0, computed without executing the UB srem. */
static void int_divrem(w2n_lower_func *f, LLVMOpcode op) {
    LLVMValueRef y = w2n_lower_pop(f);
    LLVMValueRef x = w2n_lower_pop(f);
    LLVMTypeRef t = LLVMTypeOf(x);
    unsigned width = LLVMGetIntTypeWidth(t);
    LLVMValueRef zero = LLVMConstNull(t);
    LLVMValueRef minus_one = LLVMConstAllOnes(t);

    w2n_lower_trap_if(f, LLVMBuildICmp(f->b, LLVMIntEQ, y, zero, ""), W2N_TRAP_INT_DIV_ZERO);
    if (op == LLVMSDiv) {
        LLVMValueRef int_min = const_int(t, (uint64_t)1 << (width - 1));
        LLVMValueRef ovf = LLVMBuildAnd(f->b, LLVMBuildICmp(f->b, LLVMIntEQ, x, int_min, ""),
                                        LLVMBuildICmp(f->b, LLVMIntEQ, y, minus_one, ""), "");
        w2n_lower_trap_if(f, ovf, W2N_TRAP_INT_OVERFLOW);
    } else if (op == LLVMSRem) {
        /* x rem -1 is 0 for every x; divide by 1 instead so INT_MIN never meets -1. */
        LLVMValueRef is_m1 = LLVMBuildICmp(f->b, LLVMIntEQ, y, minus_one, "");
        y = LLVMBuildSelect(f->b, is_m1, const_int(t, 1), y, "");
    }
    w2n_lower_push(f, LLVMBuildBinOp(f->b, op, x, y, ""));
}

static void int_binary(w2n_lower_func *f, LLVMOpcode op) {
    LLVMValueRef y = w2n_lower_pop(f);
    LLVMValueRef x = w2n_lower_pop(f);
    w2n_lower_push(f, LLVMBuildBinOp(f->b, op, x, y, ""));
}

/* Shifts take their count modulo the width (LLVM would make it poison). */
static void int_shift(w2n_lower_func *f, LLVMOpcode op) {
    LLVMValueRef y = w2n_lower_pop(f);
    LLVMValueRef x = w2n_lower_pop(f);
    LLVMTypeRef t = LLVMTypeOf(x);
    y = LLVMBuildAnd(f->b, y, const_int(t, LLVMGetIntTypeWidth(t) - 1), "");
    w2n_lower_push(f, LLVMBuildBinOp(f->b, op, x, y, ""));
}

/* Rotations are funnel shifts of a value with itself (count taken modulo). */
static void int_rotate(w2n_lower_func *f, const char *name) {
    LLVMValueRef y = w2n_lower_pop(f);
    LLVMValueRef x = w2n_lower_pop(f);
    LLVMTypeRef t = LLVMTypeOf(x);
    LLVMValueRef args[3] = {x, x, y};
    w2n_lower_push(f, w2n_lower_intrinsic(f, name, &t, 1, args, 3));
}

/* extendN_s: sign-extend the low N bits in place. */
static void int_extend_low(w2n_lower_func *f, unsigned bits) {
    LLVMValueRef x = w2n_lower_pop(f);
    LLVMTypeRef t = LLVMTypeOf(x);
    LLVMValueRef low = LLVMBuildTrunc(f->b, x, LLVMIntTypeInContext(f->lm->ctx, bits), "");
    w2n_lower_push(f, LLVMBuildSExt(f->b, low, t, ""));
}

/* ---- floats ----------------------------------------------------------------- */

/* v, or its constant when v is a fresh fence (w2n_lower_unfence). */
static LLVMValueRef unfenced(LLVMValueRef v) {
    LLVMValueRef c = w2n_lower_unfence(v);
    return c ? c : v;
}

static void float_compare(w2n_lower_func *f, LLVMRealPredicate pred) {
    /* A comparison yields no float, so no fold of it keeps a NaN's bits. */
    LLVMValueRef y = unfenced(w2n_lower_pop(f));
    LLVMValueRef x = unfenced(w2n_lower_pop(f));
    w2n_lower_push(f, bool_to_i32(f, LLVMBuildFCmp(f->b, pred, x, y, "")));
}

/* The canonical NaN of a float type (positive, quiet, zero payload). */
static LLVMValueRef canonical_nan(w2n_lower_module *lm, LLVMTypeRef ft) {
    if (ft == lm->t_f32)
        return const_float_bits(ft, lm->t_i32, 0x7fc00000u);
    return const_float_bits(ft, lm->t_i64, 0x7ff8000000000000ull);
}

/* r, or the canonical NaN when r is a NaN.  LLVM's NaN rules let it return a
 * signalling NaN operand unchanged from some folds (fptrunc(fpext x) -> x,
 * rounding on RISC-V); Wasm wants a quiet NaN there. */
static LLVMValueRef quiet_nan(w2n_lower_func *f, LLVMValueRef r) {
    LLVMValueRef is_nan = LLVMBuildFCmp(f->b, LLVMRealUNO, r, r, "");
    return LLVMBuildSelect(f->b, is_nan, canonical_nan(f->lm, LLVMTypeOf(r)), r, "");
}

/* Whether LLVM may fold op into its other operand (or its negation) when
 * the identity constant c (+-0 or +-1) is the operand on the left or right:
 * x + -0, x + +0 (x not -0, e.g. fabs of an sNaN), x - +-0, -0 - x, x * +-1,
 * x / +-1.  1 / x, x - 1, x * 0 and the like fold into nothing without
 * fast-math flags. */
static bool may_fold_with(LLVMOpcode op, LLVMValueRef c, bool c_on_left) {
    w2n_float_identity id = w2n_float_identity_of_constant(c);
    bool zero = id == W2N_FLOAT_PLUS_ZERO || id == W2N_FLOAT_MINUS_ZERO;
    switch (op) {
    case LLVMFAdd:
    case LLVMFSub: return zero;
    case LLVMFMul: return !zero;
    case LLVMFDiv: return !zero && !c_on_left;
    default: return true;
    }
}

/* An identity constant operand arrives fenced (w2n_lower_push, lower_core.c),
 * so that no fold can drop the op and keep a signalling NaN; where the op and
 * the constant's place allow no such fold, the constant goes in as is. */
static LLVMValueRef operand_of(w2n_lower_func *f, LLVMOpcode op, LLVMValueRef v, bool on_left) {
    /* +0 comes bare (lower_core.c): fence it here where it could fold. */
    if (LLVMIsAConstantFP(v)) {
        bool fold = w2n_float_identity_of_constant(v) == W2N_FLOAT_PLUS_ZERO &&
                    may_fold_with(op, v, on_left);
        return fold ? w2n_lower_fence(f, v) : v;
    }
    LLVMValueRef c = w2n_lower_fenced_constant(v);
    if (!c || may_fold_with(op, c, on_left))
        return v;
    return unfenced(v);
}

static void float_binary(w2n_lower_func *f, LLVMOpcode op) {
    LLVMValueRef y = operand_of(f, op, w2n_lower_pop(f), false);
    LLVMValueRef x = operand_of(f, op, w2n_lower_pop(f), true);
    w2n_lower_push(f, LLVMBuildBinOp(f->b, op, x, y, ""));
}

/* min/max: llvm.minimum/maximum order -0 below +0 and propagate NaN, but may
 * hand back a signalling NaN operand as is; any NaN operand gives the
 * canonical NaN instead. */
static void float_min_max(w2n_lower_func *f, const char *name) {
    LLVMValueRef y = w2n_lower_pop(f);
    LLVMValueRef x = w2n_lower_pop(f);
    LLVMValueRef r = binary_intrinsic(f, name, x, y);
    LLVMValueRef any_nan = LLVMBuildFCmp(f->b, LLVMRealUNO, x, y, "");
    w2n_lower_push(f, LLVMBuildSelect(f->b, any_nan, canonical_nan(f->lm, LLVMTypeOf(x)), r, ""));
}

/* f32.demote_f64.  LLVM folds fptrunc(fpext x) to x, keeping a signalling
 * NaN, also when the promote reaches here through a local; demotes are rare,
 * so every NaN result is made canonical. */
static void float_demote(w2n_lower_func *f) {
    LLVMValueRef x = w2n_lower_pop(f);
    w2n_lower_push(f, quiet_nan(f, LLVMBuildFPTrunc(f->b, x, f->lm->t_f32, "")));
}

static void float_unary_intrinsic(w2n_lower_func *f, const char *name) {
    w2n_lower_push(f, unary_intrinsic(f, name, w2n_lower_pop(f)));
}

/* ceil, floor, trunc, nearest.  RISC-V expands them inline and returns a NaN
 * operand unchanged (LLVM allows it), but Wasm wants a quiet NaN. */
static void float_rounding(w2n_lower_func *f, const char *name) {
    w2n_lower_push(f, quiet_nan(f, unary_intrinsic(f, name, w2n_lower_pop(f))));
}

/* copysign. */
static void float_binary_intrinsic(w2n_lower_func *f, const char *name) {
    LLVMValueRef y = w2n_lower_pop(f);
    LLVMValueRef x = w2n_lower_pop(f);
    w2n_lower_push(f, binary_intrinsic(f, name, x, y));
}

/* ---- conversions ------------------------------------------------------------ */

/* Exclusive bounds of the floats that truncate into the target integer type:
 * x is valid iff lo < x < hi.  Each bound is exact in its float type. */
typedef struct trunc_bounds {
    bool is_signed, to_i64, from_f64;
    double lo, hi;
} trunc_bounds;

static const trunc_bounds *find_trunc_bounds(uint32_t op) {
    static const struct {
        uint32_t op;
        trunc_bounds b;
    } table[] = {
        {W2N_OP_I32_TRUNC_F32_S, {true, false, false, -2147483904.0, 2147483648.0}},
        {W2N_OP_I32_TRUNC_F32_U, {false, false, false, -1.0, 4294967296.0}},
        {W2N_OP_I32_TRUNC_F64_S, {true, false, true, -2147483649.0, 2147483648.0}},
        {W2N_OP_I32_TRUNC_F64_U, {false, false, true, -1.0, 4294967296.0}},
        /* -2^63 - 2^40: the f32 just below -2^63; -2^63 - 2^11 likewise for f64. */
        {W2N_OP_I64_TRUNC_F32_S,
         {true, true, false, -9223373136366403584.0, 9223372036854775808.0}},
        {W2N_OP_I64_TRUNC_F32_U, {false, true, false, -1.0, 18446744073709551616.0}},
        {W2N_OP_I64_TRUNC_F64_S, {true, true, true, -9223372036854777856.0, 9223372036854775808.0}},
        {W2N_OP_I64_TRUNC_F64_U, {false, true, true, -1.0, 18446744073709551616.0}},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].op == op)
            return &table[i].b;
    return NULL;
}

/* Trapping truncation: NaN is an invalid conversion, anything whose integer
 * part does not fit is an overflow; only then is fptosi/fptoui defined. */
static void float_trunc_trapping(w2n_lower_func *f, const trunc_bounds *tb) {
    w2n_lower_module *lm = f->lm;
    LLVMValueRef x = w2n_lower_pop(f);
    LLVMTypeRef ft = tb->from_f64 ? lm->t_f64 : lm->t_f32;
    LLVMTypeRef it = tb->to_i64 ? lm->t_i64 : lm->t_i32;

    w2n_lower_trap_if(f, LLVMBuildFCmp(f->b, LLVMRealUNO, x, x, ""), W2N_TRAP_INVALID_CONVERSION);
    LLVMValueRef above = LLVMBuildFCmp(f->b, LLVMRealOGT, x, LLVMConstReal(ft, tb->lo), "");
    LLVMValueRef below = LLVMBuildFCmp(f->b, LLVMRealOLT, x, LLVMConstReal(ft, tb->hi), "");
    LLVMValueRef in_range = LLVMBuildAnd(f->b, above, below, "");
    w2n_lower_trap_if(f, LLVMBuildNot(f->b, in_range, ""), W2N_TRAP_INT_OVERFLOW);
    w2n_lower_push(f, tb->is_signed ? LLVMBuildFPToSI(f->b, x, it, "")
                                    : LLVMBuildFPToUI(f->b, x, it, ""));
}

/* Saturating truncation: exactly llvm.fpto[su]i.sat (NaN -> 0, clamp). */
static void float_trunc_sat(w2n_lower_func *f, bool is_signed, LLVMTypeRef it) {
    LLVMValueRef x = w2n_lower_pop(f);
    LLVMTypeRef types[2] = {it, LLVMTypeOf(x)};
    w2n_lower_push(f, w2n_lower_intrinsic(f, is_signed ? "llvm.fptosi.sat" : "llvm.fptoui.sat",
                                          types, 2, &x, 1));
}

static void convert(w2n_lower_func *f, LLVMOpcode op, LLVMTypeRef to) {
    w2n_lower_push(f, LLVMBuildCast(f->b, op, w2n_lower_pop(f), to, ""));
}

static bool lower_conversion(w2n_lower_func *f, uint32_t op) {
    w2n_lower_module *lm = f->lm;
    const trunc_bounds *tb = find_trunc_bounds(op);
    if (tb) {
        float_trunc_trapping(f, tb);
        return true;
    }
    switch (op) {
    case W2N_OP_I32_WRAP_I64: convert(f, LLVMTrunc, lm->t_i32); return true;
    case W2N_OP_I64_EXTEND_I32_S: convert(f, LLVMSExt, lm->t_i64); return true;
    case W2N_OP_I64_EXTEND_I32_U: convert(f, LLVMZExt, lm->t_i64); return true;
    case W2N_OP_F32_CONVERT_I32_S:
    case W2N_OP_F32_CONVERT_I64_S: convert(f, LLVMSIToFP, lm->t_f32); return true;
    case W2N_OP_F32_CONVERT_I32_U:
    case W2N_OP_F32_CONVERT_I64_U: convert(f, LLVMUIToFP, lm->t_f32); return true;
    case W2N_OP_F64_CONVERT_I32_S:
    case W2N_OP_F64_CONVERT_I64_S: convert(f, LLVMSIToFP, lm->t_f64); return true;
    case W2N_OP_F64_CONVERT_I32_U:
    case W2N_OP_F64_CONVERT_I64_U: convert(f, LLVMUIToFP, lm->t_f64); return true;
    case W2N_OP_F32_DEMOTE_F64: float_demote(f); return true;
    case W2N_OP_F64_PROMOTE_F32: convert(f, LLVMFPExt, lm->t_f64); return true;
    case W2N_OP_I32_REINTERPRET_F32: convert(f, LLVMBitCast, lm->t_i32); return true;
    case W2N_OP_I64_REINTERPRET_F64: convert(f, LLVMBitCast, lm->t_i64); return true;
    case W2N_OP_F32_REINTERPRET_I32: convert(f, LLVMBitCast, lm->t_f32); return true;
    case W2N_OP_F64_REINTERPRET_I64: convert(f, LLVMBitCast, lm->t_f64); return true;
    case W2N_OP_I32_TRUNC_SAT_F32_S:
    case W2N_OP_I32_TRUNC_SAT_F64_S: float_trunc_sat(f, true, lm->t_i32); return true;
    case W2N_OP_I32_TRUNC_SAT_F32_U:
    case W2N_OP_I32_TRUNC_SAT_F64_U: float_trunc_sat(f, false, lm->t_i32); return true;
    case W2N_OP_I64_TRUNC_SAT_F32_S:
    case W2N_OP_I64_TRUNC_SAT_F64_S: float_trunc_sat(f, true, lm->t_i64); return true;
    case W2N_OP_I64_TRUNC_SAT_F32_U:
    case W2N_OP_I64_TRUNC_SAT_F64_U: float_trunc_sat(f, false, lm->t_i64); return true;
    case W2N_OP_I32_EXTEND8_S:
    case W2N_OP_I64_EXTEND8_S: int_extend_low(f, 8); return true;
    case W2N_OP_I32_EXTEND16_S:
    case W2N_OP_I64_EXTEND16_S: int_extend_low(f, 16); return true;
    case W2N_OP_I64_EXTEND32_S: int_extend_low(f, 32); return true;
    default: return false;
    }
}

/* ---- the dispatcher --------------------------------------------------------- */

static bool lower_const(w2n_lower_func *f, const w2n_instr *in) {
    w2n_lower_module *lm = f->lm;
    switch (in->op) {
    case W2N_OP_I32_CONST:
        w2n_lower_push(f, const_int(lm->t_i32, (uint32_t)in->imm.i32));
        return true;
    case W2N_OP_I64_CONST:
        w2n_lower_push(f, const_int(lm->t_i64, (uint64_t)in->imm.i64));
        return true;
    case W2N_OP_F32_CONST:
        w2n_lower_push(f, const_float_bits(lm->t_f32, lm->t_i32, in->imm.f32_bits));
        return true;
    case W2N_OP_F64_CONST:
        w2n_lower_push(f, const_float_bits(lm->t_f64, lm->t_i64, in->imm.f64_bits));
        return true;
    default: return false;
    }
}

/* Integer operations; the i32 and i64 opcode blocks have the same layout
 * (eqz..ge_u, then clz..rotr), so both map through one table by offset. */
static bool lower_int(w2n_lower_func *f, uint32_t op) {
    uint32_t cmp, ari;
    if (op >= W2N_OP_I32_EQZ && op <= W2N_OP_I32_GE_U) {
        cmp = op - W2N_OP_I32_EQZ;
    } else if (op >= W2N_OP_I64_EQZ && op <= W2N_OP_I64_GE_U) {
        cmp = op - W2N_OP_I64_EQZ;
    } else {
        cmp = UINT32_MAX;
    }
    if (cmp != UINT32_MAX) {
        static const LLVMIntPredicate preds[] = {
            LLVMIntEQ,  LLVMIntEQ,  LLVMIntNE,  LLVMIntSLT, LLVMIntULT, LLVMIntSGT,
            LLVMIntUGT, LLVMIntSLE, LLVMIntULE, LLVMIntSGE, LLVMIntUGE,
        };
        if (cmp == 0)
            int_eqz(f);
        else
            int_compare(f, preds[cmp]);
        return true;
    }
    if (op >= W2N_OP_I32_CLZ && op <= W2N_OP_I32_ROTR)
        ari = op - W2N_OP_I32_CLZ;
    else if (op >= W2N_OP_I64_CLZ && op <= W2N_OP_I64_ROTR)
        ari = op - W2N_OP_I64_CLZ;
    else
        return false;
    switch (ari) {
    case 0: int_count(f, "llvm.ctlz"); break;
    case 1: int_count(f, "llvm.cttz"); break;
    case 2: int_count(f, "llvm.ctpop"); break;
    case 3: int_binary(f, LLVMAdd); break;
    case 4: int_binary(f, LLVMSub); break;
    case 5: int_binary(f, LLVMMul); break;
    case 6: int_divrem(f, LLVMSDiv); break;
    case 7: int_divrem(f, LLVMUDiv); break;
    case 8: int_divrem(f, LLVMSRem); break;
    case 9: int_divrem(f, LLVMURem); break;
    case 10: int_binary(f, LLVMAnd); break;
    case 11: int_binary(f, LLVMOr); break;
    case 12: int_binary(f, LLVMXor); break;
    case 13: int_shift(f, LLVMShl); break;
    case 14: int_shift(f, LLVMAShr); break;
    case 15: int_shift(f, LLVMLShr); break;
    case 16: int_rotate(f, "llvm.fshl"); break;
    case 17: int_rotate(f, "llvm.fshr"); break;
    default: return false;
    }
    return true;
}

/* Float operations; f32 and f64 blocks share their layout too. */
static bool lower_float(w2n_lower_func *f, uint32_t op) {
    uint32_t k;
    if (op >= W2N_OP_F32_EQ && op <= W2N_OP_F32_GE) {
        k = op - W2N_OP_F32_EQ;
    } else if (op >= W2N_OP_F64_EQ && op <= W2N_OP_F64_GE) {
        k = op - W2N_OP_F64_EQ;
    } else {
        k = UINT32_MAX;
    }
    if (k != UINT32_MAX) {
        /* ne is unordered: true when either operand is NaN. */
        static const LLVMRealPredicate preds[] = {
            LLVMRealOEQ, LLVMRealUNE, LLVMRealOLT, LLVMRealOGT, LLVMRealOLE, LLVMRealOGE,
        };
        float_compare(f, preds[k]);
        return true;
    }
    if (op >= W2N_OP_F32_ABS && op <= W2N_OP_F32_COPYSIGN)
        k = op - W2N_OP_F32_ABS;
    else if (op >= W2N_OP_F64_ABS && op <= W2N_OP_F64_COPYSIGN)
        k = op - W2N_OP_F64_ABS;
    else
        return false;
    switch (k) {
    case 0: float_unary_intrinsic(f, "llvm.fabs"); break;
    case 1: w2n_lower_push(f, LLVMBuildFNeg(f->b, w2n_lower_pop(f), "")); break;
    case 2: float_rounding(f, "llvm.ceil"); break;
    case 3: float_rounding(f, "llvm.floor"); break;
    case 4: float_rounding(f, "llvm.trunc"); break;
    case 5: float_rounding(f, "llvm.roundeven"); break;
    case 6: float_unary_intrinsic(f, "llvm.sqrt"); break;
    case 7: float_binary(f, LLVMFAdd); break;
    case 8: float_binary(f, LLVMFSub); break;
    case 9: float_binary(f, LLVMFMul); break;
    case 10: float_binary(f, LLVMFDiv); break;
    case 11: float_min_max(f, "llvm.minimum"); break;
    case 12: float_min_max(f, "llvm.maximum"); break;
    case 13: float_binary_intrinsic(f, "llvm.copysign"); break;
    default: return false;
    }
    return true;
}

bool w2n_lower_numeric(w2n_lower_func *f, const w2n_instr *in) {
    return lower_const(f, in) || lower_int(f, in->op) || lower_float(f, in->op) ||
           lower_conversion(f, in->op);
}
