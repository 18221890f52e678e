/*
 * module_facts_stack.c — which functions compare the stack pointer with
 * vmctx->stack_limit at their entry.
 *
 * The runtime keeps W2N_STACK_RESERVE of real stack below the limit
 * (runtime/core/call.c), for runtime helpers and host functions and for the
 * frames that run past the limit before a check sees them.  A function with
 * a small frame may therefore go unchecked where it cannot start a chain of
 * unchecked frames:
 *
 *   - a leaf: it calls no Wasm function, so below it run only helpers;
 *   - an unchecked caller: its every call is a direct call of a defined
 *     function that is not itself an unchecked caller (a function that
 *     checks, or a leaf).  Below its frame, the next Wasm frame's check
 *     stops any recursion; it adds one small frame, and a leaf's, to what
 *     runs below the limit, never a chain.  A call_indirect, call_ref, tail
 *     call or call of an import could reach any function, so its caller
 *     checks, and so does a function that calls itself.
 *
 * Of a caller and its callee, both candidates, only one may go unchecked;
 * the choice is greedy, functions that escape (exports, table elements)
 * first: sqlbench's sort comparators, called through a table 0.84 M times,
 * call on only on a cold path, and their callees check instead
 * (docs/performance.md, "The cost of a call: stack checks and the memory
 * base").
 *
 * "Small" is the leaf rule that came before this file: at most 256 locals
 * (parameters included) and 8 KiB of body, so its frame is a few KiB at
 * most, against a reserve of 256 KiB.
 */
#include "module_facts.h"

#include <stdlib.h>

enum {
    SMALL_FRAME_LOCALS = 256,
    SMALL_FRAME_BODY = 8192
};

static bool small_frame(const w2n_module *m, uint32_t func_index) {
    const w2n_code *code = &m->codes[func_index - m->nimported_funcs];
    uint64_t nlocals = (uint64_t)w2n_module_func_type(m, func_index)->nparams + code->nlocals;
    return nlocals <= SMALL_FRAME_LOCALS && code->body_end - code->body_start <= SMALL_FRAME_BODY;
}

/* Could the function go unchecked if none of its callees did so too? */
static bool unchecked_caller_candidate(const w2n_module *m, const w2n_function_facts *ff,
                                       uint32_t func_index) {
    return ff->calls && !ff->calls_outside && small_frame(m, func_index);
}

/* Can candidate `func_index` go unchecked, given the choices so far: none
 * of its callees goes unchecked as a caller (itself included), and no
 * unchecked caller calls it? */
static bool may_go_unchecked(const w2n_module *m, const w2n_module_facts *facts,
                             const bool *unchecked_caller, const bool *called_by_unchecked,
                             uint32_t func_index) {
    const w2n_function_facts *ff = w2n_module_facts_func(facts, m, func_index);
    if (called_by_unchecked[func_index] || !unchecked_caller_candidate(m, ff, func_index))
        return false;
    for (uint32_t c = 0; c < ff->ncallees; c++) {
        uint32_t callee = facts->callees[ff->first_callee + c];
        if (callee == func_index || unchecked_caller[callee])
            return false;
    }
    return true;
}

static void choose(const w2n_module *m, w2n_module_facts *facts, bool *unchecked_caller,
                   bool *called_by_unchecked, uint32_t func_index) {
    if (!may_go_unchecked(m, facts, unchecked_caller, called_by_unchecked, func_index))
        return;
    unchecked_caller[func_index] = true;
    const w2n_function_facts *ff = w2n_module_facts_func(facts, m, func_index);
    for (uint32_t c = 0; c < ff->ncallees; c++)
        called_by_unchecked[facts->callees[ff->first_callee + c]] = true;
}

bool w2n_module_facts_stack_checks(const w2n_module *m, w2n_module_facts *facts) {
    bool *unchecked_caller = calloc(m->nfuncs + 1, sizeof *unchecked_caller);
    bool *called_by_unchecked = calloc(m->nfuncs + 1, sizeof *called_by_unchecked);
    bool ok = unchecked_caller && called_by_unchecked;
    /* Of two candidates that call one another only one can go unchecked:
     * first the functions reached from outside and through tables (the
     * callbacks of a call_indirect in a hot loop), then the others. */
    for (int pass = 0; ok && pass < 2; pass++)
        for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++)
            if (facts->escapes[i] == (pass == 0))
                choose(m, facts, unchecked_caller, called_by_unchecked, i);
    for (uint32_t i = m->nimported_funcs; ok && i < m->nfuncs; i++) {
        w2n_function_facts *ff = &facts->funcs[i - m->nimported_funcs];
        bool leaf = !ff->calls && small_frame(m, i);
        ff->checks_stack = !leaf && !unchecked_caller[i];
    }
    free(unchecked_caller);
    free(called_by_unchecked);
    return ok;
}
