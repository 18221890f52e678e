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
 * never in a table, never exported and never a funcref (escaping_functions),
 * so only direct calls of this module reach it and each of those is built
 * here with the same convention.  Its w2n_functions entry names it for
 * backtraces only (docs/abi.md).  Kept in the C convention: every function of
 * a target without a callee-saved argument register (RISC-V: LLVM 19 has no
 * swiftcc there), of an -O0 build (FastISel selects C calls only), of a
 * module past the function budget (the same), of a GC module (statepoints)
 * and of a module with tail calls (musttail needs one convention on both
 * sides; docs/abi.md, "Tail calls").  In explicit bounds mode, also kept
 * in the C convention: a function that calls itself from a loop that reads
 * or writes memory (self_calls_in_memory_loops).
 */
#include "lower.h"
#include "target.h"

#include <stdlib.h>

bool *w2n_lower_escaping_functions(const w2n_module *m) {
    bool *esc = w2n_xcalloc(m->nfuncs, 1);
    for (uint32_t i = 0; i < m->nexports; i++)
        if (m->exports[i].kind == W2N_EXTERN_FUNC)
            esc[m->exports[i].index] = true;
    if (m->start >= 0)
        esc[m->start] = true;
    for (uint32_t s = 0; s < m->nelems; s++)
        for (uint32_t i = 0; i < m->elems[s].count; i++)
            if (m->elems[s].items[i].value.kind == W2N_CONST_REF_FUNC)
                esc[m->elems[s].items[i].value.index] = true;
    for (uint32_t g = 0; g < m->nglobals - m->nimported_globals; g++)
        if (m->globals[g].init.value.kind == W2N_CONST_REF_FUNC)
            esc[m->globals[g].init.value.index] = true;
    return esc;
}

static bool is_tail_call(const w2n_module *m, const w2n_instr *in) {
    (void)m;
    return w2n_opcode_is_call(in->op, true);
}

static bool module_has_tail_calls(const w2n_module *m) {
    for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++)
        if (w2n_lower_body_has(m, &m->codes[i - m->nimported_funcs], is_tail_call))
            return true;
    return false;
}

/* The state of one walk over a function's body: how deep in blocks and
 * loops, and what the outermost loop open so far holds. */
typedef struct loop_nest_scan {
    uint32_t self;      /* the function's index */
    uint32_t *open_ops; /* the op of each open block, outermost first */
    uint32_t depth, cap, loop_depth;
    bool touches_memory, calls_self; /* in the outermost open loop */
} loop_nest_scan;

static void scan_instr(loop_nest_scan *s, const w2n_instr *in, bool *marked) {
    if (w2n_opcode_opens_block(in->op)) {
        if (s->depth == s->cap) {
            s->cap = s->cap ? 2 * s->cap : 16;
            s->open_ops = w2n_xrealloc(s->open_ops, s->cap, sizeof *s->open_ops);
        }
        s->open_ops[s->depth++] = in->op;
        s->loop_depth += in->op == W2N_OP_LOOP;
        return;
    }
    if (w2n_opcode_closes_block(in->op) && s->depth > 0) {
        if (s->open_ops[--s->depth] == W2N_OP_LOOP && --s->loop_depth == 0) {
            marked[s->self] |= s->touches_memory && s->calls_self;
            s->touches_memory = s->calls_self = false;
        }
        return;
    }
    if (s->loop_depth == 0)
        return;
    if (in->info->imm == W2N_IMM_MEMARG || in->info->imm == W2N_IMM_MEMARG_LANE)
        s->touches_memory = true;
    if (in->op == W2N_OP_CALL && in->imm.index == s->self)
        s->calls_self = true;
}

/* Mark in `marked` each function that calls itself from a loop nest that
 * also reads or writes memory.  Such a loop keeps the memory's record
 * (base and size, reloaded after each call: the callee may grow memory)
 * live across the call beside the vmctx.  With the vmctx bound to a
 * callee-saved register at the call, LLVM's allocator gave that register
 * to the record, spilled the vmctx and then another value of the loop:
 * quicksort's recursive sort spilled `hi` and ran 3.5 % slower than in the
 * C convention, at fewer instructions.  Only self-calls: marking every
 * callee of such loops added instructions elsewhere (sqlbench +0.9 %,
 * hashtable +0.7 %) for no time (docs/performance.md, "Private
 * convention: not for self-calls in memory loops"). */
static void self_calls_in_memory_loops(const w2n_module *m, bool *marked) {
    loop_nest_scan s = {0};
    for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++) {
        const w2n_code *code = &m->codes[i - m->nimported_funcs];
        w2n_error ignored;
        w2n_instr_reader ir;
        w2n_instr_reader_init(&ir, m->bytes, code->body_start, code->body_end, &ignored);
        ir.r.features = m->features;
        s.self = i;
        s.depth = s.loop_depth = 0;
        s.touches_memory = s.calls_self = false;
        w2n_instr in;
        while (!w2n_instr_reader_done(&ir) && w2n_instr_read(&ir, &in))
            scan_instr(&s, &in, marked);
        w2n_instr_reader_free(&ir);
    }
    free(s.open_ops);
}

void w2n_lower_conventions_init(w2n_lower_module *lm) {
    const w2n_module *m = lm->m;
    lm->private_cc = NULL;
    if (!lm->target || !lm->target->vmctx_callee_saved || !lm->opts || lm->opts->opt_level == 0 ||
        lm->many_functions || lm->gc || module_has_tail_calls(m))
        return;
    bool *esc = w2n_lower_escaping_functions(m);
    if (lm->opts->bounds == W2N_BOUNDS_EXPLICIT)
        self_calls_in_memory_loops(m, esc);
    lm->private_cc = w2n_xcalloc(m->nfuncs, 1);
    for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++)
        lm->private_cc[i] = !esc[i];
    free(esc);
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
