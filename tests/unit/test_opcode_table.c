/*
 * test_opcode_table.c — the instruction table (compiler/front/opcodes.def) is
 * well-formed and every stage handles every row whose feature w2n
 * implements: the decoder looks each row up, the validator types it (its
 * signature, or a rule in code for "*" rows), the lowering has a handler, and
 * a module using every typed row validates and compiles.  A row added without
 * its lowering function, or with a signature the validator cannot read,
 * fails here.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "lower.h"
#include "opcodes.h"
#include "w2n/compiler.h"

static bool implemented(const w2n_opcode_info *r) {
    return w2n_feature_implemented((w2n_feature)r->feature);
}

Test(opcode_table, rows_are_sorted_unique_and_found) {
    for (unsigned i = 0; i < W2N_OPCODE_ROWS; i++) {
        const w2n_opcode_info *r = w2n_opcode_row_info(i);
        cr_assert_eq(r->row, i);
        cr_assert_eq(w2n_opcode_lookup(r->op), r, "%s is not found by its opcode", r->name);
        cr_assert_lt(r->feature, W2N_FEATURE_COUNT, "%s", r->name);
        if (i > 0)
            cr_assert_gt(r->op, w2n_opcode_row_info(i - 1)->op, "%s: rows out of order", r->name);
        for (unsigned j = 0; j < i; j++)
            cr_assert_str_neq(r->name, w2n_opcode_row_info(j)->name, "%s twice", r->name);
    }
    cr_assert_null(w2n_opcode_lookup(0xFF));
    cr_assert_null(w2n_opcode_lookup(0xFD0000 | 0x9A)); /* a hole in the SIMD space */
    cr_assert_null(w2n_opcode_lookup(0xFC0000 | 0x7FFF));
}

Test(opcode_table, signatures_and_sizes_are_well_formed) {
    for (unsigned i = 0; i < W2N_OPCODE_ROWS; i++) {
        const w2n_opcode_info *r = w2n_opcode_row_info(i);
        if (!strcmp(r->sig, "*"))
            continue;
        const char *colon = strchr(r->sig, ':');
        cr_assert_not_null(colon, "%s: signature '%s' has no ':'", r->name, r->sig);
        cr_assert_eq(strspn(r->sig, "ilfdv:"), strlen(r->sig), "%s: bad letter in '%s'", r->name,
                     r->sig);
        cr_assert_null(strchr(colon + 1, ':'), "%s", r->name);
        bool memory = r->imm == W2N_IMM_MEMARG || r->imm == W2N_IMM_MEMARG_LANE;
        bool lane = r->imm == W2N_IMM_LANE || r->imm == W2N_IMM_MEMARG_LANE;
        if (memory || lane)
            cr_assert(r->size >= 0 && r->size <= 4, "%s needs an access or lane size", r->name);
        else
            cr_assert_eq(r->size, -1, "%s has a size but no memory or lane immediate", r->name);
    }
}

/* An opt-in feature (w2n/features.h) is implemented in part: its rows may
 * have a handler or not, and compile refuses those without one. */
Test(opcode_table, every_implemented_row_has_a_lowering_handler) {
    for (unsigned i = 0; i < W2N_OPCODE_ROWS; i++) {
        const w2n_opcode_info *r = w2n_opcode_row_info(i);
        if (W2N_FEATURE_BIT(r->feature) & W2N_FEATURES_OPT_IN)
            continue;
        if (implemented(r))
            cr_assert(w2n_lower_has_handler(i), "%s has no lowering handler", r->name);
        else
            cr_assert(!w2n_lower_has_handler(i),
                      "%s is lowered, but its feature '%s' is not implemented", r->name,
                      w2n_feature_name((w2n_feature)r->feature));
    }
}

/* ---- modules built from the table ----------------------------------------------- */

typedef struct buf {
    uint8_t *b;
    size_t n, cap;
} buf;

static void put(buf *o, const void *p, size_t n) {
    if (o->n + n > o->cap) {
        o->cap = (o->n + n) * 2 + 64;
        o->b = realloc(o->b, o->cap);
        cr_assert_not_null(o->b);
    }
    memcpy(o->b + o->n, p, n);
    o->n += n;
}

static void byte(buf *o, uint8_t b) { put(o, &b, 1); }

static void zeros(buf *o, size_t n) {
    for (size_t i = 0; i < n; i++)
        byte(o, 0);
}

static void leb(buf *o, uint32_t v) {
    do {
        uint8_t b = v & 0x7F;
        v >>= 7;
        byte(o, b | (v ? 0x80 : 0));
    } while (v);
}

static void section(buf *o, uint8_t id, const buf *payload) {
    byte(o, id);
    leb(o, (uint32_t)payload->n);
    put(o, payload->b, payload->n);
}

static void opcode(buf *o, uint32_t op) {
    if (op >> 16) {
        byte(o, (uint8_t)(op >> 16));
        leb(o, op & 0xFFFF);
    } else {
        byte(o, (uint8_t)op);
    }
}

/* A zero of the signature letter's type. */
static void push_zero(buf *o, char t) {
    switch (t) {
    case 'i':
        byte(o, 0x41);
        byte(o, 0);
        break;
    case 'l':
        byte(o, 0x42);
        byte(o, 0);
        break;
    case 'f':
        byte(o, 0x43);
        zeros(o, 4);
        break;
    case 'd':
        byte(o, 0x44);
        zeros(o, 8);
        break;
    case 'v':
        opcode(o, W2N_OP_V128_CONST);
        zeros(o, 16);
        break;
    }
}

