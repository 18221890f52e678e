/*
 * meta.h — the module metadata that travels in section ".w2n.module".
 *
 * The compiler fills a w2n_meta from the decoded module and encodes it; the
 * runtime decodes it from the object and instantiates from it.  Both sides
 * share common/meta.c, so the format has one definition.  The encoding:
 * little-endian fixed-width integers, strings and byte arrays as a u32
 * length then the bytes, every vector as a u32 count then the items, in the
 * field order of the structs below.  The decoder checks every length against
 * the bytes that remain and every index against its index space, so a
 * corrupt section is a W2N_ERR_BAD_OBJECT, never a crash.
 *
 * All memory of a decoded w2n_meta belongs to it; free with w2n_meta_free.
 */
#ifndef W2N_META_H
#define W2N_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "w2n/abi.h"
#include "w2n/error.h"
#include "w2n/types.h"

typedef struct w2n_meta_import {
    char *module;
    char *name;
    uint8_t kind;          /* w2n_extern_kind */
    uint32_t func_type;    /* FUNC and TAG: type index */
    w2n_tabletype table;   /* TABLE */
    w2n_limits memory;     /* MEMORY */
    w2n_globaltype global; /* GLOBAL */
} w2n_meta_import;

typedef struct w2n_meta_global {
    w2n_globaltype type;
    w2n_const_expr init;
} w2n_meta_global;

typedef struct w2n_meta_export {
    char *name;        /* NUL-terminated, but may contain NULs: */
    uint32_t name_len; /* its length in bytes */
    uint8_t kind;      /* w2n_extern_kind */
    uint32_t index;    /* in that kind's index space (imports first) */
} w2n_meta_export;

typedef enum w2n_segment_mode {
    W2N_SEGMENT_ACTIVE = 0,
    W2N_SEGMENT_PASSIVE = 1,
    W2N_SEGMENT_DECLARATIVE = 2
} w2n_segment_mode;

typedef struct w2n_meta_elem {
    uint8_t mode;          /* w2n_segment_mode */
    w2n_valtype type;      /* a reference type */
    uint32_t table;        /* ACTIVE only */
    w2n_const_expr offset; /* ACTIVE only */
    uint32_t count;
    w2n_const_expr *items;
} w2n_meta_elem;

typedef struct w2n_meta_data {
    uint8_t mode;          /* ACTIVE or PASSIVE */
    uint32_t memory;       /* ACTIVE only */
    w2n_const_expr offset; /* ACTIVE only */
    uint32_t size;
    uint8_t *bytes;
} w2n_meta_data;

/* The GC facts of one type index (since ABI 6.2).  Without GC every type is
 * a final function type alone in its recursion group, which is what an
 * object of minor 0 decodes to.  Function types keep their signature in
 * w2n_meta.types; struct and array types have an empty one there. */
typedef enum w2n_meta_type_kind {
    W2N_META_TYPE_FUNC = 0,
    W2N_META_TYPE_STRUCT = 1,
    W2N_META_TYPE_ARRAY = 2
} w2n_meta_type_kind;

#define W2N_META_NO_SUPERTYPE UINT32_MAX

/* A struct field or array element: a value type (concrete references by
 * module type index) or W2N_GC_PACKED_I8 / W2N_GC_PACKED_I16. */
typedef struct w2n_meta_field {
    w2n_valtype storage;
    bool is_mutable;
} w2n_meta_field;

typedef struct w2n_meta_typedef {
    uint8_t kind;       /* w2n_meta_type_kind */
    bool is_final;      /* `sub final`, or no `sub` at all */
    uint32_t supertype; /* a smaller type index, or W2N_META_NO_SUPERTYPE */
    uint32_t rec_start; /* first type index of its recursion group */
    uint32_t rec_size;  /* types in that group */
    uint32_t canon;     /* least index of an iso-recursively equal type */
    uint32_t nfields;   /* struct: its fields; array: 1; func: 0 */
    w2n_meta_field *fields;
} w2n_meta_typedef;

