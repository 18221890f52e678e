/*
 * lower_gc_cast.c — ref.test, ref.cast, br_on_cast and br_on_cast_fail
 * (docs/gc.md, "Objects"): one test, built as a few blocks that end in a
 * phi of i1.
 *
 * null passes exactly when the target is nullable.  Abstract targets look
 * at the word (bit 0: an i31) and at an object's descriptor's kind; a
 * concrete struct or array type $t of subtype depth d compares the
 * object's descriptor's display[d] (d < W2N_GC_DISPLAY; entries past its
 * own depth are NULL) or, deeper, its supers[d] after checking its depth,
 * with vmctx->gc_types[t].  A function reference is a w2n_func record:
 * its type id is compared with vmctx->type_ids[t], which settles a final
 * type; for another, different ids ask the runtime (helpers->type_sub).
 */
#include "lower.h"

typedef struct test {
    w2n_lower_func *f;
    LLVMBasicBlockRef done;
    LLVMValueRef vals[4];
    LLVMBasicBlockRef from[4];
    unsigned n;
} test;

static LLVMBasicBlockRef block(test *t, const char *name) {
    return LLVMAppendBasicBlockInContext(t->f->lm->ctx, t->f->fn, name);
}

/* The current block answers `bit` when `cond` (else it goes on in a new
 * block); cond NULL: always. */
static void answer_if(test *t, LLVMValueRef cond, LLVMValueRef bit) {
    LLVMBuilderRef b = t->f->b;
    W2N_ASSERT(t->n < 4);
    t->vals[t->n] = bit;
    t->from[t->n++] = LLVMGetInsertBlock(b);
    if (!cond) {
        LLVMBuildBr(b, t->done);
        return;
    }
    LLVMBasicBlockRef next = block(t, "cast_next");
    LLVMBuildCondBr(b, cond, t->done, next);
    LLVMPositionBuilderAtEnd(b, next);
}

static LLVMValueRef bit(test *t, bool v) { return LLVMConstInt(t->f->lm->t_i1, v, 0); }

static LLVMValueRef load_at(w2n_lower_func *f, LLVMTypeRef ty, LLVMValueRef base, uint64_t off) {
    LLVMValueRef idx = LLVMConstInt(f->lm->t_i64, off, 0);
    LLVMValueRef v =
        LLVMBuildLoad2(f->b, ty, LLVMBuildGEP2(f->b, f->lm->t_i8, base, &idx, 1, ""), "");
    w2n_lower_tbaa(f->lm, v, f->lm->tbaa_runtime);
    return v;
}

/* Subtype depth of a struct or array type: its declared supertypes. */
static uint32_t depth_of(const w2n_module *m, uint32_t type) {
    uint32_t d = 0;
    for (uint32_t s = m->typedefs[type].supertype; s != W2N_NO_SUPERTYPE;
         s = m->typedefs[s].supertype)
        d++;
    return d;
}

/* Non-null v of the any hierarchy against concrete struct or array type. */
static void concrete_object(test *t, LLVMValueRef v, uint32_t type) {
    w2n_lower_func *f = t->f;
    w2n_lower_module *lm = f->lm;
    LLVMValueRef want =
        w2n_lower_fixed_ptr(f, w2n_lower_vmctx_field(f, W2N_VMCTX_GC_TYPES), (uint64_t)type * 8);
    LLVMValueRef rtt = load_at(f, lm->t_ptr, v, 0);
    uint32_t d = depth_of(lm->m, type);
    LLVMValueRef super;
    if (d < W2N_GC_DISPLAY) {
        super = load_at(f, lm->t_ptr, rtt, W2N_GC_RTT_DISPLAY + (uint64_t)d * 8);
    } else {
        LLVMValueRef depth = load_at(f, lm->t_i32, rtt, W2N_GC_RTT_DEPTH);
        LLVMValueRef shallow =
            LLVMBuildICmp(f->b, LLVMIntULT, depth, LLVMConstInt(lm->t_i32, d, 0), "");
        answer_if(t, shallow, bit(t, false));
        LLVMValueRef supers = load_at(f, lm->t_ptr, rtt, W2N_GC_RTT_SUPERS);
        super = load_at(f, lm->t_ptr, supers, (uint64_t)d * 8);
    }
    answer_if(t, NULL, LLVMBuildICmp(f->b, LLVMIntEQ, super, want, ""));
}

