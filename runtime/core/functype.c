/*
 * functype.c — process-wide interning of function signatures.
 *
 * call_indirect compares a callee's w2n_func.type_id with the caller's
 * vmctx->type_ids[type index], so structurally equal signatures of different
 * modules must get the same id.  Ids are process-wide (a function may cross
 * stores through its host), start at 1 and are never reused; the entries
 * live as long as the process.  A mutex guards interning; lookups of an id
 * already handed out read an entry that never changes again.
 *
 * A module's type may name other types, `(ref $t)`: the interned signature
 * names them by canonical id instead (w2n_functype_intern_module), and a
 * reference to the type itself by id 0, so equal structures of different
 * modules meet at one id whatever their indices.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct entry {
    w2n_functype type;
    uint64_t hash;
} entry;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static entry **entries; /* entries[id - 1] */
static uint32_t count, cap;
static uint32_t *buckets; /* open addressing: id or 0 */
static uint32_t nbuckets;

static uint64_t hash_type(const w2n_functype *t) {
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    uint8_t head[8];
    memcpy(head, &t->nparams, 4);
    memcpy(head + 4, &t->nresults, 4);
    for (int i = 0; i < 8; i++)
        h = (h ^ head[i]) * UINT64_C(0x100000001b3);
    for (uint32_t i = 0; i < t->nparams; i++)
        h = (h ^ t->params[i]) * UINT64_C(0x100000001b3);
    for (uint32_t i = 0; i < t->nresults; i++)
        h = (h ^ t->results[i]) * UINT64_C(0x100000001b3);
    return h;
}

static bool same(const w2n_functype *a, const w2n_functype *b) {
    return a->nparams == b->nparams && a->nresults == b->nresults &&
           (a->nparams == 0 || memcmp(a->params, b->params, a->nparams * sizeof *a->params) == 0) &&
           (a->nresults == 0 ||
            memcmp(a->results, b->results, a->nresults * sizeof *a->results) == 0);
}

static bool rehash(void) {
    uint32_t n = nbuckets ? nbuckets * 2 : 64;
    uint32_t *nb = calloc(n, sizeof *nb);
    if (!nb)
        return false;
    for (uint32_t id = 1; id <= count; id++) {
        uint32_t b = (uint32_t)entries[id - 1]->hash & (n - 1);
        while (nb[b])
            b = (b + 1) & (n - 1);
        nb[b] = id;
    }
    free(buckets);
    buckets = nb;
    nbuckets = n;
    return true;
}

static entry *make_entry(const w2n_functype *t, uint64_t h) {
    entry *e = calloc(1, sizeof *e + ((size_t)t->nparams + t->nresults + 1) * sizeof(w2n_valtype));
    if (!e)
        return NULL;
    w2n_valtype *types = (w2n_valtype *)(e + 1);
    if (t->nparams)
        memcpy(types, t->params, t->nparams * sizeof *types);
    if (t->nresults)
        memcpy(types + t->nparams, t->results, t->nresults * sizeof *types);
    e->type.nparams = t->nparams;
    e->type.nresults = t->nresults;
    e->type.params = types;
    e->type.results = types + t->nparams;
    e->hash = h;
    return e;
}

uint32_t w2n_functype_intern(const w2n_functype *t) {
    uint64_t h = hash_type(t);
    uint32_t id = 0;
    pthread_mutex_lock(&lock);
    if ((count + 1) * 2 > nbuckets && !rehash())
        goto done;
    uint32_t b = (uint32_t)h & (nbuckets - 1);
    for (; buckets[b]; b = (b + 1) & (nbuckets - 1)) {
        entry *e = entries[buckets[b] - 1];
        if (e->hash == h && same(&e->type, t)) {
            id = buckets[b];
            goto done;
        }
    }
    if (count == cap) {
        uint32_t ncap = cap ? cap * 2 : 64;
        entry **ne = realloc(entries, ncap * sizeof *ne);
        if (!ne)
            goto done;
        entries = ne;
        cap = ncap;
    }
    entry *e = make_entry(t, h);
    if (!e)
        goto done;
    entries[count++] = e;
    id = count;
    buckets[b] = id;
done:
    pthread_mutex_unlock(&lock);
    return id;
}

w2n_valtype w2n_valtype_canonical(w2n_valtype t, const uint32_t *type_ids) {
    if (!w2n_valtype_is_ref(t) || !w2n_heaptype_is_concrete(w2n_valtype_heap_type(t)))
        return t;
    uint32_t id = type_ids[w2n_valtype_type_index(t)];
    return w2n_valtype_ref(w2n_heaptype_concrete(id), w2n_valtype_is_nullable(t));
}

/* Type `self` of a module whose earlier types have ids type_ids[0..self):
 * its references to them become their ids, those to itself id 0. */
static void canonical_types(w2n_valtype *out, const w2n_valtype *in, uint32_t n, uint32_t self,
                            const uint32_t *type_ids) {
    for (uint32_t i = 0; i < n; i++) {
        w2n_valtype t = in[i];
        if (w2n_valtype_is_ref(t) && w2n_heaptype_is_concrete(w2n_valtype_heap_type(t)) &&
            w2n_valtype_type_index(t) == self)
            out[i] = w2n_valtype_ref(w2n_heaptype_concrete(0), w2n_valtype_is_nullable(t));
        else
            out[i] = w2n_valtype_canonical(t, type_ids);
    }
}

uint32_t w2n_functype_intern_module(const w2n_functype *t, uint32_t self,
                                    const uint32_t *type_ids) {
    size_t n = (size_t)t->nparams + t->nresults;
    w2n_valtype *types = malloc((n ? n : 1) * sizeof *types);
    if (!types)
        return 0;
    canonical_types(types, t->params, t->nparams, self, type_ids);
    canonical_types(types + t->nparams, t->results, t->nresults, self, type_ids);
    w2n_functype canon = {t->nparams, t->nresults, types, types + t->nparams};
    uint32_t id = w2n_functype_intern(&canon);
    free(types);
    return id;
}

const w2n_functype *w2n_functype_lookup(uint32_t id) {
    const w2n_functype *t = NULL;
    pthread_mutex_lock(&lock);
    if (id >= 1 && id <= count)
        t = &entries[id - 1]->type;
    pthread_mutex_unlock(&lock);
    return t;
}
