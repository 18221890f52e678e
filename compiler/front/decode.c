/*
 * decode.c — the Wasm 2.0 binary format, section by section, into a w2n_module.
 *
 * Sections must come in the spec's order (custom sections anywhere); each is
 * read through a sub-reader bounded by its declared size, and must be used up
 * exactly ("section size mismatch").  Vectors are allocated once from their
 * declared count after w2n_read_vec_len has checked that the count can fit in
 * the bytes that remain, so a forged count cannot make us allocate much.
 * Imports come first in every index space: definitions are collected apart
 * and the index spaces are put together once all sections are read.
 * Function bodies are not decoded here: the validator walks them.
 * Constant expressions are decoded whatever they contain; one that is not
 * made of constant instructions is marked (W2N_INIT_*) for the validator to
 * reject, as the spec makes that a validation error.  Runs of several
 * (extended-const) are kept in the module's pool m->const_ops.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "meta.h"
#include "module.h"
#include "opcodes.h"
#include "instr.h"
#include "reader.h"
#include "w2n/limits.h"

enum {
    SEC_CUSTOM,
    SEC_TYPE,
    SEC_IMPORT,
    SEC_FUNCTION,
    SEC_TABLE,
    SEC_MEMORY,
    SEC_GLOBAL,
    SEC_EXPORT,
    SEC_START,
    SEC_ELEMENT,
    SEC_CODE,
    SEC_DATA,
    SEC_DATACOUNT,
    SEC_TAG
};

typedef struct decoder {
    w2n_module *m;
    w2n_error *err;
    /* Definitions, before the index spaces are joined with the imports. */
    uint32_t ndef_funcs;
    uint32_t *def_func_types;
    bool has_func_section;
    uint32_t ndef_tables;
    w2n_tabletype *def_tables;
    uint32_t ndef_memories;
    w2n_limits *def_memories;
    uint32_t ndef_globals;
    uint32_t ndef_tags;
    uint32_t *def_tag_types;
    size_t const_ops_cap; /* of m->const_ops */
    bool has_code_section;
    uint32_t ncodes;
    uint64_t module_locals;
    /* The "name" custom section, parsed once the function count is known. */
    const uint8_t *names;
    size_t names_size;
} decoder;

/* Refuse a count past one of w2n's limits (w2n/limits.h), at offset `at`. */
static bool over_limit(w2n_reader *r, size_t at, const char *what, uint64_t n, uint64_t limit) {
    r->pos = r->start + at;
    w2n_reader_fail(r, "%s: %llu exceeds w2n's limit of %llu", what, (unsigned long long)n,
                    (unsigned long long)limit);
    r->err->code = W2N_ERR_LIMIT;
    return false;
}

/* A vector length (see w2n_read_vec_len) that must also be within `limit`. */
static bool read_count(w2n_reader *r, size_t min_item_size, const char *what, uint32_t limit,
                       uint32_t *out) {
    size_t at = w2n_reader_offset(r);
    if (!w2n_read_vec_len(r, min_item_size, out))
        return false;
    return *out <= limit || over_limit(r, at, what, *out, limit);
}

static bool nomem(w2n_reader *r) {
    w2n_reader_fail(r, "out of memory");
    r->err->code = W2N_ERR_NOMEM;
    return false;
}

/* calloc that never returns NULL for a zero count, so NULL means failure. */
static void *alloc_array(w2n_reader *r, size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size);
    if (!p)
        nomem(r);
    return p;
}

static char *dup_name(w2n_reader *r, const char *s, uint32_t len) {
    char *p = malloc((size_t)len + 1);
    if (!p) {
        nomem(r);
        return NULL;
    }
    memcpy(p, s, len);
    p[len] = 0;
    return p;
}

static bool read_valtype(w2n_reader *r, w2n_valtype *out) { return w2n_read_valtype(r, out); }

/* Refuse a construct of a feature outside r->features, at offset `at`. */
static bool need(w2n_reader *r, size_t at, w2n_feature f, const char *what) {
    if (w2n_features_has(r->features, f))
        return true;
    w2n_feature_refuse(r->err, at, f, what);
    return false;
}

/* A table's or element segment's reference type: funcref is Wasm 1.0,
 * externref reference-types, the rest later proposals. */
static bool read_reftype(w2n_reader *r, w2n_valtype *out) {
    if (w2n_reader_done(r))
        return w2n_reader_fail(r, "unexpected end");
    uint8_t b = *r->pos;
    int f = w2n_valtype_feature(b);
    if (b == W2N_FUNCREF) {
        r->pos++;
        *out = b;
        return true;
    }
    if (f < 0 || f == W2N_FEATURE_MVP || f == W2N_FEATURE_SIMD)
        return w2n_reader_fail(r, "malformed reference type");
    return w2n_read_valtype(r, out);
}

/* A one-byte flag encoded as a u32 LEB128 that must lie in 0..max. */
static bool read_flag(w2n_reader *r, uint32_t max, const char *what, uint32_t *out) {
    const uint8_t *at = r->pos;
    uint32_t v;
    if (!w2n_read_u32(r, &v))
        return false;
    if (v > max) {
        r->pos = at;
        return w2n_reader_fail(r, "%s", what);
    }
    *out = v;
    return true;
}

/* Limits flags: bit 0 a maximum follows, bit 1 shared (threads, memories
 * only), bit 2 64-bit indices (memory64, which also covers tables).  The
 * sizes of 64-bit limits are u64 LEB128 (validation checks their range);
 * those of 32-bit ones u32, as in Wasm 2.0 and the memory64 proposal.  (Wasm
 * 3.0 reads every size as a u64; the two differ only on an over-long
 * encoding of a 32-bit size, which the 2.0 suite requires to be malformed.) */
