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

/* The top of heap type ht's hierarchy in this module: a concrete type is
 * below func or, a struct or an array, below any. */
static w2n_heaptype top_of(const w2n_meta *m, w2n_heaptype ht) {
    if (!w2n_heaptype_is_concrete(ht))
        return w2n_heaptype_top(ht);
    uint32_t idx = w2n_valtype_type_index(ht);
    return idx < m->ntypes && m->typedefs[idx].kind != W2N_META_TYPE_FUNC ? W2N_ANYREF
                                                                          : W2N_FUNCREF;
}

/* Whether a value of type `a` may be stored as a `b`: numbers exactly;
 * references of one hierarchy (what the runtime relies on: a funcref slot
 * holds w2n_func pointers; finer typing was the validator's). */
static bool fits(const w2n_meta *m, w2n_valtype a, w2n_valtype b) {
    if (a == b)
        return true;
    return w2n_valtype_is_ref(a) && w2n_valtype_is_ref(b) &&
           top_of(m, w2n_valtype_heap_type(a)) == top_of(m, w2n_valtype_heap_type(b));
}

/* The evaluator's stack of types while a constant expression is checked. */
typedef struct type_stack {
    w2n_valtype types[W2N_LIMIT_CONST_EXPR_OPS];
    uint32_t depth;
} type_stack;

static bool pop_fitting(const w2n_meta *m, type_stack *s, w2n_valtype want) {
    return s->depth > 0 && fits(m, s->types[--s->depth], want);
}

/* A field's value as the stack holds it: packed fields as i32. */
static w2n_valtype unpacked(w2n_valtype storage) {
    return storage == W2N_GC_PACKED_I8 || storage == W2N_GC_PACKED_I16 ? W2N_I32 : storage;
}

static bool defaultable(w2n_valtype storage) {
    return !w2n_valtype_is_ref(storage) || w2n_valtype_is_nullable(storage);
}

/* Pop `n` values for fields `fields[first..]` (the same field n times when
 * `repeat`), the last field on top. */
static bool pop_fields(const w2n_meta *m, type_stack *s, const w2n_meta_field *fields, uint32_t n,
                       bool repeat) {
    for (uint32_t k = n; k-- > 0;)
        if (!pop_fitting(m, s, unpacked(fields[repeat ? 0 : k].storage)))
            return false;
    return true;
}

/* A GC instruction (meta.c let in only the eight of W2N_META_CONST_*, with
 * a type index in range): its operands, then its result. */
static bool gc_instr_type(const w2n_meta *m, const w2n_const_expr *op, type_stack *s) {
    uint32_t type = (uint32_t)op->bits[0];
    const w2n_meta_typedef *t =
        op->index <= W2N_META_CONST_ARRAY_NEW_FIXED ? &m->typedefs[type] : NULL;
    bool is_struct = t && t->kind == W2N_META_TYPE_STRUCT;
    bool is_array = t && t->kind == W2N_META_TYPE_ARRAY && t->nfields == 1;
    bool ok;
    w2n_valtype result = w2n_valtype_ref(w2n_heaptype_concrete(type), false);
    switch (op->index) {
    case W2N_META_CONST_STRUCT_NEW:
        ok = is_struct && pop_fields(m, s, t->fields, t->nfields, false);
        break;
    case W2N_META_CONST_STRUCT_NEW_DEFAULT:
        ok = is_struct;
        for (uint32_t k = 0; ok && k < t->nfields; k++)
            ok = defaultable(t->fields[k].storage);
        break;
    case W2N_META_CONST_ARRAY_NEW:
        ok = is_array && pop_fitting(m, s, W2N_I32) && pop_fields(m, s, t->fields, 1, true);
        break;
    case W2N_META_CONST_ARRAY_NEW_DEFAULT:
        ok = is_array && defaultable(t->fields[0].storage) && pop_fitting(m, s, W2N_I32);
        break;
    case W2N_META_CONST_ARRAY_NEW_FIXED:
        ok = is_array && pop_fields(m, s, t->fields, (uint32_t)op->bits[1], true);
        break;
    case W2N_META_CONST_REF_I31:
        ok = pop_fitting(m, s, W2N_I32);
        result = w2n_valtype_ref(W2N_I31REF, false);
        break;
    case W2N_META_CONST_ANY_CONVERT_EXTERN:
        ok = pop_fitting(m, s, W2N_EXTERNREF);
        result = W2N_ANYREF;
        break;
    default: /* extern.convert_any */
        ok = pop_fitting(m, s, W2N_ANYREF);
        result = W2N_EXTERNREF;
        break;
    }
    if (ok)
        s->types[s->depth++] = result;
    return ok;
}

