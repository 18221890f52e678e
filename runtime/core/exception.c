/*
 * exception.c — tags and exception objects, and the exception helpers.
 *
 * Lifetime: the store owns every exception, on a list whose links are the
 * object's runtime_private words.  `catch` and `catch_all` give an
 * exception back through exception_drop, which frees it unless it ever
 * became a Wasm value (W2N_EXCEPTION_REFERENCED: compiled code sets it in
 * catch_ref and catch_all_ref, the runtime when the host gets or makes
 * one); those live until the store is freed.  The store bounds the live
 * ones (count and bytes, w2n_store_limits), so a guest that keeps
 * references cannot exhaust the host: a throw past the bound traps.
 */
#include <stdlib.h>
#include <string.h>

#include "exception.h"
#include "internal.h"

#define DEFAULT_MAX_EXCEPTIONS 65536u
#define DEFAULT_MAX_EXCEPTION_BYTES ((uint64_t)64 << 20)

/* ---- tags --------------------------------------------------------------------- */

w2n_tag *w2n_tag_create(w2n_store *store, uint32_t type_id) {
    w2n_tag *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->type_id = type_id;
    t->next = store->tags;
    store->tags = t;
    return t;
}

w2n_tag *w2n_tag_new(w2n_store *store, const w2n_functype *type, w2n_error *err) {
    if (!store || !type) {
        w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "null store or tag type");
        return NULL;
    }
    if (type->nresults) {
        w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "a tag type has no results");
        return NULL;
    }
    uint32_t id = w2n_functype_intern(type);
    w2n_tag *t = id ? w2n_tag_create(store, id) : NULL;
    if (!t)
        w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    return t;
}

const w2n_functype *w2n_tag_type(const w2n_tag *tag) {
    return tag ? w2n_functype_lookup(tag->type_id) : NULL;
}

/* ---- exception objects --------------------------------------------------------- */

static w2n_exception **link_prev(w2n_exception *e) {
    return (w2n_exception **)&e->abi.runtime_private[0];
}
static w2n_exception **link_next(w2n_exception *e) {
    return (w2n_exception **)&e->abi.runtime_private[1];
}

static size_t exception_bytes(const w2n_tag *tag) {
    return W2N_EXCEPTION_PAYLOAD + (size_t)w2n_tag_type(tag)->nparams * sizeof(w2n_raw);
}

w2n_exception *w2n_exception_alloc(w2n_store *store, const w2n_tag *tag, bool *over_bound) {
    size_t bytes = exception_bytes(tag);
    uint32_t max =
        store->limits.max_exceptions ? store->limits.max_exceptions : DEFAULT_MAX_EXCEPTIONS;
    uint64_t max_bytes = store->limits.max_exception_bytes ? store->limits.max_exception_bytes
                                                           : DEFAULT_MAX_EXCEPTION_BYTES;
    *over_bound = store->nexceptions >= max || store->exception_bytes + bytes > max_bytes;
    if (*over_bound)
        return NULL;
    /* The unwinder's header wants the largest alignment (16 bytes). */
    w2n_exception *e = aligned_alloc(16, (bytes + 15) & ~(size_t)15);
    if (!e)
        return NULL;
    memset(e, 0, bytes);
    e->abi.tag = tag;
    *link_next(e) = store->exceptions;
    if (store->exceptions)
        *link_prev(store->exceptions) = e;
    store->exceptions = e;
    store->nexceptions++;
    store->exception_bytes += bytes;
    return e;
}

void w2n_exception_release(w2n_store *store, w2n_exception *e) {
    w2n_exception *prev = *link_prev(e), *next = *link_next(e);
    if (prev)
        *link_next(prev) = next;
    else
        store->exceptions = next;
    if (next)
        *link_prev(next) = prev;
    store->nexceptions--;
    store->exception_bytes -= exception_bytes(e->abi.tag);
    free(e);
}