static bool read_limits(w2n_reader *r, bool memory, w2n_limits *out) {
    uint8_t flag;
    if (!w2n_read_u8(r, &flag))
        return false;
    if (flag & 0x80) {
        r->pos--;
        return w2n_reader_fail(r, "integer representation too long");
    }
    size_t at = w2n_reader_offset(r) - 1;
    if (memory && (flag == 2 || flag == 3) && !need(r, at, W2N_FEATURE_THREADS, "shared memory"))
        return false;
    if (flag >= 4 && flag <= (memory ? 7 : 5) &&
        !need(r, at, W2N_FEATURE_MEMORY64, memory ? "a 64-bit memory" : "a 64-bit table"))
        return false;
    /* Bits: 0 a maximum, 1 shared (memories), 2 64-bit; nothing else. */
    if (flag & ~(memory ? 7u : 5u)) {
        r->pos--;
        return w2n_reader_fail(r, "integer too large");
    }
    out->has_max = flag & 1;
    out->shared = (flag & 2) != 0;
    out->is64 = (flag & 4) != 0;
    out->max = 0;
    if (out->is64)
        return w2n_read_u64(r, &out->min) && (!out->has_max || w2n_read_u64(r, &out->max));
    uint32_t v;
    if (!w2n_read_u32(r, &v))
        return false;
    out->min = v;
    if (out->has_max) {
        if (!w2n_read_u32(r, &v))
            return false;
        out->max = v;
    }
    return true;
}

static bool read_tabletype(w2n_reader *r, w2n_tabletype *out) {
    return read_reftype(r, &out->elem) && read_limits(r, false, &out->limits);
}

/* A global's or a field's mutability: 0 const, 1 var. */
static bool read_mutability(w2n_reader *r, bool *is_mutable) {
    uint8_t mut;
    if (!w2n_read_u8(r, &mut))
        return false;
    if (mut > 1) {
        r->pos--;
        return w2n_reader_fail(r, "malformed mutability");
    }
    *is_mutable = mut == 1;
    return true;
}

static bool read_globaltype(w2n_reader *r, w2n_globaltype *out) {
    if (!read_valtype(r, &out->type))
        return false;
    return read_mutability(r, &out->is_mutable);
}

/* One instruction of a constant expression as a w2n_const_expr; false for
 * any instruction constant expressions may not hold. */
static bool const_instr(const w2n_instr *in, w2n_const_expr *out) {
    static const struct {
        uint32_t op;
        uint8_t kind;
    } arith[] = {
        {W2N_OP_I32_ADD, W2N_CONST_I32_ADD}, {W2N_OP_I32_SUB, W2N_CONST_I32_SUB},
        {W2N_OP_I32_MUL, W2N_CONST_I32_MUL}, {W2N_OP_I64_ADD, W2N_CONST_I64_ADD},
        {W2N_OP_I64_SUB, W2N_CONST_I64_SUB}, {W2N_OP_I64_MUL, W2N_CONST_I64_MUL},
    };
    memset(out, 0, sizeof *out);
    switch (in->op) {
    case W2N_OP_I32_CONST:
        out->kind = W2N_CONST_I32;
        out->bits[0] = (uint32_t)in->imm.i32;
        return true;
    case W2N_OP_I64_CONST:
        out->kind = W2N_CONST_I64;
        out->bits[0] = (uint64_t)in->imm.i64;
        return true;
    case W2N_OP_F32_CONST:
        out->kind = W2N_CONST_F32;
        out->bits[0] = in->imm.f32_bits;
        return true;
    case W2N_OP_F64_CONST:
        out->kind = W2N_CONST_F64;
        out->bits[0] = in->imm.f64_bits;
        return true;
    case W2N_OP_V128_CONST:
        out->kind = W2N_CONST_V128;
        memcpy(&out->bits[0], in->imm.v128, 8);
        memcpy(&out->bits[1], in->imm.v128 + 8, 8);
        return true;
    case W2N_OP_REF_NULL:
        out->kind = W2N_CONST_REF_NULL;
        out->index = in->imm.reftype;
        return true;
    case W2N_OP_REF_FUNC:
        out->kind = W2N_CONST_REF_FUNC;
        out->index = in->imm.index;
        return true;
    case W2N_OP_GLOBAL_GET:
        out->kind = W2N_CONST_GLOBAL_GET;
        out->index = in->imm.index;
        return true;
    case W2N_OP_STRUCT_NEW:
    case W2N_OP_STRUCT_NEW_DEFAULT:
    case W2N_OP_ARRAY_NEW:
    case W2N_OP_ARRAY_NEW_DEFAULT:
    case W2N_OP_ARRAY_NEW_FIXED:
    case W2N_OP_REF_I31:
    case W2N_OP_ANY_CONVERT_EXTERN:
    case W2N_OP_EXTERN_CONVERT_ANY:
        out->kind = W2N_CONST_GC;
        out->index = in->op;
        out->bits[0] = in->imm.pair.a; /* the type index of a one-index immediate too */
        out->bits[1] = in->info->imm == W2N_IMM_PAIR ? in->imm.pair.b : 0;
        return true;
    default:
        for (size_t i = 0; i < sizeof arith / sizeof arith[0]; i++)
            if (arith[i].op == in->op) {
                out->kind = arith[i].kind;
                return true;
            }
        return false;
    }
}

/* Append op to the module's pool of extended-const instructions. */
static bool pool_append(decoder *d, w2n_reader *r, const w2n_const_expr *op) {
    w2n_module *m = d->m;
    if (m->nconst_ops == d->const_ops_cap) {
        w2n_const_expr *p =
            w2n_grow(m->const_ops, &d->const_ops_cap, (size_t)m->nconst_ops + 1, sizeof *p, 16);
        if (!p)
            return nomem(r);
        m->const_ops = p;
    }
    m->const_ops[m->nconst_ops++] = *op;
    return true;
}

/* A constant expression: instructions up to the `end` that closes it.  Any
 * sequence that decodes is accepted here; validation judges it.  A single
 * instruction is kept in out->value; a longer run of constant instructions
 * (extended-const) goes to the pool, named by a W2N_CONST_EXTENDED value. */
