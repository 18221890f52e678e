/*
 * meta.c — encoder and checking decoder of the ".w2n.module" metadata.
 *
 * Shared by the compiler (which encodes) and the runtime (which decodes), so
 * the format has exactly one definition: this file and the comment in meta.h.
 * Layout: the 8-byte magic W2N_META_MAGIC (with its NUL), then the fields of
 * struct w2n_meta in declaration order.  Integers are little-endian of their
 * declared width (bool and kind/mode are one byte, a value type a u32 as in
 * w2n/types.h), strings and byte
 * arrays are a u32 length then the bytes, vectors a u32 count then the items.
 * An import encodes only the type of its kind.  A const expr is
 * kind u8, index u32, bits[0] u64, bits[1] u64; the pool of extended-const
 * instructions comes before the globals, whose initialisers may name runs of
 * it; the defined tables' initialisers (a u8 flag, then a const expr if 1)
 * follow the globals.  The u32 after the magic is the ABI major in its low 16 bits and the
 * minor in its high 16.  The provenance fields follow the data segments,
 * then (since 6.2) the GC facts of every type; nothing else may.
 *
 * The decoder trusts nothing: every length is checked against the bytes that
 * remain before anything is allocated, and every index against its index
 * space, so a corrupt section is W2N_ERR_BAD_OBJECT and never a crash or a
 * huge allocation.
 */
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "meta.h"
#include "reloc.h" /* little-endian loads */
#include "sha256.h"
#include "w2n/limits.h"
#include "w2n/version.h"

/* ---- encoding ------------------------------------------------------------- */

typedef struct wbuf {
    uint8_t *data;
    size_t size, cap;
    bool failed;
} wbuf;

static void put(wbuf *b, const void *src, size_t n) {
    if (b->failed)
        return;
    if (b->size + n > b->cap) {
        uint8_t *p = w2n_grow(b->data, &b->cap, b->size + n, 1, 256);
        if (!p) {
            b->failed = true;
            return;
        }
        b->data = p;
    }
    if (n)
        memcpy(b->data + b->size, src, n);
    b->size += n;
}

static void put_uint(wbuf *b, uint64_t v, unsigned width) {
    uint8_t tmp[8];
    for (unsigned i = 0; i < width; i++)
        tmp[i] = (uint8_t)(v >> (8 * i));
    put(b, tmp, width);
}

static void put_u8(wbuf *b, uint8_t v) { put_uint(b, v, 1); }
static void put_u32(wbuf *b, uint32_t v) { put_uint(b, v, 4); }
static void put_u64(wbuf *b, uint64_t v) { put_uint(b, v, 8); }

static void put_str(wbuf *b, const char *s) {
    size_t n = s ? strlen(s) : 0;
    put_u32(b, (uint32_t)n);
    put(b, s, n);
}

/* Limits flags, as in the binary format: bit 0 a maximum, bit 1 shared
 * (memories only, with a maximum), bit 2 64-bit. */
#define LIMITS_HAS_MAX 1u
#define LIMITS_SHARED 2u
#define LIMITS_64 4u

static void put_limits(wbuf *b, const w2n_limits *l) {
    put_u64(b, l->min);
    put_u64(b, l->max);
    put_u8(b, (uint8_t)((l->has_max ? LIMITS_HAS_MAX : 0) | (l->shared ? LIMITS_SHARED : 0) |
                        (l->is64 ? LIMITS_64 : 0)));
}

static void put_valtypes(wbuf *b, const w2n_valtype *ts, uint32_t n) {
    put_u32(b, n);
    for (uint32_t i = 0; i < n; i++)
        put_u32(b, ts[i]);
}

static void put_tabletype(wbuf *b, const w2n_tabletype *t) {
    put_u32(b, t->elem);
    put_limits(b, &t->limits);
}

static void put_globaltype(wbuf *b, const w2n_globaltype *g) {
    put_u32(b, g->type);
    put_u8(b, g->is_mutable ? 1 : 0);
}

static void put_const(wbuf *b, const w2n_const_expr *c) {
    put_u8(b, c->kind);
    put_u32(b, c->index);
    put_u64(b, c->bits[0]);
    put_u64(b, c->bits[1]);
}

static void put_import(wbuf *b, const w2n_meta_import *im) {
    put_str(b, im->module);
    put_str(b, im->name);
    put_u8(b, im->kind);
    switch (im->kind) {
    case W2N_EXTERN_FUNC:
    case W2N_EXTERN_TAG: put_u32(b, im->func_type); break;
    case W2N_EXTERN_TABLE: put_tabletype(b, &im->table); break;
    case W2N_EXTERN_MEMORY: put_limits(b, &im->memory); break;
    case W2N_EXTERN_GLOBAL: put_globaltype(b, &im->global); break;
    default: b->failed = true; break;
    }
}

