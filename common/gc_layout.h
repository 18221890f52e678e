/*
 * gc_layout.h — where a GC object's fields are (docs/abi.md, "Garbage
 * collection"): the one layout the compiler's loads and stores and the
 * runtime's descriptors (runtime/gc/types.c) both follow.
 *
 * Struct fields keep declaration order from offset W2N_GC_HEADER, each at
 * its natural alignment capped at W2N_GC_ALIGN, so a subtype's layout
 * extends its supertype's; array elements start at W2N_GC_ARRAY_DATA_SMALL
 * (elements of 1, 2 or 4 bytes) or W2N_GC_ARRAY_DATA_WIDE.  Objects are
 * rounded up to W2N_GC_ALIGN.
 */
#ifndef W2N_GC_LAYOUT_H
#define W2N_GC_LAYOUT_H

#include <stdint.h>

#include "w2n/abi.h"
#include "w2n/types.h"

/* Bytes of a field of this storage type (a value type or W2N_GC_PACKED_I8
 * / I16), or 0 for a code that is neither. */
uint32_t w2n_gc_storage_size(w2n_valtype storage);

/* The offset of the next field of `size` bytes after *end (the end of the
 * fields so far; start at W2N_GC_HEADER), which it moves past the field. */
uint32_t w2n_gc_next_field(uint32_t *end, uint32_t size);

/* Where the elements of an array of `elem_size`-byte elements start. */
static inline uint32_t w2n_gc_array_data(uint32_t elem_size) {
    return elem_size <= 4 ? W2N_GC_ARRAY_DATA_SMALL : W2N_GC_ARRAY_DATA_WIDE;
}

static inline uint64_t w2n_gc_round(uint64_t bytes) {
    return (bytes + W2N_GC_ALIGN - 1) & ~(uint64_t)(W2N_GC_ALIGN - 1);
}

#endif
