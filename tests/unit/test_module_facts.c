/*
 * test_module_facts.c — the one walk of the module that every partition
 * reads (compiler/front/module_facts.c): each fact on and off on small
 * modules, and a module whose facts come from functions in other partitions
 * runs the same compiled in one partition or in several.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "module.h"
#include "module_facts.h"
#include "module_kit.h"
#include "wat_kit.h"

typedef struct checked {
    w2n_module m;
    w2n_module_facts facts;
    uint8_t *bytes; /* the module points into them */
} checked;

/* Decode, validate and compute the facts of a binary module (taken). */
static checked *facts_of_wasm(uint8_t *wasm, size_t size) {
    checked *c = calloc(1, sizeof *c);
    cr_assert_not_null(c);
    c->bytes = wasm;
    w2n_error e = {0};
    cr_assert_eq(w2n_decode_features(wasm, size, w2n_features_default(), &c->m, &e), W2N_OK, "%s",
                 e.message);
    cr_assert_eq(w2n_validate_module(&c->m, &e), W2N_OK, "%s", e.message);
    cr_assert_eq(w2n_module_facts_compute(&c->m, &c->facts, &e), W2N_OK, "%s", e.message);
    return c;
}

static checked *facts_of(const char *wat) {
    uint8_t *wasm;
    size_t size;
    assemble(wat, &wasm, &size);
    return facts_of_wasm(wasm, size);
}

/* The same with wat2wasm's default features, whose ref.func is a funcref
 * (with --enable-all, wabt 1.0.32 types it (ref $t), which a funcref
 * global does not take). */
static checked *facts_of_2_0(const char *wat) {
    uint8_t *wasm;
    size_t size;
    assemble_with("wat2wasm", wat, &wasm, &size);
    return facts_of_wasm(wasm, size);
}

static checked *facts_of_bytes(const buf *o) {
    uint8_t *copy = malloc(o->n);
    cr_assert_not_null(copy);
    memcpy(copy, o->b, o->n);
    return facts_of_wasm(copy, o->n);
}

static void release(checked *c) {
    w2n_module_facts_free(&c->facts);
    w2n_module_free(&c->m);
    free(c->bytes);
    free(c);
}

static const w2n_function_facts *func(const checked *c, uint32_t index) {
    return w2n_module_facts_func(&c->facts, &c->m, index);
}

Test(module_facts, plain_module_has_none) {
    checked *c = facts_of("(module (func (export \"f\") (result i32) i32.const 1))");
    cr_assert(!c->facts.uses_exceptions);
    cr_assert(!c->facts.uses_gc);
    cr_assert(!c->facts.has_tail_calls);
    cr_assert(!c->facts.writes_tables);
    cr_assert(!func(c, 0)->calls);
    cr_assert_eq(func(c, 0)->br_table_entries, 0);
    release(c);
}

Test(module_facts, exceptions_from_a_tag_or_an_instruction) {
    checked *tag = facts_of("(module (tag) (func))");
    cr_assert(tag->facts.uses_exceptions);
    release(tag);
    checked *body = facts_of("(module (func (try (do nop) (catch_all))))");
    cr_assert(body->facts.uses_exceptions);
    release(body);
}

Test(module_facts, tail_calls_and_calls) {
    checked *c = facts_of("(module"
                          "  (type $t (func))"
                          "  (table 1 funcref)"
                          "  (func $leaf)"
                          "  (func $calls (call $leaf))"
                          "  (func $indirect (call_indirect (type $t) (i32.const 0)))"
                          "  (func $tail (return_call $leaf)))");
    cr_assert(c->facts.has_tail_calls);
    cr_assert(!func(c, 0)->calls);
    cr_assert(func(c, 1)->calls);
    cr_assert(func(c, 2)->calls);
    cr_assert(func(c, 3)->calls, "a tail call is a call too");
    release(c);
    checked *none = facts_of("(module (func $a (call $b)) (func $b))");
    cr_assert(!none->facts.has_tail_calls);
    release(none);
}

/* Each instruction that writes a table marks the table it writes. */
static void check_writes(const char *instrs, uint32_t written) {
    char wat[512];
    snprintf(wat, sizeof wat,
             "(module (table $a 2 funcref) (table $b 2 funcref) (table $c 2 funcref)"
             "  (elem $e func $f) (func $f %s))",
             instrs);
    checked *c = facts_of(wat);
    cr_assert(c->facts.writes_tables, "%s", instrs);
    for (uint32_t t = 0; t < 3; t++)
        cr_assert_eq(c->facts.table_written[t], t == written, "%s: table %u", instrs, t);
    release(c);
}