static void put_segments(wbuf *b, const w2n_meta *m) {
    put_u32(b, m->nelems);
    for (uint32_t i = 0; i < m->nelems; i++) {
        const w2n_meta_elem *e = &m->elems[i];
        put_u8(b, e->mode);
        put_u32(b, e->type);
        put_u32(b, e->table);
        put_const(b, &e->offset);
        put_u32(b, e->count);
        for (uint32_t k = 0; k < e->count; k++)
            put_const(b, &e->items[k]);
    }
    put_u32(b, m->ndatas);
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const w2n_meta_data *d = &m->datas[i];
        put_u8(b, d->mode);
        put_u32(b, d->memory);
        put_const(b, &d->offset);
        put_u32(b, d->size);
        put(b, d->bytes, d->size);
    }
}

/* Since ABI 3.1: which w2n compiled the object, for what, from which module. */
static void put_provenance(wbuf *b, const w2n_meta *m) {
    put_str(b, m->w2n_version);
    put_str(b, m->target);
    put_u8(b, m->opt_level);
    put_u32(b, m->wasm_features);
    put(b, m->module_sha256, W2N_SHA256_SIZE);
}

/* Since ABI 6.2: the GC facts of every type (meta.h, w2n_meta_typedef).
 * A meta without them (hand-built) encodes the defaults of Wasm 2.0. */
static void put_typedefs(wbuf *b, const w2n_meta *m) {
    for (uint32_t i = 0; i < m->ntypes; i++) {
        w2n_meta_typedef plain = {
            W2N_META_TYPE_FUNC, true, W2N_META_NO_SUPERTYPE, i, 1, i, 0, NULL};
        const w2n_meta_typedef *t = m->typedefs ? &m->typedefs[i] : &plain;
        put_u8(b, t->kind);
        put_u8(b, t->is_final ? 1 : 0);
        put_u32(b, t->supertype);
        put_u32(b, t->rec_start);
        put_u32(b, t->rec_size);
        put_u32(b, t->canon);
        put_u32(b, t->nfields);
        for (uint32_t k = 0; k < t->nfields; k++) {
            put_u32(b, t->fields[k].storage);
            put_u8(b, t->fields[k].is_mutable ? 1 : 0);
        }
    }
}

w2n_status w2n_meta_encode(const w2n_meta *m, uint8_t **out_bytes, size_t *out_size,
                           w2n_error *err) {
    wbuf b = {0};
    put(&b, W2N_META_MAGIC, 8);
    put_u32(&b, (m->abi_version & 0xFFFFu) | m->abi_minor << 16);
    put_u32(&b, m->arch);
    put_u32(&b, m->flags);
    put_u64(&b, m->max_frame); /* at W2N_META_FRAME_OFFSET */
    put_u32(&b, m->max_frame_vlenb);
    put_str(&b, m->cpu);
    put_str(&b, m->features);
    put_u64(&b, m->module_hash);

    put_u32(&b, m->ntypes);
    for (uint32_t i = 0; i < m->ntypes; i++) {
        put_valtypes(&b, m->types[i].params, m->types[i].nparams);
        put_valtypes(&b, m->types[i].results, m->types[i].nresults);
    }
    put_u32(&b, m->nimports);
    for (uint32_t i = 0; i < m->nimports; i++)
        put_import(&b, &m->imports[i]);
    put_u32(&b, m->nfuncs);
    for (uint32_t i = 0; i < m->nfuncs; i++)
        put_u32(&b, m->func_types[i]);
    put_u32(&b, m->ntables);
    for (uint32_t i = 0; i < m->ntables; i++)
        put_tabletype(&b, &m->tables[i]);
    put_u32(&b, m->nmemories);
    for (uint32_t i = 0; i < m->nmemories; i++)
        put_limits(&b, &m->memories[i]);
    put_u32(&b, m->nconst_ops);
    for (uint32_t i = 0; i < m->nconst_ops; i++)
        put_const(&b, &m->const_ops[i]);
    put_u32(&b, m->nglobals);
    for (uint32_t i = 0; i < m->nglobals; i++) {
        put_globaltype(&b, &m->globals[i].type);
        put_const(&b, &m->globals[i].init);
    }
    for (uint32_t i = 0; i < m->ntables; i++) {
        const w2n_const_expr *init = m->table_inits ? &m->table_inits[i] : NULL;
        put_u8(&b, init && init->kind ? 1 : 0);
        if (init && init->kind)
            put_const(&b, init);
    }
    put_u32(&b, m->ntags);
    for (uint32_t i = 0; i < m->ntags; i++)
        put_u32(&b, m->tag_types[i]);
    put_u32(&b, m->nexports);
    for (uint32_t i = 0; i < m->nexports; i++) {
        put_u32(&b, m->exports[i].name_len);
        put(&b, m->exports[i].name, m->exports[i].name_len);
        put_u8(&b, m->exports[i].kind);
        put_u32(&b, m->exports[i].index);
    }
    put_u64(&b, (uint64_t)m->start);
    put_segments(&b, m);
    put_provenance(&b, m);
    if (m->abi_minor >= W2N_META_MINOR_GC_TYPES)
        put_typedefs(&b, m);

    if (b.failed) {
        free(b.data);
        *out_bytes = NULL;
        *out_size = 0;
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET,
                             "cannot encode module metadata (out of memory or bad import kind)");
    }
    *out_bytes = b.data;
    *out_size = b.size;
    return W2N_OK;
}

/* ---- decoding --------------------------------------------------------------- */

