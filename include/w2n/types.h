/*
 * w2n/types.h — Wasm types shared by the compiler, the runtime and its API.
 * Value types use the Wasm binary codes (enum w2n_valtype_code in abi.h).
 */
#ifndef W2N_TYPES_H
#define W2N_TYPES_H

#include "w2n/api.h"

#include <stdbool.h>
#include <stdint.h>

#include "w2n/abi.h"

typedef uint8_t w2n_valtype; /* enum w2n_valtype_code */

/* The text-format name: "i32", "i64", "f32", "f64", "v128", "funcref",
 * "externref", "exnref"; "unknown" for any other byte. */
W2N_API const char *w2n_valtype_name(w2n_valtype type);

/* Is `type` a reference type (funcref, externref, exnref)? */
static inline bool w2n_valtype_is_ref(w2n_valtype type) {
    return type == W2N_FUNCREF || type == W2N_EXTERNREF || type == W2N_EXNREF;
}

typedef enum w2n_extern_kind {
    W2N_EXTERN_FUNC = 0,
    W2N_EXTERN_TABLE = 1,
    W2N_EXTERN_MEMORY = 2,
    W2N_EXTERN_GLOBAL = 3,
    W2N_EXTERN_TAG = 4          /* exception handling */
} w2n_extern_kind;

typedef struct w2n_limits {
    uint64_t min;
    uint64_t max;
    bool has_max;
    bool shared;      /* a shared memory (threads): never moves, may be used by many threads */
    bool is64;               /* i64 addresses or indices (memory64, table64) */
} w2n_limits;

typedef struct w2n_functype {
    uint32_t nparams;
    uint32_t nresults;
    w2n_valtype *params;
    w2n_valtype *results;
} w2n_functype;

typedef struct w2n_tabletype {
    w2n_valtype elem;        /* a reference type (w2n_valtype_is_ref) */
    w2n_limits limits;
} w2n_tabletype;

typedef struct w2n_globaltype {
    w2n_valtype type;
    bool is_mutable;
} w2n_globaltype;

/* A constant expression: one of these instructions, or (extended-const) a
 * sequence of them kept in the module's pool of constant instructions. */
typedef enum w2n_const_kind {
    W2N_CONST_I32 = 1,        /* bits[0] holds the value (zero-extended) */
    W2N_CONST_I64,
    W2N_CONST_F32,            /* raw IEEE bits */
    W2N_CONST_F64,
    W2N_CONST_V128,           /* bits[0] low 8 bytes, bits[1] high 8 bytes */
    W2N_CONST_REF_NULL,       /* index holds the reference type */
    W2N_CONST_REF_FUNC,       /* index holds the function index */
    W2N_CONST_GLOBAL_GET,     /* index holds the global index */
    W2N_CONST_EXTENDED,       /* index: first instruction in the pool, bits[0]: how many */
    /* Only inside an extended sequence, in the pool: pop two, push one (wrapping). */
    W2N_CONST_I32_ADD,
    W2N_CONST_I32_SUB,
    W2N_CONST_I32_MUL,
    W2N_CONST_I64_ADD,
    W2N_CONST_I64_SUB,
    W2N_CONST_I64_MUL
} w2n_const_kind;

typedef struct w2n_const_expr {
    uint8_t kind;             /* w2n_const_kind */
    uint32_t index;
    uint64_t bits[2];
} w2n_const_expr;

#endif