Test(module_facts, which_tables_are_written) {
    check_writes("(table.set $b (i32.const 0) (ref.null func))", 1);
    check_writes("(table.fill $c (i32.const 0) (ref.null func) (i32.const 1))", 2);
    check_writes("(drop (table.grow $a (ref.null func) (i32.const 1)))", 0);
    check_writes("(table.copy $c $a (i32.const 0) (i32.const 0) (i32.const 1))", 2);
    check_writes("(table.init $b $e (i32.const 0) (i32.const 0) (i32.const 1))", 1);
    checked *reads = facts_of("(module (table 1 funcref)"
                              "  (func (drop (table.get 0 (i32.const 0))) (drop (table.size 0))))");
    cr_assert(!reads->facts.writes_tables);
    cr_assert(!reads->facts.table_written[0]);
    release(reads);
}

Test(module_facts, escapes) {
    checked *c = facts_of_2_0("(module"
                              "  (import \"m\" \"i\" (func $imported))"
                              "  (table 1 funcref)"
                              "  (func $exported (export \"e\"))"
                              "  (func $start)"
                              "  (func $in_table)"
                              "  (func $in_global)"
                              "  (func $declared)"
                              "  (func $private (ref.func $declared) drop)"
                              "  (global funcref (ref.func $in_global))"
                              "  (elem (i32.const 0) $in_table)"
                              "  (elem declare func $declared)"
                              "  (start $start))");
    const bool want[] = {false, true, true, true, true, true, false};
    for (uint32_t i = 0; i < 7; i++)
        cr_assert_eq(c->facts.escapes[i], want[i], "function %u", i);
    release(c);
}

Test(module_facts, br_table_entries_add_up) {
    checked *c = facts_of("(module (func (param i32)"
                          "  (block (block (block (br_table 0 1 2 (local.get 0)))))"
                          "  (block (br_table 0 0 0 0 0 (local.get 0))))"
                          "  (func))");
    cr_assert_eq(func(c, 0)->br_table_entries, 2 + 4, "the defaults do not count");
    cr_assert_eq(func(c, 1)->br_table_entries, 0);
    release(c);
}

Test(module_facts, self_calls_in_memory_loops) {
    checked *c =
        facts_of("(module (memory 1)"
                 /* 0: calls itself in a loop that stores: marked */
                 "  (func (param i32) (loop (call 0 (local.get 0))"
                 "    (i32.store (local.get 0) (i32.const 1)) (br_if 0 (local.get 0))))"
                 /* 1: the memory access is in a second, separate loop: not marked */
                 "  (func (param i32) (loop (call 1 (local.get 0)) (br_if 0 (local.get 0)))"
                 "    (loop (drop (i32.load (local.get 0))) (br_if 0 (local.get 0))))"
                 /* 2: an inner loop calls itself, the outer loop loads: marked */
                 "  (func (param i32) (loop (drop (i32.load (local.get 0)))"
                 "    (block (loop (call 2 (local.get 0)) (br_if 0 (local.get 0)))) (br_if 0 "
                 "(local.get 0))))"
                 /* 3: calls function 0 from a memory loop, not itself: not marked */
                 "  (func (param i32) (loop (call 0 (local.get 0))"
                 "    (drop (i32.load (local.get 0))) (br_if 0 (local.get 0))))"
                 /* 4: calls itself outside any loop, loads in one: not marked */
                 "  (func (param i32) (call 4 (local.get 0))"
                 "    (loop (drop (i32.load (local.get 0))) (br_if 0 (local.get 0)))))");
    bool want[] = {true, false, true, false, false};
    for (uint32_t i = 0; i < 5; i++)
        cr_assert_eq(func(c, i)->calls_self_in_memory_loop, want[i], "function %u", i);
    release(c);
}

/* Which functions compare the stack pointer with the limit at entry
 * (module_facts_stack.c): never a chain of unchecked frames. */
Test(module_facts, stack_checks) {
    char locals[271 * 4 + 1] = "", wat[4096];
    for (int i = 0; i < 271; i++)
        strcat(locals, "i64 ");
    snprintf(wat, sizeof wat,
             "(module (type $t (func))"
             "  (import \"m\" \"f\" (func $import)) (table 1 funcref)"
             /* 1: a leaf: unchecked */
             "  (func $leaf)"
             /* 2: calls itself: checks */
             "  (func $self (call $self))"
             /* 3: calls through a table: checks */
             "  (func $indirect (call_indirect (type $t) (i32.const 0)))"
             /* 4: calls only 2 and 3, which check, and the leaf: unchecked */
             "  (func $caller (call $self) (call $indirect) (call $leaf))"
             /* 5: calls 4, which may go unchecked: checks */
             "  (func $callers_caller (call $caller))"
             /* 6: calls an import: checks */
             "  (func $imports (call $import))"
             /* 7: a tail call: checks */
             "  (func $tail (return_call $self))"
             /* 8, 9: call each other: the first goes unchecked, the second checks */
             "  (func $ping (call $pong)) (func $pong (call $ping))"
             /* 10: a caller with a large frame (271 locals): checks */
             "  (func $large (local %s) (call $self))"
             /* 11 calls 12, which calls the leaf: 12, a table element, goes
                  * unchecked although 11 comes first, and 11 checks */
             "  (func $helper (call $callback)) (func $callback (call $leaf))"
             "  (elem (i32.const 0) $callback))",
             locals);
    checked *c = facts_of(wat);
    bool want[] = {false, true, true, false, true, true, true, false, true, true, true, false};
    for (uint32_t i = 1; i <= 12; i++)
        cr_assert_eq(func(c, i)->checks_stack, want[i - 1], "function %u", i);
    cr_assert(!func(c, 4)->calls_outside);
    cr_assert(func(c, 3)->calls_outside && func(c, 6)->calls_outside && func(c, 7)->calls_outside);
    release(c);
}

