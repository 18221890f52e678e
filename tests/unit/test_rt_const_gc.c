/*
 * test_rt_const_gc.c — GC constant expressions evaluated at instantiation
 * (core/const_eval.c, gc/const_gc.c): struct.new, array.new*, ref.i31 and
 * the conversions in global initialisers and element segments, typed by
 * the loader's check (meta_check.c), with a heap so small that the
 * collector runs in the middle of instantiation, many times: the values
 * made so far (the evaluator's stack, earlier globals, the instance's
 * segments evaluated so far) are roots and come out whole.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "gc.h"
#include "gc_store_kit.h"
#include "internal.h"
#include "meta.h"

/* Types: 0 $bytes (array (mut i8)); 1 $node (struct i32 anyref (ref null
 * $node)); 2 $holder (array (mut anyref)); 3 $wide (struct i8 f64 v128). */
enum {
    T_BYTES,
    T_NODE,
    T_HOLDER,
    T_WIDE,
    T_N
};

static w2n_valtype node_ref(void) { return w2n_valtype_ref(w2n_heaptype_concrete(T_NODE), true); }

typedef struct kit {
    w2n_functype sigs[T_N];
    w2n_meta_typedef defs[T_N];
    w2n_meta_field node[3], wide[3], bytes, holder;
    w2n_const_expr pool[4096];
    uint32_t npool;
    w2n_meta_global globals[64];
    w2n_const_expr items[64];
    w2n_meta_elem elem;
    w2n_meta m;
} kit;

static void kit_init(kit *k) {
    memset(k, 0, sizeof *k);
    k->bytes = (w2n_meta_field){W2N_GC_PACKED_I8, true};
    k->holder = (w2n_meta_field){W2N_ANYREF, true};
    k->node[0] = (w2n_meta_field){W2N_I32, false};
    k->node[1] = (w2n_meta_field){W2N_ANYREF, false};
    k->node[2] = (w2n_meta_field){node_ref(), false};
    k->wide[0] = (w2n_meta_field){W2N_GC_PACKED_I8, false};
    k->wide[1] = (w2n_meta_field){W2N_F64, false};
    k->wide[2] = (w2n_meta_field){W2N_V128, false};
    const uint8_t kinds[T_N] = {W2N_META_TYPE_ARRAY, W2N_META_TYPE_STRUCT, W2N_META_TYPE_ARRAY,
                                W2N_META_TYPE_STRUCT};
    w2n_meta_field *fields[T_N] = {&k->bytes, k->node, &k->holder, k->wide};
    const uint32_t nfields[T_N] = {1, 3, 1, 3};
    for (uint32_t i = 0; i < T_N; i++)
        k->defs[i] = (w2n_meta_typedef){kinds[i],   true,     W2N_META_NO_SUPERTYPE, i, 1, i,
                                        nfields[i], fields[i]};
    k->m = (w2n_meta){.abi_version = W2N_ABI_VERSION,
                      .abi_minor = W2N_ABI_MINOR,
                      .arch = W2N_ARCH_X86_64,
                      .cpu = "",
                      .features = "",
                      .w2n_version = "0",
                      .target = "x",
                      .start = -1,
                      .ntypes = T_N,
                      .types = k->sigs,
                      .typedefs = k->defs,
                      .const_ops = k->pool,
                      .globals = k->globals,
                      .elems = &k->elem};
}

static void op(kit *k, uint8_t kind, uint32_t index, uint64_t b0, uint64_t b1) {
    cr_assert_lt(k->npool, sizeof k->pool / sizeof k->pool[0]);
    k->pool[k->npool++] = (w2n_const_expr){kind, index, {b0, b1}};
}
static void i32c(kit *k, int32_t v) { op(k, W2N_CONST_I32, 0, (uint32_t)v, 0); }
static void gc(kit *k, uint32_t opcode, uint64_t type, uint64_t n) {
    op(k, W2N_CONST_GC, opcode, type, n);
}

/* 8000 bytes of garbage: an array of them put in a holder of length 0. */
static void garbage_then_empty_holder(kit *k) {
    i32c(k, 8000);
    gc(k, W2N_META_CONST_ARRAY_NEW_DEFAULT, T_BYTES, 0);
    i32c(k, 0);
    gc(k, W2N_META_CONST_ARRAY_NEW, T_HOLDER, 0);
}

