/*
 * grow.c — arrays that grow by doubling (grow.h).  Doubling keeps n appends
 * at O(n) copying; the checks make a count from hostile input an error
 * value, never a wrapped-around small allocation.
 */
#include "grow.h"

#include <stdint.h>
#include <stdlib.h>

void *w2n_grow(void *p, size_t *cap, size_t need, size_t size, size_t first) {
    if (need <= *cap)
        return p;
    size_t n = *cap ? *cap : first ? first : 1;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return NULL;
        n *= 2;
    }
    if (size && n > SIZE_MAX / size)
        return NULL;
    size_t bytes = n * size;
    void *q = realloc(p, bytes ? bytes : 1);
    if (q)
        *cap = n;
    return q;
}
