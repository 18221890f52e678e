/*
 * global.c — global variables and the value <-> slot conversions.
 *
 * A global is 16 bytes of storage (one w2n_raw) that compiled code reaches
 * through vmctx->globals[i].  An imported global is the exporter's own
 * w2n_global, so every instance that shares a mutable global writes the
 * same storage.
 */
#include <stdlib.h>
#include <string.h>

#include "gc.h"
#include "internal.h"

void w2n_value_to_raw(const w2n_value *v, w2n_raw *out) {
    memset(out, 0, sizeof *out);
    switch (v->type) {
    case W2N_I32: out->i32 = v->of.i32; break;
    case W2N_I64: out->i64 = v->of.i64; break;
    case W2N_F32: out->f32 = v->of.f32; break;
    case W2N_F64: out->f64 = v->of.f64; break;
    case W2N_V128: memcpy(out->v128, v->of.v128, 16); break;
    default: out->ref = v->of.ref; break;
    }
}

w2n_value w2n_value_from_raw(w2n_valtype type, const w2n_raw *raw) {
    w2n_value v;
    memset(&v, 0, sizeof v);
    v.type = type;
    switch (type) {
    case W2N_I32: v.of.i32 = raw->i32; break;
    case W2N_I64: v.of.i64 = raw->i64; break;
    case W2N_F32: v.of.f32 = raw->f32; break;
    case W2N_F64: v.of.f64 = raw->f64; break;
    case W2N_V128: memcpy(v.of.v128, raw->v128, 16); break;
    default: v.of.ref = raw->ref; break;
    }
    return v;
}

bool w2n_value_fits(const w2n_value *v, w2n_valtype want, uint32_t self_id) {
    if (!w2n_valtype_is_ref(want) || !w2n_valtype_is_ref(v->type))
        return v->type == want;
    if (w2n_gc_is_gc_type(want) || w2n_gc_is_gc_type(v->type))
        return w2n_gc_value_fits(v, want); /* a handle, by what it names */
    w2n_heaptype want_ht = w2n_valtype_heap_type(want);
    if (w2n_heaptype_is_concrete(want_ht) && w2n_valtype_type_index(want) == 0)
        want_ht = w2n_heaptype_concrete(self_id); /* an interned type's reference to itself */
    if (!v->of.ref)
        return w2n_valtype_is_nullable(want) &&
               w2n_heaptype_top(w2n_valtype_heap_type(v->type)) == w2n_heaptype_top(want_ht);
    /* Not null: the value's own type is what counts, for a function its
     * signature. */
    w2n_heaptype have = w2n_valtype_heap_type(v->type);
    if (w2n_heaptype_top(have) == W2N_FUNCREF)
        have = w2n_heaptype_concrete(((const w2n_func *)v->of.ref)->type_id);
    return w2n_heaptype_sub(have, want_ht);
}

w2n_global *w2n_global_create(w2n_globaltype type) {
    w2n_global *g = calloc(1, sizeof *g);
    if (g)
        g->type = type;
    return g;
}

/* A host value into a global's slot: a GC reference is a handle, and the
 * slot holds the word it names, as compiled code reads it. */
static void store_value(w2n_global *g, const w2n_value *value) {
    w2n_value_to_raw(value, &g->storage);
    if (w2n_gc_is_gc_type(g->type.type))
        g->storage.ref = w2n_gc_raw_of(value->of.ref);
}

w2n_global *w2n_global_new(w2n_store *store, w2n_globaltype type, w2n_value value) {
    if (!store || !w2n_value_fits(&value, type.type, 0))
        return NULL;
    w2n_global *g = w2n_global_create(type);
    if (!g)
        return NULL;
    store_value(g, &value);
    g->next = store->globals;
    store->globals = g;
    return g;
}

w2n_value w2n_global_get(w2n_global *global) {
    return w2n_value_from_raw(global->type.type, &global->storage);
}

w2n_status w2n_global_read(w2n_store *store, w2n_global *global, w2n_value *out, w2n_error *err) {
    if (!store || !global || !out)
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "null store or global");
    *out = w2n_global_get(global);
    if (w2n_gc_is_gc_type(global->type.type) && out->of.ref &&
        !(out->of.ref = w2n_gc_ref_from_raw(store, out->of.ref)))
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory for a handle");
    return W2N_OK;
}

w2n_status w2n_global_set(w2n_store *store, w2n_global *global, w2n_value value, w2n_error *err) {
    if (!store || !global)
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "null store or global");
    if (!global->type.is_mutable)
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "global is immutable");
    if (!w2n_value_fits(&value, global->type.type, 0))
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET,
                             "value is a %s%s, the global holds %s",
                             w2n_valtype_is_ref(value.type) && !value.of.ref ? "null " : "",
                             w2n_valtype_name(value.type), w2n_valtype_name(global->type.type));
    store_value(global, &value);
    return W2N_OK;
}