typedef struct w2n_meta {
    uint32_t abi_version; /* W2N_ABI_VERSION when written */
    uint32_t arch;        /* w2n_arch */
    uint32_t flags;       /* enum w2n_meta_flags */
    /* The largest native stack frame of the object's functions, measured by
     * the compiler from its code (frame.h): max_frame bytes plus
     * max_frame_vlenb times the vector register size (RISC-V vlenb).  Both 0
     * where the target probes frames instead.  At a fixed offset
     * (W2N_META_FRAME_OFFSET): the compiler fills them in after code
     * generation, in the object it emitted. */
    uint64_t max_frame;
    uint32_t max_frame_vlenb;
    char *cpu;            /* CPU the code was compiled for, "" = baseline */
    char *features;       /* LLVM feature string, "" = none extra */
    uint64_t module_hash; /* FNV-1a 64 of the input .wasm bytes */

    uint32_t ntypes;
    w2n_functype *types;
    uint32_t nimports;
    w2n_meta_import *imports;
    uint32_t nfuncs;      /* defined functions only */
    uint32_t *func_types; /* type index of each defined function */
    uint32_t ntables;     /* defined tables only */
    w2n_tabletype *tables;
    uint32_t nmemories; /* defined memories only */
    w2n_limits *memories;
    uint32_t nconst_ops; /* pool of W2N_CONST_EXTENDED runs (extended-const) */
    w2n_const_expr *const_ops;
    uint32_t nglobals; /* defined globals only */
    w2n_meta_global *globals;
    w2n_const_expr *table_inits; /* ntables (or NULL): a table's initial value; kind 0: null */
    uint32_t ntags;              /* defined tags only (exceptions) */
    uint32_t *tag_types;         /* type index of each defined tag (no results) */
    uint32_t nexports;
    w2n_meta_export *exports;
    int64_t start; /* start function index, or -1 */
    uint32_t nelems;
    w2n_meta_elem *elems;
    uint32_t ndatas;
    w2n_meta_data *datas;
    bool borrowed_data; /* datas[i].bytes lie in the decoded buffer (not owned) */
    /* Derived on decode (not encoded): imports counted per kind. */
    uint32_t nimported_funcs, nimported_tables, nimported_memories, nimported_globals;
    uint32_t nimported_tags;

    /* Provenance, since ABI 3.1 (encoded after the data segments; the minor
     * shares abi_version's u32).  Objects of minor 0 decode with these zero. */
    uint32_t abi_minor;        /* W2N_ABI_MINOR when written */
    char *w2n_version;         /* W2N_VERSION of the w2n that compiled it, "0.1.0" */
    char *target;              /* canonical triple compiled for, "aarch64-linux-gnu" */
    uint8_t opt_level;         /* 0..3 */
    uint32_t wasm_features;    /* the w2n_features the module was allowed */
    uint8_t module_sha256[32]; /* SHA-256 of the input .wasm bytes */

    /* GC types, since ABI 6.2 (after the provenance): ntypes entries.
     * Objects of minor 0 decode with the defaults above. */
    w2n_meta_typedef *typedefs;
} w2n_meta;

/* The GC instructions a constant expression may hold (kind W2N_CONST_GC,
 * index the instruction's opcode: prefix << 16 | code; bits[0] its type
 * index, bits[1] array.new_fixed's count).  Since ABI 6.2 ref.i31 (pops an
 * i32, pushes an i31ref) in the pool; since 6.3 the others, in the pool or
 * alone.  meta_check.c types them (operands as their instructions'). */
#define W2N_META_CONST_STRUCT_NEW 0xFB0000u
#define W2N_META_CONST_STRUCT_NEW_DEFAULT 0xFB0001u
#define W2N_META_CONST_ARRAY_NEW 0xFB0006u
#define W2N_META_CONST_ARRAY_NEW_DEFAULT 0xFB0007u
#define W2N_META_CONST_ARRAY_NEW_FIXED 0xFB0008u
#define W2N_META_CONST_ANY_CONVERT_EXTERN 0xFB001Au
#define W2N_META_CONST_EXTERN_CONVERT_ANY 0xFB001Bu
#define W2N_META_CONST_REF_I31 0xFB001Cu
/* Is `opcode` one of them? */
bool w2n_meta_const_gc_op(uint32_t opcode);

/* w2n_meta_decode refuses another ABI major, or a minor above W2N_ABI_MINOR,
 * with W2N_ERR_BAD_OBJECT and a message naming both versions and what to do. */
/* Byte offset of max_frame (u64) and max_frame_vlenb (u32) in the encoded
 * section: after the magic, abi_version, arch and flags. */
#define W2N_META_FRAME_OFFSET 20
/* The first minor whose metadata ends with the GC types. */
#define W2N_META_MINOR_GC_TYPES 2

/* Encode *meta into a fresh malloc'd buffer.  Returns W2N_OK or W2N_ERR_NOMEM. */
w2n_status w2n_meta_encode(const w2n_meta *meta, uint8_t **out_bytes, size_t *out_size,
                           w2n_error *err);

/* Decode and check; on failure *out is left zeroed and nothing leaks. */
w2n_status w2n_meta_decode(const uint8_t *bytes, size_t size, w2n_meta *out, w2n_error *err);
/* The same, but the data segments' bytes are not copied: they point into
 * `bytes`, which must outlive *out and never change (the loader's copy or
 * mapping of the section).  A megabyte of data costs no copy at load. */
w2n_status w2n_meta_decode_borrowing(const uint8_t *bytes, size_t size, w2n_meta *out,
                                     w2n_error *err);

/* Free everything a decoded (or hand-built, all-malloc'd) meta owns. */
void w2n_meta_free(w2n_meta *meta);

/* FNV-1a 64-bit hash, as recorded in module_hash. */
uint64_t w2n_meta_hash(const uint8_t *bytes, size_t size);

#endif
