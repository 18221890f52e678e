/*
 * func.c — host functions and function signatures.
 *
 * A host function is a w2n_func with no native code (flags W2N_FUNC_HOST);
 * it becomes callable from Wasm when an instance imports it, through that
 * instance's adapter record (instance.c).  Signatures are interned
 * process-wide (functype.c), so w2n_func_type only looks the id up.
 */
#include <stdlib.h>

#include "internal.h"

w2n_func *w2n_host_func_new(w2n_store *store, const w2n_functype *type, w2n_host_fn fn,
                            void *data) {
    if (!store || !type || !fn)
        return NULL;
    uint32_t id = w2n_functype_intern(type);
    if (!id)
        return NULL;
    w2n_host_func *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->base.type_id = id;
    h->base.call_id = 0; /* no native code: call_indirect's cold path calls it */
    h->base.flags = W2N_FUNC_HOST;
    h->fn = fn;
    h->data = data;
    h->next = store->host_funcs;
    store->host_funcs = h;
    return &h->base;
}

w2n_functype w2n_func_type(w2n_store *store, const w2n_func *func) {
    (void)store;
    w2n_functype none = {0, 0, NULL, NULL};
    const w2n_functype *t = func ? w2n_functype_lookup(func->type_id) : NULL;
    return t ? *t : none;
}
