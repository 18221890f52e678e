/*
 * roots.c — the roots a store holds outside the stack: host handles,
 * reference globals, reference tables, evaluated element segments, the
 * payloads of live exceptions (docs/gc.md, "Roots") and the scratch roots
 * of an instantiation in progress.
 *
 * Every reference-typed slot is offered; the collector itself skips words
 * that are not objects of its heap (null, i31, host pointers, funcrefs), so
 * no slot's static type needs to be a GC type to be offered, and externref
 * slots holding externalised GC objects are kept up to date.  Numeric
 * slots are never offered: a number may look like an address.
 */
#include "exception.h"
#include "gc.h"
#include "internal.h"
#include "stackmap.h"

static void visit_handles(w2n_gc_heap *heap, w2n_gc_root_fn visit, void *ctx) {
    uint32_t used = heap->handle_top;
    for (w2n_gc_handle_chunk *c = heap->handles; c; c = c->prev) {
        for (uint32_t i = 0; i < used; i++)
            if (c->slots[i])
                visit(ctx, &c->slots[i]);
        used = (uint32_t)(sizeof c->slots / sizeof c->slots[0]);
    }
}

void w2n_gc_visit_store_roots(w2n_store *store, w2n_gc_heap *heap, w2n_gc_root_fn visit,
                              void *ctx) {
    visit_handles(heap, visit, ctx);
    for (w2n_global *g = store->globals; g; g = g->next)
        if (w2n_valtype_is_ref(g->type.type))
            visit(ctx, (uintptr_t *)&g->storage.ref);
    for (w2n_table *t = store->tables; t; t = t->next)
        for (uint32_t i = 0; i < t->abi.size; i++)
            visit(ctx, (uintptr_t *)&t->abi.elems[i]);
    for (w2n_instance *inst = store->instances; inst; inst = inst->next)
        for (uint32_t s = 0; inst->elem_items && s < inst->nelems; s++)
            for (uint32_t i = 0; inst->elem_items[s] && i < inst->elem_sizes[s]; i++)
                visit(ctx, (uintptr_t *)&inst->elem_items[s][i]);
    w2n_exception_visit_refs(store, visit, ctx);
    for (w2n_gc_scratch_roots *r = heap->scratch; r; r = r->next)
        r->visit(r->data, visit, ctx);
}

void w2n_gc_scratch_push(w2n_gc_heap *heap, w2n_gc_scratch_roots *roots) {
    roots->next = heap->scratch;
    heap->scratch = roots;
}

void w2n_gc_scratch_pop(w2n_gc_heap *heap, w2n_gc_scratch_roots *roots) {
    if (heap->scratch == roots)
        heap->scratch = roots->next;
}

/* The safepoint at `pc` in the stack maps of the store's objects. */
static const w2n_safepoint *find_in_store(void *data, uintptr_t pc, const w2n_stackmap **out_map) {
    for (w2n_instance *inst = ((w2n_store *)data)->instances; inst; inst = inst->next) {
        const w2n_stackmap *m = inst->obj ? inst->obj->stackmap : NULL;
        const w2n_safepoint *sp = m ? w2n_stackmap_find(m, pc) : NULL;
        if (sp) {
            *out_map = m;
            return sp;
        }
    }
    return NULL;
}

bool w2n_gc_frames_hold_roots(const w2n_store *store) {
    for (const w2n_instance *inst = store->instances; inst; inst = inst->next)
        if (inst->obj && inst->obj->stackmap)
            return true;
    return false;
}

void w2n_gc_visit_frames(w2n_store *store, w2n_gc_root_fn visit, void *ctx) {
    if (w2n_gc_frames_hold_roots(store))
        w2n_gc_visit_stack(find_in_store, store, visit, ctx, NULL);
}
