/* covariance.c: the covariance matrix of n samples of m variables (dense
 * float, run-time sizes): column means, centring, then
 * `for i for j>=i { c=0; for k c += D[k][i]*D[k][j]; C[i][j]=C[j][i]=c/(n-1); }`,
 * strided column reads that issue 19 measured at 1.31x native. */
#include "kernel.h"

#define MAXN 320
#define MAXM 160
static double data[MAXN * MAXM], cov[MAXM * MAXM], mean[MAXM];
static volatile uint32_t samples = 240, variables = 120;

static void fill(double *d, int n, int m, uint32_t round) {
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++)
            d[i * m + j] = (double)((i * 13 + j * 7 + round) % 29) * 0.25;
}

static void covariance(int n, int m, double *d, double *c) {
    for (int j = 0; j < m; j++) {
        mean[j] = 0.0;
        for (int i = 0; i < n; i++)
            mean[j] += d[i * m + j];
        mean[j] /= n;
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++)
            d[i * m + j] -= mean[j];
    for (int i = 0; i < m; i++)
        for (int j = i; j < m; j++) {
            double s = 0.0;
            for (int k = 0; k < n; k++)
                s += d[k * m + i] * d[k * m + j];
            c[i * m + j] = c[j * m + i] = s / (n - 1);
        }
}

KERNEL_RUN {
    int ns = (int)samples, m = (int)variables;
    uint32_t h = 0;
    for (uint32_t r = 0; r < n; r++) {
        fill(data, ns, m, r);
        covariance(ns, m, data, cov);
        double sum = 0.0;
        for (int i = 0; i < m; i++)
            sum += cov[i * m + i] + cov[i * m + (i * 3) % m];
        h = kmix(h, kbits64(sum));
    }
    return h;
}