static bool read_init_expr(decoder *d, w2n_reader *r, w2n_init_expr *out) {
    w2n_instr_reader ir;
    w2n_instr_reader_init(&ir, r->start, w2n_reader_offset(r), (size_t)(r->end - r->start), r->err);
    ir.r.features = r->features;
    memset(out, 0, sizeof *out);
    out->offset = w2n_reader_offset(r);
    uint32_t count = 0, depth = 0, first = d->m->nconst_ops;
    bool not_const = false, arithmetic = false;
    w2n_instr in;
    w2n_const_expr op;
    for (;;) {
        if (w2n_instr_reader_done(&ir)) {
            w2n_reader_fail(&ir.r, "unexpected end");
            goto fail;
        }
        if (!w2n_instr_read(&ir, &in))
            goto fail;
        if (in.op == W2N_OP_END && depth == 0)
            break;
        count++;
        if (!not_const && const_instr(&in, &op)) {
            if (op.kind >= W2N_CONST_I32_ADD && op.kind <= W2N_CONST_I64_MUL) {
                /* Valid in a constant expression since extended-const. */
                if (!need(&ir.r, in.offset, W2N_FEATURE_EXTENDED_CONST,
                          "an extended constant expression"))
                    goto fail;
                arithmetic = true;
            }
            if (count > W2N_LIMIT_CONST_EXPR_OPS) {
                over_limit(&ir.r, in.offset, "instructions in a constant expression", count,
                           W2N_LIMIT_CONST_EXPR_OPS);
                goto fail;
            }
            out->value = op;
            if (!pool_append(d, &ir.r, &op))
                goto fail;
            continue;
        }
        if (!not_const)
            out->offset = in.offset;
        not_const = true;
        if (w2n_opcode_opens_block(in.op))
            depth++;
        else if (w2n_opcode_closes_block(in.op))
            depth--;
    }
    r->pos = ir.r.pos;
    w2n_instr_reader_free(&ir);
    if (not_const || count == 0 || (count == 1 && !arithmetic))
        d->m->nconst_ops = first; /* the pool keeps only extended runs */
    if (not_const)
        out->value.kind = W2N_INIT_NOT_CONST;
    else if (count == 0)
        out->value.kind = W2N_INIT_BAD_ARITY;
    else if (count > 1 || arithmetic) {
        memset(&out->value, 0, sizeof out->value);
        out->value.kind = W2N_CONST_EXTENDED;
        out->value.index = first;
        out->value.bits[0] = count;
    }
    return true;
fail:
    w2n_instr_reader_free(&ir);
    return false;
}

/* A function type's params and results (after its 0x60). */
static bool read_functype(w2n_reader *r, w2n_functype *t) {
    if (!read_count(r, 1, "function parameters", W2N_LIMIT_FUNC_PARAMS, &t->nparams) ||
        !(t->params = alloc_array(r, t->nparams, sizeof *t->params)))
        return false;
    for (uint32_t j = 0; j < t->nparams; j++)
        if (!read_valtype(r, &t->params[j]))
            return false;
    if (!read_count(r, 1, "function results", W2N_LIMIT_FUNC_RESULTS, &t->nresults) ||
        !(t->results = alloc_array(r, t->nresults, sizeof *t->results)))
        return false;
    for (uint32_t j = 0; j < t->nresults; j++)
        if (!read_valtype(r, &t->results[j]))
            return false;
    if (t->nresults > 1 && !need(r, w2n_reader_offset(r), W2N_FEATURE_MULTI_VALUE,
                                 "a function type with several results"))
        return false;
    return true;
}

/* A field or array element: a storage type (a value type, or packed i8
 * 0x78 / i16 0x77), then its mutability. */
static bool read_fieldtype(w2n_reader *r, w2n_fieldtype *f) {
    if (w2n_reader_done(r))
        return w2n_reader_fail(r, "unexpected end");
    if (*r->pos == W2N_PACKED_I8 || *r->pos == W2N_PACKED_I16)
        f->storage = *r->pos++;
    else if (!read_valtype(r, &f->storage))
        return false;
    return read_mutability(r, &f->is_mutable);
}

/* A composite type: func 0x60, struct 0x5F or array 0x5E. */
static bool read_comptype(w2n_reader *r, w2n_functype *t, w2n_typedef *td) {
    uint8_t form;
    if (!w2n_read_u8(r, &form))
        return false;
    if ((form == 0x5E || form == 0x5F) &&
        !need(r, w2n_reader_offset(r) - 1, W2N_FEATURE_GC, "a GC type definition"))
        return false;
    switch (form) {
    case 0x60: td->kind = W2N_TYPE_FUNC; return read_functype(r, t);
    case 0x5E:
        td->kind = W2N_TYPE_ARRAY;
        td->nfields = 1;
        return (td->fields = alloc_array(r, 1, sizeof *td->fields)) &&
               read_fieldtype(r, &td->fields[0]);
    case 0x5F:
        td->kind = W2N_TYPE_STRUCT;
        if (!read_count(r, 2, "struct fields", W2N_LIMIT_STRUCT_FIELDS, &td->nfields) ||
            !(td->fields = alloc_array(r, td->nfields, sizeof *td->fields)))
            return false;
        for (uint32_t i = 0; i < td->nfields; i++)
            if (!read_fieldtype(r, &td->fields[i]))
                return false;
        return true;
    }
    /* The form is a 7-bit signed LEB128: one byte at most. */
    r->pos--;
    return w2n_reader_fail(r, (form & 0x80) ? "integer representation too long"
                                            : "malformed function type");
}

/* A subtype: `sub` 0x50 or `sub final` 0x4F with its supertypes (one at
 * most is valid; validation says so), or a bare composite type (final). */
static bool read_subtype(w2n_reader *r, w2n_functype *t, w2n_typedef *td) {
    td->offset = w2n_reader_offset(r);
    td->is_final = true;
    td->supertype = W2N_NO_SUPERTYPE;
    if (!w2n_reader_done(r) && (*r->pos == 0x50 || *r->pos == 0x4F)) {
        if (!need(r, w2n_reader_offset(r), W2N_FEATURE_GC, "a GC type definition"))
            return false;
        td->is_final = *r->pos++ == 0x4F;
        if (!w2n_read_vec_len(r, 1, &td->nsupers))
            return false;
        for (uint32_t i = 0; i < td->nsupers; i++) {
            uint32_t super;
            if (!w2n_read_u32(r, &super))
                return false;
            if (i == 0)
                td->supertype = super;
        }
    }
    return read_comptype(r, t, td);
}

