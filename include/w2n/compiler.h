/*
 * w2n/compiler.h — validate and compile Wasm modules to relocatable objects.
 *
 *     w2n_compile_options opts;
 *     w2n_compile_options_init(&opts);          // x86_64, -O2, guard pages
 *     opts.target = "aarch64-linux-gnu";
 *     uint8_t *obj; size_t obj_size; w2n_error err;
 *     if (w2n_compile(wasm, wasm_size, &opts, &obj, &obj_size, &err) != W2N_OK)
 *         fprintf(stderr, "offset 0x%llx: %s\n", (unsigned long long)err.offset, err.message);
 *     ...
 *     free(obj);
 *
 * The output is byte-identical for the same input and options on every host.
 */
#ifndef W2N_COMPILER_H
#define W2N_COMPILER_H

#include "w2n/api.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "w2n/compiler_flags.h"
#include "w2n/error.h"
#include "w2n/features.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the compiler did to a module, for `w2n compile --stats` and tests. */
typedef struct w2n_compile_stats {
    uint32_t loops_versioned;   /* innermost loops lowered with a fast version as well */
    uint32_t loops_checked;     /* of those, loops whose fast version a range check can pick */
    uint32_t accesses_covered;  /* memory accesses whose bounds the range checks cover */
    uint32_t tail_calls;        /* return_call and return_call_indirect instructions */
    uint32_t tail_calls_unsure; /* of those, calls LLVM may make ordinary calls: a
                                   signature the target cannot surely tail-call (docs/abi.md) */
    uint32_t partitions;        /* parts the module was compiled in (1: not split) */
    uint32_t many_functions;    /* defined functions, when more than W2N_OPT_MAX_MODULE_FUNCTIONS
                                   made it take the short pipeline and -O0 back end; else 0 */
    uint32_t loops_separated;   /* fast versions whose range check also proves their groups
                                   of accesses apart (alias scopes, loops/loop_alias.c) */
} w2n_compile_stats;

typedef struct w2n_compile_options {
    const char *target;         /* triple: "x86_64-linux-gnu" (default), "aarch64-linux-gnu",
                                "riscv64-linux-gnu"; the short arch names also work */
    const char *cpu;            /* NULL or "" = the target's portable baseline */
    const char *features;       /* LLVM feature string such as "+avx2,+bmi2"; NULL = none */
    int opt_level;              /* 0..3, default 2 */
    w2n_bounds_mode bounds;     /* default W2N_BOUNDS_GUARD */
    bool interruptible;         /* check vmctx->interrupt at loop headers and callers' entries */
    bool fuel;                  /* count executed instructions in *vmctx->fuel, trap at < 0 */
    w2n_compile_stats *stats;   /* NULL, or filled in by a successful w2n_compile */
    w2n_features wasm_features; /* proposals the module may use; default: all w2n implements */
    unsigned threads;           /* threads for a large module's partitions; 0 or 1: one.  The
                                   object is the same whatever the number */
    unsigned partitions;        /* 0: as the module's size says (compiler/emit/partition.h);
                                   N: split into N (at most one per function), for tests */
    bool debug_info;            /* -g: DWARF line tables from the module's own (or Wasm
                                   offsets), docs/debugging.md */
    bool exiting;               /* the caller exits right after this compile (`w2n compile`
                                   of one input): LLVM's contexts are left to the exit, not
                                   freed value by value; a caller that goes on leaves it false */
} w2n_compile_options;

/* Defaults: x86_64-linux-gnu, baseline CPU, -O2, guard pages, not interruptible. */
W2N_API void w2n_compile_options_init(w2n_compile_options *opts);

/* Decode and validate.  W2N_OK, or W2N_ERR_MALFORMED / W2N_ERR_INVALID with the
 * byte offset of the fault and the spec's words for it, or W2N_ERR_UNSUPPORTED
 * for a valid module that uses a feature w2n lacks (w2n/features.h). */
W2N_API w2n_status w2n_validate(const uint8_t *wasm, size_t size, w2n_error *err);

/* The same, allowing only the features in `features`. */
W2N_API w2n_status w2n_validate_features(const uint8_t *wasm, size_t size, w2n_features features,
                                         w2n_error *err);

/* Validate, then compile to an ELF relocatable object in a malloc'd buffer. */
W2N_API w2n_status w2n_compile(const uint8_t *wasm, size_t size, const w2n_compile_options *opts,
                               uint8_t **out_object, size_t *out_size, w2n_error *err);

#ifdef __cplusplus
}
#endif
#endif
