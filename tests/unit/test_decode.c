/*
 * test_decode.c — the binary format: header, section order and sizes, every
 * section kind, the 8 element and 3 data segment encodings, index spaces
 * with imports first, constant expressions, the name section, and the
 * malformed cases with the spec's messages and offsets.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "meta.h"
#include "module.h"
#include "opcodes.h"
#include "module_kit.h"

static w2n_status decode(const buf *o, w2n_module *m, w2n_error *err) {
    memset(err, 0, sizeof *err);
    return w2n_decode(o->b, o->n, m, err);
}

#define REJECTED(o, code, msg)                                        \
    do {                                                              \
        w2n_module m_;                                                \
        w2n_error e_;                                                 \
        w2n_status st_ = decode((o), &m_, &e_);                       \
        cr_assert_eq(st_, (code), "status %d '%s'", st_, e_.message); \
        cr_assert_str_eq(e_.message, msg);                            \
    } while (0)
#define MALFORMED(o, msg) REJECTED(o, W2N_ERR_MALFORMED, msg)
/* A valid construct of a feature w2n does not implement. */
#define UNSUPPORTED(o, msg) REJECTED(o, W2N_ERR_UNSUPPORTED, msg)

Test(decode, empty_module) {
    buf o;
    header(&o);
    w2n_module m;
    w2n_error err;
    cr_assert_eq(decode(&o, &m, &err), W2N_OK);
    cr_assert_eq(m.nfuncs, 0);
    cr_assert_eq(m.start, -1);
    w2n_module_free(&m);
}

Test(decode, header_errors) {
    buf o = {0};
    MALFORMED(&o, "unexpected end");
    RAW(&o, 0, 'a', 's');
    MALFORMED(&o, "unexpected end");
    o.n = 0;
    RAW(&o, 'a', 's', 'm', 0, 1, 0, 0, 0);
    MALFORMED(&o, "magic header not detected");
    o.n = 0;
    RAW(&o, 0, 'a', 's', 'm', 2, 0, 0, 0);
    MALFORMED(&o, "unknown binary version");
    o.n = 0;
    RAW(&o, 0, 'a', 's', 'm', 1, 0, 0);
    MALFORMED(&o, "unexpected end");
}

Test(decode, section_id_and_order) {
    buf o;
    header(&o);
    SEC(&o, 14, 0);
    MALFORMED(&o, "malformed section id");
    /* The tag section (exceptions) goes between memory and global. */
    header(&o);
    SEC(&o, 6, 0);
    SEC(&o, 13, 0);
    MALFORMED(&o, "unexpected content after last section");
    header(&o);
    SEC(&o, 13, 1, 1, 0, 0);
    MALFORMED(&o, "malformed tag attribute");
    header(&o);
    SEC(&o, 3, 0);
    SEC(&o, 1, 0);
    MALFORMED(&o, "unexpected content after last section");
    header(&o);
    SEC(&o, 1, 0);
    SEC(&o, 1, 0);
    MALFORMED(&o, "unexpected content after last section");
    /* The data count section goes between element and code. */
    header(&o);
    SEC(&o, 12, 0);
    SEC(&o, 9, 0);
    MALFORMED(&o, "unexpected content after last section");
    /* custom sections anywhere */
    header(&o);
    SEC(&o, 0, 1, 'x');
    SEC(&o, 1, 0);
    SEC(&o, 0, 1, 'y', 0xFF);
    SEC(&o, 12, 0);
    SEC(&o, 0, 0);
    w2n_module m;
    w2n_error err;
    cr_assert_eq(decode(&o, &m, &err), W2N_OK, "%s", err.message);
    w2n_module_free(&m);
}

Test(decode, section_sizes) {
    buf o;
    header(&o);
    SEC(&o, 1, 1, 0x60, 0, 0, 0x60); /* one type declared, a stray byte */
    MALFORMED(&o, "section size mismatch");
    header(&o);
    SEC(&o, 1, 2, 0x60, 0, 0); /* two declared, one there */
    MALFORMED(&o, "unexpected end of section or function");
    header(&o);
    RAW(&o, 1, 10, 1, 0x60, 0, 0); /* size beyond the input */
    MALFORMED(&o, "length out of bounds");
}

