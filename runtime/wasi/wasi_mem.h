/*
 * wasi_mem.h — checked access to guest linear memory.
 *
 * A wasi_mem is a view {base, size} of the calling instance's memory 0 taken
 * at the start of a host call (the memory cannot grow during it: Wasm is not
 * running).  Every guest pointer and length goes through wasi_mem_check
 * before it is used; the arithmetic is in 64 bits on a 32-bit pointer and a
 * length of at most 2^32 * 48, so it cannot overflow.  Multi-byte values are
 * stored little-endian byte by byte: Wasm memory is little-endian whatever
 * the host, and guest pointers need not be aligned.
 */
#ifndef W2N_WASI_MEM_H
#define W2N_WASI_MEM_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

typedef struct wasi_mem {
    uint8_t *base;
    uint64_t size; /* bytes; 0 when the instance has no memory */
} wasi_mem;

/* True when [ptr, ptr + len) lies inside the memory. */
static inline bool wasi_mem_check(const wasi_mem *m, uint32_t ptr, uint64_t len) {
    return (uint64_t)ptr <= m->size && len <= m->size - (uint64_t)ptr;
}

/* A host pointer to checked guest bytes. */
static inline uint8_t *wasi_mem_at(const wasi_mem *m, uint32_t ptr) { return m->base + ptr; }

static inline void wasi_put_u8(uint8_t *p, uint8_t v) { p[0] = v; }
static inline void wasi_put_u16(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static inline void wasi_put_u32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}
static inline void wasi_put_u64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}
static inline uint16_t wasi_get_u16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline uint32_t wasi_get_u32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t wasi_get_u64(const uint8_t *p) {
    return (uint64_t)wasi_get_u32(p) | (uint64_t)wasi_get_u32(p + 4) << 32;
}

/* Store a u32 / u64 result at a guest pointer; false when out of bounds. */
static inline bool wasi_store_u32(const wasi_mem *m, uint32_t ptr, uint32_t v) {
    if (!wasi_mem_check(m, ptr, 4))
        return false;
    wasi_put_u32(wasi_mem_at(m, ptr), v);
    return true;
}
static inline bool wasi_store_u64(const wasi_mem *m, uint32_t ptr, uint64_t v) {
    if (!wasi_mem_check(m, ptr, 8))
        return false;
    wasi_put_u64(wasi_mem_at(m, ptr), v);
    return true;
}

#endif
