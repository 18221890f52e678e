/* huff.h — canonical Huffman codes: code lengths from symbol frequencies
 * (limited to a maximum length), codes from lengths, and a table decoder.
 *
 * Codes are canonical: shorter codes first, equal lengths in symbol order.
 * They are stored bit-reversed so the LSB-first bit writer emits their
 * first bit first. */
#ifndef W2PACK_HUFF_H
#define W2PACK_HUFF_H

#include "bits.h"

#define PK_HUFF_MAXBITS 15
#define PK_HUFF_MAXSYMS 320

/* Lengths for N (<= PK_HUFF_MAXSYMS) symbols, none longer than MAXBITS;
 * unused symbols get 0, and a lone used symbol gets length 1. */
void pk_huff_lengths(const uint32_t *freq, unsigned n, unsigned maxbits, uint8_t *len);

/* Canonical (bit-reversed) codes for LEN; -1 if the lengths over-subscribe
 * the code space. */
int pk_huff_codes(const uint8_t *len, unsigned n, uint16_t *code);

typedef struct pk_huff_dec {
    unsigned bits;                         /* the longest code length; the table has 2^bits slots */
    uint16_t table[1u << PK_HUFF_MAXBITS]; /* symbol << 4 | length; 0: no code */
} pk_huff_dec;

/* -1 if LEN is not a valid (possibly incomplete) prefix code. */
int pk_huff_dec_build(pk_huff_dec *d, const uint8_t *len, unsigned n);
/* The next symbol, or -1 for a bit pattern that is no code. */
int pk_huff_decode(const pk_huff_dec *d, pk_bitr *r);

#endif
