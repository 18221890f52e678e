/*
 * test_pipeline.c — the whole path through the public APIs: w2n_compile,
 * w2n_object_load, instantiate, w2n_func_call.  Modules are written in the
 * text format and assembled with wabt's wat2wasm at test time.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "w2n/compiler.h"
#include "w2n/runtime.h"
#include "elf_kit.h"
#include "maps_kit.h"
#include "wat_kit.h"

static loaded load(const char *wat, w2n_bounds_mode mode) {
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    opts.bounds = mode;
    return load_with(wat, &opts);
}

/* Call a one-i32-in, one-i32-out export; returns the status, result in *out. */
static w2n_status call_i32(loaded *l, const char *name, int32_t arg, int32_t *out, w2n_trap *trap) {
    w2n_value a = w2n_i32(arg), r;
    w2n_error err;
    w2n_status s = w2n_func_call(l->store, export_func(l, name), &a, 1, &r, 1, trap, &err);
    if (s == W2N_OK)
        *out = r.of.i32;
    return s;
}

static const char *memory_module =
    "(module (memory 1 3)\n"
    "  (func (export \"load\") (param i32) (result i32) (i32.load (local.get 0)))\n"
    "  (func (export \"store\") (param i32) (result i32)\n"
    "    (i32.store offset=4 (local.get 0) (i32.const 7)) (i32.const 1))\n"
    "  (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0)))\n"
    "  (func (export \"div\") (param i32) (result i32) (i32.div_s (i32.const 10) (local.get "
    "0))))\n";

static void check_bounds(w2n_bounds_mode mode) {
    loaded l = load(memory_module, mode);
    int32_t v = -1;
    w2n_trap trap;
    cr_assert_eq(call_i32(&l, "load", 65532, &v, &trap), W2N_OK);
    cr_assert_eq(v, 0);
    cr_assert_eq(call_i32(&l, "load", 65533, &v, &trap), W2N_ERR_TRAP);
    cr_assert_eq(trap.code, W2N_TRAP_MEMORY_OOB);
    cr_assert_str_eq(trap.message, "out of bounds memory access");
    cr_assert_eq(call_i32(&l, "store", 65532, &v, &trap), W2N_ERR_TRAP);
    cr_assert_eq(call_i32(&l, "load", -4, &v, &trap), W2N_ERR_TRAP);
    /* After growing, the same address is in bounds, and the store stuck. */
    cr_assert_eq(call_i32(&l, "grow", 1, &v, &trap), W2N_OK);
    cr_assert_eq(v, 1);
    cr_assert_eq(call_i32(&l, "store", 65532, &v, &trap), W2N_OK);
    cr_assert_eq(call_i32(&l, "load", 65536, &v, &trap), W2N_OK);
    cr_assert_eq(v, 7);
    cr_assert_eq(call_i32(&l, "load", 131069, &v, &trap), W2N_ERR_TRAP);
    unload(&l);
}

Test(pipeline, guard_page_bounds) { check_bounds(W2N_BOUNDS_GUARD); }
Test(pipeline, explicit_bounds) { check_bounds(W2N_BOUNDS_EXPLICIT); }

/* The store stays usable after traps, and trapping leaks nothing: run under
 * valgrind or ASan, this test reports any allocation a trap strands. */
Test(pipeline, ten_thousand_traps) {
    loaded l = load(memory_module, W2N_BOUNDS_GUARD);
    int32_t v;
    w2n_trap trap;
    for (int i = 0; i < 10000; i++) {
        cr_assert_eq(call_i32(&l, i % 2 ? "div" : "load", i % 2 ? 0 : -1, &v, &trap), W2N_ERR_TRAP);
        cr_assert_eq(trap.code, i % 2 ? W2N_TRAP_INT_DIV_ZERO : W2N_TRAP_MEMORY_OOB);
    }
    cr_assert_eq(call_i32(&l, "div", 5, &v, &trap), W2N_OK);
    cr_assert_eq(v, 2);
    unload(&l);
}

