/*
 * module_facts.c — one walk of every function body for the facts about the
 * whole module that the later stages ask (module_facts.h).
 *
 * Each partition of a large module is lowered on its own thread, and each
 * used to decode every body again for each question: 3 to 4 walks of the
 * module per partition before any lowering, and one more per function for
 * its calls and its br_table entries.  Here each body is decoded once,
 * before partitioning, and the answers go into one record that the
 * partitions only read.  The facts are those of the module, never of a
 * partition, so every partition takes the same decisions and the object is
 * the same whatever the number of threads.
 *
 * Invariant: the module is validated, so every body decodes; a body that
 * does not is a w2n bug, reported as W2N_ERR_INTERNAL.
 */
#include "module_facts.h"

#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "instr.h"
#include "opcodes.h"

/* Is heap type `ht` of the any or extern hierarchy in module m? */
static bool is_gc_heap_type(const w2n_module *m, w2n_heaptype ht) {
    if (w2n_heaptype_is_concrete(ht)) {
        uint32_t idx = w2n_valtype_type_index(ht);
        return idx < m->ntypes && m->typedefs && m->typedefs[idx].kind != W2N_TYPE_FUNC;
    }
    w2n_heaptype top = w2n_module_heaptype_top(m, ht);
    return top == W2N_ANYREF || top == W2N_EXTERNREF;
}

bool w2n_module_facts_is_gc_valtype(const w2n_module *m, w2n_valtype t) {
    return w2n_valtype_is_ref(t) && is_gc_heap_type(m, w2n_valtype_heap_type(t));
}

/* A value of the any hierarchy among ts (extern alone is Wasm 2.0's). */
static bool any_gc_valtype(const w2n_module *m, const w2n_valtype *ts, uint32_t n) {
    for (uint32_t i = 0; i < n; i++)
        if (w2n_module_facts_is_gc_valtype(m, ts[i]) &&
            w2n_module_heaptype_top(m, w2n_valtype_heap_type(ts[i])) == W2N_ANYREF)
            return true;
    return false;
}

static bool any_exnref(const w2n_valtype *ts, uint32_t n) {
    for (uint32_t i = 0; i < n; i++)
        if (ts[i] == W2N_EXNREF)
            return true;
    return false;
}

/* What the module's declarations say, before any body is read. */
static void note_declarations(const w2n_module *m, w2n_module_facts *f) {
    f->uses_exceptions = m->ntags > 0;
    bool gc = w2n_features_has(m->features, W2N_FEATURE_GC);
    for (uint32_t i = 0; i < m->ntypes; i++) {
        const w2n_functype *t = &m->types[i];
        f->uses_exceptions |=
            any_exnref(t->params, t->nparams) || any_exnref(t->results, t->nresults);
        f->uses_gc |= gc && (any_gc_valtype(m, t->params, t->nparams) ||
                             any_gc_valtype(m, t->results, t->nresults));
    }
    for (uint32_t i = 0; gc && i < m->nglobals; i++)
        f->uses_gc |= any_gc_valtype(m, &m->global_types[i].type, 1);
    for (uint32_t i = 0; gc && i < m->ntables; i++)
        f->uses_gc |= any_gc_valtype(m, &m->tables[i].elem, 1);
}

/* The functions code outside the module can reach: exported, the start
 * function, and every funcref a segment or a global's initial value makes
 * (validation makes every ref.func of a body name one of these). */
static void note_escapes(const w2n_module *m, bool *esc) {
    for (uint32_t i = 0; i < m->nexports; i++)
        if (m->exports[i].kind == W2N_EXTERN_FUNC)
            esc[m->exports[i].index] = true;
    if (m->start >= 0)
        esc[m->start] = true;
    for (uint32_t s = 0; s < m->nelems; s++)
        for (uint32_t i = 0; i < m->elems[s].count; i++)
            if (m->elems[s].items[i].value.kind == W2N_CONST_REF_FUNC)
                esc[m->elems[s].items[i].value.index] = true;
    for (uint32_t g = 0; g < m->nglobals - m->nimported_globals; g++)
        if (m->globals[g].init.value.kind == W2N_CONST_REF_FUNC)
            esc[m->globals[g].init.value.index] = true;
}

/* The table an instruction may write, or UINT32_MAX for none. */
static uint32_t table_written_by(const w2n_instr *in) {
    switch (in->op) {
    case W2N_OP_TABLE_SET:
    case W2N_OP_TABLE_FILL:
    case W2N_OP_TABLE_GROW: return in->imm.index;
    case W2N_OP_TABLE_COPY: return in->imm.table_copy.dst;
    case W2N_OP_TABLE_INIT: return in->imm.table_init.table;
    default: return UINT32_MAX;
    }
}

/* Where one walk of a body stands in its blocks: how deep, how many of the
 * open blocks are loops, and what the outermost open loop holds so far. */
typedef struct loop_nest {
    uint32_t self;      /* the function's index */
    uint32_t *open_ops; /* the op of each open block, outermost first */
    uint32_t depth, loop_depth;
    size_t cap;
    bool touches_memory, calls_self; /* in the outermost open loop */
} loop_nest;

/* Room in *array (n used of *cap) for one more; false when out of memory. */
static bool push_room(uint32_t **array, uint32_t n, size_t *cap) {
    uint32_t *a = w2n_grow(*array, cap, (size_t)n + 1, sizeof *a, 16);
    if (!a)
        return false;
    *array = a;
    return true;
}

