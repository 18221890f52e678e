/* bits.h — LSB-first bit streams: the writer appends to a pk_buf, the
 * reader walks a byte range.  Reading past the end yields zero bits and
 * sets `overrun`, so decoders check one flag instead of every read. */
#ifndef W2PACK_BITS_H
#define W2PACK_BITS_H

#include "pk.h"

typedef struct pk_bitw {
    pk_buf *out;
    uint64_t acc; /* pending bits, lowest first */
    unsigned n;   /* how many of acc's bits are pending */
} pk_bitw;

void pk_bitw_init(pk_bitw *w, pk_buf *out);
/* Append the low COUNT (<= 32) bits of BITS. */
int pk_bitw_put(pk_bitw *w, uint32_t bits, unsigned count, pk_err *e);
/* Pad with zero bits to a whole byte and write out what is pending. */
int pk_bitw_flush(pk_bitw *w, pk_err *e);

typedef struct pk_bitr {
    const uint8_t *p, *end;
    uint64_t acc;
    unsigned n;
    int overrun;
} pk_bitr;

void pk_bitr_init(pk_bitr *r, const uint8_t *p, size_t n);
/* The next COUNT (<= 32) bits without consuming them. */
uint32_t pk_bitr_peek(pk_bitr *r, unsigned count);
void pk_bitr_skip(pk_bitr *r, unsigned count);
uint32_t pk_bitr_get(pk_bitr *r, unsigned count);
/* Bytes not yet touched by the reader (after a whole-byte boundary). */
size_t pk_bitr_left(const pk_bitr *r);

#endif
