/*
 * exception.h — Wasm exceptions in the runtime: objects and tags
 * (exception.c), raising (unwind.c), the personality routine and unwind
 * table registration (personality.c), and the LSDA reader (lsda.c).  docs/abi.md, "Exceptions", describes
 * the scheme.
 */
#ifndef W2N_RUNTIME_EXCEPTION_H
#define W2N_RUNTIME_EXCEPTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "w2n/abi.h"
#include "w2n/runtime.h"

struct w2n_tag {
    uint32_t type_id;     /* interned payload type (no results) */
    struct w2n_tag *next; /* in the store */
};

/* An exnref points here; the store lists every live one (runtime_private
 * holds the links). */
struct w2n_exception {
    w2n_exception_abi abi;
};

/* A tag of the store with payload type `type_id`; NULL on NOMEM. */
w2n_tag *w2n_tag_create(w2n_store *store, uint32_t type_id);
/* A new exception of `tag` in the store, payload zeroed; NULL past the
 * store's bound (*over_bound set) or on NOMEM. */
w2n_exception *w2n_exception_alloc(w2n_store *store, const w2n_tag *tag, bool *over_bound);
/* Free one no Wasm value refers to (W2N_EXCEPTION_REFERENCED clear). */
void w2n_exception_release(w2n_store *store, w2n_exception *exn);
/* Offer every reference slot of every live exception's payload to the
 * garbage collector (runtime/gc/roots.c). */
void w2n_exception_visit_refs(w2n_store *store, void (*visit)(void *ctx, uintptr_t *slot),
                              void *ctx);
/* Free every exception of the store (w2n_store_free). */
void w2n_exception_free_all(w2n_store *store);

/* Throw `exn` from runtime code called by Wasm: unwind to the nearest Wasm
 * handler, or, when none lies inside the innermost host-to-Wasm entry, end
 * that call with the exception (W2N_ERR_EXCEPTION).  Returns only when no
 * call is active on the thread or a host function is innermost. */
void w2n_exception_raise(w2n_exception *exn);

#endif
