/*
 * loop_affine.c — i32 and i64 values as affine functions: of the iteration
 * number in a fast loop version, or of nothing, anywhere in a function.
 *
 * Runs after mem2reg.  An i32 (i64) value in the loop is affine when it is
 * c + sum(coef * t) + k * s (mod 2^32, 2^64) for loop-invariant values t, the
 * iteration number k and constants c, coef, s.  The header's phis that add
 * a constant on the one back edge are the induction variables; constants,
 * arguments and values defined before the loop are invariant; add, sub,
 * `or disjoint` (no bits in common: a sum; LLVM sets the flag, the lowering
 * never does), and mul or shl by a constant combine forms.  Anything else
 * is not affine.  One form has one width: an operation's operands have its
 * result's type, and a conversion between widths is not affine.
 *
 * Without a loop (a view with no versioned loop) every value is affine,
 * k = 0: the combinations above are followed and whatever else an
 * instruction computes (a phi, a load, an `and`) is a term of its own.  Two
 * values whose forms have the same terms and coefficients then differ by a
 * constant (w2n_i32_offset, for emit/bounds_merge.c).
 */
#include "loop_affine.h"

#define MAX_DEPTH 12
#define LOOP_FREE_BUDGET 1024 /* values w2n_i32_offset looks at, both together */

static const w2n_affine unknown = {0};

static uint64_t mask(unsigned bits) { return bits == 64 ? UINT64_MAX : UINT32_MAX; }

static w2n_affine constant(unsigned bits, uint64_t c) {
    return (w2n_affine){.known = true, .bits = bits, .c = c & mask(bits)};
}

static w2n_affine term(unsigned bits, LLVMValueRef t) {
    return (w2n_affine){.known = true, .bits = bits, .nterms = 1, .term = {t}, .coef = {1}};
}

static w2n_affine add(w2n_affine a, w2n_affine b) {
    if (!a.known || !b.known || a.bits != b.bits)
        return unknown;
    uint64_t m = mask(a.bits);
    a.c = (a.c + b.c) & m;
    a.k = (a.k + b.k) & m;
    if (b.kterm) { /* one run-time part of the step at most */
        if (a.kterm && a.kterm != b.kterm)
            return unknown;
        a.kcoef = ((a.kterm ? a.kcoef : 0) + b.kcoef) & m;
        a.kterm = a.kcoef ? b.kterm : NULL;
    }
    for (unsigned i = 0; i < b.nterms; i++) {
        unsigned j = 0;
        while (j < a.nterms && a.term[j] != b.term[i])
            j++;
        if (j == a.nterms) {
            if (a.nterms == W2N_AFFINE_TERMS)
                return unknown;
            a.term[a.nterms] = b.term[i];
            a.coef[a.nterms++] = 0;
        }
        a.coef[j] = (a.coef[j] + b.coef[i]) & m;
    }
    return a;
}

static w2n_affine scale(w2n_affine a, uint64_t f) {
    uint64_t m = mask(a.bits);
    a.c = (a.c * f) & m;
    a.k = (a.k * f) & m;
    a.kcoef = (a.kcoef * f) & m;
    if (!a.kcoef)
        a.kterm = NULL;
    for (unsigned i = 0; i < a.nterms; i++)
        a.coef[i] = (a.coef[i] * f) & m;
    return a;
}

static bool is_constant(const w2n_affine *a) {
    return a->known && !w2n_affine_varies(a) && a->nterms == 0;
}

