/*
 * object_api.c — the host's view of structs and arrays: make them, read
 * and write their fields (w2n/runtime.h, "garbage collection").
 *
 * A field is read and written through its layout (types.c).  References of
 * the `any` hierarchy cross the API as handles; funcref and externref
 * fields hold what they hold for Wasm (a w2n_func*, a host pointer).  An
 * allocation may collect, so the field values of a new object are read
 * from their handles only after the object exists.
 */
#include <string.h>

#include "gc.h"
#include "internal.h"

/* Is `v` a value the field may hold? */
static bool value_fits(const w2n_gc_field_layout *f, const w2n_value *v) {
    if (f->storage == W2N_GC_PACKED_I8 || f->storage == W2N_GC_PACKED_I16)
        return v->type == W2N_I32;
    if (!w2n_valtype_is_ref(f->storage))
        return v->type == f->storage;
    if (!w2n_valtype_is_ref(v->type) || w2n_gc_is_gc_type(v->type) != w2n_gc_is_gc_type(f->storage))
        return false;
    return v->of.ref || w2n_valtype_is_nullable(f->storage);
}

static void store_field(uint8_t *at, const w2n_gc_field_layout *f, const w2n_value *v) {
    if (f->storage == W2N_GC_PACKED_I8)
        *at = (uint8_t)v->of.i32;
    else if (f->storage == W2N_GC_PACKED_I16)
        memcpy(at, &(uint16_t){(uint16_t)v->of.i32}, 2);
    else if (w2n_gc_is_gc_type(f->storage))
        memcpy(at, &(uintptr_t){w2n_gc_handle_word(v->of.ref)}, sizeof(uintptr_t));
    else
        memcpy(at, &v->of, f->size);
}

static w2n_status load_field(w2n_gc_heap *heap, const uint8_t *at, const w2n_gc_field_layout *f,
                             bool is_signed, w2n_value *out, w2n_error *err) {
    memset(out, 0, sizeof *out);
    out->type = f->storage;
    if (f->storage == W2N_GC_PACKED_I8) {
        out->type = W2N_I32;
        out->of.i32 = is_signed ? (int8_t)*at : *at;
    } else if (f->storage == W2N_GC_PACKED_I16) {
        uint16_t u;
        memcpy(&u, at, 2);
        out->type = W2N_I32;
        out->of.i32 = is_signed ? (int16_t)u : u;
    } else if (w2n_gc_is_gc_type(f->storage)) {
        uintptr_t word;
        memcpy(&word, at, sizeof word);
        if (word && !(out->of.ref = w2n_gc_handle_new(heap, word)))
            return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory for a handle");
    } else {
        memcpy(&out->of, at, f->size);
    }
    return W2N_OK;
}

/* The object a handle names, if it is of `kind`. */
static uint8_t *object_of(const w2n_gc_ref *ref, w2n_gc_kind kind, w2n_error *err) {
    const w2n_gc_rtt *t = w2n_gc_ref_type(ref);
    if (!t || t->kind != kind) {
        w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "not a %s reference",
                      kind == W2N_GC_KIND_STRUCT ? "struct" : "array");
        return NULL;
    }
    return (uint8_t *)w2n_gc_handle_word(ref);
}

static w2n_status bad_value(w2n_error *err, const char *what, uint32_t index) {
    return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "%s %u: value of the wrong type",
                         what, (unsigned)index);
}

w2n_status w2n_gc_struct_new(w2n_store *store, const w2n_gc_rtt *type, const w2n_value *fields,
                             uint32_t nfields, w2n_gc_ref **out, w2n_error *err) {
    w2n_gc_heap *heap;
    w2n_status st = w2n_gc_heap_get(store, &heap, err);
    if (st != W2N_OK)
        return st;
    if (type->kind != W2N_GC_KIND_STRUCT || nfields != type->nfields)
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET,
                             "a struct of this type has %u fields", (unsigned)type->nfields);
    for (uint32_t i = 0; i < nfields; i++)
        if (!value_fits(&type->fields[i], &fields[i]))
            return bad_value(err, "field", i);
    if (!w2n_gc_may_allocate(store, heap, w2n_gc_object_bytes(type, 0)))
        return w2n_gc_unwalkable_error(err);
    uint8_t *obj = w2n_gc_alloc(store, heap, type, 0, err);
    if (!obj)
        return W2N_ERR_LIMIT;
    for (uint32_t i = 0; i < nfields; i++)
        store_field(obj + type->fields[i].offset, &type->fields[i], &fields[i]);
    if (!(*out = w2n_gc_handle_new(heap, (uintptr_t)obj)))
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory for a handle");
    return W2N_OK;
}