/* () -> () with one body: `body` then end, no locals. */
static void one_function(buf *o, const uint8_t *body, size_t n) {
    header(o);
    SEC(o, 1, 1, 0x60, 0, 0);
    SEC(o, 3, 1, 0);
    uint8_t code[64] = {1, (uint8_t)(n + 2), 0};
    cr_assert_leq(n + 4, sizeof code);
    memcpy(code + 3, body, n);
    code[3 + n] = 0x0B;
    section(o, 10, code, n + 4);
}

static bool body_uses_gc(const uint8_t *body, size_t n) {
    buf o;
    one_function(&o, body, n);
    checked *c = facts_of_bytes(&o);
    bool gc = c->facts.uses_gc;
    release(c);
    return gc;
}

Test(module_facts, gc_instructions_and_the_any_hierarchy) {
    static const uint8_t ref_i31[] = {0x41, 0x00, 0xFB, 0x1C, 0x1A}; /* ref.i31 drop */
    static const uint8_t null_any[] = {0xD0, 0x6E, 0x1A};            /* ref.null any */
    static const uint8_t null_extern[] = {0xD0, 0x6F, 0x1A};         /* Wasm 2.0's */
    static const uint8_t null_func[] = {0xD0, 0x70, 0x1A};
    cr_assert(body_uses_gc(ref_i31, sizeof ref_i31));
    cr_assert(body_uses_gc(null_any, sizeof null_any));
    cr_assert(!body_uses_gc(null_extern, sizeof null_extern));
    cr_assert(!body_uses_gc(null_func, sizeof null_func));
}

Test(module_facts, gc_from_a_local_or_a_signature) {
    buf o;
    header(&o);
    SEC(&o, 1, 1, 0x60, 0, 0);
    SEC(&o, 3, 1, 0);
    SEC(&o, 10, 1, 4, 1, 1, 0x6E, 0x0B); /* one local anyref */
    checked *local = facts_of_bytes(&o);
    cr_assert(local->facts.uses_gc);
    release(local);
    header(&o);
    SEC(&o, 1, 1, 0x60, 1, 0x6E, 0); /* (param anyref) */
    checked *sig = facts_of_bytes(&o);
    cr_assert(sig->facts.uses_gc);
    release(sig);
}

/* The decisions the facts drive are the module's in every partition: the
 * exception passes through functions of partitions with no exception
 * instruction of their own (compiled to unwind), and the tail calls cross
 * partitions (every function in the convention musttail needs). */
static const char *across_partitions =
    "(module"
    "  (tag $oops (param i32))"
    "  (func $thrower (param i32) (throw $oops (local.get 0)))"
    "  (func $middle (param i32) (result i32) (call $thrower (local.get 0)) (i32.const 0))"
    "  (func (export \"catches\") (param i32) (result i32)"
    "    (try (result i32) (do (call $middle (local.get 0)))"
    "      (catch $oops (i32.add (i32.const 1)))))"
    "  (func $even (param i64) (result i64)"
    "    (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1))"
    "      (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))"
    "  (func $odd (param i64) (result i64)"
    "    (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 0))"
    "      (else (return_call $even (i64.sub (local.get 0) (i64.const 1))))))"
    "  (func (export \"even\") (param i64) (result i64) (call $even (local.get 0))))";

static void run_in_partitions(unsigned partitions, int32_t *caught, int64_t *even) {
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    opts.partitions = partitions;
    opts.threads = 2;
    loaded l = load_with(across_partitions, &opts);
    w2n_value arg = w2n_i32(41), result;
    w2n_trap trap;
    w2n_error err;
    cr_assert_eq(
        w2n_func_call(l.store, export_func(&l, "catches"), &arg, 1, &result, 1, &trap, &err),
        W2N_OK, "catches: %s", err.message);
    *caught = result.of.i32;
    arg = w2n_i64(1000001);
    cr_assert_eq(w2n_func_call(l.store, export_func(&l, "even"), &arg, 1, &result, 1, &trap, &err),
                 W2N_OK, "even: %s", err.message);
    *even = result.of.i64;
    unload(&l);
}

Test(module_facts, partitions_agree_with_one) {
    int32_t caught_whole, caught_split;
    int64_t even_whole, even_split;
    run_in_partitions(1, &caught_whole, &even_whole);
    run_in_partitions(6, &caught_split, &even_split);
    cr_assert_eq(caught_whole, 42);
    cr_assert_eq(even_whole, 0);
    cr_assert_eq(caught_split, caught_whole);
    cr_assert_eq(even_split, even_whole);
}
