/*
 * test_fuzz_regressions.c — inputs the fuzzers found, compiled and run end
 * to end (w2n_compile, then the runtime), at -O0 and -O2 in both bounds
 * modes.  Each case is the reduced module of a mismatch that w2n-fuzz-run
 * reported against wasm-interp, or an instruction family that
 * w2n-fuzz-compile found unreachable.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "w2n/compiler.h"
#include "w2n/runtime.h"

/* wat2wasm of:
 * (module
 *   (memory 1)
 *   ;; guard mode: LLVM deleted the dead load, so nothing trapped
 *   (func (export "dropped") (result i32) (drop (i32.load (i32.const 65534))) (i32.const 7))
 *   ;; guard mode: LLVM narrowed the 8-byte load to an in-bounds 4-byte one
 *   (func (export "wrapped") (result i32) (i32.wrap_i64 (i64.load (i32.const 65532))))
 *   (func (export "masked") (result i64) (i64.and (i64.load (i32.const 65535)) (i64.const 0xff)))
 *   (func (export "lane0") (result i32) (i32x4.extract_lane 0 (v128.load (i32.const 65530))))
 *   ;; guard mode: the divide-by-zero trap came first
 *   (func (export "before_div") (result i64)
 *     (drop (i64.div_s (i64.load32_s offset=4205076828 (i32.const 2360)) (i64.const 0)))
 *     (i64.const 0))
 *   ;; v128 loads were never dispatched: "not supported yet"
 *   (func (export "simd_load") (result i32) (i32x4.extract_lane 1 (v128.load (i32.const 0))))
 *   (data (i32.const 0) "\01\02\03\04\05\06\07\08"))
 */
static const uint8_t loads_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x09, 0x02, 0x60, 0x00, 0x01, 0x7f, 0x60,
    0x00, 0x01, 0x7e, 0x03, 0x07, 0x06, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00,
    0x01, 0x07, 0x3f, 0x06, 0x07, 0x64, 0x72, 0x6f, 0x70, 0x70, 0x65, 0x64, 0x00, 0x00, 0x07, 0x77,
    0x72, 0x61, 0x70, 0x70, 0x65, 0x64, 0x00, 0x01, 0x06, 0x6d, 0x61, 0x73, 0x6b, 0x65, 0x64, 0x00,
    0x02, 0x05, 0x6c, 0x61, 0x6e, 0x65, 0x30, 0x00, 0x03, 0x0a, 0x62, 0x65, 0x66, 0x6f, 0x72, 0x65,
    0x5f, 0x64, 0x69, 0x76, 0x00, 0x04, 0x09, 0x73, 0x69, 0x6d, 0x64, 0x5f, 0x6c, 0x6f, 0x61, 0x64,
    0x00, 0x05, 0x0a, 0x54, 0x06, 0x0c, 0x00, 0x41, 0xfe, 0xff, 0x03, 0x28, 0x02, 0x00, 0x1a, 0x41,
    0x07, 0x0b, 0x0a, 0x00, 0x41, 0xfc, 0xff, 0x03, 0x29, 0x03, 0x00, 0xa7, 0x0b, 0x0d, 0x00, 0x41,
    0xff, 0xff, 0x03, 0x29, 0x03, 0x00, 0x42, 0xff, 0x01, 0x83, 0x0b, 0x0d, 0x00, 0x41, 0xfa, 0xff,
    0x03, 0xfd, 0x00, 0x04, 0x00, 0xfd, 0x1b, 0x00, 0x0b, 0x12, 0x00, 0x41, 0xb8, 0x12, 0x34, 0x02,
    0xdc, 0xc2, 0x91, 0xd5, 0x0f, 0x42, 0x00, 0x7f, 0x1a, 0x42, 0x00, 0x0b, 0x0b, 0x00, 0x41, 0x00,
    0xfd, 0x00, 0x04, 0x00, 0xfd, 0x1b, 0x01, 0x0b, 0x0b, 0x0e, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x08,
    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};

