/*
 * test_validate.c — the validator: the operand/control stack algorithm on
 * small hand-encoded bodies (type mismatches, labels, unreachable code,
 * br_table, select, SIMD lanes, alignment) and the module-level rules
 * (limits, multiple memories, exports, start, constant expressions, C.refs,
 * data count).  Modules are built as byte arrays here.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "module.h"
#include "w2n/compiler.h"
#include "module_kit.h"

/* A module with one function of type (params) -> (results), no locals,
 * the given body (ending with 0x0B), one memory of one page, one funcref
 * table of 1 (both 64-bit when `is64`: memory64, table64), and a data count
 * of 1 with one passive data segment. */
static w2n_status body_check_in(const char *params, const char *results, const uint8_t *body,
                                size_t n, bool is64, w2n_error *err) {
    buf o, t = {0}, c = {0};
    header(&o);
    uint8_t head[2] = {1, 0x60}; /* one type, a function type */
    put(&t, head, 2);
    put_u32(&t, (uint32_t)strlen(params));
    put(&t, params, strlen(params));
    put_u32(&t, (uint32_t)strlen(results));
    put(&t, results, strlen(results));
    section(&o, 1, t.b, t.n);
    SEC(&o, 3, 1, 0); /* one function of type 0 */
    if (is64) {
        SEC(&o, 4, 1, 0x70, 4, 1); /* table i64 funcref min 1 */
        SEC(&o, 5, 1, 4, 1);       /* memory i64 min 1 */
    } else {
        SEC(&o, 4, 1, 0x70, 0, 1); /* table funcref min 1 */
        SEC(&o, 5, 1, 0, 1);       /* memory min 1 */
    }
    SEC(&o, 12, 1); /* data count 1 */
    put_u32(&c, 1);
    put_u32(&c, (uint32_t)n + 1);
    uint8_t zero = 0;
    put(&c, &zero, 1); /* no locals */
    put(&c, body, n);
    section(&o, 10, c.b, c.n);
    SEC(&o, 11, 1, 1, 0); /* one passive, empty data segment */
    memset(err, 0, sizeof *err);
    return w2n_validate(o.b, o.n, err);
}

static w2n_status body_check(const char *params, const char *results, const uint8_t *body, size_t n,
                             w2n_error *err) {
    return body_check_in(params, results, body, n, false, err);
}

#define BODY_OK(params, results, ...)                                      \
    do {                                                                   \
        static const uint8_t b_[] = {__VA_ARGS__};                         \
        w2n_error e_;                                                      \
        w2n_status st_ = body_check(params, results, b_, sizeof b_, &e_);  \
        cr_assert_eq(st_, W2N_OK, "expected valid, got '%s'", e_.message); \
    } while (0)

/* The same with a 64-bit memory and table: OK64 valid, BAD64 a type mismatch. */
#define BODY64(want, params, results, ...)                                         \
    do {                                                                           \
        static const uint8_t b_[] = {__VA_ARGS__};                                 \
        w2n_error e_;                                                              \
        w2n_status st_ = body_check_in(params, results, b_, sizeof b_, true, &e_); \
        cr_assert_eq(st_, (want), "status %d, message '%s'", st_, e_.message);     \
    } while (0)
#define OK64(params, results, ...) BODY64(W2N_OK, params, results, __VA_ARGS__)
#define BAD64(params, results, ...) BODY64(W2N_ERR_INVALID, params, results, __VA_ARGS__)

#define BODY_BAD(code, msg, params, results, ...)                            \
    do {                                                                     \
        static const uint8_t b_[] = {__VA_ARGS__};                           \
        w2n_error e_;                                                        \
        w2n_status st_ = body_check(params, results, b_, sizeof b_, &e_);    \
        cr_assert_eq(st_, code, "status %d, message '%s'", st_, e_.message); \
        cr_assert_str_eq(e_.message, msg);                                   \
        cr_assert_eq(e_.func_index, 0);                                      \
    } while (0)

#define I32 "\x7f"
#define I64 "\x7e"
#define F32 "\x7d"
#define V128 "\x7b"

Test(validate, add_ok) { BODY_OK(I32 I32, I32, 0x20, 0, 0x20, 1, 0x6A, 0x0B); }

Test(validate, type_mismatch_operand) {
    BODY_BAD(W2N_ERR_INVALID, "type mismatch", I32 I64, I32, 0x20, 0, 0x20, 1, 0x6A, 0x0B);
}

