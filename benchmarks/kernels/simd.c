/* simd.c: the explicit-SIMD kernel.  With -msimd128 it is written with
 * wasm_simd128.h intrinsics; elsewhere (native builds, wasm without SIMD) a
 * plain C version computes the same checksum bit for bit.  One unit of work:
 * alpha-blend two 8-bit images, sum the absolute differences against a
 * reference (integer lanes), then a float update y = y/2 + a*x and a dot
 * product accumulated in four lanes, as the vector code does. */
#include "kernel.h"
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#define PIXELS 16384
#define FLOATS 4096

static _Alignas(16) uint8_t img_a[PIXELS], img_b[PIXELS], ref[PIXELS], out[PIXELS];
static _Alignas(16) float xs[FLOATS], ys[FLOATS];

#ifdef __wasm_simd128__
static uint32_t blend_sad(uint32_t alpha) {
    v128_t va = wasm_i16x8_splat((int16_t)alpha);
    v128_t vb = wasm_i16x8_splat((int16_t)(256 - alpha));
    v128_t acc = wasm_i32x4_splat(0);
    for (int i = 0; i < PIXELS; i += 16) {
        v128_t a = wasm_v128_load(&img_a[i]), b = wasm_v128_load(&img_b[i]);
        v128_t lo = wasm_i16x8_add(wasm_i16x8_mul(wasm_u16x8_extend_low_u8x16(a), va),
                                   wasm_i16x8_mul(wasm_u16x8_extend_low_u8x16(b), vb));
        v128_t hi = wasm_i16x8_add(wasm_i16x8_mul(wasm_u16x8_extend_high_u8x16(a), va),
                                   wasm_i16x8_mul(wasm_u16x8_extend_high_u8x16(b), vb));
        v128_t o = wasm_u8x16_narrow_i16x8(wasm_u16x8_shr(lo, 8), wasm_u16x8_shr(hi, 8));
        wasm_v128_store(&out[i], o);
        v128_t r = wasm_v128_load(&ref[i]);
        v128_t diff = wasm_v128_or(wasm_u8x16_sub_sat(o, r), wasm_u8x16_sub_sat(r, o));
        acc = wasm_i32x4_add(
            acc, wasm_u32x4_extadd_pairwise_u16x8(wasm_u16x8_extadd_pairwise_u8x16(diff)));
    }
    return wasm_u32x4_extract_lane(acc, 0) + wasm_u32x4_extract_lane(acc, 1) +
           wasm_u32x4_extract_lane(acc, 2) + wasm_u32x4_extract_lane(acc, 3);
}

static float update_dot(float a) {
    v128_t va = wasm_f32x4_splat(a), half = wasm_f32x4_splat(0.5f);
    v128_t dot = wasm_f32x4_splat(0.0f);
    for (int i = 0; i < FLOATS; i += 4) {
        v128_t x = wasm_v128_load(&xs[i]), y = wasm_v128_load(&ys[i]);
        y = wasm_f32x4_add(wasm_f32x4_mul(y, half), wasm_f32x4_mul(va, x));
        wasm_v128_store(&ys[i], y);
        dot = wasm_f32x4_add(dot, wasm_f32x4_mul(x, y));
    }
    return (wasm_f32x4_extract_lane(dot, 0) + wasm_f32x4_extract_lane(dot, 1)) +
           (wasm_f32x4_extract_lane(dot, 2) + wasm_f32x4_extract_lane(dot, 3));
}
#else
static uint32_t blend_sad(uint32_t alpha) {
    uint32_t sad = 0;
    for (int i = 0; i < PIXELS; i++) {
        uint32_t o = (img_a[i] * alpha + img_b[i] * (256 - alpha)) >> 8;
        out[i] = (uint8_t)o;
        sad += o > ref[i] ? o - ref[i] : ref[i] - o;
    }
    return sad;
}

static float update_dot(float a) {
    float lane[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    for (int i = 0; i < FLOATS; i += 4)
        for (int j = 0; j < 4; j++) {
            ys[i + j] = ys[i + j] * 0.5f + a * xs[i + j];
            lane[j] += xs[i + j] * ys[i + j];
        }
    return (lane[0] + lane[1]) + (lane[2] + lane[3]);
}
#endif

KERNEL_RUN {
    uint32_t s = 0x5EED5u, h = 0;
    for (int i = 0; i < PIXELS; i++) {
        img_a[i] = (uint8_t)kxorshift(&s);
        img_b[i] = (uint8_t)(i * 7 + (i >> 7));
        ref[i] = (uint8_t)(kxorshift(&s) >> 8);
    }
    for (int i = 0; i < FLOATS; i++) {
        xs[i] = (float)(i % 100) * 0.01f;
        ys[i] = (float)(i % 7) * 0.5f;
    }
    for (uint32_t r = 0; r < n; r++) {
        uint32_t sad = blend_sad(((r * 37) & 255) + 1);
        float dot = update_dot((float)(r & 15) * 0.0625f);
        h = kmix(kmix(h, sad), kbits32(dot));
        img_a[r % PIXELS] = out[(r * 13) % PIXELS]; /* feed results back */
    }
    return h;
}