typedef struct outcome {
    w2n_status status; /* of the call */
    w2n_trap_code trap;
    w2n_value result;
} outcome;

/* One instance of a module compiled with (opt, bounds). */
typedef struct running {
    w2n_object *object;
    w2n_store *store;
    w2n_linker *linker;
    w2n_instance *instance;
} running;

static running start(const uint8_t *wasm, size_t size, int opt, w2n_bounds_mode bounds) {
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    opts.opt_level = opt;
    opts.bounds = bounds;
    uint8_t *obj;
    size_t obj_size;
    w2n_error err;
    cr_assert_eq(w2n_compile(wasm, size, &opts, &obj, &obj_size, &err), W2N_OK, "compile: %s",
                 err.message);
    running r;
    cr_assert_eq(w2n_object_load(obj, obj_size, &r.object, &err), W2N_OK, "load: %s", err.message);
    free(obj);
    r.store = w2n_store_new(NULL);
    r.linker = w2n_linker_new(r.store);
    w2n_trap trap;
    cr_assert_eq(w2n_linker_instantiate(r.linker, r.object, &r.instance, &trap, &err), W2N_OK,
                 "instantiate: %s", err.message);
    return r;
}

/* Call export `name` (no parameters, at most one result). */
static outcome call(running *r, const char *name) {
    w2n_extern fn;
    cr_assert_eq(w2n_instance_export(r->instance, name, &fn), W2N_OK, "no export %s", name);
    outcome out = {0};
    w2n_trap trap;
    w2n_error err;
    memset(&trap, 0, sizeof trap);
    uint32_t nresults = w2n_func_type(r->store, fn.of.func).nresults;
    out.status = w2n_func_call(r->store, fn.of.func, NULL, 0, &out.result, nresults, &trap, &err);
    out.trap = trap.code;
    return out;
}

static void stop(running *r) {
    w2n_linker_free(r->linker);
    w2n_store_free(r->store);
    w2n_object_free(r->object);
}

static outcome call_export(const uint8_t *wasm, size_t size, int opt, w2n_bounds_mode bounds,
                           const char *name) {
    running r = start(wasm, size, opt, bounds);
    outcome out = call(&r, name);
    stop(&r);
    return out;
}

static void expect_oob_in(const uint8_t *wasm, size_t size, const char *name) {
    for (int opt = 0; opt <= 2; opt += 2)
        for (int b = 0; b < 2; b++) {
            w2n_bounds_mode bounds = b ? W2N_BOUNDS_EXPLICIT : W2N_BOUNDS_GUARD;
            outcome o = call_export(wasm, size, opt, bounds, name);
            cr_expect_eq(o.status, W2N_ERR_TRAP, "%s -O%d %s: no trap", name, opt,
                         w2n_bounds_mode_name(bounds));
            cr_expect_eq(o.trap, W2N_TRAP_MEMORY_OOB, "%s -O%d %s: trap %d, not memory OOB", name,
                         opt, w2n_bounds_mode_name(bounds), o.trap);
        }
}

static void expect_oob_everywhere(const char *name) {
    expect_oob_in(loads_wasm, sizeof loads_wasm, name);
}

/* Call `trapping`, expect a memory trap, then `reader` must return `want`. */
static void expect_state_after_trap(const uint8_t *wasm, size_t size, const char *trapping,
                                    const char *reader, int32_t want) {
    for (int opt = 0; opt <= 2; opt += 2)
        for (int b = 0; b < 2; b++) {
            w2n_bounds_mode bounds = b ? W2N_BOUNDS_EXPLICIT : W2N_BOUNDS_GUARD;
            running r = start(wasm, size, opt, bounds);
            outcome t = call(&r, trapping);
            cr_expect_eq(t.status, W2N_ERR_TRAP, "%s -O%d %s: no trap", trapping, opt,
                         w2n_bounds_mode_name(bounds));
            cr_expect_eq(t.trap, W2N_TRAP_MEMORY_OOB);
            outcome v = call(&r, reader);
            cr_assert_eq(v.status, W2N_OK);
            cr_expect_eq(v.result.of.i32, want, "-O%d %s: %s is %d after %s traps, not %d", opt,
                         w2n_bounds_mode_name(bounds), reader, v.result.of.i32, trapping, want);
            stop(&r);
        }
}