w2n_status w2n_gc_array_new(w2n_store *store, const w2n_gc_rtt *type, uint32_t length,
                            const w2n_value *init, w2n_gc_ref **out, w2n_error *err) {
    w2n_gc_heap *heap;
    w2n_status st = w2n_gc_heap_get(store, &heap, err);
    if (st != W2N_OK)
        return st;
    const w2n_gc_field_layout *f = &type->fields[0];
    if (type->kind != W2N_GC_KIND_ARRAY)
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "not an array type");
    if (init ? !value_fits(f, init) : (f->is_ref && !w2n_valtype_is_nullable(f->storage)))
        return bad_value(err, "element", 0);
    if (!w2n_gc_may_allocate(store, heap, w2n_gc_object_bytes(type, length)))
        return w2n_gc_unwalkable_error(err);
    uint8_t *obj = w2n_gc_alloc(store, heap, type, length, err);
    if (!obj)
        return W2N_ERR_LIMIT;
    for (uint32_t i = 0; init && i < length; i++)
        store_field(obj + f->offset + (size_t)i * f->size, f, init);
    if (!(*out = w2n_gc_handle_new(heap, (uintptr_t)obj)))
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory for a handle");
    return W2N_OK;
}

w2n_status w2n_gc_struct_get(w2n_store *store, const w2n_gc_ref *ref, uint32_t field,
                             bool is_signed, w2n_value *out, w2n_error *err) {
    uint8_t *obj = object_of(ref, W2N_GC_KIND_STRUCT, err);
    if (!obj)
        return W2N_ERR_ARGUMENT;
    const w2n_gc_rtt *t = w2n_gc_ref_type(ref);
    if (field >= t->nfields)
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "no field %u", (unsigned)field);
    return load_field(store->gc, obj + t->fields[field].offset, &t->fields[field], is_signed, out,
                      err);
}

w2n_status w2n_gc_struct_set(w2n_store *store, const w2n_gc_ref *ref, uint32_t field,
                             const w2n_value *value, w2n_error *err) {
    (void)store;
    uint8_t *obj = object_of(ref, W2N_GC_KIND_STRUCT, err);
    if (!obj)
        return W2N_ERR_ARGUMENT;
    const w2n_gc_rtt *t = w2n_gc_ref_type(ref);
    if (field >= t->nfields || !t->fields[field].is_mutable)
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "no mutable field %u",
                             (unsigned)field);
    if (!value_fits(&t->fields[field], value))
        return bad_value(err, "field", field);
    store_field(obj + t->fields[field].offset, &t->fields[field], value);
    return W2N_OK;
}

uint32_t w2n_gc_array_len(const w2n_gc_ref *ref) {
    const w2n_gc_rtt *t = w2n_gc_ref_type(ref);
    if (!t || t->kind != W2N_GC_KIND_ARRAY)
        return 0;
    return *(const uint32_t *)(w2n_gc_handle_word(ref) + W2N_GC_ARRAY_LENGTH);
}

/* Element `index` of the array `ref` names, bounds checked. */
static uint8_t *element_of(const w2n_gc_ref *ref, uint32_t index, w2n_error *err) {
    uint8_t *obj = object_of(ref, W2N_GC_KIND_ARRAY, err);
    if (!obj)
        return NULL;
    if (index >= w2n_gc_array_len(ref)) {
        w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "array index %u out of bounds",
                      (unsigned)index);
        return NULL;
    }
    const w2n_gc_field_layout *f = &w2n_gc_ref_type(ref)->fields[0];
    return obj + f->offset + (size_t)index * f->size;
}

w2n_status w2n_gc_array_get(w2n_store *store, const w2n_gc_ref *ref, uint32_t index, bool is_signed,
                            w2n_value *out, w2n_error *err) {
    uint8_t *at = element_of(ref, index, err);
    if (!at)
        return W2N_ERR_ARGUMENT;
    return load_field(store->gc, at, &w2n_gc_ref_type(ref)->fields[0], is_signed, out, err);
}

w2n_status w2n_gc_array_set(w2n_store *store, const w2n_gc_ref *ref, uint32_t index,
                            const w2n_value *value, w2n_error *err) {
    (void)store;
    uint8_t *at = element_of(ref, index, err);
    if (!at)
        return W2N_ERR_ARGUMENT;
    const w2n_gc_field_layout *f = &w2n_gc_ref_type(ref)->fields[0];
    if (!f->is_mutable)
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "the array is immutable");
    if (!value_fits(f, value))
        return bad_value(err, "element", index);
    store_field(at, f, value);
    return W2N_OK;
}
