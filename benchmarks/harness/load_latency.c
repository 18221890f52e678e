/*
 * load_latency.c — how long one load takes in a chain of dependent loads,
 * by addressing mode, on the machine it runs on (x86-64 only).
 *
 * A native pointer is a 64-bit address a load uses as it is (`mov
 * (%rax),%rax`); a Wasm pointer is a 32-bit offset that every access adds
 * to the memory's base (`mov (%r14,%rax),%eax`).  In a chain where each
 * load's address is the value of the last (a list, a tree), the difference
 * is the latency of the two addressing modes.  The third chain adds a
 * displacement (`mov 64(%r14,%rax),%eax`), the form an access through a
 * base at a fixed distance from another register would take.  Each chain
 * walks a cycle of 1,024 entries in L1.  Built and run by
 * benchmarks/load-latency.
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>

enum {
    ENTRIES = 1024,
    STEP = 17,
    LOADS = 200000000
};

static uint64_t pointers[ENTRIES]; /* the next entry's address */
static uint32_t offsets[ENTRIES];  /* the next entry's offset from the array */

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Nanoseconds per load of LOADS loads in chains of four of form `load`,
 * whose value is `value` (%0) and whose base is `base` (%1). */
#define CHAIN_NS(load, value, base)                                                               \
    ({                                                                                            \
        double t0 = seconds();                                                                    \
        for (long i = 0; i < LOADS; i += 4)                                                       \
            __asm__ volatile(load "\n\t" load "\n\t" load "\n\t" load : "+r"(value) : "r"(base)); \
        (seconds() - t0) / LOADS * 1e9;                                                           \
    })

int main(void) {
    for (unsigned i = 0; i < ENTRIES; i++) {
        unsigned next = (i * STEP + 5) % ENTRIES;
        pointers[i] = (uint64_t)(uintptr_t)&pointers[next];
        offsets[i] = next * (unsigned)sizeof *offsets;
    }
    uint64_t p = (uint64_t)(uintptr_t)&pointers[0], q = 0, r = 0;
    uintptr_t base = (uintptr_t)offsets;
    uintptr_t below = base - 64; /* an address, never dereferenced as is */
    double native = CHAIN_NS("mov (%0),%0", p, base);
    double wasm = CHAIN_NS("mov (%1,%0),%k0", q, base);
    double displaced = CHAIN_NS("mov 64(%1,%0),%k0", r, below);
    printf("native pointer (base): %.3f ns/load\n", native);
    printf("wasm pointer (base + index): %.3f ns/load (%.2fx)\n", wasm, wasm / native);
    printf("wasm pointer (base + index + displacement): %.3f ns/load (%.2fx)\n", displaced,
           displaced / native);
    return 0;
}
