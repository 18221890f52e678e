/* gen.h — deterministic test data: the same seed gives the same bytes on
 * every platform (a 64-bit xorshift generator, integer arithmetic only).
 *
 * Kinds mimic what archivers meet: prose, CSV records, structured binary,
 * noise, sparse files. */
#ifndef W2PACK_GEN_H
#define W2PACK_GEN_H

#include "pk.h"

typedef struct pk_rng {
    uint64_t s;
} pk_rng;

void pk_rng_seed(pk_rng *r, uint64_t seed);
uint64_t pk_rng_next(pk_rng *r);
/* Uniform in [0, n), n > 0. */
uint32_t pk_rng_below(pk_rng *r, uint32_t n);

enum pk_gen_kind {
    PK_GEN_TEXT,
    PK_GEN_CSV,
    PK_GEN_BINARY,
    PK_GEN_NOISE,
    PK_GEN_SPARSE
};

/* Append N bytes of KIND to OUT. */
int pk_gen_data(pk_rng *r, int kind, size_t n, pk_buf *out, pk_err *e);

/* Create a tree of roughly KB kibibytes under DIR (which may exist). */
int pk_gen_tree(const char *dir, uint64_t seed, size_t kb, pk_err *e);

#endif
