/*
 * mutate.h — seeds, a deterministic PRNG and the Wasm-aware mutator shared by
 * the fuzz drivers (w2n-fuzz-validate, w2n-fuzz-compile, w2n-fuzz-run).
 *
 *     fuzz_corpus c = {0};
 *     fuzz_corpus_add_path(&c, "tests/data/fuzz-seeds", "w2n-fuzz-x");
 *     fuzz_rng_seed(1);
 *     fuzz_buf m = {0};
 *     fuzz_mutate_next(&m, &c, it == 0);   // one fresh or stacked mutant
 *     ... use m.b[0 .. m.n) ...
 *
 * Everything is deterministic for a given seed, so a failing iteration can be
 * replayed with the same --seed and --iterations.
 */
#ifndef W2N_FUZZ_MUTATE_H
#define W2N_FUZZ_MUTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct fuzz_input {
    uint8_t *bytes;
    size_t size;
} fuzz_input;

typedef struct fuzz_corpus {
    fuzz_input *items;
    size_t n, cap;
} fuzz_corpus;

/* A growable byte buffer. */
typedef struct fuzz_buf {
    uint8_t *b;
    size_t n, cap;
} fuzz_buf;

/* Add one .wasm file, or every *.wasm of a directory in sorted order.
 * `prog` prefixes error messages.  False (with a message) on I/O errors. */
bool fuzz_corpus_add_path(fuzz_corpus *c, const char *path, const char *prog);
/* Add a copy of bytes. */
bool fuzz_corpus_add_bytes(fuzz_corpus *c, const uint8_t *bytes, size_t size);
void fuzz_corpus_free(fuzz_corpus *c);
/* Write n bytes to path (a module to keep or to hand to another tool). */
bool fuzz_write_file(const char *path, const uint8_t *b, size_t n);

void fuzz_rng_seed(uint64_t seed);
uint64_t fuzz_rnd(void);
size_t fuzz_below(size_t n); /* uniform-ish in [0, n), 0 when n == 0 */
/* The generator's state, to draw the same numbers again (gen.c's twin). */
uint64_t fuzz_rng_state(void);
void fuzz_rng_restore(uint64_t state);

/* Grow to hold n bytes (exits on out-of-memory: this is test code). */
void fuzz_buf_reserve(fuzz_buf *m, size_t n);
void fuzz_buf_insert(fuzz_buf *m, size_t at, const uint8_t *src, size_t n);
void fuzz_buf_set(fuzz_buf *m, const uint8_t *src, size_t n);
void fuzz_buf_put_leb(fuzz_buf *m, uint64_t v);

/* One raw mutation (bit flip, byte set, insert, delete, boundary LEB,
 * truncation, chunk copy, splice from another seed). */
void fuzz_mutate_once(fuzz_buf *m, const fuzz_corpus *c);
/* Mutate inside one section (or one function body) and re-frame the sizes;
 * false if m is not framed well enough (m is then unchanged). */
bool fuzz_mutate_structured(fuzz_buf *m, const fuzz_corpus *c);
/* The drivers' step: mostly a fresh copy of a random seed (always when
 * `fresh`), sometimes the previous mutant again; then either a structured
 * mutation or one to four raw ones.  Caps the size at 1 MiB. */
void fuzz_mutate_next(fuzz_buf *m, const fuzz_corpus *c, bool fresh);

#endif
