/*
 * xalloc.c — allocate or abort with one line (policy in xalloc.h).
 */
#include "xalloc.h"

#include "grow.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static void *out_of_memory(size_t n, size_t size) {
    fprintf(stderr, "w2n: out of memory while compiling (%zu x %zu bytes)\n", n, size);
    abort();
}

void *w2n_xmalloc(size_t size) {
    void *p = malloc(size ? size : 1);
    return p ? p : out_of_memory(1, size);
}

void *w2n_xcalloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size ? size : 1);
    return p ? p : out_of_memory(n, size);
}

void *w2n_xrealloc(void *p, size_t n, size_t size) {
    if (size && n > SIZE_MAX / size)
        return out_of_memory(n, size);
    size_t bytes = n * size;
    void *q = realloc(p, bytes ? bytes : 1);
    return q ? q : out_of_memory(n, size);
}

void *w2n_xgrow(void *p, size_t *cap, size_t need, size_t size, size_t first) {
    void *q = w2n_grow(p, cap, need, size, first);
    return q ? q : out_of_memory(need, size);
}