Test(pipeline, stack_exhaustion_is_a_trap) {
    loaded l = load("(module (func $f (export \"f\") (param i32) (result i32)\n"
                    "  (i32.add (call $f (i32.add (local.get 0) (i32.const 1))) (i32.const 1))))",
                    W2N_BOUNDS_GUARD);
    int32_t v;
    w2n_trap trap;
    cr_assert_eq(call_i32(&l, "f", 0, &v, &trap), W2N_ERR_TRAP);
    cr_assert_eq(trap.code, W2N_TRAP_STACK_EXHAUSTED);
    cr_assert_str_eq(trap.message, "call stack exhausted");
    unload(&l);
}

Test(pipeline, deterministic_objects) {
    uint8_t *wasm, *a, *b;
    size_t wasm_size, a_size, b_size;
    assemble(memory_module, &wasm, &wasm_size);
    const char *targets[] = {"x86_64-linux-gnu", "aarch64-linux-gnu", "riscv64-linux-gnu"};
    for (int t = 0; t < 3; t++) {
        w2n_compile_options opts;
        w2n_compile_options_init(&opts);
        opts.target = targets[t];
        w2n_error err;
        cr_assert_eq(w2n_compile(wasm, wasm_size, &opts, &a, &a_size, &err), W2N_OK, "%s",
                     err.message);
        cr_assert_eq(w2n_compile(wasm, wasm_size, &opts, &b, &b_size, &err), W2N_OK, "%s",
                     err.message);
        cr_assert_eq(a_size, b_size, "%s: sizes differ", targets[t]);
        cr_assert_eq(memcmp(a, b, a_size), 0, "%s: bytes differ", targets[t]);
        free(a);
        free(b);
    }
    free(wasm);
}

Test(pipeline, invalid_module_is_an_error_with_offset) {
    static const uint8_t bad[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 0x01, 0x04, 0x01, 0x60, 0x00};
    uint8_t *obj;
    size_t size;
    w2n_error err;
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    cr_assert_eq(w2n_compile(bad, sizeof bad, &opts, &obj, &size, &err), W2N_ERR_MALFORMED);
    cr_assert_neq(err.offset, W2N_NO_OFFSET);
    cr_assert_null(obj);
    opts.target = "sparc-sun-solaris";
    cr_assert_eq(w2n_compile(bad, sizeof bad, &opts, &obj, &size, &err), W2N_ERR_ARGUMENT);
    cr_assert(strstr(err.message, "unknown target"));
}

Test(pipeline, multi_value_and_indirect_calls) {
    loaded l = load("(module (type $t (func (param i32) (result i32 i32)))\n"
                    "  (table 2 funcref) (elem (i32.const 0) $swap)\n"
                    "  (func $swap (type $t) (i32.const 5) (local.get 0))\n"
                    "  (func (export \"f\") (param i32) (result i32)\n"
                    "    (call_indirect (type $t) (local.get 0) (local.get 0)) (i32.sub)))",
                    W2N_BOUNDS_GUARD);
    int32_t v;
    w2n_trap trap;
    cr_assert_eq(call_i32(&l, "f", 0, &v, &trap), W2N_OK);
    cr_assert_eq(v, 5);
    cr_assert_eq(call_i32(&l, "f", 1, &v, &trap), W2N_ERR_TRAP);
    cr_assert_str_eq(trap.message, "uninitialized element 1");
    cr_assert_eq(call_i32(&l, "f", 2, &v, &trap), W2N_ERR_TRAP);
    cr_assert_str_eq(trap.message, "undefined element 2");
    unload(&l);
}

/* In guard mode the load is the bounds check: an access that straddles the
 * end of memory must trap even when only part of its value is used, or none
 * of it (the optimiser would shrink or delete the load). */