/* Follows in into the nest; false when out of memory. */
static bool note_loop_nest(loop_nest *n, const w2n_instr *in, w2n_function_facts *ff) {
    if (w2n_opcode_opens_block(in->op)) {
        if (!push_room(&n->open_ops, n->depth, &n->cap))
            return false;
        n->open_ops[n->depth++] = in->op;
        n->loop_depth += in->op == W2N_OP_LOOP;
        return true;
    }
    if (w2n_opcode_closes_block(in->op) && n->depth > 0) {
        if (n->open_ops[--n->depth] == W2N_OP_LOOP && --n->loop_depth == 0) {
            ff->calls_self_in_memory_loop |= n->touches_memory && n->calls_self;
            n->touches_memory = n->calls_self = false;
        }
        return true;
    }
    if (n->loop_depth == 0)
        return true;
    if (in->info->imm == W2N_IMM_MEMARG || in->info->imm == W2N_IMM_MEMARG_LANE)
        n->touches_memory = true;
    if (in->op == W2N_OP_CALL && in->imm.index == n->self)
        n->calls_self = true;
    return true;
}

static void note_instr(const w2n_module *m, const w2n_instr *in, w2n_module_facts *f,
                       w2n_function_facts *ff) {
    uint32_t feature = in->info->feature;
    f->uses_exceptions |=
        feature == W2N_FEATURE_EXCEPTIONS || feature == W2N_FEATURE_LEGACY_EXCEPTIONS;
    /* A GC instruction, or a ref.null of the any hierarchy. */
    f->uses_gc |= w2n_features_has(m->features, W2N_FEATURE_GC) &&
                  (feature == W2N_FEATURE_GC ||
                   (in->op == W2N_OP_REF_NULL && any_gc_valtype(m, &in->imm.reftype, 1)));
    f->has_tail_calls |= w2n_opcode_is_call(in->op, true);
    ff->calls |= w2n_opcode_is_call(in->op, false) || w2n_opcode_is_call(in->op, true);
    if (in->op == W2N_OP_BR_TABLE)
        ff->br_table_entries += in->imm.br_table.count;
    uint32_t table = table_written_by(in);
    if (table != UINT32_MAX) {
        f->writes_tables = true;
        if (table < m->ntables)
            f->table_written[table] = true;
    }
}

/* Notes a call's target: a direct call of a defined function goes into
 * f->callees, anything else makes the function call outside; false when out
 * of memory. */
static bool note_call(const w2n_module *m, const w2n_instr *in, w2n_module_facts *f,
                      w2n_function_facts *ff) {
    bool direct = in->op == W2N_OP_CALL && in->imm.index >= m->nimported_funcs;
    if (!direct) {
        ff->calls_outside |= w2n_opcode_is_call(in->op, false) || w2n_opcode_is_call(in->op, true);
        return true;
    }
    if (!push_room(&f->callees, f->ncallees, &f->callees_cap))
        return false;
    f->callees[f->ncallees++] = in->imm.index;
    ff->ncallees++;
    return true;
}

static w2n_status walk_body(const w2n_module *m, uint32_t func_index, w2n_module_facts *f,
                            loop_nest *nest, w2n_error *err) {
    const w2n_code *code = &m->codes[func_index - m->nimported_funcs];
    w2n_function_facts *ff = &f->funcs[func_index - m->nimported_funcs];
    f->uses_exceptions |= any_exnref(code->locals, code->nlocals);
    f->uses_gc |= w2n_features_has(m->features, W2N_FEATURE_GC) &&
                  any_gc_valtype(m, code->locals, code->nlocals);
    w2n_error ignored;
    w2n_instr_reader ir;
    w2n_instr_reader_init(&ir, m->bytes, code->body_start, code->body_end, &ignored);
    ir.r.features = m->features;
    *nest = (loop_nest){.self = func_index, .open_ops = nest->open_ops, .cap = nest->cap};
    ff->first_callee = f->ncallees;
    w2n_status s = W2N_OK;
    w2n_instr in;
    while (s == W2N_OK && !w2n_instr_reader_done(&ir)) {
        if (w2n_instr_read(&ir, &in)) {
            note_instr(m, &in, f, ff);
            if (!note_loop_nest(nest, &in, ff) || !note_call(m, &in, f, ff))
                s = w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
        } else
            s = w2n_error_set(err, W2N_ERR_INTERNAL, ignored.offset,
                              "function %u does not decode after validation: %s", func_index,
                              ignored.message);
    }
    w2n_instr_reader_free(&ir);
    return s;
}

w2n_status w2n_module_facts_compute(const w2n_module *m, w2n_module_facts *out, w2n_error *err) {
    memset(out, 0, sizeof *out);
    uint32_t ndefined = m->nfuncs - m->nimported_funcs;
    out->table_written = calloc(m->ntables + 1, sizeof *out->table_written);
    out->escapes = calloc(m->nfuncs + 1, sizeof *out->escapes);
    out->funcs = calloc(ndefined + 1, sizeof *out->funcs);
    if (!out->table_written || !out->escapes || !out->funcs)
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    note_declarations(m, out);
    note_escapes(m, out->escapes);
    w2n_status s = W2N_OK;
    loop_nest nest = {0};
    for (uint32_t i = m->nimported_funcs; s == W2N_OK && i < m->nfuncs; i++)
        s = walk_body(m, i, out, &nest, err);
    free(nest.open_ops);
    if (s == W2N_OK && !w2n_module_facts_stack_checks(m, out))
        s = w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    return s;
}

void w2n_module_facts_free(w2n_module_facts *facts) {
    free(facts->table_written);
    free(facts->escapes);
    free(facts->funcs);
    free(facts->callees);
    memset(facts, 0, sizeof *facts);
}
