/*
 * test_exception.c — Wasm exceptions through the public API: an uncaught
 * exception reaches the host as W2N_ERR_EXCEPTION with its tag and payload;
 * a host function throws one that Wasm catches (or that passes through to
 * the host caller); a host-made tag imported by a module; the store's bound
 * on live exceptions traps, while exceptions caught without a reference are
 * freed and never reach it.  Modules are assembled by the spec's reference
 * interpreter (wabt cannot read try_table yet); without it the tests skip.
 */
#include <criterion/criterion.h>
#include <string.h>
#include <unistd.h>

#include "w2n/compiler.h"
#include "w2n/runtime.h"
#include "wat_kit.h"

typedef struct rig {
    w2n_object *obj;
    w2n_store *store;
    w2n_instance *inst;
} rig;

static w2n_object *compile(const char *wat) {
    uint8_t *wasm;
    size_t wasm_size;
    assemble_reference(wat, &wasm, &wasm_size);
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    return compile_wasm(wasm, wasm_size, &opts);
}

static rig start(const char *wat, const w2n_store_options *o, const w2n_extern *imports,
                 uint32_t nimports) {
    rig r = {compile(wat), w2n_store_new(o), NULL};
    w2n_trap trap;
    w2n_error err;
    cr_assert_eq(w2n_instantiate(r.store, r.obj, imports, nimports, &r.inst, &trap, &err), W2N_OK,
                 "instantiate: %s", err.message);
    return r;
}

static void stop(rig *r) {
    w2n_store_free(r->store);
    w2n_object_free(r->obj);
}

static w2n_extern export_of(rig *r, const char *name) {
    w2n_extern ext;
    cr_assert_eq(w2n_instance_export(r->inst, name, &ext), W2N_OK, "no export %s", name);
    return ext;
}

static w2n_status call(rig *r, const char *name, const w2n_value *args, uint32_t nargs,
                       w2n_value *results, uint32_t nresults, w2n_trap *trap) {
    w2n_error err;
    memset(trap, 0, sizeof *trap);
    return w2n_func_call(r->store, export_of(r, name).of.func, args, nargs, results, nresults, trap,
                         &err);
}

static const char *thrower_wat =
    "(module\n"
    "  (tag $e (export \"e\") (param i32 i64 f32 f64))\n"
    "  (func $deep (param i32)\n"
    "    (if (i32.eqz (local.get 0))\n"
    "      (then (throw $e (i32.const -7) (i64.const 0x123456789) (f32.const 1.5)\n"
    "                      (f64.const -2.25))))\n"
    "    (call $deep (i32.sub (local.get 0) (i32.const 1))))\n"
    "  (func (export \"throw\") (param i32) (call $deep (local.get 0)))\n"
    "  (func (export \"ok\") (result i32) (i32.const 1)))\n";

Test(exception, uncaught_reaches_the_host_with_tag_and_payload) {
    rig r = start(thrower_wat, NULL, NULL, 0);
    for (int depth = 0; depth <= 20; depth += 10) {
        w2n_value arg = w2n_i32(depth);
        w2n_trap trap;
        cr_assert_eq(call(&r, "throw", &arg, 1, NULL, 0, &trap), W2N_ERR_EXCEPTION);
        cr_assert_eq(trap.code, W2N_TRAP_NONE);
        cr_assert_not_null(trap.exception);
        cr_assert_eq(w2n_exception_tag(trap.exception), export_of(&r, "e").of.tag);
        cr_assert_eq(w2n_exception_arity(trap.exception), 4);
        cr_assert_eq(w2n_exception_value(trap.exception, 0).of.i32, -7);
        cr_assert_eq(w2n_exception_value(trap.exception, 1).of.i64, 0x123456789);
        cr_assert_eq(w2n_exception_value(trap.exception, 2).of.f32, 1.5f);
        cr_assert_eq(w2n_exception_value(trap.exception, 3).of.f64, -2.25);
        cr_assert_eq(w2n_exception_value(trap.exception, 3).type, W2N_F64);
    }
    /* The store stays usable. */
    w2n_value res;
    w2n_trap trap;
    cr_assert_eq(call(&r, "ok", NULL, 0, &res, 1, &trap), W2N_OK);
    cr_assert_eq(res.of.i32, 1);
    stop(&r);
}

