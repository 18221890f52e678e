/*
 * byte_cursor.c — bounds-checked little-endian and LEB128 reads
 * (byte_cursor.h).
 */
#include "byte_cursor.h"

#include <string.h>

bool w2n_cursor_has(w2n_byte_cursor *c, size_t n) {
    if (!c->failed && (size_t)(c->end - c->p) >= n)
        return true;
    c->failed = true;
    return false;
}

uint64_t w2n_cursor_fixed(w2n_byte_cursor *c, size_t n) {
    if (n > 8)
        c->failed = true;
    if (!w2n_cursor_has(c, n))
        return 0;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) /* every w2n target is little-endian, but say so */
        v |= (uint64_t)c->p[i] << (8 * i);
    c->p += n;
    return v;
}

/* The bits of a LEB128 and the shift after its last byte; fails past 64 bits. */
static uint64_t leb(w2n_byte_cursor *c, unsigned *shift, uint8_t *last) {
    uint64_t v = 0;
    *shift = 0;
    for (;;) {
        if (*shift > 63 || !w2n_cursor_has(c, 1)) {
            c->failed = true;
            return 0;
        }
        uint8_t byte = *c->p++;
        v |= (uint64_t)(byte & 0x7f) << *shift;
        *shift += 7;
        if (!(byte & 0x80)) {
            *last = byte;
            return v;
        }
    }
}

uint64_t w2n_cursor_uleb(w2n_byte_cursor *c) {
    unsigned shift;
    uint8_t last;
    return leb(c, &shift, &last);
}

int64_t w2n_cursor_sleb(w2n_byte_cursor *c) {
    unsigned shift;
    uint8_t last = 0;
    uint64_t v = leb(c, &shift, &last);
    if (!c->failed && shift < 64 && (last & 0x40))
        v |= ~(uint64_t)0 << shift;
    return (int64_t)v;
}

const char *w2n_cursor_cstring(w2n_byte_cursor *c) {
    const uint8_t *nul = c->failed ? NULL : memchr(c->p, 0, (size_t)(c->end - c->p));
    if (!nul) {
        c->failed = true;
        return "";
    }
    const char *s = (const char *)c->p;
    c->p = nul + 1;
    return s;
}

void w2n_cursor_align(w2n_byte_cursor *c, const uint8_t *start, size_t align) {
    size_t at = (size_t)(c->p - start);
    size_t pad = (align - at % align) % align;
    if (w2n_cursor_has(c, pad))
        c->p += pad;
}