/* The error names the rejected instruction from the opcode table, and
 * w2n_error_format puts it with the function and offset before the spec's
 * words, which stay alone in `message`. */
Test(validate, error_names_the_instruction) {
    static const uint8_t body[] = {0x20, 0, 0x20, 1, 0x6A, 0x0B};
    w2n_error e;
    cr_assert_eq(body_check(I32 I64, I32, body, sizeof body, &e), W2N_ERR_INVALID);
    cr_assert_str_eq(e.message, "type mismatch");
    cr_assert(e.instruction != NULL);
    cr_assert_str_eq(e.instruction, "i32.add");
    char text[W2N_ERROR_TEXT_SIZE];
    char want[64];
    snprintf(want, sizeof want, "function 0, offset 0x%llx: i32.add: type mismatch",
             (unsigned long long)e.offset);
    cr_assert_str_eq(w2n_error_format(&e, text, sizeof text), want);

    static const uint8_t leftover[] = {0x41, 1, 0x0B}; /* i32.const 1 in a function of no results */
    cr_assert_eq(body_check("", "", leftover, sizeof leftover, &e), W2N_ERR_INVALID);
    cr_assert_str_eq(e.instruction, "end");

    /* local.get whose index takes six LEB128 bytes: malformed, still named. */
    static const uint8_t too_long[] = {0x20, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0B};
    cr_assert_eq(body_check(I32, I32, too_long, sizeof too_long, &e), W2N_ERR_MALFORMED);
    cr_assert(e.instruction && !strcmp(e.instruction, "local.get"), "%s", e.message);

    w2n_error plain;
    w2n_error_set(&plain, W2N_ERR_MALFORMED, 0x2a, "unexpected end");
    cr_assert_null(plain.instruction);
    cr_assert_str_eq(w2n_error_format(&plain, text, sizeof text), "offset 0x2a: unexpected end");
    w2n_error_set(&plain, W2N_ERR_IO, W2N_NO_OFFSET, "cannot read x");
    cr_assert_str_eq(w2n_error_format(&plain, text, sizeof text), "cannot read x");
}

Test(validate, stack_underflow_and_leftovers) {
    BODY_BAD(W2N_ERR_INVALID, "type mismatch", "", I32, 0x6A, 0x0B);
    BODY_BAD(W2N_ERR_INVALID, "type mismatch", "", "", 0x41, 1, 0x0B);
    BODY_BAD(W2N_ERR_INVALID, "type mismatch", "", I32, 0x0B);
}

Test(validate, unknown_local_and_global) {
    BODY_BAD(W2N_ERR_INVALID, "unknown local 1", I32, I32, 0x20, 1, 0x0B);
    BODY_BAD(W2N_ERR_INVALID, "unknown global 0", "", I32, 0x23, 0, 0x0B);
}

Test(validate, unknown_label) {
    BODY_BAD(W2N_ERR_INVALID, "unknown label", "", "", 0x0C, 1, 0x0B);
    BODY_OK("", "", 0x02, 0x40, 0x0C, 1, 0x0B, 0x0B);
}

/* The legacy exception instructions: try 0x06, catch 0x07, rethrow 0x09,
 * delegate 0x18, catch_all 0x19 (the module has no tags). */
