/*
 * selftest_gc.c — `w2n-spectest --self-test`, GC values: the parsing of
 * the GC forms of 3.0 scripts and their comparison with results, against
 * structs, arrays, i31s and host boxes that the runtime's C API makes, so
 * the verdicts are proven before compiled GC code exists.  Each object is
 * judged as the reference interpreter judges it (script/runner.ml,
 * assert_ref_pat), and again after a collection has moved it.
 */
#include <stdio.h>
#include <string.h>

#include "runner.h"

#define CHECK(cond) SPEC_CHECK(cond)

static void test_gc_parsing(void) {
    spec_value v;
    CHECK(spec_parse_value("anyref:null", false, &v) && v.type == W2N_ANYREF &&
          v.pattern == SPEC_REF_NULL);
    CHECK(spec_parse_value("nullref:null", true, &v) && v.type == W2N_NULLREF);
    CHECK(spec_parse_value("nullexnref:null", true, &v) && v.type == W2N_NULLEXNREF);
    CHECK(spec_parse_value("i31ref:nonnull", true, &v) && v.type == W2N_I31REF &&
          v.pattern == SPEC_REF_NONNULL);
    CHECK(!spec_parse_value("i31ref:nonnull", false, &v)); /* a script cannot pass one */
    CHECK(!spec_parse_value("nullref:nonnull", true, &v)); /* none has no values */
    CHECK(!spec_parse_value("structref:5", true, &v));     /* objects have no numbers */
    CHECK(!spec_parse_value("eqref:", true, &v));
    CHECK(spec_parse_value("hostref:2", false, &v) && v.type == W2N_ANYREF &&
          v.pattern == SPEC_REF_HOST && v.bits == 2);
    CHECK(spec_parse_value("hostref:ffffffff", true, &v) && v.bits == 0xffffffffu);
    CHECK(!spec_parse_value("hostref:100000000", true, &v)); /* the interpreter's are i32 */
    CHECK(!spec_parse_value("hostref:", true, &v));
    CHECK(spec_parse_value("ref:null", true, &v) && v.pattern == SPEC_REF_ANY_NULL);
    CHECK(!spec_parse_value("ref:null", false, &v)); /* an argument needs its type */
    CHECK(!spec_parse_value("ref:nonnull", true, &v));
}

/* The objects every check below is made against. */
typedef struct gc_fixture {
    w2n_store *store;
    w2n_gc_ref *point, *bytes, *seven, *minus_one, *host2;
} gc_fixture;

static bool fixture_make(gc_fixture *f) {
    memset(f, 0, sizeof *f);
    w2n_error err;
    f->store = w2n_store_new(NULL);
    if (!f->store)
        return false;
    w2n_gc_field fields[2] = {{W2N_I32, 0, true}, {W2N_ANYREF, 0, true}};
    const w2n_gc_rtt *point = w2n_gc_struct_type(f->store, fields, 2, NULL, &err);
    w2n_gc_field byte = {W2N_GC_PACKED_I8, 0, true};
    const w2n_gc_rtt *bytes = w2n_gc_array_type(f->store, byte, NULL, &err);
    w2n_value init[2] = {w2n_i32(5), {W2N_ANYREF, {.ref = NULL}}};
    spec_value host;
    w2n_value host_arg;
    return point && bytes &&
           w2n_gc_struct_new(f->store, point, init, 2, &f->point, &err) == W2N_OK &&
           w2n_gc_array_new(f->store, bytes, 3, NULL, &f->bytes, &err) == W2N_OK &&
           (f->seven = w2n_gc_i31_new(f->store, 7)) &&
           (f->minus_one = w2n_gc_i31_new(f->store, -1)) &&
           spec_parse_value("hostref:2", false, &host) &&
           spec_arg_to_runtime(f->store, &host, &host_arg, &err) && (f->host2 = host_arg.of.ref);
}

static w2n_value as(w2n_valtype type, w2n_gc_ref *ref) {
    w2n_value v = {type, {.ref = ref}};
    return v;
}

