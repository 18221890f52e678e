/* gemm_rows.c: C = beta*C + alpha*A*B updated in place, row by row
 * (dense float, run-time sizes).  The matrices live in one pool and their
 * order is read from a volatile at run time, as a program's heap arrays
 * would be: the compiler sees strides it cannot know, which is the shape
 * issue 19 measured at 1.69x native. */
#include "kernel.h"

#define MAX 256
static double pool[3 * MAX * MAX];
static volatile uint32_t order = 160;

static void fill(double *a, double *b, double *c, int n, uint32_t round) {
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            a[i * n + j] = (double)((i * 7 + j * 3 + round) % 17) * 0.125 - 1.0;
            b[i * n + j] = (double)((i * 5 + j * 11 + round) % 13) * 0.25 - 1.5;
            c[i * n + j] = (double)((i + j * 2 + round) % 7) * 0.5;
        }
}

static void gemm(int n, double alpha, double beta, double *c, const double *a, const double *b) {
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++)
            c[i * n + j] *= beta;
        for (int k = 0; k < n; k++)
            for (int j = 0; j < n; j++)
                c[i * n + j] += alpha * a[i * n + k] * b[k * n + j];
    }
}

KERNEL_RUN {
    int dim = (int)order;
    double *a = pool, *b = pool + dim * dim, *c = pool + 2 * dim * dim;
    uint32_t h = 0;
    for (uint32_t r = 0; r < n; r++) {
        fill(a, b, c, dim, r);
        gemm(dim, 1.5, 0.75, c, a, b);
        double trace = 0.0;
        for (int i = 0; i < dim; i++)
            trace += c[i * dim + i] + c[i * dim + dim - 1 - i];
        h = kmix(h, kbits64(trace));
    }
    return h;
}
