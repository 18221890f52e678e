/*
 * test_loop_version64.c — loops over a 64-bit memory with a fast version
 * (compiler/loop_bounds.c, the proof in 64 bits) behave exactly as without.
 *
 * As test_loop_version.c does for 32-bit memories: each module is compiled
 * at -O2 (a range check before the loop, no check per access inside) and at
 * -O0 (a check per access), in both bounds modes, and both instances get
 * the same calls, with starts, bounds and bases near the end of memory, near
 * 2^32, 2^62, 2^63 and 2^64, where a sum that wrapped in the range check
 * would let the fast version run too far; results, traps and memory must
 * agree after every call.
 */
#include <string.h>

#include "wat_kit.h"

static const char *const predicates[] = {"ne",   "eq",   "lt_u", "le_u", "lt_s",
                                         "le_s", "gt_u", "ge_u", "gt_s", "ge_s"};
static const int steps[] = {1, -1, 4, -4, 3};

/* i64 counter and addresses: a byte stored at base + i (offset 2), one
 * loaded at base - i. */
static const char *const byte_loop =
    "(module (memory i64 1)\n"
    "  (func (export \"run\") (param $i i64) (param $end i64) (param $base i64) (result i32)\n"
    "    (local $n i32)\n"
    "    (loop $l\n"
    "      (i32.store8 offset=2 (i64.add (local.get $base) (local.get $i)) (local.get $n))\n"
    "      (local.set $n (i32.add (local.get $n)\n"
    "        (i32.load8_u (i64.sub (local.get $base) (local.get $i)))))\n"
    "      (local.set $n (i32.add (local.get $n) (i32.const 1)))\n"
    "      (br_if $l (i64.%s (local.tee $i (i64.add (local.get $i) (i64.const %d)))\n"
    "                        (local.get $end))))\n"
    "    (local.get $n)))\n";

/* Scaled indices, a bound on the left, and an i32 index zero-extended into
 * a 64-bit address (proved as an i32 one, kept below 2^32). */
static const char *const word_loop =
    "(module (memory i64 1)\n"
    "  (func (export \"run\") (param $i i64) (param $end i64) (param $base i64) (result i32)\n"
    "    (local $n i32) (local $j i32) (local $b32 i32)\n"
    "    (local.set $j (i32.wrap_i64 (local.get $i)))\n"
    "    (local.set $b32 (i32.wrap_i64 (local.get $base)))\n"
    "    (loop $l\n"
    "      (i64.store offset=8 (i64.add (local.get $base) (i64.shl (local.get $i) (i64.const 3)))\n"
    "        (local.get $i))\n"
    "      (local.set $n (i32.add (local.get $n) (i32.load16_u offset=1 (i64.extend_i32_u\n"
    "        (i32.add (local.get $b32) (local.get $j))))))\n"
    "      (local.set $j (i32.add (local.get $j) (i32.const %d)))\n"
    "      (local.set $i (i64.add (local.get $i) (i64.const %d)))\n"
    "      (br_if $l (i64.%s (local.get $end) (local.get $i))))\n"
    "    (local.get $n)))\n";

#define TOP UINT64_C(0xFFFFFFFFFFFFFFFF)
static const uint64_t starts[] = {0,           1,           5,
                                  100,         65530,       65534,
                                  TOP - 15,    TOP / 2 - 1, TOP / 2 + 2,
                                  (UINT64_C(1) << 62) - 3,  (UINT64_C(1) << 32) - 4,
                                  UINT64_C(1) << 61};
static const uint64_t bases[] = {0,     100,       1000,      30000, 65000, 65533,
                                 TOP - 255, UINT64_C(1) << 32, UINT64_C(1) << 62};