typedef struct rbuf {
    const uint8_t *p;
    size_t size, pos;
    w2n_error *err;
    w2n_status code;
    bool failed;
    bool borrow;     /* data segments point into p (w2n_meta_decode_borrowing) */
    uint32_t ntypes; /* of the module, once read: concrete types name one */
} rbuf;

/* Record the first failure only; later reads return zeros. */
static void bad(rbuf *r, const char *what) {
    if (!r->failed)
        r->code = w2n_error_set(r->err, W2N_ERR_BAD_OBJECT, r->pos, "corrupt %s metadata: %s",
                                W2N_META_SECTION, what);
    r->failed = true;
}

static bool have(rbuf *r, size_t n) {
    if (r->failed)
        return false;
    if (n > r->size - r->pos) {
        bad(r, "unexpected end of section");
        return false;
    }
    return true;
}

/* width is 1, 4 or 8. */
static uint64_t get_uint(rbuf *r, unsigned width) {
    if (!have(r, width))
        return 0;
    const uint8_t *p = r->p + r->pos;
    uint64_t v = width == 8 ? w2n_reloc_rd64(p) : width == 4 ? w2n_reloc_rd32(p) : p[0];
    r->pos += width;
    return v;
}

static uint8_t get_u8(rbuf *r) { return (uint8_t)get_uint(r, 1); }
static uint32_t get_u32(rbuf *r) { return (uint32_t)get_uint(r, 4); }
static uint64_t get_u64(rbuf *r) { return get_uint(r, 8); }

static bool get_bool(rbuf *r) {
    uint8_t v = get_u8(r);
    if (v > 1)
        bad(r, "boolean out of range");
    return v == 1;
}

/* A vector count, rejected if the remaining bytes cannot hold that many items
 * of at least `min_item` bytes: this bounds every allocation by the input. */
static uint32_t get_count(rbuf *r, size_t min_item) {
    uint32_t n = get_u32(r);
    if (!r->failed && (uint64_t)n * min_item > r->size - r->pos) {
        bad(r, "count larger than the section");
        return 0;
    }
    return r->failed ? 0 : n;
}

static void *alloc_array(rbuf *r, uint32_t n, size_t item) {
    if (r->failed || n == 0)
        return NULL;
    void *p = calloc(n, item);
    if (!p && !r->failed) {
        r->code = w2n_error_set(r->err, W2N_ERR_NOMEM, r->pos, "out of memory decoding metadata");
        r->failed = true;
    }
    return p;
}

static uint8_t *get_bytes(rbuf *r, uint32_t n, bool nul) {
    if (!have(r, n))
        return NULL;
    uint8_t *p = malloc((size_t)n + (nul ? 1 : 0) + 1);
    if (!p) {
        r->code = w2n_error_set(r->err, W2N_ERR_NOMEM, r->pos, "out of memory decoding metadata");
        r->failed = true;
        return NULL;
    }
    if (n)
        memcpy(p, r->p + r->pos, n);
    if (nul)
        p[n] = 0;
    r->pos += n;
    return p;
}

static char *get_str(rbuf *r) {
    uint32_t n = get_u32(r);
    return (char *)get_bytes(r, n, true);
}

static bool is_numtype(w2n_valtype t) {
    return t == W2N_I32 || t == W2N_I64 || t == W2N_F32 || t == W2N_F64 || t == W2N_V128;
}

/* A reference type whose concrete index, if any, is below `ntypes`; the
 * heap bottom is the validator's own and never travels. */
static bool is_reftype(w2n_valtype t, uint32_t ntypes) {
    w2n_heaptype ht = w2n_valtype_heap_type(t);
    if (w2n_heaptype_is_concrete(ht))
        return w2n_valtype_type_index(t) < ntypes;
    return ht != W2N_HEAPTYPE_BOTTOM && w2n_valtype_is_ref(t);
}
static bool is_valtype(w2n_valtype t, uint32_t ntypes) {
    return is_numtype(t) || is_reftype(t, ntypes);
}

/* `ntypes`: the types a concrete reference may name (a type definition:
 * itself and those before it, so canonicalisation never loops). */
static void get_valtypes(rbuf *r, uint32_t ntypes, uint32_t *out_n, w2n_valtype **out) {
    uint32_t n = get_count(r, 4);
    *out_n = n;
    *out = alloc_array(r, n, sizeof **out);
    for (uint32_t i = 0; i < n && !r->failed; i++) {
        (*out)[i] = get_u32(r);
        if (!is_valtype((*out)[i], ntypes))
            bad(r, "unknown value type");
    }
}

/* `cap` and `cap64`: the largest size of a 32-bit and of a 64-bit one. */
static void get_limits(rbuf *r, w2n_limits *l, uint64_t cap, uint64_t cap64) {
    l->min = get_u64(r);
    l->max = get_u64(r);
    uint8_t flags = get_u8(r);
    if (r->failed)
        return;
    if (flags & ~(LIMITS_HAS_MAX | LIMITS_SHARED | LIMITS_64)) {
        bad(r, "limits flags out of range");
        return;
    }
    l->has_max = flags & LIMITS_HAS_MAX;
    l->shared = flags & LIMITS_SHARED;
    l->is64 = flags & LIMITS_64;
    if (l->shared && !l->has_max)
        bad(r, "a shared memory without a maximum");
    if (l->is64)
        cap = cap64;
    if (l->min > cap || (l->has_max && (l->max > cap || l->max < l->min)))
        bad(r, "limits out of range");
}

