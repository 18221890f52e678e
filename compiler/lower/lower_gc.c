/*
 * lower_gc.c — GC references in compiled code (Wasm 3.0 GC; docs/gc.md).
 *
 * In a module that uses GC (module_facts.h), references of the any and extern hierarchies
 * are `ptr addrspace(1)`, LLVM's address space of references a collector
 * may move, and every defined function gets the "statepoint-example"
 * strategy: after optimisation, rewrite-statepoints-for-gc (codegen.c)
 * turns each call that can collect into a statepoint whose live references
 * are spilled, listed in .llvm_stackmaps and reloaded after it, so the
 * runtime's collector finds and updates them.  Helpers that cannot collect
 * are marked gc-leaf-function and stay plain calls.  funcref and exnref
 * never point into the heap and stay plain pointers; a module that uses
 * no GC compiles exactly as before.
 *
 * A reference is one word: 0 null, odd an i31 ((u32)v << 1 | 1), else an
 * object.  i31s are made and read with integer arithmetic through
 * inttoptr/ptrtoint, which the statepoint rewriter treats as base values
 * of their own (the collector leaves odd words alone).
 */
#include "lower.h"
#include "meta.h"

/* The metadata names the GC instructions of constant expressions by their
 * opcodes (the runtime evaluates them). */
_Static_assert(W2N_OP_REF_I31 == W2N_META_CONST_REF_I31 &&
                   W2N_OP_STRUCT_NEW == W2N_META_CONST_STRUCT_NEW &&
                   W2N_OP_STRUCT_NEW_DEFAULT == W2N_META_CONST_STRUCT_NEW_DEFAULT &&
                   W2N_OP_ARRAY_NEW == W2N_META_CONST_ARRAY_NEW &&
                   W2N_OP_ARRAY_NEW_DEFAULT == W2N_META_CONST_ARRAY_NEW_DEFAULT &&
                   W2N_OP_ARRAY_NEW_FIXED == W2N_META_CONST_ARRAY_NEW_FIXED &&
                   W2N_OP_ANY_CONVERT_EXTERN == W2N_META_CONST_ANY_CONVERT_EXTERN &&
                   W2N_OP_EXTERN_CONVERT_ANY == W2N_META_CONST_EXTERN_CONVERT_ANY,
               "GC opcodes in the metadata");

bool w2n_lower_is_gc_ref(const w2n_lower_module *lm, w2n_valtype t) {
    return lm->gc && w2n_module_facts_is_gc_valtype(lm->m, t);
}

void w2n_lower_gc_function(w2n_lower_module *lm, LLVMValueRef fn) {
    if (lm->gc)
        LLVMSetGC(fn, "statepoint-example");
}

void w2n_lower_gc_walkable(w2n_lower_module *lm, LLVMValueRef fn) {
    if (!lm->gc)
        return;
    unsigned uwtable = LLVMGetEnumAttributeKindForName("uwtable", 7);
    LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                            LLVMCreateEnumAttribute(lm->ctx, uwtable, 2 /* async */));
}

void w2n_lower_gc_helper_call(w2n_lower_module *lm, unsigned helper, LLVMValueRef call) {
    if (!lm->gc)
        return;
    /* Only these allocate or run code that may: the others are leaves. */
    switch (helper) {
    case W2N_HELPER_GC_ALLOC:
    case W2N_HELPER_GC_INTERNALIZE:
    case W2N_HELPER_GC_EXTERNALIZE:
    case W2N_HELPER_GC_ARRAY_NEW_DATA:
    case W2N_HELPER_GC_ARRAY_NEW_ELEM:
    case W2N_HELPER_CALL_HOST:
    case W2N_HELPER_CALL_FUNC: return;
    default: break;
    }
    w2n_lower_gc_leaf_call(lm, call);
}

void w2n_lower_gc_leaf_call(w2n_lower_module *lm, LLVMValueRef call) {
    if (!lm->gc)
        return;
    static const char leaf[] = "gc-leaf-function";
    LLVMAddCallSiteAttribute(call, LLVMAttributeFunctionIndex,
                             LLVMCreateStringAttribute(lm->ctx, leaf, sizeof leaf - 1, "", 0));
}

/* ---- function types ------------------------------------------------------ */