/* A host function that throws the exception its data points to. */
static void host_throws(void *data, w2n_instance *caller, w2n_raw *slots) {
    (void)slots;
    w2n_host_throw(caller, *(w2n_exception **)data);
}

static const char *catcher_wat = "(module\n"
                                 "  (import \"host\" \"tag\" (tag $t (param i32)))\n"
                                 "  (import \"host\" \"throw\" (func $throw))\n"
                                 "  (func (export \"catch\") (result i32)\n"
                                 "    (block $h (result i32)\n"
                                 "      (try_table (catch $t $h) (call $throw))\n"
                                 "      (i32.const -1)))\n"
                                 "  (func (export \"pass\") (call $throw)))\n";

Test(exception, host_function_throws_to_wasm_and_through_it) {
    w2n_store *store = w2n_store_new(NULL);
    w2n_valtype i32 = W2N_I32;
    w2n_functype tag_type = {1, 0, &i32, NULL}, void_type = {0, 0, NULL, NULL};
    w2n_error err;
    w2n_tag *tag = w2n_tag_new(store, &tag_type, &err);
    cr_assert_not_null(tag, "%s", err.message);
    cr_assert_eq(w2n_tag_type(tag)->nparams, 1);
    cr_assert_null(w2n_tag_new(store, &(w2n_functype){0, 1, NULL, &i32}, &err));
    w2n_exception *exn = NULL;
    w2n_value payload = w2n_i32(1234);
    cr_assert_eq(w2n_exception_new(store, tag, &payload, 1, &exn, &err), W2N_OK);
    cr_assert_eq(w2n_exception_new(store, tag, NULL, 0, &exn, &err), W2N_ERR_ARGUMENT);
    cr_assert_eq(w2n_exception_new(store, tag, &payload, 1, &exn, &err), W2N_OK);
    w2n_extern imports[2] = {{.kind = W2N_EXTERN_TAG, .of.tag = tag},
                             {.kind = W2N_EXTERN_FUNC,
                              .of.func = w2n_host_func_new(store, &void_type, host_throws, &exn)}};
    rig r = {compile(catcher_wat), store, NULL};
    w2n_trap trap;
    cr_assert_eq(w2n_instantiate(store, r.obj, imports, 2, &r.inst, &trap, &err), W2N_OK, "%s",
                 err.message);
    w2n_value res;
    cr_assert_eq(call(&r, "catch", NULL, 0, &res, 1, &trap), W2N_OK);
    cr_assert_eq(res.of.i32, 1234);
    cr_assert_eq(call(&r, "pass", NULL, 0, NULL, 0, &trap), W2N_ERR_EXCEPTION);
    cr_assert_eq(trap.exception, exn);
    cr_assert_eq(w2n_exception_tag(trap.exception), tag);
    /* A tag of another type does not link. */
    w2n_tag *other = w2n_tag_new(store, &void_type, &err);
    imports[0].of.tag = other;
    w2n_instance *inst;
    cr_assert_eq(w2n_instantiate(store, r.obj, imports, 2, &inst, &trap, &err), W2N_ERR_LINK);
    cr_assert(strstr(err.message, "tag types differ"), "%s", err.message);
    stop(&r);
}

static const char *keeper_wat =
    "(module\n"
    "  (tag $e (param i32))\n"
    "  (table $kept 100 exnref)\n"
    "  (func $throw (param i32) (throw $e (local.get 0)))\n"
    "  ;; keep n exnrefs alive (catch_ref into a table)\n"
    "  (func (export \"keep\") (param $n i32) (local $i i32) (local $x exnref)\n"
    "    (loop $l\n"
    "      (block $h (result i32 exnref)\n"
    "        (try_table (catch_ref $e $h) (call $throw (local.get $i)))\n"
    "        (unreachable))\n"
    "      (local.set $x)\n"
    "      (drop)\n"
    "      (table.set $kept (local.get $i) (local.get $x))\n"
    "      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))\n"
    "                          (local.get $n)))))\n"
    "  ;; throw and catch n times without keeping a reference\n"
    "  (func (export \"drop\") (param $n i32) (result i32) (local $i i32) (local $sum i32)\n"
    "    (loop $l\n"
    "      (block $h (result i32)\n"
    "        (try_table (catch $e $h) (call $throw (local.get $i)))\n"
    "        (i32.const 0))\n"
    "      (local.set $sum (i32.add (local.get $sum)))\n"
    "      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))\n"
    "                          (local.get $n))))\n"
    "    (local.get $sum)))\n";

