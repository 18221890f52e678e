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
 *
 * Loops over a 64-bit memory (the proof in 64 bits) get the same, with
 * starts, bounds and bases near 2^32, 2^62, 2^63 and 2^64, where a sum that
 * wrapped in the range check would let the fast version run too far.
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
    "        (then (i64.store offset=8 (i32.add (local.get $base) (i32.mul (local.get $i) "
    "(i32.const 8)))\n"
    "          (i64.const -1))))\n"
    "      (local.set $i (i32.add (local.get $i) (i32.const %d)))\n"
    "      (local.set $n (i32.add (local.get $n) (i32.load16_s (i32.sub (local.get $i) (local.get "
    "$base)))))\n"
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

/* A run-time step (base | 1, never 0: sieve's `j += i`), so the back
 * edge's comparison moves by a value known only before the loop. */
static const char *const strided_loop =
    "(module (memory 1)\n"
    "  (func (export \"run\") (param $i i32) (param $end i32) (param $base i32) (result i32)\n"
    "    (local $n i32) (local $step i32)\n"
    "    (local.set $step (i32.or (local.get $base) (i32.const 1)))\n"
    "    (loop $l\n"
    "      (i32.store8 offset=2 (local.get $i) (local.get $n))\n"
    "      (local.set $n (i32.add (local.get $n) (i32.load8_u (local.get $i))))\n"
    "      (local.set $n (i32.add (local.get $n) (i32.const 1)))\n"
    "      (br_if $l (i32.%s (local.tee $i (i32.add (local.get $i) (local.get $step)))\n"
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

/* i64 counter and addresses: a byte stored at base + i (offset 2), one
 * loaded at base - i. */
static const char *const byte_loop64 =
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
static const char *const word_loop64 =
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

/* Loads from memory 1 (with data), stores to memory 0: each access is
 * checked against its own memory's size.  %s: "" or "i64", the address
 * type of both memories; then the address type's prefix three times. */
static const char *const two_memory_loop =
    "(module (memory %s 2) (memory $one %s 1)\n"
    "  (data (memory 1) (%s.const 0) \"\\01\\02\\03\\04\\05\\06\\07\\08\")\n"
    "  (func (export \"run\") (param $i %s) (param $end %s) (param $base %s) (result i32)\n"
    "    (local $n i32)\n"
    "    (loop $l\n"
    "      (local.set $n (i32.add (local.get $n)\n"
    "        (i32.load16_u $one offset=1 (%s.sub (local.get $base) (local.get $i)))))\n"
    "      (i32.store8 (%s.add (local.get $base) (local.get $i)) (local.get $n))\n"
    "      (br_if $l (%s.%s (local.tee $i (%s.add (local.get $i) (%s.const %d)))\n"
    "                        (local.get $end))))\n"
    "    (local.get $n)))\n";

/* Where calls start, bases and ends, for i32 or i64 addresses. */
typedef struct address_space {
    bool wide;
    const uint64_t *starts, *bases, *ends;
    size_t nstarts, nbases, nends;
} address_space;

static const uint64_t starts32[] = {0,     1,     5,           100,         4000,
                                    65530, 65534, 0xFFFFFFF0u, 0x7FFFFFFEu, 0x80000001u};
static const uint64_t bases32[] = {0, 100, 1000, 30000, 65000, 65533, 0xFFFFFF00u};
static const uint64_t ends32[] = {0, 10, 1000, 65535, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu};
#define TOP UINT64_MAX
static const uint64_t starts64[] = {0,
                                    1,
                                    5,
                                    100,
                                    65530,
                                    65534,
                                    TOP - 15,
                                    TOP / 2 - 1,
                                    TOP / 2 + 2,
                                    (UINT64_C(1) << 62) - 3,
                                    (UINT64_C(1) << 32) - 4,
                                    UINT64_C(1) << 61};
static const uint64_t bases64[] = {
    0, 100, 1000, 30000, 65000, 65533, TOP - 255, UINT64_C(1) << 32, UINT64_C(1) << 62};
static const uint64_t ends64[] = {0, 10, 1000, 65535, TOP / 2, TOP / 2 + 1, TOP, UINT64_C(1) << 62};
static const address_space space32 = {
    false, starts32, bases32, ends32, sizeof starts32 / 8, sizeof bases32 / 8, sizeof ends32 / 8};
static const address_space space64 = {
    true, starts64, bases64, ends64, sizeof starts64 / 8, sizeof bases64 / 8, sizeof ends64 / 8};

