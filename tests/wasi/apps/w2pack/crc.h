/* crc.h — the two checksums of the archive: CRC-32 (the IEEE 802.3
 * polynomial, reflected) and Adler-32.  Start CRC-32 at 0 and Adler-32 at 1;
 * both can be fed in pieces. */
#ifndef W2PACK_CRC_H
#define W2PACK_CRC_H

#include <stddef.h>
#include <stdint.h>

uint32_t pk_crc32(uint32_t crc, const uint8_t *p, size_t n);
uint32_t pk_adler32(uint32_t adler, const uint8_t *p, size_t n);

#endif
