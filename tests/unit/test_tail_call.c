/*
 * test_tail_call.c — return_call and return_call_indirect through the public
 * APIs: tail calls that stay in a small stack across instances, to host
 * functions (imported, or put in a table by the host), and the traps of
 * return_call_indirect.  The stack tests run in a store with 64 KiB of stack,
 * where the same loop with `call` traps with "call stack exhausted" (checked
 * too, so the tests would notice tail calls turning into calls).
 */
#include "wat_kit.h"

#define SMALL_STACK (64 * 1024)
#define LOOPS 1000000

static w2n_object *compile_wat(const char *wat) {
    uint8_t *wasm, *obj;
    size_t wasm_size, obj_size;
    assemble(wat, &wasm, &wasm_size);
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    w2n_error err;
    w2n_status s = w2n_compile(wasm, wasm_size, &opts, &obj, &obj_size, &err);
    free(wasm);
    cr_assert_eq(s, W2N_OK, "compile: %s", err.message);
    w2n_object *o;
    s = w2n_object_load(obj, obj_size, &o, &err);
    free(obj);
    cr_assert_eq(s, W2N_OK, "load: %s", err.message);
    return o;
}

static w2n_instance *instantiate(w2n_store *store, w2n_object *obj, const w2n_extern *imports,
                                 uint32_t n) {
    w2n_instance *inst;
    w2n_trap trap;
    w2n_error err;
    cr_assert_eq(w2n_instantiate(store, obj, imports, n, &inst, &trap, &err), W2N_OK, "%s",
                 err.message);
    return inst;
}

static w2n_extern export_of(w2n_instance *inst, const char *name) {
    w2n_extern e;
    cr_assert_eq(w2n_instance_export(inst, name, &e), W2N_OK, "no export %s", name);
    return e;
}

/* Call an (i64) -> (i64) export. */
static w2n_status call_i64(w2n_store *store, w2n_instance *inst, const char *name, int64_t arg,
                           int64_t *out, w2n_trap *trap) {
    w2n_value a = w2n_i64(arg), r;
    w2n_error err;
    w2n_status s = w2n_func_call(store, export_of(inst, name).of.func, &a, 1, &r, 1, trap, &err);
    if (s == W2N_OK)
        *out = r.of.i64;
    return s;
}

static w2n_store *small_store(void) {
    w2n_store_options o = {0};
    o.stack_size = SMALL_STACK;
    return w2n_store_new(&o);
}

/* A exports a table holding its `pong`; B imports it, puts its own `ping`
 * beside it, and the two bounce through the table, each a tail call into the
 * other instance. */
Test(tail_call, across_instances_in_constant_stack) {
    w2n_object *a =
        compile_wat("(module (type $t (func (param i64) (result i64)))\n"
                    "  (table (export \"tab\") 2 funcref) (elem (i32.const 0) $pong)\n"
                    "  (func $pong (type $t)\n"
                    "    (return_call_indirect (type $t) (local.get 0) (i32.const 1)))\n"
                    "  (func (export \"count\") (type $t)\n"
                    "    (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 7))\n"
                    "      (else (return_call 1 (i64.sub (local.get 0) (i64.const 1)))))))");
    w2n_object *b = compile_wat(
        "(module (type $t (func (param i64) (result i64)))\n"
        "  (import \"a\" \"tab\" (table 2 funcref))\n"
        "  (import \"a\" \"count\" (func $count (type $t)))\n"
        "  (elem (i32.const 1) $ping)\n"
        "  (func $ping (export \"ping\") (type $t)\n"
        "    (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 9))\n"
        "      (else (return_call_indirect (type $t) (i64.sub (local.get 0) (i64.const 1))\n"
        "                                  (i32.const 0)))))\n"
        "  (func (export \"count\") (type $t) (return_call $count (local.get 0)))\n"
        "  (func $deep (export \"deep\") (type $t)\n"
        "    (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1))\n"
        "      (else (call $deep (i64.sub (local.get 0) (i64.const 1)))))))");
    w2n_store *store = small_store();
    w2n_instance *ia = instantiate(store, a, NULL, 0);
    w2n_extern imports[2] = {export_of(ia, "tab"), export_of(ia, "count")};
    w2n_instance *ib = instantiate(store, b, imports, 2);
    int64_t v = 0;
    w2n_trap trap;
    cr_assert_eq(call_i64(store, ib, "ping", LOOPS, &v, &trap), W2N_OK, "%s", trap.message);
    cr_assert_eq(v, 9);
    cr_assert_eq(call_i64(store, ib, "count", LOOPS, &v, &trap), W2N_OK, "%s", trap.message);
    cr_assert_eq(v, 7);
    /* The same depth with ordinary calls does not fit. */
    cr_assert_eq(call_i64(store, ib, "deep", LOOPS, &v, &trap), W2N_ERR_TRAP);
    cr_assert_str_eq(trap.message, "call stack exhausted");
    w2n_store_free(store);
    w2n_object_free(a);
    w2n_object_free(b);
}

