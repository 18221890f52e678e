/*
 * run_args.h — the pure parts of the `run` command line: option parsing,
 * and reading and printing Wasm values for --invoke.  No runtime calls, so
 * they are unit-tested on their own.
 *
 * Value formats (--invoke arguments and printed results):
 *   i32, i64   decimal, optionally signed, or 0x hex; arguments may be given
 *              signed or unsigned (0xffffffff and -1 are the same i32);
 *              results print as signed decimal
 *   f32, f64   C decimal or hex float, "nan", "inf", "-inf"; results print
 *              with enough digits to read back the same value (%.9g / %.17g)
 *   v128       32 hex digits (optional 0x) of the 128-bit value, most
 *              significant first (byte 0 of the vector is the last two
 *              digits); results print the same way with 0x
 *   funcref, externref   only "null" as an argument; results print "null" or
 *              "ref"
 */
#ifndef W2N_RUN_ARGS_H
#define W2N_RUN_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "compile_budget.h"
#include "w2n/compiler_flags.h"
#include "w2n/runtime.h"

typedef struct w2n_run_options {
    const char **dirs; /* "HOST[::GUEST]" */
    int ndirs;
    const char **envs; /* "K=V" as given */
    int nenvs;
    bool inherit_env;
    bool time_instantiate;   /* measure load and instantiate, run nothing */
    const char *invoke;      /* NULL: run as a WASI command */
    size_t stack_size;       /* 0: the store's default */
    bool no_huge_pages;      /* linear memories without transparent huge pages */
    bool perf_map;           /* name the code for perf in /tmp/perf-PID.map */
    bool gc_stats;           /* print the GC heap's figures on stderr at the end */
    const char *trust;       /* public key file: run only objects it signed */
    w2n_store_limits limits; /* --max-memory, --max-table-elements, --max-gc-heap (0: none) */
    uint64_t max_open_files; /* --max-open-files (0: WASI's default) */
    double timeout;          /* --timeout seconds; 0: none */
    uint64_t fuel;           /* --fuel budget, when has_fuel */
    bool has_fuel;
    w2n_huge_pages huge_pages; /* --huge-pages=WHERE; DEFAULT: the store's choice */
    w2n_bounds_mode bounds;
    w2n_compile_budget compile_budget; /* for a .wasm compiled in-process (w2n run) */
    const char *wasm_features;         /* --wasm-features LIST for compiling a .wasm, or NULL */
    bool help;
    bool version; /* --version: print it, run nothing */
    const char *file;
    const uint8_t *embedded; /* the object itself, in an --exe executable: FILE is */
    size_t embedded_size;    /* then only its name (argv[0]) and nothing is read */
    int nargs;               /* program arguments after FILE */
    char **args;
} w2n_run_options;

/* The store options the run options ask for. */
static inline w2n_store_options w2n_run_store_options(const w2n_run_options *o) {
    return (w2n_store_options){.stack_size = o->stack_size,
                               .no_huge_pages = o->no_huge_pages,
                               .limits = o->limits,
                               .huge_pages = o->huge_pages};
}

/* Parse argv[1..argc-1].  On failure returns false with a one-line
 * message in msg.  Free with w2n_run_options_free. */
bool w2n_run_parse(int argc, char **argv, w2n_run_options *out, char *msg, size_t msg_size);
void w2n_run_options_free(w2n_run_options *opts);
void w2n_run_usage(FILE *out, const char *prog, bool can_compile);

/* Parse text as a value of type t; false when it is not one. */
bool w2n_run_parse_value(const char *text, w2n_valtype t, w2n_value *out);
/* Print a value as the formats above say, into buf. */
void w2n_run_format_value(const w2n_value *v, char *buf, size_t size);

#endif
