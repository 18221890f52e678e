/*
 * selftest.c — `w2n-spectest --self-test`: checks of the runner's own
 * parsing and comparison, which decide every verdict of the spec suite and
 * so must be right before any compiler or runtime exists.  Runs anywhere
 * the runner runs (also under qemu) and needs no compiled object.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

static int failures;

void spec_self_check(bool ok, const char *file, int line, const char *what) {
    if (!ok) {
        fprintf(stderr, "self-test: %s:%d: %s\n", file, line, what);
        failures++;
    }
}

#define CHECK(cond) SPEC_CHECK(cond)

static bool string_is(const char *tok, const char *want, size_t want_len) {
    char *s;
    size_t len;
    if (!spec_parse_string(tok, &s, &len))
        return false;
    bool ok = s && len == want_len && !memcmp(s, want, len);
    free(s);
    return ok;
}

static void test_strings(void) {
    char *s = (char *)1;
    CHECK(string_is("x6869", "hi", 2));
    CHECK(string_is("x", "", 0));
    CHECK(string_is("x00ff", "\0\xff", 2));
    CHECK(spec_parse_string("-", &s, NULL) && s == NULL);
    CHECK(!spec_parse_string("x6", &s, NULL));
    CHECK(!spec_parse_string("xzz", &s, NULL));
    CHECK(!spec_parse_string("hi", &s, NULL));

    char line[] = "  a bb  c\n";
    spec_cursor cur = {line};
    const char *t1 = spec_token(&cur), *t2 = spec_token(&cur), *t3 = spec_token(&cur);
    CHECK(t1 && !strcmp(t1, "a") && t2 && !strcmp(t2, "bb") && t3 && !strcmp(t3, "c"));
    CHECK(spec_token(&cur) == NULL && spec_token(&cur) == NULL);
}

static void test_scalars(void) {
    spec_value v;
    CHECK(spec_parse_value("i32:2a", false, &v) && v.type == W2N_I32 && v.bits == 42);
    CHECK(spec_parse_value("i32:ffffffff", false, &v) && v.bits == 0xffffffffu);
    CHECK(!spec_parse_value("i32:100000000", false, &v));
    CHECK(!spec_parse_value("i32:", false, &v));
    CHECK(!spec_parse_value("i32:2g", false, &v));
    CHECK(!spec_parse_value("i33:1", false, &v));
    CHECK(!spec_parse_value("i32", false, &v));
    CHECK(spec_parse_value("i64:ffffffffffffffff", false, &v) && v.bits == UINT64_MAX);
    CHECK(spec_parse_value("f64:7ff8000000000000", false, &v) && v.type == W2N_F64);
    CHECK(spec_parse_value("f32:nan:canonical", true, &v) && v.pattern == SPEC_NAN_CANONICAL);
    CHECK(spec_parse_value("f64:nan:arithmetic", true, &v) && v.pattern == SPEC_NAN_ARITHMETIC);
    CHECK(!spec_parse_value("f32:nan:canonical", false, &v));
    CHECK(!spec_parse_value("f32:nan:canonicalx", true, &v));
    CHECK(!spec_parse_value("i32:nan:canonical", true, &v));
}

static void test_nan_classes(void) {
    CHECK(spec_f32_is_canonical_nan(0x7fc00000u) && spec_f32_is_canonical_nan(0xffc00000u));
    CHECK(!spec_f32_is_canonical_nan(0x7fc00001u) && spec_f32_is_arithmetic_nan(0x7fc00001u));
    CHECK(spec_f32_is_arithmetic_nan(0xffffffffu));
    CHECK(!spec_f32_is_arithmetic_nan(0x7f800001u)); /* signalling */
    CHECK(!spec_f32_is_arithmetic_nan(0x7f800000u)); /* infinity */
    CHECK(!spec_f32_is_canonical_nan(0x3f800000u));
    CHECK(spec_f64_is_canonical_nan(UINT64_C(0xfff8000000000000)));
    CHECK(!spec_f64_is_canonical_nan(UINT64_C(0x7ff8000000000001)));
    CHECK(spec_f64_is_arithmetic_nan(UINT64_C(0x7ff8000000000001)));
    CHECK(!spec_f64_is_arithmetic_nan(UINT64_C(0x7ff0000000000001)));
    CHECK(!spec_f64_is_arithmetic_nan(UINT64_C(0x7ff0000000000000)));
}

