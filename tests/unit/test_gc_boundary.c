/*
 * test_gc_boundary.c — GC references between the host and compiled Wasm
 * (runtime/gc/boundary.c, runtime/core/global.c): w2n_func_call and
 * w2n_global_set take a `(ref $t)` only for an object of $t or a subtype
 * (by canonical id), and refuse, with an error naming the types, any other
 * struct, an array, an i31, a host-made struct or null; abstract types
 * (anyref, eqref, structref, arrayref, i31ref) by the kind of what a handle
 * names; results and w2n_global_read give handles, and a global set by the
 * host is a root.
 *
 * Modules are assembled by the spec's reference interpreter (wabt cannot
 * read GC); without it the tests skip.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "w2n/compiler.h"
#include "w2n/runtime.h"
#include "gc_call_kit.h"

static w2n_global *export_global(loaded *l, const char *name) {
    w2n_extern ext;
    cr_assert_eq(w2n_instance_export(l->inst, name, &ext), W2N_OK, "no export %s", name);
    cr_assert_eq(ext.kind, W2N_EXTERN_GLOBAL);
    return ext.of.global;
}

static w2n_gc_ref *call_ref(loaded *l, const char *name, const w2n_value *args, uint32_t nargs) {
    w2n_value out;
    w2n_error err;
    cr_assert_eq(call(l, name, args, nargs, &out, &err), W2N_OK, "%s: %s", name, err.message);
    cr_assert_not_null(out.of.ref, "%s gave null", name);
    return out.of.ref;
}

static void expect_refused(loaded *l, const char *name, w2n_value arg, const char *what) {
    w2n_error err;
    cr_assert_eq(call(l, name, &arg, 1, NULL, &err), W2N_ERR_ARGUMENT, "%s accepted %s", name,
                 what);
    cr_assert(strstr(err.message, "argument 0"), "%s: '%s'", what, err.message);
}

static const char *concrete_wat =
    "(module\n"
    "  (type $pt (sub (struct (field i32) (field i32))))\n"
    "  (type $pt3 (sub $pt (struct (field i32) (field i32) (field i32))))\n"
    "  (type $other (struct (field f32)))\n"
    "  (type $bytes (array (mut i8)))\n"
    "  (global $g (export \"g\") (mut (ref null $pt)) (ref.null $pt))\n"
    "  (global (export \"fixed\") (ref null $pt) (ref.null $pt))\n"
    "  (func (export \"make\") (param i32 i32) (result (ref $pt))\n"
    "    (struct.new $pt (local.get 0) (local.get 1)))\n"
    "  (func (export \"make3\") (param i32) (result (ref $pt3))\n"
    "    (struct.new $pt3 (local.get 0) (local.get 0) (local.get 0)))\n"
    "  (func (export \"other\") (result (ref $other))\n"
    "    (struct.new $other (f32.const 1.5)))\n"
    "  (func (export \"bytes\") (result (ref $bytes))\n"
    "    (array.new_default $bytes (i32.const 3)))\n"
    "  (func (export \"sum\") (param (ref $pt)) (result i32)\n"
    "    (i32.add (struct.get $pt 0 (local.get 0)) (struct.get $pt 1 (local.get 0))))\n"
    "  (func $sum_null (export \"sum_null\") (param (ref null $pt)) (result i32)\n"
    "    (if (result i32) (ref.is_null (local.get 0)) (then (i32.const -1))\n"
    "      (else (i32.add (struct.get $pt 0 (local.get 0)) (struct.get $pt 1 (local.get 0))))))\n"
    "  (func (export \"len\") (param arrayref) (result i32) (array.len (local.get 0)))\n"
    "  (func (export \"i31\") (param i31ref) (result i32) (i31.get_s (local.get 0)))\n"
    "  (func (export \"is_struct\") (param eqref) (result i32)\n"
    "    (ref.test (ref struct) (local.get 0)))\n"
    "  (func (export \"structs\") (param structref) (result i32)\n"
    "    (ref.test (ref $pt) (local.get 0)))\n"
    "  (func (export \"any\") (param anyref) (result anyref) (local.get 0))\n"
    "  (func (export \"gsum\") (result i32) (call $sum_null (global.get $g))))\n";

Test(gc_boundary, concrete_types_are_checked_by_canonical_id) {
    loaded l = load_gc_imports(concrete_wat, 0, NULL, 0, NULL);
    w2n_functype sum_type = w2n_func_type(l.store, export_func(&l, "sum"));
    w2n_valtype pt = sum_type.params[0];
    w2n_value xy[2] = {w2n_i32(30), w2n_i32(12)};
    w2n_gc_ref *p = call_ref(&l, "make", xy, 2);
    w2n_value arg = {pt, {.ref = p}};
    cr_assert_eq(call_i32(&l, "sum", &arg, 1), 42);
    cr_assert_eq(call_i32(&l, "sum_null", &arg, 1), 42);
    /* A subtype's object is a (ref $pt). */
    w2n_value seven = w2n_i32(7);
    w2n_value sub = {pt, {.ref = call_ref(&l, "make3", &seven, 1)}};
    cr_assert_eq(call_i32(&l, "sum", &sub, 1), 14);

    /* Anything else is refused with an error, never passed to the code. */
    w2n_value other = {W2N_STRUCTREF, {.ref = call_ref(&l, "other", NULL, 0)}};
    expect_refused(&l, "sum", other, "a struct of another type");
    w2n_value bytes = {W2N_ARRAYREF, {.ref = call_ref(&l, "bytes", NULL, 0)}};
    expect_refused(&l, "sum", bytes, "an array");
    w2n_value i31 = {W2N_I31REF, {.ref = w2n_gc_i31_new(l.store, 5)}};
    expect_refused(&l, "sum", i31, "an i31");
    w2n_value null = {pt, {.ref = NULL}};
    expect_refused(&l, "sum", null, "null");
    cr_assert_eq(call_i32(&l, "sum_null", &null, 1), -1);
    /* A structurally equal type the host made is not the module's type. */
    w2n_error err;
    w2n_gc_field two_i32[2] = {{W2N_I32, 0, false}, {W2N_I32, 0, false}};
    const w2n_gc_rtt *host_pt = w2n_gc_struct_type(l.store, two_i32, 2, NULL, &err);
    cr_assert_not_null(host_pt, "%s", err.message);
    w2n_value host_xy[2] = {w2n_i32(1), w2n_i32(2)};
    w2n_gc_ref *host_made;
    cr_assert_eq(w2n_gc_struct_new(l.store, host_pt, host_xy, 2, &host_made, &err), W2N_OK);
    w2n_value host_arg = {pt, {.ref = host_made}};
    expect_refused(&l, "sum", host_arg, "a host type");
    /* The module's own type, by the id the signature names it with. */
    const w2n_gc_rtt *mod_pt = w2n_gc_type_of_id(l.store, w2n_valtype_type_index(pt), &err);
    cr_assert_not_null(mod_pt, "%s", err.message);
    cr_assert_eq(mod_pt, w2n_gc_ref_type(p));
    cr_assert_eq(w2n_gc_struct_new(l.store, mod_pt, host_xy, 2, &host_made, &err), W2N_OK);
    host_arg.of.ref = host_made;
    cr_assert_eq(call_i32(&l, "sum", &host_arg, 1), 3);
    cr_assert_null(w2n_gc_type_of_id(l.store, 0xFFFFFFu, &err));
    unload(&l);
}

