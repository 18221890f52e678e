/*
 * test_rt_gc.c — the GC heap through the public API (runtime/gc/): objects
 * made with tiny heap limits so that the collector runs thousands of times,
 * and every value checked after; the object layout; the roots in handles,
 * globals and tables; the extern/any conversions; the clean error at the
 * heap limit.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "gc.h"
#include "gc_store_kit.h"
#include "internal.h"
#include "w2n/runtime.h"

static const w2n_gc_rtt *pair_type(w2n_store *s) {
    /* (struct (field (mut i32)) (field (mut anyref))) */
    w2n_gc_field f[2] = {{W2N_I32, 0, true}, {W2N_ANYREF, 0, true}};
    w2n_error err;
    const w2n_gc_rtt *t = w2n_gc_struct_type(s, f, 2, NULL, &err);
    cr_assert(t, "%s", err.message);
    return t;
}

static w2n_gc_ref *pair_new(w2n_store *s, const w2n_gc_rtt *t, int32_t v, w2n_gc_ref *next) {
    w2n_value fields[2] = {w2n_i32(v), {W2N_ANYREF, {.ref = next}}};
    w2n_gc_ref *out;
    w2n_error err;
    cr_assert_eq(w2n_gc_struct_new(s, t, fields, 2, &out, &err), W2N_OK, "%s", err.message);
    return out;
}

