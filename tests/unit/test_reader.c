/*
 * test_reader.c — the bounds-checked cursor: LEB128 of every width with the
 * spec's length and unused-bit limits, floats, names (UTF-8), vectors and
 * sub-readers, and the offsets that failures report.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "reader.h"

static w2n_reader rd(const uint8_t *bytes, size_t n, w2n_error *err) {
    w2n_reader r;
    memset(err, 0, sizeof *err);
    w2n_reader_init(&r, bytes, n, err);
    return r;
}

#define READER(...)                              \
    static const uint8_t buf_[] = {__VA_ARGS__}; \
    w2n_error err;                               \
    w2n_reader r = rd(buf_, sizeof buf_, &err)

Test(reader, u32_values) {
    static const uint8_t b[] = {0x00, 0x7F, 0x80, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x80, 0x00};
    w2n_error err;
    w2n_reader r = rd(b, sizeof b, &err);
    uint32_t v;
    cr_assert(w2n_read_u32(&r, &v));
    cr_assert_eq(v, 0);
    cr_assert(w2n_read_u32(&r, &v));
    cr_assert_eq(v, 127);
    cr_assert(w2n_read_u32(&r, &v));
    cr_assert_eq(v, 128);
    cr_assert(w2n_read_u32(&r, &v));
    cr_assert_eq(v, 0xFFFFFFFFu);
    cr_assert(w2n_read_u32(&r, &v), "a non-minimal encoding within 5 bytes is fine");
    cr_assert_eq(v, 0);
    cr_assert(w2n_reader_done(&r));
}

Test(reader, u32_too_long) {
    READER(0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
    uint32_t v;
    cr_assert_not(w2n_read_u32(&r, &v));
    cr_assert_str_eq(err.message, "integer representation too long");
    cr_assert_eq(err.code, W2N_ERR_MALFORMED);
    cr_assert_eq(err.offset, 4);
}

Test(reader, u32_unused_bits) {
    READER(0xFF, 0xFF, 0xFF, 0xFF, 0x1F);
    uint32_t v;
    cr_assert_not(w2n_read_u32(&r, &v));
    cr_assert_str_eq(err.message, "integer too large");
}

Test(reader, u32_truncated) {
    READER(0x80, 0x80);
    uint32_t v;
    cr_assert_not(w2n_read_u32(&r, &v));
    cr_assert_str_eq(err.message, "unexpected end");
    cr_assert_eq(err.offset, 2);
}

Test(reader, s32_values) {
    static const uint8_t b[] = {0x7F, 0x40, 0x3F, 0xC0, 0x00, 0x80, 0x80, 0x80,
                                0x80, 0x78, 0xFF, 0xFF, 0xFF, 0xFF, 0x07};
    w2n_error err;
    w2n_reader r = rd(b, sizeof b, &err);
    int32_t v;
    cr_assert(w2n_read_s32(&r, &v));
    cr_assert_eq(v, -1);
    cr_assert(w2n_read_s32(&r, &v));
    cr_assert_eq(v, -64);
    cr_assert(w2n_read_s32(&r, &v));
    cr_assert_eq(v, 63);
    cr_assert(w2n_read_s32(&r, &v));
    cr_assert_eq(v, 64);
    cr_assert(w2n_read_s32(&r, &v));
    cr_assert_eq(v, INT32_MIN);
    cr_assert(w2n_read_s32(&r, &v));
    cr_assert_eq(v, INT32_MAX);
}

Test(reader, s32_bad_sign_extension) {
    /* Fifth byte: bit 3 is the sign, bits 4-6 must copy it. */
    static const uint8_t pos_with_ones[] = {0x80, 0x80, 0x80, 0x80, 0x70};
    static const uint8_t neg_with_zeros[] = {0xFF, 0xFF, 0xFF, 0xFF, 0x0F};
    w2n_error err;
    int32_t v;
    w2n_reader r = rd(pos_with_ones, 5, &err);
    cr_assert_not(w2n_read_s32(&r, &v));
    cr_assert_str_eq(err.message, "integer too large");
    r = rd(neg_with_zeros, 5, &err);
    cr_assert_not(w2n_read_s32(&r, &v));
    cr_assert_str_eq(err.message, "integer too large");
}

Test(reader, s64_limits) {
    static const uint8_t min[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F};
    static const uint8_t max[] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00};
    static const uint8_t bad[] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01};
    static const uint8_t longer[] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                     0xFF, 0xFF, 0xFF, 0xFF, 0x00};
    w2n_error err;
    int64_t v;
    w2n_reader r = rd(min, sizeof min, &err);
    cr_assert(w2n_read_s64(&r, &v));
    cr_assert_eq(v, INT64_MIN);
    r = rd(max, sizeof max, &err);
    cr_assert(w2n_read_s64(&r, &v));
    cr_assert_eq(v, INT64_MAX);
    r = rd(bad, sizeof bad, &err);
    cr_assert_not(w2n_read_s64(&r, &v));
    cr_assert_str_eq(err.message, "integer too large");
    r = rd(longer, sizeof longer, &err);
    cr_assert_not(w2n_read_s64(&r, &v));
    cr_assert_str_eq(err.message, "integer representation too long");
}

Test(reader, u64_limits) {
    static const uint8_t max[] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01};
    static const uint8_t bad[] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02};
    w2n_error err;
    uint64_t v;
    w2n_reader r = rd(max, sizeof max, &err);
    cr_assert(w2n_read_u64(&r, &v));
    cr_assert_eq(v, UINT64_MAX);
    r = rd(bad, sizeof bad, &err);
    cr_assert_not(w2n_read_u64(&r, &v));
    cr_assert_str_eq(err.message, "integer too large");
}

