/*
 * test_rt_lsda.c — the personality routine's LSDA reader (runtime/loader/lsda.c) on
 * hand-written tables: the call-site encodings LLVM writes (uleb128 on
 * x86-64 and AArch64, udata4 on RISC-V, where relaxation makes them
 * ADD32/SUB32 pairs), entries without a pad, an ip outside every entry, an
 * explicit lpstart, and truncated or corrupt tables, which find no pad.
 */
#include <criterion/criterion.h>

#include "unwind_tables.h"

#define FUNC ((uintptr_t)0x10000)

static bool pad_at(const uint8_t *lsda, size_t size, uintptr_t offset, uintptr_t *pad) {
    *pad = 0;
    return w2n_lsda_landing_pad(lsda, size, FUNC, FUNC + offset, pad);
}

/* lpstart omitted, no type table, uleb128 call sites:
 * [0x10, 0x20) pad 0x80; [0x20, 0x30) no pad; [0x40, 0x48) pad 0x90. */
static const uint8_t uleb_table[] = {
    0xFF, 0xFF, 0x01, 14,   0x10, 0x10, 0x80, 0x01, 0x00,
    0x20, 0x10, 0x00, 0x00, 0x40, 0x08, 0x90, 0x01, 0x00,
};

Test(lsda, uleb128_call_sites) {
    uintptr_t pad;
    cr_assert(pad_at(uleb_table, sizeof uleb_table, 0x10, &pad));
    cr_assert_eq(pad, FUNC + 0x80);
    cr_assert(pad_at(uleb_table, sizeof uleb_table, 0x1F, &pad));
    cr_assert_eq(pad, FUNC + 0x80);
    cr_assert_not(pad_at(uleb_table, sizeof uleb_table, 0x24, &pad)); /* entry without a pad */
    cr_assert_not(pad_at(uleb_table, sizeof uleb_table, 0x0F, &pad)); /* before every entry */
    cr_assert_not(pad_at(uleb_table, sizeof uleb_table, 0x30, &pad)); /* in a gap */
    cr_assert(pad_at(uleb_table, sizeof uleb_table, 0x47, &pad));
    cr_assert_eq(pad, FUNC + 0x90);
    cr_assert_not(pad_at(uleb_table, sizeof uleb_table, 0x48, &pad)); /* past the last */
}

Test(lsda, udata4_call_sites_and_type_table) {
    /* A type table offset (skipped), udata4 entries: [0x100, 0x140) pad 0x200. */
    static const uint8_t t[] = {
        0xFF, 0x9B, 0x05, 0x03, 13,   0x00, 0x01, 0x00, 0x00,
        0x40, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x01,
    };
    uintptr_t pad;
    cr_assert(pad_at(t, sizeof t, 0x120, &pad));
    cr_assert_eq(pad, FUNC + 0x200);
    cr_assert_not(pad_at(t, sizeof t, 0x140, &pad));
}

Test(lsda, explicit_lpstart) {
    /* lpstart udata8 0x50000: pads are relative to it, ranges to the function. */
    static const uint8_t t[] = {
        0x04, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0x01, 4, 0x00, 0x08, 0x10, 0x00,
    };
    uintptr_t pad;
    cr_assert(pad_at(t, sizeof t, 0x4, &pad));
    cr_assert_eq(pad, (uintptr_t)0x50000 + 0x10);
}

Test(lsda, truncated_or_corrupt_finds_nothing) {
    uintptr_t pad;
    for (size_t n = 0; n < sizeof uleb_table - 4; n++)
        cr_assert_not(pad_at(uleb_table, n, 0x44, &pad), "truncated at %zu", n);
    /* a call-site table longer than the bytes there */
    static const uint8_t long_table[] = {0xFF, 0xFF, 0x01, 0x7F, 0x10, 0x10, 0x80, 0x01, 0x00};
    cr_assert_not(pad_at(long_table, sizeof long_table, 0x10, &pad));
    /* an encoding the reader does not know */
    static const uint8_t bad_enc[] = {0xFF, 0xFF, 0x07, 4, 0x10, 0x10, 0x80, 0x00};
    cr_assert_not(pad_at(bad_enc, sizeof bad_enc, 0x10, &pad));
    /* a uleb128 that never ends */
    static const uint8_t endless[] = {0xFF, 0xFF, 0x01, 3, 0x80, 0x80, 0x80};
    cr_assert_not(pad_at(endless, sizeof endless, 0x10, &pad));
    cr_assert_not(w2n_lsda_landing_pad(NULL, 0, FUNC, FUNC, &pad));
}
