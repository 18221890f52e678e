/*
 * test_typed_refs.c — typed function references in the front end: the
 * value type encoding of w2n/types.h (shorthands keep their binary codes),
 * text names, subtyping, the rules for non-defaultable locals, the bottom
 * type of unreachable code, and type equality within a module
 * (m->type_canon).  Modules are hand-encoded byte arrays.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "module.h"
#include "w2n/compiler.h"
#include "module_kit.h"

static w2n_valtype concrete(uint32_t index, bool nullable) {
    return w2n_valtype_ref(w2n_heaptype_concrete(index), nullable);
}

Test(typed_refs, shorthands_keep_their_binary_codes) {
    cr_assert_eq(W2N_FUNCREF, 0x70);
    cr_assert_eq(W2N_EXTERNREF, 0x6F);
    cr_assert_eq(W2N_EXNREF, 0x69);
    cr_assert_eq(w2n_valtype_ref(W2N_FUNCREF, true), W2N_FUNCREF);
    cr_assert_eq(w2n_valtype_ref(W2N_NULLFUNCREF, true), 0x73);
    cr_assert(w2n_valtype_is_ref(W2N_FUNCREF) && w2n_valtype_is_nullable(W2N_FUNCREF));
    cr_assert(!w2n_valtype_is_ref(W2N_I32) && !w2n_valtype_is_ref(W2N_V128));
}

Test(typed_refs, encoding_round_trips) {
    w2n_valtype t = concrete(123456, false);
    cr_assert(w2n_valtype_is_ref(t));
    cr_assert(!w2n_valtype_is_nullable(t));
    cr_assert(w2n_heaptype_is_concrete(w2n_valtype_heap_type(t)));
    cr_assert_eq(w2n_valtype_type_index(t), 123456);
    cr_assert_eq(w2n_valtype_heap_type(t), w2n_heaptype_concrete(123456));
    cr_assert_eq(concrete(W2N_VALTYPE_MAX_INDEX, true) >> W2N_VALTYPE_INDEX_SHIFT,
                 W2N_VALTYPE_MAX_INDEX);
    w2n_valtype f = w2n_valtype_ref(W2N_FUNCREF, false);
    cr_assert_eq(f, W2N_FUNCREF | W2N_VALTYPE_NON_NULL);
    cr_assert_eq(w2n_valtype_heap_type(f), W2N_FUNCREF);
    cr_assert(!w2n_heaptype_is_concrete(w2n_valtype_heap_type(f)));
}

Test(typed_refs, names_are_the_text_format) {
    cr_assert_str_eq(w2n_valtype_name(W2N_I32), "i32");
    cr_assert_str_eq(w2n_valtype_name(W2N_FUNCREF), "funcref");
    cr_assert_str_eq(w2n_valtype_name(W2N_NULLEXTERNREF), "nullexternref");
    cr_assert_str_eq(w2n_valtype_name(w2n_valtype_ref(W2N_FUNCREF, false)), "(ref func)");
    cr_assert_str_eq(w2n_valtype_name(w2n_valtype_ref(W2N_EXTERNREF, false)), "(ref extern)");
    cr_assert_str_eq(w2n_valtype_name(concrete(3, true)), "(ref null 3)");
    cr_assert_str_eq(w2n_valtype_name(concrete(7, false)), "(ref 7)");
    cr_assert_str_eq(w2n_valtype_name(0x42), "unknown");
    /* Several names in one message stay distinct. */
    const char *a = w2n_valtype_name(concrete(1, true)), *b = w2n_valtype_name(concrete(2, true));
    cr_assert_str_eq(a, "(ref null 1)");
    cr_assert_str_eq(b, "(ref null 2)");
}