Test(validate, legacy_exceptions) {
    BODY_OK("", "", 0x06, 0x40, 0x19, 0x0B, 0x0B);
    /* Each part of a try gives its results; a catch_all body starts empty. */
    BODY_OK("", I32, 0x06, 0x7F, 0x41, 1, 0x19, 0x41, 2, 0x0B, 0x0B);
    BODY_BAD(W2N_ERR_INVALID, "type mismatch", "", I32, 0x06, 0x7F, 0x41, 1, 0x19, 0x0B, 0x0B);
    BODY_BAD(W2N_ERR_INVALID, "unknown tag 0", "", "", 0x06, 0x40, 0x07, 0, 0x0B, 0x0B);
    BODY_BAD(W2N_ERR_MALFORMED, "catch without matching try", "", "", 0x07, 0, 0x0B);
    BODY_BAD(W2N_ERR_MALFORMED, "catch_all without matching try", "", "", 0x06, 0x40, 0x19, 0x19,
             0x0B, 0x0B);
    /* delegate ends the try; its label counts from outside it. */
    BODY_OK("", I32, 0x06, 0x7F, 0x41, 1, 0x18, 0, 0x0B);
    BODY_BAD(W2N_ERR_INVALID, "unknown label", "", "", 0x06, 0x40, 0x18, 1, 0x0B);
    BODY_BAD(W2N_ERR_MALFORMED, "delegate without matching try", "", "", 0x06, 0x40, 0x19, 0x18, 0,
             0x0B);
    /* rethrow names a catch body, from inside it or a block within. */
    BODY_OK("", "", 0x06, 0x40, 0x19, 0x09, 0, 0x0B, 0x0B);
    BODY_OK("", "", 0x06, 0x40, 0x19, 0x02, 0x40, 0x09, 1, 0x0B, 0x0B, 0x0B);
    BODY_BAD(W2N_ERR_INVALID, "invalid rethrow label", "", "", 0x09, 0, 0x0B);
    BODY_BAD(W2N_ERR_INVALID, "invalid rethrow label", "", "", 0x06, 0x40, 0x09, 0, 0x0B, 0x0B);
    BODY_BAD(W2N_ERR_INVALID, "invalid rethrow label", "", "", 0x06, 0x40, 0x19, 0x02, 0x40, 0x09,
             0, 0x0B, 0x0B, 0x0B);
}

Test(validate, unreachable_is_polymorphic) {
    /* unreachable; i32.add; drop: operands come from the polymorphic stack. */
    BODY_OK("", "", 0x00, 0x6A, 0x1A, 0x0B);
    BODY_OK("", I32, 0x00, 0x0B);
    /* ...but a known wrong type is still a mismatch. */
    BODY_BAD(W2N_ERR_INVALID, "type mismatch", "", I32, 0x00, 0x42, 0, 0x0B);
}

Test(validate, block_results) {
    BODY_OK("", I32, 0x02, 0x7F, 0x41, 1, 0x0B, 0x0B);
    BODY_BAD(W2N_ERR_INVALID, "type mismatch", "", I32, 0x02, 0x7F, 0x0B, 0x0B);
    /* loop branches go to the start: br 0 in a loop carries its params (none). */
    BODY_OK("", "", 0x03, 0x40, 0x0C, 0, 0x0B, 0x0B);
}

Test(validate, if_without_else_must_pass_through) {
    BODY_BAD(W2N_ERR_INVALID, "type mismatch", "", I32, 0x41, 1, 0x04, 0x7F, 0x41, 1, 0x0B, 0x0B);
    BODY_OK("", I32, 0x41, 1, 0x04, 0x7F, 0x41, 1, 0x05, 0x41, 2, 0x0B, 0x0B);
}

Test(validate, br_table_arity) {
    /* block (result i32) block: br_table 0 1 with different arities. */
    BODY_BAD(W2N_ERR_INVALID, "type mismatch", "", I32, 0x02, 0x7F, 0x02, 0x40, 0x41, 0, 0x41, 0,
             0x0E, 1, 0, 1, 0x0B, 0x41, 0, 0x0B, 0x0B);
    BODY_OK("", I32, 0x02, 0x7F, 0x41, 7, 0x41, 0, 0x0E, 1, 0, 1, 0x0B, 0x0B);
}

Test(validate, select_rules) {
    BODY_OK("", I32, 0x41, 1, 0x41, 2, 0x41, 0, 0x1B, 0x0B);
    BODY_BAD(W2N_ERR_INVALID, "type mismatch", "", I32, 0x41, 1, 0x42, 2, 0x41, 0, 0x1B, 0x0B);
    /* untyped select on references is not allowed */
    BODY_BAD(W2N_ERR_INVALID, "type mismatch", "", "", 0xD0, 0x70, 0xD0, 0x70, 0x41, 0, 0x1B, 0x1A,
             0x0B);
    /* select with a type vector of two */
    BODY_BAD(W2N_ERR_INVALID, "invalid result arity", "", "", 0x41, 1, 0x41, 2, 0x41, 0, 0x1C, 2,
             0x7F, 0x7F, 0x1A, 0x0B);
}

