/*
 * const_gc.c — the GC instructions of constant expressions (struct.new,
 * struct.new_default, array.new, array.new_default, array.new_fixed and
 * the extern/any conversions), evaluated at instantiation on the stack of
 * core/const_eval.c, allocating on the store's heap.
 *
 * The object is allocated before its operands are read: the allocation may
 * collect, which moves the objects the stack refers to (the stack is a
 * scratch root), so only words read afterwards are current.  Memory is
 * zero above the allocation pointer, so default values need no stores.
 */
#include <string.h>

#include "gc.h"
#include "internal.h"
#include "meta.h"

/* Store a stack value in a field or element: packed ones narrowed, the
 * others as the bytes of their raw slot (refs one word). */
static void store_value(uint8_t *at, const w2n_gc_field_layout *f, const w2n_raw *v) {
    if (f->storage == W2N_GC_PACKED_I8)
        *at = (uint8_t)v->i32;
    else if (f->storage == W2N_GC_PACKED_I16)
        memcpy(at, &(uint16_t){(uint16_t)v->i32}, 2);
    else
        memcpy(at, v, f->size);
}

static void push_ref(w2n_raw *stack, bool *is_ref, uint32_t *depth, uintptr_t word) {
    memset(&stack[*depth], 0, sizeof stack[*depth]);
    stack[*depth].ref = (void *)word;
    is_ref[(*depth)++] = true;
}

/* How many values the instruction pops, and the length of its array. */
static uint32_t operands(uint32_t op, const uint64_t imm[2], const w2n_gc_rtt *t,
                         const w2n_raw *top, uint32_t *length) {
    switch (op) {
    case W2N_META_CONST_STRUCT_NEW: return t->nfields;
    case W2N_META_CONST_ARRAY_NEW: *length = (uint32_t)top->i32; return 2;
    case W2N_META_CONST_ARRAY_NEW_DEFAULT: *length = (uint32_t)top->i32; return 1;
    case W2N_META_CONST_ARRAY_NEW_FIXED: *length = (uint32_t)imm[1]; return *length;
    default: return 0; /* struct.new_default */
    }
}

/* struct.new*, array.new*: allocate, then fill from the operands. */
static w2n_status new_object(w2n_store *store, w2n_gc_heap *heap, const w2n_gc_rtt *t, uint32_t op,
                             const uint64_t imm[2], w2n_raw *stack, bool *is_ref, uint32_t *depth,
                             w2n_error *err) {
    uint32_t length = 0;
    uint32_t n = operands(op, imm, t, *depth ? &stack[*depth - 1] : NULL, &length);
    uint8_t *obj = w2n_gc_alloc(store, heap, t, length, err);
    if (!obj)
        return err->code;
    const w2n_raw *args = &stack[*depth - n];
    const w2n_gc_field_layout *f = t->fields;
    if (op == W2N_META_CONST_STRUCT_NEW)
        for (uint32_t k = 0; k < n; k++)
            store_value(obj + f[k].offset, &f[k], &args[k]);
    else if (op == W2N_META_CONST_ARRAY_NEW)
        for (uint32_t k = 0; k < length; k++)
            store_value(obj + f->offset + (size_t)k * f->size, f, &args[0]);
    else if (op == W2N_META_CONST_ARRAY_NEW_FIXED)
        for (uint32_t k = 0; k < n; k++)
            store_value(obj + f->offset + (size_t)k * f->size, f, &args[k]);
    *depth -= n;
    push_ref(stack, is_ref, depth, (uintptr_t)obj);
    return W2N_OK;
}

w2n_status w2n_gc_const_instr(w2n_store *store, w2n_gc_heap *heap, const w2n_gc_rtt *const *types,
                              uint32_t op, const uint64_t imm[2], w2n_raw *stack, bool *is_ref,
                              uint32_t *depth, w2n_error *err) {
    uintptr_t word;
    switch (op) {
    case W2N_META_CONST_ANY_CONVERT_EXTERN: {
        bool failed;
        word = w2n_gc_internalize(store, heap, (uintptr_t)stack[*depth - 1].ref, &failed, err);
        if (failed)
            return err->code;
        break;
    }
    case W2N_META_CONST_EXTERN_CONVERT_ANY:
        word = w2n_gc_externalize(heap, (uintptr_t)stack[*depth - 1].ref);
        break;
    default: return new_object(store, heap, types[imm[0]], op, imm, stack, is_ref, depth, err);
    }
    (*depth)--;
    push_ref(stack, is_ref, depth, word);
    return W2N_OK;
}
