/*
 * const_eval.h — constant expressions evaluated at instantiation (global
 * and table initialisers, element segment items, segment offsets).
 *
 * One evaluator per instantiation: begin it before the first expression,
 * end it after the last (on failure too).  Once a GC instruction needs the
 * store's heap, the evaluator registers as a scratch root (gc.h) that
 * offers the values on its stack and the element segments evaluated so far
 * of the instance it builds (which is not yet the store's), so that a
 * collection in the middle of instantiation loses nothing.  Globals and
 * tables hold their values as roots of the store already.
 */
#ifndef W2N_RUNTIME_CONST_EVAL_H
#define W2N_RUNTIME_CONST_EVAL_H

#include "gc.h"
#include "internal.h"

typedef struct w2n_const_eval {
    w2n_instance *inst;
    w2n_gc_heap *heap; /* non-NULL once registered with it */
    w2n_gc_scratch_roots roots;
    /* The expression being evaluated: its stack of values. */
    w2n_raw *stack;
    bool *is_ref;
    uint32_t depth;
} w2n_const_eval;

void w2n_const_eval_begin(w2n_const_eval *ev, w2n_instance *inst);
void w2n_const_eval_end(w2n_const_eval *ev);

/* Evaluate `c` (meta_check.c typed it) into *out.  Fails only in a GC
 * instruction: no heap, or the heap's limit (*err says which). */
w2n_status w2n_const_eval_run(w2n_const_eval *ev, const w2n_const_expr *c, w2n_raw *out,
                              w2n_error *err);

#endif
