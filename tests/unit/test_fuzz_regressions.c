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
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x09, 0x02, 0x60,
  0x00, 0x01, 0x7f, 0x60, 0x00, 0x01, 0x7e, 0x03, 0x07, 0x06, 0x00, 0x00,
  0x01, 0x00, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x3f, 0x06,
  0x07, 0x64, 0x72, 0x6f, 0x70, 0x70, 0x65, 0x64, 0x00, 0x00, 0x07, 0x77,
  0x72, 0x61, 0x70, 0x70, 0x65, 0x64, 0x00, 0x01, 0x06, 0x6d, 0x61, 0x73,
  0x6b, 0x65, 0x64, 0x00, 0x02, 0x05, 0x6c, 0x61, 0x6e, 0x65, 0x30, 0x00,
  0x03, 0x0a, 0x62, 0x65, 0x66, 0x6f, 0x72, 0x65, 0x5f, 0x64, 0x69, 0x76,
  0x00, 0x04, 0x09, 0x73, 0x69, 0x6d, 0x64, 0x5f, 0x6c, 0x6f, 0x61, 0x64,
  0x00, 0x05, 0x0a, 0x54, 0x06, 0x0c, 0x00, 0x41, 0xfe, 0xff, 0x03, 0x28,
  0x02, 0x00, 0x1a, 0x41, 0x07, 0x0b, 0x0a, 0x00, 0x41, 0xfc, 0xff, 0x03,
  0x29, 0x03, 0x00, 0xa7, 0x0b, 0x0d, 0x00, 0x41, 0xff, 0xff, 0x03, 0x29,
  0x03, 0x00, 0x42, 0xff, 0x01, 0x83, 0x0b, 0x0d, 0x00, 0x41, 0xfa, 0xff,
  0x03, 0xfd, 0x00, 0x04, 0x00, 0xfd, 0x1b, 0x00, 0x0b, 0x12, 0x00, 0x41,
  0xb8, 0x12, 0x34, 0x02, 0xdc, 0xc2, 0x91, 0xd5, 0x0f, 0x42, 0x00, 0x7f,
  0x1a, 0x42, 0x00, 0x0b, 0x0b, 0x00, 0x41, 0x00, 0xfd, 0x00, 0x04, 0x00,
  0xfd, 0x1b, 0x01, 0x0b, 0x0b, 0x0e, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x08,
  0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08
};

typedef struct outcome {
    w2n_status status;       /* of the call */
    w2n_trap_code trap;
    w2n_value result;
} outcome;

/* Compile with (opt, bounds), instantiate, call `name` (no parameters, one result). */
static outcome call_export(const uint8_t *wasm, size_t size, int opt, w2n_bounds_mode bounds,
                           const char *name) {
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    opts.opt_level = opt;
    opts.bounds = bounds;
    uint8_t *obj;
    size_t obj_size;
    w2n_error err;
    cr_assert_eq(w2n_compile(wasm, size, &opts, &obj, &obj_size, &err), W2N_OK, "compile: %s",
                 err.message);
    w2n_object *o;
    cr_assert_eq(w2n_object_load(obj, obj_size, &o, &err), W2N_OK, "load: %s", err.message);
    free(obj);
    w2n_store *store = w2n_store_new(NULL);
    w2n_linker *linker = w2n_linker_new(store);
    w2n_instance *inst;
    w2n_trap trap;
    cr_assert_eq(w2n_linker_instantiate(linker, o, &inst, &trap, &err), W2N_OK, "instantiate: %s",
                 err.message);
    w2n_extern fn;
    cr_assert_eq(w2n_instance_export(inst, name, &fn), W2N_OK, "no export %s", name);
    outcome out = {0};
    memset(&trap, 0, sizeof trap);
    out.status = w2n_func_call(store, fn.of.func, NULL, 0, &out.result, 1, &trap, &err);
    out.trap = trap.code;
    w2n_linker_free(linker);
    w2n_store_free(store);
    w2n_object_free(o);
    return out;
}

static void expect_oob_everywhere(const char *name) {
    for (int opt = 0; opt <= 2; opt += 2)
        for (int b = 0; b < 2; b++) {
            w2n_bounds_mode bounds = b ? W2N_BOUNDS_EXPLICIT : W2N_BOUNDS_GUARD;
            outcome o = call_export(loads_wasm, sizeof loads_wasm, opt, bounds, name);
            cr_expect_eq(o.status, W2N_ERR_TRAP, "%s -O%d %s: no trap", name, opt,
                         b ? "explicit" : "guard");
            cr_expect_eq(o.trap, W2N_TRAP_MEMORY_OOB, "%s -O%d %s: trap %d, not memory OOB", name,
                         opt, b ? "explicit" : "guard", o.trap);
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