Test(validate, alignment) {
    BODY_OK("", I32, 0x41, 0, 0x28, 2, 0, 0x0B);
    BODY_BAD(W2N_ERR_INVALID, "alignment must not be larger than natural", "", I32, 0x41, 0, 0x28,
             3, 0, 0x0B);
    BODY_BAD(W2N_ERR_MALFORMED, "malformed memop flags", "", I32, 0x41, 0, 0x28, 0x20, 0, 0x0B);
    /* Bit 6: a memory index follows (multi-memory); index 0 is memory 0. */
    BODY_OK("", I32, 0x41, 0, 0x28, 0x42, 0, 0, 0x0B);
    /* Index 1 of a module with one memory. */
    BODY_BAD(W2N_ERR_INVALID, "unknown memory 1", "", I32, 0x41, 0, 0x28, 0x42, 1, 0, 0x0B);
}

Test(validate, simd_lanes) {
    /* v128.const 0; i8x16.extract_lane_s 15 / 16 */
    BODY_OK("", I32, 0xFD, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFD, 21, 15, 0x0B);
    BODY_BAD(W2N_ERR_INVALID, "invalid lane index", "", I32, 0xFD, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
             0, 0, 0, 0, 0, 0, 0xFD, 21, 16, 0x0B);
    BODY_BAD(W2N_ERR_INVALID, "invalid lane index", V128, V128, 0x20, 0, 0x20, 0, 0xFD, 13, 0, 1, 2,
             3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 32, 0x0B);
    /* i64x2.extract_lane gives an i64 */
    BODY_BAD(W2N_ERR_INVALID, "type mismatch", V128, I32, 0x20, 0, 0xFD, 29, 1, 0x0B);
    /* v128.load64_lane align 3 lane 1 ok, lane 2 bad */
    BODY_OK(V128, V128, 0x41, 0, 0x20, 0, 0xFD, 87, 3, 0, 1, 0x0B);
    BODY_BAD(W2N_ERR_INVALID, "invalid lane index", V128, V128, 0x41, 0, 0x20, 0, 0xFD, 87, 3, 0, 2,
             0x0B);
}

Test(validate, simd_shapes) {
    BODY_OK(V128 I32, V128, 0x20, 0, 0x20, 1, 0xFD, 107, 0x0B); /* i8x16.shl */
    BODY_OK(V128, I32, 0x20, 0, 0xFD, 99, 0x0B);                /* i8x16.all_true */
    BODY_OK(V128 V128 V128, V128, 0x20, 0, 0x20, 1, 0x20, 2, 0xFD, 82, 0x0B);
    BODY_BAD(W2N_ERR_INVALID, "type mismatch", V128, V128, 0x20, 0, 0xFD, 99, 0x0B);
    BODY_BAD(W2N_ERR_MALFORMED, "illegal opcode", V128, V128, 0x20, 0, 0xFD, 154, 1, 0x0B);
}

Test(validate, memory_and_globals) {
    BODY_OK("", I32, 0x3F, 0, 0x0B);
    /* The memory index is a LEB128 u32 (multi-memory), a long zero included. */
    BODY_OK("", I32, 0x3F, 0x80, 0x00, 0x0B);
    BODY_BAD(W2N_ERR_INVALID, "unknown memory 1", "", I32, 0x3F, 1, 0x0B);
    /* memory.copy 0 1 and memory.init 0 of memory 2: both indices are checked. */
    BODY_BAD(W2N_ERR_INVALID, "unknown memory 1", "", "", 0x41, 0, 0x41, 0, 0x41, 0, 0xFC, 0x0A, 0,
             1, 0x0B);
    BODY_BAD(W2N_ERR_INVALID, "unknown memory 1", "", "", 0x41, 0, 0x41, 0, 0x41, 0, 0xFC, 0x0A, 1,
             0, 0x0B);
    BODY_BAD(W2N_ERR_INVALID, "unknown memory 1", "", "", 0x41, 0, 0x41, 0, 0x41, 0, 0xFC, 0x0B, 1,
             0x0B);
}

Test(validate, data_and_elem_segments) {
    BODY_OK("", "", 0xFC, 9, 0, 0x0B);
    BODY_BAD(W2N_ERR_INVALID, "unknown data segment 1", "", "", 0xFC, 9, 1, 0x0B);
    BODY_BAD(W2N_ERR_INVALID, "unknown elem segment 0", "", "", 0xFC, 13, 0, 0x0B);
}

