/*
 * compile_budget.h — compiling under a memory and CPU-time budget.
 *
 *     w2n_compile_budget b = {.max_memory = 1u << 30, .max_seconds = 60};
 *     if (w2n_compile_budgeted(wasm, size, &opts, &b, &obj, &obj_size, &err) != W2N_OK)
 *         ... err.code is W2N_ERR_LIMIT when a budget ran out ...
 *
 * With a budget, the compile runs in a forked child under setrlimit
 * (RLIMIT_AS: the child's address space may grow by max_memory over what it
 * had; RLIMIT_CPU: max_seconds of CPU) and sends the object back through a
 * pipe, so an exhausted budget ends the child and never the caller, whatever
 * state LLVM was in.  Zero in a field means no budget on it; both zero
 * compiles in-process.  Used by `w2n compile` and by `w2n run`.
 */
#ifndef W2N_COMPILE_BUDGET_H
#define W2N_COMPILE_BUDGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "w2n/error.h"

typedef struct w2n_compile_budget {
    uint64_t max_memory;  /* bytes of address space the compile may add; 0: none */
    uint64_t max_seconds; /* CPU seconds; 0: none */
} w2n_compile_budget;

/* w2n run's defaults: room for the largest real modules, not for a hostile one. */
#define W2N_RUN_DEFAULT_COMPILE_MEMORY (4ull << 30)
#define W2N_RUN_DEFAULT_COMPILE_SECONDS 120u

/* Parse "--max-compile-memory=BYTES" (K, M, G suffixes; 0 = none) or
 * "--max-compile-time=SECONDS" (CPU seconds; 0 = none) into *b.  Returns 1
 * when `arg` is one of them and parsed, 0 when it is neither, -1 (message in
 * msg) when its value is bad.  Defined in run_args.c, beside the
 * other run options; `w2n compile` parses them with it too. */
int w2n_compile_budget_option(const char *arg, w2n_compile_budget *b, char *msg, size_t msg_size);

struct w2n_compile_options;
w2n_status w2n_compile_budgeted(const uint8_t *wasm, size_t size,
                                const struct w2n_compile_options *opts,
                                const w2n_compile_budget *budget, uint8_t **out_object,
                                size_t *out_size, w2n_error *err);

#endif