LLVMValueRef w2n_lower_func_type_matches(w2n_lower_func *f, LLVMValueRef actual,
                                         LLVMValueRef expected) {
    w2n_lower_module *lm = f->lm;
    LLVMBuilderRef b = f->b;
    LLVMValueRef same = LLVMBuildICmp(b, LLVMIntEQ, actual, expected, "");
    LLVMBasicBlockRef from = LLVMGetInsertBlock(b);
    LLVMBasicBlockRef slow = LLVMAppendBasicBlockInContext(lm->ctx, f->fn, "type_sub");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(lm->ctx, f->fn, "type_checked");
    LLVMBuildCondBr(b, same, done, slow);
    LLVMPositionBuilderAtEnd(b, slow);
    LLVMValueRef args[2] = {actual, expected};
    LLVMValueRef sub = w2n_lower_call_helper(f, W2N_HELPER_TYPE_SUB, lm->t_i32, args, 2);
    LLVMValueRef ok = LLVMBuildICmp(b, LLVMIntNE, sub, LLVMConstInt(lm->t_i32, 0, 0), "");
    LLVMBasicBlockRef slow_end = LLVMGetInsertBlock(b);
    LLVMBuildBr(b, done);
    LLVMPositionBuilderAtEnd(b, done);
    LLVMValueRef phi = LLVMBuildPhi(b, lm->t_i1, "");
    LLVMValueRef vals[2] = {LLVMConstInt(lm->t_i1, 1, 0), ok};
    LLVMBasicBlockRef blocks[2] = {from, slow_end};
    LLVMAddIncoming(phi, vals, blocks, 2);
    return phi;
}

/* ---- instructions ---------------------------------------------------------- */

static LLVMValueRef ref_word(w2n_lower_func *f, LLVMValueRef ref) {
    return LLVMBuildPtrToInt(f->b, ref, f->lm->t_i64, "");
}

bool w2n_lower_gc(w2n_lower_func *f, const w2n_instr *in) {
    w2n_lower_module *lm = f->lm;
    LLVMBuilderRef b = f->b;
    switch (in->op) {
    case W2N_OP_REF_I31: { /* (u32)v << 1 | 1, upper half zero */
        LLVMValueRef v = LLVMBuildZExt(b, w2n_lower_pop(f), lm->t_i64, "");
        v = LLVMBuildShl(b, v, LLVMConstInt(lm->t_i64, 1, 0), "");
        v = LLVMBuildAnd(b, v, LLVMConstInt(lm->t_i64, 0xFFFFFFFFu, 0), "");
        v = LLVMBuildOr(b, v, LLVMConstInt(lm->t_i64, W2N_GC_I31_TAG, 0), "");
        w2n_lower_push(f, LLVMBuildIntToPtr(b, v, lm->t_gcref, "i31"));
        return true;
    }
    case W2N_OP_I31_GET_S:
    case W2N_OP_I31_GET_U: {
        LLVMValueRef ref = w2n_lower_pop(f);
        w2n_lower_trap_if(f, LLVMBuildIsNull(b, ref, ""), W2N_TRAP_NULL_I31);
        LLVMValueRef v = LLVMBuildTrunc(b, ref_word(f, ref), lm->t_i32, "");
        LLVMValueRef one = LLVMConstInt(lm->t_i32, 1, 0);
        w2n_lower_push(f, in->op == W2N_OP_I31_GET_S ? LLVMBuildAShr(b, v, one, "")
                                                     : LLVMBuildLShr(b, v, one, ""));
        return true;
    }
    case W2N_OP_REF_EQ: { /* i31s are canonical words: compare words */
        LLVMValueRef y = ref_word(f, w2n_lower_pop(f));
        LLVMValueRef x = ref_word(f, w2n_lower_pop(f));
        w2n_lower_push(f, LLVMBuildZExt(b, LLVMBuildICmp(b, LLVMIntEQ, x, y, ""), lm->t_i32, ""));
        return true;
    }
    case W2N_OP_ANY_CONVERT_EXTERN:
    case W2N_OP_EXTERN_CONVERT_ANY: {
        LLVMValueRef ref = w2n_lower_pop(f);
        unsigned helper = in->op == W2N_OP_ANY_CONVERT_EXTERN ? W2N_HELPER_GC_INTERNALIZE
                                                              : W2N_HELPER_GC_EXTERNALIZE;
        w2n_lower_push(f, w2n_lower_call_helper(f, helper, lm->t_gcref, &ref, 1));
        return true;
    }
    default: return false;
    }
}
