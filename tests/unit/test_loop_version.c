/*
 * test_loop_version.c — loops with a fast version (compiler/loops/loop_version.c,
 * loop_bounds.c) behave exactly as without one.
 *
 * Each module is compiled twice, in each bounds-check mode: at -O2, where
 * innermost loops that touch memory get a fast version behind a range
 * check, and at -O0, where they do not.  Both instances get the same calls, over starts,
 * bounds and bases chosen to cross the end of memory, wrap around 2^32 and
 * stop at once; after every call the results, the traps and the whole
 * memory must agree.  A range check that let a loop run too far would
 * show as a missing trap or a store the reference did not make.
 */
#include <string.h>

#include "wat_kit.h"

/* The exit comparisons of the back edge, as Wasm mnemonics. */
static const char *const predicates[] = {"ne",   "eq",   "lt_u", "le_u", "lt_s",
                                         "le_s", "gt_u", "ge_u", "gt_s", "ge_s"};
static const int steps[] = {1, -1, 4, -4, 3, 8};

/* Stores one byte at base + i (offset 2) and loads one at base - i. */
static const char *const byte_loop =
    "(module (memory 1)\n"
    "  (func (export \"run\") (param $i i32) (param $end i32) (param $base i32) (result i32)\n"
    "    (local $n i32)\n"
    "    (loop $l\n"
    "      (i32.store8 offset=2 (i32.add (local.get $base) (local.get $i)) (local.get $n))\n"
    "      (local.set $n (i32.add (local.get $n)\n"
    "        (i32.load8_u (i32.sub (local.get $base) (local.get $i)))))\n"
    "      (local.set $n (i32.add (local.get $n) (i32.const 1)))\n"
    "      (br_if $l (i32.%s (local.tee $i (i32.add (local.get $i) (i32.const %d)))\n"
    "                        (local.get $end))))\n"
    "    (local.get $n)))\n";

/* Scaled indices, an 8-byte access under a condition, an induction read
 * after its update, and a bound on the left of the comparison. */
static const char *const word_loop =
    "(module (memory 1)\n"
    "  (func (export \"run\") (param $i i32) (param $end i32) (param $base i32) (result i32)\n"
    "    (local $n i32)\n"
    "    (loop $l\n"
    "      (i32.store offset=4 (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 2)))\n"
    "        (local.get $i))\n"
    "      (if (i32.and (local.get $n) (i32.const 1))\n"
    "        (then (i64.store offset=8 (i32.add (local.get $base) (i32.mul (local.get $i) (i32.const 8)))\n"
    "          (i64.const -1))))\n"
    "      (local.set $i (i32.add (local.get $i) (i32.const %d)))\n"
    "      (local.set $n (i32.add (local.get $n) (i32.load16_s (i32.sub (local.get $i) (local.get $base)))))\n"
    "      (br_if $l (i32.%s (local.get $end) (local.get $i))))\n"
    "    (local.get $n)))\n";

/* A load whose address comes from memory, which no range check covers:
 * in guard mode it goes back to a guard-page access, in explicit mode it
 * keeps its check, beside the two accesses the check does cover. */
static const char *const gather_loop =
    "(module (memory 1)\n"
    "  (func (export \"run\") (param $i i32) (param $end i32) (param $base i32) (result i32)\n"
    "    (local $n i32)\n"
    "    (loop $l\n"
    "      (local.set $n (i32.add (local.get $n) (i32.load16_u (i32.add (local.get $base)\n"
    "        (i32.shl (i32.load8_u (local.get $i)) (i32.const 8))))))\n"
    "      (i32.store8 offset=1 (local.get $i) (i32.add (local.get $n) (local.get $i)))\n"
    "      (br_if $l (i32.%s (local.tee $i (i32.add (local.get $i) (i32.const %d)))\n"
    "                        (local.get $end))))\n"
    "    (local.get $n)))\n";

/* A loop that takes and leaves a value, and one that grows memory as it goes
 * (the size read before a loop only ever understates the memory). */
static const char *const value_loop =
    "(module (memory 1)\n"
    "  (func (export \"run\") (param $i i32) (param $end i32) (param $base i32) (result i32)\n"
    "    (local.get $base)\n"
    "    (loop $l (param i32) (result i32)\n"
    "      (i32.store (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 2)))\n"
    "        (local.get $i))\n"
    "      (i32.add (i32.load8_u (i32.add (local.get $base) (local.get $i))))\n"
    "      (local.set $i (i32.add (local.get $i) (i32.const %d)))\n"
    "      (br_if $l (i32.%s (local.get $i) (local.get $end))))))\n";

static const char *const growing_loop =
    "(module (memory 1 3)\n"
    "  (func (export \"run\") (param $i i32) (param $end i32) (param $base i32) (result i32)\n"
    "    (local $n i32)\n"
    "    (loop $l\n"
    "      (i32.store8 (i32.add (local.get $base) (local.get $i)) (local.get $n))\n"
    "      (if (i32.eq (local.get $i) (i32.const 65000))\n"
    "        (then (drop (memory.grow (i32.const 1)))))\n"
    "      (local.set $n (i32.add (local.get $n) (i32.const 1)))\n"
    "      (br_if $l (i32.%s (local.tee $i (i32.add (local.get $i) (i32.const %d)))\n"
    "                        (local.get $end))))\n"
    "    (local.get $n)))\n";

static const uint32_t starts[] = {0, 1, 5, 100, 4000, 65530, 65534, 0xFFFFFFF0u, 0x7FFFFFFEu, 0x80000001u};
static const uint32_t bases[] = {0, 100, 1000, 30000, 65000, 65533, 0xFFFFFF00u};