/* Does the expected token match a value of `type` holding `ref`? */
static bool matches(gc_fixture *f, const char *expected, w2n_valtype type, w2n_gc_ref *ref) {
    spec_value e;
    if (!spec_parse_value(expected, true, &e))
        return false;
    w2n_value a = as(type, ref);
    return spec_value_matches(f->store, &e, &a);
}

static void check_kinds(gc_fixture *f) {
    /* (ref.struct), (ref.array), (ref.i31), (ref.eq), (ref) by what the
     * handle names, whatever the result's static type says. */
    CHECK(matches(f, "structref:nonnull", W2N_STRUCTREF, f->point));
    CHECK(matches(f, "structref:nonnull", W2N_ANYREF, f->point));
    CHECK(matches(f, "structref:nonnull", w2n_valtype_ref(w2n_heaptype_concrete(4), false),
                  f->point));
    CHECK(!matches(f, "structref:nonnull", W2N_ANYREF, f->bytes));
    CHECK(!matches(f, "structref:nonnull", W2N_ANYREF, f->seven));
    CHECK(!matches(f, "structref:nonnull", W2N_ANYREF, f->host2));
    CHECK(!matches(f, "structref:nonnull", W2N_STRUCTREF, NULL));
    CHECK(matches(f, "arrayref:nonnull", W2N_ARRAYREF, f->bytes));
    CHECK(!matches(f, "arrayref:nonnull", W2N_ANYREF, f->point));
    CHECK(matches(f, "i31ref:nonnull", W2N_I31REF, f->seven));
    CHECK(matches(f, "i31ref:nonnull", W2N_EQREF, f->minus_one));
    CHECK(!matches(f, "i31ref:nonnull", W2N_ANYREF, f->point));
    CHECK(!matches(f, "i31ref:nonnull", W2N_ANYREF, f->host2));
    CHECK(matches(f, "eqref:nonnull", W2N_ANYREF, f->point));
    CHECK(matches(f, "eqref:nonnull", W2N_ANYREF, f->bytes));
    CHECK(matches(f, "eqref:nonnull", W2N_ANYREF, f->seven));
    CHECK(!matches(f, "eqref:nonnull", W2N_ANYREF, f->host2)); /* a host value is no eq */
    CHECK(!matches(f, "eqref:nonnull", W2N_EQREF, NULL));
    CHECK(matches(f, "anyref:nonnull", W2N_ANYREF, f->host2));
    CHECK(matches(f, "anyref:nonnull", W2N_ANYREF, f->point));
    CHECK(!matches(f, "anyref:nonnull", W2N_ANYREF, NULL));
    /* Not where the result is a funcref, externref or exnref. */
    CHECK(!matches(f, "structref:nonnull", W2N_EXTERNREF, f->point));
    CHECK(!matches(f, "anyref:nonnull", W2N_FUNCREF, f->point));
    CHECK(!matches(f, "anyref:nonnull", W2N_I32, NULL));
}

static void check_nulls(gc_fixture *f) {
    /* (ref.null T): a null of T's hierarchy; (ref.null): any null. */
    CHECK(matches(f, "anyref:null", W2N_ANYREF, NULL));
    CHECK(matches(f, "nullref:null", W2N_ANYREF, NULL));
    CHECK(matches(f, "anyref:null", W2N_NULLREF, NULL));
    CHECK(matches(f, "structref:null", w2n_valtype_ref(w2n_heaptype_concrete(2), true), NULL));
    CHECK(!matches(f, "anyref:null", W2N_ANYREF, f->seven));
    CHECK(!matches(f, "anyref:null", W2N_STRUCTREF, f->point));
    CHECK(!matches(f, "anyref:null", W2N_FUNCREF, NULL));
    CHECK(!matches(f, "anyref:null", W2N_EXTERNREF, NULL));
    CHECK(matches(f, "ref:null", W2N_FUNCREF, NULL));
    CHECK(matches(f, "ref:null", W2N_EXTERNREF, NULL));
    CHECK(matches(f, "ref:null", W2N_EXNREF, NULL));
    CHECK(matches(f, "ref:null", W2N_ANYREF, NULL));
    CHECK(!matches(f, "ref:null", W2N_ANYREF, f->seven));
    CHECK(!matches(f, "ref:null", W2N_I32, NULL)); /* i32 0 is no null */
    CHECK(matches(f, "nullfuncref:null", W2N_FUNCREF, NULL));
    CHECK(!matches(f, "nullfuncref:null", W2N_ANYREF, NULL));
    CHECK(matches(f, "nullexternref:null", W2N_EXTERNREF, NULL));
}

