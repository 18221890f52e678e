/*
 * gen.h — a generator of random *valid* Wasm modules for the fuzz drivers.
 *
 *     fuzz_buf m = {0};
 *     fuzz_gen_options o = {.deterministic = true};
 *     fuzz_gen_module(&m, &o);           // uses fuzz_rnd() from mutate.h
 *
 * Modules have no imports, one memory (1..2 pages), one funcref table holding
 * every function, a few globals, active and passive data, and functions whose
 * bodies come from a typed stack generator: integer and float arithmetic,
 * conversions, loads and stores, bulk memory, table and reference
 * instructions, SIMD (with `simd`), select, nested block/loop/if (also with
 * parameters and several results),
 * br/br_if/br_table/return,
 * direct and indirect calls, and traps (division, conversion, bounds,
 * unreachable, indirect call signature).
 *
 * Every run terminates: global 0 is a fuel counter that each function entry
 * and each loop iteration decrements, trapping with `unreachable` when it is
 * exhausted, so neither loops nor recursion run for long.
 *
 * With `deterministic`, nothing whose result the spec leaves open is
 * observable: no float-to-int reinterpretation, no float stores, no copysign
 * (the sign of a NaN), no float SIMD arithmetic or float lanes put into a
 * vector, so two correct engines must agree
 * on every export's result or trap.  The exports are then only the functions
 * whose parameters and results are all i32/i64, named "f<index>".
 * `floats` (with deterministic) lets in signalling NaNs and what of float
 * bits the spec fixes: exact bits where instructions pass them through,
 * the quiet bit of an arithmetic NaN (gen.c, observe_float).
 *
 * The Wasm 3.0 options each apply to about half of the modules:
 * `tail_calls` adds return_call and return_call_indirect (through the table
 * of every function; the fuel in global 0 bounds tail-call cycles as it
 * bounds recursion); `multi_memory` gives a module two or three memories,
 * with loads, stores, memory.size/grow/fill/init and memory.copy between
 * them; `memory64` makes some memories 64-bit (i64 addresses, offsets and
 * addresses near the end of memory and past 2^32, out-of-bounds traps);
 * `extended_const` builds global initialisers and segment offsets from
 * add/sub/mul and global.get.  wabt's wasm-interp does not run such
 * modules: fuzz_gen_used_wasm3() says whether the last one needs an oracle
 * that does (the reference interpreter).
 *
 * Four more options, each in about half of the modules, draw no numbers
 * when off (so older seeds replay): `exceptions` adds tags with payloads,
 * throw (under conditions, so throws cross calls), nested try_table with
 * the four catch kinds, exnrefs kept in a local, rethrown by throw_ref here
 * or by a rethrower function, and an exnref global that stays null;
 * `func_refs` calls one function type through (ref null $t) values in a
 * local, a global and a typed table (call_ref, return_call_ref,
 * ref.as_non_null, br_on_null, br_on_non_null, null ones too); both are 3.0
 * features.  `gc` (a 3.0 feature too) adds a struct hierarchy with
 * subtyping, arrays of i32, i8 and anyref, i31s and casts, in locals,
 * globals and allocation loops (gen_gc.h).  `atomics` (exclusive of the
 * others and of the 3.0 options:
 * wabt is its oracle) makes memory 0 shared or not and uses every 0xFE
 * instruction; fuzz_gen_wabt_twin() is the module to give wabt instead.
 */
#ifndef W2N_FUZZ_GEN_H
#define W2N_FUZZ_GEN_H

#include <stdbool.h>

#include "mutate.h"

typedef struct fuzz_gen_options {
    bool deterministic; /* see above */
    bool no_params;     /* exported functions take no parameters */
    bool simd;          /* about half of the modules also use v128 */
    unsigned max_funcs; /* 0 = default (5) */
    unsigned fuel;      /* 0 = default (1000) */
    bool tail_calls;    /* Wasm 3.0 options: see above */
    bool multi_memory;
    bool memory64;
    bool extended_const;
    bool exceptions;  /* tags, throw, try_table, throw_ref, exnref (see above) */
    bool func_refs;   /* call_ref, return_call_ref, br_on_null, ... */
    bool atomics;     /* a shared (or unshared) memory 0 and every 0xFE instruction */
    bool gc;          /* structs, arrays, i31, casts, allocation loops (gen_gc.h) */
    bool loop_shapes; /* nests of counted loops over rows, columns and cells (gen.c) */
    bool floats;      /* with deterministic: signalling NaNs, and float bits observed (gen.c) */
} fuzz_gen_options;

/* Replace m's contents with a fresh module. */
void fuzz_gen_module(fuzz_buf *m, const fuzz_gen_options *o);

/* Whether the last module generated uses a Wasm 3.0 feature. */
bool fuzz_gen_used_wasm3(void);
/* Whether the last module generated uses GC (--gc). */
bool fuzz_gen_used_gc(void);

/* For the last module when it uses atomics, the module to give wabt's
 * wasm-interp instead (NULL otherwise): the same but for the atomic
 * instructions wabt does not run or reports in other words (gen.c,
 * atomic_twin_check and wait_notify). */
const fuzz_buf *fuzz_gen_wabt_twin(void);

#endif
