/*
 * lower_exception_legacy.c — the legacy exception instructions (try, catch,
 * catch_all, delegate, rethrow; what LLVM 19 emits for C++ and for C's
 * setjmp/longjmp) on the machinery of lower_exception.c.
 *
 * A `try` is a block that is a handler while its body is lowered, exactly
 * like a try_table: calls in it are invokes to its landing pad, and its
 * dispatch block receives the exception.  Its clauses come later, one
 * `catch` at a time, so the dispatch grows as they come: each `catch x`
 * adds a test of the exception's tag at the dispatch's open end
 * (`no_match`), and `catch_all` takes whatever is left.  At the try's `end`
 * what no clause took goes on to the enclosing handler of the function or
 * to the caller; `delegate l` (an `end` too) sends everything to the
 * handler at or outside label l.
 *
 * A catch starts like an `else`: the part before it branches to the try's
 * continuation, and the catch body, entered only from the dispatch, starts
 * with the payload on the stack.  The block's op becomes CATCH / CATCH_ALL,
 * so it is no handler for its catch bodies.  `rethrow l` raises the
 * exception of the catch at label l again: the dispatch's phi, which
 * dominates every catch body.
 *
 * Giving the exception back (helpers->exception_drop): a catch that no
 * rethrow names does so once its payload is loaded.  One that a rethrow
 * names holds it until its body is left, at its end or by a branch out
 * (w2n_lower_legacy_leaving); but when that rethrow lies inside a handler
 * within the catch body, which may catch the exception and come back, the
 * body never gives it back and the store reclaims it (C++ and setjmp code
 * rethrow to outside the catch).  An exception that leaves a catch body by
 * a throw or a trap stays with the store too.
 */
#include "lower.h"

#include <stdlib.h>

/* A catch that a rethrow names (found by scan_rethrows). */
typedef struct w2n_rethrown_catch {
    size_t offset;       /* of the catch or catch_all instruction */
    bool inside_handler; /* some such rethrow lies in a handler inside the catch body */
} w2n_rethrown_catch;

static void note_rethrow(w2n_lower_func *f, size_t offset, bool inside_handler) {
    for (size_t i = 0; i < f->nrethrown; i++)
        if (f->rethrown[i].offset == offset) {
            f->rethrown[i].inside_handler |= inside_handler;
            return;
        }
    f->rethrown = w2n_xrealloc(f->rethrown, f->nrethrown + 1, sizeof *f->rethrown);
    f->rethrown[f->nrethrown++] = (w2n_rethrown_catch){offset, inside_handler};
}

/* Find the catches of the function that rethrows name, once per function. */
static void scan_rethrows(w2n_lower_func *f) {
    const w2n_module *m = f->lm->m;
    const w2n_code *code = &m->codes[f->func_index - m->nimported_funcs];
    struct open_block {
        uint32_t op;
        size_t catch_offset;
    } *open = w2n_xcalloc(16, sizeof *open);
    size_t n = 1, cap = 16; /* the function's own block */
    w2n_error ignored;
    w2n_instr_reader ir;
    w2n_instr_reader_init(&ir, m->bytes, code->body_start, code->body_end, &ignored);
    ir.r.features = m->features;
    w2n_instr in;
    while (n > 0 && !w2n_instr_reader_done(&ir) && w2n_instr_read(&ir, &in)) {
        if (w2n_opcode_opens_block(in.op)) {
            if (n == cap)
                open = w2n_xgrow(open, &cap, n + 1, sizeof *open, 16);
            open[n++] = (struct open_block){in.op, 0};
        } else if (in.op == W2N_OP_CATCH || in.op == W2N_OP_CATCH_ALL) {
            open[n - 1] = (struct open_block){in.op, in.offset};
        } else if (w2n_opcode_closes_block(in.op)) {
            n--;
        } else if (in.op == W2N_OP_RETHROW && in.imm.index < n) {
            size_t target = n - 1 - in.imm.index;
            bool inside_handler = false;
            for (size_t i = target + 1; i < n; i++)
                inside_handler |= open[i].op == W2N_OP_TRY || open[i].op == W2N_OP_TRY_TABLE;
            note_rethrow(f, open[target].catch_offset, inside_handler);
        }
    }
    w2n_instr_reader_free(&ir);
    free(open);
    f->rethrown_scanned = true;
}

static const w2n_rethrown_catch *find_rethrown(const w2n_lower_func *f, size_t offset) {
    for (size_t i = 0; i < f->nrethrown; i++)
        if (f->rethrown[i].offset == offset)
            return &f->rethrown[i];
    return NULL;
}

static void give_back(w2n_lower_func *f, LLVMValueRef exn) {
    w2n_lower_call_helper(f, W2N_HELPER_EXCEPTION_DROP, f->lm->t_void, &exn, 1);
}

void w2n_lower_legacy_try_begin(w2n_lower_func *f, w2n_lower_block *b) {
    if (!f->rethrown_scanned)
        scan_rethrows(f);
    LLVMBasicBlockRef saved = LLVMGetInsertBlock(f->b);
    b->dispatch = LLVMAppendBasicBlockInContext(f->lm->ctx, f->fn, "dispatch");
    LLVMPositionBuilderAtEnd(f->b, b->dispatch);
    b->exn = LLVMBuildPhi(f->b, f->lm->t_ptr, "exn");
    b->no_match = b->dispatch;
    LLVMPositionBuilderAtEnd(f->b, saved);
}

