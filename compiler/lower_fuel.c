/*
 * lower_fuel.c — fuel: counting executed Wasm instructions (--fuel).
 *
 * Every live instruction costs one unit, control markers (block, loop, if,
 * else, end) included.  The count of a straight-line run is kept at compile
 * time and charged in one go, `*vmctx->fuel -= n`, just before the next
 * control instruction (block, loop, if, else, end, br, br_if, br_table,
 * return, call, call_indirect, unreachable), and the code traps with
 * W2N_TRAP_OUT_OF_FUEL when the result is below zero.  Every path through
 * the function therefore pays for what it ran before it branches, calls or
 * returns, and the counts depend on the Wasm alone, not on the target, the
 * optimisation level or loop versioning: the same program with the same fuel
 * stops at the same instruction on every run and every target.  A trap
 * other than fuel (say a division by zero) leaves the run's last segment
 * uncharged; fuel is a budget, not a profile.
 *
 * The counter is read and written with volatile accesses.  Otherwise LLVM,
 * seeing a loop whose only exit is the fuel trap, computes the final count
 * in closed form and traps at once: right for a budget (nothing observable
 * happens in between), wrong without one, where the store's INT64_MAX must
 * let an endless loop run until --timeout or an interrupt stops it.
 *
 * Invariant: fuel_pending is 0 whenever control may merge or leave, so no
 * count is lost or charged twice.
 */
#include "lower.h"
#include "opcodes.h"

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
    case W2N_OP_CALL:
    case W2N_OP_CALL_INDIRECT:
    case W2N_OP_RETURN_CALL:
    case W2N_OP_RETURN_CALL_INDIRECT:
        return true;
    default:
        return false;
    }
}

void w2n_lower_fuel_flush(w2n_lower_func *f) {
    w2n_lower_module *lm = f->lm;
    if (!lm->opts->fuel || f->fuel_pending == 0)
        return;
    LLVMValueRef counter = w2n_lower_vmctx_field(f, W2N_VMCTX_FUEL);
    LLVMValueRef old = LLVMBuildLoad2(f->b, lm->t_i64, counter, "fuel");
    LLVMSetVolatile(old, 1);
    w2n_lower_tbaa(lm, old, lm->tbaa_runtime);
    LLVMValueRef left = LLVMBuildSub(f->b, old, LLVMConstInt(lm->t_i64, f->fuel_pending, 0), "");
    LLVMValueRef store = LLVMBuildStore(f->b, left, counter);
    LLVMSetVolatile(store, 1);
    w2n_lower_tbaa(lm, store, lm->tbaa_runtime);
    f->fuel_pending = 0;
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