Test(pipeline, partly_used_loads_still_trap) {
    static const char *wat =
        "(module (memory 1)\n"
        "  (func (export \"wrap\") (param i32) (result i32) (i32.wrap_i64 (i64.load (local.get "
        "0))))\n"
        "  (func (export \"lane\") (param i32) (result i32)\n"
        "    (i32x4.extract_lane 0 (v128.load (local.get 0))))\n"
        "  (func (export \"mask\") (param i32) (result i32)\n"
        "    (i32.wrap_i64 (i64.and (i64.load (local.get 0)) (i64.const 255))))\n"
        "  (func (export \"local\") (param i32) (result i32) (local i64)\n"
        "    (local.set 1 (i64.load (local.get 0))) (i32.wrap_i64 (local.get 1)))\n"
        "  (func (export \"dropped\") (param i32) (result i32) (drop (i64.load (local.get 0))) "
        "(i32.const 1)))";
    static const char *names[] = {"wrap", "lane", "mask", "local", "dropped"};
    for (int mode = 0; mode < 2; mode++) {
        loaded l = load(wat, mode ? W2N_BOUNDS_EXPLICIT : W2N_BOUNDS_GUARD);
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            int32_t v;
            w2n_trap trap;
            cr_assert_eq(call_i32(&l, names[i], 65532, &v, &trap), W2N_ERR_TRAP, "%s, mode %d",
                         names[i], mode);
            cr_assert_eq(trap.code, W2N_TRAP_MEMORY_OOB);
            cr_assert_eq(call_i32(&l, names[i], 65536 - 16, &v, &trap), W2N_OK, "%s in bounds",
                         names[i]);
        }
        unload(&l);
    }
}

/* ---- host functions put in a table by the host ------------------------------------ */

static w2n_instance *host_caller;

static void host_plus_100(void *data, w2n_instance *caller, w2n_raw *s) {
    (void)data;
    host_caller = caller;
    s[0].i32 += 100;
}

/* (i32, i64) -> (i64, i32) */
static void host_pair(void *data, w2n_instance *caller, w2n_raw *s) {
    (void)data, (void)caller;
    int32_t a = s[0].i32;
    int64_t b = s[1].i64;
    s[0].i64 = b * 2;
    s[1].i32 = a + 1;
}

static void host_refuses(void *data, w2n_instance *caller, w2n_raw *s) {
    (void)data, (void)s;
    w2n_host_trap(caller, W2N_TRAP_HOST, 0, "host says no");
}

Test(pipeline, host_function_set_in_table_is_called_indirectly) {
    static const char *wat =
        "(module (type $ii (func (param i32) (result i32)))\n"
        "  (type $pair (func (param i32 i64) (result i64 i32)))\n"
        "  (table (export \"tab\") 4 funcref) (elem (i32.const 2) $inc)\n"
        "  (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))\n"
        "  (func (export \"call\") (param i32) (result i32)\n"
        "    (call_indirect (type $ii) (i32.const 41) (local.get 0)))\n"
        "  (func (export \"pair\") (param i32) (result i32) (local i32)\n"
        "    (call_indirect (type $pair) (i32.const 7) (i64.const 10) (local.get 0))\n"
        "    (local.set 1) (i32.wrap_i64) (local.get 1) (i32.add)))";
    loaded l = load(wat, W2N_BOUNDS_GUARD);
    w2n_valtype i32 = W2N_I32, i64 = W2N_I64;
    w2n_valtype pair_params[] = {W2N_I32, W2N_I64}, pair_results[] = {W2N_I64, W2N_I32};
    w2n_functype ii = {1, 1, &i32, &i32}, pair = {2, 2, pair_params, pair_results};
    w2n_functype ll = {1, 1, &i64, &i64};
    w2n_func *plus_100 = w2n_host_func_new(l.store, &ii, host_plus_100, NULL);
    w2n_func *paired = w2n_host_func_new(l.store, &pair, host_pair, NULL);
    w2n_func *refuses = w2n_host_func_new(l.store, &ii, host_refuses, NULL);
    w2n_func *wrong = w2n_host_func_new(l.store, &ll, host_plus_100, NULL);
    w2n_extern tab;
    cr_assert_eq(w2n_instance_export(l.inst, "tab", &tab), W2N_OK);
    w2n_error err;
    cr_assert_eq(w2n_table_set(tab.of.table, 0, plus_100, &err), W2N_OK);
    cr_assert_eq(w2n_table_set(tab.of.table, 1, paired, &err), W2N_OK);
    cr_assert_eq(w2n_table_set(tab.of.table, 3, refuses, &err), W2N_OK);
    cr_assert_eq(w2n_table_set(tab.of.table, 4, plus_100, &err), W2N_ERR_ARGUMENT);
    void *got = NULL;
    cr_assert_eq(w2n_table_get(tab.of.table, 0, &got, &err), W2N_OK);
    cr_assert_eq(got, plus_100);
    cr_assert_eq(w2n_table_get(tab.of.table, 4, &got, &err), W2N_ERR_ARGUMENT);

    int32_t v;
    w2n_trap trap;
    host_caller = NULL;
    cr_assert_eq(call_i32(&l, "call", 0, &v, &trap), W2N_OK, "%s", trap.message);
    cr_assert_eq(v, 141);
    cr_assert_eq(host_caller, l.inst, "the host function sees the calling instance");
    cr_assert_eq(call_i32(&l, "call", 2, &v, &trap), W2N_OK, "a Wasm element at the same site");
    cr_assert_eq(v, 42);
    cr_assert_eq(call_i32(&l, "pair", 1, &v, &trap), W2N_OK, "%s", trap.message);
    cr_assert_eq(v, 20 + 8);
    cr_assert_eq(call_i32(&l, "call", 1, &v, &trap), W2N_ERR_TRAP);
    cr_assert_str_eq(trap.message, "indirect call type mismatch");
    cr_assert_eq(call_i32(&l, "call", 3, &v, &trap), W2N_ERR_TRAP);
    cr_assert_eq(trap.code, W2N_TRAP_HOST);
    cr_assert_str_eq(trap.message, "host says no");
    cr_assert_eq(w2n_table_set(tab.of.table, 1, wrong, &err), W2N_OK);
    cr_assert_eq(call_i32(&l, "call", 1, &v, &trap), W2N_ERR_TRAP);
    cr_assert_str_eq(trap.message, "indirect call type mismatch");
    cr_assert_eq(w2n_table_set(tab.of.table, 1, NULL, &err), W2N_OK);
    cr_assert_eq(call_i32(&l, "call", 1, &v, &trap), W2N_ERR_TRAP);
    cr_assert_str_eq(trap.message, "uninitialized element 1");
    unload(&l);
}

