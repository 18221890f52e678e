/*
 * loop_trip.c — how many times a fast loop version can run at most.
 *
 * The loop's one back edge goes on while `x pred y`, with x an affine value
 * that changes by a constant step every iteration and y invariant (or the
 * other way round).  The first iteration where the comparison fails, worked
 * out in 64 bits, bounds the iterations; a loop that would wrap around 2^32
 * before it stops is reported as not understood at run time (*ok false).
 *
 * A step with a run-time part (`j += i`, sieve's strided stores) is the
 * same sum with the step's value in place of the constant: the loop is
 * understood only when that step moves x towards y (and is not 0).
 *
 * An i64 comparison (a loop over a 64-bit memory) is worked out in 64 bits
 * too, which leaves no room above: it is understood when x0 and y are in
 * [0, 2^62) (unsigned comparisons) or [-2^61, 2^61) (signed ones) and the
 * step below 2^24, so that no sum below can wrap, nor can x before the
 * loop stops.
 */
#include "loop_affine.h"

/*
 * An upper bound on the iterations of a loop that goes on while
 * `x pred y`, x = x0 + s * k and y invariant (both i32, s != 0): *ok is
 * false when the loop may wrap around before it stops.
 */
/* Is the i64 value v in [lo, hi)? */
static LLVMValueRef in_range(w2n_check_builder *cb, LLVMValueRef v, int64_t lo, int64_t hi) {
    LLVMValueRef above = LLVMBuildICmp(cb->b, LLVMIntSGE, v, w2n_c64(cb, lo), "");
    LLVMValueRef below = LLVMBuildICmp(cb->b, LLVMIntSLT, v, w2n_c64(cb, hi), "");
    return LLVMBuildAnd(cb->b, above, below, "");
}

/* The step's size m (i64, at least 1) and *moves_right, the condition that x
 * moves the way `rising` says: constants for a constant step s, tests of
 * the run-time step (i64, sign-extended) otherwise. */
static LLVMValueRef step_size(w2n_check_builder *cb, int64_t s, LLVMValueRef step, bool rising,
                              LLVMValueRef *moves_right) {
    if (!step) {
        *moves_right = LLVMConstInt(cb->i1, rising == (s > 0), 0);
        return w2n_c64(cb, s < 0 ? -s : s);
    }
    LLVMBuilderRef b = cb->b;
    LLVMValueRef zero = w2n_c64(cb, 0);
    *moves_right = LLVMBuildICmp(b, rising ? LLVMIntSGT : LLVMIntSLT, step, zero, "");
    /* a step the other way gives 1: no division by 0, and *ok is false */
    LLVMValueRef size = rising ? step : LLVMBuildSub(b, zero, step, "");
    return LLVMBuildSelect(b, *moves_right, size, w2n_c64(cb, 1), "");
}

