/*
 * gc_call_kit.h — for Criterion tests of GC modules through the C API:
 * compile a module in the text format with GC (assembled by the spec's
 * reference interpreter, as wat_kit.h's assemble_reference), instantiate it
 * with imports in a given store or one with a GC heap limit, and call its
 * exports.
 */
#ifndef W2N_TEST_GC_CALL_KIT_H
#define W2N_TEST_GC_CALL_KIT_H

#include "gc_store_kit.h"
#include "wat_kit.h"

/* GC is among the default features: the options only set the level. */
static inline w2n_object *compile_gc_at(const char *wat, int opt_level) {
    uint8_t *wasm;
    size_t wasm_size;
    assemble_reference(wat, &wasm, &wasm_size);
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    opts.opt_level = opt_level;
    return compile_wasm(wasm, wasm_size, &opts);
}

static inline w2n_object *compile_gc(const char *wat) { return compile_gc_at(wat, 2); }

/* Compiled at `opt_level`; `imports` in the object's import order; `store`
 * NULL: a new store with a heap limit of `max_gc_heap` bytes (0: the
 * default). */
static inline loaded load_gc_imports_at(const char *wat, int opt_level, uint64_t max_gc_heap,
                                        const w2n_extern *imports, uint32_t nimports,
                                        w2n_store *store) {
    loaded l = {0};
    l.obj = compile_gc_at(wat, opt_level);
    l.store = store ? store : store_with_gc_limit(max_gc_heap);
    w2n_trap trap;
    w2n_error err;
    w2n_status s = w2n_instantiate(l.store, l.obj, imports, nimports, &l.inst, &trap, &err);
    cr_assert_eq(s, W2N_OK, "instantiate: %s", err.message);
    return l;
}

static inline loaded load_gc_imports(const char *wat, uint64_t max_gc_heap,
                                     const w2n_extern *imports, uint32_t nimports,
                                     w2n_store *store) {
    return load_gc_imports_at(wat, 2, max_gc_heap, imports, nimports, store);
}

/* Call `name` with `args`: its status, its one result in *out (if any). */
static inline w2n_status call(loaded *l, const char *name, const w2n_value *args, uint32_t nargs,
                              w2n_value *out, w2n_error *err) {
    w2n_value results[1];
    w2n_trap trap;
    w2n_status s =
        w2n_func_call(l->store, export_func(l, name), args, nargs, results, 1, &trap, err);
    if (s == W2N_OK && out)
        *out = results[0];
    return s;
}

static inline int32_t call_i32(loaded *l, const char *name, const w2n_value *args, uint32_t nargs) {
    w2n_value out;
    w2n_error err;
    cr_assert_eq(call(l, name, args, nargs, &out, &err), W2N_OK, "%s: %s", name, err.message);
    cr_assert_eq(out.type, W2N_I32);
    return out.of.i32;
}

#endif