Test(decode, custom_section_name_must_be_utf8) {
    buf o;
    header(&o);
    SEC(&o, 0, 2, 0xC0, 0x80);
    MALFORMED(&o, "malformed UTF-8 encoding");
}

Test(decode, function_code_mismatch) {
    buf o;
    header(&o);
    SEC(&o, 1, 1, 0x60, 0, 0);
    SEC(&o, 3, 2, 0, 0);
    SEC(&o, 10, 1, 2, 0, 0x0B);
    MALFORMED(&o, "function and code section have inconsistent lengths");
    header(&o);
    SEC(&o, 1, 1, 0x60, 0, 0);
    SEC(&o, 3, 1, 0);
    MALFORMED(&o, "function and code section have inconsistent lengths");
    header(&o);
    SEC(&o, 10, 1, 2, 0, 0x0B);
    MALFORMED(&o, "function and code section have inconsistent lengths");
}

Test(decode, data_count_mismatch) {
    buf o;
    header(&o);
    SEC(&o, 12, 2);
    SEC(&o, 11, 1, 1, 0);
    MALFORMED(&o, "data count and data section have inconsistent lengths");
    header(&o);
    SEC(&o, 12, 1);
    MALFORMED(&o, "data count and data section have inconsistent lengths");
}

Test(decode, locals) {
    buf o;
    header(&o);
    SEC(&o, 1, 1, 0x60, 0, 0);
    SEC(&o, 3, 1, 0);
    SEC(&o, 10, 1, 8, 3, 0, 0x7F, 1, 0x7E, 2, 0x7D, 0x0B);
    w2n_module m;
    w2n_error err;
    cr_assert_eq(decode(&o, &m, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(m.codes[0].nlocals, 3);
    cr_assert_eq(m.codes[0].locals[0], W2N_I64);
    cr_assert_eq(m.codes[0].locals[2], W2N_F32);
    cr_assert_eq(m.codes[0].body_end - m.codes[0].body_start, 1);
    w2n_module_free(&m);
    header(&o);
    SEC(&o, 1, 1, 0x60, 0, 0);
    SEC(&o, 3, 1, 0);
    SEC(&o, 10, 1, 10, 2, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F, 2, 0x7E, 0x0B);
    MALFORMED(&o, "too many locals");
}

Test(decode, body_errors_in_decode) {
    buf o;
    header(&o);
    SEC(&o, 1, 1, 0x60, 0, 0);
    SEC(&o, 3, 1, 0);
    SEC(&o, 10, 1, 4, 0, 0x41, 1, 0x1A); /* no final end, at EOF */
    MALFORMED(&o, "unexpected end of section or function");
    header(&o);
    SEC(&o, 1, 1, 0x60, 0, 0);
    SEC(&o, 3, 1, 0);
    SEC(&o, 10, 1, 3, 0, 0xFF, 0x0B); /* not an opcode */
    MALFORMED(&o, "illegal opcode");
    header(&o);
    SEC(&o, 1, 1, 0x60, 0, 0);
    SEC(&o, 3, 1, 0);
    SEC(&o, 10, 1, 4, 0, 0x0B, 0x01, 0x0B); /* bytes after the final end */
    MALFORMED(&o, "section size mismatch");
}

Test(decode, imports_come_first) {
    buf o;
    header(&o);
    SEC(&o, 1, 2, 0x60, 0, 0, 0x60, 1, 0x7F, 0);
    SEC(&o, 2, 4, 1, 'm', 1, 'f', 0, 1,   /* func, type 1 */
        1, 'm', 1, 't', 1, 0x6F, 1, 0, 5, /* table externref 0..5 */
        1, 'm', 1, 'g', 3, 0x7E, 1,       /* global mut i64 */
        1, 'm', 1, 'M', 2, 0, 2);         /* memory min 2 */
    SEC(&o, 3, 1, 0);
    SEC(&o, 4, 1, 0x70, 0, 3);
    SEC(&o, 6, 1, 0x7F, 0, 0x41, 0x2A, 0x0B);
    SEC(&o, 10, 1, 2, 0, 0x0B);
    w2n_module m;
    w2n_error err;
    cr_assert_eq(decode(&o, &m, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(m.nimports, 4);
    cr_assert_str_eq(m.imports[1].name, "t");
    cr_assert_eq(m.nfuncs, 2);
    cr_assert_eq(m.nimported_funcs, 1);
    cr_assert_eq(m.func_types[0], 1);
    cr_assert_eq(m.func_types[1], 0);
    cr_assert_eq(m.ntables, 2);
    cr_assert_eq(m.tables[0].elem, W2N_EXTERNREF);
    cr_assert_eq(m.tables[0].limits.max, 5);
    cr_assert(m.tables[0].limits.has_max);
    cr_assert_eq(m.tables[1].elem, W2N_FUNCREF);
    cr_assert_eq(m.nmemories, 1);
    cr_assert_eq(m.memories[0].min, 2);
    cr_assert_eq(m.nglobals, 2);
    cr_assert(m.global_types[0].is_mutable);
    cr_assert_eq(m.global_types[1].type, W2N_I32);
    cr_assert_eq(m.globals[0].init.value.kind, W2N_CONST_I32);
    cr_assert_eq(m.globals[0].init.value.bits[0], 42);
    w2n_module_free(&m);
}

/* Limits flag 0x04 (memory64, table64): u64 sizes; 32-bit sizes stay u32. */
Test(decode, limits_64bit) {
    buf o;
    header(&o);
    SEC(&o, 4, 1, 0x70, 5, 2, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01); /* table i64 2..2^35 */
    SEC(&o, 5, 1, 5, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40); /* memory i64 1..2^48 */
    w2n_module m;
    w2n_error err;
    cr_assert_eq(decode(&o, &m, &err), W2N_OK, "%s", err.message);
    cr_assert(m.tables[0].limits.is64);
    cr_assert_eq(m.tables[0].limits.min, 2);
    cr_assert_eq(m.tables[0].limits.max, UINT64_C(1) << 35);
    cr_assert(m.memories[0].is64);
    cr_assert(m.memories[0].has_max);
    cr_assert_eq(m.memories[0].max, UINT64_C(1) << 48);
    w2n_module_free(&m);
    header(&o);
    SEC(&o, 5, 1, 0, 0x82, 0x80, 0x80, 0x80, 0x80, 0x00); /* i32: 2 in six bytes */
    MALFORMED(&o, "integer representation too long");
    header(&o);
    SEC(&o, 5, 1, 8, 1); /* an unknown flag */
    MALFORMED(&o, "integer too large");
    /* --wasm-features=-memory64 */
    header(&o);
    SEC(&o, 5, 1, 4, 1);
    w2n_features without = w2n_features_default() & ~W2N_FEATURE_BIT(W2N_FEATURE_MEMORY64);
    cr_assert_eq(w2n_decode_features(o.b, o.n, without, &m, &err), W2N_ERR_UNSUPPORTED);
    cr_assert_str_eq(err.message,
                     "a 64-bit memory requires the 'memory64' feature, which is disabled");
}

Test(decode, import_export_kinds) {
    buf o;
    header(&o);
    SEC(&o, 2, 1, 1, 'm', 1, 'f', 5, 0);
    MALFORMED(&o, "malformed import kind");
    header(&o);
    SEC(&o, 7, 1, 1, 'e', 5, 0);
    MALFORMED(&o, "malformed export kind");
    /* Tags (exceptions): an import is attribute 0 and a type index. */
    header(&o);
    SEC(&o, 2, 1, 1, 'm', 1, 'f', 4, 1, 0);
    MALFORMED(&o, "malformed tag attribute");
    header(&o);
    SEC(&o, 1, 1, 0x60, 1, 0x7F, 0);
    SEC(&o, 2, 1, 1, 'm', 1, 'f', 4, 0, 0);
    SEC(&o, 5, 0);
    SEC(&o, 13, 1, 0, 0);
    SEC(&o, 7, 1, 1, 'e', 4, 1);
    w2n_module m;
    w2n_error err;
    cr_assert_eq(decode(&o, &m, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(m.ntags, 2);
    cr_assert_eq(m.nimported_tags, 1);
    cr_assert_eq(m.exports[0].kind, W2N_EXTERN_TAG);
    w2n_module_free(&m);
    header(&o);
    SEC(&o, 6, 1, 0x7F, 2, 0x41, 0, 0x0B);
    MALFORMED(&o, "malformed mutability");
    header(&o);
    SEC(&o, 4, 1, 0x7F, 0, 0);
    MALFORMED(&o, "malformed reference type");
    header(&o);
    SEC(&o, 5, 1, 8, 0);
    MALFORMED(&o, "integer too large");
    header(&o);
    SEC(&o, 4, 1, 0x70, 3, 1, 1);
    MALFORMED(&o, "integer too large"); /* only memories can be shared */
    header(&o);
    SEC(&o, 5, 1, 0x81, 0, 0);
    MALFORMED(&o, "integer representation too long");
}

Test(decode, element_segments_all_encodings) {
    buf o;
    header(&o);
    SEC(&o, 1, 1, 0x60, 0, 0);
    SEC(&o, 3, 1, 0);
    SEC(&o, 4, 1, 0x70, 0, 1);
    SEC(&o, 9, 8, 0, 0x41, 0, 0x0B, 1, 0,            /* 0: active t0, funcs */
        1, 0, 1, 0,                                  /* 1: passive, funcs */
        2, 0, 0x41, 0, 0x0B, 0, 1, 0,                /* 2: active tX, funcs */
        3, 0, 1, 0,                                  /* 3: declarative, funcs */
        4, 0x41, 0, 0x0B, 1, 0xD2, 0, 0x0B,          /* 4: active t0, exprs */
        5, 0x70, 2, 0xD0, 0x70, 0x0B, 0xD2, 0, 0x0B, /* 5: passive, exprs */
        6, 0, 0x41, 0, 0x0B, 0x70, 1, 0xD2, 0, 0x0B, /* 6: active tX, exprs */
        7, 0x70, 1, 0xD0, 0x70, 0x0B);               /* 7: declarative, exprs */
    SEC(&o, 10, 1, 2, 0, 0x0B);
    w2n_module m;
    w2n_error err;
    cr_assert_eq(decode(&o, &m, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(m.nelems, 8);
    static const uint8_t modes[8] = {
        W2N_SEGMENT_ACTIVE, W2N_SEGMENT_PASSIVE, W2N_SEGMENT_ACTIVE, W2N_SEGMENT_DECLARATIVE,
        W2N_SEGMENT_ACTIVE, W2N_SEGMENT_PASSIVE, W2N_SEGMENT_ACTIVE, W2N_SEGMENT_DECLARATIVE};
    for (int i = 0; i < 8; i++) {
        cr_assert_eq(m.elems[i].mode, modes[i], "segment %d", i);
        /* Function indices are never null: (ref func) since function-references. */
        cr_assert_eq(m.elems[i].type, i < 4 ? w2n_valtype_ref(W2N_FUNCREF, false) : W2N_FUNCREF,
                     "segment %d", i);
    }
    cr_assert_eq(m.elems[0].items[0].value.kind, W2N_CONST_REF_FUNC);
    cr_assert_eq(m.elems[0].offset.value.kind, W2N_CONST_I32);
    cr_assert_eq(m.elems[5].count, 2);
    cr_assert_eq(m.elems[5].items[0].value.kind, W2N_CONST_REF_NULL);
    cr_assert_eq(m.elems[5].items[1].value.kind, W2N_CONST_REF_FUNC);
    w2n_module_free(&m);
    header(&o);
    SEC(&o, 9, 1, 8, 0);
    MALFORMED(&o, "malformed elements segment kind");
    header(&o);
    SEC(&o, 9, 1, 1, 1, 0);
    MALFORMED(&o, "malformed element kind");
}

Test(decode, data_segments_all_encodings) {
    buf o;
    header(&o);
    SEC(&o, 5, 1, 0, 1);
    SEC(&o, 12, 3);
    SEC(&o, 11, 3, 0, 0x41, 4, 0x0B, 2, 'h', 'i', 1, 1, 'x', 2, 0, 0x41, 8, 0x0B, 0);
    w2n_module m;
    w2n_error err;
    cr_assert_eq(decode(&o, &m, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(m.ndatas, 3);
    cr_assert_eq(m.datas[0].mode, W2N_SEGMENT_ACTIVE);
    cr_assert_eq(m.datas[0].size, 2);
    cr_assert_eq(memcmp(m.datas[0].bytes, "hi", 2), 0);
    cr_assert_eq(m.datas[0].offset.value.bits[0], 4);
    cr_assert_eq(m.datas[1].mode, W2N_SEGMENT_PASSIVE);
    cr_assert_eq(m.datas[2].mode, W2N_SEGMENT_ACTIVE);
    cr_assert_eq(m.datas[2].offset.value.bits[0], 8);
    cr_assert(m.has_data_count);
    w2n_module_free(&m);
    header(&o);
    SEC(&o, 11, 1, 3, 0);
    MALFORMED(&o, "malformed data segment kind");
    header(&o);
    SEC(&o, 11, 1, 1, 5, 'a');
    MALFORMED(&o, "unexpected end of section or function");
}

Test(decode, const_exprs_are_marked_for_validation) {
    buf o;
    header(&o);
    SEC(&o, 6, 3, 0x7F, 0, 0x41, 1, 0x41, 2, 0x71, 0x0B, /* i32.and: not constant */
        0x7F, 0, 0x0B,                                   /* empty */
        0x7B, 0, 0xFD, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0x0B);
    w2n_module m;
    w2n_error err;
    cr_assert_eq(decode(&o, &m, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(m.globals[0].init.value.kind, W2N_INIT_NOT_CONST);
    cr_assert_eq(m.globals[0].init.offset, m.globals[0].init.offset);
    cr_assert_eq(m.globals[1].init.value.kind, W2N_INIT_BAD_ARITY);
    cr_assert_eq(m.globals[2].init.value.kind, W2N_CONST_V128);
    cr_assert_eq(m.globals[2].init.value.bits[0], 0x0807060504030201ull);
    cr_assert_eq(m.globals[2].init.value.bits[1], 0x100F0E0D0C0B0A09ull);
    w2n_module_free(&m);
    header(&o);
    SEC(&o, 6, 1, 0x7F, 0, 0x41, 0); /* no end */
    MALFORMED(&o, "unexpected end of section or function");
}

/* extended-const: runs of several instructions go to the module's pool; a
 * single instruction, or a run that is not constant, leaves nothing there. */
Test(decode, extended_const_exprs_go_to_the_pool) {
    buf o;
    header(&o);
    SEC(&o, 6, 4, 0x7F, 0, 0x41, 1, 0x0B,            /* i32.const 1 */
        0x7F, 0, 0x41, 1, 0x41, 2, 0x6A, 0x0B,       /* 1 + 2 */
        0x7F, 0, 0x41, 1, 0x41, 2, 0x6A, 0x1A, 0x0B, /* ... drop: not constant */
        0x7E, 0, 0x23, 0, 0x42, 0x7F, 0x7E, 0x0B);   /* global.get 0 * -1 */
    w2n_module m;
    w2n_error err;
    cr_assert_eq(decode(&o, &m, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(m.globals[0].init.value.kind, W2N_CONST_I32);
    cr_assert_eq(m.globals[1].init.value.kind, W2N_CONST_EXTENDED);
    cr_assert_eq(m.globals[1].init.value.index, 0);
    cr_assert_eq(m.globals[1].init.value.bits[0], 3);
    cr_assert_eq(m.globals[2].init.value.kind, W2N_INIT_NOT_CONST);
    cr_assert_eq(m.globals[3].init.value.kind, W2N_CONST_EXTENDED);
    cr_assert_eq(m.globals[3].init.value.index, 3);
    cr_assert_eq(m.nconst_ops, 6);
    cr_assert_eq(m.const_ops[2].kind, W2N_CONST_I32_ADD);
    cr_assert_eq(m.const_ops[3].kind, W2N_CONST_GLOBAL_GET);
    cr_assert_eq(m.const_ops[4].bits[0], UINT64_MAX);
    cr_assert_eq(m.const_ops[5].kind, W2N_CONST_I64_MUL);
    w2n_module_free(&m);
}

Test(decode, name_section) {
    buf o;
    header(&o);
    SEC(&o, 1, 1, 0x60, 0, 0);
    SEC(&o, 3, 2, 0, 0);
    SEC(&o, 10, 2, 2, 0, 0x0B, 2, 0, 0x0B);
    SEC(&o, 0, 4, 'n', 'a', 'm', 'e', 0, 4, 3, 'm', 'o', 'd', 1, 7, 1, 1, 4, 'm', 'a', 'i', 'n');
    w2n_module m;
    w2n_error err;
    cr_assert_eq(decode(&o, &m, &err), W2N_OK, "%s", err.message);
    cr_assert_not_null(m.func_names);
    cr_assert_null(m.func_names[0]);
    cr_assert_str_eq(m.func_names[1], "main");
    cr_assert_str_eq(m.module_name, "mod");
    w2n_module_free(&m);
    /* A malformed name section is ignored, the module is fine. */
    header(&o);
    SEC(&o, 1, 1, 0x60, 0, 0);
    SEC(&o, 3, 1, 0);
    SEC(&o, 10, 1, 2, 0, 0x0B);
    SEC(&o, 0, 4, 'n', 'a', 'm', 'e', 1, 9, 1, 7, 4, 'm', 'a');
    cr_assert_eq(decode(&o, &m, &err), W2N_OK, "%s", err.message);
    cr_assert_null(m.func_names);
    w2n_module_free(&m);
}

Test(decode, forged_counts_fail_without_huge_allocations) {
    buf o;
    header(&o);
    SEC(&o, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F);
    MALFORMED(&o, "unexpected end of section or function");
    header(&o);
    SEC(&o, 11, 1, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F);
    MALFORMED(&o, "unexpected end of section or function");
}

Test(decode, every_truncation_is_rejected_cleanly) {
    buf o;
    header(&o);
    SEC(&o, 1, 1, 0x60, 1, 0x7F, 1, 0x7F);
    SEC(&o, 3, 1, 0);
    SEC(&o, 5, 1, 0, 1);
    SEC(&o, 7, 1, 1, 'f', 0, 0);
    SEC(&o, 10, 1, 7, 0, 0x20, 0, 0x41, 1, 0x6A, 0x0B);
    size_t before_data = o.n;
    SEC(&o, 11, 1, 0, 0x41, 0, 0x0B, 1, 'z');
    w2n_module m;
    w2n_error err;
    cr_assert_eq(w2n_decode(o.b, o.n, &m, &err), W2N_OK, "%s", err.message);
    w2n_module_free(&m);
    for (size_t n = 0; n < o.n; n++) {
        w2n_status st = w2n_decode(o.b, n, &m, &err);
        if (st == W2N_OK) {
            /* Only cuts at a section boundary before the function section,
             * or after the code section, leave a whole module. */
            cr_assert(n == 8 || n == 16 || n == before_data, "n=%zu", n);
            w2n_module_free(&m);
        } else {
            cr_assert_eq(st, W2N_ERR_MALFORMED);
            cr_assert_leq(err.offset, n);
        }
    }
}