Test(exception, store_bounds_live_exceptions) {
    w2n_store_options o = {.limits = {.max_exceptions = 10}};
    rig r = start(keeper_wat, &o, NULL, 0);
    w2n_value n = w2n_i32(5000), res;
    w2n_trap trap;
    /* Freed as caught: far more throws than the bound. */
    cr_assert_eq(call(&r, "drop", &n, 1, &res, 1, &trap), W2N_OK, "%s", trap.message);
    cr_assert_eq(res.of.i32, 5000 * 4999 / 2);
    n = w2n_i32(10);
    cr_assert_eq(call(&r, "keep", &n, 1, NULL, 0, &trap), W2N_OK, "%s", trap.message);
    /* Ten are kept: the next throw traps, caught or not. */
    n = w2n_i32(1);
    cr_assert_eq(call(&r, "keep", &n, 1, NULL, 0, &trap), W2N_ERR_TRAP);
    cr_assert_eq(trap.code, W2N_TRAP_TOO_MANY_EXCEPTIONS);
    cr_assert_str_eq(trap.message, "too many live exceptions");
    cr_assert_eq(call(&r, "drop", &n, 1, &res, 1, &trap), W2N_ERR_TRAP);
    stop(&r);
    /* A byte bound too: each exception of one i32 takes 80 bytes. */
    w2n_store_options b = {.limits = {.max_exception_bytes = 800}};
    r = start(keeper_wat, &b, NULL, 0);
    n = w2n_i32(10);
    cr_assert_eq(call(&r, "keep", &n, 1, NULL, 0, &trap), W2N_OK, "%s", trap.message);
    n = w2n_i32(1);
    cr_assert_eq(call(&r, "keep", &n, 1, NULL, 0, &trap), W2N_ERR_TRAP);
    stop(&r);
}

Test(exception, traps_are_not_caught) {
    rig r = start("(module\n"
                  "  (func (export \"f\") (result i32)\n"
                  "    (block $h (try_table (catch_all $h) (unreachable)))\n"
                  "    (i32.const 1)))\n",
                  NULL, NULL, 0);
    w2n_value res;
    w2n_trap trap;
    cr_assert_eq(call(&r, "f", NULL, 0, &res, 1, &trap), W2N_ERR_TRAP);
    cr_assert_eq(trap.code, W2N_TRAP_UNREACHABLE);
    cr_assert_null(trap.exception);
    stop(&r);
}

/* An exception thrown by a function called through a table with known
 * elements (compiler/lower/lower_table_known.c) reaches the try_table around
 * the call_indirect, from the direct call of its code as from the record's. */
Test(exception, caught_around_a_known_table_call) {
    rig r = start("(module (tag $e (param i32))\n"
                  "  (type $t (func (param i32) (result i32)))\n"
                  "  (table 2 2 funcref) (elem (i32.const 0) $thrower $id)\n"
                  "  (func $thrower (type $t)\n"
                  "    (throw $e (i32.add (local.get 0) (i32.const 100))))\n"
                  "  (func $id (type $t) (local.get 0))\n"
                  "  (func (export \"run\") (param $i i32) (result i32)\n"
                  "    (block $h (result i32)\n"
                  "      (try_table (result i32) (catch $e $h)\n"
                  "        (call_indirect (type $t) (i32.const 7) (local.get $i)))\n"
                  "      (i32.const 1000) (i32.add))))\n",
                  NULL, NULL, 0);
    static const int32_t want[] = {107, 1007};
    for (int32_t i = 0; i < 2; i++) {
        w2n_value arg = w2n_i32(i), res;
        w2n_trap trap;
        cr_assert_eq(call(&r, "run", &arg, 1, &res, 1, &trap), W2N_OK, "run(%d)", i);
        cr_assert_eq(res.of.i32, want[i], "run(%d)", i);
    }
    stop(&r);
}

/* Wasm -> host -> Wasm: the inner call's uncaught exception stops at the
 * inner entry (the host sees W2N_ERR_EXCEPTION), and the host throws it on
 * to the outer Wasm, which catches it. */
typedef struct nested {
    w2n_store *store;
    w2n_func *inner;
    w2n_status inner_status;
} nested;