Test(validate, ref_func_needs_declaration) {
    BODY_BAD(W2N_ERR_INVALID, "undeclared function reference", "", "", 0xD2, 0, 0x1A, 0x0B);
    BODY_BAD(W2N_ERR_INVALID, "unknown function 5", "", "", 0xD2, 5, 0x1A, 0x0B);
}

Test(validate, call_indirect) {
    BODY_OK("", "", 0x41, 0, 0x11, 0, 0, 0x0B);
    BODY_BAD(W2N_ERR_INVALID, "unknown table 1", "", "", 0x41, 0, 0x11, 0, 1, 0x0B);
    BODY_BAD(W2N_ERR_INVALID, "unknown type 3", "", "", 0x41, 0, 0x11, 3, 0, 0x0B);
}

Test(validate, missing_end_is_malformed) {
    BODY_BAD(W2N_ERR_MALFORMED, "END opcode expected", "", "", 0x02, 0x40, 0x0B);
}

/* memory64/table64: every address and table index is an i64, memory.size
 * and grow and table.size and grow give i64, lengths between a 64-bit and a
 * 32-bit table are i32; the i32 forms are type mismatches. */
Test(validate, memory64_operand_types) {
    OK64(I64, I32, 0x20, 0, 0x28, 2, 0, 0x0B);         /* i32.load (i64) */
    BAD64(I32, I32, 0x20, 0, 0x28, 2, 0, 0x0B);        /* i32.load (i32) */
    OK64(I64, "", 0x20, 0, 0x42, 1, 0x37, 3, 0, 0x0B); /* i64.store (i64, i64) */
    OK64("", I64, 0x3F, 0, 0x0B);                      /* memory.size -> i64 */
    BAD64("", I32, 0x3F, 0, 0x0B);
    OK64(I64, I64, 0x20, 0, 0x40, 0, 0x0B);                        /* memory.grow i64 -> i64 */
    OK64(I64, "", 0x20, 0, 0x41, 0, 0x20, 0, 0xFC, 0x0B, 0, 0x0B); /* memory.fill i64 i32 i64 */
    BAD64(I64, "", 0x20, 0, 0x20, 0, 0x20, 0, 0xFC, 0x0B, 0, 0x0B);
    OK64(I64, "", 0x20, 0, 0x20, 0, 0x20, 0, 0xFC, 0x0A, 0, 0, 0x0B); /* memory.copy i64 x3 */
    OK64(I64, "", 0x20, 0, 0x41, 0, 0x41, 0, 0xFC, 0x08, 0, 0, 0x0B); /* memory.init i64 i32 i32 */
    OK64(I64, "", 0x20, 0, 0x20, 0, 0xFD, 0x00, 4, 0, 0xFD, 0x0B, 4, 0, 0x0B); /* v128 load/store */
    OK64(I64, I32, 0x20, 0, 0x25, 0, 0xD1, 0x0B); /* ref.is_null (table.get i64) */
    BAD64(I32, I32, 0x20, 0, 0x25, 0, 0xD1, 0x0B);
    OK64("", I64, 0xFC, 0x10, 0, 0x0B);                       /* table.size -> i64 */
    OK64(I64, I64, 0xD0, 0x70, 0x20, 0, 0xFC, 0x0F, 0, 0x0B); /* table.grow -> i64 */
    /* call_indirect of the function's own type [i64] -> [] through index i64 */
    OK64(I64, "", 0x20, 0, 0x20, 0, 0x11, 0, 0, 0x0B);
    BAD64(I64, "", 0x20, 0, 0x41, 0, 0x11, 0, 0, 0x0B);
}

/* A memarg offset is a u64; past 2^32 - 1 only for a 64-bit memory. */
Test(validate, memarg_offset_range) {
    OK64(I64, I32, 0x20, 0, 0x28, 2, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01,
         0x0B);
    BODY_OK(I32, I32, 0x20, 0, 0x28, 2, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x0B);
    BODY_BAD(W2N_ERR_INVALID, "offset out of range", I32, I32, 0x20, 0, 0x28, 2, 0x80, 0x80, 0x80,
             0x80, 0x10, 0x0B);
}

/* ---- module-level rules ------------------------------------------------- */

static w2n_status check(const buf *o, w2n_error *err) {
    memset(err, 0, sizeof *err);
    return w2n_validate(o->b, o->n, err);
}

