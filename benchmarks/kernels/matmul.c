/* matmul.c: dense double-precision matrix multiply (dense float kernel).
 * Each unit of work fills A and B from the round number and computes
 * C = A * B with the cache-friendly i-k-j loop order that vectorisers like. */
#include "kernel.h"

#define N 96

static double a[N][N], b[N][N], c[N][N];

static void fill(uint32_t round) {
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            a[i][j] = (double)((i * 7 + j * 3 + round) % 17) * 0.125 - 1.0;
            b[i][j] = (double)((i * 5 + j * 11 + round) % 13) * 0.25 - 1.5;
        }
}

static void multiply(void) {
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++)
            c[i][j] = 0.0;
        for (int k = 0; k < N; k++) {
            double aik = a[i][k];
            for (int j = 0; j < N; j++)
                c[i][j] += aik * b[k][j];
        }
    }
}

KERNEL_RUN {
    uint32_t h = 0;
    for (uint32_t r = 0; r < n; r++) {
        fill(r);
        multiply();
        double trace = 0.0;
        for (int i = 0; i < N; i++)
            trace += c[i][i] + c[i][N - 1 - i];
        h = kmix(h, kbits64(trace));
    }
    return h;
}
