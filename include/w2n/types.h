/*
 * w2n/types.h — Wasm types shared by the compiler, the runtime and its API.
 * Value types use the Wasm binary codes (enum w2n_valtype_code in abi.h),
 * widened to 32 bits for typed references:
 *
 *   bits 0..7    number/vector code, or the abstract heap type's code
 *                (0x70 func, 0x6F extern, 0x73 nofunc, ...); 0 with bit 9
 *   bit 8        W2N_VALTYPE_NON_NULL: `(ref ht)` rather than `(ref null ht)`
 *   bit 9        W2N_VALTYPE_CONCRETE: the heap type is a type index ...
 *   bits 10..31  ... this one (in a module: its type section's index; in the
 *                runtime's canonical types: a canonical type id, 0 meaning
 *                the type itself)
 *
 * So every nullable shorthand keeps its binary code (W2N_FUNCREF is 0x70 is
 * `(ref null func)`), and a heap type is a value type without bit 8.
 */
#ifndef W2N_TYPES_H
#define W2N_TYPES_H

#include "w2n/api.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "w2n/abi.h"

typedef uint32_t w2n_valtype;  /* enum w2n_valtype_code, or a reference (above) */
typedef uint32_t w2n_heaptype; /* an abstract heap type code, or CONCRETE | index */

#define W2N_VALTYPE_NON_NULL (1u << 8)
#define W2N_VALTYPE_CONCRETE (1u << 9)
#define W2N_VALTYPE_INDEX_SHIFT 10
#define W2N_VALTYPE_MAX_INDEX ((1u << 22) - 1)
/* The heap type below every other, for validating unreachable code only. */
#define W2N_HEAPTYPE_BOTTOM 0u

/* 0x69 exn .. 0x74 noexn: every abstract heap type of Wasm 3.0. */
static inline bool w2n_heaptype_is_abstract_code(uint32_t code) {
    return code >= 0x69 && code <= 0x74;
}

static inline bool w2n_valtype_is_ref(w2n_valtype t) {
    return (t & W2N_VALTYPE_CONCRETE) || (t >> 9 == 0 && w2n_heaptype_is_abstract_code(t & 0xFF)) ||
           t == (W2N_HEAPTYPE_BOTTOM | W2N_VALTYPE_NON_NULL);
}

static inline bool w2n_valtype_is_nullable(w2n_valtype t) { return !(t & W2N_VALTYPE_NON_NULL); }

static inline w2n_heaptype w2n_valtype_heap_type(w2n_valtype t) {
    return t & ~W2N_VALTYPE_NON_NULL;
}

static inline bool w2n_heaptype_is_concrete(w2n_heaptype ht) {
    return (ht & W2N_VALTYPE_CONCRETE) != 0;
}

/* The type index of a concrete heap type (or of a value type whose heap type
 * is concrete). */
static inline uint32_t w2n_valtype_type_index(w2n_valtype t) {
    return t >> W2N_VALTYPE_INDEX_SHIFT;
}

static inline w2n_heaptype w2n_heaptype_concrete(uint32_t index) {
    return W2N_VALTYPE_CONCRETE | index << W2N_VALTYPE_INDEX_SHIFT;
}

/* `(ref null ht)` or `(ref ht)`. */
static inline w2n_valtype w2n_valtype_ref(w2n_heaptype ht, bool nullable) {
    return ht | (nullable ? 0u : W2N_VALTYPE_NON_NULL);
}

/* The abstract heap type at the top of ht's hierarchy: func, extern, exn or
 * any (function types, the only concrete types so far, are below func). */
W2N_API w2n_heaptype w2n_heaptype_top(w2n_heaptype ht);

/* Whether reference type a is a subtype of b, concrete heap types being
 * equal exactly when their indices are (map them to canonical indices
 * first; function types are final, so no other subtyping exists between
 * them).  Non-reference types are subtypes only of themselves. */
W2N_API bool w2n_valtype_sub(w2n_valtype a, w2n_valtype b);
W2N_API bool w2n_heaptype_sub(w2n_heaptype a, w2n_heaptype b);

/* The rules of reference subtyping that do not look at heap types (both are
 * references, and a nullable one is never below a non-null one), shared by
 * w2n_valtype_sub and the front end's module-aware version. */
static inline bool w2n_valtype_refs_may_sub(w2n_valtype a, w2n_valtype b) {
    return w2n_valtype_is_ref(a) && w2n_valtype_is_ref(b) &&
           !(w2n_valtype_is_nullable(a) && !w2n_valtype_is_nullable(b));
}

/* The text-format name: "i32", "v128", "funcref", "(ref func)",
 * "(ref null 3)", ...; "unknown" for anything else.  Names of concrete types
 * live in a small per-thread ring of buffers: copy them before asking for
 * many more.  w2n_valtype_format writes the same into buf. */
W2N_API const char *w2n_valtype_name(w2n_valtype type);
W2N_API void w2n_valtype_format(w2n_valtype type, char *buf, size_t size);

typedef enum w2n_extern_kind {
    W2N_EXTERN_FUNC = 0,
    W2N_EXTERN_TABLE = 1,
    W2N_EXTERN_MEMORY = 2,
    W2N_EXTERN_GLOBAL = 3,
    W2N_EXTERN_TAG = 4 /* exception handling */
} w2n_extern_kind;

typedef struct w2n_limits {
    uint64_t min;
    uint64_t max;
    bool has_max;
    bool shared; /* a shared memory (threads): never moves, may be used by many threads */
    bool is64;   /* i64 addresses or indices (memory64, table64) */
} w2n_limits;

typedef struct w2n_functype {
    uint32_t nparams;
    uint32_t nresults;
    w2n_valtype *params;
    w2n_valtype *results;
} w2n_functype;

typedef struct w2n_tabletype {
    w2n_valtype elem; /* a reference type */
    w2n_limits limits;
} w2n_tabletype;

typedef struct w2n_globaltype {
    w2n_valtype type;
    bool is_mutable;
} w2n_globaltype;

/* A constant expression: one of these instructions, or (extended-const) a
 * sequence of them kept in the module's pool of constant instructions. */
typedef enum w2n_const_kind {
    W2N_CONST_I32 = 1, /* bits[0] holds the value (zero-extended) */
    W2N_CONST_I64,
    W2N_CONST_F32, /* raw IEEE bits */
    W2N_CONST_F64,
    W2N_CONST_V128,       /* bits[0] low 8 bytes, bits[1] high 8 bytes */
    W2N_CONST_REF_NULL,   /* index holds the reference type */
    W2N_CONST_REF_FUNC,   /* index holds the function index */
    W2N_CONST_GLOBAL_GET, /* index holds the global index */
    W2N_CONST_EXTENDED,   /* index: first instruction in the pool, bits[0]: how many */
    /* Only inside an extended sequence, in the pool: pop two, push one (wrapping). */
    W2N_CONST_I32_ADD,
    W2N_CONST_I32_SUB,
    W2N_CONST_I32_MUL,
    W2N_CONST_I64_ADD,
    W2N_CONST_I64_SUB,
    W2N_CONST_I64_MUL,
    /* A GC instruction (struct.new*, array.new*, ref.i31, any/extern
     * conversions), evaluated by the runtime at instantiation: index holds
     * its opcode (w2n_opcode), bits[0] and bits[1] its immediates. */
    W2N_CONST_GC
} w2n_const_kind;

typedef struct w2n_const_expr {
    uint8_t kind; /* w2n_const_kind */
    uint32_t index;
    uint64_t bits[2];
} w2n_const_expr;

#endif
