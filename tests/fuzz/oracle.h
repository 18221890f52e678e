/*
 * oracle.h — what w2n-fuzz-run compares, and its second oracle.
 *
 * A run is one instance of a module with every function export called in
 * export order; each export's outcome is text in wabt's words ("i32:5,
 * i64:7", "" for no results) or "trap:" and w2n's trap message, so that
 * w2n, wabt's wasm-interp and the reference interpreter compare as strings.
 */
#ifndef W2N_FUZZ_ORACLE_H
#define W2N_FUZZ_ORACLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>

#include "w2n/runtime.h"

#define MAX_EXPORTS 64

typedef struct outcome {
    char name[32];
    char text[256];
} outcome;

typedef struct run {
    outcome o[MAX_EXPORTS];
    size_t n;
    bool failed; /* could not run at all (invalid, or instantiation failed) */
    char why[256];
} run;

static inline void fuzz_trap_text(char *buf, size_t size, w2n_trap_code code) {
    snprintf(buf, size, "trap:%s", w2n_trap_message(code));
}

/* An uncaught exception is an outcome of its own: "exception:" and its
 * payload, each value as fuzz_number_text writes it (the reference
 * interpreter prints no types). */
#define EXCEPTION_PREFIX "exception:"

/* A payload value: integers in decimal; a float as "nan", as an integer
 * when it is one (the reference interpreter prints 1.0 as "1"), else with
 * 17 significant digits. */
static inline void fuzz_float_text(char *buf, size_t size, double v) {
    if (isnan(v))
        snprintf(buf, size, "nan");
    else if (v == floor(v) && fabs(v) < 9.2e18)
        snprintf(buf, size, "%lld", (long long)v);
    else
        snprintf(buf, size, "%.17g", v);
}

/* Run wasm[0..n) under the reference interpreter `interp` (its wasm.exe),
 * writing scripts to `script_path`; `hint` (w2n's run, or NULL) only saves
 * processes, it never decides an outcome. */
void fuzz_oracle_spec(const char *interp, const char *script_path, const uint8_t *wasm, size_t n,
                      const run *hint, run *r);

#endif