/* Make room for n more types (a recursion group may hold many). */
static bool grow_types(w2n_reader *r, w2n_module *m, size_t *cap, uint64_t n) {
    if (m->ntypes + n <= *cap)
        return true;
    uint64_t want = m->ntypes + n;
    if (want > W2N_LIMIT_TYPES)
        return over_limit(r, w2n_reader_offset(r), "types", want, W2N_LIMIT_TYPES);
    size_t c = *cap; /* both arrays get the capacity of the first */
    w2n_functype *types = w2n_grow(m->types, &c, (size_t)want, sizeof *types, 16);
    if (!types)
        return nomem(r);
    m->types = types;
    w2n_typedef *defs = realloc(m->typedefs, c * sizeof *defs);
    if (!defs)
        return nomem(r);
    m->typedefs = defs;
    memset(m->types + *cap, 0, (c - *cap) * sizeof *m->types);
    memset(m->typedefs + *cap, 0, (c - *cap) * sizeof *m->typedefs);
    *cap = c;
    return true;
}

/* The type section: a vector of recursion groups (`rec` 0x4E and its
 * subtypes, or one subtype alone), flattened into type indices. */
static bool read_type_section(decoder *d, w2n_reader *r) {
    w2n_module *m = d->m;
    uint32_t ngroups;
    size_t cap = 0;
    if (!read_count(r, 1, "types", W2N_LIMIT_TYPES, &ngroups) ||
        !grow_types(r, m, &cap, ngroups ? ngroups : 1))
        return false;
    for (uint32_t g = 0; g < ngroups; g++) {
        uint32_t size = 1;
        bool rec = !w2n_reader_done(r) && *r->pos == 0x4E;
        if (rec) {
            if (!need(r, w2n_reader_offset(r), W2N_FEATURE_GC, "a GC type definition"))
                return false;
            r->pos++;
            if (!w2n_read_vec_len(r, 1, &size) || !grow_types(r, m, &cap, size))
                return false;
        } else if (!grow_types(r, m, &cap, 1)) {
            return false;
        }
        uint32_t first = m->ntypes;
        for (uint32_t i = 0; i < size; i++) {
            w2n_typedef *td = &m->typedefs[m->ntypes];
            td->rec_start = first;
            td->rec_size = size;
            m->ntypes++;
            if (!read_subtype(r, &m->types[m->ntypes - 1], td))
                return false;
            if (rec || !td->is_final || td->nsupers || td->kind != W2N_TYPE_FUNC)
                m->has_gc_types = true;
        }
    }
    return true;
}

/* A tag type: attribute 0 (exception), then a function type index. */
static bool read_tagtype(w2n_reader *r, uint32_t *type) {
    uint8_t attr;
    if (!w2n_read_u8(r, &attr))
        return false;
    if (attr != 0) {
        r->pos--;
        return w2n_reader_fail(r, "malformed tag attribute");
    }
    return w2n_read_u32(r, type);
}

static bool read_import_section(decoder *d, w2n_reader *r) {
    w2n_module *m = d->m;
    uint32_t n;
    if (!read_count(r, 1, "imports", W2N_LIMIT_IMPORTS, &n))
        return false;
    if (!(m->imports = alloc_array(r, n, sizeof *m->imports)))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        w2n_import *im = &m->imports[i];
        im->offset = w2n_reader_offset(r);
        const char *s;
        uint32_t len;
        if (!w2n_read_name(r, &s, &len))
            return false;
        m->nimports = i + 1;
        if (!(im->module = dup_name(r, s, len)))
            return false;
        if (!w2n_read_name(r, &s, &len) || !(im->name = dup_name(r, s, len)))
            return false;
        uint8_t kind;
        if (!w2n_read_u8(r, &kind))
            return false;
        im->kind = kind;
        switch (kind) {
        case W2N_EXTERN_FUNC:
            if (!w2n_read_u32(r, &im->func_type))
                return false;
            m->nimported_funcs++;
            break;
        case W2N_EXTERN_TABLE:
            if (!read_tabletype(r, &im->table))
                return false;
            m->nimported_tables++;
            break;
        case W2N_EXTERN_MEMORY:
            if (!read_limits(r, true, &im->memory))
                return false;
            m->nimported_memories++;
            break;
        case W2N_EXTERN_GLOBAL:
            if (!read_globaltype(r, &im->global))
                return false;
            if (im->global.is_mutable &&
                !need(r, im->offset, W2N_FEATURE_MUTABLE_GLOBAL, "a mutable global import"))
                return false;
            m->nimported_globals++;
            break;
        case W2N_EXTERN_TAG:
            r->pos--;
            if (!need(r, w2n_reader_offset(r), W2N_FEATURE_EXCEPTIONS, "a tag import"))
                return false;
            r->pos++;
            if (!read_tagtype(r, &im->tag_type))
                return false;
            m->nimported_tags++;
            break;
        default: r->pos--; return w2n_reader_fail(r, "malformed import kind");
        }
    }
    return true;
}

static bool read_function_section(decoder *d, w2n_reader *r) {
    uint32_t n;
    size_t at = w2n_reader_offset(r);
    if (!w2n_read_vec_len(r, 1, &n))
        return false;
    if ((uint64_t)n + d->m->nimported_funcs > W2N_LIMIT_FUNCTIONS)
        return over_limit(r, at, "functions", (uint64_t)n + d->m->nimported_funcs,
                          W2N_LIMIT_FUNCTIONS);
    if (!(d->def_func_types = alloc_array(r, n, sizeof *d->def_func_types)))
        return false;
    for (uint32_t i = 0; i < n; i++)
        if (!w2n_read_u32(r, &d->def_func_types[i]))
            return false;
    d->ndef_funcs = n;
    d->has_func_section = true;
    return true;
}

