/* crc.c — CRC-32 with a 256-entry table built on first use, and Adler-32
 * with the modulo taken only every few thousand bytes (the largest run that
 * cannot overflow 32 bits). */
#include "crc.h"

#define CRC_POLY 0xEDB88320u /* 0x04C11DB7 bit-reversed */
#define ADLER_MOD 65521u
#define ADLER_RUN 5552u

static uint32_t crc_table[256];
static int crc_ready;

static void crc_init(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? CRC_POLY ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
    crc_ready = 1;
}

uint32_t pk_crc32(uint32_t crc, const uint8_t *p, size_t n) {
    if (!crc_ready)
        crc_init();
    crc = ~crc;
    while (n--)
        crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

uint32_t pk_adler32(uint32_t adler, const uint8_t *p, size_t n) {
    uint32_t a = adler & 0xffff, b = adler >> 16;
    while (n > 0) {
        size_t run = n < ADLER_RUN ? n : ADLER_RUN;
        n -= run;
        while (run--) {
            a += *p++;
            b += a;
        }
        a %= ADLER_MOD;
        b %= ADLER_MOD;
    }
    return b << 16 | a;
}