Test(fuzz_regressions, dead_load_traps) { expect_oob_everywhere("dropped"); }
Test(fuzz_regressions, narrowed_load_traps) { expect_oob_everywhere("wrapped"); }
Test(fuzz_regressions, masked_load_traps) { expect_oob_everywhere("masked"); }
Test(fuzz_regressions, partly_used_v128_load_traps) { expect_oob_everywhere("lane0"); }
Test(fuzz_regressions, load_trap_before_divide_trap) { expect_oob_everywhere("before_div"); }

Test(fuzz_regressions, v128_load_is_lowered) {
    for (int opt = 0; opt <= 2; opt += 2)
        for (int b = 0; b < 2; b++) {
            outcome o = call_export(loads_wasm, sizeof loads_wasm, opt,
                                    b ? W2N_BOUNDS_EXPLICIT : W2N_BOUNDS_GUARD, "simd_load");
            cr_expect_eq(o.status, W2N_OK);
            cr_expect_eq(o.result.of.i32, 0x08070605);
        }
}

/* wat2wasm of:
 * (module
 *   (memory 1)
 *   (global $g (mut i32) (i32.const 300))
 *   ;; guard mode -O2: LLVM ran the countdown to 0 and did the loop-invariant
 *   ;; out-of-bounds store once afterwards; the trap must come with $g = 299
 *   (func (export "loop_store")
 *     (loop $l
 *       (global.set $g (i32.sub (global.get $g) (i32.const 1)))
 *       (i64.store32 offset=3609730577 (i32.const 8) (i64.const 8))
 *       (br_if $l (global.get $g))))
 *   (func (export "g") (result i32) (global.get $g)))
 */
static const uint8_t store_order_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x60, 0x00, 0x00, 0x60, 0x00,
    0x01, 0x7f, 0x03, 0x03, 0x02, 0x00, 0x01, 0x05, 0x03, 0x01, 0x00, 0x01, 0x06, 0x07, 0x01, 0x7f,
    0x01, 0x41, 0xac, 0x02, 0x0b, 0x07, 0x12, 0x02, 0x0a, 0x6c, 0x6f, 0x6f, 0x70, 0x5f, 0x73, 0x74,
    0x6f, 0x72, 0x65, 0x00, 0x00, 0x01, 0x67, 0x00, 0x01, 0x0a, 0x22, 0x02, 0x1b, 0x00, 0x03, 0x40,
    0x23, 0x00, 0x41, 0x01, 0x6b, 0x24, 0x00, 0x41, 0x08, 0x42, 0x08, 0x3e, 0x02, 0x91, 0xbc, 0xa0,
    0xb9, 0x0d, 0x23, 0x00, 0x0d, 0x00, 0x0b, 0x0b, 0x04, 0x00, 0x23, 0x00, 0x0b};

Test(fuzz_regressions, store_trap_sees_earlier_global_writes_only) {
    expect_state_after_trap(store_order_wasm, sizeof store_order_wasm, "loop_store", "g", 299);
}

/* wat2wasm of:
 * (module
 *   (memory 1)
 *   (table 5 funcref)
 *   (global $c (mut i32) (i32.const 1))
 *   ;; guard mode -O2 (mismatch-0006168, -0012268, -0033960): the volatile
 *   ;; load became the memory operand of a CMOV, and LLVM 19's X86 cmov
 *   ;; converter turned that into a branch around the load
 *   (func (export "cmov_mul") (result i32) (local $k i32)
 *     (local.set $k (global.get $c))
 *     (select (i32.mul (table.size 0) (i32.const 33)) (i32.load (i32.const 65536))
 *             (local.get $k)))
 *   (func (export "cmov_cmp") (result i32) (local $k i32)
 *     (local.set $k (i32.lt_u (global.get $c) (i32.const 7)))
 *     (select (table.size 0) (i32.load (i32.const 65536)) (local.get $k))))
 */
