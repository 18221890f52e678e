/*
 * module.h — a decoded Wasm module.
 *
 * decode.c fills it from the bytes; validate.c checks it (and every function
 * body); lower*.c compile it.  Function bodies stay as byte ranges into the
 * input, read instruction by instruction with instr.h.  Index spaces put
 * imports first, as the spec does: function i < nimported_funcs is imported.
 * All memory belongs to the module; w2n_module_free releases it.  The input
 * bytes must outlive the module (names and bodies point into them).
 */
#ifndef W2N_MODULE_H
#define W2N_MODULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "w2n/error.h"
#include "w2n/features.h"
#include "w2n/types.h"

/* What a type index defines.  Without GC every type is a final function
 * type alone in its recursion group. */
typedef enum w2n_type_kind {
    W2N_TYPE_FUNC,
    W2N_TYPE_STRUCT,
    W2N_TYPE_ARRAY
} w2n_type_kind;

/* Packed storage types of struct fields and array elements (GC): codes
 * outside every value type, kept in a w2n_valtype. */
#define W2N_PACKED_I16 0x77u
#define W2N_PACKED_I8 0x78u

typedef struct w2n_fieldtype {
    w2n_valtype storage; /* a value type or W2N_PACKED_I8/I16 */
    bool is_mutable;
} w2n_fieldtype;

#define W2N_NO_SUPERTYPE UINT32_MAX

/* The GC facts of one type index: its kind, its declared supertype, whether
 * it is final, its recursion group and (struct, array) its fields. */
typedef struct w2n_typedef {
    uint8_t kind;       /* w2n_type_kind */
    bool is_final;      /* `sub final`, or no `sub` at all */
    uint32_t supertype; /* the declared one, or W2N_NO_SUPERTYPE */
    uint32_t nsupers;   /* declared count (validation allows one at most) */
    uint32_t rec_start; /* first type index of its recursion group */
    uint32_t rec_size;  /* types in that group */
    uint32_t nfields;   /* struct: its fields; array: 1, the element */
    w2n_fieldtype *fields;
    size_t offset; /* of the definition, for messages */
} w2n_typedef;

typedef struct w2n_import {
    const char *module; /* NUL-terminated copies */
    const char *name;
    uint8_t kind;          /* w2n_extern_kind */
    uint32_t func_type;    /* FUNC */
    w2n_tabletype table;   /* TABLE */
    w2n_limits memory;     /* MEMORY */
    w2n_globaltype global; /* GLOBAL */
    uint32_t tag_type;     /* TAG: the type index of its parameters */
    size_t offset;         /* of the import entry, for messages */
} w2n_import;

typedef struct w2n_export {
    const char *name; /* NUL-terminated copy (may contain NULs) */
    uint32_t name_len;
    uint8_t kind;
    uint32_t index;
    size_t offset;
} w2n_export;

/* A constant expression as decoded: one instruction then `end`, or (extended
 * const) several, kept as a run of the module's const_ops.  Validation
 * checks its type and what it refers to. */
typedef struct w2n_init_expr {
    w2n_const_expr value;
    size_t offset; /* of the first instruction */
} w2n_init_expr;

/* value.kind of an init expr that is not one constant instruction: decode
 * accepts it, validation rejects it ("type mismatch" for no or several
 * instructions, "constant expression required" for any other instruction,
 * whose offset is then in `offset`).  Never seen after validation. */
#define W2N_INIT_BAD_ARITY 0
#define W2N_INIT_NOT_CONST 0xFF

typedef struct w2n_global_def {
    w2n_globaltype type;
    w2n_init_expr init;
} w2n_global_def;

/* A defined table's initial value (function-references): `0x40 0x00
 * tabletype expr`; without one, tables start null. */
typedef struct w2n_table_init {
    bool present;
    w2n_init_expr expr;
} w2n_table_init;

typedef struct w2n_elem_segment {
    uint8_t mode; /* w2n_segment_mode */
    w2n_valtype type;
    uint32_t table;
    w2n_init_expr offset; /* ACTIVE */
    uint32_t count;
    w2n_init_expr *items; /* ref.func / ref.null / global.get */
    size_t pos;           /* of the segment, for messages */
} w2n_elem_segment;

typedef struct w2n_data_segment {
    uint8_t mode; /* ACTIVE or PASSIVE */
    uint32_t memory;
    w2n_init_expr offset;
    uint32_t size;
    const uint8_t *bytes; /* points into the input */
    size_t pos;
} w2n_data_segment;