static void get_tabletype(rbuf *r, w2n_tabletype *t) {
    t->elem = get_u32(r);
    if (!r->failed && !is_reftype(t->elem, r->ntypes))
        bad(r, "table element type is not a reference type");
    get_limits(r, &t->limits, UINT32_MAX, UINT64_MAX);
    if (!r->failed && t->limits.shared)
        bad(r, "a table cannot be shared");
}

static void get_globaltype(rbuf *r, w2n_globaltype *g) {
    g->type = get_u32(r);
    if (!r->failed && !is_valtype(g->type, r->ntypes))
        bad(r, "unknown global type");
    g->is_mutable = get_bool(r);
}

#define CONST_SIZE 21u /* kind u8, index u32, two u64 */

/* Index spaces known while decoding; const exprs are checked against them. */
typedef struct spaces {
    uint64_t funcs, tables, memories, globals, tags;
    const w2n_meta *m; /* for the pool of extended-const instructions */
} spaces;

static void get_const_unchecked(rbuf *r, w2n_const_expr *c) {
    c->kind = get_u8(r);
    c->index = get_u32(r);
    c->bits[0] = get_u64(r);
    c->bits[1] = get_u64(r);
}

bool w2n_meta_const_gc_op(uint32_t opcode) {
    switch (opcode) {
    case W2N_META_CONST_STRUCT_NEW:
    case W2N_META_CONST_STRUCT_NEW_DEFAULT:
    case W2N_META_CONST_ARRAY_NEW:
    case W2N_META_CONST_ARRAY_NEW_DEFAULT:
    case W2N_META_CONST_ARRAY_NEW_FIXED:
    case W2N_META_CONST_ANY_CONVERT_EXTERN:
    case W2N_META_CONST_EXTERN_CONVERT_ANY:
    case W2N_META_CONST_REF_I31: return true;
    default: return false;
    }
}

/* Any instruction of a constant expression but a reference to a run. */
static bool is_pool_op(const w2n_const_expr *op) {
    uint8_t kind = op->kind;
    return (kind >= W2N_CONST_I32 && kind <= W2N_CONST_GLOBAL_GET) ||
           (kind >= W2N_CONST_I32_ADD && kind <= W2N_CONST_I64_MUL) ||
           (kind == W2N_CONST_GC && w2n_meta_const_gc_op(op->index));
}

static void check_const(rbuf *r, const w2n_const_expr *c, const spaces *s);

/* A run of the pool: in range, short enough for the evaluator's stack, and
 * each instruction's indices in range (globals: only those seen so far).
 * Its typing is meta_check.c's. */
static void check_extended(rbuf *r, const w2n_const_expr *c, const spaces *s) {
    uint64_t first = c->index, n = c->bits[0];
    if (n < 2 || n > W2N_LIMIT_CONST_EXPR_OPS || first + n > s->m->nconst_ops) {
        bad(r, "extended constant expression out of range");
        return;
    }
    for (uint64_t i = first; i < first + n; i++)
        check_const(r, &s->m->const_ops[i], s);
}

static void check_const(rbuf *r, const w2n_const_expr *c, const spaces *s) {
    if (r->failed)
        return;
    switch (c->kind) {
    case W2N_CONST_I32:
    case W2N_CONST_I64:
    case W2N_CONST_F32:
    case W2N_CONST_F64:
    case W2N_CONST_V128:
    case W2N_CONST_I32_ADD:
    case W2N_CONST_I32_SUB:
    case W2N_CONST_I32_MUL:
    case W2N_CONST_I64_ADD:
    case W2N_CONST_I64_SUB:
    case W2N_CONST_I64_MUL: break; /* arithmetic only in runs: is_pool_op */
    case W2N_CONST_REF_NULL:
        if (!is_reftype(c->index, r->ntypes) || !w2n_valtype_is_nullable(c->index))
            bad(r, "ref.null of a non-reference type");
        break;
    case W2N_CONST_REF_FUNC:
        if (c->index >= s->funcs)
            bad(r, "ref.func index out of range");
        break;
    case W2N_CONST_GLOBAL_GET:
        if (c->index >= s->globals)
            bad(r, "global.get index out of range");
        break;
    case W2N_CONST_GC: {
        /* ref.i31 and the conversions have no type immediate. */
        bool typed = c->index <= W2N_META_CONST_ARRAY_NEW_FIXED;
        if (!w2n_meta_const_gc_op(c->index) || (typed && c->bits[0] >= r->ntypes) ||
            c->bits[1] > W2N_LIMIT_CONST_EXPR_OPS)
            bad(r, "unknown GC constant instruction, or its type out of range");
        break;
    }
    case W2N_CONST_EXTENDED: check_extended(r, c, s); break;
    default: bad(r, "unknown constant expression");
    }
}

