/*
 * test_partition_plan.c — a large module's partitions are planned from its
 * code alone (compiler/emit/partition.c), before anything is lowered:
 * contiguous ranges of defined functions that cover each exactly once, as
 * many as its size says (at most W2N_PARTITION_SIZED_MAX) or as asked (at
 * most one per function), so that every thread count gets the same plan.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "module.h"
#include "partition.h"
#include "w2n/compiler.h"

typedef struct wbuf {
    uint8_t *b;
    size_t n, cap;
} wbuf;

static void put_byte(wbuf *o, uint8_t v) {
    if (o->n == o->cap) {
        o->cap = o->cap ? 2 * o->cap : 1024;
        o->b = realloc(o->b, o->cap);
        cr_assert_not_null(o->b);
    }
    o->b[o->n++] = v;
}

static void put_leb(wbuf *o, uint32_t v) {
    do {
        uint8_t byte = v & 0x7F;
        v >>= 7;
        put_byte(o, byte | (v ? 0x80 : 0));
    } while (v);
}

static void put_section(wbuf *o, uint8_t id, const wbuf *content) {
    put_byte(o, id);
    put_leb(o, (uint32_t)content->n);
    for (size_t i = 0; i < content->n; i++)
        put_byte(o, content->b[i]);
}

/* The bytes of n functions () -> (), function i a body of nops(i) nops. */
static wbuf module_bytes(uint32_t n, uint32_t (*nops)(uint32_t)) {
    wbuf o = {0}, types = {0}, funcs = {0}, code = {0};
    static const uint8_t head[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
    for (size_t i = 0; i < sizeof head; i++)
        put_byte(&o, head[i]);
    put_leb(&types, 1);
    put_byte(&types, 0x60);
    put_byte(&types, 0);
    put_byte(&types, 0);
    put_leb(&funcs, n);
    put_leb(&code, n);
    for (uint32_t i = 0; i < n; i++) {
        put_leb(&funcs, 0);
        uint32_t k = nops(i);
        put_leb(&code, k + 2); /* no locals, the nops, end */
        put_byte(&code, 0);
        for (uint32_t j = 0; j < k; j++)
            put_byte(&code, 0x01);
        put_byte(&code, 0x0B);
    }
    put_section(&o, 1, &types);
    put_section(&o, 3, &funcs);
    put_section(&o, 10, &code);
    free(types.b);
    free(funcs.b);
    free(code.b);
    return o;
}

/* The same, decoded into *m. */
static void make_module(uint32_t n, uint32_t (*nops)(uint32_t), w2n_module *m) {
    wbuf o = module_bytes(n, nops);
    w2n_error err;
    cr_assert_eq(w2n_decode_features(o.b, o.n, w2n_features_default(), m, &err), W2N_OK, "%s",
                 err.message);
    free(o.b);
}

static uint32_t few_nops(uint32_t i) { return i % 7; }
static uint32_t one_big(uint32_t i) { return i == 0 ? 200000 : 1; }
static uint32_t second_big(uint32_t i) { return i == 1 ? 5000 : 0; }

/* Every defined function in exactly one partition, in order, none empty. */
static void check_cover(const w2n_module *m, const w2n_partition_plan *plan) {
    cr_assert(plan->count >= 1 && plan->count <= W2N_PARTITION_MAX);
    cr_assert_eq(plan->first[0], m->nimported_funcs);
    cr_assert_eq(plan->first[plan->count], m->nfuncs);
    for (unsigned k = 0; k < plan->count; k++)
        cr_assert_lt(plan->first[k], plan->first[k + 1], "partition %u empty", k);
}

/* The plan of n functions of nops(i) nops each, checked to cover them. */
static w2n_partition_plan planned(uint32_t n, uint32_t (*nops)(uint32_t), unsigned forced) {
    w2n_module m;
    make_module(n, nops, &m);
    w2n_partition_plan plan;
    w2n_partition_plan_make(&m, forced, &plan);
    check_cover(&m, &plan);
    w2n_module_free(&m);
    return plan;
}

Test(partition_plan, small_module_one_partition) {
    cr_assert_eq(planned(100, few_nops, 0).count, 1);
}

/* 4,000 functions weigh 4,000 * (40 + a few bytes): two partitions of
 * about equal weight, cut between functions. */
Test(partition_plan, many_functions_split_by_weight) {
    w2n_partition_plan plan = planned(4000, few_nops, 0);
    cr_assert_eq(plan.count, W2N_PARTITION_SIZED_MAX);
    cr_assert(plan.first[1] > 1800 && plan.first[1] < 2200, "cut at %u", plan.first[1]);
}

/* Bytes count, not only functions: one function of 200 KB outweighs the rest. */
Test(partition_plan, weight_is_code_size) {
    w2n_partition_plan plan = planned(50, one_big, 0);
    cr_assert_eq(plan.count, 2);
    cr_assert_eq(plan.first[1], 1, "the big function alone in partition 0");
}

Test(partition_plan, forced_count_at_most_one_per_function) {
    cr_assert_eq(planned(3, few_nops, 8).count, 3);
}

/* A heavy function does not leave the partitions its weight spans empty:
 * by weight alone, 4 partitions of {small, 5 KB, small, small, small}
 * would put nothing in partitions 1 and 2. */
Test(partition_plan, no_empty_partition) { cr_assert_eq(planned(5, second_big, 4).count, 4); }

/* `exiting` (the CLI's one input) leaves LLVM's contexts to the exit instead
 * of freeing them: the object is the same, whole or in partitions. */
Test(partition_plan, exiting_compiles_the_same_object) {
    wbuf wasm = module_bytes(300, few_nops);
    for (unsigned parts = 1; parts <= 2; parts++) {
        uint8_t *obj[2];
        size_t size[2];
        for (int exiting = 0; exiting < 2; exiting++) {
            w2n_compile_options opts;
            w2n_compile_options_init(&opts);
            opts.partitions = parts;
            opts.threads = 2;
            opts.exiting = exiting;
            w2n_error err;
            cr_assert_eq(w2n_compile(wasm.b, wasm.n, &opts, &obj[exiting], &size[exiting], &err),
                         W2N_OK, "%s", err.message);
        }
        cr_assert_eq(size[0], size[1], "%u partitions", parts);
        cr_assert_eq(memcmp(obj[0], obj[1], size[0]), 0, "%u partitions", parts);
        free(obj[0]);
        free(obj[1]);
    }
    free(wasm.b);
}