/* A small deterministic generator, so failures replay. */
static uint32_t next_random(uint32_t *state) {
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

static uint32_t pick_end(uint32_t start, uint32_t *state) {
    static const uint32_t fixed[] = {0, 10, 1000, 65535, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu};
    uint32_t r = next_random(state) % 10;
    if (r < 7)
        return fixed[r];
    int32_t delta = (int32_t)(next_random(state) % 200) - 100;
    return start + (uint32_t)delta;
}

static loaded load_at(const char *wat, int opt, w2n_bounds_mode mode, w2n_compile_stats *stats) {
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    opts.opt_level = opt;
    opts.bounds = mode;
    opts.stats = stats;
    return load_with(wat, &opts);
}

static w2n_status call_run(loaded *l, uint32_t i, uint32_t end, uint32_t base, int32_t *out,
                           w2n_trap *trap) {
    w2n_value args[3] = {w2n_i32((int32_t)i), w2n_i32((int32_t)end), w2n_i32((int32_t)base)}, r;
    w2n_error err;
    w2n_status s = w2n_func_call(l->store, export_func(l, "run"), args, 3, &r, 1, trap, &err);
    *out = s == W2N_OK ? r.of.i32 : 0;
    return s;
}

/* Run the same calls on -O0 and -O2 builds of `wat`, whose loop must have a
 * range check covering `accesses` accesses; count the calls that trapped. */
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
        uint32_t i = starts[next_random(&state) % (sizeof starts / sizeof *starts)];
        uint32_t base = bases[next_random(&state) % (sizeof bases / sizeof *bases)];
        uint32_t end = pick_end(i, &state);
        int32_t r_ref, r_fast;
        w2n_trap t_ref, t_fast;
        w2n_status s_ref = call_run(&ref, i, end, base, &r_ref, &t_ref);
        w2n_status s_fast = call_run(&fast, i, end, base, &r_fast, &t_fast);
        cr_assert_eq(s_fast, s_ref, "%s\nrun(%u, %u, %u): status %d at -O2, %d at -O0", wat, i, end,
                     base, s_fast, s_ref);
        if (s_ref == W2N_ERR_TRAP) {
            cr_assert_eq(t_fast.code, t_ref.code, "%s\nrun(%u, %u, %u): trap", wat, i, end, base);
            traps++;
        } else {
            cr_assert_eq(r_fast, r_ref, "%s\nrun(%u, %u, %u): %d at -O2, %d at -O0", wat, i, end,
                         base, r_fast, r_ref);
        }
        cr_assert(memcmp(w2n_memory_data(fast_mem), w2n_memory_data(ref_mem), 65536) == 0,
                  "%s\nrun(%u, %u, %u): memory differs", wat, i, end, base);
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
    cr_assert(traps > calls / 10 && traps < calls - calls / 10, "%u of %u calls trapped", traps, calls);
}

static void word_loops(w2n_bounds_mode mode) {
    char wat[2048];
    for (size_t p = 0; p < sizeof predicates / sizeof *predicates; p++)
        for (int step = -1; step <= 1; step += 2) {
            snprintf(wat, sizeof wat, word_loop, step, predicates[p]);
            compare_builds(wat, 3, (uint32_t)(p * 7 + (size_t)(step + 1)), mode);
        }
}

static void gather_loops(w2n_bounds_mode mode) {
    char wat[2048];
    unsigned traps = 0;
    for (size_t p = 0; p < sizeof predicates / sizeof *predicates; p += 2)
        for (size_t s = 0; s < sizeof steps / sizeof *steps; s++) {
            snprintf(wat, sizeof wat, gather_loop, predicates[p], steps[s]);
            traps += compare_builds(wat, 2, (uint32_t)(p * 13 + s), mode);
        }
    cr_assert(traps > 0, "no call trapped");
}

static void value_and_growing_loops(w2n_bounds_mode mode) {
    char wat[2048];
    for (size_t p = 0; p < sizeof predicates / sizeof *predicates; p += 3)
        for (int step = -1; step <= 1; step += 2) {
            snprintf(wat, sizeof wat, value_loop, step, predicates[p]);
            compare_builds(wat, 2, (uint32_t)(p * 5 + (size_t)(step + 1)), mode);
            snprintf(wat, sizeof wat, growing_loop, predicates[p], step);
            compare_builds(wat, 1, (uint32_t)(p * 3 + (size_t)(step + 1)), mode);
        }
}

Test(loop_version, guard_byte_loops, .timeout = 120) { byte_loops(W2N_BOUNDS_GUARD); }
Test(loop_version, guard_word_loops, .timeout = 120) { word_loops(W2N_BOUNDS_GUARD); }
Test(loop_version, guard_gather_loops, .timeout = 120) { gather_loops(W2N_BOUNDS_GUARD); }
Test(loop_version, explicit_gather_loops, .timeout = 120) { gather_loops(W2N_BOUNDS_EXPLICIT); }
Test(loop_version, guard_value_and_growing_loops, .timeout = 120) {
    value_and_growing_loops(W2N_BOUNDS_GUARD);
}
Test(loop_version, explicit_value_and_growing_loops, .timeout = 120) {
    value_and_growing_loops(W2N_BOUNDS_EXPLICIT);
}
Test(loop_version, explicit_byte_loops, .timeout = 120) { byte_loops(W2N_BOUNDS_EXPLICIT); }
Test(loop_version, explicit_word_loops, .timeout = 120) { word_loops(W2N_BOUNDS_EXPLICIT); }
