/*
 * reader.h — a bounds-checked cursor over the input bytes.
 *
 * Every read checks the remaining length first.  LEB128 reads enforce the
 * spec's limits: at most ceil(N/7) bytes for an N-bit value, and the unused
 * bits of the last byte must be zero (unsigned) or a sign extension (signed);
 * otherwise the error is "integer representation too long" or "integer too
 * large".  A read past the end is "unexpected end" (or "length out of bounds"
 * for a vector or name whose length exceeds what remains).  On failure the
 * reader fills *err with the offset of the faulting byte (relative to
 * `base_offset` + position) and returns false; the cursor is then undefined.
 */
#ifndef W2N_READER_H
#define W2N_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "w2n/error.h"
#include "w2n/features.h"

typedef struct w2n_reader {
    const uint8_t *start; /* the whole module: offsets are pos - start */
    const uint8_t *pos;
    const uint8_t *end;    /* end of the current region (a section, a body) */
    w2n_error *err;        /* where failures go; never NULL */
    w2n_features features; /* what the input may use; init: w2n_features_default() */
} w2n_reader;

void w2n_reader_init(w2n_reader *r, const uint8_t *bytes, size_t size, w2n_error *err);
/* A sub-reader over the next `size` bytes; fails if they are not there. */
bool w2n_reader_sub(w2n_reader *r, size_t size, w2n_reader *out);

static inline size_t w2n_reader_offset(const w2n_reader *r) { return (size_t)(r->pos - r->start); }
static inline size_t w2n_reader_left(const w2n_reader *r) { return (size_t)(r->end - r->pos); }
static inline bool w2n_reader_done(const w2n_reader *r) { return r->pos >= r->end; }

bool w2n_read_u8(w2n_reader *r, uint8_t *out);
bool w2n_read_u32(w2n_reader *r, uint32_t *out); /* unsigned LEB128, <= 5 bytes */
bool w2n_read_u64(w2n_reader *r, uint64_t *out); /* unsigned LEB128, <= 10 bytes */
bool w2n_read_s32(w2n_reader *r, int32_t *out);  /* signed LEB128 */
bool w2n_read_s33(w2n_reader *r, int64_t *out);  /* signed 33-bit (block types) */
bool w2n_read_s64(w2n_reader *r, int64_t *out);
bool w2n_read_f32(w2n_reader *r, uint32_t *out_bits); /* 4 raw little-endian bytes */
bool w2n_read_f64(w2n_reader *r, uint64_t *out_bits);
bool w2n_read_bytes(w2n_reader *r, size_t n, const uint8_t **out);
/* A vector length: also fails ("length out of bounds"/"unexpected end") if
 * count * min_item_size exceeds the bytes left, so callers may allocate count. */
bool w2n_read_vec_len(w2n_reader *r, size_t min_item_size, uint32_t *out);
/* A name: u32 length then UTF-8 (checked: "malformed UTF-8 encoding").
 * *out points into the input; it is not NUL-terminated. */
bool w2n_read_name(w2n_reader *r, const char **out, uint32_t *out_len);

/* Report a malformed-input failure at the reader's current offset. */
bool w2n_reader_fail(w2n_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
