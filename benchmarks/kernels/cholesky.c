/* cholesky.c: Cholesky factorisation in place, a square root per row (dense
 * float, run-time sizes): the inner `for k<j A[i][j] -= A[i][k]*A[j][k]` is a
 * reduction into a memory cell over a triangular bound, the shape issue 19
 * measured at 1.50x native. */
#include "kernel.h"

#define MAX 256
static double pool[MAX * MAX];
static volatile uint32_t order = 180;

/* Symmetric and diagonally dominant: positive definite. */
static void fill(double *a, int n, uint32_t round) {
    for (int i = 0; i < n; i++)
        for (int j = 0; j <= i; j++) {
            double v = (double)((i * 3 + j * 5 + round) % 11) * 0.0625;
            a[i * n + j] = a[j * n + i] = v + (i == j ? n : 0);
        }
}

static void cholesky(int n, double *a) {
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < i; j++) {
            for (int k = 0; k < j; k++)
                a[i * n + j] -= a[i * n + k] * a[j * n + k];
            a[i * n + j] /= a[j * n + j];
        }
        for (int k = 0; k < i; k++)
            a[i * n + i] -= a[i * n + k] * a[i * n + k];
        a[i * n + i] = __builtin_sqrt(a[i * n + i]);
    }
}

KERNEL_RUN {
    int dim = (int)order;
    uint32_t h = 0;
    for (uint32_t r = 0; r < n; r++) {
        fill(pool, dim, r);
        cholesky(dim, pool);
        double sum = 0.0;
        for (int i = 0; i < dim; i++)
            sum += pool[i * dim + i] + pool[i * dim + (i * 5) % (i + 1)];
        h = kmix(h, kbits64(sum));
    }
    return h;
}
