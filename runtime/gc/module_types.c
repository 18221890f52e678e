/*
 * module_types.c — the descriptors of modules' struct and array types.
 *
 * A store has one descriptor per canonical type (functype.c gives equal
 * types of every module one id), so two modules that define the same
 * recursion group allocate objects with the same descriptor and cast them
 * alike.  At instantiation each struct and array type index gets its
 * descriptor in vmctx->gc_types (docs/abi.md, "Garbage collection").
 */
#include <stdlib.h>

#include "gc.h"
#include "internal.h"

static uint32_t bucket_of(uint32_t id, uint32_t nbuckets) {
    return (id * 0x9E3779B1u) & (nbuckets - 1);
}

static const w2n_gc_rtt *find(const w2n_gc_heap *heap, uint32_t id) {
    if (!heap->nby_id_buckets)
        return NULL;
    for (uint32_t b = bucket_of(id, heap->nby_id_buckets); heap->by_id[b];
         b = (b + 1) & (heap->nby_id_buckets - 1))
        if (heap->by_id[b]->type_id == id)
            return heap->by_id[b];
    return NULL;
}

static bool insert(w2n_gc_heap *heap, const w2n_gc_rtt *rtt) {
    if ((heap->nby_id + 1) * 2 > heap->nby_id_buckets) {
        uint32_t n = heap->nby_id_buckets ? heap->nby_id_buckets * 2 : 64;
        const w2n_gc_rtt **nb = calloc(n, sizeof *nb);
        if (!nb)
            return false;
        for (uint32_t i = 0; i < heap->nby_id_buckets; i++)
            if (heap->by_id[i]) {
                uint32_t b = bucket_of(heap->by_id[i]->type_id, n);
                while (nb[b])
                    b = (b + 1) & (n - 1);
                nb[b] = heap->by_id[i];
            }
        free(heap->by_id);
        heap->by_id = nb;
        heap->nby_id_buckets = n;
    }
    uint32_t b = bucket_of(rtt->type_id, heap->nby_id_buckets);
    while (heap->by_id[b])
        b = (b + 1) & (heap->nby_id_buckets - 1);
    heap->by_id[b] = rtt;
    heap->nby_id++;
    return true;
}

const w2n_gc_rtt *w2n_gc_rtt_of_id(w2n_gc_heap *heap, uint32_t id, w2n_error *err) {
    const w2n_gc_rtt *rtt = find(heap, id);
    if (rtt)
        return rtt;
    const w2n_canon_type *t = w2n_type_lookup(id);
    if (!t || t->kind == W2N_META_TYPE_FUNC) {
        w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "type %u is not a struct or array type",
                      (unsigned)id);
        return NULL;
    }
    /* A supertype has a smaller id (it is defined before), so this
     * recursion is as deep as the subtype chain. */
    const w2n_gc_rtt *super = NULL;
    if (t->super && !(super = w2n_gc_rtt_of_id(heap, t->super, err)))
        return NULL;
    rtt = t->kind == W2N_META_TYPE_STRUCT
              ? w2n_gc_struct_type_id(heap, t->fields, t->nfields, super, id, err)
              : w2n_gc_array_type_id(heap, t->fields[0], super, id, err);
    if (rtt && !insert(heap, rtt)) {
        w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory for a GC type");
        return NULL;
    }
    return rtt;
}

w2n_status w2n_gc_instance_types(w2n_instance *inst, w2n_error *err) {
    const w2n_meta *m = inst->meta;
    bool any = false;
    for (uint32_t i = 0; m->typedefs && i < m->ntypes && !any; i++)
        any = m->typedefs[i].kind != W2N_META_TYPE_FUNC;
    if (!any)
        return W2N_OK;
    w2n_gc_heap *heap;
    w2n_status st = w2n_gc_heap_get(inst->store, &heap, err);
    if (st != W2N_OK)
        return st;
    inst->gc_types = calloc(m->ntypes, sizeof *inst->gc_types);
    if (!inst->gc_types)
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    for (uint32_t i = 0; i < m->ntypes; i++)
        if (m->typedefs[i].kind != W2N_META_TYPE_FUNC &&
            !(inst->gc_types[i] = w2n_gc_rtt_of_id(heap, inst->type_ids[i], err)))
            return err ? err->code : W2N_ERR_ARGUMENT;
    inst->vmctx.gc_types = inst->gc_types;
    return W2N_OK;
}
