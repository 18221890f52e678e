/*
 * functype.c — process-wide canonical type ids: function, struct and array
 * types, by iso-recursive identity (Wasm 3.0).
 *
 * call_indirect compares a callee's w2n_func.type_id with the caller's
 * vmctx->type_ids[type index], GC casts and import matching compare the
 * ids of types of different modules, so equal types of different modules
 * must get the same id.  Identity is that of whole recursion groups: a
 * group is interned as a key in which a reference to a type of the same
 * group is its position in the group (relative) and a reference outside it
 * the canonical id of that type.  So two modules (or one module twice)
 * that define the same group get the same ids, whatever their indices.
 * A group of n types gets n consecutive ids.  Ids are process-wide (a
 * function may cross stores through its host), start at 1 and are never
 * reused; the entries live as long as the process.  A mutex guards
 * interning; lookups of an id already handed out read an entry that never
 * changes again.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "internal.h"

/* The key of a group, per member: kind, final, supertype (tag, value),
 * nparams, nresults, nfields, then two words per parameter and result and
 * three per field (storage as two, mutability).  A value type is two
 * words: the type with its index bits clear (KEY_RELATIVE set when the
 * index is within the group) and the index: relative, or a canonical id. */
#define KEY_RELATIVE 0x80000000u
enum {
    SUPER_NONE,
    SUPER_OUTSIDE,
    SUPER_INSIDE
};

typedef struct key {
    uint32_t *words;
    size_t n, cap;
    bool failed;
} key;

typedef struct group {
    uint32_t *words;
    size_t nwords;
    uint64_t hash;
    uint32_t first_id, size;
} group;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static w2n_canon_type **types; /* types[id - 1] */
static uint32_t ntypes_total;
static size_t types_cap;
static group *groups;
static uint32_t ngroups;
static size_t groups_cap;
static uint32_t *buckets; /* open addressing: group index + 1, or 0 */
static uint32_t nbuckets;

static void push(key *k, uint32_t w) {
    if (k->failed)
        return;
    if (k->n == k->cap) {
        uint32_t *p = w2n_grow(k->words, &k->cap, k->n + 1, sizeof *p, 32);
        if (!p) {
            k->failed = true;
            return;
        }
        k->words = p;
    }
    k->words[k->n++] = w;
}

/* Where a group's references lead: module indices [start, start + size)
 * are inside; others map through `ids` (NULL: they are ids already). */
typedef struct scope {
    uint32_t start, size;
    const uint32_t *ids;
} scope;

static bool is_concrete(w2n_valtype t) {
    return w2n_valtype_is_ref(t) && w2n_heaptype_is_concrete(w2n_valtype_heap_type(t));
}

static void push_valtype(key *k, w2n_valtype t, const scope *s) {
    if (!is_concrete(t)) {
        push(k, t);
        push(k, 0);
        return;
    }
    uint32_t idx = w2n_valtype_type_index(t);
    w2n_valtype base = w2n_valtype_ref(w2n_heaptype_concrete(0), w2n_valtype_is_nullable(t));
    bool inside = idx - s->start < s->size;
    push(k, base | (inside ? KEY_RELATIVE : 0));
    push(k, inside ? idx - s->start : s->ids ? s->ids[idx] : idx);
}

static void push_super(key *k, uint32_t super, const scope *s) {
    if (super == W2N_META_NO_SUPERTYPE) {
        push(k, SUPER_NONE);
        push(k, 0);
    } else if (super - s->start < s->size) {
        push(k, SUPER_INSIDE);
        push(k, super - s->start);
    } else {
        push(k, SUPER_OUTSIDE);
        push(k, s->ids ? s->ids[super] : super);
    }
}

static void push_member(key *k, const w2n_meta_typedef *d, const w2n_functype *sig,
                        const scope *s) {
    push(k, d->kind);
    push(k, d->is_final);
    push_super(k, d->supertype, s);
    push(k, sig->nparams);
    push(k, sig->nresults);
    push(k, d->nfields);
    for (uint32_t i = 0; i < sig->nparams; i++)
        push_valtype(k, sig->params[i], s);
    for (uint32_t i = 0; i < sig->nresults; i++)
        push_valtype(k, sig->results[i], s);
    for (uint32_t i = 0; i < d->nfields; i++) {
        push_valtype(k, d->fields[i].storage, s);
        push(k, d->fields[i].is_mutable);
    }
}

static uint64_t hash_words(const uint32_t *w, size_t n) {
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (size_t i = 0; i < n; i++)
        h = (h ^ w[i]) * UINT64_C(0x100000001b3);
    return h;
}

/* ---- the table (under `lock`) ---------------------------------------------------- */

