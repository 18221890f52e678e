/* kernel.h: the contract every benchmark kernel follows.
 *
 * A kernel is one C file that defines `uint32_t run(uint32_t n)`: it does n
 * units of work (the work grows linearly with n, so a run on a smaller input
 * can be scaled honestly) and returns a checksum of everything it computed, so
 * no engine can skip work and every engine's answer can be compared with the
 * native build's.  Kernels use no library at all (not even libc): the same
 * file builds for wasm32 with -nostdlib and natively with the host compiler.
 * Floating point uses only IEEE-exact operations (+ - * / sqrt) and is built
 * with -ffp-contract=off, so every engine must produce bit-identical results.
 */
#ifndef W2N_BENCH_KERNEL_H
#define W2N_BENCH_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __wasm__
#define KERNEL_EXPORT(name) __attribute__((export_name(name), noinline))
#else
#define KERNEL_EXPORT(name) __attribute__((noinline))
#endif

/* The entry point of every kernel. */
#define KERNEL_RUN KERNEL_EXPORT("run") uint32_t run(uint32_t n)
uint32_t run(uint32_t n);

/* Checksum step: a 32-bit multiply-xorshift mix, order dependent. */
static inline uint32_t kmix(uint32_t h, uint32_t v) {
    h ^= v + 0x9e3779b9u + (h << 6) + (h >> 2);
    h *= 0x85ebca6bu;
    return h ^ (h >> 15);
}

/* Pseudo-random numbers: a 32-bit xorshift, deterministic everywhere. */
static inline uint32_t kxorshift(uint32_t *state) {
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

/* The bit pattern of a double, folded to 32 bits. */
static inline uint32_t kbits64(double d) {
    union {
        double d;
        uint64_t u;
    } v = {d};
    return (uint32_t)v.u ^ (uint32_t)(v.u >> 32);
}

static inline uint32_t kbits32(float f) {
    union {
        float f;
        uint32_t u;
    } v = {f};
    return v.u;
}

#endif