/* The type one instruction pushes (not arithmetic nor GC), 0 if none. */
static w2n_valtype push_type(const w2n_meta *m, const w2n_const_expr *op) {
    switch (op->kind) {
    case W2N_CONST_I32: return W2N_I32;
    case W2N_CONST_I64: return W2N_I64;
    case W2N_CONST_F32: return W2N_F32;
    case W2N_CONST_F64: return W2N_F64;
    case W2N_CONST_V128: return W2N_V128;
    case W2N_CONST_REF_NULL: return op->index;
    case W2N_CONST_REF_FUNC:
        return w2n_valtype_ref(w2n_heaptype_concrete(func_type(m, op->index)), false);
    case W2N_CONST_GLOBAL_GET: return global_type(m, op->index);
    default: return 0;
    }
}

/* The type `n` instructions leave as their one value, or 0 if their stack
 * does not work out (an operand missing or of the wrong type, more than one
 * value left): what the evaluator (core/const_eval.c) relies on.  meta.c
 * checked the run's range and length and every index. */
static w2n_valtype run_type(const w2n_meta *m, const w2n_const_expr *ops, uint64_t n) {
    type_stack s;
    s.depth = 0;
    for (uint64_t i = 0; i < n; i++) {
        const w2n_const_expr *op = &ops[i];
        if (op->kind == W2N_CONST_GC) {
            if (!gc_instr_type(m, op, &s))
                return 0;
        } else if (op->kind >= W2N_CONST_I32_ADD && op->kind <= W2N_CONST_I64_MUL) {
            w2n_valtype t = op->kind <= W2N_CONST_I32_MUL ? W2N_I32 : W2N_I64;
            if (s.depth < 2 || s.types[s.depth - 1] != t || s.types[s.depth - 2] != t)
                return 0;
            s.depth--;
        } else {
            w2n_valtype t = push_type(m, op);
            if (!t || s.depth == W2N_LIMIT_CONST_EXPR_OPS)
                return 0;
            s.types[s.depth++] = t;
        }
    }
    return s.depth == 1 ? s.types[0] : 0;
}

/* The type a constant expression produces. */
static w2n_valtype const_type(const w2n_meta *m, const w2n_const_expr *e) {
    if (e->kind == W2N_CONST_EXTENDED)
        return run_type(m, &m->const_ops[e->index], e->bits[0]);
    return run_type(m, e, 1);
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
        if (!fits(m, const_type(m, &m->globals[i].init), m->globals[i].type.type))
            return bad(c, "initialiser of another type than its global", m->nimported_globals + i);
    for (uint32_t i = 0; i < m->ntables; i++)
        if (m->table_inits && m->table_inits[i].kind &&
            !fits(m, const_type(m, &m->table_inits[i]), m->tables[i].elem))
            return bad(c, "initialiser of another type than its table", m->nimported_tables + i);
    return W2N_OK;
}

static w2n_status check_elems(const checker *c) {
    const w2n_meta *m = c->m;
    for (uint32_t i = 0; i < m->nelems; i++) {
        const w2n_meta_elem *e = &m->elems[i];
        const w2n_tabletype *t = table_of(m, e->table);
        if (e->mode == W2N_SEGMENT_ACTIVE &&
            (!t || const_type(m, &e->offset) != offset_type(&t->limits) ||
             !fits(m, e->type, t->elem)))
            return bad(c, "active element segment of the wrong offset or table type", i);
        for (uint32_t k = 0; k < e->count; k++)
            if (!fits(m, const_type(m, &e->items[k]), e->type))
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
