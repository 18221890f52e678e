/* lu.c: LU factorisation in place, Doolittle order (dense float, run-time
 * sizes): `for i { for j<i { for k<j A[i][j] -= A[i][k]*A[k][j];
 * A[i][j] /= A[j][j]; } for j>=i for k<i A[i][j] -= A[i][k]*A[k][j]; }`.
 * Inner loops whose bounds depend on an outer induction variable and a
 * column read with a run-time stride: the shape issue 19 measured at 1.46x. */
#include "kernel.h"

#define MAX 256
static double pool[MAX * MAX];
static volatile uint32_t order = 150;

/* Diagonally dominant, so the factors stay well scaled without pivoting. */
static void fill(double *a, int n, uint32_t round) {
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            a[i * n + j] = (double)((i * 3 + j * 5 + round) % 11) * 0.125 + (i == j ? n : 0);
}

static void lu(int n, double *a) {
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < i; j++) {
            for (int k = 0; k < j; k++)
                a[i * n + j] -= a[i * n + k] * a[k * n + j];
            a[i * n + j] /= a[j * n + j];
        }
        for (int j = i; j < n; j++)
            for (int k = 0; k < i; k++)
                a[i * n + j] -= a[i * n + k] * a[k * n + j];
    }
}

KERNEL_RUN {
    int dim = (int)order;
    uint32_t h = 0;
    for (uint32_t r = 0; r < n; r++) {
        fill(pool, dim, r);
        lu(dim, pool);
        double sum = 0.0;
        for (int i = 0; i < dim; i++)
            sum += pool[i * dim + i] + pool[i * dim + (i * 7) % dim];
        h = kmix(h, kbits64(sum));
    }
    return h;
}
