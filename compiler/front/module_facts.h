/*
 * module_facts.h — what the later stages need to know about the whole
 * module, found by one walk of every function body.
 *
 * The lowering of each partition, the calling conventions, the entry points
 * and the optimisation budget all ask questions of the whole module (does
 * any body throw, use GC, make a tail call, write a table?  which functions
 * can be reached from outside?).  module_facts.c answers them all in one
 * pass over a validated module, before it is partitioned, into one
 * read-only record that every partition's thread shares:
 *
 *     w2n_module_facts facts;
 *     if (w2n_module_facts_compute(m, &facts, err) != W2N_OK) return fail;
 *     ... facts.uses_gc, facts.escapes[func], facts.funcs[i].calls ...
 *     w2n_module_facts_free(&facts);
 */
#ifndef W2N_MODULE_FACTS_H
#define W2N_MODULE_FACTS_H

#include <stdbool.h>
#include <stdint.h>

#include "module.h"

/* One defined function's body. */
typedef struct w2n_function_facts {
    bool calls;                /* call, call_indirect or call_ref (not their tail forms) */
    uint64_t br_table_entries; /* over all of its br_tables */
    /* A direct call of itself inside a loop nest that also reads or writes
     * memory (explicit mode keeps such a function in the C convention:
     * lower_convention.c). */
    bool calls_self_in_memory_loop;
    /* Its entry compares the stack pointer with vmctx->stack_limit
     * (module_facts_stack.c says when it need not). */
    bool checks_stack;
    /* A call that leaves the module's direct calls: call_indirect, call_ref,
     * a call of an import, or any tail call. */
    bool calls_outside;
    uint32_t first_callee, ncallees; /* its direct calls: callees[first_callee ...] */
} w2n_function_facts;

typedef struct w2n_module_facts {
    /* Tags, exnref anywhere, or an instruction of either exceptions
     * proposal: compiled for unwinding (lower_exception.c). */
    bool uses_exceptions;
    /* GC enabled and a value of the any hierarchy or a GC instruction
     * anywhere: references in address space 1 (lower_gc.c). */
    bool uses_gc;
    bool has_tail_calls; /* return_call, return_call_indirect or return_call_ref */
    bool writes_tables;  /* some instruction may write some table */
    bool *table_written; /* [m->ntables]: which (set, fill, grow, copy's and init's target) */
    bool *escapes;       /* [m->nfuncs]: exported, the start, or a funcref of a segment or global */
    w2n_function_facts *funcs; /* [m->nfuncs - m->nimported_funcs]: defined functions in order */
    uint32_t *callees;         /* the defined function of every direct call, body by body */
    uint32_t ncallees;
    size_t callees_cap;
} w2n_module_facts;

/* Fill *out from the validated module m (W2N_ERR_NOMEM, or W2N_ERR_INTERNAL
 * for a body that does not decode); *out then needs w2n_module_facts_free,
 * whatever the status. */
w2n_status w2n_module_facts_compute(const w2n_module *m, w2n_module_facts *out, w2n_error *err);

void w2n_module_facts_free(w2n_module_facts *facts);

/* module_facts_stack.c: set every defined function's checks_stack, once
 * the walk has found its calls and escapes; false when out of memory. */
bool w2n_module_facts_stack_checks(const w2n_module *m, w2n_module_facts *facts);

/* The facts of defined function `func_index` (an index of the whole space). */
static inline const w2n_function_facts *
w2n_module_facts_func(const w2n_module_facts *facts, const w2n_module *m, uint32_t func_index) {
    return &facts->funcs[func_index - m->nimported_funcs];
}

/* Is t a reference of the any or extern hierarchy in module m (a GC
 * reference, as opposed to funcref or exnref)? */
bool w2n_module_facts_is_gc_valtype(const w2n_module *m, w2n_valtype t);

#endif
