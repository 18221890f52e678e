/*
 * load_latency.c — how long one load takes in a chain of dependent loads,
 * by addressing mode, on the machine it runs on (x86-64 only).
 *
 * A native pointer is a 64-bit address a load uses as it is (`mov
 * (%rax),%rax`); a Wasm pointer is a 32-bit offset that every access adds
 * to the memory's base (`mov (%r14,%rax),%eax`).  In a chain where each
 * load's address is the value of the last (a list, a tree), the difference
 * is the latency of the two addressing modes.  Each chain walks a cycle of
 * 1,024 entries in L1.  Built and run by benchmarks/load-latency.
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>

enum { ENTRIES = 1024, STEP = 17, LOADS = 200000000 };

static uint64_t pointers[ENTRIES]; /* the next entry's address */
static uint32_t offsets[ENTRIES];  /* the next entry's offset from the array */

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(void) {
    for (unsigned i = 0; i < ENTRIES; i++) {
        unsigned next = (i * STEP + 5) % ENTRIES;
        pointers[i] = (uint64_t)(uintptr_t)&pointers[next];
        offsets[i] = next * (unsigned)sizeof *offsets;
    }
    uint64_t p = (uint64_t)(uintptr_t)&pointers[0], q = 0;
    const char *base = (const char *)offsets;
    double t0 = seconds();
    for (long i = 0; i < LOADS; i += 4)
        __asm__ volatile("mov (%0),%0\n\tmov (%0),%0\n\tmov (%0),%0\n\tmov (%0),%0" : "+r"(p));
    double t1 = seconds();
    for (long i = 0; i < LOADS; i += 4)
        __asm__ volatile("mov (%1,%0),%k0\n\tmov (%1,%0),%k0\n\t"
                         "mov (%1,%0),%k0\n\tmov (%1,%0),%k0"
                         : "+r"(q)
                         : "r"(base));
    double t2 = seconds();
    double native = (t1 - t0) / LOADS * 1e9, wasm = (t2 - t1) / LOADS * 1e9;
    printf("native pointer (base): %.3f ns/load\n", native);
    printf("wasm pointer (base + index): %.3f ns/load (%.2fx)\n", wasm, wasm / native);
    return 0;
}
