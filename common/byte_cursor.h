/*
 * byte_cursor.h — a bounds-checked reader of little-endian bytes and LEB128.
 *
 * For the binary formats the runtime reads from objects it does not trust:
 * DWARF line tables, LSDA call-site tables, LLVM stack maps.  A read past the
 * end, or a LEB128 longer than 64 bits, sets `failed` and returns 0; every
 * later read then fails too, so a parser checks the flag once at the end of
 * a record instead of after every field.  (The Wasm binary reader has rules
 * of its own — exact widths, signed 33-bit — in compiler/front/reader.c.)
 */
#ifndef W2N_BYTE_CURSOR_H
#define W2N_BYTE_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct w2n_byte_cursor {
    const uint8_t *p, *end;
    bool failed;
} w2n_byte_cursor;

static inline w2n_byte_cursor w2n_byte_cursor_of(const void *bytes, size_t size) {
    const uint8_t *p = bytes;
    return (w2n_byte_cursor){p, p + size, false};
}

/* True when n more bytes can be read; otherwise marks the cursor failed. */
bool w2n_cursor_has(w2n_byte_cursor *c, size_t n);

/* An n-byte (n <= 8) little-endian unsigned value. */
uint64_t w2n_cursor_fixed(w2n_byte_cursor *c, size_t n);

uint64_t w2n_cursor_uleb(w2n_byte_cursor *c);
int64_t w2n_cursor_sleb(w2n_byte_cursor *c);

/* A NUL-terminated string inside the cursor's bytes ("" on failure). */
const char *w2n_cursor_cstring(w2n_byte_cursor *c);

/* Skips to the next multiple of `align` bytes from `start`. */
void w2n_cursor_align(w2n_byte_cursor *c, const uint8_t *start, size_t align);

#endif