static const uint8_t select_load_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,
    0x03, 0x03, 0x02, 0x00, 0x00, 0x04, 0x04, 0x01, 0x70, 0x00, 0x05, 0x05, 0x03, 0x01, 0x00,
    0x01, 0x06, 0x06, 0x01, 0x7f, 0x01, 0x41, 0x01, 0x0b, 0x07, 0x17, 0x02, 0x08, 0x63, 0x6d,
    0x6f, 0x76, 0x5f, 0x6d, 0x75, 0x6c, 0x00, 0x00, 0x08, 0x63, 0x6d, 0x6f, 0x76, 0x5f, 0x63,
    0x6d, 0x70, 0x00, 0x01, 0x0a, 0x33, 0x02, 0x18, 0x01, 0x01, 0x7f, 0x23, 0x00, 0x21, 0x00,
    0xfc, 0x10, 0x00, 0x41, 0x21, 0x6c, 0x41, 0x80, 0x80, 0x04, 0x28, 0x02, 0x00, 0x20, 0x00,
    0x1b, 0x0b, 0x18, 0x01, 0x01, 0x7f, 0x23, 0x00, 0x41, 0x07, 0x49, 0x21, 0x00, 0xfc, 0x10,
    0x00, 0x41, 0x80, 0x80, 0x04, 0x28, 0x02, 0x00, 0x20, 0x00, 0x1b, 0x0b};

Test(fuzz_regressions, load_feeding_select_traps) {
    expect_oob_in(select_load_wasm, sizeof select_load_wasm, "cmov_mul");
    expect_oob_in(select_load_wasm, sizeof select_load_wasm, "cmov_cmp");
}

/* wat2wasm of:
 * (module
 *   (memory 1)
 *   (table $t 1 funcref)
 *   (global $g (mut i32) (i32.const 0))
 *   (func $h)
 *   (elem declare func $h)
 *   ;; guard mode -O2 (mismatch-0031230): LLVM deleted the first store as
 *   ;; overwritten, as if the load in between could not trap
 *   (func (export "global_set")
 *     (global.set $g (i32.const 1))
 *     (drop (i32.load (i32.const 65536)))
 *     (global.set $g (i32.const 2)))
 *   (func (export "g") (result i32) (global.get $g))
 *   (func (export "table_set")
 *     (table.set $t (i32.const 0) (ref.func $h))
 *     (drop (i32.load (i32.const 65536)))
 *     (table.set $t (i32.const 0) (ref.null func)))
 *   (func (export "t0_is_null") (result i32) (ref.is_null (table.get $t (i32.const 0)))))
 */
static const uint8_t overwritten_store_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x60, 0x00, 0x00, 0x60, 0x00,
    0x01, 0x7f, 0x03, 0x06, 0x05, 0x00, 0x00, 0x01, 0x00, 0x01, 0x04, 0x04, 0x01, 0x70, 0x00, 0x01,
    0x05, 0x03, 0x01, 0x00, 0x01, 0x06, 0x06, 0x01, 0x7f, 0x01, 0x41, 0x00, 0x0b, 0x07, 0x2b, 0x04,
    0x0a, 0x67, 0x6c, 0x6f, 0x62, 0x61, 0x6c, 0x5f, 0x73, 0x65, 0x74, 0x00, 0x01, 0x01, 0x67, 0x00,
    0x02, 0x09, 0x74, 0x61, 0x62, 0x6c, 0x65, 0x5f, 0x73, 0x65, 0x74, 0x00, 0x03, 0x0a, 0x74, 0x30,
    0x5f, 0x69, 0x73, 0x5f, 0x6e, 0x75, 0x6c, 0x6c, 0x00, 0x04, 0x09, 0x05, 0x01, 0x03, 0x00, 0x01,
    0x00, 0x0a, 0x3b, 0x05, 0x02, 0x00, 0x0b, 0x12, 0x00, 0x41, 0x01, 0x24, 0x00, 0x41, 0x80, 0x80,
    0x04, 0x28, 0x02, 0x00, 0x1a, 0x41, 0x02, 0x24, 0x00, 0x0b, 0x04, 0x00, 0x23, 0x00, 0x0b, 0x16,
    0x00, 0x41, 0x00, 0xd2, 0x00, 0x26, 0x00, 0x41, 0x80, 0x80, 0x04, 0x28, 0x02, 0x00, 0x1a, 0x41,
    0x00, 0xd0, 0x70, 0x26, 0x00, 0x0b, 0x07, 0x00, 0x41, 0x00, 0x25, 0x00, 0xd1, 0x0b};

