/*
 * test_rt_module_types.c — a module's GC types from the compiler to the
 * runtime: the metadata's round trip and its refusals (ABI 6.2), the
 * iso-recursive identity of canonical ids across modules (functype.c) and
 * the one descriptor per canonical type and store (gc/module_types.c).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "gc.h"
#include "internal.h"
#include "meta.h"

static w2n_valtype ref_to(uint32_t index, bool nullable) {
    return w2n_valtype_ref(w2n_heaptype_concrete(index), nullable);
}

/* Up to 8 types, described compactly for the tests. */
typedef struct types_kit {
    w2n_functype sigs[8];
    w2n_meta_typedef defs[8];
    w2n_meta_field fields[8][4];
    uint32_t n;
} types_kit;

static uint32_t add_type(types_kit *k, uint8_t kind, uint32_t super, bool final, uint32_t nfields,
                         const w2n_meta_field *fields) {
    uint32_t i = k->n++;
    k->defs[i] = (w2n_meta_typedef){kind, final, super, i, 1, i, nfields, k->fields[i]};
    memcpy(k->fields[i], fields, nfields * sizeof *fields);
    return i;
}

/* Types [start, start + size) form one recursion group. */
static void group(types_kit *k, uint32_t start, uint32_t size) {
    for (uint32_t i = start; i < start + size; i++) {
        k->defs[i].rec_start = start;
        k->defs[i].rec_size = size;
    }
}

/* A kit is copied by value: its fields are pointed to again here. */
static w2n_meta meta_of(types_kit *k) {
    for (uint32_t i = 0; i < k->n; i++)
        k->defs[i].fields = k->fields[i];
    return (w2n_meta){.abi_version = W2N_ABI_VERSION,
                      .abi_minor = W2N_ABI_MINOR,
                      .cpu = "",
                      .features = "",
                      .w2n_version = "0",
                      .target = "x",
                      .start = -1,
                      .ntypes = k->n,
                      .types = k->sigs,
                      .typedefs = k->defs};
}

static w2n_status round_trip(const w2n_meta *in, w2n_meta *out, w2n_error *err) {
    uint8_t *bytes;
    size_t size;
    cr_assert_eq(w2n_meta_encode(in, &bytes, &size, err), W2N_OK);
    w2n_status st = w2n_meta_decode(bytes, size, out, err);
    free(bytes);
    return st;
}

/* rec (struct (field (mut i8)) (field (ref null 1))) (array (ref 0)),
 * then (sub 0 (struct ... (field i64))) final. */
static types_kit linked_types(void) {
    types_kit k = {0};
    w2n_meta_field node[3] = {{W2N_GC_PACKED_I8, true}, {ref_to(1, true), false}, {W2N_I64, false}};
    w2n_meta_field elem = {ref_to(0, false), true};
    add_type(&k, W2N_META_TYPE_STRUCT, W2N_META_NO_SUPERTYPE, false, 2, node);
    add_type(&k, W2N_META_TYPE_ARRAY, W2N_META_NO_SUPERTYPE, true, 1, &elem);
    group(&k, 0, 2);
    add_type(&k, W2N_META_TYPE_STRUCT, 0, true, 3, node);
    return k;
}