static LLVMValueRef trip_count(w2n_check_builder *cb, LLVMIntPredicate pred, LLVMValueRef x0,
                               int64_t s, LLVMValueRef step, LLVMValueRef y, LLVMValueRef *ok) {
    LLVMBuilderRef b = cb->b;
    LLVMValueRef t = LLVMConstInt(cb->i1, 1, 0);
    bool wide = LLVMTypeOf(x0) == cb->i64;
    int64_t m = s < 0 ? -s : s;
    if (pred == LLVMIntEQ) { /* x changes, so it equals y at most once */
        *ok = step ? LLVMBuildICmp(b, LLVMIntNE, step, w2n_c64(cb, 0), "") : t;
        return w2n_c64(cb, 2);
    }
    if (pred == LLVMIntNE) { /* stops when s * k = y - x0 (mod 2^32 or 2^64) */
        LLVMValueRef d32 = s > 0 ? LLVMBuildSub(b, y, x0, "") : LLVMBuildSub(b, x0, y, "");
        LLVMValueRef d = wide ? d32 : LLVMBuildZExt(b, d32, cb->i64, "");
        LLVMValueRef rem = LLVMBuildURem(b, d, w2n_c64(cb, m), "");
        *ok = LLVMBuildICmp(b, LLVMIntEQ, rem, w2n_c64(cb, 0), "");
        if (wide) /* d / m + 1 must not wrap */
            *ok = LLVMBuildAnd(b, *ok, in_range(cb, d, 0, INT64_C(1) << 62), "");
        return LLVMBuildAdd(b, LLVMBuildUDiv(b, d, w2n_c64(cb, m), ""), w2n_c64(cb, 1), "");
    }
    bool is_signed =
        pred == LLVMIntSLT || pred == LLVMIntSLE || pred == LLVMIntSGT || pred == LLVMIntSGE;
    bool rising =
        pred == LLVMIntULT || pred == LLVMIntULE || pred == LLVMIntSLT || pred == LLVMIntSLE;
    bool inclusive =
        pred == LLVMIntULE || pred == LLVMIntSLE || pred == LLVMIntUGE || pred == LLVMIntSGE;
    if (!step && rising != (s > 0)) { /* moving away from the bound: runs until it wraps */
        *ok = LLVMConstInt(cb->i1, 0, 0);
        return w2n_c64(cb, 1);
    }
    LLVMValueRef moves_right;
    LLVMValueRef mv = step_size(cb, s, step, rising, &moves_right);
    LLVMValueRef x = x0, yv = y;
    LLVMValueRef fits_below = t; /* wide: x0 and y are small enough for 64-bit sums */
    if (wide) {
        int64_t lo = is_signed ? -(INT64_C(1) << 61) : 0;
        int64_t hi = is_signed ? INT64_C(1) << 61 : INT64_C(1) << 62;
        fits_below = LLVMBuildAnd(b, in_range(cb, x0, lo, hi), in_range(cb, y, lo, hi), "");
    } else {
        x = is_signed ? LLVMBuildSExt(b, x0, cb->i64, "") : LLVMBuildZExt(b, x0, cb->i64, "");
        yv = is_signed ? LLVMBuildSExt(b, y, cb->i64, "") : LLVMBuildZExt(b, y, cb->i64, "");
    }
    /* Distance to go while the condition holds (0 or less: it fails at once). */
    LLVMValueRef dist = rising ? LLVMBuildSub(b, yv, x, "") : LLVMBuildSub(b, x, yv, "");
    if (inclusive)
        dist = LLVMBuildAdd(b, dist, w2n_c64(cb, 1), "");
    LLVMValueRef runs = LLVMBuildICmp(b, LLVMIntSGT, dist, w2n_c64(cb, 0), "");
    /* First k where it fails: ceil(dist / m); x there must still be an i32. */
    LLVMValueRef k_end = LLVMBuildUDiv(
        b, LLVMBuildAdd(b, dist, LLVMBuildSub(b, mv, w2n_c64(cb, 1), ""), ""), mv, "");
    LLVMValueRef moved = LLVMBuildMul(b, k_end, mv, "");
    LLVMValueRef last = rising ? LLVMBuildAdd(b, x, moved, "") : LLVMBuildSub(b, x, moved, "");
    int64_t lo = is_signed ? INT32_MIN : 0, hi = is_signed ? INT32_MAX : UINT32_MAX;
    if (wide) /* a change of under 2^62 + 2^24 from below 2^62 stays inside */
        lo = is_signed ? INT64_MIN : 0, hi = INT64_MAX;
    LLVMValueRef fits = rising ? LLVMBuildICmp(b, LLVMIntSLE, last, w2n_c64(cb, hi), "")
                               : LLVMBuildICmp(b, LLVMIntSGE, last, w2n_c64(cb, lo), "");
    if (step) /* the other way it runs until it wraps */
        fits = LLVMBuildAnd(b, fits, moves_right, "");
    *ok = LLVMBuildAnd(b, fits_below, LLVMBuildSelect(b, runs, fits, t, ""), "");
    LLVMValueRef tc = LLVMBuildAdd(b, k_end, w2n_c64(cb, 1), "");
    return LLVMBuildSelect(b, runs, tc, w2n_c64(cb, 1), "");
}

