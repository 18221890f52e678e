/*
 * compare.h — `w2n compare`: one module under w2n and under every other
 * engine found, outputs checked against each other, times side by side.
 *
 * cmd_compare.c reads the command line and runs the rounds;
 * compare_engines.c knows each engine (how to find it, its command line, how
 * to read what it prints); compare_spawn.c runs one command and times it;
 * compare_report.c prints the table, the JSON and the SVG chart.
 */
#ifndef W2N_COMPARE_H
#define W2N_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "w2n/types.h"

#define CMP_MAX_ENGINES 12
#define CMP_MAX_RUNS 100
#define CMP_MAX_ARGV 256

/* What to run: a WASI command (its _start, with program arguments) or one
 * export with arguments. */
typedef struct cmp_job {
    bool invoke;             /* else WASI */
    const char *wasm;        /* the module */
    const char *object;      /* the module compiled by w2n */
    const char *export_name; /* invoke only */
    char **args;             /* program arguments (WASI) or the export's (invoke) */
    int nargs;
    char **dirs; /* --dir: preopened as themselves (WASI) */
    int ndirs;
    w2n_valtype params[CMP_MAX_ARGV], results[CMP_MAX_ARGV]; /* invoke only */
    uint32_t nparams, nresults;
    const char *wasm_one_export; /* invoke: a copy exporting that function only */
    const char *self;            /* this w2n executable */
    const char *node_runner;     /* the JavaScript file node runs */
} cmp_job;

typedef struct cmp_engine cmp_engine;

/* One command line for `job`, or NULL with *why set when the engine cannot
 * run it (wabt's interpreter cannot pass arguments to an export). */
typedef const char *cmp_argv_fn(const cmp_engine *e, const cmp_job *job, const char **argv,
                                int max);

struct cmp_engine {
    char name[48];     /* "w2n", "node", "wasm-interp", or the user's */
    char program[512]; /* path, or words split at spaces (--engine) */
    char version[64];
    cmp_argv_fn *argv_for;
    /* Invoke results: the export's line of `--run-all-exports` output with
     * floats printed as %f (wabt); else one value per line. */
    bool wabt_results;
};

/* Every engine this machine has, w2n first: w2n (always), node, wasm-interp,
 * wasmtime, iwasm, wasm3 when on PATH.  Returns the count. */
int cmp_engines_find(const char *self, cmp_engine *out, int max);
/* A user's engine NAME=PROGRAM: run as PROGRAM [--invoke NAME] MODULE ARGS,
 * the command line of `w2n run`.  False on a malformed spec. */
bool cmp_engine_custom(const char *spec, cmp_engine *out);

/* The results of an invoke in the form `w2n run --invoke` prints them (one
 * per line: signed integers, shortest round-trip floats, "nan"), from what
 * engine `e` printed; false when the output does not hold them all.  Floats
 * printed with %f (wabt) come back with six decimals; cmp_results_equal
 * then compares at that precision. */
bool cmp_results_normalize(const cmp_engine *e, const cmp_job *job, const char *out, char *buf,
                           size_t size);
bool cmp_results_equal(const cmp_job *job, const char *reference, const char *other,
                       bool six_decimals);

/* A copy of `wasm` whose exports are the function `name` and every export
 * that is not a function (malloc'd); false on a malformed module. */
bool cmp_module_one_export(const uint8_t *wasm, size_t size, const char *name, uint8_t **out,
                           size_t *out_size);

/* One finished command. */
typedef struct cmp_outcome {
    double seconds; /* wall time, fork to exit */
    int status;     /* exit status, or 128 + signal */
    bool timed_out;
    char *out; /* stdout, NUL-terminated (malloc) */
    size_t out_len;
    char err_tail[256]; /* the last line of stderr, for messages */
} cmp_outcome;

/* Run argv (argv[0] looked up on PATH) with stdin from /dev/null; kill it
 * after `timeout` seconds.  False when it could not be started. */
bool cmp_spawn(const char *const *argv, double timeout, cmp_outcome *out);
void cmp_outcome_free(cmp_outcome *o);

/* What one engine did over the rounds. */
typedef struct cmp_row {
    cmp_engine engine;
    const char *skipped;   /* non-NULL: why it did not run */
    char skip_reason[200]; /* what skipped points to, when made up */
    bool agrees;           /* output and exit status equal w2n's */
    char mismatch[256];    /* otherwise, the first difference */
    double total[CMP_MAX_RUNS], startup[CMP_MAX_RUNS];
    int nruns;
    double total_median, startup_median, run_median; /* run = total - start-up, >= 0 */
} cmp_row;

typedef struct cmp_summary {
    const cmp_job *job;
    int runs;
    double compile_seconds; /* w2n compile, not part of any row */
    const char *target;
    int opt_level;
    cmp_row rows[CMP_MAX_ENGINES];
    int nrows;
    bool all_agree;
} cmp_summary;

void cmp_report_text(const cmp_summary *s, FILE *out);
bool cmp_report_json(const cmp_summary *s, const char *path);
bool cmp_report_svg(const cmp_summary *s, const char *path);

double cmp_median(const double *v, int n);

#endif
