/*
 * test_loop_alias.c — loops whose fast version proves its groups of
 * accesses apart (compiler/loops/loop_alias.c) behave exactly as without one.
 *
 * The column loop reads with a run-time stride, proved in 64 bits.
 * Each module is compiled at -O2, where the version with alias scopes runs
 * when the range check also proves every storing group apart from the
 * others, and at -O0, where no loop has a fast version; in both bounds
 * modes.  The calls place a cell inside and outside the row and column the
 * loop reads, rows over each other at small distances, and bases near the
 * end of memory, so that all three versions run and some calls trap part
 * way; after every call the result, the trap and the whole memory must
 * agree.  A proof that let overlapping groups through would show as a
 * different sum (the cell kept in a register while a row wrote it).
 */
#include "twin_kit.h"

/* A reduction into a cell over a row and a column (the shape of LU and
 * Cholesky), returning the cell; a row updated from a cell and another
 * row, unrolled by two (gemm's, as clang emits it for wasm32). */
static const char *const module =
    "(module (memory 1)\n"
    "  (func (export \"reduce\") (param $cell i32) (param $row i32) (param $col i32)\n"
    "        (param $n i32) (result i64)\n"
    "    (local $k i32)\n"
    "    (loop $l\n"
    "      (i64.store (local.get $cell)\n"
    "        (i64.sub (i64.load (local.get $cell))\n"
    "          (i64.mul (i64.load (i32.add (local.get $row) (i32.shl (local.get $k) (i32.const "
    "3))))\n"
    "                   (i64.load (i32.add (local.get $col) (i32.mul (local.get $k) (i32.const "
    "40)))))))\n"
    "      (i64.store offset=8 (i32.add (local.get $row) (i32.shl (local.get $k) (i32.const 3)))\n"
    "        (i64.add (i64.load (local.get $cell)) (i64.const 3)))\n"
    "      (local.set $k (i32.add (local.get $k) (i32.const 1)))\n"
    "      (br_if $l (i32.lt_u (local.get $k) (local.get $n))))\n"
    "    (i64.load (local.get $cell)))\n"
    "  (func (export \"update\") (param $c i32) (param $b i32) (param $a i32) (param $n i32)\n"
    "        (result i64)\n"
    "    (local $j i32) (local $cj i32) (local $bj i32) (local $s i64)\n"
    "    (loop $l\n"
    "      (local.set $cj (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 3))))\n"
    "      (local.set $bj (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))\n"
    "      (i64.store (local.get $cj) (i64.add (i64.load (local.get $cj))\n"
    "        (i64.mul (i64.load (local.get $a)) (i64.load (local.get $bj)))))\n"
    "      (i64.store offset=8 (local.get $cj) (i64.add (i64.load offset=8 (local.get $cj))\n"
    "        (i64.mul (i64.load (local.get $a)) (i64.load offset=8 (local.get $bj)))))\n"
    "      (local.set $s (i64.add (local.get $s) (i64.load offset=8 (local.get $cj))))\n"
    "      (local.set $j (i32.add (local.get $j) (i32.const 2)))\n"
    "      (br_if $l (i32.lt_u (local.get $j) (local.get $n))))\n"
    "    (local.get $s))\n"
    "  (func (export \"column\") (param $cell i32) (param $col i32) (param $stride i32)\n"
    "        (param $n i32) (result i64)\n"
    "    (local $k i32)\n"
    "    (loop $l\n"
    "      (i64.store (local.get $cell) (i64.add (i64.load (local.get $cell))\n"
    "        (i64.load offset=4 (i32.add (local.get $col) (i32.mul (local.get $k) (local.get "
    "$stride))))))\n"
    "      (local.set $k (i32.add (local.get $k) (i32.const 1)))\n"
    "      (br_if $l (i32.lt_u (local.get $k) (local.get $n))))\n"
    "    (i64.load (local.get $cell)))\n" TWIN_FILL ")\n";

/* Addresses that put groups inside, beside and over one another, and
 * some near the end of memory. */
static const uint32_t places[] = {0,    8,    16,    64,    120,   400,   408,
                                  1000, 4096, 65000, 65496, 65528, 65536, 0xFFFFFFF8u};

/* Strides of the column loop: rows of a few sizes, none, backwards, and
 * ones whose products wrap around 2^32. */
static const uint32_t strides[] = {8, 40, 1024, 0, 0xFFFFFFF8u, 0xFFFFFC00u, 0x80000000u, 65536};

static void compare(w2n_bounds_mode mode, uint32_t seed) {
    w2n_compile_stats stats;
    loaded ref = load_opt_bounds(module, 0, mode, NULL),
           fast = load_opt_bounds(module, 2, mode, &stats);
    /* The column too in guard mode: there the version proving groups apart
     * covers a run-time stride (loop_bounds.c), the plain fast one not. */
    cr_assert_eq(stats.loops_separated, 3,
                 "each loop whose accesses are all covered gets the version with alias scopes");
    uint32_t state = seed;
    unsigned traps = 0;
    for (int i = 0; i < 200; i++) {
        if (i % 20 == 0) { /* fresh contents now and then */
            w2n_value fill_seed = w2n_i64((int64_t)twin_random(&state));
            w2n_error err;
            w2n_trap trap;
            cr_assert_eq(w2n_func_call(ref.store, export_func(&ref, "fill"), &fill_seed, 1, NULL, 0,
                                       &trap, &err),
                         W2N_OK);
            cr_assert_eq(w2n_func_call(fast.store, export_func(&fast, "fill"), &fill_seed, 1, NULL,
                                       0, &trap, &err),
                         W2N_OK);
        }
        static const char *const names[] = {"reduce", "update", "column"};
        const char *name = names[twin_random(&state) % 3];
        w2n_value args[4];
        twin_addresses(&state, places, sizeof places / sizeof *places, args, 3);
        if (name == names[2]) /* a run-time stride, either way, up to wrapping */
            args[2] = w2n_i32((int32_t)strides[twin_random(&state) % (sizeof strides / 4)]);
        args[3] = w2n_i32((int32_t)(1 + twin_random(&state) % 40));
        char text[128];
        snprintf(text, sizeof text, "%s(%u, %u, %u, %u)", name, (unsigned)args[0].of.i32,
                 (unsigned)args[1].of.i32, (unsigned)args[2].of.i32, (unsigned)args[3].of.i32);
        twin_call(&ref, &fast, name, args, 4, text, 65536, &traps);
    }
    cr_assert(traps > 0 && traps < 150, "%u of 200 calls trapped", traps);
    unload(&ref);
    unload(&fast);
}

Test(loop_alias, guard, .timeout = 120) { compare(W2N_BOUNDS_GUARD, 1); }
Test(loop_alias, explicit, .timeout = 120) { compare(W2N_BOUNDS_EXPLICIT, 2); }
