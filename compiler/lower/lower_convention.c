/*
 * lower_convention.c — how Wasm functions call each other: the C convention,
 * or, for the functions only this module's own code can call, the target's
 * private convention with the vmctx in a callee-saved register.
 *
 * In the C convention the vmctx arrives in the first argument register,
 * which every call clobbers, so a function that calls keeps it in a
 * callee-saved register of its own: a push and a pop, a move in and a move
 * out for every call it makes.  LLVM's swiftcc passes a `swiftself`
 * parameter in a callee-saved register instead (r13 on x86-64, x20 on
 * AArch64), so a call from one such function to another leaves the vmctx
 * where it is: nothing to save, nothing to move (recursion: 4 instructions
 * of fib's 14 per call; docs/performance.md, "The vmctx in a callee-saved
 * register").  Its other rules are the C convention's for the values Wasm
 * has, plus more registers for several results.
 *
 * Invariant: a function in the private convention has no trampoline, is
 * never in a table, never exported and never a funcref (w2n_module_facts.escapes),
 * so only direct calls of this module reach it and each of those is built
 * here with the same convention.  Its w2n_functions entry names it for
 * backtraces only (docs/abi.md).  Kept in the C convention: every function of
 * a target without a callee-saved argument register (RISC-V: LLVM 19 has no
 * swiftcc there), of an -O0 build (FastISel selects C calls only), of a
 * module past the function budget (the same), of a GC module (statepoints)
 * and of a module with tail calls (musttail needs one convention on both
 * sides; docs/abi.md, "Tail calls").  In explicit bounds mode, also kept
 * in the C convention: a function that calls itself from a loop that reads
 * or writes memory (w2n_function_facts.calls_self_in_memory_loop).  Such a
 * loop keeps the memory's record (base and size, reloaded after each call:
 * the callee may grow memory) live across the call beside the vmctx; with
 * the vmctx bound to a callee-saved register at the call, LLVM's allocator
 * gave that register to the record, spilled the vmctx and then another
 * value of the loop: quicksort's recursive sort spilled `hi` and ran 3.5 %
 * slower than in the C convention, at fewer instructions.  Only self-calls:
 * marking every callee of such loops added instructions elsewhere
 * (sqlbench +0.9 %, hashtable +0.7 %) for no time (docs/performance.md,
 * "Private convention: not for self-calls in memory loops").
 */
#include "lower.h"
#include "target.h"

void w2n_lower_conventions_init(w2n_lower_module *lm) {
    const w2n_module *m = lm->m;
    lm->private_cc = NULL;
    if (!lm->target || !lm->target->vmctx_callee_saved || !lm->opts || lm->opts->opt_level == 0 ||
        lm->many_functions || lm->gc || lm->facts->has_tail_calls)
        return;
    bool explicit_bounds = lm->opts->bounds == W2N_BOUNDS_EXPLICIT;
    lm->private_cc = w2n_xcalloc(m->nfuncs, 1);
    for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++)
        lm->private_cc[i] =
            !lm->facts->escapes[i] &&
            !(explicit_bounds && w2n_module_facts_func(lm->facts, m, i)->calls_self_in_memory_loop);
}

static LLVMAttributeRef swiftself(w2n_lower_module *lm) {
    static const char name[] = "swiftself";
    unsigned kind = LLVMGetEnumAttributeKindForName(name, sizeof name - 1);
    return LLVMCreateEnumAttribute(lm->ctx, kind, 0);
}

void w2n_lower_declare_convention(w2n_lower_module *lm, LLVMValueRef fn, uint32_t func_index) {
    if (!lm->private_cc || !lm->private_cc[func_index])
        return;
    LLVMSetFunctionCallConv(fn, LLVMSwiftCallConv);
    LLVMAddAttributeAtIndex(fn, 1, swiftself(lm));
}

void w2n_lower_call_convention(w2n_lower_module *lm, LLVMValueRef call, LLVMValueRef callee) {
    if (!LLVMIsAFunction(callee)) /* through a record: an escaping function */
        return;
    unsigned cc = LLVMGetFunctionCallConv(callee);
    if (cc == LLVMCCallConv)
        return;
    LLVMSetInstructionCallConv(call, cc);
    LLVMAddCallSiteAttribute(call, 1, swiftself(lm));
}
