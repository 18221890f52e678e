/*
 * table.c — tables of references.
 *
 * The elements are a malloc'd array of pointers (w2n_func* for funcref, host
 * pointers for externref, NULL is ref.null) that realloc may move on grow;
 * compiled code reads elems and size through the w2n_table_abi each time.
 * Growth beyond the declared maximum, past UINT32_MAX elements or past what
 * malloc gives fails with -1 as the spec allows, and so does growth the
 * store's resource limits (limits.c) refuse.
 */
#include <stdlib.h>

#include "internal.h"

/* A practical cap on elements, so a huge table.grow fails instead of
 * exhausting the machine (the spec lets grow fail for any reason). */
#define TABLE_ELEMS_CAP (UINT32_C(1) << 26)

w2n_status w2n_table_create(w2n_store *store, w2n_tabletype type, void *init, w2n_table **out,
                            w2n_error *err) {
    *out = NULL;
    if (!w2n_valtype_is_ref(type.elem))
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET,
                             "table element type is not a reference type");
    if (!init && type.limits.min && !w2n_valtype_is_nullable(type.elem))
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET,
                             "a table of %s cannot start null", w2n_valtype_name(type.elem));
    if (type.limits.min > UINT32_MAX || (type.limits.has_max && type.limits.max < type.limits.min))
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "table size out of range");
    if (type.limits.min > TABLE_ELEMS_CAP)
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET,
                             "table of %llu elements is too large",
                             (unsigned long long)type.limits.min);
    uint64_t max =
        type.limits.has_max && type.limits.max < UINT32_MAX ? type.limits.max : UINT32_MAX;
    w2n_status st = w2n_limits_admit(store, 0, 0, 1, err);
    if (st == W2N_OK)
        st = w2n_limits_table(store, 0, type.limits.min, max, err);
    if (st != W2N_OK)
        return st;
    w2n_table *t = calloc(1, sizeof *t);
    if (!t)
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    uint32_t n = (uint32_t)type.limits.min;
    t->abi.elems = malloc((n ? n : 1) * sizeof(void *));
    if (!t->abi.elems) {
        free(t);
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    }
    for (uint32_t i = 0; i < n; i++)
        t->abi.elems[i] = init;
    t->abi.size = n;
    t->has_max = type.limits.has_max;
    t->is64 = type.limits.is64;
    t->declared_max = type.limits.has_max ? type.limits.max : UINT64_MAX;
    t->abi.max = (uint32_t)max;
    t->elem = type.elem;
    t->store = store;
    t->next = store->tables;
    store->tables = t;
    store->ntables++;
    *out = t;
    return W2N_OK;
}

void w2n_table_destroy(w2n_table *t) {
    if (!t)
        return;
    free(t->abi.elems);
    free(t);
}

int64_t w2n_table_grow_by(w2n_table *t, uint64_t delta, void *init) {
    uint32_t old = t->abi.size;
    if (delta > UINT32_MAX) /* before the sum, which could wrap */
        return -1;
    uint64_t n = (uint64_t)old + delta;
    if (n > t->abi.max || n > UINT32_MAX)
        return -1;
    if (delta == 0)
        return old;
    if (n > TABLE_ELEMS_CAP || w2n_limits_table(t->store, old, n, t->abi.max, NULL) != W2N_OK)
        return -1;
    void **elems = realloc(t->abi.elems, (size_t)n * sizeof(void *));
    if (!elems)
        return -1;
    for (uint64_t i = old; i < n; i++)
        elems[i] = init;
    t->abi.elems = elems;
    t->abi.size = (uint32_t)n;
    return old;
}

w2n_table *w2n_table_new(w2n_store *store, w2n_tabletype type, void *init, w2n_error *err) {
    w2n_table *t;
    if (!store) {
        w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "no store");
        return NULL;
    }
    if (w2n_table_create(store, type, init, &t, err) != W2N_OK)
        return NULL;
    return t;
}

uint32_t w2n_table_size(w2n_table *table) { return table->abi.size; }

static w2n_status check_index(const w2n_table *table, uint32_t index, w2n_error *err) {
    if (index >= table->abi.size)
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET,
                             "table index %u out of range (size %u)", index, table->abi.size);
    return W2N_OK;
}

w2n_status w2n_table_get(w2n_table *table, uint32_t index, void **out, w2n_error *err) {
    w2n_status s = check_index(table, index, err);
    if (s == W2N_OK)
        *out = table->abi.elems[index];
    return s;
}

/* A host function goes in as its own record (code == NULL); compiled
 * call_indirect sees that and calls it through helpers->call_func. */
w2n_status w2n_table_set(w2n_table *table, uint32_t index, void *ref, w2n_error *err) {
    w2n_status s = check_index(table, index, err);
    if (s == W2N_OK && !ref && !w2n_valtype_is_nullable(table->elem))
        s = w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "a table of %s cannot hold null",
                          w2n_valtype_name(table->elem));
    if (s == W2N_OK)
        table->abi.elems[index] = ref;
    return s;
}
