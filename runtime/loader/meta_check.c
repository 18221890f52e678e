/*
 * meta_check.c — the typing rules a decoded w2n_meta must obey before
 * anything is instantiated from it.
 *
 * w2n_meta_decode checks shape and index ranges; this file checks what the
 * indices mean, because the runtime acts on these fields without further
 * checks: the start function is called with an argument buffer for a
 * [] -> [] function, a global's initial value is stored as its declared
 * type, and element segments fill tables whose element type compiled code
 * trusts (a funcref slot holding an arbitrary integer would be called).
 * The validator enforced all of this on the .wasm; an object must not be
 * able to undo it.
 */
#include "internal.h"
#include "w2n/limits.h"

typedef struct checker {
    const w2n_meta *m;
    w2n_error *err;
} checker;

static w2n_status bad(const checker *c, const char *what, uint32_t index) {
    return w2n_error_set(c->err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET, "corrupt %s metadata: %s %u",
                         W2N_META_SECTION, what, index);
}

/* Type index of function `f` (imports first). */
static uint32_t func_type(const w2n_meta *m, uint64_t f) {
    if (f >= m->nimported_funcs)
        return m->func_types[f - m->nimported_funcs];
    for (uint32_t i = 0; i < m->nimports; i++)
        if (m->imports[i].kind == W2N_EXTERN_FUNC && f-- == 0)
            return m->imports[i].func_type;
    return UINT32_MAX; /* unreachable: decode checked the index */
}

/* Value type of global `g` (imports first). */
static w2n_valtype global_type(const w2n_meta *m, uint32_t g) {
    if (g >= m->nimported_globals)
        return m->globals[g - m->nimported_globals].type.type;
    for (uint32_t i = 0; i < m->nimports; i++)
        if (m->imports[i].kind == W2N_EXTERN_GLOBAL && g-- == 0)
            return m->imports[i].global.type;
    return 0;
}

/* Table `t` (imports first), or NULL. */
static const w2n_tabletype *table_of(const w2n_meta *m, uint32_t t) {
    if (t >= m->nimported_tables)
        return t - m->nimported_tables < m->ntables ? &m->tables[t - m->nimported_tables] : NULL;
    for (uint32_t i = 0; i < m->nimports; i++)
        if (m->imports[i].kind == W2N_EXTERN_TABLE && t-- == 0)
            return &m->imports[i].table;
    return NULL;
}

/* Memory `mem` (imports first), or NULL. */
static const w2n_limits *memory_of(const w2n_meta *m, uint32_t mem) {
    if (mem >= m->nimported_memories)
        return mem - m->nimported_memories < m->nmemories
                   ? &m->memories[mem - m->nimported_memories]
                   : NULL;
    for (uint32_t i = 0; i < m->nimports; i++)
        if (m->imports[i].kind == W2N_EXTERN_MEMORY && mem-- == 0)
            return &m->imports[i].memory;
    return NULL;
}

/* The type of an offset into a table or memory of these limits: i64 for a
 * 64-bit one (memory64), else i32; 0 (no type) for a missing one. */
static w2n_valtype offset_type(const w2n_limits *l) { return !l ? 0 : l->is64 ? W2N_I64 : W2N_I32; }

/* The type an extended run of the pool leaves as its one value, or 0 if its
 * stack does not work out (an operand missing or of the wrong type, more
 * than one value left): what instance.c's evaluator relies on.  meta.c
 * checked its range, length and global indices. */
static w2n_valtype extended_type(const w2n_meta *m, const w2n_const_expr *e) {
    w2n_valtype types[W2N_LIMIT_CONST_EXPR_OPS];
    uint32_t depth = 0;
    for (uint64_t i = e->index; i < e->index + e->bits[0]; i++) {
        const w2n_const_expr *op = &m->const_ops[i];
        w2n_valtype t;
        switch (op->kind) {
        case W2N_CONST_I32: types[depth++] = W2N_I32; break;
        case W2N_CONST_I64: types[depth++] = W2N_I64; break;
        case W2N_CONST_GLOBAL_GET:
            t = global_type(m, op->index);
            if (t != W2N_I32 && t != W2N_I64)
                return 0;
            types[depth++] = t;
            break;
        case W2N_CONST_GC: /* ref.i31, the one meta.c lets in */
            if (depth < 1 || types[depth - 1] != W2N_I32)
                return 0;
            types[depth - 1] = w2n_valtype_ref(W2N_I31REF, false);
            break;
        default: /* the six binary operators */
            t = op->kind <= W2N_CONST_I32_MUL ? W2N_I32 : W2N_I64;
            if (depth < 2 || types[depth - 1] != t || types[depth - 2] != t)
                return 0;
            depth--;
            break;
        }
    }
    return depth == 1 ? types[0] : 0;
}