Test(gc_boundary, abstract_types_are_checked_by_kind) {
    loaded l = load_gc_imports(concrete_wat, 0, NULL, 0, NULL);
    w2n_value xy[2] = {w2n_i32(1), w2n_i32(2)};
    w2n_value p = {W2N_STRUCTREF, {.ref = call_ref(&l, "make", xy, 2)}};
    w2n_value bytes = {W2N_ARRAYREF, {.ref = call_ref(&l, "bytes", NULL, 0)}};
    w2n_value i31 = {W2N_I31REF, {.ref = w2n_gc_i31_new(l.store, -9)}};
    cr_assert_eq(call_i32(&l, "len", &bytes, 1), 3);
    expect_refused(&l, "len", p, "a struct as arrayref");
    expect_refused(&l, "len", i31, "an i31 as arrayref");
    cr_assert_eq(call_i32(&l, "i31", &i31, 1), -9);
    expect_refused(&l, "i31", p, "a struct as i31ref");
    cr_assert_eq(call_i32(&l, "is_struct", &p, 1), 1);
    cr_assert_eq(call_i32(&l, "is_struct", &i31, 1), 0);
    cr_assert_eq(call_i32(&l, "structs", &p, 1), 1);
    expect_refused(&l, "structs", bytes, "an array as structref");
    /* anyref takes any of them and gives the same reference back. */
    w2n_value any = {W2N_ANYREF, {.ref = p.of.ref}};
    w2n_gc_ref *back = call_ref(&l, "any", &any, 1);
    cr_assert(w2n_gc_ref_eq(back, p.of.ref));
    unload(&l);
}

