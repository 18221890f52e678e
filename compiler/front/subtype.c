/*
 * subtype.c — subtyping between the value types of one module (Wasm 3.0).
 *
 * Abstract heap types follow their hierarchies (common/valtype.c).  A
 * concrete type sits below the abstract type of its kind (a function type
 * below func; a struct type below struct, eq and any; an array type below
 * array, eq and any) and above that hierarchy's bottom (nofunc or none).
 * Between concrete types, a <: b when b's canonical index is on a's chain
 * of declared supertypes.  Validation checks that each declared supertype
 * has a lower index, so the walk ends; an index that has not been checked
 * yet (a type section still being validated) stops it as well.
 */
#include "module.h"

static bool in_range(const w2n_module *m, w2n_heaptype ht) {
    return w2n_valtype_type_index(ht) < m->ntypes && m->typedefs;
}

static uint8_t kind_of(const w2n_module *m, w2n_heaptype ht) {
    return in_range(m, ht) ? m->typedefs[w2n_valtype_type_index(ht)].kind : W2N_TYPE_FUNC;
}

w2n_heaptype w2n_module_heaptype_top(const w2n_module *m, w2n_heaptype ht) {
    if (!w2n_heaptype_is_concrete(ht))
        return w2n_heaptype_top(ht);
    return kind_of(m, ht) == W2N_TYPE_FUNC ? W2N_FUNCREF : W2N_ANYREF;
}

static uint32_t canon(const w2n_module *m, uint32_t idx) {
    return m->type_canon ? m->type_canon[idx] : idx;
}

static bool concrete_sub(const w2n_module *m, uint32_t a, uint32_t b) {
    if (a >= m->ntypes || b >= m->ntypes)
        return a == b;
    uint32_t want = canon(m, b);
    for (uint32_t cur = a;;) {
        if (canon(m, cur) == want)
            return true;
        uint32_t super = m->typedefs ? m->typedefs[cur].supertype : W2N_NO_SUPERTYPE;
        if (super == W2N_NO_SUPERTYPE || super >= cur)
            return false;
        cur = super;
    }
}

bool w2n_module_heaptype_sub(const w2n_module *m, w2n_heaptype a, w2n_heaptype b) {
    if (a == b || a == W2N_HEAPTYPE_BOTTOM)
        return true;
    bool ac = w2n_heaptype_is_concrete(a), bc = w2n_heaptype_is_concrete(b);
    if (ac && bc)
        return concrete_sub(m, w2n_valtype_type_index(a), w2n_valtype_type_index(b));
    if (ac) {
        switch (kind_of(m, a)) {
        case W2N_TYPE_FUNC: return b == W2N_FUNCREF;
        case W2N_TYPE_STRUCT: return b == W2N_STRUCTREF || b == W2N_EQREF || b == W2N_ANYREF;
        default: return b == W2N_ARRAYREF || b == W2N_EQREF || b == W2N_ANYREF;
        }
    }
    if (bc)
        return a == (kind_of(m, b) == W2N_TYPE_FUNC ? W2N_NULLFUNCREF : W2N_NULLREF);
    return w2n_heaptype_sub(a, b);
}

bool w2n_module_valtype_sub(const w2n_module *m, w2n_valtype a, w2n_valtype b) {
    if (a == b)
        return true;
    return w2n_valtype_refs_may_sub(a, b) &&
           w2n_module_heaptype_sub(m, w2n_valtype_heap_type(a), w2n_valtype_heap_type(b));
}