Test(rt_module_types, metadata_round_trip) {
    types_kit k = linked_types();
    w2n_meta in = meta_of(&k), out;
    w2n_error err;
    cr_assert_eq(round_trip(&in, &out, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(out.ntypes, 3);
    for (uint32_t i = 0; i < 3; i++) {
        const w2n_meta_typedef *a = &k.defs[i], *b = &out.typedefs[i];
        cr_assert_eq(b->kind, a->kind);
        cr_assert_eq(b->is_final, a->is_final);
        cr_assert_eq(b->supertype, a->supertype);
        cr_assert_eq(b->rec_start, a->rec_start);
        cr_assert_eq(b->rec_size, a->rec_size);
        cr_assert_eq(b->canon, a->canon);
        cr_assert_eq(b->nfields, a->nfields);
        for (uint32_t f = 0; f < a->nfields; f++) {
            cr_assert_eq(b->fields[f].storage, a->fields[f].storage);
            cr_assert_eq(b->fields[f].is_mutable, a->fields[f].is_mutable);
        }
    }
    w2n_meta_free(&out);
}

Test(rt_module_types, objects_of_minor_0_have_plain_function_types) {
    w2n_functype sigs[2] = {{0, 0, NULL, NULL}, {0, 0, NULL, NULL}};
    w2n_meta in = {.abi_version = W2N_ABI_VERSION,
                   .cpu = "",
                   .features = "",
                   .w2n_version = "0",
                   .target = "x",
                   .start = -1,
                   .ntypes = 2,
                   .types = sigs};
    w2n_meta out;
    w2n_error err;
    cr_assert_eq(round_trip(&in, &out, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(out.typedefs[1].kind, W2N_META_TYPE_FUNC);
    cr_assert(out.typedefs[1].is_final);
    cr_assert_eq(out.typedefs[1].rec_start, 1);
    cr_assert_eq(out.typedefs[1].rec_size, 1);
    cr_assert_eq(out.typedefs[1].supertype, W2N_META_NO_SUPERTYPE);
    w2n_meta_free(&out);
}

static void expect_refused(types_kit *k, const char *why) {
    w2n_meta in = meta_of(k), out;
    w2n_error err;
    cr_assert_eq(round_trip(&in, &out, &err), W2N_ERR_BAD_OBJECT, "accepted: %s", why);
    cr_assert(strstr(err.message, why), "%s (wanted %s)", err.message, why);
}

Test(rt_module_types, corrupt_types_refused) {
    types_kit k = linked_types();
    k.defs[2].supertype = 1; /* an array below a struct */
    expect_refused(&k, "bad supertype");
    k = linked_types();
    k.defs[2].supertype = 2; /* itself */
    expect_refused(&k, "bad supertype");
    k = linked_types();
    k.defs[1].is_final = true;
    k.defs[2].supertype = 1;
    expect_refused(&k, "bad supertype");
    k = linked_types();
    k.defs[0].is_final = true; /* a final supertype */
    expect_refused(&k, "bad supertype");
    k = linked_types();
    k.defs[1].rec_start = 1; /* group 0..1 says 1 belongs to it */
    expect_refused(&k, "bad recursion group");
    k = linked_types();
    k.defs[2].rec_size = 2; /* past the types */
    expect_refused(&k, "bad recursion group");
    k = linked_types();
    k.defs[2].canon = 1; /* a struct equal to an array */
    expect_refused(&k, "bad canonical type index");
    k = linked_types();
    k.fields[1][0].storage = ref_to(2, true); /* names a type after its group */
    expect_refused(&k, "after its recursion group");
    k = linked_types();
    k.defs[1].nfields = 2; /* an array of two elements */
    k.fields[1][1] = (w2n_meta_field){W2N_I32, false};
    expect_refused(&k, "fields do not match");
    k = linked_types();
    k.fields[0][0].storage = 0x55;
    expect_refused(&k, "unknown field storage type");
    k = linked_types();
    k.defs[0].kind = 7;
    expect_refused(&k, "unknown type kind");
}

Test(rt_module_types, a_function_type_must_be_a_function_type) {
    types_kit k = linked_types();
    uint32_t func_types[1] = {0};
    w2n_meta in = meta_of(&k), out;
    in.nfuncs = 1;
    in.func_types = func_types;
    w2n_error err;
    cr_assert_eq(round_trip(&in, &out, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "not a function type"), "%s", err.message);
}

/* Intern a kit's types as instantiation does. */
static void intern(types_kit *k, uint32_t *ids) {
    w2n_meta m = meta_of(k);
    cr_assert(w2n_types_intern_module(&m, ids));
}

Test(rt_module_types, equal_groups_of_two_modules_are_one_type) {
    types_kit a = linked_types();
    /* Module B: an unrelated type first, then the same group and subtype,
     * so every index differs by one. */
    types_kit b = {0};
    w2n_meta_field i32 = {W2N_I32, false};
    add_type(&b, W2N_META_TYPE_STRUCT, W2N_META_NO_SUPERTYPE, true, 1, &i32);
    w2n_meta_field node[3] = {{W2N_GC_PACKED_I8, true}, {ref_to(2, true), false}, {W2N_I64, false}};
    w2n_meta_field elem = {ref_to(1, false), true};
    add_type(&b, W2N_META_TYPE_STRUCT, W2N_META_NO_SUPERTYPE, false, 2, node);
    add_type(&b, W2N_META_TYPE_ARRAY, W2N_META_NO_SUPERTYPE, true, 1, &elem);
    group(&b, 1, 2);
    add_type(&b, W2N_META_TYPE_STRUCT, 1, true, 3, node);
    uint32_t ida[3], idb[4];
    intern(&a, ida);
    intern(&b, idb);
    cr_assert_eq(ida[0], idb[1]);
    cr_assert_eq(ida[1], idb[2]);
    cr_assert_eq(ida[2], idb[3]);
    cr_assert_neq(idb[0], idb[1]);
    cr_assert_eq(ida[1], ida[0] + 1, "a group's types get consecutive ids");

    /* The canonical type keeps its fields with references by id. */
    const w2n_canon_type *t = w2n_type_lookup(ida[0]);
    cr_assert_eq(t->kind, W2N_META_TYPE_STRUCT);
    cr_assert_eq(t->fields[1].type, ref_to(ida[1], true));
    cr_assert_eq(w2n_type_lookup(ida[2])->super, ida[0]);
    cr_assert(w2n_type_id_sub(ida[2], ida[0]));
    cr_assert_not(w2n_type_id_sub(ida[0], ida[2]));
    cr_assert(w2n_valtype_sub_canonical(ref_to(ida[2], false), ref_to(ida[0], true)));
    cr_assert(w2n_valtype_sub_canonical(ref_to(ida[2], false), W2N_STRUCTREF));
    cr_assert(w2n_valtype_sub_canonical(ref_to(ida[1], true), W2N_EQREF));
    cr_assert_not(w2n_valtype_sub_canonical(ref_to(ida[1], true), W2N_STRUCTREF));
    cr_assert(w2n_valtype_sub_canonical(W2N_NULLREF, ref_to(ida[1], true)));
    cr_assert_not(w2n_valtype_sub_canonical(W2N_NULLFUNCREF, ref_to(ida[1], true)));
}

Test(rt_module_types, groups_differ_by_any_detail) {
    types_kit a = linked_types(), b = linked_types(), c = linked_types(), d = {0};
    b.fields[0][0].is_mutable = false; /* mutability */
    c.defs[0].is_final = true;         /* finality (with no subtype using it) */
    c.n = 2;
    a.n = 2;
    /* The same two types in the other order within their group. */
    w2n_meta_field node[2] = {{W2N_GC_PACKED_I8, true}, {ref_to(0, true), false}};
    w2n_meta_field elem = {ref_to(1, false), true};
    add_type(&d, W2N_META_TYPE_ARRAY, W2N_META_NO_SUPERTYPE, true, 1, &elem);
    add_type(&d, W2N_META_TYPE_STRUCT, W2N_META_NO_SUPERTYPE, false, 2, node);
    group(&d, 0, 2);
    uint32_t ida[2], idb[3], idc[2], idd[2];
    intern(&a, ida);
    intern(&b, idb);
    intern(&c, idc);
    intern(&d, idd);
    cr_assert_neq(ida[0], idb[0]);
    cr_assert_neq(ida[0], idc[0]);
    cr_assert_neq(ida[0], idd[1], "the order within a group is part of its identity");
}

Test(rt_module_types, one_descriptor_per_canonical_type_and_store) {
    types_kit a = linked_types();
    uint32_t ids[3];
    intern(&a, ids);
    w2n_store *s1 = w2n_store_new(NULL), *s2 = w2n_store_new(NULL);
    w2n_gc_heap *h1, *h2;
    w2n_error err;
    cr_assert_eq(w2n_gc_heap_get(s1, &h1, &err), W2N_OK);
    cr_assert_eq(w2n_gc_heap_get(s2, &h2, &err), W2N_OK);
    const w2n_gc_rtt *sub = w2n_gc_rtt_of_id(h1, ids[2], &err);
    cr_assert(sub, "%s", err.message);
    const w2n_gc_rtt *base = w2n_gc_rtt_of_id(h1, ids[0], &err);
    cr_assert_eq(sub->type_id, ids[2]);
    cr_assert_eq(sub->depth, 1);
    cr_assert_eq(sub->display[0], base, "the supertype's descriptor is the store's one");
    cr_assert(w2n_gc_type_sub(sub, base));
    cr_assert_eq(w2n_gc_rtt_of_id(h1, ids[2], &err), sub);
    cr_assert_neq(w2n_gc_rtt_of_id(h2, ids[2], &err), sub, "stores share nothing");
    /* Layout: i8 at 8, the reference at 16, the i64 at 24. */
    cr_assert_eq(sub->fields[0].offset, 8);
    cr_assert_eq(sub->fields[1].offset, 16);
    cr_assert_eq(sub->fields[2].offset, 24);
    cr_assert_eq(sub->size, 32);
    cr_assert_eq(sub->nrefs, 1);
    const w2n_gc_rtt *arr = w2n_gc_rtt_of_id(h1, ids[1], &err);
    cr_assert_eq(arr->kind, W2N_GC_KIND_ARRAY);
    cr_assert_eq(arr->fields[0].offset, W2N_GC_ARRAY_DATA_WIDE);
    w2n_functype sig = {0, 0, NULL, NULL};
    cr_assert_null(w2n_gc_rtt_of_id(h1, w2n_functype_intern(&sig), &err));
    w2n_store_free(s1);
    w2n_store_free(s2);
}

/* ref.i31 in an extended constant expression (ABI 6.2): decoded, typed as
 * (ref i31) by the loader's check; a struct.new of a type the module does
 * not have is refused (test_rt_const_gc.c has the other GC ones). */
Test(rt_module_types, ref_i31_in_constant_expressions) {
    w2n_const_expr pool[2] = {{W2N_CONST_I32, 0, {5, 0}},
                              {W2N_CONST_GC, W2N_META_CONST_REF_I31, {0, 0}}};
    w2n_meta_global g[1] = {
        {{W2N_ANYREF, false}, {W2N_CONST_EXTENDED, 0, {2, 0}}},
    };
    types_kit none = {0};
    w2n_meta in = meta_of(&none);
    in.nconst_ops = 2;
    in.const_ops = pool;
    in.nglobals = 1;
    in.globals = g;
    w2n_meta out;
    w2n_error err;
    cr_assert_eq(round_trip(&in, &out, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(w2n_meta_check(&out, &err), W2N_OK, "%s", err.message);
    w2n_meta_free(&out);
    pool[1].index = 0xFB0000u; /* struct.new of type 0, and there is none */
    cr_assert_eq(round_trip(&in, &out, &err), W2N_ERR_BAD_OBJECT);
    pool[1].index = W2N_META_CONST_REF_I31;
    pool[0].kind = W2N_CONST_I64; /* ref.i31 of an i64 */
    pool[0].bits[0] = 5;
    cr_assert_eq(round_trip(&in, &out, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(w2n_meta_check(&out, &err), W2N_ERR_BAD_OBJECT);
    w2n_meta_free(&out);
}