static void host_calls_thrower(void *data, w2n_instance *caller, w2n_raw *slots) {
    nested *n = data;
    w2n_value arg = w2n_i32(slots[0].i32);
    w2n_trap trap;
    w2n_error err;
    n->inner_status = w2n_func_call(n->store, n->inner, &arg, 1, NULL, 0, &trap, &err);
    if (n->inner_status == W2N_ERR_EXCEPTION)
        w2n_host_throw(caller, trap.exception);
}

Test(exception, nested_entries_keep_exceptions_apart) {
    rig thrower = start("(module\n"
                        "  (tag $e (export \"e\") (param i32))\n"
                        "  (func (export \"throw\") (param i32) (throw $e (local.get 0))))\n",
                        NULL, NULL, 0);
    w2n_valtype i32 = W2N_I32;
    w2n_functype param_i32 = {1, 0, &i32, NULL};
    nested n = {thrower.store, export_of(&thrower, "throw").of.func, W2N_OK};
    w2n_extern imports[2] = {
        export_of(&thrower, "e"),
        {.kind = W2N_EXTERN_FUNC,
         .of.func = w2n_host_func_new(thrower.store, &param_i32, host_calls_thrower, &n)}};
    rig outer = {compile("(module\n"
                         "  (import \"t\" \"e\" (tag $e (param i32)))\n"
                         "  (import \"h\" \"call\" (func $call (param i32)))\n"
                         "  (func (export \"f\") (param i32) (result i32)\n"
                         "    (block $h (result i32)\n"
                         "      (try_table (catch $e $h) (call $call (local.get 0)))\n"
                         "      (i32.const -1))))\n"),
                 thrower.store, NULL};
    w2n_trap trap;
    w2n_error err;
    cr_assert_eq(w2n_instantiate(outer.store, outer.obj, imports, 2, &outer.inst, &trap, &err),
                 W2N_OK, "%s", err.message);
    w2n_value arg = w2n_i32(31), res;
    cr_assert_eq(call(&outer, "f", &arg, 1, &res, 1, &trap), W2N_OK);
    cr_assert_eq(n.inner_status, W2N_ERR_EXCEPTION);
    cr_assert_eq(res.of.i32, 31);
    w2n_object_free(outer.obj);
    stop(&thrower);
}

/* An exception that would pass a frame of a module compiled without
 * exceptions (no unwind tables) traps: the unwinder cannot see past it. */
Test(exception, frames_without_unwind_tables_trap) {
    rig thrower = start("(module\n"
                        "  (tag $e (export \"e\") (param i32))\n"
                        "  (func (export \"throw\") (param i32) (throw $e (local.get 0))))\n",
                        NULL, NULL, 0);
    /* No tag, no exception instruction: compiled as before exceptions. */
    w2n_extern throw_fn = export_of(&thrower, "throw");
    rig plain = {compile("(module\n"
                         "  (import \"t\" \"throw\" (func $throw (param i32)))\n"
                         "  (func (export \"pass\") (param i32) (call $throw (local.get 0))))\n"),
                 thrower.store, NULL};
    w2n_trap trap;
    w2n_error err;
    cr_assert_eq(w2n_instantiate(plain.store, plain.obj, &throw_fn, 1, &plain.inst, &trap, &err),
                 W2N_OK, "%s", err.message);
    w2n_extern imports[2] = {export_of(&thrower, "e"), export_of(&plain, "pass")};
    rig outer = {compile("(module\n"
                         "  (import \"t\" \"e\" (tag $e (param i32)))\n"
                         "  (import \"p\" \"pass\" (func $pass (param i32)))\n"
                         "  (func (export \"f\") (param i32) (result i32)\n"
                         "    (block $h (result i32)\n"
                         "      (try_table (catch $e $h) (call $pass (local.get 0)))\n"
                         "      (i32.const -1))))\n"),
                 thrower.store, NULL};
    cr_assert_eq(w2n_instantiate(outer.store, outer.obj, imports, 2, &outer.inst, &trap, &err),
                 W2N_OK, "%s", err.message);
    w2n_value arg = w2n_i32(3), res;
    cr_assert_eq(call(&outer, "f", &arg, 1, &res, 1, &trap), W2N_ERR_TRAP);
    cr_assert_eq(trap.code, W2N_TRAP_UNWIND_BARRIER, "%s", trap.message);
    w2n_object_free(outer.obj);
    w2n_object_free(plain.obj);
    stop(&thrower);
}
