/*
 * test_memory64.c — 64-bit memories and tables (memory64, table64) through
 * the public APIs: the 64-bit bounds check never wraps, memory.size/grow
 * and table.size/grow give i64 results, an i64 table index at or past 2^32
 * is out of range, and a 64-bit memory grows past 4 GiB where the host
 * lets it.  Each in both bounds modes.
 */
#include <criterion/criterion.h>
#include <stdint.h>

#include "w2n/compiler.h"
#include "w2n/runtime.h"
#include "wat_kit.h"

/* Debian's wat2wasm (wabt 1.0.32) reads neither 64-bit tables nor offsets
 * past 2^32, so the modules are assembled by the specification's reference
 * interpreter, which the build makes for the 3.0 spec tests. */
#define REFERENCE_WASM W2N_BUILD_DIR "/spec-interpreter/_build/default/wasm.exe"

static void assemble64(const char *wat, uint8_t **out, size_t *size) {
    if (access(REFERENCE_WASM, X_OK) != 0)
        cr_skip_test("no reference interpreter at %s to assemble memory64 text", REFERENCE_WASM);
    assemble_with("'" REFERENCE_WASM "'", wat, out, size);
}

static loaded load_store(const char *wat, w2n_bounds_mode mode, const w2n_store_options *so) {
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    opts.bounds = mode;
    uint8_t *wasm;
    size_t size;
    assemble64(wat, &wasm, &size);
    return load_wasm_in_store(wasm, size, &opts, so);
}

static loaded load(const char *wat, w2n_bounds_mode mode) { return load_store(wat, mode, NULL); }

/* Call export `name` with one i64; its one result (i32 or i64) in *out. */
static w2n_status call_i64(loaded *l, const char *name, int64_t arg, int64_t *out, w2n_trap *trap) {
    w2n_value a = w2n_i64(arg), r;
    w2n_error err;
    w2n_status s = w2n_func_call(l->store, export_func(l, name), &a, 1, &r, 1, trap, &err);
    if (s == W2N_OK)
        *out = r.type == W2N_I32 ? r.of.i32 : r.of.i64;
    return s;
}

static void expect_trap(loaded *l, const char *name, int64_t arg, w2n_trap_code code) {
    int64_t v = 0;
    w2n_trap trap;
    cr_assert_eq(call_i64(l, name, arg, &v, &trap), W2N_ERR_TRAP, "%s(%lld) did not trap", name,
                 (long long)arg);
    cr_assert_eq(trap.code, code, "%s(%lld): %s", name, (long long)arg, trap.message);
}

static int64_t expect_value(loaded *l, const char *name, int64_t arg) {
    int64_t v = 0;
    w2n_trap trap;
    cr_assert_eq(call_i64(l, name, arg, &v, &trap), W2N_OK, "%s(%lld) trapped: %s", name,
                 (long long)arg, trap.message);
    return v;
}

/* One call of an export with one i64 argument and what it must give: `value`,
 * or the trap `trap` when that is not W2N_TRAP_NONE.  A check is a list of
 * steps run in order on one instance, each seeing what those before it did. */
typedef struct step {
    const char *name;
    int64_t arg;
    int64_t value;
    w2n_trap_code trap;
} step;

#define RETURNS(name, arg, value) \
    { name, arg, value, W2N_TRAP_NONE }
#define TRAPS(name, arg, code) \
    { name, arg, 0, code }
#define NSTEPS(steps) (sizeof(steps) / sizeof((steps)[0]))

static void expect_steps(loaded *l, const step *steps, size_t n) {
    for (size_t i = 0; i < n; i++) {
        const step *s = &steps[i];
        if (s->trap != W2N_TRAP_NONE)
            expect_trap(l, s->name, s->arg, s->trap);
        else
            cr_assert_eq(expect_value(l, s->name, s->arg), s->value, "step %zu: %s(%lld)", i,
                         s->name, (long long)s->arg);
    }
}

static void check_steps(const char *wat, w2n_bounds_mode mode, const step *steps, size_t n) {
    loaded l = load(wat, mode);
    expect_steps(&l, steps, n);
    unload(&l);
}