/* A table nothing can change (not exported, fixed size, no instruction
 * writes it) has known elements: call_indirect calls a known element's code
 * from a constant array and every other element through its record
 * (compiler/lower/lower_table_known.c).  Every trap stays exact, several
 * results come back from either way, and a function of the same signature
 * but a different type index is still a match, in both bounds modes and at
 * -O0 and -O2. */
Test(pipeline, known_table_keeps_every_trap) {
    static const char *wat =
        "(module (type $ii (func (param i32) (result i32)))\n"
        "  (type $ll (func (param i64) (result i64)))\n"
        "  (type $ii2 (func (param i32) (result i32)))\n"
        "  (type $pair (func (param i32) (result i32 i32)))\n"
        "  (table 6 6 funcref)\n"
        "  (elem (i32.const 1) $inc $wide $twin $pair)\n"
        "  (elem (i32.const 5) funcref (ref.null func))\n"
        "  (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))\n"
        "  (func $wide (type $ll) (local.get 0))\n"
        "  (func $twin (type $ii2) (i32.mul (local.get 0) (i32.const 2)))\n"
        "  (func $pair (type $pair) (local.get 0) (i32.const 3))\n"
        "  (func (export \"call\") (param i32) (result i32)\n"
        "    (call_indirect (type $ii) (i32.const 41) (local.get 0)))\n"
        "  (func (export \"pair\") (param i32) (result i32)\n"
        "    (call_indirect (type $pair) (i32.const 20) (local.get 0)) (i32.sub)))";
    /* export, argument, then the result or the trap's message */
    static const struct {
        const char *name;
        int32_t arg, result;
        const char *trap;
    } calls[] = {
        {"call", 1, 42, NULL},
        {"call", 3, 82, NULL}, /* an equal type under another index */
        {"pair", 4, 17, NULL},
        {"call", 0, 0, "uninitialized element 0"},
        {"call", 5, 0, "uninitialized element 5"},
        {"call", 2, 0, "indirect call type mismatch"},
        {"call", 4, 0, "indirect call type mismatch"},
        {"pair", 1, 0, "indirect call type mismatch"},
        {"call", 6, 0, "undefined element 6"},
    };
    w2n_bounds_mode modes[] = {W2N_BOUNDS_GUARD, W2N_BOUNDS_EXPLICIT};
    for (unsigned k = 0; k < 4; k++) {
        loaded l = load_opt_bounds(wat, k < 2 ? 2 : 0, modes[k % 2], NULL);
        for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
            int32_t v;
            w2n_trap trap;
            w2n_status st = call_i32(&l, calls[i].name, calls[i].arg, &v, &trap);
            if (calls[i].trap) {
                cr_assert_eq(st, W2N_ERR_TRAP, "%s(%d)", calls[i].name, calls[i].arg);
                cr_assert_str_eq(trap.message, calls[i].trap);
            } else {
                cr_assert_eq(st, W2N_OK, "%s(%d): %s", calls[i].name, calls[i].arg, trap.message);
                cr_assert_eq(v, calls[i].result, "%s(%d)", calls[i].name, calls[i].arg);
            }
        }
        unload(&l);
    }
}