Test(typed_refs, subtyping) {
    w2n_valtype t = concrete(0, false), null_t = concrete(0, true), u = concrete(1, false);
    w2n_valtype func = w2n_valtype_ref(W2N_FUNCREF, false);
    cr_assert(w2n_valtype_sub(t, null_t));
    cr_assert(w2n_valtype_sub(null_t, W2N_FUNCREF));
    cr_assert(w2n_valtype_sub(t, func));
    cr_assert(w2n_valtype_sub(func, W2N_FUNCREF));
    cr_assert(!w2n_valtype_sub(null_t, t), "null may not go where non-null is expected");
    cr_assert(!w2n_valtype_sub(W2N_FUNCREF, null_t), "func is above every function type");
    cr_assert(!w2n_valtype_sub(t, u), "function types are final: only equal ones match");
    cr_assert(!w2n_valtype_sub(W2N_EXTERNREF, W2N_FUNCREF));
    cr_assert(!w2n_valtype_sub(t, W2N_EXTERNREF));
    cr_assert(w2n_valtype_sub(W2N_NULLFUNCREF, null_t), "nofunc is the bottom of func");
    cr_assert(w2n_valtype_sub(W2N_NULLFUNCREF, W2N_FUNCREF));
    cr_assert(!w2n_valtype_sub(W2N_NULLFUNCREF, W2N_EXTERNREF));
    cr_assert(w2n_valtype_sub(W2N_NULLEXTERNREF, W2N_EXTERNREF));
    cr_assert(w2n_valtype_sub(W2N_I31REF, W2N_EQREF) && w2n_valtype_sub(W2N_EQREF, W2N_ANYREF));
    cr_assert(!w2n_valtype_sub(W2N_I32, W2N_I64) && w2n_valtype_sub(W2N_I32, W2N_I32));
    cr_assert(!w2n_valtype_sub(W2N_I32, W2N_FUNCREF));
    /* The validator's bottom, (ref bot), is below every reference. */
    w2n_valtype bot = w2n_valtype_ref(W2N_HEAPTYPE_BOTTOM, false);
    cr_assert(w2n_valtype_sub(bot, t) && w2n_valtype_sub(bot, W2N_EXTERNREF));
    cr_assert(!w2n_valtype_sub(bot, W2N_I32));
}

/* ---- modules --------------------------------------------------------------- */

/* Type 0 (func), one function of it with one local of type (ref func)
 * (0x64 0x70), declared for ref.func, and `body` (its `end` included). */
static w2n_status local_body(const uint8_t *body, size_t n, w2n_error *err) {
    buf o = {{0, 'a', 's', 'm', 1, 0, 0, 0}, 8};
    SEC(&o, 1, 1, 0x60, 0, 0);
    SEC(&o, 3, 1, 0);
    SEC(&o, 9, 1, 3, 0, 1, 0); /* elem declare func 0 */
    uint8_t code[64] = {1, 0, 1, 1, 0x64, 0x70};
    cr_assert_lt(n + 6, sizeof code);
    memcpy(code + 6, body, n);
    code[1] = (uint8_t)(n + 4); /* size: locals (4 bytes) and body */
    section(&o, 10, code, n + 6);
    memset(err, 0, sizeof *err);
    return w2n_validate(o.b, o.n, err);
}

#define LOCAL_BODY(want, msg, ...)                                             \
    do {                                                                       \
        static const uint8_t b_[] = {__VA_ARGS__};                             \
        w2n_error e_;                                                          \
        w2n_status st_ = local_body(b_, sizeof b_, &e_);                       \
        cr_assert_eq(st_, (want), "status %d, message '%s'", st_, e_.message); \
        if (msg)                                                               \
            cr_assert_str_eq(e_.message, (const char *)(msg));                 \
    } while (0)

Test(typed_refs, non_null_local_must_be_set_before_get) {
    LOCAL_BODY(W2N_ERR_INVALID, "uninitialized local 0", 0x20, 0, 0x1A, 0x0B);
    /* ref.func 0, local.set 0, local.get 0, drop */
    LOCAL_BODY(W2N_OK, NULL, 0xD2, 0, 0x21, 0, 0x20, 0, 0x1A, 0x0B);
    /* local.tee initialises too */
    LOCAL_BODY(W2N_OK, NULL, 0xD2, 0, 0x22, 0, 0x1A, 0x20, 0, 0x1A, 0x0B);
}

Test(typed_refs, local_set_in_a_block_ends_with_the_block) {
    /* block (ref.func 0, local.set 0, local.get 0, drop) end: fine inside */
    LOCAL_BODY(W2N_OK, NULL, 0x02, 0x40, 0xD2, 0, 0x21, 0, 0x20, 0, 0x1A, 0x0B, 0x0B);
    /* ... but not after the block */
    LOCAL_BODY(W2N_ERR_INVALID, "uninitialized local 0", 0x02, 0x40, 0xD2, 0, 0x21, 0, 0x0B, 0x20,
               0, 0x1A, 0x0B);
    /* set in the then-branch is not set in the else-branch */
    LOCAL_BODY(W2N_ERR_INVALID, "uninitialized local 0", 0x41, 1, 0x04, 0x40, 0xD2, 0, 0x21, 0,
               0x05, 0x20, 0, 0x1A, 0x0B, 0x0B);
    /* set before the block: set inside and after it */
    LOCAL_BODY(W2N_OK, NULL, 0xD2, 0, 0x21, 0, 0x02, 0x40, 0x20, 0, 0x1A, 0x0B, 0x20, 0, 0x1A,
               0x0B);
}

