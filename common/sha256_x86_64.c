/*
 * sha256_x86_64.c — SHA-256 blocks with the x86 SHA extensions (SHA-NI).
 *
 * sha256rnds2 does two rounds on the state held as two vectors, ABEF and
 * CDGH (A in the highest lane); sha256msg1/msg2 extend the message schedule
 * four words at a time.  The lanes are rearranged once per call on the way
 * in and out.  Loading a 4 MB object spends most of its time hashing its
 * seal, so this is about 6 times the portable code's speed where the CPU
 * has the extensions (AMD since Zen, Intel since Ice Lake and Goldmont);
 * elsewhere w2n_sha256_x86_64_blocks returns NULL and sha256.c keeps the
 * portable code.  Builds as nothing on other hosts.
 */
#include "sha256.h"

#if defined(__x86_64__)
#include <immintrin.h>

#include "cpu.h"

extern const uint32_t w2n_sha256_k[64];

#define TARGET __attribute__((target("sha,sse4.1,ssse3")))

TARGET static void blocks(uint32_t h[8], const uint8_t *p, size_t nblocks) {
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i dcba = _mm_loadu_si128((const __m128i *)&h[0]);
    __m128i hgfe = _mm_loadu_si128((const __m128i *)&h[4]);
    __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
    __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
    __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
    __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);
    for (; nblocks; nblocks--, p += 64) {
        __m128i abef0 = abef, cdgh0 = cdgh, w[4];
        for (int g = 0; g < 16; g++) {
            if (g < 4) {
                w[g] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * g)), bswap);
            } else { /* words 4g..4g+3 from the last 16 (w[g % 4] holds group g - 4) */
                __m128i t = _mm_sha256msg1_epu32(w[g & 3], w[(g + 1) & 3]);
                t = _mm_add_epi32(t, _mm_alignr_epi8(w[(g + 3) & 3], w[(g + 2) & 3], 4));
                w[g & 3] = _mm_sha256msg2_epu32(t, w[(g + 3) & 3]);
            }
            __m128i wk =
                _mm_add_epi32(w[g & 3], _mm_loadu_si128((const __m128i *)&w2n_sha256_k[4 * g]));
            /* Two rounds leave the new ABEF in cdgh and the old ABEF, now
             * CDGH, in abef; two more put them back in their places. */
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
            abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0E));
        }
        abef = _mm_add_epi32(abef, abef0);
        cdgh = _mm_add_epi32(cdgh, cdgh0);
    }
    __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
    __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    _mm_storeu_si128((__m128i *)&h[0], _mm_blend_epi16(feba, dchg, 0xF0));
    _mm_storeu_si128((__m128i *)&h[4], _mm_alignr_epi8(dchg, feba, 8));
}

w2n_sha256_blocks_fn w2n_sha256_x86_64_blocks(void) {
    bool usable = w2n_arch_cpu_has("sha", NULL) == 1 && w2n_arch_cpu_has("sse4.1", NULL) == 1 &&
                  w2n_arch_cpu_has("ssse3", NULL) == 1;
    return usable ? blocks : NULL;
}
#endif