static w2n_value raw_f32(uint32_t bits) {
    w2n_value v = w2n_f32(0);
    memcpy(&v.of.f32, &bits, 4);
    return v;
}

static void test_matching(void) {
    spec_value e;
    w2n_value a;
    CHECK(spec_parse_value("f32:nan:canonical", true, &e));
    CHECK(spec_value_matches(NULL, &e, (a = raw_f32(0xffc00000u), &a)));
    CHECK(!spec_value_matches(NULL, &e, (a = raw_f32(0x7fc00001u), &a)));
    CHECK(spec_parse_value("f32:80000000", true, &e));
    CHECK(spec_value_matches(NULL, &e, (a = w2n_f32(-0.0f), &a)));
    CHECK(!spec_value_matches(NULL, &e, (a = w2n_f32(0.0f), &a)));
    CHECK(spec_parse_value("f64:nan:arithmetic", true, &e));
    CHECK(!spec_value_matches(NULL, &e, (a = w2n_f64(1.0), &a)));
    CHECK(!spec_value_matches(NULL, &e, (a = w2n_i64(-1), &a))); /* type differs */
    CHECK(spec_parse_value("i32:ffffffff", true, &e));
    CHECK(spec_value_matches(NULL, &e, (a = w2n_i32(-1), &a)));
    CHECK(!spec_value_matches(NULL, &e, (a = w2n_i64(0xffffffff), &a)));
    CHECK(spec_parse_value("i64:8000000000000000", true, &e));
    CHECK(spec_value_matches(NULL, &e, (a = w2n_i64(INT64_MIN), &a)));
}

static void test_refs(void) {
    spec_value e;
    w2n_value a = {W2N_EXTERNREF, {.ref = NULL}};
    CHECK(spec_parse_value("externref:null", true, &e) && spec_value_matches(NULL, &e, &a));
    CHECK(spec_parse_value("externref:0", false, &e));
    a = spec_to_runtime(&e);
    CHECK(a.type == W2N_EXTERNREF && a.of.ref != NULL); /* ref.extern 0 is not null */
    CHECK(spec_value_matches(NULL, &e, &a));
    CHECK(spec_parse_value("externref:1", true, &e) && !spec_value_matches(NULL, &e, &a));
    CHECK(!spec_parse_value("funcref:nonnull", false, &e));
    CHECK(spec_parse_value("funcref:nonnull", true, &e));
    w2n_func f;
    a.type = W2N_FUNCREF;
    a.of.ref = &f;
    CHECK(spec_value_matches(NULL, &e, &a));
    CHECK(spec_parse_value("funcref:null", true, &e) && !spec_value_matches(NULL, &e, &a));
    a.type = W2N_EXTERNREF;
    CHECK(!spec_value_matches(NULL, &e, &a)); /* funcref vs externref */
    /* Typed results compare as their hierarchy: (ref $t), (ref extern). */
    CHECK(spec_parse_value("funcref:nonnull", true, &e));
    a.type = w2n_valtype_ref(w2n_heaptype_concrete(3), false);
    a.of.ref = &f;
    CHECK(spec_value_matches(NULL, &e, &a));
    CHECK(spec_parse_value("externref:1", true, &e));
    a = spec_to_runtime(&e);
    a.type = w2n_valtype_ref(W2N_EXTERNREF, false);
    CHECK(spec_value_matches(NULL, &e, &a));
    a.type = w2n_valtype_ref(w2n_heaptype_concrete(3), false);
    CHECK(!spec_value_matches(NULL, &e, &a));
}