static bool rehash(void) {
    uint32_t n = nbuckets ? nbuckets * 2 : 64;
    uint32_t *nb = calloc(n, sizeof *nb);
    if (!nb)
        return false;
    for (uint32_t g = 0; g < ngroups; g++) {
        uint32_t b = (uint32_t)groups[g].hash & (n - 1);
        while (nb[b])
            b = (b + 1) & (n - 1);
        nb[b] = g + 1;
    }
    free(buckets);
    buckets = nb;
    nbuckets = n;
    return true;
}

/* A key's value type, its relative references resolved to ids. */
static w2n_valtype read_valtype(const uint32_t *w, uint32_t first_id) {
    if (!(w[0] & KEY_RELATIVE) && !is_concrete(w[0]))
        return w[0];
    uint32_t id = w[0] & KEY_RELATIVE ? first_id + w[1] : w[1];
    return w2n_valtype_ref(w2n_heaptype_concrete(id),
                           w2n_valtype_is_nullable(w[0] & ~KEY_RELATIVE));
}

/* Make the entry of one member from its key words at *pos. */
static w2n_canon_type *make_member(const uint32_t *w, size_t *pos, uint32_t first_id) {
    const uint32_t *m = w + *pos;
    uint32_t np = m[4], nr = m[5], nf = m[6];
    size_t nvals = (size_t)np + nr;
    w2n_canon_type *t = calloc(1, sizeof *t + (nvals + 1) * sizeof(w2n_valtype) +
                                      (size_t)nf * sizeof(w2n_gc_field));
    if (!t)
        return NULL;
    w2n_gc_field *fields = (w2n_gc_field *)(t + 1);
    w2n_valtype *vals = (w2n_valtype *)(fields + nf);
    t->kind = (uint8_t)m[0];
    t->is_final = m[1] != 0;
    t->super = m[2] == SUPER_NONE ? 0 : m[2] == SUPER_INSIDE ? first_id + m[3] : m[3];
    const uint32_t *v = m + 7;
    for (size_t i = 0; i < nvals; i++, v += 2)
        vals[i] = read_valtype(v, first_id);
    for (uint32_t i = 0; i < nf; i++, v += 3) {
        fields[i].type = read_valtype(v, first_id);
        fields[i].is_mutable = v[2] != 0;
    }
    t->sig = (w2n_functype){np, nr, vals, vals + np};
    t->nfields = nf;
    t->fields = fields;
    *pos = (size_t)(v - w);
    return t;
}

/* A new group of `size` members for key k (its words taken over). */
static uint32_t add_group(key *k, uint64_t h, uint32_t size, uint32_t bucket) {
    group *grown_groups = w2n_grow(groups, &groups_cap, (size_t)ngroups + 1, sizeof *groups, 64);
    if (!grown_groups)
        return 0;
    groups = grown_groups;
    w2n_canon_type **grown_types =
        w2n_grow(types, &types_cap, (size_t)ntypes_total + size, sizeof *types, 64);
    if (!grown_types)
        return 0;
    types = grown_types;
    uint32_t first_id = ntypes_total + 1;
    size_t pos = 0;
    for (uint32_t i = 0; i < size; i++) {
        w2n_canon_type *t = make_member(k->words, &pos, first_id);
        if (!t) {
            for (uint32_t j = 0; j < i; j++)
                free(types[ntypes_total + j]);
            return 0;
        }
        types[ntypes_total + i] = t;
    }
    ntypes_total += size;
    groups[ngroups] = (group){k->words, k->n, h, first_id, size};
    k->words = NULL;
    buckets[bucket] = ++ngroups;
    return first_id;
}

/* The first id of the group whose key is k, made if new; 0 on NOMEM. */
static uint32_t intern_group(key *k, uint32_t size) {
    if (k->failed)
        return 0;
    uint64_t h = hash_words(k->words, k->n);
    uint32_t id = 0;
    pthread_mutex_lock(&lock);
    if ((ngroups + 1) * 2 > nbuckets && !rehash())
        goto done;
    uint32_t b = (uint32_t)h & (nbuckets - 1);
    for (; buckets[b]; b = (b + 1) & (nbuckets - 1)) {
        const group *g = &groups[buckets[b] - 1];
        if (g->hash == h && g->nwords == k->n && g->size == size &&
            memcmp(g->words, k->words, k->n * sizeof *k->words) == 0) {
            id = g->first_id;
            goto done;
        }
    }
    id = add_group(k, h, size, b);
done:
    pthread_mutex_unlock(&lock);
    free(k->words);
    return id;
}

/* ---- interning ------------------------------------------------------------------ */

static const w2n_meta_typedef plain_func = {
    W2N_META_TYPE_FUNC, true, W2N_META_NO_SUPERTYPE, 0, 1, 0, 0, NULL};

