/*
 * test_gc_helpers.c — the GC helpers as compiled code reaches them, with
 * Wasm frames on the stack: a host function imported by a module stands in
 * for GC code (the lowering will call the same helpers) and calls
 * vmctx->helpers->gc_alloc of its caller.  An allocation past the store's
 * GC heap limit must end the Wasm call with the trap "out of memory", and
 * the store must stay usable; an allocation that fits must succeed with
 * the header set and the body zero; gc_externalize and gc_internalize must
 * round-trip.
 */
#include <criterion/criterion.h>

#include "gc.h"
#include "internal.h"
#include "wat_kit.h"

static const char *caller_wat =
    "(module\n"
    "  (import \"h\" \"alloc\" (func $alloc (param i32) (result i32)))\n"
    "  (func (export \"f\") (param i32) (result i32)\n"
    "    (call $alloc (local.get 0))))\n";

static const w2n_gc_rtt *bytes_type;

/* Allocate a byte array of args[0] elements through the caller's helpers;
 * return 1 when it came back right (it returns only then). */
static void host_alloc(void *data, w2n_instance *caller, w2n_raw *slots) {
    (void)data;
    w2n_vmctx *vmctx = &caller->vmctx;
    uint8_t *obj = vmctx->helpers->gc_alloc(vmctx, bytes_type, (uint32_t)slots[0].i32);
    if (!obj)
        return; /* the trap is pending: the call ends with it */
    bool ok = *(const w2n_gc_rtt **)obj == bytes_type &&
              *(uint32_t *)(obj + W2N_GC_ARRAY_LENGTH) == (uint32_t)slots[0].i32 &&
              obj[W2N_GC_ARRAY_DATA_SMALL] == 0;
    /* extern.convert_any and back, of the new array and of an i31. */
    void *e = vmctx->helpers->gc_externalize(vmctx, obj);
    void *i31 = (void *)(uintptr_t)((77u << 1) | 1u);
    ok = ok && vmctx->helpers->gc_internalize(vmctx, e) == obj &&
         vmctx->helpers->gc_internalize(vmctx, vmctx->helpers->gc_externalize(vmctx, i31)) == i31;
    slots[0].i32 = ok;
}

Test(gc_helpers, allocation_past_the_limit_traps_out_of_memory) {
    w2n_store_options so = {0};
    so.limits.max_gc_heap = 256 << 10;
    w2n_store *store = w2n_store_new(&so);
    w2n_error err;
    w2n_gc_field b = {W2N_GC_PACKED_I8, 0, true};
    bytes_type = w2n_gc_array_type(store, b, NULL, &err);
    cr_assert(bytes_type, "%s", err.message);
    w2n_valtype i32 = W2N_I32;
    w2n_functype ft = {1, 1, &i32, &i32};
    w2n_extern imp = {.kind = W2N_EXTERN_FUNC,
                      .of.func = w2n_host_func_new(store, &ft, host_alloc, NULL)};
    uint8_t *wasm;
    size_t wasm_size;
    assemble(caller_wat, &wasm, &wasm_size);
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    w2n_object *obj = compile_wasm(wasm, wasm_size, &opts);
    w2n_instance *inst;
    w2n_trap trap;
    cr_assert_eq(w2n_instantiate(store, obj, &imp, 1, &inst, &trap, &err), W2N_OK, "%s",
                 err.message);
    cr_assert_eq(inst->vmctx.gc, &store->gc->window, "the instance sees the store's window");
    w2n_extern f;
    cr_assert_eq(w2n_instance_export(inst, "f", &f), W2N_OK);

    w2n_value arg = w2n_i32(1000), res;
    cr_assert_eq(w2n_func_call(store, f.of.func, &arg, 1, &res, 1, &trap, &err), W2N_OK, "%s",
                 err.message);
    cr_assert_eq(res.of.i32, 1);
    arg = w2n_i32(1 << 20); /* 1 MiB: past the 256 KiB limit */
    cr_assert_eq(w2n_func_call(store, f.of.func, &arg, 1, &res, 1, &trap, &err), W2N_ERR_TRAP);
    cr_assert_eq(trap.code, W2N_TRAP_GC_OUT_OF_MEMORY);
    cr_assert_str_eq(trap.message, "out of memory");
    /* Thousands of allocations that fit, collected as they go. */
    arg = w2n_i32(10000);
    for (int i = 0; i < 2000; i++) {
        cr_assert_eq(w2n_func_call(store, f.of.func, &arg, 1, &res, 1, &trap, &err), W2N_OK);
        cr_assert_eq(res.of.i32, 1);
    }
    w2n_gc_stats st;
    w2n_gc_get_stats(store, &st);
    cr_assert_geq(st.collections, 50);
    w2n_store_free(store);
    w2n_object_free(obj);
}