void w2n_exception_visit_refs(w2n_store *store, void (*visit)(void *ctx, uintptr_t *slot),
                              void *ctx) {
    for (w2n_exception *e = store->exceptions; e; e = *link_next(e)) {
        const w2n_functype *type = w2n_tag_type(e->abi.tag);
        w2n_raw *payload = (w2n_raw *)((uint8_t *)e + W2N_EXCEPTION_PAYLOAD);
        for (uint32_t i = 0; i < type->nparams; i++)
            if (w2n_valtype_is_ref(type->params[i]))
                visit(ctx, (uintptr_t *)&payload[i].ref);
    }
}

void w2n_exception_free_all(w2n_store *store) {
    while (store->exceptions) {
        w2n_exception *next = *link_next(store->exceptions);
        free(store->exceptions);
        store->exceptions = next;
    }
    store->nexceptions = 0;
    store->exception_bytes = 0;
    while (store->tags) {
        w2n_tag *next = store->tags->next;
        free(store->tags);
        store->tags = next;
    }
}

/* ---- the public API ---------------------------------------------------------------- */

w2n_status w2n_exception_new(w2n_store *store, w2n_tag *tag, const w2n_value *values,
                             uint32_t nvalues, w2n_exception **out, w2n_error *err) {
    *out = NULL;
    const w2n_functype *type = w2n_tag_type(tag);
    if (!store || !type)
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "null store or tag");
    if (nvalues != type->nparams)
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET,
                             "the tag takes %u values, %u given", type->nparams, nvalues);
    for (uint32_t i = 0; i < nvalues; i++)
        if (values[i].type != type->params[i])
            return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET,
                                 "value %u has type 0x%02x, the tag expects 0x%02x", i,
                                 values[i].type, type->params[i]);
    bool over;
    w2n_exception *e = w2n_exception_alloc(store, tag, &over);
    if (!e)
        return over ? w2n_error_set(err, W2N_ERR_LIMIT, W2N_NO_OFFSET,
                                    "too many live exceptions in the store")
                    : w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    w2n_raw *payload = (w2n_raw *)((uint8_t *)e + W2N_EXCEPTION_PAYLOAD);
    for (uint32_t i = 0; i < nvalues; i++)
        w2n_value_to_raw(&values[i], &payload[i]);
    e->abi.flags |= W2N_EXCEPTION_REFERENCED; /* the host holds it */
    *out = e;
    return W2N_OK;
}

w2n_tag *w2n_exception_tag(const w2n_exception *exn) {
    return exn ? (w2n_tag *)exn->abi.tag : NULL;
}

uint32_t w2n_exception_arity(const w2n_exception *exn) {
    return exn ? w2n_tag_type(exn->abi.tag)->nparams : 0;
}

w2n_value w2n_exception_value(const w2n_exception *exn, uint32_t index) {
    w2n_value v;
    memset(&v, 0, sizeof v);
    if (index >= w2n_exception_arity(exn))
        return v;
    const w2n_raw *payload = (const w2n_raw *)((const uint8_t *)exn + W2N_EXCEPTION_PAYLOAD);
    return w2n_value_from_raw(w2n_tag_type(exn->abi.tag)->params[index], &payload[index]);
}

/* ---- the helpers compiled code calls --------------------------------------------------- */

w2n_exception_abi *w2n_helper_exception_new(w2n_vmctx *vmctx, uint32_t tag) {
    w2n_instance *inst = w2n_instance_of(vmctx);
    bool over;
    w2n_exception *e = w2n_exception_alloc(inst->store, inst->tags[tag], &over);
    if (!e) {
        w2n_trap_raise(W2N_TRAP_TOO_MANY_EXCEPTIONS, 0,
                       over ? NULL : "out of memory for an exception");
        return NULL; /* only when the host, not Wasm, called this helper */
    }
    return &e->abi;
}

void w2n_helper_exception_throw(w2n_vmctx *vmctx, w2n_exception_abi *exn) {
    (void)vmctx;
    if (!exn) {
        w2n_trap_raise(W2N_TRAP_NULL_EXCEPTION, 0, NULL);
        return;
    }
    w2n_exception_raise((w2n_exception *)exn);
}

void w2n_helper_exception_drop(w2n_vmctx *vmctx, w2n_exception_abi *exn) {
    if (!(exn->flags & W2N_EXCEPTION_REFERENCED))
        w2n_exception_release(w2n_instance_of(vmctx)->store, (w2n_exception *)exn);
}