static void test_v128(void) {
    spec_value e;
    CHECK(spec_parse_value("v128:i16:1,2,3,4,5,6,7,fffe", false, &e));
    static const uint8_t want[16] = {1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0xfe, 0xff};
    CHECK(!memcmp(e.v128, want, 16));
    w2n_value a = spec_to_runtime(&e);
    CHECK(a.type == W2N_V128 && !memcmp(a.of.v128, want, 16));
    CHECK(spec_value_matches(NULL, &e, &a));
    CHECK(!spec_parse_value("v128:i16:1,2,3,4,5,6,7", false, &e));     /* lanes missing */
    CHECK(!spec_parse_value("v128:i16:1,2,3,4,5,6,7,8,9", false, &e)); /* extra lane */
    CHECK(!spec_parse_value("v128:i8:100,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0", false, &e));
    CHECK(!spec_parse_value("v128:i24:1", false, &e));
    CHECK(spec_parse_value("v128:i64:ffffffffffffffff,1", false, &e) && e.v128[8] == 1 &&
          e.v128[7] == 0xff);

    CHECK(spec_parse_value("v128:f32:nan:canonical,nan:arithmetic,0,3f800000", true, &e));
    CHECK(!spec_parse_value("v128:f32:nan:canonical,0,0,0", false, &e));
    spec_value arg;
    CHECK(spec_parse_value("v128:i32:ffc00000,7fc00001,0,3f800000", false, &arg));
    a = spec_to_runtime(&arg);
    CHECK(spec_parse_value("v128:f32:nan:canonical,nan:arithmetic,0,3f800000", true, &e) &&
          spec_value_matches(NULL, &e, &a));
    CHECK(spec_parse_value("v128:f32:nan:canonical,nan:canonical,0,3f800000", true, &e) &&
          !spec_value_matches(NULL, &e, &a)); /* lane 1 is not canonical */
    CHECK(spec_parse_value("v128:f32:nan:canonical,nan:arithmetic,80000000,3f800000", true, &e) &&
          !spec_value_matches(NULL, &e, &a)); /* -0 is not +0 */
    /* An integer shape compares bits, whatever shape the result is printed in. */
    CHECK(spec_parse_value("v128:i8:0,0,c0,ff,1,0,c0,7f,0,0,0,0,0,0,80,3f", true, &e) &&
          spec_value_matches(NULL, &e, &a));
}

static void test_format(void) {
    char buf[200];
    spec_value e;
    const char *cases[] = {"i32:2a",
                           "i64:ffffffffffffffff",
                           "f32:nan:canonical",
                           "f64:7ff0000000000000",
                           "externref:null",
                           "externref:7",
                           "funcref:nonnull",
                           "v128:f32:nan:arithmetic,0,1,2",
                           "v128:i8:0,1,2,3,4,5,6,7,8,9,a,b,c,d,e,ff"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CHECK(spec_parse_value(cases[i], true, &e));
        spec_format_expected(&e, buf, sizeof buf);
        if (strcmp(buf, cases[i]))
            fprintf(stderr, "self-test: format %s gave %s\n", cases[i], buf);
        CHECK(!strcmp(buf, cases[i]));
    }
    w2n_value a = w2n_i32(-1);
    spec_format_value(NULL, &a, buf, sizeof buf);
    CHECK(!strcmp(buf, "i32:ffffffff"));
}

static void test_messages(void) {
    CHECK(spec_message_matches("unknown import", "unknown import: spectest.x"));
    CHECK(spec_message_matches("uninitialized element 2", "uninitialized element 2"));
    CHECK(!spec_message_matches("uninitialized element 2", "uninitialized element"));
    CHECK(spec_message_matches("unreachable", "unreachable"));
    CHECK(!spec_message_matches("undefined element", "uninitialized element"));
    CHECK(!spec_message_matches("uninitialized element", "uninit"));
    CHECK(!spec_message_matches("integer overflow", ""));
    CHECK(!spec_message_matches("out of bounds memory access", "out of bounds table access"));
}

int spec_self_test(void) {
    failures = 0;
    test_strings();
    test_scalars();
    test_nan_classes();
    test_matching();
    test_refs();
    test_v128();
    test_format();
    test_messages();
    spec_self_test_gc();
    return failures;
}
