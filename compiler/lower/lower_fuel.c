/*
 * lower_fuel.c — fuel: counting executed Wasm instructions (--fuel).
 *
 * Every live instruction costs one unit, control markers (block, loop, if,
 * else, end) included.  The count of a straight-line run is kept at compile
 * time and charged in one go just before the next control instruction
 * (block, loop, if, else, end, br, br_if, br_table, return, call,
 * call_indirect, unreachable), to the function's own copy of the counter:
 * a local, a register after mem2reg, read from the store's counter
 * (vmctx->fuel) at the entry and after every call.
 *
 * The copy is written back to the store's counter, and tested, at the
 * points every endless run must pass: each loop header, before each call
 * and at the return.  The code traps with W2N_TRAP_OUT_OF_FUEL at the first
 * of these points where the count is below zero.  So the trap comes at most
 * one loop-free stretch of one function after the fuel ran out, and the
 * counts, and where the trap happens, depend on the Wasm alone, not on the
 * target, the optimisation level or loop versioning: the same program with
 * the same fuel stops at the same instruction on every run and every
 * target.  A trap other than fuel (say a division by zero), an interrupt or
 * a fault leaves what ran since the last of these points uncharged; fuel is
 * a budget, not a profile.
 *
 * A loop's fast version (loop_version.c) has no write and no test at its
 * header: it runs only when the fuel left covers every instruction it can
 * run (loop_bounds.c), so the checked version would not have trapped in it
 * either, and LLVM can vectorise it.
 *
 * The counter is read and written with volatile accesses.  Otherwise LLVM,
 * seeing a loop whose only exit is the fuel trap, computes the final count
 * in closed form and traps at once: right for a budget (nothing observable
 * happens in between), wrong without one, where the store's INT64_MAX must
 * let an endless loop run until --timeout or an interrupt stops it.  The
 * volatile write at every loop header is what prevents that.
 *
 * Invariant: fuel_pending is 0 whenever control may merge or leave, so no
 * count is lost or charged twice.
 */
#include "lower.h"
#include "opcodes.h"
#include "w2n_assert.h"

static bool is_control(uint32_t op) {
    switch (op) {
    case W2N_OP_UNREACHABLE:
    case W2N_OP_BLOCK:
    case W2N_OP_LOOP:
    case W2N_OP_IF:
    case W2N_OP_ELSE:
    case W2N_OP_END:
    case W2N_OP_BR:
    case W2N_OP_BR_IF:
    case W2N_OP_BR_TABLE:
    case W2N_OP_RETURN:
    case W2N_OP_BR_ON_NULL:
    case W2N_OP_BR_ON_NON_NULL:
    case W2N_OP_TRY_TABLE:
    case W2N_OP_THROW:
    case W2N_OP_THROW_REF:
    case W2N_OP_TRY:
    case W2N_OP_CATCH:
    case W2N_OP_CATCH_ALL:
    case W2N_OP_DELEGATE:
    case W2N_OP_RETHROW: return true;
    default: return w2n_opcode_is_call(op, false) || w2n_opcode_is_call(op, true);
    }
}

void w2n_lower_fuel_reload(w2n_lower_func *f) {
    w2n_lower_module *lm = f->lm;
    if (!lm->opts->fuel)
        return;
    LLVMValueRef now = LLVMBuildLoad2(f->b, lm->t_i64, f->fuel_counter, "fuel");
    LLVMSetVolatile(now, 1);
    w2n_lower_tbaa(lm, now, lm->tbaa_runtime);
    LLVMBuildStore(f->b, now, f->fuel_left);
}

void w2n_lower_fuel_enter(w2n_lower_func *f) {
    w2n_lower_module *lm = f->lm;
    if (!lm->opts->fuel)
        return;
    /* The copy's alloca goes first in the entry block, where mem2reg looks. */
    LLVMBuilderRef at_top = LLVMCreateBuilderInContext(lm->ctx);
    LLVMBasicBlockRef entry = LLVMGetEntryBasicBlock(f->fn);
    LLVMValueRef first = LLVMGetFirstInstruction(entry);
    if (first)
        LLVMPositionBuilderBefore(at_top, first);
    else
        LLVMPositionBuilderAtEnd(at_top, entry);
    f->fuel_left = LLVMBuildAlloca(at_top, lm->t_i64, "fuel_left");
    LLVMDisposeBuilder(at_top);
    f->fuel_counter = w2n_lower_vmctx_field(f, W2N_VMCTX_FUEL);
    w2n_lower_fuel_reload(f);
}

void w2n_lower_fuel_flush(w2n_lower_func *f) {
    w2n_lower_module *lm = f->lm;
    if (!lm->opts->fuel || f->fuel_pending == 0)
        return;
    LLVMValueRef old = LLVMBuildLoad2(f->b, lm->t_i64, f->fuel_left, "");
    LLVMValueRef left = LLVMBuildSub(f->b, old, LLVMConstInt(lm->t_i64, f->fuel_pending, 0), "");
    LLVMBuildStore(f->b, left, f->fuel_left);
    f->fuel_pending = 0;
}

void w2n_lower_fuel_sync(w2n_lower_func *f) {
    w2n_lower_module *lm = f->lm;
    if (!lm->opts->fuel)
        return;
    W2N_ASSERT(f->fuel_pending == 0);
    LLVMValueRef left = LLVMBuildLoad2(f->b, lm->t_i64, f->fuel_left, "");
    LLVMValueRef store = LLVMBuildStore(f->b, left, f->fuel_counter);
    LLVMSetVolatile(store, 1);
    w2n_lower_tbaa(lm, store, lm->tbaa_runtime);
    LLVMValueRef out = LLVMBuildICmp(f->b, LLVMIntSLT, left, LLVMConstInt(lm->t_i64, 0, 0), "");
    w2n_lower_trap_if(f, out, W2N_TRAP_OUT_OF_FUEL);
}

void w2n_lower_fuel_count(w2n_lower_func *f, const w2n_instr *in) {
    if (!f->lm->opts->fuel)
        return;
    f->fuel_pending++;
    if (is_control(in->op))
        w2n_lower_fuel_flush(f);
}
