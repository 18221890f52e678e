/*
 * loop_bounds.c — the range check that lets a loop's fast version run.
 *
 * Runs after mem2reg, on each loop that loop_version.c lowered twice.  An
 * i32 value in the fast loop is affine when it is c + sum(coef * t) + k * s
 * (mod 2^32) for loop-invariant values t, the iteration number k and
 * constants c, coef, s; the header's phis that add a constant on the one
 * back edge are the induction variables.  From the back edge's condition
 * comes an upper bound on the number of iterations, tc.  An access at
 * affine address A(k) = a0 + k * s then stays inside memory in every
 * iteration when its first and last addresses, computed in 64 bits, do:
 * A is linear, so no iteration in between can leave the range, and as the
 * 64-bit value never leaves [0, 2^32) it equals the i32 one.  The fast
 * version is taken when that holds for every affine access; those accesses
 * then lose their checks and address memory by zext(a0) + k * s, an
 * induction LLVM's vectoriser can follow.  Anything not understood keeps
 * its check, or sends the loop to the slow version: never a wrong answer.
 */
#include <stdlib.h>

#include "loop_alias.h"
#include "lower.h"

#define MAX_TERMS 4
#define MAX_DEPTH 12
/* Strides beyond this are not worth versioning, and keep k * s in 64 bits. */
#define MAX_STRIDE (1 << 24)

typedef struct affine {
    bool known;
    uint32_t c;                    /* constant part */
    uint32_t k;                    /* change per iteration */
    unsigned nterms;
    LLVMValueRef term[MAX_TERMS];  /* loop-invariant i32 values */
    uint32_t coef[MAX_TERMS];
} affine;

typedef struct loop_view {
    w2n_lower_module *lm;
    w2n_versioned_loop *v;
    LLVMBasicBlockRef latch;
    LLVMValueRef self;             /* the phi whose step is being found, or NULL */
} loop_view;

static const affine unknown = {0};

static affine constant(uint32_t c) { return (affine){.known = true, .c = c}; }

static affine term(LLVMValueRef t) {
    return (affine){.known = true, .nterms = 1, .term = {t}, .coef = {1}};
}

static affine add(affine a, affine b) {
    if (!a.known || !b.known)
        return unknown;
    a.c += b.c;
    a.k += b.k;
    for (unsigned i = 0; i < b.nterms; i++) {
        unsigned j = 0;
        while (j < a.nterms && a.term[j] != b.term[i])
            j++;
        if (j == a.nterms) {
            if (a.nterms == MAX_TERMS)
                return unknown;
            a.term[a.nterms] = b.term[i];
            a.coef[a.nterms++] = 0;
        }
        a.coef[j] += b.coef[i];
    }
    return a;
}

static affine scale(affine a, uint32_t m) {
    a.c *= m;
    a.k *= m;
    for (unsigned i = 0; i < a.nterms; i++)
        a.coef[i] *= m;
    return a;
}

static bool is_constant(const affine *a) { return a->known && a->k == 0 && a->nterms == 0; }

static bool in_loop(const loop_view *lv, LLVMValueRef inst) {
    LLVMBasicBlockRef bb = LLVMGetInstructionParent(inst);
    for (LLVMBasicBlockRef b = lv->v->header; b; b = LLVMGetNextBasicBlock(b)) {
        if (b == bb)
            return true;
        if (b == lv->v->last)
            break;
    }
    return false;
}

static LLVMValueRef incoming_from(LLVMValueRef phi, LLVMBasicBlockRef bb) {
    for (unsigned i = 0; i < LLVMCountIncoming(phi); i++)
        if (LLVMGetIncomingBlock(phi, i) == bb)
            return LLVMGetIncomingValue(phi, i);
    return NULL;
}

static affine eval(loop_view *lv, LLVMValueRef v, int depth);

/* The step of a header phi that adds a constant on the back edge, if it is one. */
static bool induction_step(loop_view *lv, LLVMValueRef phi, uint32_t *step) {
    if (lv->self)
        return false; /* one induction at a time */
    LLVMValueRef next = incoming_from(phi, lv->latch);
    if (!next || LLVMCountIncoming(phi) != 2)
        return false;
    lv->self = phi;
    affine a = eval(lv, next, 0);
    lv->self = NULL;
    if (!a.known || a.k != 0 || a.nterms != 1 || a.term[0] != phi || a.coef[0] != 1)
        return false;
    *step = a.c;
    return true;
}