static int32_t pair_value(w2n_store *s, w2n_gc_ref *r) {
    w2n_value v;
    w2n_error err;
    cr_assert_eq(w2n_gc_struct_get(s, r, 0, false, &v, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(v.type, W2N_I32);
    return v.of.i32;
}

/* A new handle to field 1 of r (the caller releases it). */
static w2n_gc_ref *pair_next(w2n_store *s, w2n_gc_ref *r) {
    w2n_value v;
    w2n_error err;
    cr_assert_eq(w2n_gc_struct_get(s, r, 1, false, &v, &err), W2N_OK, "%s", err.message);
    return v.of.ref;
}

/* Garbage: n pairs nobody keeps. */
static void churn(w2n_store *s, const w2n_gc_rtt *t, int n) {
    size_t scope = w2n_gc_scope_open(s);
    for (int i = 0; i < n; i++) {
        pair_new(s, t, -i, NULL);
        if (i % 64 == 63) {
            w2n_gc_scope_close(s, scope);
            scope = w2n_gc_scope_open(s);
        }
    }
    w2n_gc_scope_close(s, scope);
}

static void check_list(w2n_store *s, w2n_gc_ref *head, int n) {
    size_t scope = w2n_gc_scope_open(s);
    w2n_gc_ref *r = w2n_gc_ref_clone(s, head);
    for (int i = n - 1; i >= 0; i--) {
        cr_assert(r, "list ends early at %d", i);
        cr_assert_eq(pair_value(s, r), i);
        r = pair_next(s, r);
    }
    cr_assert_null(r);
    w2n_gc_scope_close(s, scope);
}

Test(gc, linked_list_survives_thousands_of_collections) {
    w2n_store *s = store_with_gc_limit(64 << 10);
    const w2n_gc_rtt *t = pair_type(s);
    w2n_gc_ref *head = NULL;
    for (int i = 0; i < 2000; i++) {
        w2n_gc_ref *next = pair_new(s, t, i, head);
        w2n_gc_ref_free(s, head);
        head = next;
        churn(s, t, 1000);
        if (i % 500 == 0)
            check_list(s, head, i + 1);
    }
    check_list(s, head, 2000);
    w2n_gc_stats st;
    w2n_gc_get_stats(s, &st);
    cr_assert_geq(st.collections, 1000, "only %llu collections",
                  (unsigned long long)st.collections);
    cr_assert_leq(st.bytes_live, 2000 * 24 + 64 * 24); /* the list and one churn scope */
    w2n_store_free(s);
}

/* Trees: node = pair of (depth, left) with right in a second pair type. */
static const w2n_gc_rtt *node_type(w2n_store *s) {
    w2n_gc_field f[3] = {{W2N_I32, 0, false}, {W2N_EQREF, 0, false}, {W2N_EQREF, 0, false}};
    w2n_error err;
    const w2n_gc_rtt *t = w2n_gc_struct_type(s, f, 3, NULL, &err);
    cr_assert(t, "%s", err.message);
    return t;
}

static w2n_gc_ref *tree(w2n_store *s, const w2n_gc_rtt *t, int depth, int32_t *label) {
    size_t scope = w2n_gc_scope_open(s);
    w2n_gc_ref *l = depth ? tree(s, t, depth - 1, label) : NULL;
    w2n_gc_ref *r = depth ? tree(s, t, depth - 1, label) : NULL;
    w2n_value f[3] = {w2n_i32((*label)++), {W2N_EQREF, {.ref = l}}, {W2N_EQREF, {.ref = r}}};
    w2n_gc_ref *n;
    w2n_error err;
    cr_assert_eq(w2n_gc_struct_new(s, t, f, 3, &n, &err), W2N_OK, "%s", err.message);
    return w2n_gc_scope_escape(s, scope, n);
}

static void check_tree(w2n_store *s, w2n_gc_ref *n, int depth, int32_t *label) {
    size_t scope = w2n_gc_scope_open(s);
    w2n_value f[3];
    w2n_error err;
    for (uint32_t i = 0; i < 3; i++)
        cr_assert_eq(w2n_gc_struct_get(s, n, i, false, &f[i], &err), W2N_OK, "%s", err.message);
    if (depth) {
        check_tree(s, f[1].of.ref, depth - 1, label);
        check_tree(s, f[2].of.ref, depth - 1, label);
    } else {
        cr_assert_null(f[1].of.ref);
        cr_assert_null(f[2].of.ref);
    }
    cr_assert_eq(f[0].of.i32, (*label)++);
    w2n_gc_scope_close(s, scope);
}

Test(gc, trees_keep_every_label) {
    w2n_store *s = store_with_gc_limit(96 << 10);
    const w2n_gc_rtt *t = node_type(s);
    int32_t label = 0;
    w2n_gc_ref *keep = tree(s, t, 10, &label); /* 2047 nodes, 64 KiB */
    for (int round = 0; round < 1000; round++) {
        int32_t l = 0;
        size_t scope = w2n_gc_scope_open(s);
        w2n_gc_ref *tmp = tree(s, t, 8, &l);
        l = 0;
        check_tree(s, tmp, 8, &l);
        w2n_gc_scope_close(s, scope);
    }
    label = 0;
    check_tree(s, keep, 10, &label);
    w2n_gc_stats st;
    w2n_gc_get_stats(s, &st);
    cr_assert_geq(st.collections, 300, "only %llu collections", (unsigned long long)st.collections);
    w2n_store_free(s);
}

Test(gc, arrays_of_arrays_and_i31) {
    w2n_store *s = store_with_gc_limit(64 << 10);
    w2n_error err;
    w2n_gc_field inner_elem = {W2N_I64, 0, true};
    const w2n_gc_rtt *inner = w2n_gc_array_type(s, inner_elem, NULL, &err);
    w2n_gc_field outer_elem = {W2N_ANYREF, 0, true};
    const w2n_gc_rtt *outer = w2n_gc_array_type(s, outer_elem, NULL, &err);
    cr_assert(inner && outer, "%s", err.message);
    const w2n_gc_rtt *pt = pair_type(s);
    w2n_gc_ref *a;
    cr_assert_eq(w2n_gc_array_new(s, outer, 100, NULL, &a, &err), W2N_OK, "%s", err.message);
    for (uint32_t i = 0; i < 100; i++) {
        size_t scope = w2n_gc_scope_open(s);
        w2n_value v = {W2N_ANYREF, {.ref = NULL}};
        if (i % 3 == 0) {
            v.of.ref = w2n_gc_i31_new(s, -(int32_t)i);
        } else if (i % 3 == 1) {
            w2n_value init = w2n_i64((int64_t)i << 40);
            cr_assert_eq(w2n_gc_array_new(s, inner, i, &init, (w2n_gc_ref **)&v.of.ref, &err),
                         W2N_OK, "%s", err.message);
        }
        cr_assert_eq(w2n_gc_array_set(s, a, i, &v, &err), W2N_OK, "%s", err.message);
        w2n_gc_scope_close(s, scope);
        churn(s, pt, 300);
    }
    for (int pass = 0; pass < 20; pass++) {
        churn(s, pt, 20000);
        for (uint32_t i = 0; i < 100; i++) {
            size_t scope = w2n_gc_scope_open(s);
            w2n_value v;
            cr_assert_eq(w2n_gc_array_get(s, a, i, false, &v, &err), W2N_OK, "%s", err.message);
            if (i % 3 == 0) {
                cr_assert(w2n_gc_ref_is_i31(v.of.ref));
                cr_assert_eq(w2n_gc_i31_get(v.of.ref, true), -(int32_t)i);
            } else if (i % 3 == 1) {
                cr_assert_eq(w2n_gc_ref_type(v.of.ref), inner);
                cr_assert_eq(w2n_gc_array_len(v.of.ref), i);
                for (uint32_t j = 0; j < i; j++) {
                    w2n_value e;
                    cr_assert_eq(w2n_gc_array_get(s, v.of.ref, j, false, &e, &err), W2N_OK);
                    cr_assert_eq(e.of.i64, (int64_t)i << 40);
                }
            } else {
                cr_assert_null(v.of.ref);
            }
            w2n_gc_scope_close(s, scope);
        }
    }
    w2n_gc_stats st;
    w2n_gc_get_stats(s, &st);
    cr_assert_geq(st.collections, 100);
    w2n_store_free(s);
}

Test(gc, cycles_survive_while_reachable_and_die_after) {
    w2n_store *s = store_with_gc_limit(256 << 10);
    const w2n_gc_rtt *t = pair_type(s);
    w2n_error err;
    /* A ring of 500 pairs: the last points back at the first. */
    w2n_gc_ref *first = pair_new(s, t, 0, NULL), *prev = w2n_gc_ref_clone(s, first);
    for (int i = 1; i < 500; i++) {
        w2n_gc_ref *n = pair_new(s, t, i, NULL);
        w2n_value link = {W2N_ANYREF, {.ref = n}};
        cr_assert_eq(w2n_gc_struct_set(s, prev, 1, &link, &err), W2N_OK, "%s", err.message);
        w2n_gc_ref_free(s, prev);
        prev = n;
        churn(s, t, 100);
    }
    w2n_value back = {W2N_ANYREF, {.ref = first}};
    cr_assert_eq(w2n_gc_struct_set(s, prev, 1, &back, &err), W2N_OK);
    w2n_gc_ref_free(s, prev);
    churn(s, t, 20000);
    size_t scope = w2n_gc_scope_open(s);
    w2n_gc_ref *r = w2n_gc_ref_clone(s, first);
    for (int i = 0; i < 1000; i++) {
        cr_assert_eq(pair_value(s, r), i % 500);
        r = pair_next(s, r);
    }
    cr_assert(w2n_gc_ref_eq(r, first), "the ring closes on its first pair");
    w2n_gc_scope_close(s, scope);
    w2n_gc_ref_free(s, first);
    w2n_gc_collect(s);
    w2n_gc_stats st;
    w2n_gc_get_stats(s, &st);
    cr_assert_eq(st.bytes_live, 0, "an unreachable cycle is garbage (%llu bytes live)",
                 (unsigned long long)st.bytes_live);
    w2n_store_free(s);
}

Test(gc, layout_of_packed_and_wide_fields) {
    w2n_store *s = store_with_gc_limit(0);
    w2n_error err;
    w2n_gc_field f[5] = {{W2N_GC_PACKED_I8, 0, true},
                         {W2N_I64, 0, true},
                         {W2N_GC_PACKED_I16, 0, true},
                         {W2N_V128, 0, true},
                         {W2N_STRUCTREF, 0, true}};
    const w2n_gc_rtt *t = w2n_gc_struct_type(s, f, 5, NULL, &err);
    cr_assert(t, "%s", err.message);
    uint32_t want[5] = {8, 16, 24, 32, 48};
    for (int i = 0; i < 5; i++)
        cr_assert_eq(t->fields[i].offset, want[i], "field %d at %u", i, t->fields[i].offset);
    cr_assert_eq(t->size, 56);
    cr_assert_eq(t->nrefs, 1);
    cr_assert_eq(t->ref_offsets[0], 48);
    w2n_gc_field b = {W2N_GC_PACKED_I8, 0, true}, d = {W2N_F64, 0, true};
    const w2n_gc_rtt *bytes = w2n_gc_array_type(s, b, NULL, &err);
    const w2n_gc_rtt *dbl = w2n_gc_array_type(s, d, NULL, &err);
    cr_assert_eq(bytes->fields[0].offset, W2N_GC_ARRAY_DATA_SMALL);
    cr_assert_eq(dbl->fields[0].offset, W2N_GC_ARRAY_DATA_WIDE);
    cr_assert_eq(w2n_gc_object_bytes(bytes, 5), 24);
    cr_assert_eq(w2n_gc_object_bytes(dbl, 3), 40);

    /* Packed reads: signed and unsigned. */
    w2n_value v[5] = {w2n_i32(0xF0),
                      w2n_i64(-1),
                      w2n_i32(0x8001),
                      {W2N_V128, {.v128 = {1}}},
                      {W2N_STRUCTREF, {.ref = NULL}}};
    w2n_gc_ref *o;
    cr_assert_eq(w2n_gc_struct_new(s, t, v, 5, &o, &err), W2N_OK, "%s", err.message);
    w2n_value out;
    cr_assert_eq(w2n_gc_struct_get(s, o, 0, true, &out, &err), W2N_OK);
    cr_assert_eq(out.of.i32, -16);
    cr_assert_eq(w2n_gc_struct_get(s, o, 0, false, &out, &err), W2N_OK);
    cr_assert_eq(out.of.i32, 0xF0);
    cr_assert_eq(w2n_gc_struct_get(s, o, 2, true, &out, &err), W2N_OK);
    cr_assert_eq(out.of.i32, (int16_t)0x8001);
    cr_assert_eq(w2n_gc_struct_get(s, o, 2, false, &out, &err), W2N_OK);
    cr_assert_eq(out.of.i32, 0x8001);
    /* Wrong types and immutable fields are refused. */
    w2n_value wrong = w2n_f32(1);
    cr_assert_eq(w2n_gc_struct_set(s, o, 1, &wrong, &err), W2N_ERR_ARGUMENT);
    cr_assert_eq(w2n_gc_struct_get(s, o, 5, false, &out, &err), W2N_ERR_ARGUMENT);
    w2n_store_free(s);
}

Test(gc, casts_use_the_display_at_any_depth) {
    w2n_store *s = store_with_gc_limit(0);
    w2n_error err;
    w2n_gc_field f[12];
    for (int i = 0; i < 12; i++)
        f[i] = (w2n_gc_field){W2N_I32, 0, false};
    const w2n_gc_rtt *chain[12];
    for (uint32_t d = 0; d < 12; d++) {
        chain[d] = w2n_gc_struct_type(s, f, d + 1, d ? chain[d - 1] : NULL, &err);
        cr_assert(chain[d], "%s", err.message);
        cr_assert_eq(chain[d]->depth, d);
    }
    for (uint32_t a = 0; a < 12; a++)
        for (uint32_t b = 0; b < 12; b++)
            cr_assert_eq(w2n_gc_type_sub(chain[a], chain[b]), b <= a, "%u <: %u", a, b);
    const w2n_gc_rtt *other = w2n_gc_struct_type(s, f, 3, chain[1], &err);
    cr_assert(w2n_gc_type_sub(other, chain[1]));
    cr_assert_not(w2n_gc_type_sub(other, chain[2]));
    /* A subtype only appends fields. */
    w2n_gc_field g[2] = {{W2N_I64, 0, false}, {W2N_I32, 0, false}};
    cr_assert_null(w2n_gc_struct_type(s, g, 2, chain[0], &err));
    cr_assert_eq(err.code, W2N_ERR_ARGUMENT);
    w2n_store_free(s);
}

Test(gc, extern_and_any_round_trips_keep_identity) {
    w2n_store *s = store_with_gc_limit(64 << 10);
    const w2n_gc_rtt *t = pair_type(s);
    w2n_error err;
    /* Host values, odd small integers included, are never i31 or objects. */
    void *hosts[] = {(void *)1, (void *)2, (void *)3, (void *)0x7fff0001, &err};
    for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++) {
        w2n_gc_ref *a;
        cr_assert_eq(w2n_gc_any_from_extern(s, hosts[i], &a, &err), W2N_OK, "%s", err.message);
        cr_assert_not(w2n_gc_ref_is_i31(a));
        cr_assert_eq(w2n_gc_ref_type(a)->kind, W2N_GC_KIND_HOST);
        churn(s, t, 3000);
        cr_assert_eq(w2n_gc_extern_from_any(s, a), hosts[i]);
    }
    /* i31 and objects come back as themselves. */
    int32_t values[] = {0, 1, -1, 0x3fffffff, -0x40000000};
    for (size_t i = 0; i < 5; i++) {
        w2n_gc_ref *i31 = w2n_gc_i31_new(s, values[i]), *back;
        void *e = w2n_gc_extern_from_any(s, i31);
        cr_assert_eq(w2n_gc_any_from_extern(s, e, &back, &err), W2N_OK);
        cr_assert(w2n_gc_ref_eq(back, i31));
        cr_assert_eq(w2n_gc_i31_get(back, true), values[i]);
    }
    w2n_gc_ref *p = pair_new(s, t, 7, NULL), *back;
    cr_assert_eq(w2n_gc_any_from_extern(s, w2n_gc_extern_from_any(s, p), &back, &err), W2N_OK);
    cr_assert(w2n_gc_ref_eq(back, p));
    cr_assert_eq(w2n_gc_any_from_extern(s, NULL, &back, &err), W2N_OK);
    cr_assert_null(back);
    w2n_store_free(s);
}

Test(gc, globals_and_tables_are_roots) {
    w2n_store *s = store_with_gc_limit(128 << 10);
    const w2n_gc_rtt *t = pair_type(s);
    w2n_error err;
    /* An externref global and table holding externalised structs. */
    w2n_gc_ref *p = pair_new(s, t, 41, NULL), *q = pair_new(s, t, 42, NULL);
    w2n_globaltype gt = {W2N_EXTERNREF, true};
    w2n_global *g = w2n_global_new(s, gt, (w2n_value){W2N_EXTERNREF, {.ref = NULL}});
    g->storage.ref = w2n_gc_extern_from_any(s, p);
    w2n_tabletype tt = {.elem = W2N_EXTERNREF, .limits = {.min = 4, .max = 4, .has_max = true}};
    w2n_table *tab = w2n_table_new(s, tt, NULL, &err);
    cr_assert(tab, "%s", err.message);
    cr_assert_eq(w2n_table_set(tab, 2, w2n_gc_extern_from_any(s, q), &err), W2N_OK);
    cr_assert_eq(w2n_table_set(tab, 3, (void *)5, &err), W2N_OK); /* a host value */
    w2n_gc_ref_free(s, q);
    w2n_gc_ref_free(s, p);
    churn(s, t, 50000);
    w2n_gc_ref *fromg, *fromt;
    cr_assert_eq(w2n_gc_any_from_extern(s, g->storage.ref, &fromg, &err), W2N_OK);
    void *e;
    cr_assert_eq(w2n_table_get(tab, 2, &e, &err), W2N_OK);
    cr_assert_eq(w2n_gc_any_from_extern(s, e, &fromt, &err), W2N_OK);
    cr_assert_eq(w2n_gc_ref_type(fromg), t);
    cr_assert_eq(pair_value(s, fromg), 41);
    cr_assert_eq(pair_value(s, fromt), 42);
    cr_assert_eq(w2n_table_get(tab, 3, &e, &err), W2N_OK);
    cr_assert_eq(e, (void *)5, "host values in tables are left alone");
    w2n_store_free(s);
}

Test(gc, heap_limit_gives_a_clean_error) {
    w2n_store *s = store_with_gc_limit(64 << 10);
    const w2n_gc_rtt *t = pair_type(s);
    w2n_gc_ref *head = NULL;
    w2n_error err;
    w2n_status st = W2N_OK;
    int n = 0;
    while (st == W2N_OK && n < 100000) {
        w2n_value f[2] = {w2n_i32(n), {W2N_ANYREF, {.ref = head}}};
        w2n_gc_ref *next;
        st = w2n_gc_struct_new(s, t, f, 2, &next, &err);
        if (st == W2N_OK)
            head = next, n++;
    }
    cr_assert_eq(st, W2N_ERR_LIMIT);
    cr_assert(strstr(err.message, "GC heap limit of 65536 bytes reached"), "%s", err.message);
    cr_assert_geq(n, 65536 / 24 - 16);
    cr_assert_leq(n, 65536 / 24);
    /* The heap is still whole: everything made is there. */
    check_list(s, head, n);
    /* And a big array past the limit is refused without touching it. */
    w2n_gc_field b = {W2N_GC_PACKED_I8, 0, true};
    const w2n_gc_rtt *bytes = w2n_gc_array_type(s, b, NULL, &err);
    w2n_gc_ref *big;
    cr_assert_eq(w2n_gc_array_new(s, bytes, 1u << 30, NULL, &big, &err), W2N_ERR_LIMIT);
    w2n_store_free(s);
}

Test(gc, scopes_release_their_handles) {
    w2n_store *s = store_with_gc_limit(0);
    const w2n_gc_rtt *t = pair_type(s);
    size_t outer = w2n_gc_scope_open(s);
    for (int i = 0; i < 5000; i++)
        pair_new(s, t, i, NULL);
    w2n_gc_collect(s);
    w2n_gc_stats st;
    w2n_gc_get_stats(s, &st);
    cr_assert_eq(st.bytes_live, 5000 * 24);
    w2n_gc_scope_close(s, outer);
    w2n_gc_collect(s);
    w2n_gc_get_stats(s, &st);
    cr_assert_eq(st.bytes_live, 0);
    cr_assert_eq(st.collections, 2);
    w2n_store_free(s);
}

Test(gc, stores_without_gc_have_no_heap) {
    w2n_store *s = store_with_gc_limit(0);
    cr_assert_null(s->gc);
    w2n_gc_stats st;
    w2n_gc_get_stats(s, &st);
    cr_assert_eq(st.collections, 0);
    w2n_gc_collect(s);
    cr_assert_null(s->gc);
    w2n_store_free(s);
}

Test(gc, exception_payloads_are_roots) {
    w2n_store *s = store_with_gc_limit(64 << 10);
    const w2n_gc_rtt *t = pair_type(s);
    w2n_error err;
    w2n_valtype params[2] = {W2N_I32, W2N_EXTERNREF};
    w2n_functype ft = {2, 0, params, NULL};
    w2n_tag *tag = w2n_tag_new(s, &ft, &err);
    cr_assert(tag, "%s", err.message);
    w2n_gc_ref *p = pair_new(s, t, 77, NULL);
    w2n_value payload[2] = {w2n_i32(5), {W2N_EXTERNREF, {.ref = w2n_gc_extern_from_any(s, p)}}};
    void *before = payload[1].of.ref;
    w2n_exception *exn;
    cr_assert_eq(w2n_exception_new(s, tag, payload, 2, &exn, &err), W2N_OK, "%s", err.message);
    w2n_gc_ref_free(s, p);
    churn(s, t, 20000);
    w2n_value kept = w2n_exception_value(exn, 1);
    cr_assert_neq(kept.of.ref, before, "the object moved and the payload followed");
    w2n_gc_ref *back;
    cr_assert_eq(w2n_gc_any_from_extern(s, kept.of.ref, &back, &err), W2N_OK);
    cr_assert_eq(w2n_gc_ref_type(back), t);
    cr_assert_eq(pair_value(s, back), 77);
    cr_assert_eq(w2n_exception_value(exn, 0).of.i32, 5, "numbers are left alone");
    w2n_store_free(s);
}

Test(gc, the_window_is_what_inline_allocation_bumps) {
    w2n_store *s = store_with_gc_limit(0);
    const w2n_gc_rtt *t = pair_type(s);
    cr_assert_not_null(s->gc);
    /* The window compiled code bumps is the heap's, and bumping it by hand
     * (as inline allocation will) makes objects the collector keeps. */
    w2n_gc_alloc_abi *w = &s->gc->window;
    uint8_t *obj = w->top;
    cr_assert_leq(w->top + t->size, w->end);
    w->top += t->size;
    *(const w2n_gc_rtt **)obj = t;
    cr_assert_eq(*(int32_t *)(obj + t->fields[0].offset), 0, "fresh memory is zero");
    *(int32_t *)(obj + t->fields[0].offset) = 1234;
    w2n_gc_ref *h = w2n_gc_handle_new(s->gc, (uintptr_t)obj);
    w2n_gc_collect(s);
    cr_assert_neq(w2n_gc_handle_word(h), (uintptr_t)obj);
    cr_assert_eq(pair_value(s, h), 1234);
    w2n_store_free(s);
}

Test(gc, host_values_are_checked_by_what_they_name) {
    w2n_store *s = store_with_gc_limit(0);
    const w2n_gc_rtt *t = pair_type(s);
    w2n_error err;
    w2n_gc_field e = {W2N_I32, 0, true};
    const w2n_gc_rtt *arr = w2n_gc_array_type(s, e, NULL, &err);
    w2n_gc_ref *st = pair_new(s, t, 1, NULL), *i31 = w2n_gc_i31_new(s, 9), *a, *box;
    cr_assert_eq(w2n_gc_array_new(s, arr, 3, NULL, &a, &err), W2N_OK);
    cr_assert_eq(w2n_gc_any_from_extern(s, (void *)1, &box, &err), W2N_OK);
    struct {
        w2n_gc_ref *ref;
        w2n_valtype want;
        bool fits;
    } cases[] = {
        {st, W2N_ANYREF, true},
        {st, W2N_EQREF, true},
        {st, W2N_STRUCTREF, true},
        {st, W2N_ARRAYREF, false},
        {st, W2N_I31REF, false},
        {a, W2N_ARRAYREF, true},
        {a, W2N_STRUCTREF, false},
        {i31, W2N_I31REF, true},
        {i31, W2N_EQREF, true},
        {i31, W2N_STRUCTREF, false},
        {box, W2N_ANYREF, true},
        {box, W2N_EQREF, false},
        {NULL, W2N_STRUCTREF, true},
        {NULL, W2N_STRUCTREF | W2N_VALTYPE_NON_NULL, false},
        {st, W2N_EXTERNREF, false},
        {NULL, W2N_FUNCREF, false},
        {st, W2N_VALTYPE_CONCRETE | 3u << W2N_VALTYPE_INDEX_SHIFT, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        w2n_value v = {W2N_ANYREF, {.ref = cases[i].ref}};
        cr_assert_eq(w2n_value_fits(&v, cases[i].want, 0), cases[i].fits, "case %zu", i);
    }
    /* Raw words and handles: the same reference both ways. */
    w2n_gc_ref *again = w2n_gc_ref_from_raw(s, w2n_gc_raw_of(st));
    cr_assert(w2n_gc_ref_eq(again, st));
    cr_assert_null(w2n_gc_ref_from_raw(s, NULL));
    cr_assert_eq((uintptr_t)w2n_gc_raw_of(i31), (9u << 1) | 1u);
    w2n_store_free(s);
}