#define EXPECT(o, code, msg)                                                 \
    do {                                                                     \
        w2n_error e_;                                                        \
        w2n_status st_ = check((o), &e_);                                    \
        cr_assert_eq(st_, code, "status %d, message '%s'", st_, e_.message); \
        if (msg)                                                             \
            cr_assert_str_eq(e_.message, (const char *)(msg));               \
    } while (0)

Test(validate_module, memory_limits) {
    buf o;
    header(&o);
    SEC(&o, 5, 1, 0, 0x81, 0x80, 0x04); /* min 65537 */
    EXPECT(&o, W2N_ERR_INVALID, "memory size must be at most 65536 pages (4GiB)");
    header(&o);
    SEC(&o, 5, 1, 1, 2, 1); /* min 2 > max 1 */
    EXPECT(&o, W2N_ERR_INVALID, "size minimum must not be greater than maximum");
    header(&o);
    SEC(&o, 5, 1, 1, 0, 0x80, 0x80, 0x04); /* max 65536 */
    EXPECT(&o, W2N_OK, NULL);
}

Test(validate_module, memory64_limits_and_offsets) {
    buf o;
    header(&o);
    SEC(&o, 5, 1, 5, 0x80, 0x80, 0x04, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40); /* 2^16..2^48 */
    EXPECT(&o, W2N_OK, NULL);
    header(&o);
    SEC(&o, 5, 1, 4, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40); /* min 2^48 + 1 */
    EXPECT(&o, W2N_ERR_INVALID, "memory size must be at most 2^48 pages");
    header(&o);
    SEC(&o, 4, 1, 0x70, 4, 0x80, 0x80, 0x80, 0x80, 0x10); /* table i64 min 2^32 */
    EXPECT(&o, W2N_OK, NULL);
    /* An active data segment's offset has its memory's index type. */
    header(&o);
    SEC(&o, 5, 1, 4, 1);
    SEC(&o, 11, 1, 0, 0x42, 0, 0x0B, 0); /* (i64.const 0) */
    EXPECT(&o, W2N_OK, NULL);
    header(&o);
    SEC(&o, 5, 1, 4, 1);
    SEC(&o, 11, 1, 0, 0x41, 0, 0x0B, 0); /* (i32.const 0) */
    EXPECT(&o, W2N_ERR_INVALID, "type mismatch");
    header(&o);
    SEC(&o, 5, 1, 0, 1);
    SEC(&o, 11, 1, 0, 0x42, 0, 0x0B, 0);
    EXPECT(&o, W2N_ERR_INVALID, "type mismatch");
}

Test(validate_module, multiple_memories) {
    buf o;
    header(&o);
    SEC(&o, 2, 1, 1, 'm', 1, 'm', 2, 0, 0);
    SEC(&o, 5, 1, 0, 0);
    EXPECT(&o, W2N_OK, NULL); /* multi-memory, on by default */
}

Test(validate_module, table_limits) {
    buf o;
    header(&o);
    SEC(&o, 4, 1, 0x70, 1, 3, 2);
    EXPECT(&o, W2N_ERR_INVALID, "size minimum must not be greater than maximum");
}

Test(validate_module, duplicate_export) {
    buf o;
    header(&o);
    SEC(&o, 5, 1, 0, 0);
    SEC(&o, 7, 2, 1, 'a', 2, 0, 1, 'a', 2, 0);
    EXPECT(&o, W2N_ERR_INVALID, "duplicate export name");
    header(&o);
    SEC(&o, 5, 1, 0, 0);
    SEC(&o, 7, 2, 2, 'a', 0, 2, 0, 2, 'a', 1, 2, 0); /* "a\0" and "a\1" differ */
    EXPECT(&o, W2N_OK, NULL);
}

Test(validate_module, export_index) {
    buf o;
    header(&o);
    SEC(&o, 7, 1, 1, 'f', 0, 0);
    EXPECT(&o, W2N_ERR_INVALID, "unknown function 0");
}

Test(validate_module, start_function) {
    buf o;
    header(&o);
    SEC(&o, 1, 1, 0x60, 1, 0x7F, 0);
    SEC(&o, 3, 1, 0);
    SEC(&o, 8, 0);
    SEC(&o, 10, 1, 2, 0, 0x0B);
    EXPECT(&o, W2N_ERR_INVALID, "start function");
    header(&o);
    SEC(&o, 8, 0);
    EXPECT(&o, W2N_ERR_INVALID, "unknown function 0");
}