Test(reader, s33_block_type_range) {
    static const uint8_t maxidx[] = {0xFF, 0xFF, 0xFF, 0xFF, 0x0F};
    static const uint8_t bad[] = {0xFF, 0xFF, 0xFF, 0xFF, 0x1F};
    static const uint8_t neg[] = {0x40};
    w2n_error err;
    int64_t v;
    w2n_reader r = rd(maxidx, sizeof maxidx, &err);
    cr_assert(w2n_read_s33(&r, &v));
    cr_assert_eq(v, 0xFFFFFFFFLL);
    r = rd(bad, sizeof bad, &err);
    cr_assert_not(w2n_read_s33(&r, &v));
    cr_assert_str_eq(err.message, "integer too large");
    r = rd(neg, sizeof neg, &err);
    cr_assert(w2n_read_s33(&r, &v));
    cr_assert_eq(v, -64);
}

Test(reader, floats_little_endian) {
    READER(0x00, 0x00, 0x80, 0x3F, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0x01);
    uint32_t f;
    uint64_t d;
    cr_assert(w2n_read_f32(&r, &f));
    cr_assert_eq(f, 0x3F800000u);
    cr_assert(w2n_read_f64(&r, &d));
    cr_assert_eq(d, 0x3FF0000000000000ull);
    cr_assert_not(w2n_read_f32(&r, &f), "only one byte left");
    cr_assert_str_eq(err.message, "unexpected end");
}

static bool name_ok(const uint8_t *b, size_t n, w2n_error *err) {
    w2n_reader r = rd(b, n, err);
    const char *s;
    uint32_t len;
    return w2n_read_name(&r, &s, &len);
}

Test(reader, names_utf8) {
    static const uint8_t ok[] = {9, 'a', 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98};
    w2n_error err;
    cr_assert_not(name_ok(ok, sizeof ok, &err), "4-byte sequence cut by the length");
    static const uint8_t good[] = {10, 'a', 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80};
    cr_assert(name_ok(good, sizeof good, &err));
    static const uint8_t overlong[] = {2, 0xC0, 0x80};
    cr_assert_not(name_ok(overlong, sizeof overlong, &err));
    cr_assert_str_eq(err.message, "malformed UTF-8 encoding");
    static const uint8_t surrogate[] = {3, 0xED, 0xA0, 0x80};
    cr_assert_not(name_ok(surrogate, sizeof surrogate, &err));
    static const uint8_t too_high[] = {4, 0xF4, 0x90, 0x80, 0x80};
    cr_assert_not(name_ok(too_high, sizeof too_high, &err));
    static const uint8_t lone_cont[] = {1, 0x80};
    cr_assert_not(name_ok(lone_cont, sizeof lone_cont, &err));
    static const uint8_t bad_lead[] = {1, 0xFF};
    cr_assert_not(name_ok(bad_lead, sizeof bad_lead, &err));
    cr_assert_str_eq(err.message, "malformed UTF-8 encoding");
    cr_assert_eq(err.offset, 1);
}

Test(reader, name_length_out_of_bounds) {
    READER(5, 'a', 'b');
    const char *s;
    uint32_t len;
    cr_assert_not(w2n_read_name(&r, &s, &len));
    cr_assert_str_eq(err.message, "length out of bounds");
}

Test(reader, vec_len_guards_allocation) {
    READER(0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 1, 2, 3);
    uint32_t n;
    cr_assert_not(w2n_read_vec_len(&r, 1, &n), "a count of 2^32-1 with 3 bytes left");
    static const uint8_t small[] = {3, 1, 2, 3};
    w2n_reader r2 = rd(small, sizeof small, &err);
    cr_assert(w2n_read_vec_len(&r2, 1, &n));
    cr_assert_eq(n, 3);
    r2 = rd(small, sizeof small, &err);
    cr_assert_not(w2n_read_vec_len(&r2, 2, &n), "3 items of >= 2 bytes cannot fit in 3 bytes");
}

Test(reader, sub_reader_bounds_and_offsets) {
    READER(1, 2, 3, 4, 5);
    uint8_t b;
    cr_assert(w2n_read_u8(&r, &b));
    w2n_reader sub;
    cr_assert(w2n_reader_sub(&r, 2, &sub));
    cr_assert_eq(w2n_reader_offset(&sub), 1);
    cr_assert_eq(w2n_reader_left(&sub), 2);
    cr_assert_eq(w2n_reader_offset(&r), 3);
    cr_assert(w2n_read_u8(&sub, &b));
    cr_assert_eq(b, 2);
    cr_assert(w2n_read_u8(&sub, &b));
    cr_assert_eq(b, 3);
    cr_assert_not(w2n_read_u8(&sub, &b), "the sub-reader ends before the parent");
    cr_assert_eq(err.offset, 3);
    cr_assert_not(w2n_reader_sub(&r, 3, &sub));
    cr_assert_str_eq(err.message, "length out of bounds");
}

Test(reader, read_bytes) {
    READER(1, 2, 3);
    const uint8_t *p;
    cr_assert(w2n_read_bytes(&r, 2, &p));
    cr_assert_eq(p[1], 2);
    cr_assert_not(w2n_read_bytes(&r, 2, &p));
    cr_assert_str_eq(err.message, "unexpected end");
}
