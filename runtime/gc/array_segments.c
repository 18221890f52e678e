/*
 * array_segments.c — the array instructions that read a module's data and
 * element segments: array.new_data, array.new_elem, array.init_data and
 * array.init_elem, as helpers compiled code calls (abi.h, since ABI 6.3).
 *
 * They read the same segment state as memory.init and table.init
 * (core/helpers.c): a dropped data segment has no bytes, a dropped element
 * segment no items.  Every bound is checked in 64 bits before anything is
 * allocated or written, so a trapping instruction has no effect, and the
 * spec's traps come in its order: a data segment's bound is "out of bounds
 * memory access", an element segment's "out of bounds table access", the
 * array's "out of bounds array access".  Data is little-endian, as the
 * three targets are, so elements of any width are copied as bytes.
 *
 * Type, segment and array arguments come from validated code: type is an
 * array type index of the module, the array (init) is not null (compiled
 * code checks it first).
 */
#include <string.h>

#include "gc.h"
#include "internal.h"

static bool in_bounds(uint64_t start, uint64_t n, uint64_t size) {
    return n <= size && start <= size - n;
}

static const w2n_gc_field_layout *element_of(const w2n_instance *inst, uint32_t type) {
    return &inst->gc_types[type]->fields[0];
}

static uint64_t data_bytes(const w2n_instance *inst, uint32_t seg) {
    return inst->data_dropped[seg] ? 0 : inst->meta->datas[seg].size;
}

static uint8_t *array_data(void *array, const w2n_gc_field_layout *f) {
    return (uint8_t *)array + f->offset;
}

static uint32_t array_length(const void *array) {
    uint32_t n;
    memcpy(&n, (const uint8_t *)array + W2N_GC_ARRAY_LENGTH, sizeof n);
    return n;
}

/* A new array of `n` elements through the allocation slow path (it traps
 * "out of memory" past the limit, and may collect). */
static void *new_array(w2n_vmctx *vmctx, uint32_t type, uint32_t n) {
    return w2n_helper_gc_alloc(vmctx, w2n_instance_of(vmctx)->gc_types[type], n);
}

void *w2n_helper_gc_array_new_data(w2n_vmctx *vmctx, uint32_t type, uint32_t seg, uint32_t offset,
                                   uint32_t n) {
    const w2n_instance *inst = w2n_instance_of(vmctx);
    const w2n_gc_field_layout *f = element_of(inst, type);
    uint64_t bytes = (uint64_t)n * f->size;
    if (!in_bounds(offset, bytes, data_bytes(inst, seg))) {
        w2n_trap_raise(W2N_TRAP_MEMORY_OOB, 0, NULL);
        return NULL;
    }
    void *array = new_array(vmctx, type, n);
    if (array && bytes)
        memcpy(array_data(array, f), inst->meta->datas[seg].bytes + offset, bytes);
    return array;
}

void *w2n_helper_gc_array_new_elem(w2n_vmctx *vmctx, uint32_t type, uint32_t seg, uint32_t offset,
                                   uint32_t n) {
    const w2n_instance *inst = w2n_instance_of(vmctx);
    if (!in_bounds(offset, n, inst->elem_sizes[seg])) {
        w2n_trap_raise(W2N_TRAP_TABLE_OOB, 0, NULL);
        return NULL;
    }
    void *array = new_array(vmctx, type, n);
    /* After the allocation: a collection moved the items in place. */
    if (array && n)
        memcpy(array_data(array, element_of(inst, type)), inst->elem_items[seg] + offset,
               (size_t)n * sizeof(void *));
    return array;
}

void w2n_helper_gc_array_init_data(w2n_vmctx *vmctx, uint32_t type, uint32_t seg, void *array,
                                   uint32_t dst, uint32_t src, uint32_t n) {
    const w2n_instance *inst = w2n_instance_of(vmctx);
    const w2n_gc_field_layout *f = element_of(inst, type);
    uint64_t bytes = (uint64_t)n * f->size;
    if (!in_bounds(dst, n, array_length(array))) {
        w2n_trap_raise(W2N_TRAP_ARRAY_OOB, 0, NULL);
        return;
    }
    if (!in_bounds(src, bytes, data_bytes(inst, seg))) {
        w2n_trap_raise(W2N_TRAP_MEMORY_OOB, 0, NULL);
        return;
    }
    if (bytes)
        memcpy(array_data(array, f) + (uint64_t)dst * f->size, inst->meta->datas[seg].bytes + src,
               bytes);
}

void w2n_helper_gc_array_init_elem(w2n_vmctx *vmctx, uint32_t type, uint32_t seg, void *array,
                                   uint32_t dst, uint32_t src, uint32_t n) {
    const w2n_instance *inst = w2n_instance_of(vmctx);
    if (!in_bounds(dst, n, array_length(array))) {
        w2n_trap_raise(W2N_TRAP_ARRAY_OOB, 0, NULL);
        return;
    }
    if (!in_bounds(src, n, inst->elem_sizes[seg])) {
        w2n_trap_raise(W2N_TRAP_TABLE_OOB, 0, NULL);
        return;
    }
    if (n)
        memcpy(array_data(array, element_of(inst, type)) + (uint64_t)dst * sizeof(void *),
               inst->elem_items[seg] + src, (size_t)n * sizeof(void *));
}
