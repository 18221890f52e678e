/*
 * test_loop_hoist.c — a fast loop version whose check is made once for
 * every iteration of the loop around it (compiler/loops/loop_hoist.c)
 * behaves exactly as without it.
 *
 * gemm's row update as clang emits it for wasm32, `for k < m: for j < n
 * (by two): c[j] += a[k] * b[k][j]`, rows of b a run-time stride apart, and
 * the same with b's rows a constant 64 bytes apart.  Each module is
 * compiled at -O2, where the hull over all k is checked once before the k
 * loop, and at -O0, where no loop has a fast version; in both bounds
 * modes.  The calls put c inside b and a, beside them and apart, rows that
 * run off the end of memory only for the last k (the hull fails, the
 * early k still take the fast version, the last traps part way), strides
 * that run backwards and ones whose products wrap around 2^32 (the i32
 * address is then no line over k), and a row of b at 64 bytes past a base
 * that goes below 0 (b[k] = base + 64, the base wrapping to 2^32 - 64 when
 * k = 1: in bounds, but no fast version may address it as 2^32 + 0), and
 * a cell read at `a + 8k - 16` with offset 16 where a is 0 or 8 (the i32
 * address wraps below 0, so Wasm traps although address + offset would be
 * inside memory).  After every call the result, the trap and the whole
 * memory must agree.
 */
#include "twin_kit.h"

static const char *const module =
    "(module (memory 1)\n"
    "  (func (export \"rows\") (param $c i32) (param $b i32) (param $a i32) (param $n i32)\n"
    "        (param $m i32) (param $stride i32) (result i64)\n"
    "    (local $k i32) (local $j i32) (local $cj i32) (local $bj i32) (local $ak i32)\n"
    "    (local $bk i32) (local $s i64)\n"
    "    (local.set $bk (local.get $b))\n"
    "    (loop $outer\n"
    "      (local.set $ak (i32.add (local.get $a) (i32.shl (local.get $k) (i32.const 3))))\n"
    "      (local.set $j (i32.const 0))\n"
    "      (loop $inner\n"
    "        (local.set $cj (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 3))))\n"
    "        (local.set $bj (i32.add (i32.add (local.get $bk) (i32.const 64))\n"
    "          (i32.shl (local.get $j) (i32.const 3))))\n"
    "        (i64.store (local.get $cj) (i64.add (i64.load (local.get $cj))\n"
    "          (i64.mul (i64.load offset=16 (i32.sub (local.get $ak) (i32.const 16)))\n"
    "                   (i64.load (local.get $bj)))))\n"
    "        (i64.store offset=8 (local.get $cj) (i64.add (i64.load offset=8 (local.get $cj))\n"
    "          (i64.mul (i64.load offset=16 (i32.sub (local.get $ak) (i32.const 16)))\n"
    "                   (i64.load offset=8 (local.get $bj)))))\n"
    "        (local.set $j (i32.add (local.get $j) (i32.const 2)))\n"
    "        (br_if $inner (i32.lt_u (local.get $j) (local.get $n))))\n"
    "      (local.set $s (i64.add (local.get $s) (i64.load (local.get $c))))\n"
    "      (local.set $bk (i32.add (local.get $bk) (local.get $stride)))\n"
    "      (local.set $k (i32.add (local.get $k) (i32.const 1)))\n"
    "      (br_if $outer (i32.lt_u (local.get $k) (local.get $m))))\n"
    "    (local.get $s))\n"
    "  (func (export \"rows64\") (param $c i32) (param $b i32) (param $a i32) (param $n i32)\n"
    "        (param $m i32) (param $unused i32) (result i64)\n"
    "    (local $k i32) (local $j i32) (local $cj i32) (local $bj i32) (local $s i64)\n"
    "    (loop $outer\n"
    "      (local.set $j (i32.const 0))\n"
    "      (loop $inner\n"
    "        (local.set $cj (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 3))))\n"
    "        (local.set $bj (i32.add (i32.add (local.get $b) (i32.mul (local.get $k)\n"
    "          (i32.const 64))) (i32.shl (local.get $j) (i32.const 3))))\n"
    "        (i64.store (local.get $cj) (i64.add (i64.load (local.get $cj))\n"
    "          (i64.mul (i64.load (local.get $a)) (i64.load (local.get $bj)))))\n"
    "        (i64.store offset=8 (local.get $cj) (i64.add (i64.load offset=8 (local.get $cj))\n"
    "          (i64.mul (i64.load (local.get $a)) (i64.load offset=8 (local.get $bj)))))\n"
    "        (local.set $j (i32.add (local.get $j) (i32.const 2)))\n"
    "        (br_if $inner (i32.lt_u (local.get $j) (local.get $n))))\n"
    "      (local.set $s (i64.add (local.get $s) (i64.load (local.get $c))))\n"
    "      (local.set $k (i32.add (local.get $k) (i32.const 1)))\n"
    "      (br_if $outer (i32.lt_u (local.get $k) (local.get $m))))\n"
    "    (local.get $s))\n" TWIN_FILL ")\n";