static bool in_loop(const w2n_loop_view *lv, LLVMValueRef inst) {
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

static w2n_affine eval(w2n_loop_view *lv, LLVMValueRef v, int depth);

/* The step of a header phi that adds a constant, and perhaps one
 * loop-invariant value times a constant (a run-time stride), on the back
 * edge, if it is one: the step as a form of no iteration. */
static bool induction_step(w2n_loop_view *lv, LLVMValueRef phi, w2n_affine *step) {
    if (lv->self)
        return false; /* one induction at a time */
    LLVMValueRef next = incoming_from(phi, lv->latch);
    if (!next || LLVMCountIncoming(phi) != 2)
        return false;
    lv->self = phi;
    w2n_affine a = eval(lv, next, 0);
    lv->self = NULL;
    if (!a.known || w2n_affine_varies(&a) || a.nterms < 1 || a.nterms > 2)
        return false;
    unsigned self = a.term[0] == phi ? 0 : 1;
    if (self >= a.nterms || a.term[self] != phi || a.coef[self] != 1)
        return false;
    *step = (w2n_affine){.known = true, .bits = a.bits, .c = a.c};
    if (a.nterms == 2) { /* the other term is invariant: only phi is in the loop */
        step->kterm = a.term[1 - self];
        step->kcoef = a.coef[1 - self];
    }
    return true;
}

/* x * t for x = c + k * s (no terms) and t = coef * u, u invariant: the
 * index times a run-time stride, c * coef * u + k * (s * coef) * u. */
static w2n_affine scale_by_term(w2n_affine x, w2n_affine t) {
    if (!x.known || !t.known || x.bits != t.bits || x.nterms || x.kterm || t.nterms != 1 || t.c ||
        w2n_affine_varies(&t))
        return unknown;
    uint64_t m = mask(x.bits);
    w2n_affine r = {.known = true, .bits = x.bits};
    if ((x.c * t.coef[0]) & m) {
        r.nterms = 1;
        r.term[0] = t.term[0];
        r.coef[0] = (x.c * t.coef[0]) & m;
    }
    r.kcoef = (x.k * t.coef[0]) & m;
    r.kterm = r.kcoef ? t.term[0] : NULL;
    return r;
}

/* A value the forms do not see into: without a loop a term of its own, in
 * a loop not affine. */
static w2n_affine opaque(const w2n_loop_view *lv, LLVMValueRef v) {
    return lv->v ? unknown : term(LLVMGetIntTypeWidth(LLVMTypeOf(v)), v);
}

static w2n_affine eval_binary(w2n_loop_view *lv, LLVMValueRef v, int depth) {
    LLVMOpcode op = LLVMGetInstructionOpcode(v);
    if (op == LLVMOr && LLVMGetIsDisjoint(v))
        op = LLVMAdd;
    if (op != LLVMAdd && op != LLVMSub && op != LLVMMul && op != LLVMShl)
        return opaque(lv, v);
    w2n_affine l = eval(lv, LLVMGetOperand(v, 0), depth + 1);
    w2n_affine r = eval(lv, LLVMGetOperand(v, 1), depth + 1);
    switch (op) {
    case LLVMAdd: return add(l, r);
    case LLVMSub: return r.known ? add(l, scale(r, UINT64_MAX)) : unknown;
    case LLVMMul:
        if (is_constant(&r))
            return l.known ? scale(l, r.c) : unknown;
        if (is_constant(&l))
            return r.known ? scale(r, l.c) : unknown;
        if (!lv->v)
            return opaque(lv, v); /* no iteration for a run-time stride to scale */
        return r.nterms ? scale_by_term(l, r) : scale_by_term(r, l);
    default: /* LLVMShl */
        if (!is_constant(&r))
            return opaque(lv, v);
        return l.known ? scale(l, UINT64_C(1) << (r.c & (l.bits - 1))) : unknown;
    }
}

static w2n_affine eval(w2n_loop_view *lv, LLVMValueRef v, int depth) {
    if (depth > MAX_DEPTH || !lv->budget || LLVMGetTypeKind(LLVMTypeOf(v)) != LLVMIntegerTypeKind)
        return unknown;
    unsigned bits = LLVMGetIntTypeWidth(LLVMTypeOf(v));
    if (bits != 32 && bits != 64)
        return unknown;
    lv->budget--;
    if (LLVMIsAConstantInt(v))
        return constant(bits, LLVMConstIntGetZExtValue(v));
    if (v == lv->self || LLVMIsAArgument(v))
        return term(bits, v);
    if (!LLVMIsAInstruction(v))
        return unknown; /* poison, undef, constant expressions */
    if (!lv->v)
        return LLVMIsABinaryOperator(v) ? eval_binary(lv, v, depth) : opaque(lv, v);
    if (!in_loop(lv, v))
        return term(bits, v);
    if (LLVMIsAPHINode(v)) {
        w2n_affine step;
        if (LLVMGetInstructionParent(v) != lv->v->header || !induction_step(lv, v, &step))
            return unknown;
        w2n_affine a = eval(lv, incoming_from(v, lv->v->entry), depth + 1);
        if (!a.known || w2n_affine_varies(&a))
            return unknown;
        a.k = step.c;
        a.kterm = step.kterm;
        a.kcoef = step.kcoef;
        return a;
    }
    if (LLVMIsABinaryOperator(v))
        return eval_binary(lv, v, depth);
    return unknown;
}

/* The one block in the loop that branches back to the header, or NULL. */
LLVMBasicBlockRef w2n_loop_find_latch(w2n_versioned_loop *v) {
    LLVMBasicBlockRef latch = NULL;
    for (LLVMUseRef u = LLVMGetFirstUse(LLVMBasicBlockAsValue(v->header)); u;
         u = LLVMGetNextUse(u)) {
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

/* ---- materialising forms before the loop ---------------------------------------- */

static LLVMTypeRef form_type(const w2n_check_builder *cb, const w2n_affine *a) {
    return a->bits == 64 ? cb->i64 : cb->i32;
}

/* sum(coef * t) of a, in its width, or NULL when a has no terms. */
static LLVMValueRef materialize_terms(w2n_check_builder *cb, const w2n_affine *a) {
    LLVMValueRef v = NULL;
    for (unsigned i = 0; i < a->nterms; i++) {
        LLVMValueRef t = a->term[i];
        if (a->coef[i] != 1)
            t = LLVMBuildMul(cb->b, t, LLVMConstInt(form_type(cb, a), a->coef[i], 0), "");
        v = v ? LLVMBuildAdd(cb->b, v, t, "") : t;
    }
    return v;
}

/* The value of a at iteration 0, in its width. */
LLVMValueRef w2n_affine_materialize(w2n_check_builder *cb, const w2n_affine *a) {
    LLVMValueRef terms = materialize_terms(cb, a), c = LLVMConstInt(form_type(cb, a), a->c, 0);
    return terms ? LLVMBuildAdd(cb->b, terms, c, "") : c;
}

/*
 * The address at iteration 0 as zext(terms) + (int32)c in 64 bits, not
 * zext(terms + c): accesses off one base then differ by constants, which
 * LLVM needs to see to vectorise them together.  The two agree whenever the
 * first is inside [0, 2^32), which the range check makes sure of.  An i64
 * form is the address itself.
 */
LLVMValueRef w2n_affine_first_address(w2n_check_builder *cb, const w2n_affine *a) {
    if (a->bits == 64)
        return w2n_affine_materialize(cb, a);
    LLVMValueRef terms = materialize_terms(cb, a);
    if (!terms)
        return LLVMConstInt(cb->i64, a->c, 0);
    LLVMValueRef base = LLVMBuildZExt(cb->b, terms, cb->i64, "");
    return LLVMBuildAdd(cb->b, base, w2n_c64(cb, (int32_t)(uint32_t)a->c), "");
}

LLVMValueRef w2n_affine_symbolic_step(w2n_check_builder *cb, const w2n_affine *a) {
    LLVMValueRef t = a->kterm;
    if (a->kcoef != 1)
        t = LLVMBuildMul(cb->b, t, LLVMConstInt(cb->i32, a->kcoef, 0), "");
    if (a->k)
        t = LLVMBuildAdd(cb->b, t, LLVMConstInt(cb->i32, a->k, 0), "");
    return LLVMBuildSExt(cb->b, t, cb->i64, "");
}

w2n_affine w2n_affine_eval(w2n_loop_view *lv, LLVMValueRef v) { return eval(lv, v, 0); }

w2n_affine w2n_affine_terms_in(w2n_loop_view *outer, const w2n_affine *a) {
    w2n_affine sum = constant(a->bits, 0);
    for (unsigned i = 0; i < a->nterms && sum.known; i++)
        sum = add(sum, scale(eval(outer, a->term[i], 0), a->coef[i]));
    return sum;
}

bool w2n_i32_offset(LLVMValueRef x, LLVMValueRef y, uint32_t *out_d) {
    w2n_loop_view anywhere = {.budget = LOOP_FREE_BUDGET};
    w2n_affine fx = eval(&anywhere, x, 0), fy = eval(&anywhere, y, 0);
    if (fx.bits != 32 || fy.bits != 32)
        return false;
    w2n_affine diff = add(fy, scale(fx, UINT64_MAX)); /* y - x: the terms must cancel */
    if (!diff.known)
        return false;
    for (unsigned i = 0; i < diff.nterms; i++)
        if (diff.coef[i] != 0)
            return false;
    *out_d = (uint32_t)diff.c;
    return true;
}