/* A table whose minimum is its maximum has its bound compiled in, and the
 * hot path compares the record's call_id (abi.h): every trap stays exact
 * and a host function in such a table (call_id 0) is still called, in both
 * bounds modes. */
Test(pipeline, fixed_size_table_keeps_every_trap_and_host_calls) {
    static const char *wat =
        "(module (type $ii (func (param i32) (result i32)))\n"
        "  (type $ll (func (param i64) (result i64)))\n"
        "  (table (export \"tab\") 4 4 funcref) (elem (i32.const 2) $inc $wide)\n"
        "  (func $inc (export \"inc\") (type $ii) (i32.add (local.get 0) (i32.const 1)))\n"
        "  (func $wide (type $ll) (local.get 0))\n"
        "  (func (export \"call\") (param i32) (result i32)\n"
        "    (call_indirect (type $ii) (i32.const 41) (local.get 0))))";
    w2n_bounds_mode modes[] = {W2N_BOUNDS_GUARD, W2N_BOUNDS_EXPLICIT};
    for (unsigned m = 0; m < 2; m++) {
        loaded l = load(wat, modes[m]);
        w2n_valtype i32 = W2N_I32;
        w2n_functype ii = {1, 1, &i32, &i32};
        w2n_func *plus_100 = w2n_host_func_new(l.store, &ii, host_plus_100, NULL);
        cr_assert_eq(plus_100->call_id, 0, "a record without code never matches");
        w2n_extern tab, inc;
        cr_assert_eq(w2n_instance_export(l.inst, "tab", &tab), W2N_OK);
        cr_assert_eq(w2n_instance_export(l.inst, "inc", &inc), W2N_OK);
        cr_assert_eq(inc.of.func->call_id, inc.of.func->type_id);
        w2n_error err;
        cr_assert_eq(w2n_table_set(tab.of.table, 0, plus_100, &err), W2N_OK);
        cr_assert_eq(w2n_table_size(tab.of.table), 4);

        int32_t v;
        w2n_trap trap;
        cr_assert_eq(call_i32(&l, "call", 0, &v, &trap), W2N_OK, "%s", trap.message);
        cr_assert_eq(v, 141, "the host function through the cold path");
        cr_assert_eq(call_i32(&l, "call", 2, &v, &trap), W2N_OK, "%s", trap.message);
        cr_assert_eq(v, 42);
        cr_assert_eq(call_i32(&l, "call", 1, &v, &trap), W2N_ERR_TRAP);
        cr_assert_str_eq(trap.message, "uninitialized element 1");
        cr_assert_eq(call_i32(&l, "call", 3, &v, &trap), W2N_ERR_TRAP);
        cr_assert_str_eq(trap.message, "indirect call type mismatch");
        cr_assert_eq(call_i32(&l, "call", 4, &v, &trap), W2N_ERR_TRAP);
        cr_assert_str_eq(trap.message, "undefined element 4");
        cr_assert_eq(call_i32(&l, "call", -1, &v, &trap), W2N_ERR_TRAP);
        cr_assert_str_eq(trap.message, "undefined element 4294967295");
        unload(&l);
    }
}

