/* sieve.c: the sieve of Eratosthenes over a byte array (integer kernel:
 * strided stores, then a counting scan).  One unit of work sieves all
 * numbers below LIMIT - (round mod 64). */
#include "kernel.h"

#define LIMIT 1000000

static uint8_t composite[LIMIT];

static uint32_t sieve(uint32_t limit) {
    uint32_t count = 0, sum = 0;
    for (uint32_t i = 0; i < limit; i++)
        composite[i] = 0;
    for (uint32_t i = 2; i * i < limit; i++)
        if (!composite[i])
            for (uint32_t j = i * i; j < limit; j += i)
                composite[j] = 1;
    for (uint32_t i = 2; i < limit; i++)
        if (!composite[i]) {
            count++;
            sum += i;
        }
    return kmix(count, sum);
}

KERNEL_RUN {
    uint32_t h = 0;
    for (uint32_t r = 0; r < n; r++)
        h = kmix(h, sieve(LIMIT - (r & 63)));
    return h;
}
