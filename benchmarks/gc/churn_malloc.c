/*
 * churn_malloc.c — churn.wat's algorithm with malloc and free: the baseline
 * the GC heap's limit criterion is measured against.  Blocks of 64 KiB
 * (8,190 int64s filled with their number, after a 16-byte header as the
 * Wasm array has) made until TOTAL MiB, a ring of LIVE MiB of them kept,
 * each checked before it is freed.  Prints the number of blocks made.
 *
 *   churn_malloc TOTAL_MIB LIVE_MIB
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define BLOCK_WORDS 8190

typedef struct block {
    uint64_t header[2];
    int64_t words[BLOCK_WORDS];
} block;

int main(int argc, char **argv) {
    if (argc != 3) {
        fputs("usage: churn_malloc TOTAL_MIB LIVE_MIB\n", stderr);
        return 2;
    }
    uint64_t blocks = strtoull(argv[1], NULL, 10) * 16, nring = strtoull(argv[2], NULL, 10) * 16;
    block **ring = calloc(nring ? nring : 1, sizeof *ring);
    if (!ring || !nring)
        return 2;
    uint64_t n = 0;
    for (; n < blocks; n++) {
        block **slot = &ring[n % nring];
        if (*slot) {
            if ((*slot)->words[BLOCK_WORDS - 1] != (int64_t)(n - nring)) {
                fputs("churn_malloc: a block lost its contents\n", stderr);
                return 1;
            }
            free(*slot);
        }
        block *b = malloc(sizeof *b);
        if (!b) {
            fputs("churn_malloc: out of memory\n", stderr);
            return 1;
        }
        for (int i = 0; i < BLOCK_WORDS; i++)
            b->words[i] = (int64_t)n;
        *slot = b;
    }
    printf("%llu\n", (unsigned long long)n);
    return 0;
}