static bool read_table_section(decoder *d, w2n_reader *r) {
    uint32_t n;
    if (!read_count(r, 1, "tables", W2N_LIMIT_TABLES, &n))
        return false;
    if (!(d->def_tables = alloc_array(r, n, sizeof *d->def_tables)))
        return false;
    if (!(d->m->table_inits = alloc_array(r, n, sizeof *d->m->table_inits)))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        /* 0x40 0x00 starts a table with an initializer expression. */
        w2n_table_init *init = &d->m->table_inits[i];
        init->present = !w2n_reader_done(r) && *r->pos == 0x40;
        if (init->present) {
            uint8_t zero;
            if (!need(r, w2n_reader_offset(r), W2N_FEATURE_FUNCTION_REFERENCES,
                      "a table with an initializer"))
                return false;
            r->pos++;
            if (!w2n_read_u8(r, &zero))
                return false;
            if (zero != 0) {
                r->pos--;
                return w2n_reader_fail(r, "malformed table");
            }
        }
        if (!read_tabletype(r, &d->def_tables[i]))
            return false;
        if (init->present && !read_init_expr(d, r, &init->expr))
            return false;
    }
    d->ndef_tables = n;
    return true;
}

static bool read_memory_section(decoder *d, w2n_reader *r) {
    uint32_t n;
    size_t at = w2n_reader_offset(r);
    if (!w2n_read_vec_len(r, 1, &n))
        return false;
    /* Imported and defined together: the runtime holds all of them. */
    if ((uint64_t)n + d->m->nimported_memories > W2N_LIMIT_MEMORIES)
        return over_limit(r, at, "memories", (uint64_t)n + d->m->nimported_memories,
                          W2N_LIMIT_MEMORIES);
    if (!(d->def_memories = alloc_array(r, n, sizeof *d->def_memories)))
        return false;
    for (uint32_t i = 0; i < n; i++)
        if (!read_limits(r, true, &d->def_memories[i]))
            return false;
    d->ndef_memories = n;
    return true;
}

static bool read_tag_section(decoder *d, w2n_reader *r) {
    uint32_t n;
    if (!read_count(r, 1, "tags", W2N_LIMIT_TAGS, &n))
        return false;
    if (!(d->def_tag_types = alloc_array(r, n, sizeof *d->def_tag_types)))
        return false;
    for (uint32_t i = 0; i < n; i++)
        if (!read_tagtype(r, &d->def_tag_types[i]))
            return false;
    d->ndef_tags = n;
    return true;
}

static bool read_global_section(decoder *d, w2n_reader *r) {
    w2n_module *m = d->m;
    uint32_t n;
    if (!read_count(r, 1, "globals", W2N_LIMIT_GLOBALS, &n))
        return false;
    if (!(m->globals = alloc_array(r, n, sizeof *m->globals)))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        if (!read_globaltype(r, &m->globals[i].type) || !read_init_expr(d, r, &m->globals[i].init))
            return false;
    }
    d->ndef_globals = n;
    return true;
}

static bool read_export_section(decoder *d, w2n_reader *r) {
    w2n_module *m = d->m;
    uint32_t n;
    if (!read_count(r, 1, "exports", W2N_LIMIT_EXPORTS, &n))
        return false;
    if (!(m->exports = alloc_array(r, n, sizeof *m->exports)))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        w2n_export *ex = &m->exports[i];
        ex->offset = w2n_reader_offset(r);
        const char *s;
        uint32_t len;
        if (!w2n_read_name(r, &s, &len))
            return false;
        m->nexports = i + 1;
        if (!(ex->name = dup_name(r, s, len)))
            return false;
        ex->name_len = len;
        uint8_t kind;
        if (!w2n_read_u8(r, &kind))
            return false;
        if (kind == W2N_EXTERN_TAG &&
            !need(r, w2n_reader_offset(r) - 1, W2N_FEATURE_EXCEPTIONS, "a tag export"))
            return false;
        if (kind > W2N_EXTERN_TAG) {
            r->pos--;
            return w2n_reader_fail(r, "malformed export kind");
        }
        ex->kind = kind;
        if (!w2n_read_u32(r, &ex->index))
            return false;
    }
    return true;
}

static bool read_start_section(decoder *d, w2n_reader *r) {
    uint32_t f;
    if (!w2n_read_u32(r, &f))
        return false;
    d->m->start = f;
    return true;
}

/* The items of an element segment: function indices (flags 0-3) or
 * constant expressions (flags 4-7). */
static bool read_elem_items(decoder *d, w2n_reader *r, w2n_elem_segment *seg, bool exprs) {
    uint32_t n;
    if (!read_count(r, 1, "element segment items", W2N_LIMIT_ELEM_ITEMS, &n))
        return false;
    if (!(seg->items = alloc_array(r, n, sizeof *seg->items)))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        w2n_init_expr *it = &seg->items[i];
        if (exprs) {
            if (!read_init_expr(d, r, it))
                return false;
        } else {
            memset(it, 0, sizeof *it);
            it->offset = w2n_reader_offset(r);
            it->value.kind = W2N_CONST_REF_FUNC;
            if (!w2n_read_u32(r, &it->value.index))
                return false;
        }
        seg->count = i + 1;
    }
    return true;
}

/* Function indices are never null: since function-references their
 * segments have type (ref func). */
static w2n_valtype func_index_type(const w2n_reader *r) {
    return w2n_features_has(r->features, W2N_FEATURE_FUNCTION_REFERENCES)
               ? w2n_valtype_ref(W2N_FUNCREF, false)
               : W2N_FUNCREF;
}

static bool read_elemkind(w2n_reader *r, w2n_valtype *out) {
    uint8_t b;
    if (!w2n_read_u8(r, &b))
        return false;
    if (b != 0x00) {
        r->pos--;
        return w2n_reader_fail(r, "malformed element kind");
    }
    *out = func_index_type(r);
    return true;
}

