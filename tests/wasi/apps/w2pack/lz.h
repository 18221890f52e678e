/* lz.h — LZ77 parsing of one block into literals and (length, distance)
 * matches, with hash chains and optional lazy matching.
 *
 * A token is a uint32_t: a literal byte is its own value; a match is
 * PK_LZ_MATCH | length << 16 | distance. */
#ifndef W2PACK_LZ_H
#define W2PACK_LZ_H

#include "pk.h"

#define PK_LZ_MIN 3
#define PK_LZ_MAX 258
#define PK_LZ_WINDOW 32768u /* distances are 1 .. PK_LZ_WINDOW */
#define PK_LZ_MATCH 0x80000000u

#define PK_LZ_IS_MATCH(t) (((t)&PK_LZ_MATCH) != 0)
#define PK_LZ_LEN(t) (((t) >> 16) & 0x1ff)
#define PK_LZ_DIST(t) ((t)&0xffff ? (t)&0xffff : PK_LZ_WINDOW)

/* Parse SRC[0..N) at LEVEL (1 fastest .. 9 best) into TOKS, which must
 * hold N entries; *NTOK receives the count. */
int pk_lz_parse(const uint8_t *src, size_t n, int level, uint32_t *toks, size_t *ntok, pk_err *e);

#endif
