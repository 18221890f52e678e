/*
 * boundary.c — GC references crossing between the host and Wasm: in a
 * w2n_value they are handles (w2n/runtime.h), in a slot (w2n_raw: calls,
 * host functions, globals) they are the raw word compiled code uses.
 *
 * A value a host passes is checked against the expected type by what it
 * really is (i31, struct, array, host box), so compiled code never sees an
 * object of another kind than validation promised.  A concrete type
 * (`(ref $t)`, named by its canonical id as interned function and global
 * types are) takes an object whose descriptor is $t's or a subtype's: a
 * descriptor lists its whole chain of supertypes, each with its canonical
 * id (module_types.c); the host's own types (id 0) match none.
 */
#include <stdio.h>

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
    default: {
        /* A concrete type is named by its canonical id (interned
         * signatures and global types): a struct or an array type. */
        if (!w2n_heaptype_is_concrete(ht))
            return false;
        const w2n_canon_type *c = w2n_type_lookup(w2n_valtype_type_index(t));
        return c && c->kind != W2N_META_TYPE_FUNC;
    }
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

/* Is the object at `word` of canonical type `id` or of one of its
 * subtypes?  A walk of its chain, as deep as its type: only the host
 * boundary asks, never compiled code. */
static bool has_type_id(uintptr_t word, uint32_t id) {
    if (!id || (word & W2N_GC_I31_TAG))
        return false;
    const w2n_gc_rtt *rtt = *(const w2n_gc_rtt *const *)word;
    if (rtt->kind != W2N_GC_KIND_STRUCT && rtt->kind != W2N_GC_KIND_ARRAY)
        return false;
    for (uint32_t d = 0; d <= rtt->depth; d++)
        if (rtt->supers[d]->type_id == id)
            return true;
    return false;
}

/* Does the raw word fit GC type `want`? */
static bool word_fits(uintptr_t word, w2n_valtype want) {
    if (!word)
        return w2n_valtype_is_nullable(want);
    w2n_heaptype ht = w2n_valtype_heap_type(want);
    if (w2n_heaptype_is_concrete(ht))
        return has_type_id(word, w2n_valtype_type_index(want));
    return w2n_heaptype_sub(dynamic_type(word), ht);
}

bool w2n_gc_value_fits(const w2n_value *v, w2n_valtype want) {
    if (!w2n_gc_is_gc_type(v->type) || !w2n_gc_is_gc_type(want))
        return false;
    return word_fits(w2n_gc_handle_word(v->of.ref), want);
}

bool w2n_gc_host_results_fit(uint32_t type_id, const w2n_raw *slots, char *why, size_t size) {
    const w2n_functype *type = w2n_functype_lookup(type_id);
    for (uint32_t i = 0; type && i < type->nresults; i++) {
        w2n_valtype want = type->results[i];
        uintptr_t word = (uintptr_t)slots[i].ref;
        if (!w2n_gc_is_gc_type(want) || word_fits(word, want))
            continue;
        snprintf(why, size, "host function result %u is a %s%s, the import returns %s", (unsigned)i,
                 word ? "" : "null ",
                 w2n_valtype_name(w2n_valtype_ref(word ? dynamic_type(word) : W2N_NULLREF, true)),
                 w2n_valtype_name(want));
        return false;
    }
    return true;
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

const w2n_gc_rtt *w2n_gc_type_of_id(w2n_store *store, uint32_t type_id, w2n_error *err) {
    w2n_gc_heap *heap;
    if (!store) {
        w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "null store");
        return NULL;
    }
    if (w2n_gc_heap_get(store, &heap, err) != W2N_OK)
        return NULL;
    return w2n_gc_rtt_of_id(heap, type_id, err);
}