/* A small deterministic generator, so failures replay. */
static uint32_t next_random(uint32_t *state) {
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

static uint64_t pick_end(uint64_t start, uint32_t *state, const address_space *as) {
    uint32_t r = next_random(state) % (uint32_t)(as->nends + 3);
    if (r < as->nends)
        return as->ends[r];
    int64_t delta = (int64_t)(next_random(state) % 200) - 100;
    uint64_t end = start + (uint64_t)delta;
    return as->wide ? end : (uint32_t)end;
}

static w2n_value arg(const address_space *as, uint64_t v) {
    return as->wide ? w2n_i64((int64_t)v) : w2n_i32((int32_t)(uint32_t)v);
}

static w2n_status call_run(loaded *l, const address_space *as, uint64_t i, uint64_t end,
                           uint64_t base, int32_t *out, w2n_trap *trap) {
    w2n_value args[3] = {arg(as, i), arg(as, end), arg(as, base)}, r;
    w2n_error err;
    w2n_status s = w2n_func_call(l->store, export_func(l, "run"), args, 3, &r, 1, trap, &err);
    *out = s == W2N_OK ? r.of.i32 : 0;
    return s;
}

/* Run the same calls on -O0 and -O2 builds of `wat`, whose loop must have a
 * range check covering `accesses` accesses; count the calls that trapped. */
static unsigned compare_builds(const char *wat, uint32_t accesses, uint32_t seed,
                               w2n_bounds_mode mode, const address_space *as) {
    w2n_compile_stats stats;
    loaded ref = load_opt_bounds(wat, 0, mode, NULL), fast = load_opt_bounds(wat, 2, mode, &stats);
    cr_assert_eq(stats.loops_versioned, 1, "%s", wat);
    cr_assert_eq(stats.loops_checked, 1, "%s", wat);
    cr_assert_eq(stats.accesses_covered, accesses, "%s", wat);
    w2n_memory *ref_mem = w2n_instance_memory(ref.inst), *fast_mem = w2n_instance_memory(fast.inst);
    uint32_t state = seed;
    unsigned traps = 0;
    for (int call = 0; call < 40; call++) {
        uint64_t i = as->starts[next_random(&state) % as->nstarts];
        uint64_t base = as->bases[next_random(&state) % as->nbases];
        uint64_t end = pick_end(i, &state, as);
        int32_t r_ref, r_fast;
        w2n_trap t_ref, t_fast;
        w2n_status s_ref = call_run(&ref, as, i, end, base, &r_ref, &t_ref);
        w2n_status s_fast = call_run(&fast, as, i, end, base, &r_fast, &t_fast);
        char call_text[128];
        snprintf(call_text, sizeof call_text, "run(%#llx, %#llx, %#llx)", (unsigned long long)i,
                 (unsigned long long)end, (unsigned long long)base);
        cr_assert_eq(s_fast, s_ref, "%s\n%s: status %d at -O2, %d at -O0", wat, call_text, s_fast,
                     s_ref);
        if (s_ref == W2N_ERR_TRAP) {
            cr_assert_eq(t_fast.code, t_ref.code, "%s\n%s: trap", wat, call_text);
            traps++;
        } else {
            cr_assert_eq(r_fast, r_ref, "%s\n%s: %d at -O2, %d at -O0", wat, call_text, r_fast,
                         r_ref);
        }
        cr_assert(memcmp(w2n_memory_data(fast_mem), w2n_memory_data(ref_mem), 65536) == 0,
                  "%s\n%s: memory differs", wat, call_text);
    }
    unload(&ref);
    unload(&fast);
    return traps;
}

static void byte_loops(w2n_bounds_mode mode, const address_space *as) {
    char wat[2048];
    unsigned traps = 0, calls = 0;
    for (size_t p = 0; p < sizeof predicates / sizeof *predicates; p++)
        for (size_t s = 0; s < sizeof steps / sizeof *steps; s++) {
            snprintf(wat, sizeof wat, as->wide ? byte_loop64 : byte_loop, predicates[p], steps[s]);
            traps += compare_builds(wat, 2, (uint32_t)(p * 31 + s), mode, as);
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
            snprintf(wat, sizeof wat, word_loop, step, predicates[p]);
            compare_builds(wat, 3, (uint32_t)(p * 7 + (size_t)(step + 1)), mode, &space32);
        }
}

static void gather_loops(w2n_bounds_mode mode) {
    char wat[2048];
    unsigned traps = 0;
    for (size_t p = 0; p < sizeof predicates / sizeof *predicates; p += 2)
        for (size_t s = 0; s < sizeof steps / sizeof *steps; s++) {
            snprintf(wat, sizeof wat, gather_loop, predicates[p], steps[s]);
            traps += compare_builds(wat, 2, (uint32_t)(p * 13 + s), mode, &space32);
        }
    cr_assert(traps > 0, "no call trapped");
}

/* Explicit mode: the accesses of a run-time stride keep a check in the
 * slow version, so the range check before the loop covers them (not "ne":
 * a run-time step may never meet the bound exactly). */
static void strided_loops(w2n_bounds_mode mode) {
    char wat[2048];
    unsigned traps = 0, calls = 0;
    for (size_t p = 1; p < sizeof predicates / sizeof *predicates; p++) {
        snprintf(wat, sizeof wat, strided_loop, predicates[p]);
        traps += compare_builds(wat, 2, (uint32_t)(p * 17), mode, &space32);
        calls += 40;
    }
    cr_assert(traps > 0 && traps < calls, "%u of %u calls trapped", traps, calls);
}

static void value_and_growing_loops(w2n_bounds_mode mode) {
    char wat[2048];
    for (size_t p = 0; p < sizeof predicates / sizeof *predicates; p += 3)
        for (int step = -1; step <= 1; step += 2) {
            snprintf(wat, sizeof wat, value_loop, step, predicates[p]);
            compare_builds(wat, 2, (uint32_t)(p * 5 + (size_t)(step + 1)), mode, &space32);
            snprintf(wat, sizeof wat, growing_loop, predicates[p], step);
            compare_builds(wat, 1, (uint32_t)(p * 3 + (size_t)(step + 1)), mode, &space32);
        }
}

/* Scaled i64 indices and a zero-extended i32 one. */
static void word_loops64(w2n_bounds_mode mode) {
    char wat[2048];
    for (size_t p = 0; p < sizeof predicates / sizeof *predicates; p++)
        for (int step = -1; step <= 1; step += 2) {
            snprintf(wat, sizeof wat, word_loop64, step, step, predicates[p]);
            compare_builds(wat, 2, (uint32_t)(p * 7 + (size_t)(step + 1)), mode, &space64);
        }
}

static void two_memory_loops(w2n_bounds_mode mode, const address_space *as) {
    char wat[4096];
    const char *at = as->wide ? "i64" : "i32", *decl = as->wide ? "i64" : "";
    unsigned traps = 0;
    for (size_t p = 0; p < sizeof predicates / sizeof *predicates; p += 2)
        for (size_t s = 0; s < sizeof steps / sizeof *steps; s += 2) {
            snprintf(wat, sizeof wat, two_memory_loop, decl, decl, at, at, at, at, at, at, at,
                     predicates[p], at, at, steps[s]);
            traps += compare_builds(wat, 2, (uint32_t)(p * 17 + s), mode, as);
        }
    cr_assert(traps > 0, "no call trapped");
}

Test(loop_version, guard_two_memory_loops, .timeout = 120) {
    two_memory_loops(W2N_BOUNDS_GUARD, &space32);
}
Test(loop_version, explicit_two_memory_loops, .timeout = 120) {
    two_memory_loops(W2N_BOUNDS_EXPLICIT, &space32);
}
Test(loop_version, guard_two_memory_loops64, .timeout = 120) {
    two_memory_loops(W2N_BOUNDS_GUARD, &space64);
}
Test(loop_version, explicit_two_memory_loops64, .timeout = 120) {
    two_memory_loops(W2N_BOUNDS_EXPLICIT, &space64);
}

Test(loop_version, guard_byte_loops, .timeout = 120) { byte_loops(W2N_BOUNDS_GUARD, &space32); }
Test(loop_version, guard_word_loops, .timeout = 120) { word_loops(W2N_BOUNDS_GUARD); }
Test(loop_version, guard_gather_loops, .timeout = 120) { gather_loops(W2N_BOUNDS_GUARD); }
Test(loop_version, explicit_gather_loops, .timeout = 120) { gather_loops(W2N_BOUNDS_EXPLICIT); }
Test(loop_version, guard_value_and_growing_loops, .timeout = 120) {
    value_and_growing_loops(W2N_BOUNDS_GUARD);
}
Test(loop_version, explicit_value_and_growing_loops, .timeout = 120) {
    value_and_growing_loops(W2N_BOUNDS_EXPLICIT);
}
Test(loop_version, explicit_byte_loops, .timeout = 120) {
    byte_loops(W2N_BOUNDS_EXPLICIT, &space32);
}
Test(loop_version, guard_byte_loops64, .timeout = 120) { byte_loops(W2N_BOUNDS_GUARD, &space64); }
Test(loop_version, explicit_byte_loops64, .timeout = 120) {
    byte_loops(W2N_BOUNDS_EXPLICIT, &space64);
}
Test(loop_version, guard_word_loops64, .timeout = 120) { word_loops64(W2N_BOUNDS_GUARD); }
Test(loop_version, explicit_word_loops64, .timeout = 120) { word_loops64(W2N_BOUNDS_EXPLICIT); }
Test(loop_version, explicit_word_loops, .timeout = 120) { word_loops(W2N_BOUNDS_EXPLICIT); }
Test(loop_version, explicit_strided_loops, .timeout = 120) { strided_loops(W2N_BOUNDS_EXPLICIT); }