/* The type a constant expression produces. */
static w2n_valtype const_type(const w2n_meta *m, const w2n_const_expr *e) {
    switch (e->kind) {
    case W2N_CONST_I32: return W2N_I32;
    case W2N_CONST_I64: return W2N_I64;
    case W2N_CONST_F32: return W2N_F32;
    case W2N_CONST_F64: return W2N_F64;
    case W2N_CONST_V128: return W2N_V128;
    case W2N_CONST_REF_NULL: return e->index;
    case W2N_CONST_REF_FUNC:
        return w2n_valtype_ref(w2n_heaptype_concrete(func_type(m, e->index)), false);
    case W2N_CONST_GLOBAL_GET: return global_type(m, e->index);
    case W2N_CONST_EXTENDED: return extended_type(m, e);
    }
    return 0;
}

/* Whether a value of type `a` may be stored as a `b`: numbers exactly;
 * references of one hierarchy (what the runtime relies on: a funcref slot
 * holds w2n_func pointers; finer typing was the validator's). */
static bool fits(w2n_valtype a, w2n_valtype b) {
    if (a == b)
        return true;
    return w2n_valtype_is_ref(a) && w2n_valtype_is_ref(b) &&
           w2n_heaptype_top(w2n_valtype_heap_type(a)) == w2n_heaptype_top(w2n_valtype_heap_type(b));
}

static w2n_status check_start(const checker *c) {
    const w2n_meta *m = c->m;
    if (m->start < 0)
        return W2N_OK;
    const w2n_functype *t = &m->types[func_type(m, (uint64_t)m->start)];
    if (t->nparams || t->nresults)
        return w2n_error_set(c->err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                             "corrupt %s metadata: start function %lld has %u parameters and "
                             "%u results (it must take and return nothing)",
                             W2N_META_SECTION, (long long)m->start, t->nparams, t->nresults);
    return W2N_OK;
}

static w2n_status check_globals(const checker *c) {
    const w2n_meta *m = c->m;
    for (uint32_t i = 0; i < m->nglobals; i++)
        if (!fits(const_type(m, &m->globals[i].init), m->globals[i].type.type))
            return bad(c, "initialiser of another type than its global", m->nimported_globals + i);
    for (uint32_t i = 0; i < m->ntables; i++)
        if (m->table_inits && m->table_inits[i].kind &&
            !fits(const_type(m, &m->table_inits[i]), m->tables[i].elem))
            return bad(c, "initialiser of another type than its table", m->nimported_tables + i);
    return W2N_OK;
}

static w2n_status check_elems(const checker *c) {
    const w2n_meta *m = c->m;
    for (uint32_t i = 0; i < m->nelems; i++) {
        const w2n_meta_elem *e = &m->elems[i];
        const w2n_tabletype *t = table_of(m, e->table);
        if (e->mode == W2N_SEGMENT_ACTIVE &&
            (!t || const_type(m, &e->offset) != offset_type(&t->limits) || !fits(e->type, t->elem)))
            return bad(c, "active element segment of the wrong offset or table type", i);
        for (uint32_t k = 0; k < e->count; k++)
            if (!fits(const_type(m, &e->items[k]), e->type))
                return bad(c, "element of another type than its segment, in segment", i);
    }
    for (uint32_t i = 0; i < m->ndatas; i++)
        if (m->datas[i].mode == W2N_SEGMENT_ACTIVE &&
            const_type(m, &m->datas[i].offset) != offset_type(memory_of(m, m->datas[i].memory)))
            return bad(c, "data segment offset is not of its memory's index type, in segment", i);
    return W2N_OK;
}

w2n_status w2n_meta_check(const w2n_meta *m, w2n_error *err) {
    checker c = {m, err};
    w2n_status st = check_start(&c);
    if (st == W2N_OK)
        st = check_globals(&c);
    if (st == W2N_OK)
        st = check_elems(&c);
    return st;
}
