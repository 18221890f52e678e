/*
 * w2n/limits.h — the implementation limits of the compiler, in one place.
 *
 * The spec lets an implementation refuse modules past limits of its own.
 * w2n's are those of the major browser engines (the JS embedding's limits,
 * which V8 and SpiderMonkey enforce), so no module that runs in a browser is
 * refused, and each bounds a dimension along which compile time or memory
 * would otherwise grow without end.  A module past one fails to decode with
 * W2N_ERR_LIMIT and "WHAT: N exceeds w2n's limit of L" at the offset of the
 * count (exit status 4 in the tools).  docs/security.md lists them.
 *
 * W2N_OPT_* are not refusals: a function past one is compiled without
 * optimisation (its own -O0), so that one huge function cannot make -O2
 * compile time grow faster than its size.
 */
#ifndef W2N_LIMITS_H
#define W2N_LIMITS_H

#define W2N_LIMIT_MODULE_BYTES (1024u * 1024u * 1024u) /* whole .wasm: 1 GiB */
#define W2N_LIMIT_TYPES 1000000u
#define W2N_LIMIT_FUNC_PARAMS 1000u
#define W2N_LIMIT_FUNC_RESULTS 1000u
#define W2N_LIMIT_STRUCT_FIELDS 10000u /* fields of one struct type (GC) */
#define W2N_LIMIT_IMPORTS 100000u
#define W2N_LIMIT_FUNCTIONS 1000000u /* defined and imported together */
#define W2N_LIMIT_TABLES 100000u
#define W2N_LIMIT_MEMORIES 100u /* defined and imported together */
#define W2N_LIMIT_GLOBALS 1000000u
#define W2N_LIMIT_TAGS 1000000u /* defined and imported together */
#define W2N_LIMIT_EXPORTS 100000u
#define W2N_LIMIT_ELEM_SEGMENTS 100000u
#define W2N_LIMIT_ELEM_ITEMS 10000000u /* in one element segment */
#define W2N_LIMIT_DATA_SEGMENTS 100000u
#define W2N_LIMIT_CONST_EXPR_OPS 1000u     /* instructions of one extended constant expression */
#define W2N_LIMIT_BODY_BYTES 7654321u      /* one function body */
#define W2N_LIMIT_FUNC_LOCALS 50000u       /* declared locals of one function */
#define W2N_LIMIT_MODULE_LOCALS (1u << 24) /* declared locals of all functions */
#define W2N_LIMIT_BR_TABLE 65520u          /* entries of one br_table */
#define W2N_LIMIT_NESTING 100000u          /* open block/loop/if in one function */

/* Past these a function is compiled without optimisation. */
#define W2N_OPT_MAX_BODY_BYTES (64u * 1024u) /* body size */
#define W2N_OPT_MAX_BR_TABLE_ENTRIES 4096u   /* br_table entries in the body */
/* call_indirect reads a table nothing can change as constant arrays of code,
 * one per table and call type (compiler/lower/lower_table_known.c), only up
 * to these sizes: a hostile module must not make the object huge. */
#define W2N_OPT_MAX_KNOWN_TABLE 65536u          /* elements of the table */
#define W2N_OPT_MAX_KNOWN_TABLE_ARRAYS 256u     /* (table, type) arrays of one partition */
#define W2N_OPT_MAX_KNOWN_TABLE_CODE (1u << 20) /* elements of all those arrays */
/* Past this many defined functions a module gets a short IR pipeline and
 * LLVM's -O0 back end (compiler/emit/opt_budget.c). */
#define W2N_OPT_MAX_MODULE_FUNCTIONS 10000u

#endif