Test(validate_module, global_init) {
    buf o;
    header(&o);
    SEC(&o, 6, 1, 0x7F, 0, 0x42, 0, 0x0B); /* i32 = i64.const */
    EXPECT(&o, W2N_ERR_INVALID, "type mismatch");
    header(&o);
    SEC(&o, 6, 1, 0x7F, 0, 0x41, 0, 0x41, 0, 0x71, 0x0B); /* i32.and */
    EXPECT(&o, W2N_ERR_INVALID, "constant expression required");
    header(&o);
    SEC(&o, 6, 1, 0x7F, 0, 0x0B); /* empty */
    EXPECT(&o, W2N_ERR_INVALID, "type mismatch");
    header(&o);
    SEC(&o, 6, 1, 0x7F, 0, 0x23, 0, 0x0B); /* itself */
    EXPECT(&o, W2N_ERR_INVALID, "unknown global 0");
    header(&o);
    SEC(&o, 6, 2, 0x7F, 0, 0x23, 1, 0x0B, 0x7F, 0, 0x41, 0, 0x0B); /* a later global */
    EXPECT(&o, W2N_ERR_INVALID, "unknown global 1");
    header(&o);
    SEC(&o, 6, 2, 0x7F, 0, 0x41, 0, 0x0B, 0x7F, 0, 0x23, 0, 0x0B); /* an earlier one: 3.0 */
    EXPECT(&o, W2N_OK, NULL);
    header(&o);
    SEC(&o, 6, 2, 0x7F, 1, 0x41, 0, 0x0B, 0x7F, 0, 0x23, 0, 0x0B); /* ... but mutable */
    EXPECT(&o, W2N_ERR_INVALID, "constant expression required");
    header(&o);
    SEC(&o, 2, 1, 0, 1, 'g', 3, 0x7F, 1); /* imported mutable */
    SEC(&o, 6, 1, 0x7F, 0, 0x23, 0, 0x0B);
    EXPECT(&o, W2N_ERR_INVALID, "constant expression required");
    header(&o);
    SEC(&o, 2, 1, 0, 1, 'g', 3, 0x7F, 0); /* imported immutable */
    SEC(&o, 6, 1, 0x7F, 1, 0x23, 0, 0x0B);
    EXPECT(&o, W2N_OK, NULL);
}

/* extended-const: i32/i64 add, sub and mul run on a stack of types. */
Test(validate_module, extended_const) {
    buf o;
    header(&o);
    SEC(&o, 6, 1, 0x7F, 0, 0x41, 1, 0x41, 2, 0x6A, 0x41, 3, 0x6C, 0x0B); /* (1 + 2) * 3 */
    EXPECT(&o, W2N_OK, NULL);
    header(&o);
    SEC(&o, 6, 1, 0x7E, 0, 0x42, 1, 0x42, 2, 0x7D, 0x0B); /* i64.sub */
    EXPECT(&o, W2N_OK, NULL);
    header(&o);
    SEC(&o, 6, 1, 0x7F, 0, 0x41, 1, 0x42, 2, 0x6A, 0x0B); /* i32.add of an i64 */
    EXPECT(&o, W2N_ERR_INVALID, "type mismatch");
    header(&o);
    SEC(&o, 6, 1, 0x7F, 0, 0x41, 1, 0x6A, 0x0B); /* one operand short */
    EXPECT(&o, W2N_ERR_INVALID, "type mismatch");
    header(&o);
    SEC(&o, 6, 1, 0x7F, 0, 0x41, 1, 0x41, 2, 0x0B); /* two values left */
    EXPECT(&o, W2N_ERR_INVALID, "type mismatch");
    header(&o);
    SEC(&o, 6, 1, 0x7E, 0, 0x41, 1, 0x41, 2, 0x6A, 0x0B); /* i32 result for an i64 */
    EXPECT(&o, W2N_ERR_INVALID, "type mismatch");
    header(&o);
    SEC(&o, 6, 1, 0x7F, 0, 0x41, 1, 0x41, 2, 0x6D, 0x0B); /* i32.div_s is not constant */
    EXPECT(&o, W2N_ERR_INVALID, "constant expression required");

    /* Switched off: the arithmetic, and the 3.0 reading of defined globals. */
    w2n_features off = w2n_features_default() & ~W2N_FEATURE_BIT(W2N_FEATURE_EXTENDED_CONST);
    w2n_error e;
    header(&o);
    SEC(&o, 6, 1, 0x7F, 0, 0x41, 1, 0x41, 2, 0x6A, 0x0B);
    cr_assert_eq(w2n_validate_features(o.b, o.n, off, &e), W2N_ERR_UNSUPPORTED);
    cr_assert_str_eq(e.message, "an extended constant expression requires the 'extended-const' "
                                "feature, which is disabled");
    header(&o);
    SEC(&o, 6, 2, 0x7F, 0, 0x41, 0, 0x0B, 0x7F, 0, 0x23, 0, 0x0B);
    cr_assert_eq(w2n_validate_features(o.b, o.n, off, &e), W2N_ERR_UNSUPPORTED);
    cr_assert_str_eq(e.message, "a constant expression reading a global defined in the module "
                                "requires the 'extended-const' feature, which is disabled");
}

