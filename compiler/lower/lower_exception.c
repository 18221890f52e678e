/*
 * lower_exception.c — throw, throw_ref and try_table, by native unwinding.
 *
 * A module that uses exceptions (module_facts.h) is compiled so the platform unwinder can
 * walk its frames (no nounwind, uwtable).  Entering a try_table costs no
 * instruction: its calls become invokes whose unwind edge goes to one
 * landing pad per try_table, which the runtime's personality routine
 * (W2N_SYM_EH_PERSONALITY, docs/abi.md "Exceptions") enters with the
 * exception in hand.  The pad branches to the try_table's dispatch, which
 * compares the exception's tag with each clause in order; when none
 * matches, the exception goes on to the enclosing try_table's dispatch in
 * the same function, or, with none left, helpers->exception_throw raises
 * it again towards the caller.  A throw inside a try_table of the same
 * function branches to its dispatch directly, without unwinding.
 *
 * An exception is a runtime object (w2n_exception_abi): its tag's identity
 * at W2N_EXCEPTION_TAG and its payload in 16-byte slots from
 * W2N_EXCEPTION_PAYLOAD; an exnref points to one.  `catch` and `catch_all`
 * hand it back to the runtime (exception_drop), which frees it unless a
 * reference to it was ever a Wasm value.
 */
#include "lower.h"

#include <stdlib.h>

/* The innermost try_table of the function at or below control depth `below`
 * (an index into f->blocks, exclusive), or NULL.  A legacy `try` counts
 * while in its body (lower_exception_legacy.c: its catches change its op). */
static w2n_lower_block *handler_below(w2n_lower_func *f, size_t below) {
    for (size_t i = below; i > 0; i--)
        if (f->blocks[i - 1].op == W2N_OP_TRY_TABLE || f->blocks[i - 1].op == W2N_OP_TRY)
            return &f->blocks[i - 1];
    return NULL;
}

LLVMValueRef w2n_lower_personality(w2n_lower_module *lm) {
    if (!lm->personality) {
        LLVMTypeRef fty = LLVMFunctionType(lm->t_i32, NULL, 0, 1);
        lm->personality = LLVMAddFunction(lm->mod, W2N_SYM_EH_PERSONALITY, fty);
    }
    return lm->personality;
}

/* Hand `exn` to try_table `h`'s dispatch from the current block. */
static void goto_dispatch(w2n_lower_func *f, w2n_lower_block *h, LLVMValueRef exn) {
    LLVMBasicBlockRef from = LLVMGetInsertBlock(f->b);
    LLVMAddIncoming(h->exn, &exn, &from, 1);
    LLVMBuildBr(f->b, h->dispatch);
}

/* Raise `exn` from here: to the innermost try_table below control depth
 * `below`, or out of the function.  Ends the current block. */
static void raise_from(w2n_lower_func *f, size_t below, LLVMValueRef exn) {
    w2n_lower_block *h = handler_below(f, below);
    if (h) {
        goto_dispatch(f, h, exn);
        return;
    }
    LLVMValueRef call =
        w2n_lower_call_helper(f, W2N_HELPER_EXCEPTION_THROW, f->lm->t_void, &exn, 1);
    LLVMAddCallSiteAttribute(
        call, LLVMAttributeFunctionIndex,
        LLVMCreateEnumAttribute(f->lm->ctx, LLVMGetEnumAttributeKindForName("noreturn", 8), 0));
    LLVMBuildUnreachable(f->b);
}

/* The landing pad of try_table `h`: made on first use, it takes the
 * exception the personality routine passed and goes to the dispatch. */
static LLVMBasicBlockRef landing_pad(w2n_lower_func *f, w2n_lower_block *h) {
    if (h->landing)
        return h->landing;
    w2n_lower_module *lm = f->lm;
    LLVMBasicBlockRef saved = LLVMGetInsertBlock(f->b);
    h->landing = LLVMAppendBasicBlockInContext(lm->ctx, f->fn, "landing_pad");
    LLVMPositionBuilderAtEnd(f->b, h->landing);
    LLVMTypeRef pad_fields[2] = {lm->t_ptr, lm->t_i32};
    LLVMTypeRef pad_type = LLVMStructTypeInContext(lm->ctx, pad_fields, 2, 0);
    /* No clauses to match: the personality treats every pad as a handler. */
    LLVMValueRef pad = LLVMBuildLandingPad(f->b, pad_type, w2n_lower_personality(lm), 0, "");
    LLVMSetCleanup(pad, 1);
    goto_dispatch(f, h, LLVMBuildExtractValue(f->b, pad, 0, "exn"));
    LLVMPositionBuilderAtEnd(f->b, saved);
    return h->landing;
}

