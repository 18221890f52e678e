/*
 * boundary.c — GC references crossing between the host and Wasm: in a
 * w2n_value they are handles (w2n/runtime.h), in a slot (w2n_raw: calls,
 * host functions, globals) they are the raw word compiled code uses.
 *
 * A value a host passes is checked against the expected type by what it
 * really is (i31, struct, array, host box), so compiled code never sees an
 * object of another kind than validation promised.  A concrete type
 * (`(ref $t)`) is refused for now: the runtime's descriptors and the
 * compiler's canonical type ids are joined when GC code is compiled.
 */
#include "gc.h"
#include "internal.h"

/* The abstract codes are tested inline: this runs for every field and
 * value the host touches. */
bool w2n_gc_is_gc_type(w2n_valtype t) {
    if (!w2n_valtype_is_ref(t))
        return false;
    w2n_heaptype ht = w2n_valtype_heap_type(t);
    switch (ht) {
    case W2N_ANYREF:
    case W2N_EQREF:
    case W2N_I31REF:
    case W2N_STRUCTREF:
    case W2N_ARRAYREF:
    case W2N_NULLREF: return true;
    default: return w2n_heaptype_is_concrete(ht) && w2n_heaptype_top(ht) == W2N_ANYREF;
    }
}

/* The abstract heap type a non-null word has. */
static w2n_heaptype dynamic_type(uintptr_t word) {
    if (word & W2N_GC_I31_TAG)
        return W2N_I31REF;
    switch ((*(const w2n_gc_rtt *const *)word)->kind) {
    case W2N_GC_KIND_STRUCT: return W2N_STRUCTREF;
    case W2N_GC_KIND_ARRAY: return W2N_ARRAYREF;
    default: return W2N_ANYREF; /* a host box is only an any */
    }
}

bool w2n_gc_value_fits(const w2n_value *v, w2n_valtype want) {
    if (!w2n_gc_is_gc_type(v->type) || !w2n_gc_is_gc_type(want))
        return false;
    uintptr_t word = w2n_gc_handle_word(v->of.ref);
    if (!word)
        return w2n_valtype_is_nullable(want);
    w2n_heaptype ht = w2n_valtype_heap_type(want);
    return !w2n_heaptype_is_concrete(ht) && w2n_heaptype_sub(dynamic_type(word), ht);
}

void *w2n_gc_raw_of(const w2n_gc_ref *ref) { return (void *)w2n_gc_handle_word(ref); }

/* An i31 may come from a module without GC types, hence a store without
 * a heap yet: its handle makes one. */
w2n_gc_ref *w2n_gc_ref_from_raw(w2n_store *store, void *raw) {
    w2n_gc_heap *heap;
    w2n_error err;
    if (!raw || w2n_gc_heap_get(store, &heap, &err) != W2N_OK)
        return NULL;
    return w2n_gc_handle_new(heap, (uintptr_t)raw);
}