static void get_const(rbuf *r, w2n_const_expr *c, const spaces *s) {
    get_const_unchecked(r, c);
    check_const(r, c, s);
}

/* A tag's type: a type index whose function type has no results. */
static void check_tag_type(rbuf *r, uint32_t type, const w2n_meta *m) {
    if (!r->failed && (type >= m->ntypes || m->types[type].nresults))
        bad(r, "tag type index out of range or with results");
}

static void get_import(rbuf *r, w2n_meta_import *im, const w2n_meta *m) {
    uint32_t ntypes = m->ntypes;
    im->module = get_str(r);
    im->name = get_str(r);
    im->kind = get_u8(r);
    if (r->failed)
        return;
    switch (im->kind) {
    case W2N_EXTERN_FUNC:
        im->func_type = get_u32(r);
        if (!r->failed && im->func_type >= ntypes)
            bad(r, "import type index out of range");
        break;
    case W2N_EXTERN_TABLE: get_tabletype(r, &im->table); break;
    case W2N_EXTERN_MEMORY: get_limits(r, &im->memory, W2N_MAX_PAGES, W2N_MAX_PAGES64); break;
    case W2N_EXTERN_GLOBAL: get_globaltype(r, &im->global); break;
    case W2N_EXTERN_TAG:
        im->func_type = get_u32(r);
        check_tag_type(r, im->func_type, m);
        break;
    default: bad(r, "unknown import kind");
    }
}

/* Objects of this major load whatever their minor up to ours: a later minor
 * only appends.  Another major may lay out everything differently, so it is
 * refused before anything else is read. */
static void check_version(rbuf *r, const w2n_meta *m) {
    if (r->failed || (m->abi_version == W2N_ABI_VERSION && m->abi_minor <= W2N_ABI_MINOR))
        return;
    const char *remedy = m->abi_version == W2N_ABI_VERSION && m->abi_minor > W2N_ABI_MINOR
                             ? " or run it with the runtime of the w2n that compiled it"
                             : "";
    r->code = w2n_error_set(r->err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                            "object has w2n ABI %u.%u, this runtime (w2n %s) reads ABI %u.0 "
                            "to %u.%u: recompile the module with w2n %s%s",
                            m->abi_version, m->abi_minor, W2N_VERSION, W2N_ABI_VERSION,
                            W2N_ABI_VERSION, W2N_ABI_MINOR, W2N_VERSION, remedy);
    r->failed = true;
}

static void get_header_and_types(rbuf *r, w2n_meta *m) {
    if (!have(r, 8) || memcmp(r->p, W2N_META_MAGIC, 8) != 0) {
        bad(r, "bad magic");
        return;
    }
    r->pos = 8;
    uint32_t version = get_u32(r);
    m->abi_version = version & 0xFFFFu;
    m->abi_minor = version >> 16;
    check_version(r, m);
    m->arch = get_u32(r);
    m->flags = get_u32(r);
    m->max_frame = get_u64(r);
    m->max_frame_vlenb = get_u32(r);
    if (m->max_frame > W2N_FRAME_MAX || m->max_frame_vlenb > W2N_FRAME_VLENB_MAX)
        bad(r, "stack frame size out of range");
    m->cpu = get_str(r);
    m->features = get_str(r);
    m->module_hash = get_u64(r);
    m->ntypes = r->ntypes = get_count(r, 8);
    m->types = alloc_array(r, m->ntypes, sizeof *m->types);
    for (uint32_t i = 0; i < m->ntypes && !r->failed; i++) {
        /* Indices up to the end of the type's recursion group: checked
         * with the GC types (check_type_refs). */
        get_valtypes(r, m->ntypes, &m->types[i].nparams, &m->types[i].params);
        get_valtypes(r, m->ntypes, &m->types[i].nresults, &m->types[i].results);
    }
}

static void get_imports(rbuf *r, w2n_meta *m, spaces *s) {
    m->nimports = get_count(r, 11);
    m->imports = alloc_array(r, m->nimports, sizeof *m->imports);
    for (uint32_t i = 0; i < m->nimports && !r->failed; i++) {
        w2n_meta_import *im = &m->imports[i];
        get_import(r, im, m);
        switch (im->kind) {
        case W2N_EXTERN_FUNC: m->nimported_funcs++; break;
        case W2N_EXTERN_TABLE: m->nimported_tables++; break;
        case W2N_EXTERN_MEMORY: m->nimported_memories++; break;
        case W2N_EXTERN_TAG: m->nimported_tags++; break;
        default: m->nimported_globals++; break;
        }
    }
    s->tags = m->nimported_tags;
    s->funcs = m->nimported_funcs;
    s->tables = m->nimported_tables;
    s->memories = m->nimported_memories;
    s->globals = m->nimported_globals;
}