LLVMBasicBlockRef w2n_lower_landing_pad(w2n_lower_func *f) {
    w2n_lower_block *h = f->lm->eh ? handler_below(f, f->nblocks) : NULL;
    return h ? landing_pad(f, h) : NULL;
}

/* Load the tag's parameters from the exception's payload slots into vals. */
static void load_payload(w2n_lower_func *f, LLVMValueRef exn, const w2n_functype *type,
                         LLVMValueRef *vals) {
    w2n_lower_module *lm = f->lm;
    for (uint32_t i = 0; i < type->nparams; i++) {
        LLVMValueRef off = LLVMConstInt(lm->t_i64, W2N_EXCEPTION_PAYLOAD + 16u * i, 0);
        LLVMValueRef slot = LLVMBuildGEP2(f->b, lm->t_i8, exn, &off, 1, "");
        vals[i] = LLVMBuildLoad2(f->b, w2n_lower_type(lm, type->params[i]), slot, "");
    }
}

/* Branch from the current block to label `target` with n values. */
static void branch_with(w2n_lower_func *f, w2n_lower_block *target, LLVMValueRef *vals,
                        uint32_t n) {
    LLVMBasicBlockRef from = LLVMGetInsertBlock(f->b);
    uint32_t arity = target->op == W2N_OP_LOOP ? target->nparams : target->nresults;
    W2N_ASSERT(arity == n);
    for (uint32_t i = 0; i < n; i++) {
        W2N_ASSERT(LLVMTypeOf(vals[i]) == LLVMTypeOf(target->phis[i]));
        LLVMAddIncoming(target->phis[i], &vals[i], &from, 1);
    }
    target->has_branch = true;
    LLVMBuildBr(f->b, target->br_target);
    (void)arity;
}

/* The body of a clause that matched: pass the payload (and the exnref) to
 * its label; without a reference, the exception is given back first. */
static void take_clause(w2n_lower_func *f, size_t try_index, const w2n_catch_clause *c,
                        LLVMValueRef exn) {
    const w2n_module *m = f->lm->m;
    bool ref = c->kind == W2N_CATCH_REF || c->kind == W2N_CATCH_ALL_REF;
    const w2n_functype *type = c->kind <= W2N_CATCH_REF ? &m->types[m->tag_types[c->tag]] : NULL;
    uint32_t n = (type ? type->nparams : 0) + ref;
    LLVMValueRef *vals = w2n_xcalloc(n ? n : 1, sizeof *vals);
    if (type)
        load_payload(f, exn, type, vals);
    if (ref) {
        vals[n - 1] = exn;
        LLVMValueRef off = LLVMConstInt(f->lm->t_i64, W2N_EXCEPTION_FLAGS, 0);
        LLVMBuildStore(f->b, LLVMConstInt(f->lm->t_i32, W2N_EXCEPTION_REFERENCED, 0),
                       LLVMBuildGEP2(f->b, f->lm->t_i8, exn, &off, 1, ""));
    } else
        w2n_lower_call_helper(f, W2N_HELPER_EXCEPTION_DROP, f->lm->t_void, &exn, 1);
    W2N_ASSERT(c->label < try_index);
    branch_with(f, &f->blocks[try_index - 1 - c->label], vals, n);
    free(vals);
}