/* Is [start, start + size) inside one executable mapping of this process? */
static bool executable(unsigned long long start, unsigned long long size) {
    uintptr_t s, e;
    char prot[5];
    return find_mapping((uintptr_t)start, &s, &e, prot) && prot[2] == 'x' && start + size <= e;
}

/* Every line of the perf map is "START SIZE NAME" for a function symbol of
 * the object: its ELF size, at its ELF offset from the others, in code. */
Test(pipeline, perf_map_names_the_compiled_functions) {
    static const char *wat = "(module (func (export \"f\") (result i32) (call 1))\n"
                             "  (func (result i32) (i32.const 7)))";
    uint8_t *wasm, *obj;
    size_t wasm_size, obj_size;
    assemble(wat, &wasm, &wasm_size);
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    w2n_error err;
    cr_assert_eq(w2n_compile(wasm, wasm_size, &opts, &obj, &obj_size, &err), W2N_OK);
    w2n_object *loaded_obj;
    cr_assert_eq(w2n_object_load(obj, obj_size, &loaded_obj, &err), W2N_OK, "%s", err.message);

    char path[64];
    snprintf(path, sizeof path, "/tmp/perf-%ld.map", (long)getpid());
    unlink(path);
    cr_assert_eq(w2n_object_write_perf_map(loaded_obj, &err), W2N_OK, "%s", err.message);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s was not written", path);
    unsigned long long start, size, base = 0;
    char name[256];
    int lines = 0;
    bool f0 = false, f1 = false;
    while (fscanf(f, "%llx %llx %255s", &start, &size, name) == 3) {
        const Elf64_Sym *sym = elf_function(obj, obj_size, name);
        cr_assert_not_null(sym, "%s is not a function of the object", name);
        if (sym->st_size)
            cr_assert_eq(size, sym->st_size, "%s", name);
        if (!lines++)
            base = start - sym->st_value;
        cr_assert_eq(start - base, sym->st_value, "%s is where the object has it", name);
        cr_assert(executable(start, size), "%s lies in code", name);
        f0 |= !strcmp(name, "w2n_f0");
        f1 |= !strcmp(name, "w2n_f1");
    }
    cr_assert(feof(f), "a line of %s is not START SIZE NAME", path);
    fclose(f);
    cr_assert(f0 && f1);
    unlink(path);
    w2n_object_free(loaded_obj);
    free(obj);
    free(wasm);
}

static w2n_value export_global(loaded *l, const char *name) {
    w2n_extern ext;
    cr_assert_eq(w2n_instance_export(l->inst, name, &ext), W2N_OK, "no export %s", name);
    cr_assert_eq(ext.kind, W2N_EXTERN_GLOBAL);
    return w2n_global_get(ext.of.global);
}

/* extended-const: the loader's evaluator wraps as i32/i64 arithmetic does,
 * in global initialisers and segment offsets alike. */
Test(pipeline, extended_constant_expressions_wrap) {
    loaded l =
        load("(module (memory 1)\n"
             "  (global (export \"add32\") i32 (i32.add (i32.const 0x7fffffff) (i32.const 1)))\n"
             "  (global (export \"mul32\") i32 (i32.mul (i32.const 0x10000) (i32.const 0x10001)))\n"
             "  (global (export \"sub64\") i64 (i64.sub (i64.const 0) (i64.const 1)))\n"
             "  (global (export \"mul64\") i64\n"
             "    (i64.mul (i64.const 0x100000000) (i64.const 0x100000001)))\n"
             "  (data (i32.sub (i32.mul (i32.const 3) (i32.const 7)) (i32.const 4)) \"x\")\n"
             "  (func (export \"byte\") (param i32) (result i32) (i32.load8_u (local.get 0))))",
             W2N_BOUNDS_GUARD);
    cr_assert_eq(export_global(&l, "add32").of.i32, INT32_MIN);
    cr_assert_eq(export_global(&l, "mul32").of.i32, 0x10000);
    cr_assert_eq(export_global(&l, "sub64").of.i64, -1);
    cr_assert_eq(export_global(&l, "mul64").of.i64, 0x100000000LL);
    int32_t v;
    w2n_trap trap;
    cr_assert_eq(call_i32(&l, "byte", 17, &v, &trap), W2N_OK);
    cr_assert_eq(v, 'x');
    unload(&l);
}
