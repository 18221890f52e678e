/*
 * runner.h — the spec-test runner w2n-spectest: shared types of its files.
 *
 * The runner executes one converted .wast script against the runtime API.
 * The Python driver (spec-tests/run) writes the script as a line-based
 * command file (grammar in README.md and script.c); the runner answers each
 * command with one result line on stdout.  It links only w2n_runtime so that
 * it cross-builds for the edge targets and runs under qemu.
 *
 * Files: main.c (arguments, the command loop, module registry),
 * script.c (tokens, strings, values, expectations), values.c (comparison
 * with NaN classes and lane shapes, formatting), gc_values.c (GC
 * references: handles made for arguments, results judged by what they
 * name), spectest_host.c (the "spectest" module), selftest.c and
 * selftest_gc.c (--self-test).
 */
#ifndef W2N_SPECTEST_RUNNER_H
#define W2N_SPECTEST_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "w2n/runtime.h"

/* A value as the script writes it: argument or expected result. */
typedef enum spec_pattern {
    SPEC_EXACT = 0,      /* compare bits (or reference identity) */
    SPEC_NAN_CANONICAL,  /* f32/f64: any canonical NaN */
    SPEC_NAN_ARITHMETIC, /* f32/f64: any NaN with the quiet bit set */
    SPEC_REF_NULL,       /* a null of the type's hierarchy */
    SPEC_REF_NONNULL,    /* any non-null reference of the type (for GC types: whose
                            dynamic type is the type or below it: i31ref:nonnull) */
    SPEC_REF_ANY_NULL,   /* "ref:null", the script's bare (ref.null): null of any type */
    SPEC_REF_HOST        /* "hostref:N", (ref.host N): the anyref of host value N */
} spec_pattern;

/* Lane shapes of an expected v128: lanes compare one by one so that a
 * float lane may be a NaN class. */
typedef enum spec_shape {
    SPEC_SHAPE_NONE = 0, /* compare all 16 bytes */
    SPEC_SHAPE_I8,
    SPEC_SHAPE_I16,
    SPEC_SHAPE_I32,
    SPEC_SHAPE_I64,
    SPEC_SHAPE_F32,
    SPEC_SHAPE_F64
} spec_shape;

#define SPEC_MAX_LANES 16

typedef struct spec_value {
    w2n_valtype type;
    spec_pattern pattern;                 /* scalars and references */
    uint64_t bits;                        /* i32/i64/f32/f64 bits; externref host value */
    uint8_t v128[16];                     /* memory order, lane 0 first */
    spec_shape shape;                     /* expected v128 only */
    uint8_t lane_pattern[SPEC_MAX_LANES]; /* spec_pattern of each lane */
} spec_value;

/* ---- script.c --------------------------------------------------------------
 * Tokens are separated by single spaces.  Strings (names, paths, messages)
 * are "x" followed by the hex of their bytes, so that any byte (spaces,
 * newlines, invalid UTF-8 in names.wast) travels intact; "-" means none. */

typedef struct spec_cursor {
    char *next; /* rest of the line, NUL-terminated */
} spec_cursor;

/* The next space-separated token, or NULL at the end of the line. */
char *spec_token(spec_cursor *cur);
/* Decode an "x<hex>" string into a fresh NUL-terminated buffer (*len gets
 * its length, embedded NULs included); "-" gives *out = NULL.  false on a
 * malformed token. */
bool spec_parse_string(const char *tok, char **out, size_t *len);
/* Parse "type:payload" (see README.md) as an argument (patterns not allowed)
 * or an expected value (NaN classes, lane shapes, null/nonnull allowed). */
bool spec_parse_value(const char *tok, bool expected, spec_value *out);

/* ---- values.c ----------------------------------------------------------- */

/* Encode an externref host value: N becomes a non-null pointer distinct
 * from every other N (ref.extern 0 is not null). */
void *spec_extern_ref(uint64_t n);
/* Turn a parsed argument into a runtime value (not a hostref: see
 * spec_arg_to_runtime). */
w2n_value spec_to_runtime(const spec_value *v);
/* Any parsed argument, hostrefs included (they become handles the caller
 * releases with the store's current GC scope); false with *err when the
 * store cannot make one. */