/* A Test per bounds mode that runs `steps` on a fresh instance of `wat`. */
#define TEST_BOTH_MODES(test, wat, steps)                                                      \
    Test(memory64, test##_guard) { check_steps(wat, W2N_BOUNDS_GUARD, steps, NSTEPS(steps)); } \
    Test(memory64, test##_explicit) { check_steps(wat, W2N_BOUNDS_EXPLICIT, steps, NSTEPS(steps)); }

/* addr + offset would wrap to a small, in-bounds address in 64 bits. */
static const char *wrap_module =
    "(module (memory i64 1 4)\n"
    "  (data (i64.const 16) \"\\2a\")\n"
    "  (func (export \"at\") (param i64) (result i32) (i32.load8_u (local.get 0)))\n"
    "  (func (export \"wrap32\") (param i64) (result i32)\n"
    "    (i32.load8_u offset=32 (local.get 0)))\n"
    "  (func (export \"huge_offset\") (param i64) (result i32)\n"
    "    (i32.load8_u offset=0xffffffffffffffff (local.get 0)))\n"
    "  (func (export \"store_wrap\") (param i64) (result i32)\n"
    "    (i64.store offset=0x8000000000000000 (local.get 0) (i64.const -1)) (i32.const 1))\n"
    "  (func (export \"last\") (param i64) (result i32) (i32.load offset=65532 (local.get 0)))\n"
    "  (func (export \"size\") (param i64) (result i64) (memory.size))\n"
    "  (func (export \"grow\") (param i64) (result i64) (memory.grow (local.get 0))))\n";

static const step no_wrap_steps[] = {
    RETURNS("at", 16, 0x2a),
    /* 2^64 - 16 + 32 wraps to 16, where the byte is: it must trap instead. */
    TRAPS("wrap32", -16, W2N_TRAP_MEMORY_OOB),
    TRAPS("wrap32", INT64_MIN, W2N_TRAP_MEMORY_OOB),
    TRAPS("huge_offset", 0, W2N_TRAP_MEMORY_OOB),
    TRAPS("huge_offset", 17, W2N_TRAP_MEMORY_OOB),
    TRAPS("store_wrap", INT64_MIN, W2N_TRAP_MEMORY_OOB),
    RETURNS("at", 16, 0x2a), /* the trapping store wrote nothing */
    /* The last word of the memory, and one byte past it; addresses past 2^32. */
    RETURNS("last", 0, 0),
    TRAPS("last", 1, W2N_TRAP_MEMORY_OOB),
    TRAPS("at", INT64_C(1) << 32, W2N_TRAP_MEMORY_OOB),
    TRAPS("at", 65536, W2N_TRAP_MEMORY_OOB),
    /* i64 sizes; a delta past 2^32 pages fails rather than truncating. */
    RETURNS("size", 0, 1),
    RETURNS("grow", (INT64_C(1) << 32) + 1, -1),
    RETURNS("size", 0, 1),
    RETURNS("grow", 1, 1),
    RETURNS("at", 65536, 0),
    RETURNS("last", 65536, 0),
};
TEST_BOTH_MODES(address_plus_offset_never_wraps, wrap_module, no_wrap_steps)

/* call_indirect, table.get and table.set through a 64-bit table: index 2^32
 * would be element 0 if truncated to 32 bits. */
static const char *table_module =
    "(module (table $t i64 2 10 funcref) (elem (table $t) (i64.const 0) func $seven)\n"
    "  (type $r (func (result i32)))\n"
    "  (func $seven (result i32) (i32.const 7))\n"
    "  (func (export \"call\") (param i64) (result i32)\n"
    "    (call_indirect $t (type $r) (local.get 0)))\n"
    "  (func (export \"is_null\") (param i64) (result i32)\n"
    "    (ref.is_null (table.get $t (local.get 0))))\n"
    "  (func (export \"set\") (param i64) (result i32)\n"
    "    (table.set $t (local.get 0) (ref.null func)) (i32.const 0))\n"
    "  (func (export \"size\") (param i64) (result i64) (table.size $t))\n"
    "  (func (export \"grow\") (param i64) (result i64)\n"
    "    (table.grow $t (ref.null func) (local.get 0))))\n";

static const step table64_steps[] = {
    RETURNS("call", 0, 7),
    TRAPS("call", INT64_C(1) << 32, W2N_TRAP_UNDEFINED_ELEMENT),
    TRAPS("call", -1, W2N_TRAP_UNDEFINED_ELEMENT),
    TRAPS("call", 1, W2N_TRAP_UNINITIALIZED),
    RETURNS("is_null", 0, 0),
    TRAPS("is_null", INT64_C(1) << 32, W2N_TRAP_TABLE_OOB),
    TRAPS("set", INT64_C(1) << 32, W2N_TRAP_TABLE_OOB),
    RETURNS("call", 0, 7), /* the trapping table.set wrote nothing */
    RETURNS("size", 0, 2),
    RETURNS("grow", INT64_C(1) << 32, -1),
    RETURNS("grow", 3, 2),
    RETURNS("size", 0, 5),
};
TEST_BOTH_MODES(table64_indices, table_module, table64_steps)

/* A 64-bit memory of 6 GiB, written and read above 4 GiB.  The host may
 * refuse that much (address space, overcommit): then the test says so and
 * is skipped, never passed. */
static const char *big_module =
    "(module (memory i64 1)\n"
    "  (func (export \"grow\") (param i64) (result i64) (memory.grow (local.get 0)))\n"
    "  (func (export \"poke\") (param i64) (result i32)\n"
    "    (i64.store offset=8 (local.get 0) (local.get 0)) (i32.const 0))\n"
    "  (func (export \"peek\") (param i64) (result i64) (i64.load offset=8 (local.get 0))))\n";

static void check_big(w2n_bounds_mode mode) {
    loaded l = load(big_module, mode);
    const int64_t pages = (INT64_C(6) << 30) / 65536; /* 6 GiB */
    int64_t old = expect_value(&l, "grow", pages - 1);
    if (old < 0) {
        unload(&l);
        cr_skip_test("the host cannot map a 6 GiB linear memory (memory.grow returned -1)");
    }
    cr_assert_eq(old, 1);
    const int64_t a = INT64_C(4) << 30, b = (INT64_C(5) << 30) + 12345,
                  c = (INT64_C(6) << 30) - 16; /* above 4 GiB */
    const step steps[] = {
        RETURNS("poke", a, 0),
        RETURNS("poke", b, 0),
        RETURNS("poke", c, 0),
        RETURNS("peek", a, a),
        RETURNS("peek", b, b),
        RETURNS("peek", c, c),
        /* Below 4 GiB + 8 bytes, the same low 32 bits hold nothing. */
        RETURNS("peek", 0, 0),
        TRAPS("peek", (INT64_C(6) << 30) - 15, W2N_TRAP_MEMORY_OOB),
    };
    expect_steps(&l, steps, NSTEPS(steps));
    unload(&l);
}

Test(memory64, grows_past_4gib_guard) { check_big(W2N_BOUNDS_GUARD); }
Test(memory64, grows_past_4gib_explicit) { check_big(W2N_BOUNDS_EXPLICIT); }

/* The store's memory limit (w2n run --max-memory) holds for 64-bit memories. */
Test(memory64, store_limit_refuses_growth) {
    w2n_store_options so = {.limits = {.max_memory = UINT64_C(5) << 30}};
    loaded l = load_store(big_module, W2N_BOUNDS_GUARD, &so);
    cr_assert_eq(expect_value(&l, "grow", (INT64_C(6) << 30) / 65536 - 1), -1);
    cr_assert_eq(expect_value(&l, "grow", 1), 1);
    unload(&l);
}

/* SIMD loads, stores and lanes on a 64-bit memory: the same check. */
static const char *simd_module =
    "(module (memory i64 1)\n"
    "  (func (export \"load\") (param i64) (result i32)\n"
    "    (i32x4.extract_lane 3 (v128.load offset=16 (local.get 0))))\n"
    "  (func (export \"store_lane\") (param i64) (result i32)\n"
    "    (v128.store8_lane offset=1 15 (local.get 0) (v128.const i32x4 0 0 0 0x2a000000))\n"
    "    (i32.const 0))\n"
    "  (func (export \"load_lane\") (param i64) (result i32)\n"
    "    (i8x16.extract_lane_u 0\n"
    "      (v128.load8_lane 0 (local.get 0) (v128.const i32x4 0 0 0 0))))\n"
    "  (func (export \"splat\") (param i64) (result i32)\n"
    "    (i32x4.extract_lane 1 (v128.load32_splat offset=0xfffffffffffffff0 (local.get 0)))))\n";

static const step simd_steps[] = {
    RETURNS("store_lane", 65534, 0),
    RETURNS("load_lane", 65535, 0x2a),
    RETURNS("load", 65536 - 32, 0x2a000000),
    TRAPS("load", 65536 - 31, W2N_TRAP_MEMORY_OOB),
    TRAPS("load", -16, W2N_TRAP_MEMORY_OOB), /* wraps to 0 */
    TRAPS("store_lane", 65535, W2N_TRAP_MEMORY_OOB),
    TRAPS("store_lane", -1, W2N_TRAP_MEMORY_OOB),
    TRAPS("load_lane", INT64_C(1) << 32, W2N_TRAP_MEMORY_OOB),
    TRAPS("splat", 16, W2N_TRAP_MEMORY_OOB), /* wraps to 0 */
};
TEST_BOTH_MODES(simd_accesses, simd_module, simd_steps)

/* table.init, table.copy and table.fill on a 64-bit table take an i64
 * destination (and i64 source and length for copy between 64-bit tables);
 * past 2^32 they trap, never truncate. */
static const char *table_bulk_module =
    "(module (table $t i64 4 funcref) (elem $e func $one $two)\n"
    "  (type $r (func (result i32)))\n"
    "  (func $one (result i32) (i32.const 1)) (func $two (result i32) (i32.const 2))\n"
    "  (func (export \"init\") (param i64) (result i32)\n"
    "    (table.init $t $e (local.get 0) (i32.const 0) (i32.const 2)) (i32.const 0))\n"
    "  (func (export \"copy\") (param i64) (result i32)\n"
    "    (table.copy $t $t (local.get 0) (i64.const 0) (i64.const 2)) (i32.const 0))\n"
    "  (func (export \"fill\") (param i64) (result i32)\n"
    "    (table.fill $t (i64.const 0) (ref.null func) (local.get 0)) (i32.const 0))\n"
    "  (func (export \"call\") (param i64) (result i32)\n"
    "    (call_indirect $t (type $r) (local.get 0))))\n";

static const step table_bulk_steps[] = {
    RETURNS("init", 0, 0),
    RETURNS("call", 1, 2),
    TRAPS("init", INT64_C(1) << 32, W2N_TRAP_TABLE_OOB),
    TRAPS("init", 3, W2N_TRAP_TABLE_OOB),
    RETURNS("copy", 2, 0),
    RETURNS("call", 3, 2),
    TRAPS("copy", (INT64_C(1) << 32) + 1, W2N_TRAP_TABLE_OOB),
    TRAPS("fill", (INT64_C(1) << 32) + 1, W2N_TRAP_TABLE_OOB),
    RETURNS("call", 0, 1), /* the trapping fill wrote nothing */
    RETURNS("fill", 4, 0),
    TRAPS("call", 0, W2N_TRAP_UNINITIALIZED),
};
TEST_BOTH_MODES(table64_bulk, table_bulk_module, table_bulk_steps)

/* memory.grow may move a 64-bit memory (the runtime maps it as in explicit
 * mode, whatever the object's mode), so code must not reuse the base it read
 * before the grow, even in a guard-mode object. */
static const char *moving_module =
    "(module (memory i64 1)\n"
    "  (func (export \"grow_between\") (param i64) (result i64)\n"
    "    (i64.store (i64.const 8) (i64.const 77))\n"
    "    (drop (memory.grow (local.get 0)))\n"
    "    (i64.store (i64.sub (i64.mul (memory.size) (i64.const 65536)) (i64.const 8))\n"
    "               (i64.const 5))\n"
    "    (i64.add (i64.load (i64.const 8))\n"
    "             (i64.load (i64.sub (i64.mul (memory.size) (i64.const 65536)) (i64.const "
    "8))))))\n";

static void check_moving(w2n_bounds_mode mode) {
    loaded l = load(moving_module, mode);
    /* Several grows, each large enough that mremap has to move the mapping
     * sooner or later; the value written before each grow must be read back. */
    for (int i = 0; i < 6; i++)
        cr_assert_eq(expect_value(&l, "grow_between", 4096), 82, "grow %d", i);
    unload(&l);
}

Test(memory64, base_reread_after_grow_guard) { check_moving(W2N_BOUNDS_GUARD); }
Test(memory64, base_reread_after_grow_explicit) { check_moving(W2N_BOUNDS_EXPLICIT); }
