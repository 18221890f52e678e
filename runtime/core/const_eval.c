/*
 * const_eval.c — the evaluator of constant expressions (const_eval.h).
 *
 * An expression is one instruction or a run of the module's pool of
 * constant instructions (extended-const, GC), executed on a stack of raw
 * values, arithmetic wrapping as Wasm's.  meta_check.c proved the stack
 * works out: every operand is there, of its type, and one value is left.
 * GC instructions but ref.i31 (integer arithmetic) are gc/const_gc.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "const_eval.h"
#include "meta.h"
#include "w2n/limits.h"

/* Scratch roots: the stack's references, and the element segments of the
 * instance being built (zero where not evaluated yet). */
static void visit_roots(void *data, w2n_gc_root_fn visit, void *ctx) {
    w2n_const_eval *ev = data;
    for (uint32_t i = 0; ev->stack && i < ev->depth; i++)
        if (ev->is_ref[i])
            visit(ctx, (uintptr_t *)&ev->stack[i].ref);
    const w2n_instance *inst = ev->inst;
    for (uint32_t s = 0; inst->elem_items && s < inst->nelems; s++)
        for (uint32_t i = 0; inst->elem_items[s] && i < inst->meta->elems[s].count; i++)
            visit(ctx, (uintptr_t *)&inst->elem_items[s][i]);
}

static void register_roots(w2n_const_eval *ev, w2n_gc_heap *heap) {
    ev->heap = heap;
    ev->roots.visit = visit_roots;
    ev->roots.data = ev;
    w2n_gc_scratch_push(heap, &ev->roots);
}

void w2n_const_eval_begin(w2n_const_eval *ev, w2n_instance *inst) {
    memset(ev, 0, sizeof *ev);
    ev->inst = inst;
    if (inst->store->gc)
        register_roots(ev, inst->store->gc);
}

void w2n_const_eval_end(w2n_const_eval *ev) {
    if (ev->heap)
        w2n_gc_scratch_pop(ev->heap, &ev->roots);
    ev->heap = NULL;
}

static void push(w2n_const_eval *ev, w2n_raw v, bool is_ref) {
    ev->stack[ev->depth] = v;
    ev->is_ref[ev->depth++] = is_ref;
}

/* One instruction but arithmetic and GC's: the value it pushes. */
static w2n_raw constant(const w2n_instance *inst, const w2n_const_expr *c, bool *is_ref) {
    w2n_raw r;
    memset(&r, 0, sizeof r);
    *is_ref = false;
    switch (c->kind) {
    case W2N_CONST_I32: r.i32 = (int32_t)(uint32_t)c->bits[0]; break;
    case W2N_CONST_I64: r.i64 = (int64_t)c->bits[0]; break;
    case W2N_CONST_F32: {
        uint32_t b = (uint32_t)c->bits[0];
        memcpy(&r.f32, &b, 4);
        break;
    }
    case W2N_CONST_F64: memcpy(&r.f64, &c->bits[0], 8); break;
    case W2N_CONST_V128: memcpy(r.v128, c->bits, 16); break;
    case W2N_CONST_REF_NULL: *is_ref = true; break;
    case W2N_CONST_REF_FUNC:
        r.ref = inst->funcs[c->index];
        *is_ref = true;
        break;
    case W2N_CONST_GLOBAL_GET: {
        const w2n_global *g = inst->globals[c->index];
        r = g->storage;
        *is_ref = w2n_valtype_is_ref(g->type.type);
        break;
    }
    }
    return r;
}

/* Pop two, push one: the six binary operators of extended-const. */
static void arithmetic(w2n_const_eval *ev, uint8_t kind) {
    w2n_raw *x = &ev->stack[ev->depth - 2], *y = &ev->stack[ev->depth - 1];
    uint32_t a = (uint32_t)x->i32, b = (uint32_t)y->i32;
    uint64_t c = (uint64_t)x->i64, d = (uint64_t)y->i64;
    switch (kind) {
    case W2N_CONST_I32_ADD: x->i32 = (int32_t)(a + b); break;
    case W2N_CONST_I32_SUB: x->i32 = (int32_t)(a - b); break;
    case W2N_CONST_I32_MUL: x->i32 = (int32_t)(a * b); break;
    case W2N_CONST_I64_ADD: x->i64 = (int64_t)(c + d); break;
    case W2N_CONST_I64_SUB: x->i64 = (int64_t)(c - d); break;
    default: x->i64 = (int64_t)(c * d); break; /* I64_MUL */
    }
    ev->depth--;
}

/* A GC instruction: ref.i31 is (u32)v << 1 | 1 (docs/gc.md); the others
 * need the heap, and the evaluator is its root before they allocate. */
static w2n_status gc_instr(w2n_const_eval *ev, const w2n_const_expr *op, w2n_error *err) {
    if (op->index == W2N_META_CONST_REF_I31) {
        w2n_raw *v = &ev->stack[ev->depth - 1];
        uintptr_t word = (uint32_t)((uint32_t)v->i32 << 1) | W2N_GC_I31_TAG;
        memset(v, 0, sizeof *v);
        v->ref = (void *)word;
        ev->is_ref[ev->depth - 1] = true;
        return W2N_OK;
    }
    w2n_store *store = ev->inst->store;
    if (!ev->heap) {
        w2n_gc_heap *heap;
        w2n_status st = w2n_gc_heap_get(store, &heap, err);
        if (st != W2N_OK)
            return st;
        register_roots(ev, heap);
    }
    return w2n_gc_const_instr(store, ev->heap, ev->inst->gc_types, op->index, op->bits, ev->stack,
                              ev->is_ref, &ev->depth, err);
}

w2n_status w2n_const_eval_run(w2n_const_eval *ev, const w2n_const_expr *c, w2n_raw *out,
                              w2n_error *err) {
    w2n_error local;
    if (!err)
        err = &local;
    const w2n_const_expr *ops = c;
    uint64_t n = 1;
    if (c->kind == W2N_CONST_EXTENDED) {
        ops = &ev->inst->meta->const_ops[c->index];
        n = c->bits[0];
    }
    w2n_raw stack[W2N_LIMIT_CONST_EXPR_OPS];
    bool is_ref[W2N_LIMIT_CONST_EXPR_OPS];
    ev->stack = stack;
    ev->is_ref = is_ref;
    ev->depth = 0;
    w2n_status st = W2N_OK;
    for (uint64_t i = 0; i < n && st == W2N_OK; i++) {
        const w2n_const_expr *op = &ops[i];
        if (op->kind == W2N_CONST_GC) {
            st = gc_instr(ev, op, err);
        } else if (op->kind >= W2N_CONST_I32_ADD && op->kind <= W2N_CONST_I64_MUL) {
            arithmetic(ev, op->kind);
        } else {
            bool ref;
            w2n_raw v = constant(ev->inst, op, &ref);
            push(ev, v, ref);
        }
    }
    if (st == W2N_OK)
        *out = stack[0];
    ev->stack = NULL;
    ev->is_ref = NULL;
    ev->depth = 0;
    return st;
}