static bool read_elem_segment(decoder *d, w2n_reader *r, w2n_elem_segment *seg) {
    seg->pos = w2n_reader_offset(r);
    uint32_t flags = 0;
    if (!read_flag(r, 7, "malformed elements segment kind", &flags))
        return false;
    /* bit 0: passive or declarative; bit 1: explicit table (active) or
     * declarative; bit 2: items are expressions. */
    bool exprs = flags & 4;
    seg->type = exprs ? W2N_FUNCREF : func_index_type(r);
    seg->table = 0;
    if (flags & 1)
        seg->mode = (flags & 2) ? W2N_SEGMENT_DECLARATIVE : W2N_SEGMENT_PASSIVE;
    else
        seg->mode = W2N_SEGMENT_ACTIVE;
    if (seg->mode == W2N_SEGMENT_ACTIVE) {
        if ((flags & 2) && !w2n_read_u32(r, &seg->table))
            return false;
        if (!read_init_expr(d, r, &seg->offset))
            return false;
    }
    /* Flags 0 and 4 imply funcref; the others spell the type out. */
    if ((flags & 3) != 0) {
        if (exprs ? !read_reftype(r, &seg->type) : !read_elemkind(r, &seg->type))
            return false;
    }
    return read_elem_items(d, r, seg, exprs);
}

static bool read_element_section(decoder *d, w2n_reader *r) {
    w2n_module *m = d->m;
    uint32_t n;
    if (!read_count(r, 1, "element segments", W2N_LIMIT_ELEM_SEGMENTS, &n))
        return false;
    if (!(m->elems = alloc_array(r, n, sizeof *m->elems)))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        m->nelems = i + 1;
        if (!read_elem_segment(d, r, &m->elems[i]))
            return false;
    }
    return true;
}

static bool read_datacount_section(decoder *d, w2n_reader *r) {
    d->m->has_data_count = true;
    return w2n_read_u32(r, &d->m->data_count);
}

static bool read_locals(decoder *d, w2n_reader *r, w2n_code *c) {
    uint32_t ngroups;
    if (!w2n_read_vec_len(r, 2, &ngroups))
        return false;
    /* First pass: the total, checked before anything is allocated. */
    w2n_reader scan = *r;
    uint64_t total = 0;
    for (uint32_t i = 0; i < ngroups; i++) {
        uint32_t count;
        w2n_valtype t = 0;
        if (!w2n_read_u32(&scan, &count) || !read_valtype(&scan, &t))
            return false;
        total += count;
    }
    /* Past 2^32 the count cannot be represented: malformed, as the spec says. */
    if (total > UINT32_MAX)
        return w2n_reader_fail(r, "too many locals");
    if (total > W2N_LIMIT_FUNC_LOCALS)
        return over_limit(r, w2n_reader_offset(r), "too many locals", total, W2N_LIMIT_FUNC_LOCALS);
    if (d->module_locals + total > W2N_LIMIT_MODULE_LOCALS)
        return over_limit(r, w2n_reader_offset(r), "too many locals in the module",
                          d->module_locals + total, W2N_LIMIT_MODULE_LOCALS);
    d->module_locals += total;
    if (!(c->locals = alloc_array(r, total, sizeof *c->locals)))
        return false;
    uint32_t k = 0;
    for (uint32_t i = 0; i < ngroups; i++) {
        uint32_t count;
        w2n_valtype t = 0;
        if (!w2n_read_u32(r, &count) || !read_valtype(r, &t))
            return false;
        for (uint32_t j = 0; j < count; j++)
            c->locals[k++] = t;
    }
    c->nlocals = k;
    return true;
}

/* Check that a body decodes instruction by instruction and that its final
 * `end` is its last byte, so that every malformed body is found in decode,
 * in file order, as the spec's decoder finds it.  Types are not looked at. */
static bool scan_body(w2n_reader *body, bool at_eof) {
    w2n_instr_reader ir;
    w2n_instr_reader_init(&ir, body->start, w2n_reader_offset(body),
                          (size_t)(body->end - body->start), body->err);
    ir.r.features = body->features;
    w2n_instr in;
    uint32_t depth = 0;
    bool ok = false;
    for (;;) {
        if (w2n_instr_reader_done(&ir)) {
            /* The spec's decoder reads on past the body: at the end of the
             * input it runs out, elsewhere it finds no `end`. */
            w2n_reader_fail(&ir.r, at_eof ? "unexpected end of section or function"
                                          : "END opcode expected");
            goto out;
        }
        in.info = NULL;
        if (!w2n_instr_read(&ir, &in)) {
            /* Malformed immediates of a known instruction: name it. */
            if (in.info && body->err && body->err->code == W2N_ERR_MALFORMED)
                body->err->instruction = in.info->name;
            goto out;
        }
        if (w2n_opcode_opens_block(in.op)) {
            if (++depth > W2N_LIMIT_NESTING) {
                over_limit(&ir.r, in.offset, "block nesting depth", depth, W2N_LIMIT_NESTING);
                goto out;
            }
        } else if (in.op == W2N_OP_BR_TABLE && in.imm.br_table.count > W2N_LIMIT_BR_TABLE) {
            over_limit(&ir.r, in.offset, "br_table targets", in.imm.br_table.count,
                       W2N_LIMIT_BR_TABLE);
            goto out;
        } else if (w2n_opcode_closes_block(in.op)) {
            if (depth == 0)
                break;
            depth--;
        }
    }
    if (!w2n_instr_reader_done(&ir)) {
        w2n_reader_fail(&ir.r, "section size mismatch");
        goto out;
    }
    ok = true;
out:
    w2n_instr_reader_free(&ir);
    return ok;
}

static bool read_code_section(decoder *d, w2n_reader *r) {
    w2n_module *m = d->m;
    uint32_t n;
    if (!w2n_read_vec_len(r, 1, &n))
        return false;
    if (n != d->ndef_funcs)
        return w2n_reader_fail(r, "function and code section have inconsistent lengths");
    d->has_code_section = true;
    if (!(m->codes = alloc_array(r, n, sizeof *m->codes)))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        w2n_code *c = &m->codes[i];
        c->pos = w2n_reader_offset(r);
        uint32_t size;
        w2n_reader body;
        if (!w2n_read_u32(r, &size))
            return false;
        if (size > W2N_LIMIT_BODY_BYTES) {
            d->err->func_index = (int64_t)m->nimported_funcs + i;
            return over_limit(r, c->pos, "function body size", size, W2N_LIMIT_BODY_BYTES);
        }
        if (!w2n_reader_sub(r, size, &body))
            return false;
        d->ncodes = i + 1;
        if (!read_locals(d, &body, c))
            return false;
        c->body_start = w2n_reader_offset(&body);
        c->body_end = (size_t)(body.end - body.start);
        if (!scan_body(&body, body.end == m->bytes + m->size)) {
            d->err->func_index = (int64_t)m->nimported_funcs + i;
            return false;
        }
    }
    return true;
}