Test(validate_module, global_set_immutable) {
    buf o;
    header(&o);
    SEC(&o, 1, 1, 0x60, 0, 0);
    SEC(&o, 3, 1, 0);
    SEC(&o, 6, 1, 0x7F, 0, 0x41, 0, 0x0B);
    SEC(&o, 10, 1, 6, 0, 0x41, 1, 0x24, 0, 0x0B);
    EXPECT(&o, W2N_ERR_INVALID, "global is immutable");
}

Test(validate_module, ref_func_declared_by_elem) {
    buf o;
    header(&o);
    SEC(&o, 1, 1, 0x60, 0, 0);
    SEC(&o, 3, 1, 0);
    SEC(&o, 9, 1, 3, 0, 1, 0); /* declarative elem: func 0 */
    SEC(&o, 10, 1, 5, 0, 0xD2, 0, 0x1A, 0x0B);
    EXPECT(&o, W2N_OK, NULL);
}

Test(validate_module, elem_type_must_match_table) {
    buf o;
    header(&o);
    SEC(&o, 4, 1, 0x6F, 0, 1);          /* externref table */
    SEC(&o, 9, 1, 0, 0x41, 0, 0x0B, 0); /* flags 0: funcref into table 0 */
    EXPECT(&o, W2N_ERR_INVALID, "type mismatch");
}

Test(validate_module, data_count_required) {
    buf o;
    header(&o);
    SEC(&o, 1, 1, 0x60, 0, 0);
    SEC(&o, 3, 1, 0);
    SEC(&o, 5, 1, 0, 1);
    SEC(&o, 10, 1, 5, 0, 0xFC, 9, 0, 0x0B);
    SEC(&o, 11, 1, 1, 0);
    EXPECT(&o, W2N_ERR_MALFORMED, "data count section required");
}

Test(validate_module, data_segment_needs_memory) {
    buf o;
    header(&o);
    SEC(&o, 11, 1, 0, 0x41, 0, 0x0B, 0);
    EXPECT(&o, W2N_ERR_INVALID, "unknown memory 0");
}

Test(validate_module, deep_nesting_is_linear) {
    /* 20000 nested blocks: the stacks grow, nothing is quadratic or recursive. */
    static uint8_t body[70000];
    size_t n = 0;
    body[n++] = 0; /* no locals */
    for (int i = 0; i < 20000; i++) {
        body[n++] = 0x02;
        body[n++] = 0x40;
    }
    for (int i = 0; i < 20000; i++)
        body[n++] = 0x0B;
    body[n++] = 0x0B;
    static uint8_t mod[70100];
    size_t k = 0;
    static const uint8_t pre[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0};
    memcpy(mod, pre, sizeof pre);
    k = sizeof pre;
    mod[k++] = 10;
    uint32_t body_len = (uint32_t)n, sec_len = 1 + 3 + body_len;
    mod[k++] = 0x80 | (sec_len & 0x7F);
    mod[k++] = 0x80 | ((sec_len >> 7) & 0x7F);
    mod[k++] = sec_len >> 14;
    mod[k++] = 1;
    mod[k++] = 0x80 | (body_len & 0x7F);
    mod[k++] = 0x80 | ((body_len >> 7) & 0x7F);
    mod[k++] = body_len >> 14;
    memcpy(mod + k, body, n);
    k += n;
    w2n_error err;
    cr_assert_eq(w2n_validate(mod, k, &err), W2N_OK, "%s", err.message);
}
