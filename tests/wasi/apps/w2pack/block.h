/* block.h — one block of file data, compressed on its own.
 *
 * Methods: PK_METHOD_STORED (the bytes as they are) and PK_METHOD_LZH (LZ77
 * tokens, Huffman-coded).  The encoder picks stored when coding does not
 * shrink the block.  Layout of an LZH payload, LSB-first bits:
 *   9 bits  number of literal/length code lengths sent (NLIT, <= 285)
 *   5 bits  number of distance code lengths sent minus 1 (<= 29)
 *   4 bits  each of those lengths (0: symbol unused)
 *   the symbols, ended by symbol 256, then zero bits to a byte boundary.
 * Literal/length symbols: 0..255 bytes, 256 end, 257..284 lengths 3..258
 * with extra bits; distance symbols 0..29 cover 1..32768 with extra bits. */
#ifndef W2PACK_BLOCK_H
#define W2PACK_BLOCK_H

#include "pk.h"

enum {
    PK_METHOD_STORED = 0,
    PK_METHOD_LZH = 1
};

/* Append the coded form of SRC[0..N) to OUT; *METHOD tells which. */
int pk_block_encode(const uint8_t *src, size_t n, int level, pk_buf *out, int *method, pk_err *e);

/* Decode SRC[0..N) coded with METHOD into exactly RAW bytes at DST. */
int pk_block_decode(int method, const uint8_t *src, size_t n, uint8_t *dst, size_t raw, pk_err *e);

#endif