static bool read_data_section(decoder *d, w2n_reader *r) {
    w2n_module *m = d->m;
    uint32_t n;
    if (!read_count(r, 1, "data segments", W2N_LIMIT_DATA_SEGMENTS, &n))
        return false;
    if (!(m->datas = alloc_array(r, n, sizeof *m->datas)))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        w2n_data_segment *seg = &m->datas[i];
        seg->pos = w2n_reader_offset(r);
        m->ndatas = i + 1;
        uint32_t flags = 0;
        if (!read_flag(r, 2, "malformed data segment kind", &flags))
            return false;
        seg->mode = flags == 1 ? W2N_SEGMENT_PASSIVE : W2N_SEGMENT_ACTIVE;
        seg->memory = 0;
        if (flags == 2 && !w2n_read_u32(r, &seg->memory))
            return false;
        if (flags != 1 && !read_init_expr(d, r, &seg->offset))
            return false;
        if (!w2n_read_u32(r, &seg->size) || !w2n_read_bytes(r, seg->size, &seg->bytes))
            return false;
    }
    return true;
}

static bool read_custom_section(decoder *d, w2n_reader *r) {
    const char *name;
    uint32_t len;
    if (!w2n_read_name(r, &name, &len))
        return false;
    if (len == 4 && !memcmp(name, "name", 4) && !d->names) {
        d->names = r->pos;
        d->names_size = w2n_reader_left(r);
    }
    r->pos = r->end; /* the contents are not ours to judge */
    return true;
}

/* Join imports and definitions into the spec's index spaces. */
static bool build_index_spaces(decoder *d, w2n_reader *r) {
    w2n_module *m = d->m;
    m->nfuncs = m->nimported_funcs + d->ndef_funcs;
    m->ntables = m->nimported_tables + d->ndef_tables;
    m->nmemories = m->nimported_memories + d->ndef_memories;
    m->nglobals = m->nimported_globals + d->ndef_globals;
    m->ntags = m->nimported_tags + d->ndef_tags;
    if (!(m->tag_types = alloc_array(r, m->ntags, sizeof *m->tag_types)) ||
        !(m->func_types = alloc_array(r, m->nfuncs, sizeof *m->func_types)) ||
        !(m->tables = alloc_array(r, m->ntables, sizeof *m->tables)) ||
        !(m->memories = alloc_array(r, m->nmemories, sizeof *m->memories)) ||
        !(m->global_types = alloc_array(r, m->nglobals, sizeof *m->global_types)))
        return false;
    uint32_t f = 0, t = 0, mem = 0, g = 0, tag = 0;
    for (uint32_t i = 0; i < m->nimports; i++) {
        const w2n_import *im = &m->imports[i];
        switch (im->kind) {
        case W2N_EXTERN_FUNC: m->func_types[f++] = im->func_type; break;
        case W2N_EXTERN_TABLE: m->tables[t++] = im->table; break;
        case W2N_EXTERN_MEMORY: m->memories[mem++] = im->memory; break;
        case W2N_EXTERN_GLOBAL: m->global_types[g++] = im->global; break;
        case W2N_EXTERN_TAG: m->tag_types[tag++] = im->tag_type; break;
        }
    }
    if (d->ndef_tags)
        memcpy(m->tag_types + tag, d->def_tag_types, d->ndef_tags * sizeof *m->tag_types);
    if (d->ndef_funcs)
        memcpy(m->func_types + f, d->def_func_types, d->ndef_funcs * sizeof *m->func_types);
    if (d->ndef_tables)
        memcpy(m->tables + t, d->def_tables, d->ndef_tables * sizeof *m->tables);
    if (d->ndef_memories)
        memcpy(m->memories + mem, d->def_memories, d->ndef_memories * sizeof *m->memories);
    for (uint32_t i = 0; i < d->ndef_globals; i++)
        m->global_types[g + i] = m->globals[i].type;
    return true;
}

/* The function-names subsection of the "name" section.  Any fault makes us
 * drop the names: custom sections never make a module malformed. */
static void read_name_section(decoder *d) {
    w2n_module *m = d->m;
    w2n_error scratch_err;
    w2n_reader r;
    w2n_reader_init(&r, d->names, d->names_size, &scratch_err);
    char **names = NULL;
    char *module_name = NULL;
    while (!w2n_reader_done(&r)) {
        uint8_t id;
        uint32_t size;
        w2n_reader sub;
        if (!w2n_read_u8(&r, &id) || !w2n_read_u32(&r, &size) || !w2n_reader_sub(&r, size, &sub))
            goto fail;
        if (id == 0 && !module_name) {
            const char *s;
            uint32_t len;
            if (!w2n_read_name(&sub, &s, &len) || !w2n_reader_done(&sub))
                goto fail;
            if (!(module_name = malloc((size_t)len + 1)))
                goto fail;
            memcpy(module_name, s, len);
            module_name[len] = 0;
            continue;
        }
        if (id != 1)
            continue;
        uint32_t n;
        if (names || !w2n_read_vec_len(&sub, 2, &n))
            goto fail;
        if (!(names = calloc(m->nfuncs ? m->nfuncs : 1, sizeof *names)))
            goto fail;
        for (uint32_t i = 0; i < n; i++) {
            uint32_t idx, len;
            const char *s;
            if (!w2n_read_u32(&sub, &idx) || !w2n_read_name(&sub, &s, &len))
                goto fail;
            if (idx >= m->nfuncs || names[idx])
                goto fail;
            if (!(names[idx] = malloc((size_t)len + 1)))
                goto fail;
            memcpy(names[idx], s, len);
            names[idx][len] = 0;
        }
        if (!w2n_reader_done(&sub))
            goto fail;
    }
    m->func_names = names;
    m->module_name = module_name;
    return;
fail:
    free(module_name);
    if (names)
        for (uint32_t i = 0; i < m->nfuncs; i++)
            free(names[i]);
    free(names);
}