void w2n_lower_try_table_begin(w2n_lower_func *f, w2n_lower_block *b, const w2n_instr *in) {
    w2n_lower_module *lm = f->lm;
    LLVMContextRef ctx = lm->ctx;
    size_t try_index = (size_t)(b - f->blocks);
    LLVMBasicBlockRef saved = LLVMGetInsertBlock(f->b);
    b->dispatch = LLVMAppendBasicBlockInContext(ctx, f->fn, "dispatch");
    LLVMPositionBuilderAtEnd(f->b, b->dispatch);
    b->exn = LLVMBuildPhi(f->b, lm->t_ptr, "exn");
    /* With --fuel the store's counter is current wherever an exception comes
     * from (calls and throws sync it first): take this function's copy again. */
    w2n_lower_fuel_reload(f);
    LLVMValueRef tag = NULL, tags = NULL;
    for (uint32_t i = 0; i < in->imm.try_table.count; i++) {
        const w2n_catch_clause *c = &in->imm.try_table.clauses[i];
        if (c->kind >= W2N_CATCH_ALL) {
            take_clause(f, try_index, c, b->exn);
            LLVMPositionBuilderAtEnd(f->b, saved);
            return; /* later clauses are never reached */
        }
        if (!tag) {
            /* A plain load: the runtime reuses freed exceptions' memory. */
            LLVMValueRef off = LLVMConstInt(lm->t_i64, W2N_EXCEPTION_TAG, 0);
            tag = LLVMBuildLoad2(f->b, lm->t_ptr,
                                 LLVMBuildGEP2(f->b, lm->t_i8, b->exn, &off, 1, ""), "tag");
            tags = w2n_lower_vmctx_field(f, W2N_VMCTX_TAGS);
        }
        LLVMValueRef want = w2n_lower_fixed_ptr(f, tags, (uint64_t)c->tag * 8);
        LLVMBasicBlockRef match = LLVMAppendBasicBlockInContext(ctx, f->fn, "catch");
        LLVMBasicBlockRef next = LLVMAppendBasicBlockInContext(ctx, f->fn, "no_match");
        LLVMBuildCondBr(f->b, LLVMBuildICmp(f->b, LLVMIntEQ, tag, want, ""), match, next);
        LLVMPositionBuilderAtEnd(f->b, match);
        take_clause(f, try_index, c, b->exn);
        LLVMPositionBuilderAtEnd(f->b, next);
    }
    raise_from(f, try_index, b->exn);
    LLVMPositionBuilderAtEnd(f->b, saved);
}

/* throw: a new exception of the tag, its payload from the stack. */
static void lower_throw(w2n_lower_func *f, uint32_t tag) {
    w2n_lower_module *lm = f->lm;
    const w2n_functype *type = &lm->m->types[lm->m->tag_types[tag]];
    LLVMValueRef *vals = w2n_xcalloc(type->nparams ? type->nparams : 1, sizeof *vals);
    w2n_lower_pop_n(f, vals, type->nparams);
    LLVMValueRef index = w2n_lower_u32(f, tag);
    LLVMValueRef exn = w2n_lower_call_helper(f, W2N_HELPER_EXCEPTION_NEW, lm->t_ptr, &index, 1);
    for (uint32_t i = 0; i < type->nparams; i++) {
        LLVMValueRef off = LLVMConstInt(lm->t_i64, W2N_EXCEPTION_PAYLOAD + 16u * i, 0);
        LLVMBuildStore(f->b, vals[i], LLVMBuildGEP2(f->b, lm->t_i8, exn, &off, 1, ""));
    }
    free(vals);
    raise_from(f, f->nblocks, exn);
}

bool w2n_lower_exception(w2n_lower_func *f, const w2n_instr *in) {
    w2n_lower_fuel_sync(f); /* the counter is the store's once the throw leaves */
    switch (in->op) {
    case W2N_OP_THROW: lower_throw(f, in->imm.index); break;
    case W2N_OP_THROW_REF: {
        LLVMValueRef exn = w2n_lower_pop_as(f, f->lm->t_ptr);
        w2n_lower_trap_if(f, LLVMBuildIsNull(f->b, exn, ""), W2N_TRAP_NULL_EXCEPTION);
        raise_from(f, f->nblocks, exn);
        break;
    }
    default: return false;
    }
    w2n_lower_mark_dead(f);
    return true;
}

/* ---- for the legacy instructions (lower_exception_legacy.c) ---------------------- */

void w2n_lower_exception_raise(w2n_lower_func *f, size_t below, LLVMValueRef exn) {
    raise_from(f, below, exn);
}

void w2n_lower_exception_payload(w2n_lower_func *f, LLVMValueRef exn, const w2n_functype *type,
                                 LLVMValueRef *vals) {
    load_payload(f, exn, type, vals);
}
