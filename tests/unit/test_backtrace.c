/*
 * test_backtrace.c — the Wasm frames a trap reports through the public API
 * (w2n_trap.frames, w2n_frame_describe; docs/debugging.md): innermost
 * first, named from the name section or func[N], with Wasm code offsets
 * when compiled with -g (the module has no DWARF), native offsets without;
 * for explicit traps and guard-page faults; capped at W2N_TRAP_MAX_FRAMES;
 * unknown once the object is freed.
 */
#include "wat_kit.h"

/* i32.div_s of $inner at module offset 0x29, the call in $outer at 0x2f. */
static const char divide_wat[] = "(module\n"
                                 "  (func $inner (param i32) (result i32)\n"
                                 "    local.get 0\n"
                                 "    i32.const 0\n"
                                 "    i32.div_s)\n"
                                 "  (func $outer (export \"outer\") (param i32) (result i32)\n"
                                 "    local.get 0\n"
                                 "    call $inner\n"
                                 "    i32.const 1\n"
                                 "    i32.add))\n";

static const char fault_wat[] = "(module (memory 1)\n"
                                "  (func $load (param i32) (result i32) local.get 0 i32.load)\n"
                                "  (func $mid (export \"mid\") (param i32) (result i32)\n"
                                "    local.get 0 call $load i32.const 1 i32.add))\n";

static const char deep_wat[] = "(module\n"
                               "  (func $down (export \"down\") (param i32) (result i32)\n"
                               "    local.get 0\n"
                               "    if (result i32)\n"
                               "      local.get 0 i32.const 1 i32.sub call $down\n"
                               "    else unreachable end))\n";

static loaded load_named(const char *wat, bool names, bool debug, w2n_bounds_mode bounds) {
    uint8_t *wasm;
    size_t size;
    assemble_with(names ? "wat2wasm --debug-names" : "wat2wasm", wat, &wasm, &size);
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    opts.opt_level = 0; /* every function keeps its frame */
    opts.debug_info = debug;
    opts.bounds = bounds;
    return load_wasm_in_store(wasm, size, &opts, NULL);
}

static w2n_trap call_trapping(loaded *l, const char *name, int32_t arg) {
    w2n_value a = w2n_i32(arg), r;
    w2n_trap trap;
    w2n_error err;
    cr_assert_eq(w2n_func_call(l->store, export_func(l, name), &a, 1, &r, 1, &trap, &err),
                 W2N_ERR_TRAP);
    return trap;
}

static void expect_frame(const w2n_trap *t, unsigned i, const char *name, int64_t wasm_offset) {
    w2n_frame_info f;
    cr_assert_gt(t->nframes, i);
    cr_assert(w2n_frame_describe(t->frames[i], &f), "frame %u unknown", i);
    cr_assert_str_eq(f.function, name);
    cr_assert_null(f.file);
    if (wasm_offset < 0) {
        cr_assert_not(f.has_wasm_offset);
    } else {
        cr_assert(f.has_wasm_offset, "frame %u has no Wasm offset", i);
        cr_assert_eq(f.wasm_offset, (uint64_t)wasm_offset, "frame %u at 0x%llx", i,
                     (unsigned long long)f.wasm_offset);
    }
}

Test(backtrace, explicit_trap_with_g_gives_wasm_offsets) {
    loaded l = load_named(divide_wat, true, true, W2N_BOUNDS_GUARD);
    w2n_trap t = call_trapping(&l, "outer", 5);
    cr_assert_eq(t.code, W2N_TRAP_INT_DIV_ZERO);
    cr_assert_eq(t.nframes, 2);
    expect_frame(&t, 0, "inner", 0x29);
    expect_frame(&t, 1, "outer", 0x2f);
    unload(&l);
}

Test(backtrace, without_g_names_and_native_offsets) {
    loaded l = load_named(divide_wat, true, false, W2N_BOUNDS_GUARD);
    w2n_trap t = call_trapping(&l, "outer", 5);
    expect_frame(&t, 0, "inner", -1);
    expect_frame(&t, 1, "outer", -1);
    w2n_frame_info f;
    cr_assert(w2n_frame_describe(t.frames[0], &f));
    cr_assert_gt(f.native_offset, 0);
    unload(&l);
}

Test(backtrace, without_names_func_index) {
    loaded l = load_named(divide_wat, false, false, W2N_BOUNDS_GUARD);
    w2n_trap t = call_trapping(&l, "outer", 5);
    expect_frame(&t, 0, "func[0]", -1);
    expect_frame(&t, 1, "func[1]", -1);
    unload(&l);
}

Test(backtrace, guard_page_fault) {
    loaded l = load_named(fault_wat, true, true, W2N_BOUNDS_GUARD);
    w2n_trap t = call_trapping(&l, "mid", 100000);
    cr_assert_eq(t.code, W2N_TRAP_MEMORY_OOB);
    expect_frame(&t, 0, "load", 0x2a);
    expect_frame(&t, 1, "mid", 0x32);
    cr_assert_eq(t.nframes, 2);
    unload(&l);
}

Test(backtrace, explicit_bounds_check) {
    loaded l = load_named(fault_wat, true, true, W2N_BOUNDS_EXPLICIT);
    w2n_trap t = call_trapping(&l, "mid", 100000);
    cr_assert_eq(t.code, W2N_TRAP_MEMORY_OOB);
    expect_frame(&t, 0, "load", 0x2a);
    expect_frame(&t, 1, "mid", 0x32);
    unload(&l);
}

Test(backtrace, deep_recursion_keeps_the_innermost) {
    loaded l = load_named(deep_wat, true, false, W2N_BOUNDS_GUARD);
    w2n_trap t = call_trapping(&l, "down", 100);
    cr_assert_eq(t.code, W2N_TRAP_UNREACHABLE);
    cr_assert_eq(t.nframes, W2N_TRAP_MAX_FRAMES);
    for (unsigned i = 0; i < t.nframes; i++)
        expect_frame(&t, i, "down", -1);
    unload(&l);
}

Test(backtrace, unknown_once_freed) {
    loaded l = load_named(divide_wat, true, true, W2N_BOUNDS_GUARD);
    w2n_trap t = call_trapping(&l, "outer", 5);
    unload(&l);
    w2n_frame_info f;
    cr_assert_not(w2n_frame_describe(t.frames[0], &f));
}
