/*
 * mandel.h — the parallel kernel: escape-time iterations over a grid of the
 * Mandelbrot set, rows dealt round-robin to the workers (rows differ a lot
 * in cost, so a row each in turn balances them).  Plain C, no library
 * calls: the native (pthreads) and wasm (wasi-threads) drivers share it.
 */
#ifndef W2N_BENCH_MANDEL_H
#define W2N_BENCH_MANDEL_H

#include <stdint.h>

#define MANDEL_SIZE 1600 /* grid is SIZE x SIZE */
#define MANDEL_LIMIT 256 /* iterations per point at most */

/* Iterations summed over rows first, first + step, ... */
static uint64_t mandel_rows(uint32_t first, uint32_t step) {
    uint64_t total = 0;
    for (uint32_t y = first; y < MANDEL_SIZE; y += step) {
        double ci = -1.5 + 3.0 * y / MANDEL_SIZE;
        for (uint32_t x = 0; x < MANDEL_SIZE; x++) {
            double cr = -2.0 + 3.0 * x / MANDEL_SIZE, zr = 0, zi = 0;
            uint32_t n = 0;
            while (n < MANDEL_LIMIT && zr * zr + zi * zi <= 4.0) {
                double t = zr * zr - zi * zi + cr;
                zi = 2.0 * zr * zi + ci;
                zr = t;
                n++;
            }
            total += n;
        }
    }
    return total;
}

#endif
