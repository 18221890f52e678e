/*
 * sha256.c — SHA-256 as FIPS 180-4 section 6.2 defines it.
 *
 * Written from the standard, not from another implementation: the round
 * constants are the first 32 bits of the fractional parts of the cube roots
 * of the first 64 primes, the initial hash those of the square roots of the
 * first 8 primes.  Words are big-endian; the padding is a 1 bit, zeros, and
 * the message length in bits as a 64-bit big-endian number.  The NIST
 * example vectors are the unit tests (tests/unit/test_rt_seal.c).
 *
 * This is the portable code; where the CPU has SHA-256 instructions the
 * blocks go to sha256_x86_64.c or sha256_aarch64.c instead, which the same
 * tests check against it.
 */
#include <stdatomic.h>
#include <string.h>

#include "sha256.h"

const uint32_t w2n_sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static uint32_t rotr(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

static uint32_t be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* One 512-bit block (FIPS 180-4, 6.2.2). */
static void compress(uint32_t h[8], const uint8_t *block) {
    uint32_t w[64];
    for (int t = 0; t < 16; t++)
        w[t] = be32(block + 4 * t);
    for (int t = 16; t < 64; t++) {
        uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
        uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (int t = 0; t < 64; t++) {
        uint32_t t1 = k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) +
                      w2n_sha256_k[t] + w[t];
        uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        k = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += k;
}

static void portable_blocks(uint32_t h[8], const uint8_t *p, size_t nblocks) {
    for (; nblocks; nblocks--, p += 64)
        compress(h, p);
}

/* The blocks function of this CPU, chosen on first use: the instructions
 * of sha256_x86_64.c or sha256_aarch64.c where the CPU has them. */
static _Atomic(w2n_sha256_blocks_fn) chosen;
static atomic_bool portable_forced;

static w2n_sha256_blocks_fn hardware_blocks(void) {
#if defined(__x86_64__)
    return w2n_sha256_x86_64_blocks();
#elif defined(__aarch64__)
    return w2n_sha256_aarch64_blocks();
#else
    return NULL;
#endif
}

static w2n_sha256_blocks_fn blocks_fn(void) {
    if (atomic_load_explicit(&portable_forced, memory_order_relaxed))
        return portable_blocks;
    w2n_sha256_blocks_fn fn = atomic_load_explicit(&chosen, memory_order_relaxed);
    if (!fn) {
        fn = hardware_blocks();
        if (!fn)
            fn = portable_blocks;
        atomic_store_explicit(&chosen, fn, memory_order_relaxed);
    }
    return fn;
}

void w2n_sha256_use_portable(bool on) {
    atomic_store_explicit(&portable_forced, on, memory_order_relaxed);
}

bool w2n_sha256_accelerated(void) { return blocks_fn() != portable_blocks; }

void w2n_sha256_init(w2n_sha256 *s) {
    static const uint32_t H0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(s->h, H0, sizeof H0);
    s->nbytes = 0;
}

void w2n_sha256_update(w2n_sha256 *s, const void *data, size_t n) {
    const uint8_t *p = data;
    size_t have = (size_t)(s->nbytes % 64);
    s->nbytes += n;
    if (have) {
        size_t take = n < 64 - have ? n : 64 - have;
        memcpy(s->block + have, p, take);
        p += take;
        n -= take;
        if (have + take < 64)
            return;
        blocks_fn()(s->h, s->block, 1);
    }
    if (n >= 64) {
        blocks_fn()(s->h, p, n / 64);
        p += n - n % 64;
        n %= 64;
    }
    if (n)
        memcpy(s->block, p, n);
}

void w2n_sha256_final(w2n_sha256 *s, uint8_t out[W2N_SHA256_SIZE]) {
    uint64_t bits = s->nbytes * 8;
    uint8_t pad[72] = {0x80};
    size_t have = (size_t)(s->nbytes % 64);
    size_t padlen = (have < 56 ? 56 : 120) - have;
    for (int i = 0; i < 8; i++)
        pad[padlen + i] = (uint8_t)(bits >> (56 - 8 * i));
    w2n_sha256_update(s, pad, padlen + 8);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(s->h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
        out[4 * i + 3] = (uint8_t)s->h[i];
    }
}

void w2n_sha256_digest(const void *data, size_t n, uint8_t out[W2N_SHA256_SIZE]) {
    w2n_sha256 s;
    w2n_sha256_init(&s);
    w2n_sha256_update(&s, data, n);
    w2n_sha256_final(&s, out);
}
