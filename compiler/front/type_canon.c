/*
 * type_canon.c — which type indices of a module name equal types.
 *
 * Wasm 3.0 compares types structurally (iso-recursively): two
 * `(type (func (param (ref $x))))` are one type when their $x are, and a
 * type's reference to itself matches another's reference to itself.  Without
 * GC's recursion groups each type is its own group and may refer only to
 * earlier types and to itself (validation rejects the rest), so one pass in
 * index order finds, for every type, the least index of an equal one
 * (m->type_canon).  A hash of the canonical form keeps it linear.
 */
#include <stdlib.h>

#include "module.h"

/* t with a concrete index mapped to its canonical index; a reference of
 * type `self` to itself becomes W2N_VALTYPE_MAX_INDEX, which no earlier
 * type can be.  Forward references stay as they are: validation refuses. */
static w2n_valtype canonical(const w2n_module *m, w2n_valtype t, uint32_t self) {
    if (!w2n_valtype_is_ref(t) || !w2n_heaptype_is_concrete(w2n_valtype_heap_type(t)))
        return t;
    uint32_t idx = w2n_valtype_type_index(t);
    bool non_null = !w2n_valtype_is_nullable(t);
    if (idx == self)
        idx = W2N_VALTYPE_MAX_INDEX;
    else if (idx < self)
        idx = m->type_canon[idx];
    return w2n_valtype_ref(w2n_heaptype_concrete(idx), !non_null);
}

static uint64_t mix(uint64_t h, uint64_t v) { return (h ^ v) * UINT64_C(0x100000001b3); }

static uint64_t hash_type(const w2n_module *m, uint32_t i) {
    const w2n_functype *t = &m->types[i];
    uint64_t h = mix(mix(UINT64_C(0xcbf29ce484222325), t->nparams), t->nresults);
    for (uint32_t k = 0; k < t->nparams; k++)
        h = mix(h, canonical(m, t->params[k], i));
    for (uint32_t k = 0; k < t->nresults; k++)
        h = mix(h, canonical(m, t->results[k], i));
    return h;
}

static bool equal_types(const w2n_module *m, uint32_t a, uint32_t b) {
    const w2n_functype *x = &m->types[a], *y = &m->types[b];
    if (x->nparams != y->nparams || x->nresults != y->nresults)
        return false;
    for (uint32_t k = 0; k < x->nparams; k++)
        if (canonical(m, x->params[k], a) != canonical(m, y->params[k], b))
            return false;
    for (uint32_t k = 0; k < x->nresults; k++)
        if (canonical(m, x->results[k], a) != canonical(m, y->results[k], b))
            return false;
    return true;
}

bool w2n_type_canon_build(w2n_module *m) {
    uint32_t n = m->ntypes, nbuckets = 16;
    while (nbuckets < 2 * (uint64_t)n)
        nbuckets *= 2;
    m->type_canon = calloc(n ? n : 1, sizeof *m->type_canon);
    uint32_t *buckets = calloc(nbuckets, sizeof *buckets); /* index + 1, or 0 */
    uint64_t *hashes = calloc(n ? n : 1, sizeof *hashes);
    if (!m->type_canon || !buckets || !hashes) {
        free(buckets);
        free(hashes);
        return false;
    }
    for (uint32_t i = 0; i < n; i++) {
        uint64_t h = hashes[i] = hash_type(m, i);
        uint32_t b = (uint32_t)h & (nbuckets - 1);
        m->type_canon[i] = i;
        for (; buckets[b]; b = (b + 1) & (nbuckets - 1)) {
            uint32_t j = buckets[b] - 1;
            if (hashes[j] == h && equal_types(m, j, i)) {
                m->type_canon[i] = j;
                break;
            }
        }
        if (!buckets[b])
            buckets[b] = i + 1;
    }
    free(buckets);
    free(hashes);
    return true;
}