/* Places that put c, b and a inside, beside and over one another, and
 * near the end of memory. */
static const uint32_t places[] = {0,     8,     64,    400,   1000,  4096,
                                  30000, 60000, 64000, 65000, 65496, 0xFFFFFFF8u};

/* Rows of b: apart, none, over each other, backwards, wrapping. */
static const uint32_t strides[] = {64, 256, 1024, 0, 8, 0xFFFFFFC0u, 0x80000000u, 0x40000000u};

static void fill(loaded *l, int64_t seed) {
    w2n_value fill_seed = w2n_i64(seed);
    w2n_error err;
    w2n_trap trap;
    cr_assert_eq(
        w2n_func_call(l->store, export_func(l, "fill"), &fill_seed, 1, NULL, 0, &trap, &err),
        W2N_OK);
}

static void compare(w2n_bounds_mode mode, uint32_t seed) {
    loaded ref = load_opt_bounds(module, 0, mode, NULL),
           fast = load_opt_bounds(module, 2, mode, NULL);
    uint32_t state = seed;
    unsigned traps = 0;
    /* c, b, a, n, m, stride: the base of b's rows wraps below 0 */
    static const uint32_t fixed[][6] = {{4096, 0, 8192, 8, 2, 0xFFFFFFC0u},
                                        {4096, 64, 8192, 8, 3, 0xFFFFFFC0u},
                                        {4096, 0, 8192, 4, 2, 0xFFFFFF80u},
                                        {4096, 8192, 0, 8, 3, 64},
                                        {4096, 8192, 8, 8, 3, 64}};
    for (int i = 0; i < 300; i++) {
        if (i % 20 == 0) { /* fresh contents now and then */
            int64_t fill_seed = (int64_t)twin_random(&state);
            fill(&ref, fill_seed);
            fill(&fast, fill_seed);
        }
        const char *name = twin_random(&state) % 2 ? "rows" : "rows64";
        w2n_value args[6];
        twin_addresses(&state, places, sizeof places / sizeof *places, args, 3);
        args[3] = w2n_i32((int32_t)(2 + 2 * (twin_random(&state) % 12)));
        args[4] = w2n_i32((int32_t)(1 + twin_random(&state) % 30));
        args[5] = w2n_i32((int32_t)strides[twin_random(&state) % (sizeof strides / 4)]);
        if (i < (int)(sizeof fixed / sizeof *fixed)) {
            name = "rows";
            for (int a = 0; a < 6; a++)
                args[a] = w2n_i32((int32_t)fixed[i][a]);
        }
        char text[160];
        snprintf(text, sizeof text, "%s(%u, %u, %u, %u, %u, %u)", name, (unsigned)args[0].of.i32,
                 (unsigned)args[1].of.i32, (unsigned)args[2].of.i32, (unsigned)args[3].of.i32,
                 (unsigned)args[4].of.i32, (unsigned)args[5].of.i32);
        twin_call(&ref, &fast, name, args, 6, text, 65536, &traps);
    }
    cr_assert(traps > 0 && traps < 250, "%u of 300 calls trapped", traps);
    unload(&ref);
    unload(&fast);
}

Test(loop_hoist, guard, .timeout = 120) { compare(W2N_BOUNDS_GUARD, 3); }
Test(loop_hoist, explicit, .timeout = 120) { compare(W2N_BOUNDS_EXPLICIT, 4); }