/* Section ids in the order the spec requires (custom sections aside). */
static int section_rank(uint8_t id) {
    static const int rank[] = {
        [SEC_TYPE] = 1,   [SEC_IMPORT] = 2,   [SEC_FUNCTION] = 3,   [SEC_TABLE] = 4,
        [SEC_MEMORY] = 5, [SEC_TAG] = 6,      [SEC_GLOBAL] = 7,     [SEC_EXPORT] = 8,
        [SEC_START] = 9,  [SEC_ELEMENT] = 10, [SEC_DATACOUNT] = 11, [SEC_CODE] = 12,
        [SEC_DATA] = 13,
    };
    return rank[id];
}

static bool read_section(decoder *d, uint8_t id, w2n_reader *r) {
    switch (id) {
    case SEC_CUSTOM: return read_custom_section(d, r);
    case SEC_TYPE: return read_type_section(d, r);
    case SEC_IMPORT: return read_import_section(d, r);
    case SEC_FUNCTION: return read_function_section(d, r);
    case SEC_TABLE: return read_table_section(d, r);
    case SEC_MEMORY: return read_memory_section(d, r);
    case SEC_GLOBAL: return read_global_section(d, r);
    case SEC_EXPORT: return read_export_section(d, r);
    case SEC_START: return read_start_section(d, r);
    case SEC_ELEMENT: return read_element_section(d, r);
    case SEC_CODE: return read_code_section(d, r);
    case SEC_DATA: return read_data_section(d, r);
    case SEC_DATACOUNT: return read_datacount_section(d, r);
    case SEC_TAG: return read_tag_section(d, r);
    }
    return false;
}

static bool read_header(w2n_reader *r) {
    static const uint8_t magic[4] = {0x00, 'a', 's', 'm'};
    static const uint8_t version[4] = {0x01, 0x00, 0x00, 0x00};
    const uint8_t *p;
    if (!w2n_read_bytes(r, 4, &p))
        return false;
    if (memcmp(p, magic, 4)) {
        r->pos = p;
        return w2n_reader_fail(r, "magic header not detected");
    }
    if (!w2n_read_bytes(r, 4, &p))
        return false;
    if (memcmp(p, version, 4)) {
        r->pos = p;
        return w2n_reader_fail(r, "unknown binary version");
    }
    return true;
}

static bool read_sections(decoder *d, w2n_reader *r) {
    int last_rank = 0;
    while (!w2n_reader_done(r)) {
        uint8_t id;
        uint32_t size;
        w2n_reader sec;
        size_t at = w2n_reader_offset(r);
        if (!w2n_read_u8(r, &id))
            return false;
        if (id == SEC_TAG && !need(r, at, W2N_FEATURE_EXCEPTIONS, "the tag section")) {
            r->pos = r->start + at;
            return false;
        }
        if (id > SEC_TAG) {
            r->pos--;
            return w2n_reader_fail(r, "malformed section id");
        }
        if (id != SEC_CUSTOM) {
            int rank = section_rank(id);
            if (rank <= last_rank) {
                r->pos = r->start + at;
                return w2n_reader_fail(r, "unexpected content after last section");
            }
            last_rank = rank;
        }
        if (!w2n_read_u32(r, &size) || !w2n_reader_sub(r, size, &sec))
            return false;
        if (!read_section(d, id, &sec)) {
            /* Running out inside a section is the spec's "unexpected end of
             * section or function" (the reader only knows "unexpected end"). */
            if (d->err->code == W2N_ERR_MALFORMED && !strcmp(d->err->message, "unexpected end"))
                snprintf(d->err->message, sizeof d->err->message,
                         "unexpected end of section or function");
            return false;
        }
        if (!w2n_reader_done(&sec))
            return w2n_reader_fail(&sec, "section size mismatch");
    }
    return true;
}

w2n_status w2n_decode(const uint8_t *bytes, size_t size, w2n_module *out, w2n_error *err) {
    return w2n_decode_features(bytes, size, w2n_features_default(), out, err);
}

w2n_status w2n_decode_features(const uint8_t *bytes, size_t size, w2n_features features,
                               w2n_module *out, w2n_error *err) {
    w2n_error local_err;
    if (!err)
        err = &local_err;
    memset(out, 0, sizeof *out);
    out->bytes = bytes;
    out->size = size;
    out->start = -1;
    out->features = features;
    decoder d = {.m = out, .err = err};
    w2n_reader r;
    w2n_reader_init(&r, bytes, size, err);
    if (size > W2N_LIMIT_MODULE_BYTES) {
        over_limit(&r, 0, "module size in bytes", size, W2N_LIMIT_MODULE_BYTES);
        goto fail;
    }
    r.features = features;
    if (!read_header(&r) || !read_sections(&d, &r))
        goto fail;
    if (d.ndef_funcs != d.ncodes || (d.ndef_funcs && !d.has_code_section)) {
        w2n_reader_fail(&r, "function and code section have inconsistent lengths");
        goto fail;
    }
    if (out->has_data_count && out->data_count != out->ndatas) {
        w2n_reader_fail(&r, "data count and data section have inconsistent lengths");
        goto fail;
    }
    if (!build_index_spaces(&d, &r))
        goto fail;
    if (!w2n_type_canon_build(out)) {
        nomem(&r);
        goto fail;
    }
    if (d.names)
        read_name_section(&d);
    free(d.def_func_types);
    free(d.def_tables);
    free(d.def_memories);
    free(d.def_tag_types);
    return W2N_OK;
fail:
    if (out->codes) {
        for (uint32_t i = 0; i < d.ncodes; i++)
            free(out->codes[i].locals);
        free(out->codes);
        out->codes = NULL;
    }
    free(d.def_func_types);
    free(d.def_tables);
    free(d.def_memories);
    free(d.def_tag_types);
    w2n_module_free(out);
    return err->code;
}