static affine eval_binary(loop_view *lv, LLVMValueRef v, int depth) {
    affine l = eval(lv, LLVMGetOperand(v, 0), depth + 1);
    affine r = eval(lv, LLVMGetOperand(v, 1), depth + 1);
    switch (LLVMGetInstructionOpcode(v)) {
    case LLVMAdd:
        return add(l, r);
    case LLVMSub:
        return r.known ? add(l, scale(r, UINT32_MAX)) : unknown;
    case LLVMMul:
        if (is_constant(&r))
            return l.known ? scale(l, r.c) : unknown;
        return is_constant(&l) && r.known ? scale(r, l.c) : unknown;
    case LLVMShl:
        return is_constant(&r) && l.known ? scale(l, 1u << (r.c & 31)) : unknown;
    default:
        return unknown;
    }
}

static affine eval(loop_view *lv, LLVMValueRef v, int depth) {
    if (depth > MAX_DEPTH || LLVMGetTypeKind(LLVMTypeOf(v)) != LLVMIntegerTypeKind ||
        LLVMGetIntTypeWidth(LLVMTypeOf(v)) != 32)
        return unknown;
    if (LLVMIsAConstantInt(v))
        return constant((uint32_t)LLVMConstIntGetZExtValue(v));
    if (v == lv->self || LLVMIsAArgument(v))
        return term(v);
    if (!LLVMIsAInstruction(v))
        return unknown; /* poison, undef, constant expressions */
    if (!in_loop(lv, v))
        return term(v);
    if (LLVMIsAPHINode(v)) {
        uint32_t step;
        if (LLVMGetInstructionParent(v) != lv->v->header || !induction_step(lv, v, &step))
            return unknown;
        affine a = eval(lv, incoming_from(v, lv->v->entry), depth + 1);
        a.k += step;
        return a.known ? a : unknown;
    }
    if (LLVMIsABinaryOperator(v))
        return eval_binary(lv, v, depth);
    return unknown;
}

/* The one block in the loop that branches back to the header, or NULL. */
static LLVMBasicBlockRef find_latch(w2n_versioned_loop *v) {
    LLVMBasicBlockRef latch = NULL;
    for (LLVMUseRef u = LLVMGetFirstUse(LLVMBasicBlockAsValue(v->header)); u; u = LLVMGetNextUse(u)) {
        LLVMValueRef user = LLVMGetUser(u);
        if (!LLVMIsATerminatorInst(user))
            return NULL;
        LLVMBasicBlockRef from = LLVMGetInstructionParent(user);
        if (from == v->entry)
            continue;
        if (latch || !LLVMIsABranchInst(user) || !LLVMIsConditional(user))
            return NULL;
        latch = from;
    }
    return latch;
}

/* ---- building the check in the dispatch block ------------------------------- */

typedef struct check_builder {
    loop_view *lv;
    LLVMBuilderRef b;
    LLVMTypeRef i1, i32, i64;
} check_builder;

static LLVMValueRef c64(check_builder *cb, int64_t x) { return LLVMConstInt(cb->i64, (uint64_t)x, 1); }

/* sum(coef * t) of a, in i32, or NULL when a has no terms. */
static LLVMValueRef materialize_terms(check_builder *cb, const affine *a) {
    LLVMValueRef v = NULL;
    for (unsigned i = 0; i < a->nterms; i++) {
        LLVMValueRef t = a->term[i];
        if (a->coef[i] != 1)
            t = LLVMBuildMul(cb->b, t, LLVMConstInt(cb->i32, a->coef[i], 0), "");
        v = v ? LLVMBuildAdd(cb->b, v, t, "") : t;
    }
    return v;
}

/* The i32 value of a at iteration 0. */
static LLVMValueRef materialize(check_builder *cb, const affine *a) {
    LLVMValueRef terms = materialize_terms(cb, a), c = LLVMConstInt(cb->i32, a->c, 0);
    return terms ? LLVMBuildAdd(cb->b, terms, c, "") : c;
}

