/*
 * types.c — runtime type descriptors (w2n_gc_rtt): the object layout of a
 * struct or array type and its supertype display (docs/gc.md, "Objects").
 *
 * The layout is common/gc_layout.h's, which the compiler follows too:
 * declaration order, natural alignment capped at W2N_GC_ALIGN, so a
 * subtype's layout extends its supertype's and a field has one offset in
 * every subtype.  A descriptor never moves and
 * lives as long as the store's heap.
 */
#include <stdlib.h>
#include <string.h>

#include "gc.h"
#include "gc_layout.h"

static bool same_field(const w2n_gc_field_layout *a, const w2n_gc_field_layout *b) {
    return a->storage == b->storage && a->is_mutable == b->is_mutable;
}

/* One allocation: the record, its fields, its reference offsets and its
 * full supertype chain. */
static w2n_gc_type_rec *type_new(w2n_gc_heap *heap, w2n_gc_kind kind, uint32_t nfields,
                                 const w2n_gc_rtt *super, uint32_t type_id, w2n_error *err) {
    uint32_t depth = super ? super->depth + 1 : 0;
    size_t bytes = sizeof(w2n_gc_type_rec) + nfields * sizeof(w2n_gc_field_layout) +
                   nfields * sizeof(uint32_t) + (depth + 1) * sizeof(void *);
    w2n_gc_type_rec *rec = calloc(1, bytes);
    if (!rec) {
        w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory for a GC type");
        return NULL;
    }
    w2n_gc_rtt *t = &rec->rtt;
    const w2n_gc_rtt **supers = (const w2n_gc_rtt **)(rec + 1);
    t->fields = (w2n_gc_field_layout *)(supers + depth + 1);
    t->ref_offsets = (uint32_t *)((w2n_gc_field_layout *)t->fields + nfields);
    t->kind = kind;
    t->depth = depth;
    t->nfields = nfields;
    t->type_id = type_id;
    for (uint32_t d = 0; d < depth; d++)
        supers[d] = super->supers[d];
    supers[depth] = t;
    t->supers = supers;
    for (uint32_t d = 0; d <= depth && d < W2N_GC_DISPLAY; d++)
        t->display[d] = supers[d];
    rec->next = heap->types;
    heap->types = rec;
    return rec;
}

static bool layout_field(const w2n_gc_field *in, w2n_gc_field_layout *out, w2n_error *err) {
    uint32_t size = w2n_gc_storage_size(in->type);
    if (!size) {
        w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET,
                      "a GC field of unknown storage type 0x%x", (unsigned)in->type);
        return false;
    }
    out->storage = in->type;
    out->size = (uint8_t)size;
    out->is_ref = size == sizeof(void *) && w2n_valtype_is_ref(in->type);
    out->is_mutable = in->is_mutable;
    return true;
}

/* A struct type of the heap; type_id: its canonical id, or 0 (the host's). */
const w2n_gc_rtt *w2n_gc_struct_type_id(w2n_gc_heap *heap, const w2n_gc_field *fields,
                                        uint32_t nfields, const w2n_gc_rtt *super, uint32_t type_id,
                                        w2n_error *err) {
    if (super && (super->kind != W2N_GC_KIND_STRUCT || super->nfields > nfields)) {
        w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET,
                      "a struct type's supertype must be a struct "
                      "type with at most as many fields");
        return NULL;
    }
    if (nfields > (1u << 16)) {
        w2n_error_set(err, W2N_ERR_LIMIT, W2N_NO_OFFSET, "a struct type has at most 65536 fields");
        return NULL;
    }
    w2n_gc_type_rec *rec = type_new(heap, W2N_GC_KIND_STRUCT, nfields, super, type_id, err);
    if (!rec)
        return NULL;
    w2n_gc_rtt *t = &rec->rtt;
    w2n_gc_field_layout *out = (w2n_gc_field_layout *)t->fields;
    uint32_t *refs = (uint32_t *)t->ref_offsets;
    uint32_t offset = W2N_GC_HEADER;
    for (uint32_t i = 0; i < nfields; i++) {
        if (!layout_field(&fields[i], &out[i], err))
            goto fail;
        /* A module's subtype may narrow an immutable field's type:
         * validation judged it; the host's types keep their prefix. */
        if (!type_id && super && i < super->nfields && !same_field(&out[i], &super->fields[i])) {
            w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET,
                          "field %u differs from the supertype's (a subtype only appends)",
                          (unsigned)i);
            goto fail;
        }
        out[i].offset = w2n_gc_next_field(&offset, out[i].size);
        if (out[i].is_ref)
            refs[t->nrefs++] = out[i].offset;
    }
    t->size = (uint32_t)w2n_gc_round(offset);
    return t;