Test(fuzz_regressions, global_store_before_trap_stays) {
    expect_state_after_trap(overwritten_store_wasm, sizeof overwritten_store_wasm, "global_set",
                            "g", 1);
}

Test(fuzz_regressions, table_store_before_trap_stays) {
    expect_state_after_trap(overwritten_store_wasm, sizeof overwritten_store_wasm, "table_set",
                            "t0_is_null", 0);
}

/* wat2wasm of:
 * (module
 *   ;; -O0 (w2n-fuzz-compile, l7.wasm): LLVM 19's x86 DAG combiner never finished on
 *   ;; a popcnt of a comparison of bitcast constant expressions; the lowering
 *   ;; now folds v128 constants to each lane shape itself
 *   (func (export "lane8") (result i32)
 *     (i8x16.extract_lane_u 8 (i8x16.popcnt
 *       (i32x4.gt_u (v128.const i32x4 1 2 3 4) (v128.const i32x4 4 3 2 1)))))
 *   ;; that folding keeps float bits, NaN payloads included
 *   (func (export "f32_bits") (result i32)
 *     (i32x4.extract_lane 1 (f32x4.neg (v128.const f32x4 1.5 -2.0 nan:0x200000 -0.0))))
 *   (func (export "f64_bits") (result i64)
 *     (i64x2.extract_lane 0 (f64x2.abs (v128.const f64x2 -nan:0x4000000000001 1.0)))))
 */
static const uint8_t constant_popcnt_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x09, 0x02, 0x60, 0x00, 0x01, 0x7f,
    0x60, 0x00, 0x01, 0x7e, 0x03, 0x04, 0x03, 0x00, 0x00, 0x01, 0x07, 0x1f, 0x03, 0x05, 0x6c,
    0x61, 0x6e, 0x65, 0x38, 0x00, 0x00, 0x08, 0x66, 0x33, 0x32, 0x5f, 0x62, 0x69, 0x74, 0x73,
    0x00, 0x01, 0x08, 0x66, 0x36, 0x34, 0x5f, 0x62, 0x69, 0x74, 0x73, 0x00, 0x02, 0x0a, 0x65,
    0x03, 0x2d, 0x00, 0xfd, 0x0c, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00,
    0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xfd, 0x0c, 0x04, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00,
    0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0xfd, 0x3c, 0xfd, 0x62, 0xfd, 0x16,
    0x08, 0x0b, 0x1a, 0x00, 0xfd, 0x0c, 0x00, 0x00, 0xc0, 0x3f, 0x00, 0x00, 0x00, 0xc0, 0x00,
    0x00, 0xa0, 0x7f, 0x00, 0x00, 0x00, 0x80, 0xfd, 0xe1, 0x01, 0xfd, 0x1b, 0x01, 0x0b, 0x1a,
    0x00, 0xfd, 0x0c, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf4, 0xff, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0xf0, 0x3f, 0xfd, 0xec, 0x01, 0xfd, 0x1d, 0x00, 0x0b};

