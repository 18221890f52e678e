/* stencil2d.c: Jacobi sweeps of a 5-point stencil over a 2-D grid of
 * doubles (dense float kernel).  One unit of work is one sweep. */
#include "kernel.h"

#define W 256
#define H 256

static double g0[H][W], g1[H][W];

KERNEL_RUN {
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            g0[y][x] = (double)((x * x + 3 * y) % 101) * 0.01;
            g1[y][x] = g0[y][x];
        }
    double(*src)[W] = g0, (*dst)[W] = g1;
    uint32_t h = 0;
    for (uint32_t r = 0; r < n; r++) {
        for (int y = 1; y < H - 1; y++)
            for (int x = 1; x < W - 1; x++)
                dst[y][x] = 0.5 * src[y][x] +
                            0.125 * (src[y - 1][x] + src[y + 1][x] + src[y][x - 1] + src[y][x + 1]);
        /* a heat source that moves with the round keeps the grid changing */
        dst[1 + r % (H - 2)][1 + (r * 7) % (W - 2)] += 1.0;
        double(*t)[W] = src;
        src = dst;
        dst = t;
        if ((r & 63) == 63)
            h = kmix(h, kbits64(src[H / 2][W / 2] + src[r % H][(r * 3) % W]));
    }
    double sum = 0.0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            sum += src[y][x];
    return kmix(h, kbits64(sum));
}
