/*
 * test_byte_cursor.c — the bounds-checked reader the runtime uses on the
 * binary tables of untrusted objects (common/byte_cursor.c): LEB128 and
 * fixed-width values decode as the DWARF standard says, and every way of
 * running off the end, or past 64 bits, fails and stays failed.
 */
#include <criterion/criterion.h>

#include "byte_cursor.h"

Test(byte_cursor, leb128_values) {
    /* 624485 = e5 8e 26; -123456 = c0 bb 78; 127 = ff 00 (padded); -1 = 7f */
    static const uint8_t b[] = {0xe5, 0x8e, 0x26, 0xc0, 0xbb, 0x78, 0xff, 0x00, 0x7f};
    w2n_byte_cursor c = w2n_byte_cursor_of(b, sizeof b);
    cr_expect_eq(w2n_cursor_uleb(&c), 624485);
    cr_expect_eq(w2n_cursor_sleb(&c), -123456);
    cr_expect_eq(w2n_cursor_uleb(&c), 127);
    cr_expect_eq(w2n_cursor_sleb(&c), -1);
    cr_expect(!c.failed);
    cr_expect_eq(c.p, c.end);
}

Test(byte_cursor, the_widest_leb128_values) {
    static const uint8_t max[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
    w2n_byte_cursor c = w2n_byte_cursor_of(max, sizeof max);
    cr_expect_eq(w2n_cursor_uleb(&c), UINT64_MAX);
    cr_expect(!c.failed);
    static const uint8_t min[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f};
    c = w2n_byte_cursor_of(min, sizeof min);
    cr_expect_eq(w2n_cursor_sleb(&c), INT64_MIN);
    cr_expect(!c.failed);
}

Test(byte_cursor, leb128_past_64_bits_fails) {
    static const uint8_t b[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
    w2n_byte_cursor c = w2n_byte_cursor_of(b, sizeof b);
    cr_expect_eq(w2n_cursor_uleb(&c), 0);
    cr_expect(c.failed);
}

Test(byte_cursor, truncated_leb128_fails_and_stays_failed) {
    static const uint8_t b[] = {0x80, 0x80};
    w2n_byte_cursor c = w2n_byte_cursor_of(b, sizeof b);
    w2n_cursor_sleb(&c);
    cr_expect(c.failed);
    c.p = b; /* even with bytes to read again, a failed cursor reads nothing */
    cr_expect_eq(w2n_cursor_fixed(&c, 1), 0);
    cr_expect(c.failed);
}

Test(byte_cursor, fixed_is_little_endian_and_bounded) {
    static const uint8_t b[] = {0x01, 0x02, 0x03, 0x04, 0x05};
    w2n_byte_cursor c = w2n_byte_cursor_of(b, sizeof b);
    cr_expect_eq(w2n_cursor_fixed(&c, 2), 0x0201);
    cr_expect_eq(w2n_cursor_fixed(&c, 4), 0);
    cr_expect(c.failed);
    c = w2n_byte_cursor_of(b, sizeof b);
    cr_expect_eq(w2n_cursor_fixed(&c, 9), 0, "wider than 64 bits");
    cr_expect(c.failed);
}

Test(byte_cursor, cstring_needs_its_nul_inside) {
    static const char b[] = {'a', 'b', 0, 'c', 'd'};
    w2n_byte_cursor c = w2n_byte_cursor_of(b, sizeof b);
    cr_expect_str_eq(w2n_cursor_cstring(&c), "ab");
    cr_expect_str_eq(w2n_cursor_cstring(&c), "");
    cr_expect(c.failed);
}

Test(byte_cursor, align_skips_to_the_boundary) {
    static const uint8_t b[16] = {0};
    w2n_byte_cursor c = w2n_byte_cursor_of(b, sizeof b);
    w2n_cursor_fixed(&c, 3);
    w2n_cursor_align(&c, b, 8);
    cr_expect_eq(c.p, b + 8);
    w2n_cursor_align(&c, b, 8);
    cr_expect_eq(c.p, b + 8, "already aligned");
    c = w2n_byte_cursor_of(b, 12);
    w2n_cursor_fixed(&c, 9);
    w2n_cursor_align(&c, b, 8); /* 16 is past the end */
    cr_expect(c.failed);
}
