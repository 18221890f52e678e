/* crc32.c: table-driven CRC-32 (the reflected IEEE polynomial 0xEDB88320)
 * over a 64 KiB buffer per unit of work (integer kernel: table lookups and
 * a serial dependency through the CRC register). */
#include "kernel.h"

#define BUF_LEN 65536

static uint32_t table[256];
static uint8_t buf[BUF_LEN];

static void make_table(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int j = 0; j < 8; j++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
}

static uint32_t crc32(uint32_t crc, const uint8_t *p, uint32_t len) {
    crc = ~crc;
    for (uint32_t i = 0; i < len; i++)
        crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

KERNEL_RUN {
    make_table();
    if (n == 0) /* self-test: CRC-32("123456789") = 0xCBF43926 */
        return crc32(0, (const uint8_t *)"123456789", 9);
    uint32_t s = 0x2545F491;
    for (uint32_t i = 0; i < BUF_LEN; i++)
        buf[i] = (uint8_t)kxorshift(&s);
    uint32_t crc = 0, h = 0;
    for (uint32_t r = 0; r < n; r++) {
        buf[r % BUF_LEN] ^= (uint8_t)crc;
        crc = crc32(crc, buf, BUF_LEN);
        h = kmix(h, crc);
    }
    return h;
}
