/*
 * module_kit.h — binary modules built byte by byte, for the tests of the
 * front end (decode, validate, typed references) that need inputs no
 * assembler would write: malformed encodings, exact section layouts.
 *
 *     buf o;
 *     header(&o);
 *     SEC(&o, 1, 1, 0x60, 0, 0);   // type section: one type, () -> ()
 *     RAW(&o, 0x00);               // bytes as they are
 */
#ifndef W2N_MODULE_KIT_H
#define W2N_MODULE_KIT_H

#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

typedef struct buf {
    uint8_t b[4096];
    size_t n;
} buf;

static inline void put(buf *o, const void *p, size_t n) {
    cr_assert_leq(o->n + n, sizeof o->b);
    memcpy(o->b + o->n, p, n);
    o->n += n;
}

/* v as unsigned LEB128. */
static inline void put_u32(buf *o, uint32_t v) {
    do {
        uint8_t byte = v & 0x7F;
        v >>= 7;
        if (v)
            byte |= 0x80;
        put(o, &byte, 1);
    } while (v);
}

/* Start o over with the magic number and version 1. */
static inline void header(buf *o) {
    static const uint8_t h[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
    o->n = 0;
    put(o, h, sizeof h);
}

/* Section `id` with its size and content. */
static inline void section(buf *o, uint8_t id, const void *content, size_t n) {
    put(o, &id, 1);
    put_u32(o, (uint32_t)n);
    put(o, content, n);
}

#define SEC(o, id, ...)                            \
    do {                                           \
        static const uint8_t c_[] = {__VA_ARGS__}; \
        section((o), (id), c_, sizeof c_);         \
    } while (0)

#define RAW(o, ...)                                \
    do {                                           \
        static const uint8_t c_[] = {__VA_ARGS__}; \
        put((o), c_, sizeof c_);                   \
    } while (0)

#endif