typedef struct w2n_code {
    uint32_t nlocals; /* declared locals, params excluded */
    w2n_valtype *locals;
    size_t body_start; /* offset of the first instruction */
    size_t body_end;   /* offset one past the final `end` */
    size_t pos;        /* offset of the code entry (its size field) */
} w2n_code;

typedef struct w2n_module {
    const uint8_t *bytes;
    size_t size;
    w2n_features features; /* what the module may use (decode's argument) */

    uint32_t ntypes;
    w2n_functype *types;   /* function types; empty for struct and array types */
    w2n_typedef *typedefs; /* per type index: kind, subtyping, group, fields */
    bool has_gc_types;     /* some type is not a plain final func type alone in its group */
    /* Per type index, the least index of an equal type (validation fills
     * it: with iso-recursive equality, `(type (func))` twice is one type). */
    uint32_t *type_canon;

    uint32_t nimports;
    w2n_import *imports;

    /* Index spaces, imports first. */
    uint32_t nfuncs, nimported_funcs;
    uint32_t *func_types; /* type index of every function */
    uint32_t ntables, nimported_tables;
    w2n_tabletype *tables;
    w2n_table_init *table_inits; /* defined tables: table_inits[i - nimported_tables] */
    uint32_t nmemories, nimported_memories;
    w2n_limits *memories;
    uint32_t nglobals, nimported_globals;
    w2n_globaltype *global_types; /* every global */
    w2n_global_def *globals;      /* defined globals: globals[i - nimported_globals] */
    uint32_t ntags, nimported_tags;
    uint32_t *tag_types;       /* type index of every tag (exceptions) */
    uint32_t nconst_ops;       /* instructions of every extended constant expression */
    w2n_const_expr *const_ops; /* (W2N_CONST_EXTENDED names a run of them) */

    uint32_t nexports;
    w2n_export *exports;
    int64_t start; /* -1 if none */

    uint32_t nelems;
    w2n_elem_segment *elems;
    bool has_data_count;
    uint32_t data_count;
    uint32_t ndatas;
    w2n_data_segment *datas;

    w2n_code *codes; /* defined functions: codes[i - nimported_funcs] */

    /* From the "name" custom section, if present and well-formed; NULL
     * entries where a function has no name.  (A malformed name section is
     * ignored, as the spec allows for custom sections.) */
    char **func_names; /* nfuncs entries or NULL */
    char *module_name;
} w2n_module;

/* Decode the binary format.  W2N_ERR_MALFORMED with offset and reason;
 * W2N_ERR_UNSUPPORTED for a construct of a feature outside `features`. */
w2n_status w2n_decode_features(const uint8_t *bytes, size_t size, w2n_features features,
                               w2n_module *out, w2n_error *err);
/* The same with w2n_features_default(). */
w2n_status w2n_decode(const uint8_t *bytes, size_t size, w2n_module *out, w2n_error *err);

/* Validate a decoded module, every function body included.  W2N_ERR_INVALID
 * (or W2N_ERR_MALFORMED for malformed code found while walking bodies). */
w2n_status w2n_validate_module(const w2n_module *m, w2n_error *err);

void w2n_module_free(w2n_module *m);

/* Fill m->type_canon (type_canon.c): per type index the least index of an
 * iso-recursively equal type, whole recursion groups compared with their
 * inner references relative; false when out of memory. */
bool w2n_type_canon_build(w2n_module *m);

/* A value type with its concrete index, if any, made canonical: equal types
 * then compare equal.  Indices out of range are left alone. */
static inline w2n_valtype w2n_module_canon_valtype(const w2n_module *m, w2n_valtype t) {
    if (!(t & W2N_VALTYPE_CONCRETE) || w2n_valtype_type_index(t) >= m->ntypes || !m->type_canon)
        return t;
    return w2n_valtype_ref(w2n_heaptype_concrete(m->type_canon[w2n_valtype_type_index(t)]),
                           w2n_valtype_is_nullable(t));
}

/* Whether heap type a is a subtype of b in module m: abstract types by
 * their hierarchy, concrete ones by their declared supertype chains and
 * canonical indices (subtype.c). */
bool w2n_module_heaptype_sub(const w2n_module *m, w2n_heaptype a, w2n_heaptype b);
bool w2n_module_valtype_sub(const w2n_module *m, w2n_valtype a, w2n_valtype b);

/* The abstract top of a heap type's hierarchy: func, extern, exn or any. */
w2n_heaptype w2n_module_heaptype_top(const w2n_module *m, w2n_heaptype ht);

/* Helpers. */
static inline const w2n_functype *w2n_module_func_type(const w2n_module *m, uint32_t func) {
    return &m->types[m->func_types[func]];
}

#endif