/* Non-null v of the any hierarchy against an abstract one, or concrete. */
static void any_hierarchy(test *t, LLVMValueRef v, int64_t ht) {
    w2n_lower_func *f = t->f;
    w2n_lower_module *lm = f->lm;
    uint8_t code = ht < 0 ? (uint8_t)(ht & 0x7F) : 0;
    if (code == W2N_ANYREF) {
        answer_if(t, NULL, bit(t, true));
        return;
    }
    if (code == W2N_NULLREF) {
        answer_if(t, NULL, bit(t, false));
        return;
    }
    LLVMValueRef word = LLVMBuildPtrToInt(f->b, v, lm->t_i64, "");
    LLVMValueRef is_i31 = LLVMBuildTrunc(f->b, word, lm->t_i1, "");
    if (code == W2N_I31REF) {
        answer_if(t, NULL, is_i31);
        return;
    }
    answer_if(t, is_i31, bit(t, code == W2N_EQREF));
    if (ht >= 0) {
        concrete_object(t, v, (uint32_t)ht);
        return;
    }
    LLVMValueRef rtt = load_at(f, lm->t_ptr, v, 0);
    LLVMValueRef kind = load_at(f, lm->t_i32, rtt, W2N_GC_RTT_KIND);
    LLVMValueRef ok;
    if (code == W2N_EQREF) /* struct or array, not a host box */
        ok = LLVMBuildICmp(f->b, LLVMIntULE,
                           LLVMBuildSub(f->b, kind, LLVMConstInt(lm->t_i32, 1, 0), ""),
                           LLVMConstInt(lm->t_i32, W2N_GC_KIND_ARRAY - 1, 0), "");
    else
        ok = LLVMBuildICmp(
            f->b, LLVMIntEQ, kind,
            LLVMConstInt(lm->t_i32, code == W2N_STRUCTREF ? W2N_GC_KIND_STRUCT : W2N_GC_KIND_ARRAY,
                         0),
            "");
    answer_if(t, NULL, ok);
}

/* Non-null function record v against func, nofunc or $t. */
static void func_hierarchy(test *t, LLVMValueRef v, int64_t ht) {
    w2n_lower_func *f = t->f;
    w2n_lower_module *lm = f->lm;
    if (ht < 0) {
        answer_if(t, NULL, bit(t, (uint8_t)(ht & 0x7F) == W2N_FUNCREF));
        return;
    }
    LLVMValueRef id = load_at(f, lm->t_i32, v, 24); /* w2n_func.type_id */
    LLVMValueRef want =
        load_at(f, lm->t_i32, w2n_lower_vmctx_field(f, W2N_VMCTX_TYPE_IDS), (uint64_t)ht * 4);
    answer_if(t, NULL,
              lm->m->typedefs[ht].is_final ? LLVMBuildICmp(f->b, LLVMIntEQ, id, want, "")
                                           : w2n_lower_func_type_matches(f, id, want));
}

/* i1: does v pass a cast to heap type `ht` (nullable or not)? */
static LLVMValueRef cast_test(w2n_lower_func *f, LLVMValueRef v, int64_t ht, bool nullable) {
    w2n_lower_module *lm = f->lm;
    test t = {f, NULL, {0}, {0}, 0};
    t.done = block(&t, "cast_done");
    answer_if(&t, LLVMBuildIsNull(f->b, v, ""), bit(&t, nullable));
    bool gc = LLVMTypeOf(v) == lm->t_gcref;
    w2n_heaptype top = ht >= 0 ? W2N_ANYREF : w2n_heaptype_top((w2n_heaptype)(ht & 0x7F));
    if (ht >= 0 && lm->m->typedefs[ht].kind == W2N_TYPE_FUNC) {
        func_hierarchy(&t, v, ht);
    } else if (!gc || top == W2N_EXTERNREF || top == W2N_EXNREF) {
        /* func, extern, exn and their bottoms: the top passes, a bottom not */
        uint8_t code = (uint8_t)(ht & 0x7F);
        answer_if(&t, NULL,
                  bit(&t, code == W2N_FUNCREF || code == W2N_EXTERNREF || code == W2N_EXNREF));
    } else {
        any_hierarchy(&t, v, ht);
    }
    LLVMPositionBuilderAtEnd(f->b, t.done);
    LLVMValueRef phi = LLVMBuildPhi(f->b, lm->t_i1, "cast");
    LLVMAddIncoming(phi, t.vals, t.from, t.n);
    return phi;
}

bool w2n_lower_gc_cast(w2n_lower_func *f, const w2n_instr *in) {
    w2n_lower_module *lm = f->lm;
    switch (in->op) {
    case W2N_OP_REF_TEST:
    case W2N_OP_REF_TEST_NULL: {
        LLVMValueRef ok =
            cast_test(f, w2n_lower_pop(f), in->imm.heaptype, in->op == W2N_OP_REF_TEST_NULL);
        w2n_lower_push(f, LLVMBuildZExt(f->b, ok, lm->t_i32, ""));
        return true;
    }
    case W2N_OP_REF_CAST:
    case W2N_OP_REF_CAST_NULL: {
        LLVMValueRef v = w2n_lower_pop(f);
        LLVMValueRef ok = cast_test(f, v, in->imm.heaptype, in->op == W2N_OP_REF_CAST_NULL);
        w2n_lower_trap_if(f, LLVMBuildNot(f->b, ok, ""), W2N_TRAP_CAST_FAILURE);
        w2n_lower_push(f, v);
        return true;
    }
    case W2N_OP_BR_ON_CAST:
    case W2N_OP_BR_ON_CAST_FAIL: {
        LLVMValueRef v = w2n_lower_peek(f, 0);
        bool to_nullable = (in->imm.br_on_cast.flags & 2) != 0;
        LLVMValueRef ok = cast_test(f, v, in->imm.br_on_cast.to, to_nullable);
        if (in->op == W2N_OP_BR_ON_CAST_FAIL)
            ok = LLVMBuildNot(f->b, ok, "");
        w2n_lower_br_on_keeping(f, in->imm.br_on_cast.label, ok);
        return true;
    }
    default: return false;
    }
}