/* Peel the i32 <-> i1 round trips of br_if: icmp ne (zext c), 0 is c. */
static LLVMValueRef peel_condition(LLVMValueRef cond, bool *negated) {
    for (;;) {
        if (!LLVMIsAICmpInst(cond))
            return NULL;
        LLVMIntPredicate p = LLVMGetICmpPredicate(cond);
        LLVMValueRef l = LLVMGetOperand(cond, 0), r = LLVMGetOperand(cond, 1);
        bool zero = LLVMIsAConstantInt(r) && LLVMConstIntGetZExtValue(r) == 0;
        if (zero && (p == LLVMIntNE || p == LLVMIntEQ) && LLVMIsAZExtInst(l) &&
            LLVMGetIntTypeWidth(LLVMTypeOf(LLVMGetOperand(l, 0))) == 1) {
            if (p == LLVMIntEQ)
                *negated = !*negated;
            cond = LLVMGetOperand(l, 0);
            continue;
        }
        return cond;
    }
}

/* Each integer comparison with its negation and with its operands swapped. */
static const struct {
    LLVMIntPredicate pred, inverse, swapped;
} predicates[] = {
    {LLVMIntEQ, LLVMIntNE, LLVMIntEQ},    {LLVMIntNE, LLVMIntEQ, LLVMIntNE},
    {LLVMIntULT, LLVMIntUGE, LLVMIntUGT}, {LLVMIntULE, LLVMIntUGT, LLVMIntUGE},
    {LLVMIntUGT, LLVMIntULE, LLVMIntULT}, {LLVMIntUGE, LLVMIntULT, LLVMIntULE},
    {LLVMIntSLT, LLVMIntSGE, LLVMIntSGT}, {LLVMIntSLE, LLVMIntSGT, LLVMIntSGE},
    {LLVMIntSGT, LLVMIntSLE, LLVMIntSLT}, {LLVMIntSGE, LLVMIntSLT, LLVMIntSLE},
};

static unsigned predicate_row(LLVMIntPredicate p) {
    unsigned i = 0;
    while (predicates[i].pred != p)
        i++;
    return i;
}

static LLVMIntPredicate inverse(LLVMIntPredicate p) { return predicates[predicate_row(p)].inverse; }
static LLVMIntPredicate swapped(LLVMIntPredicate p) { return predicates[predicate_row(p)].swapped; }

/* The iteration bound from the back edge, or NULL when it is not understood. */
LLVMValueRef w2n_loop_trip_count(w2n_check_builder *cb, LLVMValueRef *ok) {
    w2n_loop_view *lv = cb->lv;
    LLVMValueRef br = LLVMGetBasicBlockTerminator(lv->latch);
    bool negated = LLVMGetSuccessor(br, 0) != lv->v->header;
    LLVMValueRef cond = peel_condition(LLVMGetCondition(br), &negated);
    if (!cond)
        return NULL;
    LLVMIntPredicate pred = LLVMGetICmpPredicate(cond);
    if (negated)
        pred = inverse(pred);
    w2n_affine x = w2n_affine_eval(lv, LLVMGetOperand(cond, 0));
    w2n_affine y = w2n_affine_eval(lv, LLVMGetOperand(cond, 1));
    if (x.known && y.known && !w2n_affine_varies(&x) && w2n_affine_varies(&y)) {
        w2n_affine t = x;
        x = y;
        y = t;
        pred = swapped(pred);
    }
    int64_t s = w2n_affine_step(&x);
    if (!x.known || !y.known || w2n_affine_varies(&y) || s == INT32_MIN)
        return NULL;
    if (x.kterm ? x.bits != 32 || pred == LLVMIntNE : s == 0)
        return NULL; /* a run-time step: an i32 that moves towards y */
    if (x.bits == 64 && (s <= -(1 << 24) || s >= 1 << 24))
        return NULL;
    LLVMValueRef step = x.kterm ? w2n_affine_symbolic_step(cb, &x) : NULL;
    return trip_count(cb, pred, w2n_affine_materialize(cb, &x), s, step,
                      w2n_affine_materialize(cb, &y), ok);
}
