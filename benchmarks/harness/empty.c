/* empty.c: the smallest module the runner builds: only the nop() export of
 * wasm_nop.c.  Its load + instantiate time is the baseline that is
 * subtracted from every benchmark's. */
/* intentionally empty: ISO C wants a declaration */
typedef int w2n_bench_empty_translation_unit;
