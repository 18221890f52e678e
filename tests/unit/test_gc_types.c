/*
 * test_gc_types.c — GC types in the front end: recursion groups are
 * canonicalised as units (m->type_canon), declared supertypes give
 * subtyping, and validation refuses a final or incompatible supertype.
 * Modules are hand-encoded type sections, validated with GC on.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "module.h"
#include "w2n/compiler.h"

/* Decode a module whose type section is `count` entries of these bytes. */
static w2n_status decode_types(const uint8_t *types, size_t n, uint8_t count, w2n_module *m) {
    uint8_t b[256] = {0, 'a', 's', 'm', 1, 0, 0, 0, 1, (uint8_t)(n + 1), count};
    cr_assert(n + 11 <= sizeof b);
    memcpy(b + 11, types, n);
    w2n_error err;
    w2n_status st = w2n_decode_features(b, n + 11, w2n_features_validation_default(), m, &err);
    cr_assert_eq(st, W2N_OK, "%s", err.message);
    return w2n_validate_module(m, &err);
}

Test(gc_types, equal_groups_share_canonical_indices) {
    static const uint8_t types[] = {
        0x4E, 2,    0x5F, 1,    0x64, 1,
        0,    0x60, 1,    0x64, 0,    0, /* 0,1: rec (struct (ref 1)) (func (ref 0)) */
        0x4E, 2,    0x5F, 1,    0x64, 3,
        0,    0x60, 1,    0x64, 2,    0, /* 2,3: the same group again */
        0x4E, 2,    0x60, 1,    0x64, 5,
        0,    0x5F, 1,    0x64, 4,    0, /* 4,5: its types in the other order */
    };
    w2n_module m;
    cr_assert_eq(decode_types(types, sizeof types, 3, &m), W2N_OK);
    static const uint32_t want[6] = {0, 1, 0, 1, 4, 5};
    for (int i = 0; i < 6; i++)
        cr_assert_eq(m.type_canon[i], want[i], "type %d", i);
    w2n_module_free(&m);
}

Test(gc_types, recursive_references_are_relative_to_their_group) {
    static const uint8_t types[] = {
        0x5F, 1, 0x63, 0, 1,          /* 0: (struct (mut (ref null 0))) */
        0x5F, 1, 0x63, 1, 1,          /* 1: the same, referring to itself */
        0x5F, 1, 0x63, 0, 1,          /* 2: refers to 0, not to itself */
        0x4E, 1, 0x5F, 1, 0x63, 3, 1, /* 3: rec of one, as 0 */
    };
    w2n_module m;
    cr_assert_eq(decode_types(types, sizeof types, 4, &m), W2N_OK);
    cr_assert_eq(m.type_canon[1], 0);
    cr_assert_eq(m.type_canon[2], 2);
    cr_assert_eq(m.type_canon[3], 0);
    w2n_module_free(&m);
}

Test(gc_types, declared_supertypes_give_subtyping) {
    static const uint8_t types[] = {
        0x50, 0, 0x5F, 0,                         /* 0: (sub (struct)) */
        0x50, 1, 0,    0x5F, 1, 0x7F, 0,          /* 1: (sub 0 (struct i32)) */
        0x4F, 1, 1,    0x5F, 2, 0x7F, 0, 0x7E, 0, /* 2: (sub final 1 (struct i32 i64)) */
        0x60, 0, 0,                               /* 3: (func) */
    };
    w2n_module m;
    cr_assert_eq(decode_types(types, sizeof types, 4, &m), W2N_OK);
    w2n_heaptype t0 = w2n_heaptype_concrete(0), t1 = w2n_heaptype_concrete(1),
                 t2 = w2n_heaptype_concrete(2), f = w2n_heaptype_concrete(3);
    cr_assert(w2n_module_heaptype_sub(&m, t2, t0));
    cr_assert(w2n_module_heaptype_sub(&m, t1, t0));
    cr_assert(!w2n_module_heaptype_sub(&m, t0, t1));
    cr_assert(w2n_module_heaptype_sub(&m, t2, W2N_STRUCTREF));
    cr_assert(w2n_module_heaptype_sub(&m, t2, W2N_EQREF));
    cr_assert(w2n_module_heaptype_sub(&m, t2, W2N_ANYREF));
    cr_assert(!w2n_module_heaptype_sub(&m, t2, W2N_FUNCREF));
    cr_assert(w2n_module_heaptype_sub(&m, W2N_NULLREF, t2));
    cr_assert(!w2n_module_heaptype_sub(&m, W2N_NULLFUNCREF, t2));
    cr_assert(w2n_module_heaptype_sub(&m, f, W2N_FUNCREF));
    cr_assert(w2n_module_heaptype_sub(&m, W2N_NULLFUNCREF, f));
    w2n_module_free(&m);
}

Test(gc_types, a_final_or_incompatible_supertype_is_invalid) {
    static const uint8_t final_super[] = {0x5F, 0, 0x50, 1, 0, 0x5F, 0};
    static const uint8_t wrong_kind[] = {0x50, 0, 0x5F, 0, 0x50, 1, 0, 0x60, 0, 0};
    static const uint8_t fewer_fields[] = {0x50, 0, 0x5F, 1, 0x7F, 0, 0x50, 1, 0, 0x5F, 0};
    static const uint8_t mutable_covariant[] = {0x50, 0, 0x5F, 1, 0x6E, 1, 0x50,
                                                1,    0, 0x5F, 1, 0x6D, 1};
    w2n_module m;
    cr_assert_eq(decode_types(final_super, sizeof final_super, 2, &m), W2N_ERR_INVALID);
    w2n_module_free(&m);
    cr_assert_eq(decode_types(wrong_kind, sizeof wrong_kind, 2, &m), W2N_ERR_INVALID);
    w2n_module_free(&m);
    cr_assert_eq(decode_types(fewer_fields, sizeof fewer_fields, 2, &m), W2N_ERR_INVALID);
    w2n_module_free(&m);
    cr_assert_eq(decode_types(mutable_covariant, sizeof mutable_covariant, 2, &m), W2N_ERR_INVALID);
    w2n_module_free(&m);
}