/* The dispatch's test for `catch tag`: on a match, go to `body`. */
static void test_tag(w2n_lower_func *f, w2n_lower_block *b, uint32_t tag, LLVMBasicBlockRef body) {
    w2n_lower_module *lm = f->lm;
    if (!b->exn_tag) { /* in the dispatch block itself: it dominates every test */
        LLVMValueRef off = LLVMConstInt(lm->t_i64, W2N_EXCEPTION_TAG, 0);
        b->exn_tag = LLVMBuildLoad2(f->b, lm->t_ptr,
                                    LLVMBuildGEP2(f->b, lm->t_i8, b->exn, &off, 1, ""), "tag");
    }
    LLVMValueRef tags = w2n_lower_vmctx_field(f, W2N_VMCTX_TAGS);
    LLVMValueRef want = w2n_lower_fixed_ptr(f, tags, (uint64_t)tag * 8);
    LLVMBasicBlockRef next = LLVMAppendBasicBlockInContext(lm->ctx, f->fn, "no_match");
    LLVMBuildCondBr(f->b, LLVMBuildICmp(f->b, LLVMIntEQ, b->exn_tag, want, ""), body, next);
    b->no_match = next;
}

static void begin_catch(w2n_lower_func *f, const w2n_instr *in) {
    w2n_lower_module *lm = f->lm;
    w2n_lower_block *b = &f->blocks[f->nblocks - 1];
    W2N_ASSERT(b->op == W2N_OP_TRY || b->op == W2N_OP_CATCH);
    w2n_lower_block_next_part(f); /* a catch body before gives its exception back */
    b->op = in->op;
    LLVMBasicBlockRef body = LLVMAppendBasicBlockInContext(lm->ctx, f->fn, "catch");
    LLVMPositionBuilderAtEnd(f->b, b->no_match);
    if (in->op == W2N_OP_CATCH) {
        test_tag(f, b, in->imm.index, body);
    } else {
        LLVMBuildBr(f->b, body);
        b->no_match = NULL;
    }
    LLVMPositionBuilderAtEnd(f->b, body);
    if (in->op == W2N_OP_CATCH) {
        const w2n_functype *type = &lm->m->types[lm->m->tag_types[in->imm.index]];
        LLVMValueRef *vals = w2n_xcalloc(type->nparams ? type->nparams : 1, sizeof *vals);
        w2n_lower_exception_payload(f, b->exn, type, vals);
        for (uint32_t i = 0; i < type->nparams; i++)
            w2n_lower_push(f, vals[i]);
        free(vals);
    }
    const w2n_rethrown_catch *r = find_rethrown(f, in->offset);
    b->holds_exn = r && !r->inside_handler;
    if (!r)
        give_back(f, b->exn);
    w2n_lower_fuel_reload(f); /* calls and throws synced the store's counter */
}

void w2n_lower_legacy_try_end(w2n_lower_func *f, w2n_lower_block *b, const w2n_instr *in) {
    if (!b->no_match)
        return;
    size_t index = (size_t)(b - f->blocks);
    size_t below = index;
    if (in->op == W2N_OP_DELEGATE) {
        W2N_ASSERT(in->imm.index < index);
        below = index - in->imm.index;
    }
    LLVMBasicBlockRef saved = LLVMGetInsertBlock(f->b);
    LLVMPositionBuilderAtEnd(f->b, b->no_match);
    w2n_lower_exception_raise(f, below, b->exn);
    LLVMPositionBuilderAtEnd(f->b, saved);
    b->no_match = NULL;
}

bool w2n_lower_legacy_leaving(w2n_lower_func *f, size_t target, bool emit) {
    /* Only a catch that a rethrow names holds its exception.  Without one,
     * do not walk the blocks: every branch of a br_table would walk them
     * all, time quadratic in a deep switch (docs/security.md). */
    if (!f->nrethrown)
        return false;
    bool any = false;
    /* A branch to a catch body's own label leaves it too (only a loop's
     * label is inside its block, and a loop holds no exception). */
    for (size_t i = target; i < f->nblocks; i++) {
        if (!f->blocks[i].holds_exn)
            continue;
        any = true;
        if (emit)
            give_back(f, f->blocks[i].exn);
    }
    return any;
}

bool w2n_lower_legacy_exception(w2n_lower_func *f, const w2n_instr *in) {
    switch (in->op) {
    case W2N_OP_CATCH:
    case W2N_OP_CATCH_ALL: begin_catch(f, in); return true;
    case W2N_OP_RETHROW: {
        W2N_ASSERT(in->imm.index < f->nblocks);
        const w2n_lower_block *c = &f->blocks[f->nblocks - 1 - in->imm.index];
        W2N_ASSERT(c->op == W2N_OP_CATCH || c->op == W2N_OP_CATCH_ALL);
        w2n_lower_fuel_sync(f); /* as throw: the counter is the store's once it leaves */
        w2n_lower_exception_raise(f, f->nblocks, c->exn);
        w2n_lower_mark_dead(f);
        return true;
    }
    default: return false;
    }
}