static w2n_instance *host_caller;

/* (i64) -> (i64): the argument plus 100. */
static void host_plus_100(void *data, w2n_instance *caller, w2n_raw *s) {
    (void)data;
    host_caller = caller;
    s[0].i64 += 100;
}

/* A tail call to a host function (an import, and a table element the host
 * set) is a call of it through the adapter or the thunk: it sees its caller,
 * and the result comes back as the caller's. */
Test(tail_call, to_host_functions) {
    w2n_object *obj =
        compile_wat("(module (type $t (func (param i64) (result i64)))\n"
                    "  (import \"host\" \"plus\" (func $plus (type $t)))\n"
                    "  (table (export \"tab\") 1 funcref)\n"
                    "  (func (export \"direct\") (type $t) (return_call $plus (local.get 0)))\n"
                    "  (func (export \"indirect\") (type $t)\n"
                    "    (return_call_indirect (type $t) (local.get 0) (i32.const 0))))");
    w2n_store *store = small_store();
    w2n_valtype i64 = W2N_I64;
    w2n_functype t = {1, 1, &i64, &i64};
    w2n_extern plus = {.kind = W2N_EXTERN_FUNC};
    plus.of.func = w2n_host_func_new(store, &t, host_plus_100, NULL);
    w2n_instance *inst = instantiate(store, obj, &plus, 1);
    w2n_error err;
    cr_assert_eq(w2n_table_set(export_of(inst, "tab").of.table, 0, plus.of.func, &err), W2N_OK);
    int64_t v = 0;
    w2n_trap trap;
    host_caller = NULL;
    cr_assert_eq(call_i64(store, inst, "direct", 5, &v, &trap), W2N_OK, "%s", trap.message);
    cr_assert_eq(v, 105);
    cr_assert_eq(host_caller, inst);
    host_caller = NULL;
    cr_assert_eq(call_i64(store, inst, "indirect", 6, &v, &trap), W2N_OK, "%s", trap.message);
    cr_assert_eq(v, 106);
    cr_assert_eq(host_caller, inst);
    w2n_store_free(store);
    w2n_object_free(obj);
}

/* The checks of call_indirect, in the spec's order, before the frame goes. */
Test(tail_call, indirect_traps) {
    loaded l = load_with(
        "(module (type $t (func (param i64) (result i64)))\n"
        "  (type $u (func (param i32) (result i64)))\n"
        "  (table 3 funcref) (elem (i32.const 0) $id $other)\n"
        "  (func $id (type $t) (local.get 0))\n"
        "  (func $other (type $u) (i64.const 0))\n"
        "  (func (export \"go\") (param i64) (result i64)\n"
        "    (return_call_indirect (type $t) (i64.const 42) (i32.wrap_i64 (local.get 0)))))",
        NULL);
    int64_t v = 0;
    w2n_trap trap;
    cr_assert_eq(call_i64(l.store, l.inst, "go", 0, &v, &trap), W2N_OK, "%s", trap.message);
    cr_assert_eq(v, 42);
    cr_assert_eq(call_i64(l.store, l.inst, "go", 1, &v, &trap), W2N_ERR_TRAP);
    cr_assert_str_eq(trap.message, "indirect call type mismatch");
    cr_assert_eq(call_i64(l.store, l.inst, "go", 2, &v, &trap), W2N_ERR_TRAP);
    cr_assert_str_eq(trap.message, "uninitialized element 2");
    cr_assert_eq(call_i64(l.store, l.inst, "go", 3, &v, &trap), W2N_ERR_TRAP);
    cr_assert_str_eq(trap.message, "undefined element 3");
    unload(&l);
}
