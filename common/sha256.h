/*
 * sha256.h — SHA-256 (FIPS 180-4), dependency-free, for sealing objects.
 *
 * Streaming: init, update any number of times with any lengths, final.  The
 * runtime hashes an object in pieces (the seal's hash field counts as
 * zeros), so there is no one-shot-only interface.
 */
#ifndef W2N_SHA256_H
#define W2N_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define W2N_SHA256_SIZE 32

typedef struct w2n_sha256 {
    uint32_t h[8];
    uint64_t nbytes;   /* message length so far */
    uint8_t block[64]; /* pending bytes: nbytes % 64 of them */
} w2n_sha256;

void w2n_sha256_init(w2n_sha256 *s);
void w2n_sha256_update(w2n_sha256 *s, const void *data, size_t n);
void w2n_sha256_final(w2n_sha256 *s, uint8_t out[W2N_SHA256_SIZE]);

/* One-shot convenience. */
void w2n_sha256_digest(const void *data, size_t n, uint8_t out[W2N_SHA256_SIZE]);

/* True when this CPU's SHA-256 instructions do the work (SHA-NI on x86-64,
 * the SHA2 extension on AArch64).  Tests force the portable code with
 * w2n_sha256_use_portable(true) to check one against the other. */
bool w2n_sha256_accelerated(void);
void w2n_sha256_use_portable(bool on);

/* nblocks 64-byte blocks into the state h: what an accelerated version
 * provides (sha256_<arch>.c; NULL when the CPU lacks the instructions). */
typedef void (*w2n_sha256_blocks_fn)(uint32_t h[8], const uint8_t *p, size_t nblocks);
w2n_sha256_blocks_fn w2n_sha256_x86_64_blocks(void);
w2n_sha256_blocks_fn w2n_sha256_aarch64_blocks(void);

#endif