uint32_t w2n_functype_intern(const w2n_functype *t) {
    key k = {0};
    scope s = {0, 0, NULL}; /* a host's references are ids already */
    push_member(&k, &plain_func, t, &s);
    return intern_group(&k, 1);
}

uint32_t w2n_functype_intern_module(const w2n_functype *t, uint32_t self,
                                    const uint32_t *type_ids) {
    key k = {0};
    scope s = {self, 1, type_ids};
    push_member(&k, &plain_func, t, &s);
    return intern_group(&k, 1);
}

bool w2n_types_intern_module(const w2n_meta *m, uint32_t *type_ids) {
    /* A meta made by hand (tests) may have no GC facts: Wasm 2.0 types. */
    const w2n_meta_typedef *defs = m->typedefs;
    for (uint32_t start = 0; start < m->ntypes;) {
        uint32_t size = defs ? defs[start].rec_size : 1;
        key k = {0};
        scope s = {start, size, type_ids};
        for (uint32_t i = start; i < start + size; i++)
            push_member(&k, defs ? &defs[i] : &plain_func, &m->types[i], &s);
        uint32_t first = intern_group(&k, size);
        if (!first)
            return false;
        for (uint32_t i = 0; i < size; i++)
            type_ids[start + i] = first + i;
        start += size;
    }
    /* Equal types of one module are one type: meta.c's canonical indices
     * and these ids must agree, or the compiler and runtime disagree. */
    for (uint32_t i = 0; defs && i < m->ntypes; i++)
        if (type_ids[i] != type_ids[defs[i].canon])
            return false;
    return true;
}

w2n_valtype w2n_valtype_canonical(w2n_valtype t, const uint32_t *type_ids) {
    if (!is_concrete(t))
        return t;
    uint32_t id = type_ids[w2n_valtype_type_index(t)];
    return w2n_valtype_ref(w2n_heaptype_concrete(id), w2n_valtype_is_nullable(t));
}

/* ---- lookups -------------------------------------------------------------------- */

const w2n_canon_type *w2n_type_lookup(uint32_t id) {
    const w2n_canon_type *t = NULL;
    pthread_mutex_lock(&lock);
    if (id >= 1 && id <= ntypes_total)
        t = types[id - 1];
    pthread_mutex_unlock(&lock);
    return t;
}

const w2n_functype *w2n_functype_lookup(uint32_t id) {
    const w2n_canon_type *t = w2n_type_lookup(id);
    return t && t->kind == W2N_META_TYPE_FUNC ? &t->sig : NULL;
}

bool w2n_type_id_sub(uint32_t sub, uint32_t super) {
    for (uint32_t id = sub; id;) {
        if (id == super)
            return true;
        const w2n_canon_type *t = w2n_type_lookup(id);
        id = t ? t->super : 0;
    }
    return false;
}

/* The abstract heap type just above a concrete one of this kind, and the
 * bottom of its hierarchy. */
static w2n_heaptype kind_top(uint8_t kind) {
    return kind == W2N_META_TYPE_STRUCT  ? W2N_STRUCTREF
           : kind == W2N_META_TYPE_ARRAY ? W2N_ARRAYREF
                                         : W2N_FUNCREF;
}

static bool heap_sub(w2n_heaptype a, w2n_heaptype b) {
    bool ca = w2n_heaptype_is_concrete(a), cb = w2n_heaptype_is_concrete(b);
    if (ca && cb)
        return w2n_type_id_sub(w2n_valtype_type_index(a), w2n_valtype_type_index(b));
    if (ca) {
        const w2n_canon_type *t = w2n_type_lookup(w2n_valtype_type_index(a));
        return t && w2n_heaptype_sub(kind_top(t->kind), b);
    }
    if (cb) {
        const w2n_canon_type *t = w2n_type_lookup(w2n_valtype_type_index(b));
        w2n_heaptype bottom = t && t->kind == W2N_META_TYPE_FUNC ? W2N_NULLFUNCREF : W2N_NULLREF;
        return a == bottom || a == W2N_HEAPTYPE_BOTTOM;
    }
    return false; /* neither is concrete: w2n_valtype_sub's case */
}

bool w2n_valtype_sub_canonical(w2n_valtype a, w2n_valtype b) {
    if (!is_concrete(a) && !is_concrete(b))
        return w2n_valtype_sub(a, b);
    /* One is a concrete reference: nullability as usual, heap types by id. */
    return w2n_valtype_is_ref(a) && w2n_valtype_is_ref(b) &&
           (!w2n_valtype_is_nullable(a) || w2n_valtype_is_nullable(b)) &&
           heap_sub(w2n_valtype_heap_type(a), w2n_valtype_heap_type(b));
}