fail:
    heap->types = rec->next;
    free(rec);
    return NULL;
}

const w2n_gc_rtt *w2n_gc_array_type_id(w2n_gc_heap *heap, w2n_gc_field element,
                                       const w2n_gc_rtt *super, uint32_t type_id, w2n_error *err) {
    if (super && super->kind != W2N_GC_KIND_ARRAY) {
        w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET,
                      "an array type's supertype must be an array type");
        return NULL;
    }
    w2n_gc_type_rec *rec = type_new(heap, W2N_GC_KIND_ARRAY, 1, super, type_id, err);
    if (!rec)
        return NULL;
    w2n_gc_rtt *t = &rec->rtt;
    w2n_gc_field_layout *f = (w2n_gc_field_layout *)t->fields;
    bool ok = layout_field(&element, f, err);
    if (!ok || (!type_id && super && !same_field(f, &super->fields[0]))) {
        if (ok)
            w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET,
                          "an array subtype keeps its element type");
        heap->types = rec->next;
        free(rec);
        return NULL;
    }
    f->offset = w2n_gc_array_data(f->size);
    t->size = f->size;
    t->nrefs = f->is_ref;
    return t;
}

/* Types the host makes have no canonical id (0): no module's type is
 * ever one of them. */
const w2n_gc_rtt *w2n_gc_struct_type(w2n_store *store, const w2n_gc_field *fields, uint32_t nfields,
                                     const w2n_gc_rtt *super, w2n_error *err) {
    w2n_gc_heap *heap;
    if (w2n_gc_heap_get(store, &heap, err) != W2N_OK)
        return NULL;
    return w2n_gc_struct_type_id(heap, fields, nfields, super, 0, err);
}

const w2n_gc_rtt *w2n_gc_array_type(w2n_store *store, w2n_gc_field element, const w2n_gc_rtt *super,
                                    w2n_error *err) {
    w2n_gc_heap *heap;
    if (w2n_gc_heap_get(store, &heap, err) != W2N_OK)
        return NULL;
    return w2n_gc_array_type_id(heap, element, super, 0, err);
}

bool w2n_gc_type_sub(const w2n_gc_rtt *type, const w2n_gc_rtt *super) {
    if (!type || !super || type->depth < super->depth)
        return false;
    uint32_t d = super->depth;
    return (d < W2N_GC_DISPLAY ? type->display[d] : type->supers[d]) == super;
}

const w2n_gc_rtt *w2n_gc_host_box_type(w2n_gc_heap *heap) {
    if (heap->host_box)
        return heap->host_box;
    w2n_gc_type_rec *rec = type_new(heap, W2N_GC_KIND_HOST, 0, NULL, 0, NULL);
    if (!rec)
        return NULL;
    rec->rtt.size = W2N_GC_HEADER + sizeof(void *);
    heap->host_box = &rec->rtt;
    return heap->host_box;
}

uint64_t w2n_gc_object_bytes(const w2n_gc_rtt *rtt, uint32_t length) {
    uint64_t bytes = rtt->kind == W2N_GC_KIND_ARRAY
                         ? rtt->fields[0].offset + (uint64_t)length * rtt->size
                         : rtt->size;
    return (bytes + W2N_GC_ALIGN - 1) & ~(uint64_t)(W2N_GC_ALIGN - 1);
}