Test(gc_boundary, globals_of_concrete_types_hold_handles) {
    loaded l = load_gc_imports(concrete_wat, 64 * 1024, NULL, 0, NULL);
    w2n_global *g = export_global(&l, "g");
    w2n_valtype pt = w2n_func_type(l.store, export_func(&l, "sum")).params[0];
    w2n_value xy[2] = {w2n_i32(40), w2n_i32(2)};
    w2n_value p = {pt, {.ref = call_ref(&l, "make", xy, 2)}};
    w2n_error err;
    cr_assert_eq(w2n_global_set(l.store, g, p, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(call_i32(&l, "gsum", NULL, 0), 42);
    /* The global is a root: the object moves and stays readable. */
    w2n_gc_ref_free(l.store, p.of.ref);
    w2n_gc_collect(l.store);
    cr_assert_eq(call_i32(&l, "gsum", NULL, 0), 42);
    w2n_value read;
    cr_assert_eq(w2n_global_read(l.store, g, &read, &err), W2N_OK, "%s", err.message);
    cr_assert_not_null(read.of.ref);
    w2n_value field;
    cr_assert_eq(w2n_gc_struct_get(l.store, read.of.ref, 0, true, &field, &err), W2N_OK, "%s",
                 err.message);
    cr_assert_eq(field.of.i32, 40);

    w2n_value other = {W2N_STRUCTREF, {.ref = call_ref(&l, "other", NULL, 0)}};
    cr_assert_eq(w2n_global_set(l.store, g, other, &err), W2N_ERR_ARGUMENT);
    cr_assert(strstr(err.message, "the global holds"), "'%s'", err.message);
    w2n_value i31 = {W2N_I31REF, {.ref = w2n_gc_i31_new(l.store, 1)}};
    cr_assert_eq(w2n_global_set(l.store, g, i31, &err), W2N_ERR_ARGUMENT);
    cr_assert_eq(call_i32(&l, "gsum", NULL, 0), 42, "a refused value changed the global");
    cr_assert_eq(w2n_global_set(l.store, export_global(&l, "fixed"), read, &err), W2N_ERR_ARGUMENT);
    cr_assert(strstr(err.message, "immutable"), "'%s'", err.message);
    /* Null into a nullable global; read back as a NULL handle. */
    w2n_value null = {pt, {.ref = NULL}};
    cr_assert_eq(w2n_global_set(l.store, g, null, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(w2n_global_read(l.store, g, &read, &err), W2N_OK);
    cr_assert_null(read.of.ref);
    unload(&l);
}

/* A host function's GC results are checked on the way into compiled code
 * too: a word of another type traps W2N_TRAP_HOST, naming the result. */
static const char *host_result_wat =
    "(module\n"
    "  (type $pt (sub (struct (field i32) (field i32))))\n"
    "  (import \"host\" \"make\" (func $make (result (ref $pt))))\n"
    "  (func (export \"call_make\") (result i32)\n"
    "    (struct.get $pt 1 (call $make))))\n";

static void host_make(void *data, w2n_instance *caller, w2n_raw *slots) {
    (void)caller;
    slots[0].ref = data ? w2n_gc_raw_of(*(w2n_gc_ref **)data) : NULL;
}

Test(gc_boundary, host_results_are_checked) {
    loaded types = load_gc_imports(concrete_wat, 0, NULL, 0, NULL);
    w2n_valtype pt = w2n_func_type(types.store, export_func(&types, "sum")).params[0];
    w2n_gc_ref *given = NULL;
    w2n_functype make_type = {0, 1, NULL, &pt};
    w2n_extern import = {.kind = W2N_EXTERN_FUNC};
    import.of.func = w2n_host_func_new(types.store, &make_type, host_make, &given);
    cr_assert_not_null(import.of.func);
    loaded l = load_gc_imports(host_result_wat, 0, &import, 1, types.store);
    w2n_value xy[2] = {w2n_i32(5), w2n_i32(37)};
    given = call_ref(&types, "make", xy, 2);
    cr_assert_eq(call_i32(&l, "call_make", NULL, 0), 37);

    w2n_gc_ref *wrong[] = {call_ref(&types, "other", NULL, 0), call_ref(&types, "bytes", NULL, 0),
                           w2n_gc_i31_new(types.store, 3)};
    for (size_t i = 0; i < sizeof wrong / sizeof *wrong; i++) {
        given = wrong[i];
        w2n_value out;
        w2n_error err;
        w2n_trap trap;
        w2n_status s =
            w2n_func_call(l.store, export_func(&l, "call_make"), NULL, 0, &out, 1, &trap, &err);
        cr_assert_eq(s, W2N_ERR_TRAP, "wrong result %zu accepted", i);
        cr_assert_eq(trap.code, W2N_TRAP_HOST);
        cr_assert(strstr(trap.message, "host function result 0 is a"), "'%s'", trap.message);
    }
    w2n_object_free(l.obj);
    unload(&types);
}
