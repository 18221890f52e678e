/*
 * gc_store_kit.h — for Criterion tests of the GC heap: a store whose heap
 * is small enough that the collector runs often.
 */
#ifndef W2N_TEST_GC_STORE_KIT_H
#define W2N_TEST_GC_STORE_KIT_H

#include <criterion/criterion.h>

#include "w2n/runtime.h"

/* A store whose GC heap is limited to `bytes` (0: the default limit). */
static inline w2n_store *store_with_gc_limit(uint64_t bytes) {
    w2n_store_options o = {0};
    o.limits.max_gc_heap = bytes;
    w2n_store *s = w2n_store_new(&o);
    cr_assert(s);
    return s;
}

#endif