static void get_definitions(rbuf *r, w2n_meta *m, spaces *s) {
    m->nfuncs = get_count(r, 4);
    m->func_types = alloc_array(r, m->nfuncs, sizeof *m->func_types);
    for (uint32_t i = 0; i < m->nfuncs && !r->failed; i++) {
        m->func_types[i] = get_u32(r);
        if (!r->failed && m->func_types[i] >= m->ntypes)
            bad(r, "function type index out of range");
    }
    s->funcs += m->nfuncs;
    m->ntables = get_count(r, 21);
    m->tables = alloc_array(r, m->ntables, sizeof *m->tables);
    for (uint32_t i = 0; i < m->ntables && !r->failed; i++)
        get_tabletype(r, &m->tables[i]);
    s->tables += m->ntables;
    m->nmemories = get_count(r, 17);
    m->memories = alloc_array(r, m->nmemories, sizeof *m->memories);
    for (uint32_t i = 0; i < m->nmemories && !r->failed; i++)
        get_limits(r, &m->memories[i], W2N_MAX_PAGES, W2N_MAX_PAGES64);
    s->memories += m->nmemories;
    /* Each guard-mode memory reserves 8 GiB: the compiler's limit bounds
     * what one object can ask for. */
    if (s->memories > W2N_LIMIT_MEMORIES)
        bad(r, "more memories than w2n's limit");
    m->nconst_ops = get_count(r, CONST_SIZE);
    m->const_ops = alloc_array(r, m->nconst_ops, sizeof *m->const_ops);
    for (uint32_t i = 0; i < m->nconst_ops && !r->failed; i++) {
        get_const_unchecked(r, &m->const_ops[i]); /* global indices: at each use */
        if (!r->failed && !is_pool_op(&m->const_ops[i]))
            bad(r, "unknown extended constant instruction");
    }
    m->nglobals = get_count(r, 5 + CONST_SIZE);
    m->globals = alloc_array(r, m->nglobals, sizeof *m->globals);
    for (uint32_t i = 0; i < m->nglobals && !r->failed; i++) {
        get_globaltype(r, &m->globals[i].type);
        /* A global's initialiser may read only globals before it. */
        get_const(r, &m->globals[i].init, s);
        s->globals++;
    }
    /* Tables' initialisers see only the imported globals. */
    spaces imported = *s;
    imported.globals = m->nimported_globals;
    m->table_inits = alloc_array(r, m->ntables, sizeof *m->table_inits);
    for (uint32_t i = 0; i < m->ntables && !r->failed; i++)
        if (get_bool(r))
            get_const(r, &m->table_inits[i], &imported);
}

static void get_tags(rbuf *r, w2n_meta *m, spaces *s) {
    m->ntags = get_count(r, 4);
    m->tag_types = alloc_array(r, m->ntags, sizeof *m->tag_types);
    for (uint32_t i = 0; i < m->ntags && !r->failed; i++) {
        m->tag_types[i] = get_u32(r);
        check_tag_type(r, m->tag_types[i], m);
    }
    s->tags += m->ntags;
}

static void get_exports(rbuf *r, w2n_meta *m, const spaces *s) {
    m->nexports = get_count(r, 9);
    m->exports = alloc_array(r, m->nexports, sizeof *m->exports);
    for (uint32_t i = 0; i < m->nexports && !r->failed; i++) {
        w2n_meta_export *e = &m->exports[i];
        e->name_len = get_u32(r);
        e->name = (char *)get_bytes(r, e->name_len, true);
        e->kind = get_u8(r);
        e->index = get_u32(r);
        if (r->failed)
            break;
        uint64_t limit = e->kind == W2N_EXTERN_FUNC     ? s->funcs
                         : e->kind == W2N_EXTERN_TABLE  ? s->tables
                         : e->kind == W2N_EXTERN_MEMORY ? s->memories
                         : e->kind == W2N_EXTERN_GLOBAL ? s->globals
                         : e->kind == W2N_EXTERN_TAG    ? s->tags
                                                        : 0;
        if (e->kind > W2N_EXTERN_TAG)
            bad(r, "unknown export kind");
        else if (e->index >= limit)
            bad(r, "export index out of range");
    }
    m->start = (int64_t)get_u64(r);
    if (!r->failed && m->start != -1 && (m->start < 0 || (uint64_t)m->start >= s->funcs))
        bad(r, "start function index out of range");
}

static void get_elems(rbuf *r, w2n_meta *m, const spaces *s) {
    m->nelems = get_count(r, 1 + 4 + 4 + CONST_SIZE + 4);
    m->elems = alloc_array(r, m->nelems, sizeof *m->elems);
    for (uint32_t i = 0; i < m->nelems && !r->failed; i++) {
        w2n_meta_elem *e = &m->elems[i];
        e->mode = get_u8(r);
        e->type = get_u32(r);
        e->table = get_u32(r);
        get_const_unchecked(r, &e->offset); /* meaningful for active segments only */
        if (r->failed)
            break;
        if (e->mode == W2N_SEGMENT_ACTIVE)
            check_const(r, &e->offset, s);
        if (e->mode > W2N_SEGMENT_DECLARATIVE)
            bad(r, "unknown element segment mode");
        else if (!is_reftype(e->type, m->ntypes))
            bad(r, "element type is not a reference type");
        else if (e->mode == W2N_SEGMENT_ACTIVE && e->table >= s->tables)
            bad(r, "element segment table index out of range");
        e->count = get_count(r, CONST_SIZE);
        e->items = alloc_array(r, e->count, sizeof *e->items);
        for (uint32_t k = 0; k < e->count && !r->failed; k++)
            get_const(r, &e->items[k], s);
    }
}

