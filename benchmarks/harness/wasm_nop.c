/* wasm_nop.c: an empty export linked into every benchmark's wasm module
 * (kernels and WASI programs).  Invoking it costs nothing beyond loading and
 * instantiating the module, so `w2n-run --invoke nop OBJ` measures exactly
 * that (minus process start-up, which the runner subtracts using empty.c). */
__attribute__((export_name("nop"))) void nop(void) {}
