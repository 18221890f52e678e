/*
 * reader.c — the bounds-checked cursor every decoder read goes through.
 *
 * Invariant: start <= pos <= end always holds between calls; no function
 * reads a byte at or past `end`.  LEB128 reads follow the binary format's
 * rule for an N-bit integer: at most ceil(N/7) bytes, and in the last
 * permitted byte the bits beyond N must be zero (unsigned) or copies of the
 * sign bit (signed).  Failures are malformed-module errors at the offset of
 * the faulting byte.
 */
#include "reader.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void w2n_reader_init(w2n_reader *r, const uint8_t *bytes, size_t size, w2n_error *err) {
    r->start = bytes;
    r->pos = bytes;
    r->end = bytes + size;
    r->err = err;
    r->features = w2n_features_default();
}

bool w2n_reader_fail(w2n_reader *r, const char *fmt, ...) {
    if (!r->err)
        return false;
    r->err->code = W2N_ERR_MALFORMED;
    r->err->offset = (uint64_t)(r->pos - r->start);
    r->err->func_index = W2N_NO_FUNC;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err->message, sizeof r->err->message, fmt, ap);
    va_end(ap);
    return false;
}

bool w2n_reader_sub(w2n_reader *r, size_t size, w2n_reader *out) {
    if (size > w2n_reader_left(r))
        return w2n_reader_fail(r, "length out of bounds");
    out->start = r->start;
    out->pos = r->pos;
    out->end = r->pos + size;
    out->err = r->err;
    out->features = r->features;
    r->pos += size;
    return true;
}

bool w2n_read_u8(w2n_reader *r, uint8_t *out) {
    if (r->pos >= r->end)
        return w2n_reader_fail(r, "unexpected end");
    *out = *r->pos++;
    return true;
}

/* Read an LEB128 integer of `bits` bits (<= 64).  The result is the raw
 * value, sign-extended to 64 bits when `is_signed`. */
static bool read_leb(w2n_reader *r, unsigned bits, bool is_signed, uint64_t *out) {
    unsigned max_bytes = (bits + 6) / 7;
    uint64_t result = 0;
    *out = 0; /* defined even on failure */
    unsigned shift = 0;
    for (unsigned i = 0;; i++) {
        if (r->pos >= r->end)
            return w2n_reader_fail(r, "unexpected end");
        uint8_t byte = *r->pos;
        if (i == max_bytes - 1) {
            /* Last permitted byte: no continuation, and the bits that lie
             * beyond `bits` must be zero or a sign extension. */
            if (byte & 0x80)
                return w2n_reader_fail(r, "integer representation too long");
            unsigned used = bits - shift; /* value bits in this byte, 1..7 */
            if (used < 7) {
                uint8_t unused_mask = (uint8_t)(0x7F & ~((1u << used) - 1));
                uint8_t unused = byte & unused_mask;
                if (is_signed) {
                    bool sign = (byte >> (used - 1)) & 1;
                    if (unused != (sign ? unused_mask : 0))
                        return w2n_reader_fail(r, "integer too large");
                } else if (unused) {
                    return w2n_reader_fail(r, "integer too large");
                }
            }
        }
        r->pos++;
        result |= (uint64_t)(byte & 0x7F) << shift;
        shift += 7;
        if (!(byte & 0x80)) {
            if (is_signed && shift < 64 && (byte & 0x40))
                result |= ~(uint64_t)0 << shift;
            break;
        }
    }
    *out = result;
    return true;
}

bool w2n_read_u32(w2n_reader *r, uint32_t *out) {
    uint64_t v;
    if (!read_leb(r, 32, false, &v))
        return false;
    *out = (uint32_t)v;
    return true;
}

bool w2n_read_u64(w2n_reader *r, uint64_t *out) { return read_leb(r, 64, false, out); }

bool w2n_read_s32(w2n_reader *r, int32_t *out) {
    uint64_t v;
    if (!read_leb(r, 32, true, &v))
        return false;
    *out = (int32_t)(uint32_t)v;
    return true;
}

bool w2n_read_s33(w2n_reader *r, int64_t *out) {
    uint64_t v;
    if (!read_leb(r, 33, true, &v))
        return false;
    *out = (int64_t)v;
    return true;
}

bool w2n_read_s64(w2n_reader *r, int64_t *out) {
    uint64_t v;
    if (!read_leb(r, 64, true, &v))
        return false;
    *out = (int64_t)v;
    return true;
}

bool w2n_read_f32(w2n_reader *r, uint32_t *out_bits) {
    if (w2n_reader_left(r) < 4) {
        r->pos = r->end;
        return w2n_reader_fail(r, "unexpected end");
    }
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--)
        v = (v << 8) | r->pos[i];
    r->pos += 4;
    *out_bits = v;
    return true;
}

bool w2n_read_f64(w2n_reader *r, uint64_t *out_bits) {
    if (w2n_reader_left(r) < 8) {
        r->pos = r->end;
        return w2n_reader_fail(r, "unexpected end");
    }
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | r->pos[i];
    r->pos += 8;
    *out_bits = v;
    return true;
}

bool w2n_read_bytes(w2n_reader *r, size_t n, const uint8_t **out) {
    if (n > w2n_reader_left(r))
        return w2n_reader_fail(r, "unexpected end");
    *out = r->pos;
    r->pos += n;
    return true;
}

bool w2n_read_vec_len(w2n_reader *r, size_t min_item_size, uint32_t *out) {
    uint32_t n;
    if (!w2n_read_u32(r, &n))
        return false;
    /* Each item takes at least min_item_size bytes, so a count that cannot
     * fit in what is left is malformed before anything is allocated. */
    if (min_item_size && (uint64_t)n * min_item_size > w2n_reader_left(r))
        return w2n_reader_fail(r, "unexpected end");
    *out = n;
    return true;
}

/* Length of the UTF-8 sequence at s (at most `left` bytes), or 0 if it is
 * not a well-formed encoding of one scalar value (no overlongs, no
 * surrogates, nothing above U+10FFFF). */
static size_t utf8_seq(const uint8_t *s, size_t left) {
    uint8_t c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    uint32_t cp, min;
    if ((c & 0xE0) == 0xC0) {
        n = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n > left)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

bool w2n_read_name(w2n_reader *r, const char **out, uint32_t *out_len) {
    uint32_t n;
    if (!w2n_read_u32(r, &n))
        return false;
    if (n > w2n_reader_left(r))
        return w2n_reader_fail(r, "length out of bounds");
    const uint8_t *s = r->pos;
    for (size_t i = 0; i < n;) {
        size_t len = utf8_seq(s + i, n - i);
        if (!len) {
            r->pos = s + i;
            return w2n_reader_fail(r, "malformed UTF-8 encoding");
        }
        i += len;
    }
    r->pos += n;
    *out = (const char *)s;
    *out_len = n;
    return true;
}