static void get_datas(rbuf *r, w2n_meta *m, const spaces *s) {
    m->ndatas = get_count(r, 1 + 4 + CONST_SIZE + 4);
    m->datas = alloc_array(r, m->ndatas, sizeof *m->datas);
    for (uint32_t i = 0; i < m->ndatas && !r->failed; i++) {
        w2n_meta_data *d = &m->datas[i];
        d->mode = get_u8(r);
        d->memory = get_u32(r);
        get_const_unchecked(r, &d->offset); /* meaningful for active segments only */
        if (r->failed)
            break;
        if (d->mode == W2N_SEGMENT_ACTIVE)
            check_const(r, &d->offset, s);
        if (d->mode != W2N_SEGMENT_ACTIVE && d->mode != W2N_SEGMENT_PASSIVE)
            bad(r, "unknown data segment mode");
        else if (d->mode == W2N_SEGMENT_ACTIVE && d->memory >= s->memories)
            bad(r, "data segment memory index out of range");
        d->size = get_u32(r);
        if (r->borrow && have(r, d->size)) { /* never written through: see meta.h */
            d->bytes = (uint8_t *)(uintptr_t)(r->p + r->pos);
            r->pos += d->size;
        } else {
            d->bytes = get_bytes(r, d->size, false);
        }
    }
}

static void get_provenance(rbuf *r, w2n_meta *m) {
    m->w2n_version = get_str(r);
    m->target = get_str(r);
    m->opt_level = get_u8(r);
    if (!r->failed && m->opt_level > 3)
        bad(r, "optimisation level out of range");
    m->wasm_features = get_u32(r);
    if (have(r, W2N_SHA256_SIZE)) {
        memcpy(m->module_sha256, r->p + r->pos, W2N_SHA256_SIZE);
        r->pos += W2N_SHA256_SIZE;
    }
}

static w2n_status decode(const uint8_t *bytes, size_t size, bool borrow, w2n_meta *out,
                         w2n_error *err);
static bool is_storage_type(w2n_valtype t, uint32_t ntypes) {
    return t == W2N_GC_PACKED_I8 || t == W2N_GC_PACKED_I16 || is_valtype(t, ntypes);
}

/* Type i's group holds it, fits the types, and is the group of the type
 * before it exactly when that group reaches i. */
static bool in_its_group(const w2n_meta *m, uint32_t i) {
    const w2n_meta_typedef *t = &m->typedefs[i];
    if (t->rec_start > i || t->rec_size == 0 || t->rec_size > m->ntypes - t->rec_start ||
        i - t->rec_start >= t->rec_size)
        return false;
    if (i == 0)
        return true;
    const w2n_meta_typedef *prev = &m->typedefs[i - 1];
    bool continues = prev->rec_start + prev->rec_size > i;
    return continues ? t->rec_start == prev->rec_start && t->rec_size == prev->rec_size
                     : t->rec_start == i;
}

/* One type's GC facts, checked against those before it: a supertype is an
 * earlier type of the same kind that is not final, a recursion group is a
 * run of types that all agree on it, a canonical index names an earlier
 * (or the same) type of the same kind. */
static void get_typedef(rbuf *r, w2n_meta *m, uint32_t i) {
    w2n_meta_typedef *t = &m->typedefs[i];
    t->kind = get_u8(r);
    t->is_final = get_bool(r);
    t->supertype = get_u32(r);
    t->rec_start = get_u32(r);
    t->rec_size = get_u32(r);
    t->canon = get_u32(r);
    t->nfields = get_count(r, 5);
    t->fields = alloc_array(r, t->nfields, sizeof *t->fields);
    for (uint32_t k = 0; k < t->nfields && !r->failed; k++) {
        t->fields[k].storage = get_u32(r);
        t->fields[k].is_mutable = get_bool(r);
        if (!r->failed && !is_storage_type(t->fields[k].storage, m->ntypes))
            bad(r, "unknown field storage type");
    }
    if (r->failed)
        return;
    const w2n_meta_typedef *super = t->supertype < i ? &m->typedefs[t->supertype] : NULL;
    bool func = t->kind == W2N_META_TYPE_FUNC;
    if (t->kind > W2N_META_TYPE_ARRAY)
        bad(r, "unknown type kind");
    else if (t->nfields != (func                             ? 0
                            : t->kind == W2N_META_TYPE_ARRAY ? 1
                                                             : t->nfields) ||
             (!func && (m->types[i].nparams || m->types[i].nresults)))
        bad(r, "type fields do not match its kind");
    else if (t->supertype != W2N_META_NO_SUPERTYPE &&
             (!super || super->kind != t->kind || super->is_final))
        bad(r, "bad supertype");
    else if (!in_its_group(m, i))
        bad(r, "bad recursion group");
    else if (t->canon > i || m->typedefs[t->canon].kind != t->kind)
        bad(r, "bad canonical type index");
}

static bool refs_within(const w2n_valtype *ts, uint32_t n, uint32_t end) {
    for (uint32_t k = 0; k < n; k++)
        if (w2n_valtype_is_ref(ts[k]) && w2n_heaptype_is_concrete(w2n_valtype_heap_type(ts[k])) &&
            w2n_valtype_type_index(ts[k]) >= end)
            return false;
    return true;
}