/* The smallest well-formed immediates of a kind (indices 0, natural alignment). */
static void immediates(buf *o, const w2n_opcode_info *r) {
    switch (r->imm) {
    case W2N_IMM_NONE: break;
    case W2N_IMM_MEMARG:
        byte(o, (uint8_t)r->size);
        byte(o, 0);
        break;
    case W2N_IMM_MEMARG_LANE:
        byte(o, (uint8_t)r->size);
        byte(o, 0);
        byte(o, 0);
        break;
    case W2N_IMM_V128:
    case W2N_IMM_SHUFFLE: zeros(o, 16); break;
    case W2N_IMM_F32: zeros(o, 4); break;
    case W2N_IMM_F64: zeros(o, 8); break;
    case W2N_IMM_BLOCK: byte(o, 0x40); break;
    case W2N_IMM_BR_TABLE:
    case W2N_IMM_CALL_INDIRECT:
    case W2N_IMM_MEMORY_INIT:
    case W2N_IMM_MEMORY_COPY:
    case W2N_IMM_TABLE_INIT:
    case W2N_IMM_TABLE_COPY:
    case W2N_IMM_PAIR:
        byte(o, 0);
        byte(o, 0);
        break;
    case W2N_IMM_SELECT_T:
        byte(o, 1);
        byte(o, 0x7F);
        break;
    case W2N_IMM_REFTYPE: byte(o, 0x70); break;
    default: byte(o, 0); break; /* one index, lane, zero byte or small constant */
    }
}

/* header, type () -> (), `nfuncs` functions of it, one memory of one page */
static void module_head(buf *o, uint32_t nfuncs) {
    static const uint8_t head[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
    put(o, head, sizeof head);
    buf s = {0};
    static const uint8_t type[] = {1, 0x60, 0, 0};
    put(&s, type, sizeof type);
    section(o, 1, &s);
    s.n = 0;
    leb(&s, nfuncs);
    zeros(&s, nfuncs);
    section(o, 3, &s);
    s.n = 0;
    static const uint8_t mem[] = {1, 0, 1};
    put(&s, mem, sizeof mem);
    section(o, 5, &s);
    free(s.b);
}

static void add_body(buf *code, const buf *body) {
    leb(code, (uint32_t)body->n + 2);
    byte(code, 0); /* no locals */
    put(code, body->b, body->n);
    byte(code, 0x0B);
}

Test(opcode_table, every_typed_row_validates_and_compiles) {
    unsigned rows[W2N_OPCODE_ROWS], n = 0;
    buf code = {0}, body = {0};
    for (unsigned i = 0; i < W2N_OPCODE_ROWS; i++) {
        const w2n_opcode_info *r = w2n_opcode_row_info(i);
        if (!implemented(r) || !strcmp(r->sig, "*"))
            continue;
        const char *colon = strchr(r->sig, ':');
        body.n = 0;
        for (const char *p = r->sig; p < colon; p++)
            push_zero(&body, *p);
        opcode(&body, r->op);
        immediates(&body, r);
        for (const char *p = colon + 1; *p; p++)
            byte(&body, 0x1A); /* drop */
        add_body(&code, &body);
        rows[n++] = i;
    }
    cr_assert_gt(n, 400);
    buf m = {0}, sec = {0};
    module_head(&m, n);
    leb(&sec, n);
    put(&sec, code.b, code.n);
    section(&m, 10, &sec);

    w2n_error err;
    w2n_status st = w2n_validate(m.b, m.n, &err);
    cr_assert_eq(st, W2N_OK, "%s: %s",
                 err.func_index >= 0 && err.func_index < (int64_t)n
                     ? w2n_opcode_row_info(rows[err.func_index])->name
                     : "?",
                 err.message);
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    opts.opt_level = 0;
    uint8_t *obj = NULL;
    size_t obj_size = 0;
    st = w2n_compile(m.b, m.n, &opts, &obj, &obj_size, &err);
    cr_assert_eq(st, W2N_OK, "%s: %s",
                 err.func_index >= 0 && err.func_index < (int64_t)n
                     ? w2n_opcode_row_info(rows[err.func_index])->name
                     : "?",
                 err.message);
    free(obj);
    free(m.b);
    free(sec.b);
    free(code.b);
    free(body.b);
}

/* Rows typed by code ("*"): the validator has a rule for each implemented
 * one.  The module may still be invalid (no locals, no table): any verdict
 * but "no validation rule" shows the rule exists. */
Test(opcode_table, every_special_row_has_a_validation_rule) {
    for (unsigned i = 0; i < W2N_OPCODE_ROWS; i++) {
        const w2n_opcode_info *r = w2n_opcode_row_info(i);
        if (!implemented(r) || strcmp(r->sig, "*"))
            continue;
        buf body = {0}, code = {0}, m = {0};
        opcode(&body, r->op);
        immediates(&body, r);
        leb(&code, 1);
        add_body(&code, &body);
        module_head(&m, 1);
        section(&m, 10, &code);
        w2n_error err;
        w2n_status st = w2n_validate(m.b, m.n, &err);
        cr_assert(st == W2N_OK || !strstr(err.message, "no validation rule"), "%s: %s", r->name,
                  err.message);
        free(body.b);
        free(code.b);
        free(m.b);
    }
}
