/*
 * lower_table_known.c — what a function table holds when nothing can change
 * it, as constants call_indirect can use.
 *
 * wasm-ld's __indirect_function_table is the usual case: defined, not
 * exported, its size fixed (minimum = maximum), filled by one active segment
 * at a constant offset, and never written by an instruction.  Then element i
 * is, from instantiation on, the function the segments put there, and a
 * call_indirect through it can find that function's code in a constant array
 * instead of loading the element's w2n_func record, its call_id, the
 * expected type id, and the record's code and vmctx (lower_call.c).  For a
 * call of type t the array holds, per element, the function's code when it
 * is defined in this module (its record's vmctx is the caller's own) and its
 * type is t, else null; a null sends the call down the ordinary path, which
 * traps or calls exactly as before (a null element, a type mismatch, an
 * imported function).
 *
 * Invariant: a table is known only when no instruction of the module may
 * write any table (table.set, fill, copy, init, grow), nothing outside the
 * module can reach it (defined, not exported), its size is fixed, it has no
 * initial value, and every active segment into it has a constant offset,
 * fits, and holds ref.func or ref.null only.  Only modules without GC types,
 * where a type's canonical id is its structure.
 */
#include "lower.h"

#include "meta.h"
#include "w2n/limits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool exported(const w2n_module *m, uint32_t table) {
    for (uint32_t i = 0; i < m->nexports; i++)
        if (m->exports[i].kind == W2N_EXTERN_TABLE && m->exports[i].index == table)
            return true;
    return false;
}

/* The function index of each element of `table` after instantiation
 * (UINT32_MAX: null), or NULL when it is not known. */
static uint32_t *known_elements(const w2n_lower_module *lm, uint32_t table) {
    const w2n_module *m = lm->m;
    uint32_t size;
    if (table < m->nimported_tables || exported(m, table) || m->tables[table].limits.is64 ||
        m->table_inits[table - m->nimported_tables].present ||
        !w2n_lower_table_fixed_size(lm, table, &size) || size > W2N_OPT_MAX_KNOWN_TABLE)
        return NULL;
    uint32_t *funcs = w2n_xmalloc((size_t)size * sizeof *funcs + 1);
    memset(funcs, 0xff, (size_t)size * sizeof *funcs);
    for (uint32_t s = 0; s < m->nelems; s++) {
        const w2n_elem_segment *seg = &m->elems[s];
        if (seg->mode != W2N_SEGMENT_ACTIVE || seg->table != table)
            continue;
        uint64_t at = seg->offset.value.bits[0];
        if (seg->offset.value.kind != W2N_CONST_I32 || at + seg->count > size) {
            free(funcs);
            return NULL;
        }
        for (uint32_t i = 0; i < seg->count; i++) {
            const w2n_const_expr *item = &seg->items[i].value;
            if (item->kind != W2N_CONST_REF_FUNC && item->kind != W2N_CONST_REF_NULL) {
                free(funcs);
                return NULL;
            }
            funcs[at + i] = item->kind == W2N_CONST_REF_FUNC ? item->index : UINT32_MAX;
        }
    }
    return funcs;
}

static void scan_tables(w2n_lower_module *lm) {
    const w2n_module *m = lm->m;
    lm->known_tables_scanned = true;
    if (lm->gc || m->has_gc_types || !m->ntables || lm->facts->writes_tables)
        return;
    lm->known_tables = w2n_xcalloc(m->ntables, sizeof *lm->known_tables);
    lm->known_table_code =
        w2n_xcalloc(W2N_OPT_MAX_KNOWN_TABLE_ARRAYS, sizeof *lm->known_table_code);
    for (uint32_t t = 0; t < m->ntables; t++)
        lm->known_tables[t] = known_elements(lm, t);
}

static bool same_type(const w2n_functype *a, const w2n_functype *b) {
    return a->nparams == b->nparams && a->nresults == b->nresults &&
           !memcmp(a->params, b->params, a->nparams * sizeof *a->params) &&
           !memcmp(a->results, b->results, a->nresults * sizeof *a->results);
}

LLVMValueRef w2n_lower_known_table_code(w2n_lower_module *lm, uint32_t table, uint32_t type_index) {
    const w2n_module *m = lm->m;
    if (!lm->known_tables_scanned)
        scan_tables(lm);
    if (!lm->known_tables || !lm->known_tables[table])
        return NULL;
    for (uint32_t i = 0; i < lm->nknown_table_code; i++)
        if (lm->known_table_code[i].table == table &&
            lm->known_table_code[i].type_index == type_index)
            return lm->known_table_code[i].code;
    uint32_t size = (uint32_t)m->tables[table].limits.min;
    if (lm->nknown_table_code == W2N_OPT_MAX_KNOWN_TABLE_ARRAYS ||
        lm->known_table_code_elements + size > W2N_OPT_MAX_KNOWN_TABLE_CODE)
        return NULL; /* the ordinary path: past the budget of constant arrays */
    lm->known_table_code_elements += size;
    LLVMValueRef *code = w2n_xcalloc(size + 1, sizeof *code);
    for (uint32_t i = 0; i < size; i++) {
        uint32_t fn = lm->known_tables[table][i];
        bool direct = fn != UINT32_MAX && fn >= m->nimported_funcs &&
                      same_type(w2n_module_func_type(m, fn), &m->types[type_index]);
        code[i] = direct ? lm->funcs[fn] : LLVMConstNull(lm->t_ptr);
    }
    char name[64];
    snprintf(name, sizeof name, "w2n_table%u_code_type%u", table, type_index);
    LLVMValueRef g = w2n_lower_code_pointer_table(lm, name, code, size);
    LLVMSetAlignment(g, 8);
    free(code);
    lm->known_table_code[lm->nknown_table_code++] =
        (struct w2n_known_table_code){.table = table, .type_index = type_index, .code = g};
    return g;
}

void w2n_lower_known_tables_free(w2n_lower_module *lm) {
    if (lm->known_tables)
        for (uint32_t t = 0; t < lm->m->ntables; t++)
            free(lm->known_tables[t]);
    free(lm->known_tables);
    free(lm->known_table_code);
}
