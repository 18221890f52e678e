/*
 * gen_gc.h — the garbage-collection part of the module generator (gen.c,
 * option `gc`): eight types appended to the type section, five locals in
 * every function, two globals, a helper function, an anyref table, and GC
 * values and statements that gen.c's typed generator mixes into its
 * bodies.
 *
 * The types, from first_type on:
 *   $base    (sub (struct (mut i32)))
 *   $derived (sub $base (struct (mut i32) (mut i64)))
 *   $leaf    (sub final $derived (struct (mut i32) (mut i64) (mut (ref null $base))))
 *   $other   (sub $base (struct (mut i32) i8))        a sibling, for casts that fail
 *   $ints    (array (mut i32))
 *   $bytes   (array (mut i8))
 *   $refs    (array (mut anyref))
 *   $helper  (func (param (ref null $base) i32) (result (ref null $base)))
 * The helper function (after gen.c's) allocates garbage, then a $leaf
 * linked to its argument: a reference live across an allocation in a
 * callee, and one returned.  A table of 4 anyrefs holds references too
 * (a root; index 4 and up are out of bounds).  The locals: (ref null
 * $base), (ref null $ints), anyref, (ref null $refs) and an i32 counter
 * only the allocation loops and list walks use.  The globals: a (ref null
 * $base) made by struct.new and an anyref i31, both mutable (constant
 * expressions of GC; null in modules not `full`).
 *
 * Every length is small (array lengths below 8, loops below 48 trips), so
 * no module allocates without bound; what traps does so in the spec's
 * words: null structure/array/i31 reference, out of bounds array access,
 * cast failure, out of bounds memory access (array.new_data).
 */
#ifndef W2N_FUZZ_GEN_GC_H
#define W2N_FUZZ_GEN_GC_H

#include <stdbool.h>
#include <stdint.h>

#include "mutate.h"

enum {
    FUZZ_GC_TYPES = 8,
    FUZZ_GC_HELPER_TYPE = 7, /* the helper's type, from first_type */
    FUZZ_GC_LOCALS = 5,
    FUZZ_GC_LOCAL_GROUPS = 5,
    FUZZ_GC_GLOBALS = 2
};

/* What the GC generator needs of gen.c's state. */
typedef struct fuzz_gc_gen {
    fuzz_buf *out;         /* the body being generated */
    unsigned first_type;   /* $base's index; the others follow */
    unsigned first_local;  /* the first of the FUZZ_GC_LOCALS locals */
    unsigned first_global; /* the first of the FUZZ_GC_GLOBALS globals */
    unsigned data_segment; /* a passive data segment (array.new_data) */
    unsigned helper_func;  /* the helper's function index */
    unsigned table;        /* the anyref table's index */
    bool full;             /* also array.new_data (and the globals' GC constant
                              expressions): in half of the GC modules, so that a
                              lowering without them still runs the others */
    void *host;            /* gen.c's state, passed to the callbacks */
    /* An i32 or i64 value from gen.c's generator. */
    void (*value)(void *host, uint8_t type, unsigned depth);
    /* Open and close a label no branch of gen.c's may target (around the
     * blocks and loops emitted here, so that its label depths stay right). */
    void (*push_label)(void *host);
    void (*pop_label)(void *host);
} fuzz_gc_gen;

/* The type section entries, the local declarations (FUZZ_GC_LOCAL_GROUPS
 * of them) and the global entries. */
void fuzz_gc_types(fuzz_buf *out, unsigned first_type);
void fuzz_gc_local_decls(fuzz_buf *out, unsigned first_type);
void fuzz_gc_globals(fuzz_buf *out, unsigned first_type, bool full);
/* The helper's entry of the code section, and the anyref table's entry of
 * the table section. */
void fuzz_gc_helper_body(fuzz_buf *code, unsigned first_type);
void fuzz_gc_table(fuzz_buf *out);

/* An i32 or i64 value computed through GC objects (false: none for t). */
bool fuzz_gc_value(fuzz_gc_gen *c, uint8_t t, unsigned depth);
/* A statement that allocates, stores, casts or walks. */
void fuzz_gc_stmt(fuzz_gc_gen *c, unsigned depth);
/* At a function's entry: a list of up to 47 leaves in the $base local (and
 * garbage arrays beside it), so that every call allocates before anything
 * traps, and the list is live through the body's calls. */
void fuzz_gc_prologue(fuzz_gc_gen *c);

#endif
