/* jacobi2d.c: Jacobi sweeps of a 5-point stencil over two 2^k x 2^k grids
 * of doubles on the heap (run-time sizes).  The order is read from a
 * volatile at run time and the grids are allocated one after the other, a
 * power of two apart, as a program's malloc would place them.  This is
 * issue 19's huge-page shape: with 2 MiB pages the two grids' rows fall into
 * the same cache sets, which scattered 4 KiB pages hide (docs/performance.md,
 * "Huge pages: the default").  One unit of work is one sweep. */
#include "kernel.h"

#ifndef JACOBI_ORDER /* -DJACOBI_ORDER=2048 -DJACOBI_MAX=2048 for other sizes */
#define JACOBI_ORDER 1024
#endif
#ifndef JACOBI_MAX
#define JACOBI_MAX 1024
#endif
static volatile uint32_t order = JACOBI_ORDER;

#ifdef __wasm__
/* Fresh pages from memory.grow, as wasi-libc's malloc gets its heap. */
static double *heap_alloc(uint32_t bytes) {
    uint32_t pages = (bytes + 65535) / 65536;
    return (double *)(__builtin_wasm_memory_grow(0, pages) * 65536);
}
#else
/* Natively the same bytes from .bss: 4 KiB pages either way, as a large
 * malloc's mmap would give. */
static double pool[2 * JACOBI_MAX * JACOBI_MAX];
static double *heap_alloc(uint32_t bytes) {
    static uint32_t used;
    double *p = pool + used / sizeof(double);
    used += bytes;
    return p;
}
#endif

static void sweep(int n, double *dst, const double *src) {
    for (int y = 1; y < n - 1; y++)
        for (int x = 1; x < n - 1; x++)
            dst[y * n + x] =
                0.5 * src[y * n + x] + 0.125 * (src[(y - 1) * n + x] + src[(y + 1) * n + x] +
                                                src[y * n + x - 1] + src[y * n + x + 1]);
}

KERNEL_RUN {
    int dim = (int)order;
    uint32_t bytes = (uint32_t)dim * (uint32_t)dim * sizeof(double);
    double *a = heap_alloc(bytes), *b = heap_alloc(bytes);
    for (int y = 0; y < dim; y++)
        for (int x = 0; x < dim; x++)
            a[y * dim + x] = b[y * dim + x] = (double)((x * x + 3 * y) % 101) * 0.01;
    uint32_t h = 0;
    for (uint32_t r = 0; r < n; r++) {
        sweep(dim, b, a);
        /* a heat source that moves with the round keeps the grid changing */
        b[(1 + r % (dim - 2)) * dim + 1 + (r * 7) % (dim - 2)] += 1.0;
        double *t = a;
        a = b;
        b = t;
        h = kmix(h, kbits64(a[(dim / 2) * dim + dim / 2] + a[(r % dim) * dim + (r * 3) % dim]));
    }
    double sum = 0.0;
    for (int i = 0; i < dim * dim; i++)
        sum += a[i];
    return kmix(h, kbits64(sum));
}