bool spec_arg_to_runtime(w2n_store *store, const spec_value *v, w2n_value *out, w2n_error *err);
/* Does the actual result match the expected pattern?  `store` (the one
 * that made the result) is needed only for GC references and may be NULL
 * otherwise. */
bool spec_value_matches(w2n_store *store, const spec_value *expected, const w2n_value *actual);
bool spec_f32_is_canonical_nan(uint32_t bits);
bool spec_f32_is_arithmetic_nan(uint32_t bits);
bool spec_f64_is_canonical_nan(uint64_t bits);
bool spec_f64_is_arithmetic_nan(uint64_t bits);
/* Does an error or trap message match the script's text?  Yes when the
 * expected text is a prefix of the actual one (as the reference interpreter
 * matches), or the actual text is a whole-word prefix of the expected one. */
bool spec_message_matches(const char *expected, const char *actual);
/* Write "type:payload" for a runtime value (results in failure messages);
 * `store` as for spec_value_matches. */
void spec_format_value(w2n_store *store, const w2n_value *v, char *buf, size_t size);
/* Write an expected value in the same syntax as the script. */
void spec_format_expected(const spec_value *v, char *buf, size_t size);

/* ---- gc_values.c: references of the `any` hierarchy ------------------------- */

/* Is t a type whose values may be GC handles: the any hierarchy, or a
 * concrete type (the runtime's concrete types do not say their hierarchy;
 * a script that expects a GC value of one says it for them). */
bool spec_gc_may_hold(w2n_valtype t);
/* An expected value of the any hierarchy (or ref:null) against a result. */
bool spec_gc_value_matches(w2n_store *store, const spec_value *e, const w2n_value *a);
/* "i31ref:2a", "structref:nonnull", "hostref:3", "anyref:null" for a result
 * of the any hierarchy. */
void spec_gc_format_value(w2n_store *store, const w2n_value *v, char *buf, size_t size);
/* A global's value as w2n_global_get gives it (a GC reference as its raw
 * word) turned into what w2n_func_call gives (a handle); false on NOMEM. */
bool spec_gc_global_value(w2n_store *store, w2n_value *v);

/* ---- spectest_host.c ------------------------------------------------------ */

/* Define the "spectest" host module (print*, global_*, table, memory) in
 * the linker; its memory is made for code compiled with `mode`. */
w2n_status spec_define_spectest(w2n_linker *linker, w2n_store *store, w2n_bounds_mode mode,
                                w2n_error *err);

/* ---- exec.c: the state of one script and its commands ------------------------ */

typedef struct spec_named {
    char *name;
    w2n_instance *inst; /* NULL once its definition failed */
} spec_named;

typedef struct spec_runner {
    w2n_store *store;
    w2n_linker *linker;
    w2n_bounds_mode mode;
    w2n_instance *current; /* the last module defined, or NULL */
    spec_named *named;
    size_t nnamed, named_cap;
    w2n_object **objects; /* every object loaded; freed at the end */
    size_t nobjects, objects_cap;
} spec_runner;

/* The outcome of one command: pass, pass with a message that differs from
 * the expected text (reported, not failed), or fail. */
typedef enum spec_outcome {
    SPEC_PASS,
    SPEC_PASS_MESSAGE,
    SPEC_FAIL
} spec_outcome;

w2n_status spec_runner_init(spec_runner *r, w2n_bounds_mode mode, size_t stack_size,
                            w2n_error *err);
void spec_runner_fini(spec_runner *r);
/* Execute one command line (after its id); write a one-line detail to msg. */
spec_outcome spec_runner_exec(spec_runner *r, char *line, char *msg, size_t msg_size);

/* ---- selftest.c -------------------------------------------------------------- */

/* Check parsing and comparison; prints failures to stderr, returns the
 * number of failed checks. */
int spec_self_test(void);
/* Count and report a failed check (selftest.c keeps the count). */
void spec_self_check(bool ok, const char *file, int line, const char *what);
#define SPEC_CHECK(cond) spec_self_check((cond), __FILE__, __LINE__, #cond)
/* selftest_gc.c: the same for GC values, against objects the runtime's C
 * API makes; failures go to spec_self_check. */
void spec_self_test_gc(void);

#endif