Test(typed_refs, a_null_may_not_be_stored_in_a_non_null_local) {
    LOCAL_BODY(W2N_ERR_INVALID, "type mismatch", 0xD0, 0x70, 0x21, 0, 0x0B);
    /* ref.as_non_null makes it fit (and traps at run time) */
    LOCAL_BODY(W2N_OK, NULL, 0xD0, 0x70, 0xD4, 0x21, 0, 0x0B);
}

Test(typed_refs, unreachable_code_has_a_bottom_reference) {
    /* unreachable, ref.as_non_null, local.set 0: (ref bot) fits (ref func) */
    LOCAL_BODY(W2N_OK, NULL, 0x00, 0xD4, 0x21, 0, 0x0B);
    /* ... but is no number */
    LOCAL_BODY(W2N_ERR_INVALID, "type mismatch", 0x00, 0xD4, 0x45, 0x1A, 0x0B);
}

/* A module of just these types (the type section's contents after the count). */
static void decode_types(const uint8_t *types, size_t n, uint8_t count, w2n_module *m) {
    buf o = {{0, 'a', 's', 'm', 1, 0, 0, 0}, 8};
    uint8_t sec[128] = {count};
    memcpy(sec + 1, types, n);
    section(&o, 1, sec, n + 1);
    w2n_error err;
    cr_assert_eq(w2n_decode(o.b, o.n, m, &err), W2N_OK, "%s", err.message);
}

Test(typed_refs, equal_types_share_a_canonical_index) {
    static const uint8_t types[] = {
        0x60, 0, 0,             /* 0: (func) */
        0x60, 0, 0,             /* 1: (func), equal to 0 */
        0x60, 1, 0x64, 0x00, 0, /* 2: (func (param (ref 0))) */
        0x60, 1, 0x64, 0x01, 0, /* 3: (func (param (ref 1))): equal to 2 */
        0x60, 1, 0x63, 0x01, 0, /* 4: (func (param (ref null 1))): not */
        0x60, 1, 0x64, 0x05, 0, /* 5: (func (param (ref 5))): itself */
        0x60, 1, 0x64, 0x06, 0, /* 6: (func (param (ref 6))): equal to 5 */
    };
    w2n_module m;
    decode_types(types, sizeof types, 7, &m);
    static const uint32_t want[7] = {0, 0, 2, 2, 4, 5, 5};
    for (int i = 0; i < 7; i++)
        cr_assert_eq(m.type_canon[i], want[i], "type %d", i);
    cr_assert_eq(w2n_validate_module(&m, NULL), W2N_OK);
    w2n_module_free(&m);
}

Test(typed_refs, type_definitions_see_only_earlier_types) {
    static const uint8_t types[] = {
        0x60, 1, 0x64, 0x01, 0, /* 0: (func (param (ref 1))): forward */
        0x60, 0, 0,
    };
    w2n_module m;
    decode_types(types, sizeof types, 2, &m);
    w2n_error err;
    cr_assert_eq(w2n_validate_module(&m, &err), W2N_ERR_INVALID);
    cr_assert_str_eq(err.message, "unknown type 1");
    w2n_module_free(&m);
}

Test(typed_refs, heap_types_decode_as_the_reference_interpreter_does) {
    static const uint8_t head[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
    struct {
        uint8_t bytes[8];
        size_t n;
        w2n_status want;
        const char *message;
    } cases[] = {
        /* (func (param (ref null func))), the code over-long: s7, one byte */
        {{1, 0x60, 1, 0x63, 0xF0, 0x7F, 0},
         7,
         W2N_ERR_MALFORMED,
         "integer representation too long"},
        {{1, 0x60, 1, 0x63, 0x70, 0}, 6, W2N_OK, NULL},
        {{1, 0x60, 1, 0x64, 0x40, 0}, 6, W2N_ERR_MALFORMED, "malformed heap type"},
        /* a type index as a two-byte s33: fine (and here unknown) */
        {{1, 0x60, 1, 0x64, 0x80, 0x01, 0}, 7, W2N_ERR_INVALID, "unknown type 128"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        buf o = {{0}, 0};
        put(&o, head, sizeof head);
        section(&o, 1, cases[i].bytes, cases[i].n);
        w2n_error err;
        memset(&err, 0, sizeof err);
        w2n_status st = w2n_validate(o.b, o.n, &err);
        cr_assert_eq(st, cases[i].want, "case %zu: %d '%s'", i, st, err.message);
        if (cases[i].message)
            cr_assert_str_eq(err.message, cases[i].message, "case %zu", i);
    }
}