/* The run from `first` to the end of the pool, as an expression. */
static w2n_const_expr run_from(const kit *k, uint32_t first) {
    return (w2n_const_expr){W2N_CONST_EXTENDED, first, {k->npool - first, 0}};
}

#define NGLOBALS 40
#define NITEMS 30

/* Global 0: (struct.new $node (i32.const 100) (ref.i31 (i32.const -7))
 * (ref.null $node)); global g > 0: a node of value g whose anyref is an
 * empty holder made after 8000 bytes of garbage and whose next is global
 * g - 1.  Element item i: a node of value 1000 + i holding (array.new_fixed
 * $holder 2 (ref.i31 i) (empty holder after garbage)), next the last
 * global. */
static void build_chain(kit *k) {
    uint32_t first = k->npool;
    i32c(k, 100);
    i32c(k, -7);
    gc(k, W2N_META_CONST_REF_I31, 0, 0);
    op(k, W2N_CONST_REF_NULL, node_ref(), 0, 0);
    gc(k, W2N_META_CONST_STRUCT_NEW, T_NODE, 0);
    k->globals[0] = (w2n_meta_global){{node_ref(), false}, run_from(k, first)};
    for (uint32_t g = 1; g < NGLOBALS; g++) {
        first = k->npool;
        i32c(k, (int32_t)g);
        garbage_then_empty_holder(k);
        op(k, W2N_CONST_GLOBAL_GET, g - 1, 0, 0);
        gc(k, W2N_META_CONST_STRUCT_NEW, T_NODE, 0);
        k->globals[g] = (w2n_meta_global){{node_ref(), false}, run_from(k, first)};
    }
    k->m.nglobals = NGLOBALS;
    for (uint32_t i = 0; i < NITEMS; i++) {
        first = k->npool;
        i32c(k, 1000 + (int32_t)i);
        i32c(k, (int32_t)i);
        gc(k, W2N_META_CONST_REF_I31, 0, 0);
        garbage_then_empty_holder(k);
        gc(k, W2N_META_CONST_ARRAY_NEW_FIXED, T_HOLDER, 2);
        op(k, W2N_CONST_GLOBAL_GET, NGLOBALS - 1, 0, 0);
        gc(k, W2N_META_CONST_STRUCT_NEW, T_NODE, 0);
        k->items[i] = run_from(k, first);
    }
    k->elem = (w2n_meta_elem){
        .mode = W2N_SEGMENT_PASSIVE, .type = W2N_ANYREF, .count = NITEMS, .items = k->items};
    k->m.nelems = 1;
    k->m.nconst_ops = k->npool;
}

