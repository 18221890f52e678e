/*
 * object_merge.h — join the relocatable objects of a module's partitions
 * into one (object_merge.c).
 */
#ifndef W2N_OBJECT_MERGE_H
#define W2N_OBJECT_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "w2n/error.h"

typedef struct w2n_object_part {
    const uint8_t *bytes;
    size_t size;
} w2n_object_part;

/* Merge parts[0..n) in that order into one ELF64 relocatable object in a
 * malloc'd buffer: what `ld -r` would make of them, with the symbols the
 * partitioning exported (defined, global, hidden) made local again.  The
 * result depends only on the parts and their order. */
w2n_status w2n_object_merge(const w2n_object_part *parts, size_t n, uint8_t **out, size_t *out_size,
                            w2n_error *err);

#endif