static uint32_t next_random(uint32_t *state) {
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

static uint64_t pick_end(uint64_t start, uint32_t *state) {
    static const uint64_t fixed[] = {0,        10,          1000,
                                     65535,    TOP / 2,     TOP / 2 + 1,
                                     TOP,      UINT64_C(1) << 62};
    uint32_t r = next_random(state) % 11;
    if (r < 8)
        return fixed[r];
    int64_t delta = (int64_t)(next_random(state) % 200) - 100;
    return start + (uint64_t)delta;
}

static loaded load_at(const char *wat, int opt, w2n_bounds_mode mode, w2n_compile_stats *stats) {
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    opts.opt_level = opt;
    opts.bounds = mode;
    opts.stats = stats;
    return load_with(wat, &opts);
}

static w2n_status call_run(loaded *l, uint64_t i, uint64_t end, uint64_t base, int32_t *out,
                           w2n_trap *trap) {
    w2n_value args[3] = {w2n_i64((int64_t)i), w2n_i64((int64_t)end), w2n_i64((int64_t)base)}, r;
    w2n_error err;
    w2n_status s = w2n_func_call(l->store, export_func(l, "run"), args, 3, &r, 1, trap, &err);
    *out = s == W2N_OK ? r.of.i32 : 0;
    return s;
}

/* The same calls on -O0 and -O2 builds; the -O2 loop must have a range
 * check covering `accesses` accesses.  Returns the calls that trapped. */
static unsigned compare_builds(const char *wat, uint32_t accesses, uint32_t seed,
                               w2n_bounds_mode mode) {
    w2n_compile_stats stats;
    loaded ref = load_at(wat, 0, mode, NULL), fast = load_at(wat, 2, mode, &stats);
    cr_assert_eq(stats.loops_versioned, 1, "%s", wat);
    cr_assert_eq(stats.loops_checked, 1, "%s", wat);
    cr_assert_eq(stats.accesses_covered, accesses, "%s", wat);
    w2n_memory *ref_mem = w2n_instance_memory(ref.inst), *fast_mem = w2n_instance_memory(fast.inst);
    uint32_t state = seed;
    unsigned traps = 0;
    for (int call = 0; call < 40; call++) {
        uint64_t i = starts[next_random(&state) % (sizeof starts / sizeof *starts)];
        uint64_t base = bases[next_random(&state) % (sizeof bases / sizeof *bases)];
        uint64_t end = pick_end(i, &state);
        int32_t r_ref, r_fast;
        w2n_trap t_ref, t_fast;
        w2n_status s_ref = call_run(&ref, i, end, base, &r_ref, &t_ref);
        w2n_status s_fast = call_run(&fast, i, end, base, &r_fast, &t_fast);
        cr_assert_eq(s_fast, s_ref, "%s\nrun(%#llx, %#llx, %#llx): status %d at -O2, %d at -O0",
                     wat, (unsigned long long)i, (unsigned long long)end,
                     (unsigned long long)base, s_fast, s_ref);
        if (s_ref == W2N_ERR_TRAP) {
            cr_assert_eq(t_fast.code, t_ref.code);
            traps++;
        } else {
            cr_assert_eq(r_fast, r_ref, "%s\nrun(%#llx, %#llx, %#llx): %d at -O2, %d at -O0", wat,
                         (unsigned long long)i, (unsigned long long)end,
                         (unsigned long long)base, r_fast, r_ref);
        }
        cr_assert(memcmp(w2n_memory_data(fast_mem), w2n_memory_data(ref_mem), 65536) == 0,
                  "%s\nrun(%#llx, %#llx, %#llx): memory differs", wat, (unsigned long long)i,
                  (unsigned long long)end, (unsigned long long)base);
    }
    unload(&ref);
    unload(&fast);
    return traps;
}

static void byte_loops(w2n_bounds_mode mode) {
    char wat[2048];
    unsigned traps = 0, calls = 0;
    for (size_t p = 0; p < sizeof predicates / sizeof *predicates; p++)
        for (size_t s = 0; s < sizeof steps / sizeof *steps; s++) {
            snprintf(wat, sizeof wat, byte_loop, predicates[p], steps[s]);
            traps += compare_builds(wat, 2, (uint32_t)(p * 31 + s), mode);
            calls += 40;
        }
    /* Both outcomes must be exercised, or the comparison proves little. */
    cr_assert(traps > calls / 10 && traps < calls - calls / 10, "%u of %u calls trapped", traps,
              calls);
}

static void word_loops(w2n_bounds_mode mode) {
    char wat[2048];
    for (size_t p = 0; p < sizeof predicates / sizeof *predicates; p++)
        for (int step = -1; step <= 1; step += 2) {
            snprintf(wat, sizeof wat, word_loop, step, step, predicates[p]);
            compare_builds(wat, 2, (uint32_t)(p * 7 + (size_t)(step + 1)), mode);
        }
}

Test(loop_version64, guard_byte_loops, .timeout = 120) { byte_loops(W2N_BOUNDS_GUARD); }
Test(loop_version64, explicit_byte_loops, .timeout = 120) { byte_loops(W2N_BOUNDS_EXPLICIT); }
Test(loop_version64, guard_word_loops, .timeout = 120) { word_loops(W2N_BOUNDS_GUARD); }
Test(loop_version64, explicit_word_loops, .timeout = 120) { word_loops(W2N_BOUNDS_EXPLICIT); }
