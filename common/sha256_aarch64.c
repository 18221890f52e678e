/*
 * sha256_aarch64.c — SHA-256 blocks with the Armv8 SHA2 instructions.
 *
 * sha256h/sha256h2 do four rounds on the state as two vectors (ABCD, EFGH);
 * sha256su0/su1 extend the message schedule four words at a time.  Used
 * when the kernel reports the SHA2 feature (HWCAP_SHA2: most Cortex-A cores
 * of single-board computers have it); elsewhere w2n_sha256_aarch64_blocks
 * returns NULL and sha256.c keeps the portable code.  Builds as nothing on
 * other hosts.
 */
#include "sha256.h"

#if defined(__aarch64__)
#include <arm_neon.h>

#include "cpu.h"

extern const uint32_t w2n_sha256_k[64];

__attribute__((target("+crypto"))) static void blocks(uint32_t h[8], const uint8_t *p,
                                                      size_t nblocks) {
    uint32x4_t abcd = vld1q_u32(&h[0]), efgh = vld1q_u32(&h[4]);
    for (; nblocks; nblocks--, p += 64) {
        uint32x4_t abcd0 = abcd, efgh0 = efgh, w[4];
        for (int g = 0; g < 16; g++) {
            if (g < 4) /* the words are big-endian */
                w[g] = vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(p + 16 * g)));
            else /* words 4g..4g+3 from the last 16 (w[g % 4] holds group g - 4) */
                w[g & 3] = vsha256su1q_u32(vsha256su0q_u32(w[g & 3], w[(g + 1) & 3]),
                                           w[(g + 2) & 3], w[(g + 3) & 3]);
            uint32x4_t wk = vaddq_u32(w[g & 3], vld1q_u32(&w2n_sha256_k[4 * g]));
            uint32x4_t abcd_before = abcd;
            abcd = vsha256hq_u32(abcd, efgh, wk);
            efgh = vsha256h2q_u32(efgh, abcd_before, wk);
        }
        abcd = vaddq_u32(abcd, abcd0);
        efgh = vaddq_u32(efgh, efgh0);
    }
    vst1q_u32(&h[0], abcd);
    vst1q_u32(&h[4], efgh);
}

w2n_sha256_blocks_fn w2n_sha256_aarch64_blocks(void) {
    return w2n_arch_cpu_has("sha2", NULL) == 1 ? blocks : NULL;
}
#endif
