/*
 * test_dwarf_line.c — the DWARF line-program decoder (common/dwarf_line.c):
 * hand-assembled DWARF 4 and 5 programs decode to the rows the standard's
 * state machine gives, lookups find the covering row (sequences of dropped
 * functions may overlap real ones), and malformed programs are errors.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "dwarf_line.h"

typedef struct bytes {
    uint8_t b[512];
    size_t n;
} bytes;

static void put(bytes *o, const void *p, size_t n) {
    memcpy(o->b + o->n, p, n);
    o->n += n;
}
static void u8(bytes *o, uint8_t v) { put(o, &v, 1); }
static void u16(bytes *o, uint16_t v) { put(o, &v, 2); }
static void u32(bytes *o, uint32_t v) { put(o, &v, 4); }
static void u64(bytes *o, uint64_t v) { put(o, &v, 8); }
static void str(bytes *o, const char *s) { put(o, s, strlen(s) + 1); }

static const uint8_t std_lengths[12] = {0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1};

static void set_address(bytes *o, uint64_t a) {
    u8(o, 0);
    u8(o, 9);
    u8(o, 2);
    u64(o, a);
}
static void end_sequence(bytes *o) {
    u8(o, 0);
    u8(o, 1);
    u8(o, 1);
}

/* unit_length, version, [v5: sizes], header_length, the header, program. */
static void unit(bytes *out, unsigned version, const bytes *tables, const bytes *program) {
    bytes h = {0};
    u8(&h, 1);    /* minimum instruction length */
    u8(&h, 1);    /* maximum operations per instruction */
    u8(&h, 1);    /* default is_stmt */
    u8(&h, 0xfb); /* line_base -5 */
    u8(&h, 14);   /* line_range */
    u8(&h, 13);   /* opcode_base */
    put(&h, std_lengths, sizeof std_lengths);
    put(&h, tables->b, tables->n);
    size_t rest = 2 + (version >= 5 ? 2 : 0) + 4 + h.n + program->n;
    u32(out, (uint32_t)rest);
    u16(out, (uint16_t)version);
    if (version >= 5) {
        u8(out, 8);
        u8(out, 0);
    }
    u32(out, (uint32_t)h.n);
    put(out, h.b, h.n);
    put(out, program->b, program->n);
}

static void v4_unit(bytes *out) {
    bytes t = {0}, p = {0};
    str(&t, "src"); /* include_directories[1] */
    u8(&t, 0);
    str(&t, "a.c"); /* file 1: src/a.c */
    u8(&t, 1);
    u8(&t, 0);
    u8(&t, 0);
    str(&t, "b.h"); /* file 2: b.h */
    u8(&t, 0);
    u8(&t, 0);
    u8(&t, 0);
    u8(&t, 0);
    set_address(&p, 0x1000);
    u8(&p, 5); /* set_column 7 */
    u8(&p, 7);
    u8(&p, 3); /* advance_line +9: line 10 */
    u8(&p, 9);
    u8(&p, 1);                     /* copy: 0x1000 a.c:10:7 */
    u8(&p, (1 + 5) + 14 * 4 + 13); /* special: +4 bytes, +1 line: 0x1004 :11 */
    u8(&p, 4);                     /* set_file 2 */
    u8(&p, 2);
    u8(&p, 2); /* advance_pc 8 */
    u8(&p, 8);
    u8(&p, 1); /* copy: 0x100c b.h:11 */
    u8(&p, 9); /* fixed_advance_pc 4: 0x1010 */
    u16(&p, 4);
    end_sequence(&p);
    /* A dropped function's sequence at 0, reaching over the one above. */
    set_address(&p, 0);
    u8(&p, 1); /* copy: 0 a.c:1 */
    u8(&p, 2); /* advance_pc 0x2000 */
    u8(&p, 0x80);
    u8(&p, 0x40);
    end_sequence(&p);
    unit(out, 4, &t, &p);
}

Test(dwarf_line, v4_rows_and_files) {
    bytes s = {0};
    v4_unit(&s);
    w2n_line_table t = {0};
    w2n_error err;
    cr_assert_eq(w2n_line_table_decode(s.b, s.n, NULL, &t, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(t.nfiles, 2);
    cr_assert_str_eq(t.files[0], "src/a.c");
    cr_assert_str_eq(t.files[1], "b.h");
    cr_assert_eq(t.nrows, 6);
    w2n_line_table_sort(&t);
    const w2n_line_row *r = w2n_line_table_find(&t, 0x1000);
    cr_assert(r && r->line == 10 && r->column == 7 && r->file == 0);
    r = w2n_line_table_find(&t, 0x1007);
    cr_assert(r && r->line == 11 && r->file == 0 && r->address == 0x1004);
    r = w2n_line_table_find(&t, 0x100f);
    cr_assert(r && r->line == 11 && r->file == 1);
    r = w2n_line_table_find(&t, 0x1010); /* past its sequence: the overlapping one */
    cr_assert(r && r->line == 1 && r->address == 0);
    cr_assert_null(w2n_line_table_find(&t, 0x2000));
    w2n_line_table_free(&t);
}

Test(dwarf_line, v5_file_table) {
    bytes t = {0}, p = {0}, s = {0};
    u8(&t, 1); /* directory format: path as a string */
    u8(&t, 1);
    u8(&t, 0x08);
    u8(&t, 1); /* one directory */
    str(&t, "/src");
    u8(&t, 2); /* file format: path string, directory index data1 */
    u8(&t, 1);
    u8(&t, 0x08);
    u8(&t, 2);
    u8(&t, 0x0b);
    u8(&t, 1); /* one file, index 0 */
    str(&t, "m.c");
    u8(&t, 0);
    set_address(&p, 0x40);
    u8(&p, 4); /* set_file 0 (DWARF 5 counts from 0) */
    u8(&p, 0);
    u8(&p, 1);
    u8(&p, 2);
    u8(&p, 6);
    end_sequence(&p);
    unit(&s, 5, &t, &p);
    w2n_line_table table = {0};
    w2n_error err;
    cr_assert_eq(w2n_line_table_decode(s.b, s.n, NULL, &table, &err), W2N_OK, "%s", err.message);
    w2n_line_table_sort(&table);
    const w2n_line_row *r = w2n_line_table_find(&table, 0x45);
    cr_assert(r && r->line == 1 && r->file == 0);
    cr_assert_str_eq(table.files[r->file], "/src/m.c");
    w2n_line_table_free(&table);
}

Test(dwarf_line, malformed_is_an_error) {
    bytes s = {0};
    v4_unit(&s);
    w2n_error err;
    for (size_t cut = 1; cut < s.n; cut += 7) {
        w2n_line_table t = {0};
        bytes c = s;
        c.n = cut; /* the unit length now runs past the end */
        cr_assert_neq(w2n_line_table_decode(c.b, c.n, NULL, &t, &err), W2N_OK, "cut at %zu", cut);
        w2n_line_table_free(&t);
    }
    s.b[4] = 9; /* version 9 */
    w2n_line_table t = {0};
    cr_assert_neq(w2n_line_table_decode(s.b, s.n, NULL, &t, &err), W2N_OK);
    w2n_line_table_free(&t);
}
