/*
 * grow.h — arrays that grow by doubling (grow.c), the one copy of that
 * arithmetic for every half: the front end, the emitter, the runtime and
 * the tools check the NULL it returns and report W2N_ERR_NOMEM (or their
 * own failure), the lowering wraps it to abort (compiler/lower/xalloc.h).
 */
#ifndef W2N_GROW_H
#define W2N_GROW_H

#include <stddef.h>

/* The array p of *cap items of `size` bytes made to hold at least `need`
 * (> 0) items: while too small its capacity doubles, from `first` (> 0)
 * when it is 0.  Returns the array, perhaps moved, with *cap its new
 * capacity; NULL when the capacity or its byte count would overflow size_t
 * or realloc fails, p then untouched and still the caller's to free, and
 * *cap as it was. */
void *w2n_grow(void *p, size_t *cap, size_t need, size_t size, size_t first);

#endif
