/*
 * lower_dispatch.c — an interpreter's dispatch as a table of code addresses.
 *
 * A dispatch (a br_table of 8 targets or more inside a loop; lower_control.c)
 * whose index is a byte (`i32.load8_u` of an opcode: clang's `switch` over a
 * uint8_t in an interpreter's loop) is, on a target that
 * asks for it (w2n_target.threaded_dispatch), lowered to a load from a
 * constant array of 256 block addresses and an `indirectbr`, not to a
 * `switch`.  Every byte has its entry (the br_table's default for those past
 * its targets), so no range check is needed, and LLVM's tail duplication
 * copies a dispatch that ends in an indirect branch into every block that
 * jumps to it: each handler ends in its own opcode load and indirect jump
 * ("threaded code").  A switch would become a compare tree (x86-64 makes
 * one below 16 cases; target.c) or one jump table that every handler jumps
 * back to, whose speed follows where it lands in a 64-byte line
 * (docs/performance.md, "The bytecode interpreter, session 14").
 *
 * Invariant: the index is `zext i8`, so it is below 256 and every value it
 * can take has an entry; the entry of value i is the edge of target i below
 * the br_table's count and the default's edge from there on, as Wasm says.
 * LLVM does not inline a function with an indirectbr; its callers call it.
 */
#include "lower.h"
#include "target.h"

#define BYTE_VALUES 256

bool w2n_lower_threaded_dispatch(w2n_lower_func *f, LLVMValueRef index, LLVMBasicBlockRef *edges,
                                 const uint32_t *all, uint32_t n) {
    w2n_lower_module *lm = f->lm;
    if (!lm->target->threaded_dispatch || n >= BYTE_VALUES || !LLVMIsAZExtInst(index) ||
        LLVMTypeOf(LLVMGetOperand(index, 0)) != lm->t_i8)
        return false;
    LLVMValueRef code[BYTE_VALUES];
    for (uint32_t i = 0; i < BYTE_VALUES; i++)
        code[i] = LLVMBlockAddress(f->fn, edges[all[i < n ? i : n]]);
    LLVMValueRef table = w2n_lower_code_pointer_table(lm, "w2n_dispatch", code, BYTE_VALUES);
    LLVMValueRef dest =
        w2n_lower_load_code_pointer(f, table, index, "dispatch_slot", "dispatch_code");
    LLVMValueRef br = LLVMBuildIndirectBr(f->b, dest, n + 1);
    for (uint32_t d = 0; d < f->nblocks; d++) /* each edge once */
        if (edges[d])
            LLVMAddDestination(br, edges[d]);
    return true;
}
