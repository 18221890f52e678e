/* wasm_entry.c: extra exports linked into every kernel's wasm module.
 *
 * bench(): run(bench_n) with no arguments, for engines that can only call
 * argument-less exports (wabt's wasm-interp --run-all-exports).  bench_n is
 * volatile and set at build time (-DBENCH_N=...), so the compiler cannot fold
 * it into run(); this file is a separate translation unit, so run() itself is
 * compiled exactly as in every other build.
 * (The empty export nop() used to time load + instantiate is in wasm_nop.c.)
 */
#include <stdint.h>

#ifndef BENCH_N
#define BENCH_N 1
#endif

uint32_t run(uint32_t n);

static volatile uint32_t bench_n = BENCH_N;

__attribute__((export_name("bench"))) uint32_t bench(void) { return run(bench_n); }
