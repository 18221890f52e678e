/*
 * gc_layout.c — the GC object layout shared by the compiler and the
 * runtime (gc_layout.h).
 */
#include "gc_layout.h"

uint32_t w2n_gc_storage_size(w2n_valtype storage) {
    switch (storage) {
    case W2N_GC_PACKED_I8: return 1;
    case W2N_GC_PACKED_I16: return 2;
    case W2N_I32:
    case W2N_F32: return 4;
    case W2N_I64:
    case W2N_F64: return 8;
    case W2N_V128: return 16;
    default: return w2n_valtype_is_ref(storage) ? 8 : 0;
    }
}

uint32_t w2n_gc_next_field(uint32_t *end, uint32_t size) {
    uint32_t align = size < W2N_GC_ALIGN ? size : W2N_GC_ALIGN;
    uint32_t offset = (*end + align - 1) & ~(align - 1);
    *end = offset + size;
    return offset;
}
