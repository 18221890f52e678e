/*
 * test_memory_min_size.c — explicit checks that lean on a memory's declared
 * minimum (compiler/lower/lower_memory.c: the size load's !range, which lets
 * LLVM drop the checks of accesses below it) trap exactly where Wasm says.
 *
 * A module of at least 2 pages, at -O2 and -O0, both bounds modes: an
 * index masked to 8 bits (no check left at -O2), the last word below the
 * minimum (none either), the word one byte further, which must trap until
 * memory.grow, and an access whose offset reaches past the minimum.  The
 * results and traps must be the same at every level, before and after the
 * grow, and a store before a trapping access in the same function must
 * have happened.
 */
#include "wat_kit.h"

static const char *const module =
    "(module (memory 2 4)\n"
    "  (func (export \"lookup\") (param $i i32) (result i32)\n"
    "    (i32.load offset=1024 (i32.shl (i32.and (local.get $i) (i32.const 255)) (i32.const 2))))\n"
    "  (func (export \"last_word\") (result i32) (i32.load (i32.const 131068)))\n"
    "  (func (export \"past_minimum\") (result i32) (i32.load (i32.const 131069)))\n"
    "  (func (export \"at\") (param $a i32) (result i32) (i32.load (local.get $a)))\n"
    "  (func (export \"far\") (param $a i32) (result i32) (i32.load offset=131070 (local.get "
    "$a)))\n"
    "  (func (export \"store_then_load\") (param $a i32) (result i32)\n"
    "    (i32.store (i32.const 16) (local.get $a))\n"
    "    (i32.load (local.get $a)))\n"
    "  (func (export \"grow\") (result i32) (memory.grow (i32.const 1))))\n";

/* Call `name` with one i32 argument (or none when nargs is 0): W2N_OK with
 * *out, or the trap's code in *code. */
static w2n_status call(loaded *l, const char *name, int32_t arg, unsigned nargs, int32_t *out,
                       uint32_t *code) {
    w2n_value args[1] = {w2n_i32(arg)}, r;
    w2n_trap trap = {0};
    w2n_error err;
    w2n_status s = w2n_func_call(l->store, export_func(l, name), args, nargs, &r, 1, &trap, &err);
    *out = s == W2N_OK ? r.of.i32 : 0;
    *code = s == W2N_OK ? 0 : (uint32_t)trap.code;
    return s;
}

static void expect_value(loaded *l, const char *name, int32_t arg, unsigned nargs, int32_t want) {
    int32_t got;
    uint32_t code;
    cr_assert_eq(call(l, name, arg, nargs, &got, &code), W2N_OK, "%s(%d) trapped (code %u)", name,
                 arg, code);
    cr_assert_eq(got, want, "%s(%d): %d, expected %d", name, arg, got, want);
}

static void expect_oob(loaded *l, const char *name, int32_t arg, unsigned nargs) {
    int32_t got;
    uint32_t code;
    cr_assert_neq(call(l, name, arg, nargs, &got, &code), W2N_OK, "%s(%d) did not trap", name, arg);
    cr_assert_eq(code, W2N_TRAP_MEMORY_OOB, "%s(%d): trap %u", name, arg, code);
}

static void check(int opt, w2n_bounds_mode mode) {
    loaded l = load_opt_bounds(module, opt, mode, NULL);
    uint8_t *mem = w2n_memory_data(w2n_instance_memory(l.inst));
    mem[1024 + 4 * 7] = 42;
    expect_value(&l, "lookup", 7 + 256 * 3, 1, 42);
    expect_value(&l, "lookup", -1, 1, 0);
    mem[131068] = 9;
    expect_value(&l, "last_word", 0, 0, 9);
    expect_oob(&l, "past_minimum", 0, 0);
    expect_value(&l, "at", 131068, 1, 9);
    expect_oob(&l, "at", 131069, 1);
    expect_oob(&l, "at", -1, 1);
    expect_oob(&l, "far", 0, 1);
    /* the store before the trapping load is done */
    expect_oob(&l, "store_then_load", 131069, 1);
    cr_assert_eq(mem[16] | mem[17] << 8 | mem[18] << 16, 131069 & 0xFFFFFF);
    expect_value(&l, "grow", 0, 0, 2);
    mem = w2n_memory_data(w2n_instance_memory(l.inst)); /* explicit mode may move it */
    expect_value(&l, "past_minimum", 0, 0, 0);
    expect_value(&l, "at", 131069, 1, 0);
    expect_value(&l, "far", 0, 1, 0);
    expect_value(&l, "far", 65534, 1, 0);
    expect_oob(&l, "far", 65535, 1);
    expect_oob(&l, "at", 196605, 1);
    unload(&l);
}

Test(memory_min_size, explicit_o2) { check(2, W2N_BOUNDS_EXPLICIT); }
Test(memory_min_size, explicit_o0) { check(0, W2N_BOUNDS_EXPLICIT); }
Test(memory_min_size, guard_o2) { check(2, W2N_BOUNDS_GUARD); }
