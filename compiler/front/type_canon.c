/*
 * type_canon.c — which type indices of a module name equal types.
 *
 * Wasm 3.0 compares types iso-recursively: a recursion group is one unit,
 * equal to another group when both have as many types and, type by type,
 * the same kind, finality, supertype and fields (or params and results),
 * where a reference into the group itself is compared by its position in
 * the group and a reference to an earlier group by that group's canonical
 * identity.  Validation rejects references past the group, so groups are
 * canonicalised in index order in one pass: for each type, m->type_canon
 * holds the least index of an equal type (the same position in the first
 * equal group).  A hash of each group's canonical form keeps it linear.
 * Without GC every type is its own group, which is the 2.0/typed-references
 * rule of "equal when structurally equal, self-references matching".
 */
#include <stdlib.h>

#include "module.h"

typedef struct group {
    uint32_t start, size;
} group;

/* A reference inside group g, as its position counted down from the
 * largest index: no canonical index (< W2N_LIMIT_TYPES) can be one. */
static uint32_t relative(uint32_t pos) { return W2N_VALTYPE_MAX_INDEX - pos; }

/* Type index idx as seen from group g: relative inside it, canonical
 * before it.  Forward references stay as they are: validation refuses. */
static uint32_t canonical_index(const w2n_module *m, uint32_t idx, group g) {
    if (idx >= g.start && idx - g.start < g.size)
        return relative(idx - g.start);
    if (idx < g.start)
        return m->type_canon[idx];
    return idx;
}

static w2n_valtype canonical(const w2n_module *m, w2n_valtype t, group g) {
    if (!w2n_valtype_is_ref(t) || !w2n_heaptype_is_concrete(w2n_valtype_heap_type(t)))
        return t;
    uint32_t idx = canonical_index(m, w2n_valtype_type_index(t), g);
    return w2n_valtype_ref(w2n_heaptype_concrete(idx), w2n_valtype_is_nullable(t));
}

static uint64_t mix(uint64_t h, uint64_t v) { return (h ^ v) * UINT64_C(0x100000001b3); }

static uint64_t hash_type(const w2n_module *m, uint32_t i, group g) {
    const w2n_functype *t = &m->types[i];
    const w2n_typedef *d = &m->typedefs[i];
    uint64_t h = mix(mix(mix(UINT64_C(0xcbf29ce484222325), d->kind), d->is_final), d->nsupers);
    if (d->supertype != W2N_NO_SUPERTYPE)
        h = mix(h, canonical_index(m, d->supertype, g));
    h = mix(mix(h, t->nparams), t->nresults);
    for (uint32_t k = 0; k < t->nparams; k++)
        h = mix(h, canonical(m, t->params[k], g));
    for (uint32_t k = 0; k < t->nresults; k++)
        h = mix(h, canonical(m, t->results[k], g));
    h = mix(h, d->nfields);
    for (uint32_t k = 0; k < d->nfields; k++)
        h = mix(mix(h, canonical(m, d->fields[k].storage, g)), d->fields[k].is_mutable);
    return h;
}

static uint64_t hash_group(const w2n_module *m, group g) {
    uint64_t h = mix(UINT64_C(0xcbf29ce484222325), g.size);
    for (uint32_t k = 0; k < g.size; k++)
        h = mix(h, hash_type(m, g.start + k, g));
    return h;
}

static bool equal_valtypes(const w2n_module *m, const w2n_valtype *x, group gx,
                           const w2n_valtype *y, group gy, uint32_t n) {
    for (uint32_t k = 0; k < n; k++)
        if (canonical(m, x[k], gx) != canonical(m, y[k], gy))
            return false;
    return true;
}

static bool equal_types(const w2n_module *m, uint32_t a, group ga, uint32_t b, group gb) {
    const w2n_functype *x = &m->types[a], *y = &m->types[b];
    const w2n_typedef *dx = &m->typedefs[a], *dy = &m->typedefs[b];
    if (dx->kind != dy->kind || dx->is_final != dy->is_final || dx->nsupers != dy->nsupers ||
        x->nparams != y->nparams || x->nresults != y->nresults || dx->nfields != dy->nfields)
        return false;
    if (dx->supertype != W2N_NO_SUPERTYPE &&
        canonical_index(m, dx->supertype, ga) != canonical_index(m, dy->supertype, gb))
        return false;
    if (!equal_valtypes(m, x->params, ga, y->params, gb, x->nparams) ||
        !equal_valtypes(m, x->results, ga, y->results, gb, x->nresults))
        return false;
    for (uint32_t k = 0; k < dx->nfields; k++)
        if (dx->fields[k].is_mutable != dy->fields[k].is_mutable ||
            canonical(m, dx->fields[k].storage, ga) != canonical(m, dy->fields[k].storage, gb))
            return false;
    return true;
}

static bool equal_groups(const w2n_module *m, group a, group b) {
    if (a.size != b.size)
        return false;
    for (uint32_t k = 0; k < a.size; k++)
        if (!equal_types(m, a.start + k, a, b.start + k, b))
            return false;
    return true;
}

bool w2n_type_canon_build(w2n_module *m) {
    uint32_t n = m->ntypes, nbuckets = 16;
    while (nbuckets < 2 * (uint64_t)n)
        nbuckets *= 2;
    m->type_canon = calloc(n ? n : 1, sizeof *m->type_canon);
    uint32_t *buckets = calloc(nbuckets, sizeof *buckets); /* group start + 1, or 0 */
    uint64_t *hashes = calloc(n ? n : 1, sizeof *hashes);  /* by group start */
    if (!m->type_canon || !buckets || !hashes) {
        free(buckets);
        free(hashes);
        return false;
    }
    for (uint32_t i = 0; i < n;) {
        group g = {i, m->typedefs[i].rec_size};
        uint64_t h = hashes[i] = hash_group(m, g);
        uint32_t b = (uint32_t)h & (nbuckets - 1), same = i;
        for (; buckets[b]; b = (b + 1) & (nbuckets - 1)) {
            uint32_t j = buckets[b] - 1;
            group other = {j, m->typedefs[j].rec_size};
            if (hashes[j] == h && equal_groups(m, other, g)) {
                same = j;
                break;
            }
        }
        if (!buckets[b])
            buckets[b] = i + 1;
        for (uint32_t k = 0; k < g.size; k++)
            m->type_canon[i + k] = same + k;
        i += g.size ? g.size : 1;
    }
    free(buckets);
    free(hashes);
    return true;
}