static bool is_func_type(const w2n_meta *m, uint32_t type) {
    return type < m->ntypes && m->typedefs[type].kind == W2N_META_TYPE_FUNC;
}

/* Functions and tags have function types; types name only types up to
 * the end of their recursion group. */
static void check_type_refs(rbuf *r, const w2n_meta *m) {
    for (uint32_t i = 0; i < m->nfuncs && !r->failed; i++)
        if (!is_func_type(m, m->func_types[i]))
            bad(r, "a function's type is not a function type");
    for (uint32_t i = 0; i < m->ntags && !r->failed; i++)
        if (!is_func_type(m, m->tag_types[i]))
            bad(r, "a tag's type is not a function type");
    for (uint32_t i = 0; i < m->nimports && !r->failed; i++)
        if ((m->imports[i].kind == W2N_EXTERN_FUNC || m->imports[i].kind == W2N_EXTERN_TAG) &&
            !is_func_type(m, m->imports[i].func_type))
            bad(r, "an imported function's type is not a function type");
    for (uint32_t i = 0; i < m->ntypes && !r->failed; i++) {
        const w2n_meta_typedef *t = &m->typedefs[i];
        uint32_t end = t->rec_start + t->rec_size;
        bool ok = refs_within(m->types[i].params, m->types[i].nparams, end) &&
                  refs_within(m->types[i].results, m->types[i].nresults, end);
        for (uint32_t k = 0; ok && k < t->nfields; k++)
            ok = refs_within(&t->fields[k].storage, 1, end);
        if (!ok)
            bad(r, "a type names a type after its recursion group");
    }
}

static void get_typedefs(rbuf *r, w2n_meta *m) {
    m->typedefs = alloc_array(r, m->ntypes, sizeof *m->typedefs);
    for (uint32_t i = 0; i < m->ntypes && !r->failed; i++) {
        if (m->abi_minor >= W2N_META_MINOR_GC_TYPES)
            get_typedef(r, m, i);
        else
            m->typedefs[i] = (w2n_meta_typedef){
                W2N_META_TYPE_FUNC, true, W2N_META_NO_SUPERTYPE, i, 1, i, 0, NULL};
    }
    check_type_refs(r, m);
}

w2n_status w2n_meta_decode(const uint8_t *bytes, size_t size, w2n_meta *out, w2n_error *err) {
    return decode(bytes, size, false, out, err);
}

w2n_status w2n_meta_decode_borrowing(const uint8_t *bytes, size_t size, w2n_meta *out,
                                     w2n_error *err) {
    return decode(bytes, size, true, out, err);
}

static w2n_status decode(const uint8_t *bytes, size_t size, bool borrow, w2n_meta *out,
                         w2n_error *err) {
    memset(out, 0, sizeof *out);
    out->start = -1;
    out->borrowed_data = borrow;
    rbuf r = {.p = bytes, .size = bytes ? size : 0, .err = err, .borrow = borrow};
    spaces s = {.m = out};
    get_header_and_types(&r, out);
    get_imports(&r, out, &s);
    get_definitions(&r, out, &s);
    get_tags(&r, out, &s);
    get_exports(&r, out, &s);
    get_elems(&r, out, &s);
    get_datas(&r, out, &s);
    get_provenance(&r, out);
    get_typedefs(&r, out);
    if (!r.failed && r.pos != r.size)
        bad(&r, "trailing bytes");
    if (r.failed) {
        w2n_meta_free(out);
        return r.code;
    }
    return W2N_OK;
}

void w2n_meta_free(w2n_meta *m) {
    if (!m)
        return;
    free(m->cpu);
    free(m->features);
    for (uint32_t i = 0; m->types && i < m->ntypes; i++) {
        free(m->types[i].params);
        free(m->types[i].results);
    }
    free(m->types);
    for (uint32_t i = 0; m->imports && i < m->nimports; i++) {
        free(m->imports[i].module);
        free(m->imports[i].name);
    }
    free(m->imports);
    free(m->func_types);
    free(m->tables);
    free(m->table_inits);
    free(m->memories);
    free(m->const_ops);
    free(m->globals);
    free(m->tag_types);
    for (uint32_t i = 0; m->exports && i < m->nexports; i++)
        free(m->exports[i].name);
    free(m->exports);
    for (uint32_t i = 0; m->elems && i < m->nelems; i++)
        free(m->elems[i].items);
    free(m->elems);
    for (uint32_t i = 0; m->datas && !m->borrowed_data && i < m->ndatas; i++)
        free(m->datas[i].bytes);
    free(m->datas);
    free(m->w2n_version);
    free(m->target);
    for (uint32_t i = 0; m->typedefs && i < m->ntypes; i++)
        free(m->typedefs[i].fields);
    free(m->typedefs);
    memset(m, 0, sizeof *m);
    m->start = -1;
}

uint64_t w2n_meta_hash(const uint8_t *bytes, size_t size) {
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (size_t i = 0; i < size; i++) {
        h ^= bytes[i];
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}
