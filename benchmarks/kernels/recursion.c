/* recursion.c: deeply recursive functions (call-heavy kernel: call/return
 * overhead, stack checks, prologues).  One unit of work computes a naive
 * Fibonacci number, a Takeuchi function and an Ackermann value whose
 * arguments vary with the round. */
#include "kernel.h"

static uint32_t fib(uint32_t k) { return k < 2 ? k : fib(k - 1) + fib(k - 2); }

static int32_t tak(int32_t x, int32_t y, int32_t z) {
    if (y >= x)
        return z;
    return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y));
}

static uint32_t ackermann(uint32_t m, uint32_t k) {
    if (m == 0)
        return k + 1;
    if (k == 0)
        return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, k - 1));
}

KERNEL_RUN {
    uint32_t h = 0;
    for (uint32_t r = 0; r < n; r++) {
        h = kmix(h, fib(18 + (r & 3)));
        h = kmix(h, (uint32_t)tak(12 + (int32_t)(r & 1), 8, 4));
        h = kmix(h, ackermann(2, 20 + (r & 7)));
    }
    return h;
}
