/*
 * load_latency.c — how long one load takes in a chain of dependent loads,
 * by addressing mode, on the machine it runs on (x86-64 only).
 *
 * A native pointer is a 64-bit address a load uses as it is (`mov
 * (%rax),%rax`, or `mov 8(%rax),%rax` for a field); a Wasm pointer is a
 * 32-bit offset that every access adds to the memory's base (`mov
 * (%r14,%rax),%eax`, or `mov 8(%r14,%rax),%eax` for a field: base, index
 * and displacement).  In a chain where each load's address is the value of
 * the last (a list, a tree), the difference is the latency of the modes.
 * Each chain walks a cycle of 1,024 entries in L1.  Built and run by
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
static uint64_t fields[ENTRIES];   /* the next entry's address less 8 */
static uint32_t offsets[ENTRIES];  /* the next entry's offset from the array */

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Nanoseconds per load of LOADS loads in chains of four of form `load`,
 * whose value is `value` (%0) and whose base is `base` (%1, in rsi: r13
 * and rbp take a displacement byte even for 0, which would make a 2-part
 * address 3-part). */
#define CHAIN_NS(load, value, base)                                                               \
    ({                                                                                            \
        double t0 = seconds();                                                                    \
        for (long i = 0; i < LOADS; i += 4)                                                       \
            __asm__ volatile(load "\n\t" load "\n\t" load "\n\t" load : "+r"(value) : "S"(base)); \
        (seconds() - t0) / LOADS * 1e9;                                                           \
    })

int main(void) {
    for (unsigned i = 0; i < ENTRIES; i++) {
        unsigned next = (i * STEP + 5) % ENTRIES;
        pointers[i] = (uint64_t)(uintptr_t)&pointers[next];
        fields[i] = (uint64_t)(uintptr_t)&fields[next] - 8;
        offsets[i] = next * (unsigned)sizeof *offsets;
    }
    uint64_t p = (uint64_t)(uintptr_t)&pointers[0], pf = (uint64_t)(uintptr_t)&fields[0] - 8;
    uint64_t q = 0, qf = 0;
    uintptr_t base = (uintptr_t)offsets;
    uintptr_t below = base - 8; /* an address, never dereferenced as is */
    double native = CHAIN_NS("mov (%0),%0", p, base);
    double native_field = CHAIN_NS("mov 8(%0),%0", pf, base);
    double wasm = CHAIN_NS("mov (%1,%0),%k0", q, base);
    double wasm_field = CHAIN_NS("mov 8(%1,%0),%k0", qf, below);
    printf("native pointer (base): %.3f ns/load\n", native);
    printf("native field (base + displacement): %.3f ns/load (%.2fx)\n", native_field,
           native_field / native);
    printf("wasm pointer (base + index): %.3f ns/load (%.2fx)\n", wasm, wasm / native);
    printf("wasm field (base + index + displacement): %.3f ns/load (%.2fx)\n", wasm_field,
           wasm_field / native);
    return 0;
}
