/*
 * lower_trap.c — traps in compiled code: one cold block per trap code and
 * function that calls the runtime's trap helper (which never returns), a
 * block per site when the trap carries an index, and the check of the
 * interrupt flag that --interruptible code makes at loop headers and
 * function entries.
 *
 * The branches to a trap are marked unlikely, so the hot path stays one
 * straight line and the trap blocks sink to the end of the function.
 */
#include "lower.h"

/* End the current block in a call to a trap helper, which never returns. */
static void end_in_trap_call(w2n_lower_func *f, unsigned helper, LLVMValueRef *args,
                             unsigned nargs) {
    w2n_lower_module *lm = f->lm;
    LLVMValueRef call = w2n_lower_call_helper(f, helper, lm->t_void, args, nargs);
    LLVMAddCallSiteAttribute(
        call, LLVMAttributeFunctionIndex,
        LLVMCreateEnumAttribute(lm->ctx, LLVMGetEnumAttributeKindForName("noreturn", 8), 0));
    LLVMAddCallSiteAttribute(
        call, LLVMAttributeFunctionIndex,
        LLVMCreateEnumAttribute(lm->ctx, LLVMGetEnumAttributeKindForName("cold", 4), 0));
    LLVMBuildUnreachable(f->b);
}

/* Branch to `trap` when cond holds, telling the optimiser it is unlikely so
 * the hot path stays straight; continue in a new block. */
static void branch_unlikely(w2n_lower_func *f, LLVMValueRef cond, LLVMBasicBlockRef trap) {
    w2n_lower_module *lm = f->lm;
    LLVMValueRef expect_args[2] = {cond, LLVMConstInt(lm->t_i1, 0, 0)};
    LLVMTypeRef i1 = lm->t_i1;
    cond = w2n_lower_intrinsic(f, "llvm.expect", &i1, 1, expect_args, 2);
    LLVMBasicBlockRef cont = LLVMAppendBasicBlockInContext(lm->ctx, f->fn, "ok");
    LLVMBuildCondBr(f->b, cond, trap, cont);
    LLVMPositionBuilderAtEnd(f->b, cont);
}

/* One cold block per trap code and function: helpers->trap(vmctx, code). */
static LLVMBasicBlockRef trap_block(w2n_lower_func *f, w2n_trap_code code) {
    if (f->trap_blocks[code])
        return f->trap_blocks[code];
    LLVMBasicBlockRef saved = LLVMGetInsertBlock(f->b);
    LLVMBasicBlockRef bb = LLVMAppendBasicBlockInContext(f->lm->ctx, f->fn, "trap");
    LLVMPositionBuilderAtEnd(f->b, bb);
    LLVMValueRef arg = LLVMConstInt(f->lm->t_i32, code, 0);
    end_in_trap_call(f, W2N_HELPER_TRAP, &arg, 1);
    LLVMPositionBuilderAtEnd(f->b, saved);
    f->trap_blocks[code] = bb;
    return bb;
}

void w2n_lower_trap_if(w2n_lower_func *f, LLVMValueRef cond, w2n_trap_code code) {
    branch_unlikely(f, cond, trap_block(f, code));
}

/* A block per site: the index differs from site to site. */
void w2n_lower_trap_if_index(w2n_lower_func *f, LLVMValueRef cond, w2n_trap_code code,
                             LLVMValueRef index) {
    LLVMBasicBlockRef trap = LLVMAppendBasicBlockInContext(f->lm->ctx, f->fn, "trap_index");
    branch_unlikely(f, cond, trap);
    LLVMBasicBlockRef cont = LLVMGetInsertBlock(f->b);
    LLVMPositionBuilderAtEnd(f->b, trap);
    LLVMValueRef args[2] = {LLVMConstInt(f->lm->t_i32, code, 0), index};
    end_in_trap_call(f, W2N_HELPER_TRAP_INDEX, args, 2);
    LLVMPositionBuilderAtEnd(f->b, cont);
}

void w2n_lower_trap(w2n_lower_func *f, w2n_trap_code code) {
    LLVMBuildBr(f->b, trap_block(f, code));
}

void w2n_lower_interrupt_check(w2n_lower_func *f) {
    w2n_lower_module *lm = f->lm;
    if (!lm->opts->interruptible)
        return;
    LLVMValueRef idx = LLVMConstInt(lm->t_i64, W2N_VMCTX_INTERRUPT, 0);
    LLVMValueRef addr = LLVMBuildGEP2(f->b, lm->t_i8, f->vmctx, &idx, 1, "");
    LLVMValueRef flag = LLVMBuildLoad2(f->b, lm->t_i32, addr, "interrupt");
    LLVMSetVolatile(flag, 1);
    LLVMValueRef set = LLVMBuildICmp(f->b, LLVMIntNE, flag, LLVMConstInt(lm->t_i32, 0, 0), "");
    w2n_lower_trap_if(f, set, W2N_TRAP_INTERRUPTED);
}
