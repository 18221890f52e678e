/*
 * gc_values.c — GC references (the `any` hierarchy of Wasm 3.0) in the
 * script's values.
 *
 * w2n_func_call gives a GC result as a handle (docs/gc.md, "Host
 * handles"), so a result is judged by what its handle names, as the
 * reference interpreter judges its values: `(ref.i31)` is any i31,
 * `(ref.struct)` any struct, `(ref.eq)` an i31, struct or array,
 * `(ref.host N)` the anyref of host value N (a host box that unboxes to
 * what `(ref.extern N)` passes), `(ref.null T)` a null whatever T says, and
 * the bare `(ref.null)` a null of any type.  The handles live until the
 * runner closes the command's GC scope (exec.c).
 */
#include <inttypes.h>
#include <stdio.h>

#include "runner.h"

bool spec_gc_may_hold(w2n_valtype t) {
    if (!w2n_valtype_is_ref(t))
        return false;
    w2n_heaptype ht = w2n_valtype_heap_type(t);
    return w2n_heaptype_is_concrete(ht) || w2n_heaptype_top(ht) == W2N_ANYREF;
}

/* The most precise abstract heap type of a non-null reference: a host box
 * is an `any` and nothing below it. */
static w2n_heaptype dynamic_type(const w2n_gc_ref *ref) {
    if (w2n_gc_ref_is_i31(ref))
        return W2N_I31REF;
    const w2n_gc_rtt *rtt = w2n_gc_ref_type(ref);
    if (rtt && rtt->kind == W2N_GC_KIND_STRUCT)
        return W2N_STRUCTREF;
    if (rtt && rtt->kind == W2N_GC_KIND_ARRAY)
        return W2N_ARRAYREF;
    return W2N_ANYREF;
}

static bool is_host_box(const w2n_gc_ref *ref) {
    const w2n_gc_rtt *rtt = w2n_gc_ref_type(ref);
    return rtt && rtt->kind == W2N_GC_KIND_HOST;
}

bool spec_gc_value_matches(w2n_store *store, const spec_value *e, const w2n_value *a) {
    if (!w2n_valtype_is_ref(a->type))
        return false;
    const w2n_gc_ref *ref = a->of.ref;
    if (e->pattern == SPEC_REF_ANY_NULL)
        return !ref;
    if (!spec_gc_may_hold(a->type))
        return false; /* a funcref, externref or exnref where an anyref was expected */
    switch (e->pattern) {
    case SPEC_REF_NULL: return !ref;
    case SPEC_REF_NONNULL:
        return ref && w2n_heaptype_sub(dynamic_type(ref), w2n_valtype_heap_type(e->type));
    case SPEC_REF_HOST:
        return ref && is_host_box(ref) &&
               w2n_gc_extern_from_any(store, ref) == spec_extern_ref(e->bits);
    default: return false;
    }
}

void spec_gc_format_value(w2n_store *store, const w2n_value *v, char *buf, size_t size) {
    const w2n_gc_ref *ref = v->of.ref;
    if (!ref) {
        snprintf(buf, size, "%s:null", w2n_valtype_name(v->type));
    } else if (w2n_gc_ref_is_i31(ref)) {
        snprintf(buf, size, "i31ref:%" PRIx32, (uint32_t)w2n_gc_i31_get(ref, false));
    } else if (is_host_box(ref)) {
        uint64_t host = (uint64_t)(uintptr_t)w2n_gc_extern_from_any(store, ref);
        snprintf(buf, size, "hostref:%" PRIx64, host - 1); /* spec_extern_ref's N */
    } else {
        snprintf(buf, size, "%s:nonnull", w2n_valtype_name(dynamic_type(ref)));
    }
}

bool spec_gc_global_value(w2n_store *store, w2n_value *v) {
    if (!w2n_valtype_is_ref(v->type) ||
        w2n_heaptype_top(w2n_valtype_heap_type(v->type)) != W2N_ANYREF || !v->of.ref)
        return true;
    v->of.ref = w2n_gc_ref_from_raw(store, v->of.ref);
    return v->of.ref != NULL;
}