/*
 * The address at iteration 0 as zext(terms) + (int32)c in 64 bits, not
 * zext(terms + c): accesses off one base then differ by constants, which
 * LLVM needs to see to vectorise them together.  The two agree whenever the
 * first is inside [0, 2^32), which the range check makes sure of.
 */
static LLVMValueRef first_address(check_builder *cb, const affine *a) {
    LLVMValueRef terms = materialize_terms(cb, a);
    if (!terms)
        return LLVMConstInt(cb->i64, a->c, 0);
    LLVMValueRef base = LLVMBuildZExt(cb->b, terms, cb->i64, "");
    return LLVMBuildAdd(cb->b, base, c64(cb, (int32_t)a->c), "");
}

static LLVMValueRef and_all(check_builder *cb, LLVMValueRef a, LLVMValueRef b) {
    return LLVMBuildAnd(cb->b, a, b, "");
}

/*
 * An upper bound on the iterations of a loop that goes on while
 * `x pred y`, x = x0 + s * k and y invariant (both i32, s != 0): *ok is
 * false when the loop may wrap around before it stops.
 */
static LLVMValueRef trip_count(check_builder *cb, LLVMIntPredicate pred, LLVMValueRef x0, int64_t s,
                               LLVMValueRef y, LLVMValueRef *ok) {
    LLVMBuilderRef b = cb->b;
    LLVMValueRef t = LLVMConstInt(cb->i1, 1, 0);
    int64_t m = s < 0 ? -s : s;
    if (pred == LLVMIntEQ) { /* x changes, so it equals y at most once */
        *ok = t;
        return c64(cb, 2);
    }
    if (pred == LLVMIntNE) { /* stops when s * k = y - x0 (mod 2^32) */
        LLVMValueRef d32 = s > 0 ? LLVMBuildSub(b, y, x0, "") : LLVMBuildSub(b, x0, y, "");
        LLVMValueRef d = LLVMBuildZExt(b, d32, cb->i64, "");
        LLVMValueRef rem = LLVMBuildURem(b, d, c64(cb, m), "");
        *ok = LLVMBuildICmp(b, LLVMIntEQ, rem, c64(cb, 0), "");
        return LLVMBuildAdd(b, LLVMBuildUDiv(b, d, c64(cb, m), ""), c64(cb, 1), "");
    }
    bool is_signed = pred == LLVMIntSLT || pred == LLVMIntSLE || pred == LLVMIntSGT || pred == LLVMIntSGE;
    bool rising = pred == LLVMIntULT || pred == LLVMIntULE || pred == LLVMIntSLT || pred == LLVMIntSLE;
    bool inclusive = pred == LLVMIntULE || pred == LLVMIntSLE || pred == LLVMIntUGE || pred == LLVMIntSGE;
    if (rising != (s > 0)) { /* moving away from the bound: runs until it wraps */
        *ok = LLVMConstInt(cb->i1, 0, 0);
        return c64(cb, 1);
    }
    LLVMValueRef x = is_signed ? LLVMBuildSExt(b, x0, cb->i64, "") : LLVMBuildZExt(b, x0, cb->i64, "");
    LLVMValueRef yv = is_signed ? LLVMBuildSExt(b, y, cb->i64, "") : LLVMBuildZExt(b, y, cb->i64, "");
    /* Distance to go while the condition holds (0 or less: it fails at once). */
    LLVMValueRef dist = rising ? LLVMBuildSub(b, yv, x, "") : LLVMBuildSub(b, x, yv, "");
    if (inclusive)
        dist = LLVMBuildAdd(b, dist, c64(cb, 1), "");
    LLVMValueRef runs = LLVMBuildICmp(b, LLVMIntSGT, dist, c64(cb, 0), "");
    /* First k where it fails: ceil(dist / m); x there must still be an i32. */
    LLVMValueRef k_end = LLVMBuildUDiv(b, LLVMBuildAdd(b, dist, c64(cb, m - 1), ""), c64(cb, m), "");
    LLVMValueRef moved = LLVMBuildMul(b, k_end, c64(cb, m), "");
    LLVMValueRef last = rising ? LLVMBuildAdd(b, x, moved, "") : LLVMBuildSub(b, x, moved, "");
    int64_t lo = is_signed ? INT32_MIN : 0, hi = is_signed ? INT32_MAX : UINT32_MAX;
    LLVMValueRef fits = rising ? LLVMBuildICmp(b, LLVMIntSLE, last, c64(cb, hi), "")
                               : LLVMBuildICmp(b, LLVMIntSGE, last, c64(cb, lo), "");
    *ok = LLVMBuildSelect(b, runs, fits, t, "");
    LLVMValueRef tc = LLVMBuildAdd(b, k_end, c64(cb, 1), "");
    return LLVMBuildSelect(b, runs, tc, c64(cb, 1), "");
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

static LLVMIntPredicate inverse(LLVMIntPredicate p) {
    switch (p) {
    case LLVMIntEQ: return LLVMIntNE;
    case LLVMIntNE: return LLVMIntEQ;
    case LLVMIntULT: return LLVMIntUGE;
    case LLVMIntUGE: return LLVMIntULT;
    case LLVMIntULE: return LLVMIntUGT;
    case LLVMIntUGT: return LLVMIntULE;
    case LLVMIntSLT: return LLVMIntSGE;
    case LLVMIntSGE: return LLVMIntSLT;
    case LLVMIntSLE: return LLVMIntSGT;
    default: return LLVMIntSLE; /* SGT */
    }
}

static LLVMIntPredicate swapped(LLVMIntPredicate p) {
    switch (p) {
    case LLVMIntULT: return LLVMIntUGT;
    case LLVMIntUGT: return LLVMIntULT;
    case LLVMIntULE: return LLVMIntUGE;
    case LLVMIntUGE: return LLVMIntULE;
    case LLVMIntSLT: return LLVMIntSGT;
    case LLVMIntSGT: return LLVMIntSLT;
    case LLVMIntSLE: return LLVMIntSGE;
    case LLVMIntSGE: return LLVMIntSLE;
    default: return p; /* EQ, NE */
    }
}

/* The iteration bound from the back edge, or NULL when it is not understood. */
static LLVMValueRef loop_trip_count(check_builder *cb, LLVMValueRef *ok) {
    loop_view *lv = cb->lv;
    LLVMValueRef br = LLVMGetBasicBlockTerminator(lv->latch);
    bool negated = LLVMGetSuccessor(br, 0) != lv->v->header;
    LLVMValueRef cond = peel_condition(LLVMGetCondition(br), &negated);
    if (!cond)
        return NULL;
    LLVMIntPredicate pred = LLVMGetICmpPredicate(cond);
    if (negated)
        pred = inverse(pred);
    affine x = eval(lv, LLVMGetOperand(cond, 0), 0);
    affine y = eval(lv, LLVMGetOperand(cond, 1), 0);
    if (x.known && y.known && x.k == 0 && y.k != 0) {
        affine t = x;
        x = y;
        y = t;
        pred = swapped(pred);
    }
    int64_t s = (int32_t)x.k;
    if (!x.known || !y.known || y.k != 0 || s == 0 || s == INT32_MIN)
        return NULL;
    return trip_count(cb, pred, materialize(cb, &x), s, materialize(cb, &y), ok);
}

/* ---- the rewrite -------------------------------------------------------------- */

/* An access the check does not cover, in guard mode: back to the slow
 * version's volatile access, which a guard page checks for free. */
static void guard_access(w2n_fast_access *a, LLVMTypeRef i1) {
    for (LLVMUseRef u = LLVMGetFirstUse(a->ptr); u; u = LLVMGetNextUse(u)) {
        LLVMValueRef user = LLVMGetUser(u);
        if ((LLVMIsALoadInst(user) && LLVMGetOperand(user, 0) == a->ptr) ||
            (LLVMIsAStoreInst(user) && LLVMGetOperand(user, 1) == a->ptr))
            LLVMSetVolatile(user, 1);
        else
            return; /* used some other way: keep the explicit check */
    }
    LLVMReplaceAllUsesWith(a->oob, LLVMConstInt(i1, 0, 0));
}

/* Same base and stride: the addresses differ by a constant. */
static bool same_base(const affine *a, const affine *b) {
    if (a->k != b->k || a->nterms != b->nterms)
        return false;
    for (unsigned i = 0; i < a->nterms; i++) {
        unsigned j = 0;
        while (j < b->nterms && (b->term[j] != a->term[i] || b->coef[j] != a->coef[i]))
            j++;
        if (j == b->nterms)
            return false;
    }
    return true;
}

/* What the check learns about one fast version's accesses. */
typedef struct coverage {
    size_t covered;
    LLVMValueRef *first;           /* per access: address at iteration 0, or NULL */
    int64_t *stride;
    affine *addr;
    w2n_loop_groups groups;
} coverage;

/* Add to *ok that access i stays in bounds in every iteration (tc of them). */
static void cover_access(check_builder *cb, coverage *c, size_t i, LLVMValueRef tc,
                         LLVMValueRef mem_size, LLVMValueRef *ok) {
    LLVMBuilderRef b = cb->b;
    w2n_fast_access *a = &cb->lv->v->accesses[i];
    affine addr = eval(cb->lv, LLVMGetOperand(a->eff, 0), 0);
    int64_t s = (int32_t)addr.k;
    if (!addr.known || s <= -MAX_STRIDE || s >= MAX_STRIDE)
        return;
    c->first[i] = first_address(cb, &addr);
    c->stride[i] = s;
    c->addr[i] = addr;
    LLVMValueRef span = LLVMBuildMul(b, LLVMBuildSub(b, tc, c64(cb, 1), ""), c64(cb, s), "");
    LLVMValueRef lo = c->first[i], hi = c->first[i];
    if (s < 0)
        lo = LLVMBuildAdd(b, lo, span, "");
    else
        hi = LLVMBuildAdd(b, hi, span, "");
    LLVMValueRef end = LLVMBuildAdd(b, hi, c64(cb, (int64_t)(a->offset + a->size)), "");
    *ok = and_all(cb, *ok, LLVMBuildICmp(b, LLVMIntSGE, lo, c64(cb, 0), ""));
    *ok = and_all(cb, *ok, LLVMBuildICmp(b, LLVMIntULE, end, mem_size, ""));
    /* Its group, for the alias checks. */
    w2n_loop_groups *g = &c->groups;
    g->ptr[i] = a->ptr;
    g->access_lo[i] = LLVMBuildAdd(b, lo, c64(cb, (int64_t)a->offset), "");
    g->access_end[i] = end;
    for (size_t j = 0; j < i && g->group[i] < 0; j++)
        if (c->first[j] && same_base(&c->addr[j], &addr))
            g->group[i] = g->group[j];
    if (g->group[i] < 0)
        g->group[i] = (int)g->ngroups++;
    c->covered++;
}

/* The fast version, covered: k counts iterations, covered accesses address
 * memory at base + (first + offset) + k * stride and lose their checks.  The
 * shape is the one LLVM's dependence analysis follows: an inbounds GEP off a
 * loop-invariant pointer by k times a constant, without signed wrap (the
 * range check proved every address inside memory). */
static void rewrite_fast_version(check_builder *cb, coverage *c) {
    LLVMBuilderRef b = cb->b;
    w2n_versioned_loop *v = cb->lv->v;
    LLVMPositionBuilder(b, v->header, LLVMGetFirstInstruction(v->header));
    LLVMValueRef k = LLVMBuildPhi(b, cb->i64, "k");
    LLVMPositionBuilderBefore(b, LLVMGetBasicBlockTerminator(cb->lv->latch));
    LLVMValueRef next = LLVMBuildNUWAdd(b, k, c64(cb, 1), "");
    LLVMSetNSW(next, 1);
    LLVMValueRef vals[2] = {c64(cb, 0), next};
    LLVMBasicBlockRef from[2] = {v->entry, cb->lv->latch};
    LLVMAddIncoming(k, vals, from, 2);
    LLVMTypeRef i8 = LLVMInt8TypeInContext(LLVMGetTypeContext(cb->i64));
    for (size_t i = 0; i < v->naccesses; i++) {
        w2n_fast_access *a = &v->accesses[i];
        if (!c->first[i]) {
            if (a->may_fault)
                guard_access(a, cb->i1);
            continue;
        }
        LLVMPositionBuilderBefore(b, a->ptr);
        LLVMValueRef base = LLVMGetOperand(a->ptr, 0);
        LLVMValueRef start = c->first[i];
        if (a->offset) {
            start = LLVMBuildNSWAdd(b, start, c64(cb, (int64_t)a->offset), "");
            if (LLVMIsAInstruction(start)) /* not folded to a constant */
                LLVMSetNUW(start, 1);
        }
        LLVMValueRef row = LLVMBuildInBoundsGEP2(b, i8, base, &start, 1, "");
        LLVMValueRef step = LLVMBuildNSWMul(b, k, c64(cb, c->stride[i]), "");
        LLVMValueRef ptr = LLVMBuildInBoundsGEP2(b, i8, row, &step, 1, "");
        LLVMReplaceAllUsesWith(a->ptr, ptr);
        LLVMReplaceAllUsesWith(a->oob, LLVMConstInt(cb->i1, 0, 0));
    }
}

static void resolve_loop(w2n_lower_module *lm, size_t index, LLVMBuilderRef b,
                         w2n_compile_stats *stats) {
    w2n_versioned_loop *v = &lm->vloops[index];
    loop_view lv = {.lm = lm, .v = v};
    check_builder cb = {.lv = &lv, .b = b, .i1 = lm->t_i1, .i32 = lm->t_i32, .i64 = lm->t_i64};
    LLVMPositionBuilderBefore(b, v->choice);
    lv.latch = v->header ? find_latch(v) : NULL;
    LLVMValueRef ok = NULL, tc = lv.latch ? loop_trip_count(&cb, &ok) : NULL;
    size_t n = v->naccesses ? v->naccesses : 1;
    coverage c = {.first = calloc(n, sizeof *c.first), .stride = calloc(n, sizeof *c.stride),
                  .addr = calloc(n, sizeof *c.addr)};
    w2n_loop_groups *g = &c.groups;
    g->n = v->naccesses;
    g->group = malloc(n * sizeof *g->group);
    g->ptr = calloc(n, sizeof *g->ptr);
    g->access_lo = calloc(n, sizeof *g->access_lo);
    g->access_end = calloc(n, sizeof *g->access_end);
    for (size_t i = 0; i < v->naccesses; i++)
        g->group[i] = -1;
    for (size_t i = 0; tc && i < v->naccesses; i++)
        cover_access(&cb, &c, i, tc, v->mem_size, &ok);
    /* Memory only grows, so the size read before the loop is a safe bound. */
    LLVMValueRef choice = LLVMConstInt(lm->t_i1, 0, 0);
    if (c.covered)
        choice = and_all(&cb, ok, w2n_loop_alias_check(g, b, lm->t_i1));
    stats->loops_versioned++;
    stats->loops_checked += c.covered > 0;
    stats->accesses_covered += (uint32_t)c.covered;
    LLVMReplaceAllUsesWith(v->choice, choice);
    LLVMInstructionEraseFromParent(v->choice);
    if (c.covered) {
        rewrite_fast_version(&cb, &c);
        w2n_loop_alias_mark(g, lm, v->entry, (unsigned)index);
    }
    free(c.first);
    free(c.stride);
    free(c.addr);
    free(g->group);
    free(g->ptr);
    free(g->access_lo);
    free(g->access_end);
}

void w2n_loop_bounds_resolve(w2n_lower_module *lm, w2n_compile_stats *stats) {
    LLVMBuilderRef b = LLVMCreateBuilderInContext(lm->ctx);
    for (size_t i = 0; i < lm->nvloops; i++) {
        resolve_loop(lm, i, b, stats);
        free(lm->vloops[i].accesses);
    }
    LLVMDisposeBuilder(b);
    free(lm->vloops);
    lm->vloops = NULL;
    lm->nvloops = lm->vloops_cap = 0;
    if (lm->loop_choice_fn)
        LLVMDeleteFunction(lm->loop_choice_fn);
    lm->loop_choice_fn = NULL;
}