Test(fuzz_regressions, popcnt_of_constant_compare_compiles, .timeout = 60) {
    for (int opt = 0; opt <= 3; opt++) {
        outcome o = call_export(constant_popcnt_wasm, sizeof constant_popcnt_wasm, opt,
                                W2N_BOUNDS_GUARD, "lane8");
        cr_expect_eq(o.status, W2N_OK);
        cr_expect_eq(o.result.of.i32, 8, "-O%d: %d", opt, o.result.of.i32);
        o = call_export(constant_popcnt_wasm, sizeof constant_popcnt_wasm, opt, W2N_BOUNDS_GUARD,
                        "f32_bits");
        cr_expect_eq(o.result.of.i32, 0x40000000, "-O%d: %#x", opt, (unsigned)o.result.of.i32);
        o = call_export(constant_popcnt_wasm, sizeof constant_popcnt_wasm, opt, W2N_BOUNDS_GUARD,
                        "f64_bits");
        cr_expect_eq(o.result.of.i64, 0x7ff4000000000001, "-O%d", opt);
    }
}

/* wat2wasm of (module (func (export "only_default") (result i32)
 *   (block (br_table 0 (i32.const 5))) (i32.const 7)))
 * libFuzzer (compile target, UBSan): a br_table with no targets but the
 * default passed its NULL target array to memcpy.  The input libFuzzer found
 * also replays in tests/fuzz/regressions/compile. */
static const uint8_t only_default_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01,
    0x7f, 0x03, 0x02, 0x01, 0x00, 0x07, 0x10, 0x01, 0x0c, 0x6f, 0x6e, 0x6c, 0x79, 0x5f,
    0x64, 0x65, 0x66, 0x61, 0x75, 0x6c, 0x74, 0x00, 0x00, 0x0a, 0x0e, 0x01, 0x0c, 0x00,
    0x02, 0x40, 0x41, 0x05, 0x0e, 0x00, 0x00, 0x0b, 0x41, 0x07, 0x0b};

Test(fuzz_regressions, br_table_with_only_a_default) {
    for (int opt = 0; opt <= 2; opt += 2) {
        outcome o = call_export(only_default_wasm, sizeof only_default_wasm, opt, W2N_BOUNDS_GUARD,
                                "only_default");
        cr_assert_eq(o.status, W2N_OK, "-O%d", opt);
        cr_expect_eq(o.result.of.i32, 7, "-O%d: %d", opt, o.result.of.i32);
    }
}

/* wat2wasm --enable-multi-memory --enable-memory64 of:
 * (module
 *   (memory 1)
 *   (memory i64 1)
 *   (data "\2a\00\00\00")
 *   ;; w2n-fuzz-run --wasm3 (seed 2, mismatch-0000210): the validator typed
 *   ;; memory.init's destination by memory 0, so an i64 one was refused
 *   (func (export "init64") (result i32)
 *     (memory.init 1 0 (i64.const 8) (i32.const 0) (i32.const 4))
 *     (i32.load 1 (i64.const 8))))
 */
static const uint8_t init64_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,
    0x03, 0x02, 0x01, 0x00, 0x05, 0x05, 0x02, 0x00, 0x01, 0x04, 0x01, 0x07, 0x0a, 0x01, 0x06,
    0x69, 0x6e, 0x69, 0x74, 0x36, 0x34, 0x00, 0x00, 0x0c, 0x01, 0x01, 0x0a, 0x14, 0x01, 0x12,
    0x00, 0x42, 0x08, 0x41, 0x00, 0x41, 0x04, 0xfc, 0x08, 0x00, 0x01, 0x42, 0x08, 0x28, 0x42,
    0x01, 0x00, 0x0b, 0x0b, 0x07, 0x01, 0x01, 0x04, 0x2a, 0x00, 0x00, 0x00};

Test(fuzz_regressions, memory_init_types_destination_by_its_memory) {
    for (int opt = 0; opt <= 2; opt += 2)
        for (int b = 0; b < 2; b++) {
            outcome o = call_export(init64_wasm, sizeof init64_wasm, opt,
                                    b ? W2N_BOUNDS_EXPLICIT : W2N_BOUNDS_GUARD, "init64");
            cr_assert_eq(o.status, W2N_OK, "-O%d", opt);
            cr_expect_eq(o.result.of.i32, 42, "-O%d: %d", opt, o.result.of.i32);
        }
}
