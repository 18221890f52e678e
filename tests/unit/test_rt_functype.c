/*
 * test_rt_functype.c — canonical type ids of typed signatures (and tables of
 * non-null references, which never hold null): a module's
 * `(ref $t)` is interned by $t's canonical id, not by its index, so equal
 * structures of different modules meet at one id, and a type naming itself
 * matches another that names itself.
 */
#include <criterion/criterion.h>

#include "internal.h"

static w2n_valtype ref_to(uint32_t index, bool nullable) {
    return w2n_valtype_ref(w2n_heaptype_concrete(index), nullable);
}

/* Intern the types of one module in order, as instantiation does. */
static void intern_all(const w2n_functype *types, uint32_t n, uint32_t *ids) {
    for (uint32_t i = 0; i < n; i++) {
        ids[i] = w2n_functype_intern_module(&types[i], i, ids);
        cr_assert_neq(ids[i], 0);
    }
}

Test(rt_functype, references_compare_by_canonical_type) {
    w2n_valtype i32 = W2N_I32;
    w2n_valtype a_ref = ref_to(0, false), b_ref = ref_to(1, false), b_null = ref_to(1, true);
    /* Module A: 0 (func), 1 (func (param (ref 0))). */
    w2n_functype a[2] = {{0, 0, NULL, NULL}, {1, 0, &a_ref, NULL}};
    /* Module B: 0 (func (param i32)), 1 (func), 2 (func (param (ref 1))),
     * 3 (func (param (ref null 1))). */
    w2n_functype b[4] = {
        {1, 0, &i32, NULL}, {0, 0, NULL, NULL}, {1, 0, &b_ref, NULL}, {1, 0, &b_null, NULL}};
    uint32_t ida[2], idb[4];
    intern_all(a, 2, ida);
    intern_all(b, 4, idb);
    cr_assert_eq(ida[0], idb[1]);
    cr_assert_eq(ida[1], idb[2], "(ref $t) is compared by $t's type, not its index");
    cr_assert_neq(ida[1], idb[3], "nullability is part of the type");
    cr_assert_neq(idb[0], idb[1]);
}

Test(rt_functype, a_type_naming_itself) {
    w2n_valtype self0 = ref_to(0, true), self2 = ref_to(2, true), other = ref_to(0, true);
    w2n_functype a[1] = {{1, 0, &self0, NULL}};
    w2n_functype b[3] = {{0, 0, NULL, NULL}, {0, 1, NULL, &other}, {1, 0, &self2, NULL}};
    uint32_t ida[1] = {0}, idb[3] = {0}; /* gcc -O2 cannot see intern_all fill them */
    intern_all(a, 1, ida);
    intern_all(b, 3, idb);
    cr_assert_eq(ida[0], idb[2]);
    cr_assert_neq(ida[0], idb[1]);
}

Test(rt_functype, canonical_valtype) {
    uint32_t ids[2] = {17, 42};
    cr_assert_eq(w2n_valtype_canonical(ref_to(1, false), ids), ref_to(42, false));
    cr_assert_eq(w2n_valtype_canonical(W2N_FUNCREF, ids), W2N_FUNCREF);
    cr_assert_eq(w2n_valtype_canonical(W2N_I64, ids), W2N_I64);
}

Test(rt_functype, tables_of_non_null_references_never_hold_null) {
    w2n_store *store = w2n_store_new(NULL);
    cr_assert_not_null(store);
    w2n_tabletype type = {w2n_valtype_ref(W2N_FUNCREF, false), {.min = 2}};
    w2n_error err;
    cr_assert_null(w2n_table_new(store, type, NULL, &err));
    cr_assert_str_eq(err.message, "a table of (ref func) cannot start null");
    w2n_func f = {0};
    w2n_table *t = w2n_table_new(store, type, &f, &err);
    cr_assert_not_null(t, "%s", err.message);
    cr_assert_eq(w2n_table_set(t, 1, NULL, &err), W2N_ERR_ARGUMENT);
    cr_assert_str_eq(err.message, "a table of (ref func) cannot hold null");
    cr_assert_eq(w2n_table_set(t, 1, &f, &err), W2N_OK);
    type.limits.min = 0; /* an empty one needs no value */
    cr_assert_not_null(w2n_table_new(store, type, NULL, &err));
    w2n_store_free(store);
}