static void check_host_values(gc_fixture *f) {
    /* (ref.host N): any.convert_extern of (ref.extern N), both ways. */
    CHECK(matches(f, "hostref:2", W2N_ANYREF, f->host2));
    CHECK(!matches(f, "hostref:3", W2N_ANYREF, f->host2));
    CHECK(!matches(f, "hostref:2", W2N_ANYREF, NULL));
    CHECK(!matches(f, "hostref:2", W2N_ANYREF, f->seven));
    CHECK(!matches(f, "hostref:2", W2N_ANYREF, f->point));
    CHECK(!matches(f, "hostref:2", W2N_EXTERNREF, f->host2));
    CHECK(w2n_gc_extern_from_any(f->store, f->host2) == spec_extern_ref(2));
    /* extern.convert_any of it is (ref.extern 2) again. */
    spec_value e;
    w2n_value ext = {W2N_EXTERNREF, {.ref = w2n_gc_extern_from_any(f->store, f->host2)}};
    CHECK(spec_parse_value("externref:2", true, &e) && spec_value_matches(f->store, &e, &ext));
    /* An anyref result never matches an externref expectation. */
    w2n_value any = as(W2N_ANYREF, f->host2);
    CHECK(!spec_value_matches(f->store, &e, &any));
    /* hostref:0 is not null, like ref.extern 0. */
    spec_value zero;
    w2n_value arg;
    w2n_error err;
    CHECK(spec_parse_value("hostref:0", false, &zero) &&
          spec_arg_to_runtime(f->store, &zero, &arg, &err) && arg.of.ref != NULL &&
          arg.type == W2N_ANYREF);
    CHECK(matches(f, "hostref:0", W2N_ANYREF, arg.of.ref));
    CHECK(!matches(f, "ref:null", W2N_ANYREF, arg.of.ref));
}

static void check_format(gc_fixture *f) {
    char buf[100];
    struct {
        w2n_valtype type;
        w2n_gc_ref *ref;
        const char *text;
    } cases[] = {
        {W2N_ANYREF, f->seven, "i31ref:7"},          {W2N_I31REF, f->minus_one, "i31ref:7fffffff"},
        {W2N_ANYREF, f->point, "structref:nonnull"}, {W2N_EQREF, f->bytes, "arrayref:nonnull"},
        {W2N_ANYREF, f->host2, "hostref:2"},         {W2N_ANYREF, NULL, "anyref:null"},
        {W2N_NULLREF, NULL, "nullref:null"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        w2n_value v = as(cases[i].type, cases[i].ref);
        spec_format_value(f->store, &v, buf, sizeof buf);
        if (strcmp(buf, cases[i].text))
            fprintf(stderr, "self-test: format gave %s, expected %s\n", buf, cases[i].text);
        CHECK(!strcmp(buf, cases[i].text));
    }
    const char *expected[] = {"ref:null", "hostref:2", "eqref:nonnull", "anyref:null",
                              "nullexternref:null"};
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        spec_value e;
        CHECK(spec_parse_value(expected[i], true, &e));
        spec_format_expected(&e, buf, sizeof buf);
        CHECK(!strcmp(buf, expected[i]));
    }
}

void spec_self_test_gc(void) {
    test_gc_parsing();
    gc_fixture f;
    bool made = fixture_make(&f);
    CHECK(made);
    if (made) {
        check_kinds(&f);
        check_nulls(&f);
        check_host_values(&f);
        check_format(&f);
        /* The verdicts follow the objects when the collector moves them. */
        w2n_gc_stats before, after;
        w2n_gc_get_stats(f.store, &before);
        w2n_gc_collect(f.store);
        w2n_gc_get_stats(f.store, &after);
        CHECK(after.collections == before.collections + 1);
        check_kinds(&f);
        check_host_values(&f);
    }
    if (f.store)
        w2n_store_free(f.store);
}