static w2n_object *object_of(const w2n_meta *m) {
    w2n_object *obj = NULL;
    w2n_error err;
    cr_assert_eq(w2n_object_from_parts(m, NULL, NULL, NULL, &obj, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(w2n_meta_check(&obj->meta, &err), W2N_OK, "%s", err.message);
    return obj;
}

static const uint8_t *field(uintptr_t obj, uint32_t index) {
    const w2n_gc_rtt *t = *(const w2n_gc_rtt **)obj;
    return (const uint8_t *)obj + t->fields[index].offset;
}
static int32_t i32_at(const uint8_t *p) {
    int32_t v;
    memcpy(&v, p, 4);
    return v;
}
static uintptr_t word_at(const uint8_t *p) {
    uintptr_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* A node's chain of values down to global 0's, checked. */
static void check_chain(uintptr_t node, uint32_t from) {
    for (uint32_t g = from; g > 0; g--) {
        cr_assert(node && !(node & 1), "global %u is an object", g);
        cr_assert_eq(i32_at(field(node, 0)), (int32_t)g, "node %u's value", g);
        uintptr_t holder = word_at(field(node, 1));
        cr_assert(holder && !(holder & 1));
        cr_assert_eq(i32_at((const uint8_t *)holder + W2N_GC_ARRAY_LENGTH), 0);
        node = word_at(field(node, 2));
    }
    cr_assert_eq(i32_at(field(node, 0)), 100);
    cr_assert_eq(word_at(field(node, 1)), (uintptr_t)(uint32_t)((uint32_t)-7 << 1) | 1,
                 "ref.i31 -7");
    cr_assert_eq(word_at(field(node, 2)), 0);
}

Test(rt_const_gc, collections_during_instantiation_keep_every_value) {
    kit *k = calloc(1, sizeof *k);
    kit_init(k);
    build_chain(k);
    w2n_object *obj = object_of(&k->m);
    w2n_store *store = store_with_gc_limit(64 * 1024);
    w2n_instance *inst;
    w2n_error err;
    cr_assert_eq(w2n_instantiate(store, obj, NULL, 0, &inst, NULL, &err), W2N_OK, "%s",
                 err.message);
    w2n_gc_stats stats;
    w2n_gc_get_stats(store, &stats);
    cr_assert_geq(stats.collections, 5, "the heap is small enough to collect (%llu)",
                  (unsigned long long)stats.collections);
    check_chain((uintptr_t)inst->globals[NGLOBALS - 1]->storage.ref, NGLOBALS - 1);
    for (uint32_t i = 0; i < NITEMS; i++) {
        uintptr_t node = (uintptr_t)inst->elem_items[0][i];
        cr_assert_eq(i32_at(field(node, 0)), 1000 + (int32_t)i, "item %u", i);
        uintptr_t pair = word_at(field(node, 1));
        cr_assert_eq(i32_at((const uint8_t *)pair + W2N_GC_ARRAY_LENGTH), 2);
        cr_assert_eq(word_at(field(pair, 0)), ((uintptr_t)i << 1) | 1, "item %u's i31", i);
        cr_assert_eq(word_at(field(node, 2)), (uintptr_t)inst->globals[NGLOBALS - 1]->storage.ref,
                     "item %u's next is the last global", i);
    }
    /* After instantiation, the same values are the store's roots. */
    w2n_gc_collect(store);
    check_chain((uintptr_t)inst->globals[NGLOBALS - 1]->storage.ref, NGLOBALS - 1);
    cr_assert_null(store->gc->scratch, "the evaluator is no root once done");
    w2n_store_free(store);
    w2n_object_free(obj);
    free(k);
}

Test(rt_const_gc, heap_limit_fails_instantiation_cleanly) {
    kit *k = calloc(1, sizeof *k);
    kit_init(k);
    i32c(k, 1 << 20); /* a megabyte of i8s under a 64 KiB limit */
    gc(k, W2N_META_CONST_ARRAY_NEW_DEFAULT, T_BYTES, 0);
    k->globals[0] = (w2n_meta_global){{W2N_ANYREF, false}, run_from(k, 0)};
    k->m.nglobals = 1;
    k->m.nconst_ops = k->npool;
    w2n_object *obj = object_of(&k->m);
    w2n_store *store = store_with_gc_limit(64 * 1024);
    w2n_instance *inst;
    w2n_error err;
    cr_assert_eq(w2n_instantiate(store, obj, NULL, 0, &inst, NULL, &err), W2N_ERR_LIMIT);
    cr_assert(strstr(err.message, "GC heap limit"), "%s", err.message);
    cr_assert_null(store->gc->scratch);
    w2n_store_free(store);
    w2n_object_free(obj);
    free(k);
}

/* Fields of every width from constants, array.new's fill, a lone
 * struct.new_default and the extern/any round trip of a host value. */
Test(rt_const_gc, fields_of_every_width_and_conversions) {
    kit *k = calloc(1, sizeof *k);
    kit_init(k);
    i32c(k, 0x1ff);                                    /* i8 field: 0xff */
    op(k, W2N_CONST_F64, 0, 0x400921fb54442d18ull, 0); /* pi */
    op(k, W2N_CONST_V128, 0, 0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull);
    gc(k, W2N_META_CONST_STRUCT_NEW, T_WIDE, 0);
    k->globals[0] = (w2n_meta_global){{W2N_ANYREF, false}, run_from(k, 0)};
    uint32_t first = k->npool;
    i32c(k, 0x1234); /* packed: 0x34 in each of 3 elements */
    i32c(k, 3);
    gc(k, W2N_META_CONST_ARRAY_NEW, T_BYTES, 0);
    k->globals[1] = (w2n_meta_global){{W2N_ANYREF, false}, run_from(k, first)};
    k->globals[2] = (w2n_meta_global){
        {W2N_ANYREF, false}, {W2N_CONST_GC, W2N_META_CONST_STRUCT_NEW_DEFAULT, {T_WIDE, 0}}};
    first = k->npool;
    op(k, W2N_CONST_GLOBAL_GET, 0, 0, 0); /* global 0: the imported externref */
    gc(k, W2N_META_CONST_ANY_CONVERT_EXTERN, 0, 0);
    gc(k, W2N_META_CONST_EXTERN_CONVERT_ANY, 0, 0);
    k->globals[3] = (w2n_meta_global){{W2N_EXTERNREF, false}, run_from(k, first)};
    w2n_meta_import im = {
        .module = "m", .name = "e", .kind = W2N_EXTERN_GLOBAL, .global = {W2N_EXTERNREF, false}};
    k->m.nimports = 1;
    k->m.imports = &im;
    k->m.nglobals = 4;
    k->m.nconst_ops = k->npool;
    w2n_object *obj = object_of(&k->m);
    w2n_store *store = store_with_gc_limit(1 << 20);
    w2n_global *host = w2n_global_new(store, (w2n_globaltype){W2N_EXTERNREF, false},
                                      (w2n_value){.type = W2N_EXTERNREF, .of.ref = (void *)0x5008});
    cr_assert(host);
    w2n_extern imp = {.kind = W2N_EXTERN_GLOBAL, .of.global = host};
    w2n_instance *inst;
    w2n_error err;
    cr_assert_eq(w2n_instantiate(store, obj, &imp, 1, &inst, NULL, &err), W2N_OK, "%s",
                 err.message);
    uintptr_t wide = (uintptr_t)inst->globals[1]->storage.ref;
    cr_assert_eq(*field(wide, 0), 0xff);
    double pi;
    memcpy(&pi, field(wide, 1), 8);
    cr_assert_float_eq(pi, 3.14159265358979, 1e-12);
    for (int b = 0; b < 16; b++)
        cr_assert_eq(field(wide, 2)[b], b);
    uintptr_t bytes = (uintptr_t)inst->globals[2]->storage.ref;
    cr_assert_eq(i32_at((const uint8_t *)bytes + W2N_GC_ARRAY_LENGTH), 3);
    for (int b = 0; b < 3; b++)
        cr_assert_eq(field(bytes, 0)[b], 0x34);
    uintptr_t dflt = (uintptr_t)inst->globals[3]->storage.ref;
    cr_assert_eq(*field(dflt, 0), 0);
    cr_assert_eq(inst->globals[4]->storage.ref, (void *)0x5008, "extern -> any -> extern");
    w2n_store_free(store);
    w2n_object_free(obj);
    free(k);
}

/* The loader's typing: struct.new's operands are its fields', a GC
 * instruction's type is of its kind, and only the eight constant ones. */
Test(rt_const_gc, typing_refuses_what_the_evaluator_cannot_run) {
    kit *k = calloc(1, sizeof *k);
    kit_init(k);
    i32c(k, 1);
    gc(k, W2N_META_CONST_STRUCT_NEW, T_NODE, 0); /* two operands missing */
    k->globals[0] = (w2n_meta_global){{W2N_ANYREF, false}, run_from(k, 0)};
    k->m.nglobals = 1;
    k->m.nconst_ops = k->npool;
    w2n_object *obj = NULL;
    w2n_error err;
    cr_assert_eq(w2n_object_from_parts(&k->m, NULL, NULL, NULL, &obj, &err), W2N_OK);
    cr_assert_eq(w2n_meta_check(&obj->meta, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "initialiser of another type"), "%s", err.message);
    w2n_object_free(obj);
    /* struct.new_default of an array type */
    k->globals[0].init =
        (w2n_const_expr){W2N_CONST_GC, W2N_META_CONST_STRUCT_NEW_DEFAULT, {T_BYTES, 0}};
    cr_assert_eq(w2n_object_from_parts(&k->m, NULL, NULL, NULL, &obj, &err), W2N_OK);
    cr_assert_eq(w2n_meta_check(&obj->meta, &err), W2N_ERR_BAD_OBJECT);
    w2n_object_free(obj);
    k->globals[0].init = run_from(k, 0);
    k->pool[1].index = 0xFB0002u; /* struct.get is no constant instruction */
    cr_assert_eq(w2n_object_from_parts(&k->m, NULL, NULL, NULL, &obj, &err), W2N_ERR_BAD_OBJECT);
    free(k);
}
