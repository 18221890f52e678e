/* floyd.c: all-pairs shortest paths, Floyd-Warshall over a 2-D array of
 * distances (integer, run-time sizes): `d[i][j] = min(d[i][j], d[i][k] +
 * d[k][j])`, the shape issue 19 measured at 1.19x native. */
#include "kernel.h"

#define MAX 256
static int32_t dist[MAX * MAX];
static volatile uint32_t order = 200;

static void fill(int32_t *d, int n, uint32_t round) {
    uint32_t s = 0x9e3779b9u ^ round;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            uint32_t x = kxorshift(&s);
            d[i * n + j] = i == j ? 0 : (x % 5 == 0 ? (int32_t)(x % 97) + 1 : 1 << 20);
        }
}

static void floyd(int n, int32_t *d) {
    for (int k = 0; k < n; k++)
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                int32_t via = d[i * n + k] + d[k * n + j];
                if (via < d[i * n + j])
                    d[i * n + j] = via;
            }
}

KERNEL_RUN {
    int dim = (int)order;
    uint32_t h = 0;
    for (uint32_t r = 0; r < n; r++) {
        fill(dist, dim, r);
        floyd(dim, dist);
        for (int i = 0; i < dim; i += 7)
            h = kmix(h, (uint32_t)dist[i * dim + (i * 11) % dim]);
    }
    return h;
}
