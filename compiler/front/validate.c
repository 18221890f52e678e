/*
 * validate.c — Wasm 2.0 validation: module-level rules and every function
 * body, the latter with the algorithm of the spec's appendix (an operand
 * stack whose entries may be Unknown, a stack of control frames, and the
 * "unreachable" flag that makes the rest of a block stack-polymorphic).
 *
 * Typed function references (Wasm 3.0): operands match their expected
 * type by subtyping (`matches`, concrete types compared through the
 * module's canonical indices); the stack's Unknown is the bottom of every
 * type, and a reference popped from it is (ref bot).  A local of a
 * non-null type holds a value only from a local.set/tee to the end of the
 * block around it: the `inits` log undoes each block's sets at its end.
 *
 * Invariants: the operand stack never shrinks below the height of the
 * innermost frame; both stacks are allocated once per module and grown by
 * doubling, so a body is checked in time linear in its size (br_table:
 * in targets x arity).  Errors are W2N_ERR_INVALID in the spec's words,
 * except for faults the binary format owns (W2N_ERR_MALFORMED: a missing
 * final `end`, "data count section required").
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "w2n_assert.h"
#include "grow.h"
#include "instr.h"
#include "meta.h"
#include "module.h"
#include "validate.h"
#include "w2n/limits.h"

#define MAX_PAGES 65536u
#define MAX_PAGES64 (UINT64_C(1) << 48) /* a 64-bit memory's: 2^64 bytes in 64 KiB pages */

bool w2n_validate_fail(validator *v, w2n_status code, size_t at, const char *fmt, ...) {
    w2n_error *e = v->err;
    e->code = code;
    e->offset = at;
    e->func_index = v->func;
    e->instruction = code == W2N_ERR_INVALID ? v->instruction : NULL;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    return false;
}

static bool nomem(validator *v) {
    return w2n_validate_fail(v, W2N_ERR_NOMEM, v->at, "out of memory");
}

static bool is_num(w2n_valtype t) {
    return t == W2N_I32 || t == W2N_I64 || t == W2N_F32 || t == W2N_F64 || t == T_UNKNOWN;
}
static bool is_vec(w2n_valtype t) { return t == W2N_V128 || t == T_UNKNOWN; }
static bool is_ref(w2n_valtype t) { return t == T_UNKNOWN || w2n_valtype_is_ref(t); }

/* Whether a value of type a may stand where b is expected (T_UNKNOWN, the
 * stack's bottom, matches anything). */
bool w2n_validate_matches(const validator *v, w2n_valtype a, w2n_valtype b) {
    if (a == b || a == T_UNKNOWN || b == T_UNKNOWN)
        return true;
    return w2n_module_valtype_sub(v->m, a, b);
}

static bool all_match(const validator *v, const w2n_valtype *a, const w2n_valtype *b, uint32_t n) {
    for (uint32_t i = 0; i < n; i++)
        if (!w2n_validate_matches(v, a[i], b[i]))
            return false;
    return true;
}

/* ---- the operand and control stacks ------------------------------------ */

bool w2n_validate_push(validator *v, w2n_valtype t) {
    if (v->nvals == v->cap_vals) {
        w2n_valtype *p = w2n_grow(v->vals, &v->cap_vals, v->nvals + 1, sizeof *p, 64);
        if (!p)
            return nomem(v);
        v->vals = p;
    }
    v->vals[v->nvals++] = t;
    return true;
}

static bool pop(validator *v, w2n_valtype *out) {
    frame *f = &v->ctrls[v->nctrls - 1];
    *out = T_UNKNOWN; /* defined even on failure */
    if (v->nvals == f->height) {
        if (f->unreachable) {
            *out = T_UNKNOWN;
            return true;
        }
        return INVALID(v, "type mismatch");
    }
    *out = v->vals[--v->nvals];
    return true;
}

bool w2n_validate_pop_expect(validator *v, w2n_valtype expect) {
    w2n_valtype t = T_UNKNOWN;
    if (!pop(v, &t))
        return false;
    if (!w2n_validate_matches(v, t, expect))
        return INVALID(v, "type mismatch");
    return true;
}

/* Pop a reference of any type; the stack's bottom becomes (ref bot). */
bool w2n_validate_pop_ref(validator *v, w2n_valtype *out) {
    if (!pop(v, out))
        return false;
    if (*out == T_UNKNOWN)
        *out = w2n_valtype_ref(W2N_HEAPTYPE_BOTTOM, false);
    else if (!w2n_valtype_is_ref(*out))
        return INVALID(v, "type mismatch");
    return true;
}

bool w2n_validate_pop_vals(validator *v, const w2n_valtype *ts, uint32_t n) {
    for (uint32_t i = n; i-- > 0;)
        if (!w2n_validate_pop_expect(v, ts[i]))
            return false;
    return true;
}

bool w2n_validate_push_vals(validator *v, const w2n_valtype *ts, uint32_t n) {
    for (uint32_t i = 0; i < n; i++)
        if (!w2n_validate_push(v, ts[i]))
            return false;
    return true;
}

static const w2n_valtype *frame_results(const frame *f) {
    return f->results ? f->results : &f->single;
}

/* The types a branch to this frame carries. */
const w2n_valtype *w2n_validate_label_types(const frame *f, uint32_t *n) {
    if (f->op == W2N_OP_LOOP) {
        *n = f->nparams;
        return f->params;
    }
    *n = f->nresults;
    return frame_results(f);
}

static bool push_ctrl(validator *v, const frame *proto) {
    if (v->nctrls == v->cap_ctrls) {
        frame *p = w2n_grow(v->ctrls, &v->cap_ctrls, v->nctrls + 1, sizeof *p, 16);
        if (!p)
            return nomem(v);
        v->ctrls = p;
    }
    frame *f = &v->ctrls[v->nctrls++];
    *f = *proto;
    f->height = v->nvals;
    f->init_height = v->ninits;
    f->unreachable = false;
    return w2n_validate_push_vals(v, f->params, f->nparams);
}

/* Pop the innermost frame; *out receives a copy. */
static bool pop_ctrl(validator *v, frame *out) {
    frame *f = &v->ctrls[v->nctrls - 1];
    if (!w2n_validate_pop_vals(v, frame_results(f), f->nresults))
        return false;
    if (v->nvals != f->height)
        return INVALID(v, "type mismatch");
    *out = *f; /* `single` travels with the copy */
    v->nctrls--;
    /* Locals set inside the block are unset again after it. */
    while (v->ninits > f->init_height)
        v->local_set[v->inits[--v->ninits]] = false;
    return true;
}

static void set_unreachable(validator *v) {
    frame *f = &v->ctrls[v->nctrls - 1];
    v->nvals = f->height;
    f->unreachable = true;
}

/* ---- instruction groups -------------------------------------------------- */

/* Push `out` (if any) after popping `ins` in order (the last is on top). */
static bool op_sig(validator *v, int nin, w2n_valtype a, w2n_valtype b, w2n_valtype c,
                   w2n_valtype out) {
    w2n_valtype ins[3] = {a, b, c};
    if (!w2n_validate_pop_vals(v, ins, (uint32_t)nin))
        return false;
    return out ? w2n_validate_push(v, out) : true;
}

static bool check_memory(validator *v, uint32_t mem) {
    if (mem >= v->m->nmemories)
        return INVALID(v, "unknown memory %u", mem);
    return true;
}

/* The type of a memory's addresses (i64 for a 64-bit memory) and of a
 * table's indices (i64 for a 64-bit table); the index is checked first. */
static w2n_valtype memory_addr_type(const validator *v, uint32_t mem) {
    return v->m->memories[mem].is64 ? W2N_I64 : W2N_I32;
}

static w2n_valtype table_index_type(const validator *v, uint32_t t) {
    return v->m->tables[t].limits.is64 ? W2N_I64 : W2N_I32;
}

/* A length spanning two memories or tables is i64 only when both are. */
static w2n_valtype min_index_type(w2n_valtype a, w2n_valtype b) {
    return a == W2N_I64 && b == W2N_I64 ? W2N_I64 : W2N_I32;
}

static bool check_memarg(validator *v, const w2n_memarg *ma, uint32_t natural_log2) {
    if (!check_memory(v, ma->memory))
        return false;
    if (ma->align > natural_log2)
        return INVALID(v, "alignment must not be larger than natural");
    if (!v->m->memories[ma->memory].is64 && ma->offset > UINT32_MAX)
        return INVALID(v, "offset out of range");
    return true;
}

static bool check_table(validator *v, uint32_t t) {
    if (t >= v->m->ntables)
        return INVALID(v, "unknown table %u", t);
    return true;
}

static bool check_func(validator *v, uint32_t f) {
    if (f >= v->m->nfuncs)
        return INVALID(v, "unknown function %u", f);
    return true;
}

bool w2n_validate_type_index(validator *v, uint32_t t) {
    if (t >= v->m->ntypes)
        return INVALID(v, "unknown type %u", t);
    return true;
}

/* A type index that must name a function type (of a function, a block,
 * a call, a tag). */
static bool check_func_type(validator *v, uint32_t t) {
    if (!w2n_validate_type_index(v, t))
        return false;
    if (v->m->typedefs[t].kind != W2N_TYPE_FUNC)
        return INVALID(v, "type mismatch");
    return true;
}

/* A value type's heap type, if concrete, must name a type of the module
 * (below `limit`: a type definition sees only itself and earlier ones). */
static bool check_valtype_in(validator *v, w2n_valtype t, uint32_t limit) {
    if (!w2n_valtype_is_ref(t) || !w2n_heaptype_is_concrete(w2n_valtype_heap_type(t)))
        return true;
    uint32_t idx = w2n_valtype_type_index(t);
    if (idx >= limit)
        return INVALID(v, "unknown type %u", idx);
    return true;
}

bool w2n_validate_valtype(validator *v, w2n_valtype t) {
    return check_valtype_in(v, t, v->m->ntypes);
}

bool w2n_validate_data_index(validator *v, uint32_t d) {
    /* Without a data count section the binary is malformed, but when there
     * are no data segments at all the index is plainly unknown (the suite's
     * text modules are encoded that way). */
    if (!v->m->has_data_count && d < v->m->ndatas)
        return w2n_validate_fail(v, W2N_ERR_MALFORMED, v->at, "data count section required");
    if (!v->m->has_data_count)
        return INVALID(v, "unknown data segment %u", d);
    if (d >= v->m->data_count)
        return INVALID(v, "unknown data segment %u", d);
    return true;
}

bool w2n_validate_elem_index(validator *v, uint32_t e) {
    if (e >= v->m->nelems)
        return INVALID(v, "unknown elem segment %u", e);
    return true;
}

/* Elements of type a may go where b's are stored. */
static bool reftype_fits(validator *v, w2n_valtype a, w2n_valtype b) {
    if (!w2n_validate_matches(v, a, b))
        return INVALID(v, "type mismatch");
    return true;
}

/* 0xFC 8..17 but memory.fill: bulk memory and table instructions. */
static bool bulk_op(validator *v, const w2n_instr *in) {
    const w2n_module *m = v->m;
    const w2n_valtype I = W2N_I32;
    switch (in->op) {
    case W2N_OP_MEMORY_INIT:
        if (!check_memory(v, in->imm.memory_init.memory) ||
            !w2n_validate_data_index(v, in->imm.memory_init.segment))
            return false;
        return op_sig(v, 3, memory_addr_type(v, in->imm.memory_init.memory), I, I, 0);
    case W2N_OP_DATA_DROP: return w2n_validate_data_index(v, in->imm.index);
    case W2N_OP_MEMORY_COPY: {
        uint32_t d = in->imm.memory_copy.dst, s = in->imm.memory_copy.src;
        if (!check_memory(v, d) || !check_memory(v, s))
            return false;
        w2n_valtype dt = memory_addr_type(v, d), st = memory_addr_type(v, s);
        return op_sig(v, 3, dt, st, min_index_type(dt, st), 0);
    }
    case W2N_OP_TABLE_INIT: {
        uint32_t t = in->imm.table_init.table, e = in->imm.table_init.segment;
        if (!check_table(v, t) || !w2n_validate_elem_index(v, e) ||
            !reftype_fits(v, m->elems[e].type, m->tables[t].elem))
            return false;
        return op_sig(v, 3, table_index_type(v, t), I, I, 0);
    }
    case W2N_OP_ELEM_DROP: return w2n_validate_elem_index(v, in->imm.index);
    case W2N_OP_TABLE_COPY: {
        uint32_t d = in->imm.table_copy.dst, s = in->imm.table_copy.src;
        if (!check_table(v, d) || !check_table(v, s) ||
            !reftype_fits(v, m->tables[s].elem, m->tables[d].elem))
            return false;
        w2n_valtype dt = table_index_type(v, d), st = table_index_type(v, s);
        return op_sig(v, 3, dt, st, min_index_type(dt, st), 0);
    }
    case W2N_OP_TABLE_GROW:
        if (!check_table(v, in->imm.index))
            return false;
        return op_sig(v, 2, m->tables[in->imm.index].elem, table_index_type(v, in->imm.index), 0,
                      table_index_type(v, in->imm.index));
    case W2N_OP_TABLE_SIZE:
        return check_table(v, in->imm.index) &&
               w2n_validate_push(v, table_index_type(v, in->imm.index));
    case W2N_OP_TABLE_FILL:
        if (!check_table(v, in->imm.index))
            return false;
        return op_sig(v, 3, table_index_type(v, in->imm.index), m->tables[in->imm.index].elem,
                      table_index_type(v, in->imm.index), 0);
    }
    return INVALID(v, "no validation rule for %s", in->info->name);
}

/* ---- instructions typed by their table row ------------------------------ */

static w2n_valtype sig_type(char c) {
    switch (c) {
    case 'i': return W2N_I32;
    case 'l': return W2N_I64;
    case 'f': return W2N_F32;
    case 'd': return W2N_F64;
    case 'v': return W2N_V128;
    }
    W2N_ASSERT(!"bad signature letter in opcodes.def");
    return T_UNKNOWN;
}

/* Which letters of a row's signature (bit i: the i-th letter, params then
 * results) are addresses of a 64-bit memory, hence i64: a load's or store's
 * first param; every i of memory.size/grow; memory.fill's dst and n. */
static unsigned wide_letters(const validator *v, const w2n_instr *in) {
    switch (in->info->imm) {
    case W2N_IMM_MEMARG:
    case W2N_IMM_MEMARG_LANE:
        return in->imm.memarg.memory < v->m->nmemories &&
                       memory_addr_type(v, in->imm.memarg.memory) == W2N_I64
                   ? 1u
                   : 0u;
    case W2N_IMM_MEMIDX:
        if (in->imm.index >= v->m->nmemories || memory_addr_type(v, in->imm.index) != W2N_I64)
            return 0;
        return in->op == W2N_OP_MEMORY_FILL ? 5u : ~0u;
    }
    return 0;
}

/* The type of letter `c` at position `pos` (the colon not counted). */
static w2n_valtype sig_letter_type(char c, unsigned pos, unsigned wide) {
    return c == 'i' && pos < 32 && (wide >> pos & 1u) ? W2N_I64 : sig_type(c);
}

/* The immediates' own rules (alignment, lane and memory indices), then
 * the row's signature: pop the params (the last is on top), push results. */
static bool sig_op(validator *v, const w2n_instr *in) {
    const w2n_opcode_info *info = in->info;
    switch (info->imm) {
    case W2N_IMM_MEMARG:
    case W2N_IMM_MEMARG_LANE:
        if (!check_memarg(v, &in->imm.memarg, (uint32_t)info->size))
            return false;
        /* Atomic accesses (threads) name exactly their natural alignment. */
        if (info->feature == W2N_FEATURE_THREADS && in->imm.memarg.align != (uint32_t)info->size)
            return INVALID(v, "atomic alignment must be natural");
        break;
    case W2N_IMM_MEMIDX:
        if (!check_memory(v, in->imm.index))
            return false;
        break;
    case W2N_IMM_SHUFFLE:
        for (int i = 0; i < 16; i++)
            if (in->imm.v128[i] >= 32)
                return INVALID(v, "invalid lane index");
        break;
    }
    if ((info->imm == W2N_IMM_LANE || info->imm == W2N_IMM_MEMARG_LANE) &&
        in->lane >= (16u >> info->size))
        return INVALID(v, "invalid lane index");
    const char *colon = strchr(info->sig, ':');
    W2N_ASSERT(colon);
    unsigned wide = wide_letters(v, in);
    for (const char *p = colon; p-- > info->sig;)
        if (!w2n_validate_pop_expect(v, sig_letter_type(*p, (unsigned)(p - info->sig), wide)))
            return false;
    for (const char *p = colon + 1; *p; p++)
        if (!w2n_validate_push(v, sig_letter_type(*p, (unsigned)(p - info->sig) - 1, wide)))
            return false;
    return true;
}

/* ---- control ------------------------------------------------------------- */

static bool blocktype_frame(validator *v, uint32_t op, const w2n_blocktype *bt, frame *f) {
    memset(f, 0, sizeof *f);
    f->op = op;
    switch (bt->kind) {
    case W2N_BLOCK_EMPTY: f->results = (const w2n_valtype *)""; break;
    case W2N_BLOCK_VALUE:
        if (!w2n_validate_valtype(v, bt->value))
            return false;
        f->single = bt->value;
        f->nresults = 1;
        break;
    case W2N_BLOCK_TYPE: {
        if (!check_func_type(v, bt->type_index))
            return false;
        const w2n_functype *t = &v->m->types[bt->type_index];
        f->params = t->params;
        f->nparams = t->nparams;
        f->results = t->results;
        f->nresults = t->nresults;
        break;
    }
    }
    return true;
}

bool w2n_validate_label(validator *v, uint32_t l) {
    if (l >= v->nctrls)
        return INVALID(v, "unknown label");
    return true;
}

const frame *w2n_validate_label_frame(validator *v, uint32_t l) {
    return &v->ctrls[v->nctrls - 1 - l];
}

static bool br_table_op(validator *v, const w2n_instr *in) {
    if (!w2n_validate_pop_expect(v, W2N_I32) ||
        !w2n_validate_label(v, in->imm.br_table.default_target))
        return false;
    uint32_t arity;
    w2n_validate_label_types(w2n_validate_label_frame(v, in->imm.br_table.default_target), &arity);
    for (uint32_t i = 0; i < in->imm.br_table.count; i++) {
        uint32_t l = in->imm.br_table.targets[i], n;
        if (!w2n_validate_label(v, l))
            return false;
        const w2n_valtype *ts = w2n_validate_label_types(w2n_validate_label_frame(v, l), &n);
        if (n != arity)
            return INVALID(v, "type mismatch");
        /* The spec pops these types and pushes back what it popped.  Popping
         * only removes real values (Unknowns come from an empty, unreachable
         * frame and would come again), so restoring the height is the same. */
        uint32_t base = v->nvals;
        if (!w2n_validate_pop_vals(v, ts, n))
            return false;
        v->nvals = base;
    }
    uint32_t n;
    const w2n_valtype *ts =
        w2n_validate_label_types(w2n_validate_label_frame(v, in->imm.br_table.default_target), &n);
    if (!w2n_validate_pop_vals(v, ts, n))
        return false;
    set_unreachable(v);
    return true;
}

static bool end_op(validator *v, bool *function_done) {
    frame f;
    if (!pop_ctrl(v, &f))
        return false;
    const w2n_valtype *results = f.results ? f.results : &f.single;
    if (f.op == W2N_OP_IF) {
        /* An `if` without `else`: the missing branch passes its inputs through. */
        if (f.nparams != f.nresults || !all_match(v, f.params, results, f.nparams))
            return INVALID(v, "type mismatch");
    }
    *function_done = v->nctrls == 0;
    return w2n_validate_push_vals(v, results, f.nresults);
}

static bool select_op(validator *v, const w2n_instr *in) {
    if (in->op == W2N_OP_SELECT_T) {
        if (in->imm.select_t.count != 1)
            return INVALID(v, "invalid result arity");
        w2n_valtype t = in->imm.select_t.type;
        return w2n_validate_valtype(v, t) && op_sig(v, 3, t, t, W2N_I32, t);
    }
    w2n_valtype t1 = 0, t2 = 0;
    if (!w2n_validate_pop_expect(v, W2N_I32) || !pop(v, &t1) || !pop(v, &t2))
        return false;
    if (!((is_num(t1) && is_num(t2)) || (is_vec(t1) && is_vec(t2))))
        return INVALID(v, "type mismatch");
    if (t1 != t2 && t1 != T_UNKNOWN && t2 != T_UNKNOWN)
        return INVALID(v, "type mismatch");
    return w2n_validate_push(v, t1 == T_UNKNOWN ? t2 : t1);
}

/* call_ref and return_call_ref's type: the callee, a (ref null $t), is
 * popped first. */
static const w2n_functype *call_ref_type(validator *v, const w2n_instr *in) {
    if (!check_func_type(v, in->imm.index) ||
        !w2n_validate_pop_expect(v, w2n_valtype_ref(w2n_heaptype_concrete(in->imm.index), true)))
        return NULL;
    return &v->m->types[in->imm.index];
}

/* return_call, return_call_indirect and return_call_ref: a call whose
 * results are the function's own (the callee's result types must match the
 * caller's), and after which, as after return, the rest of the block is
 * stack-polymorphic. */
static bool tail_call_op(validator *v, const w2n_instr *in) {
    const w2n_module *m = v->m;
    const w2n_functype *t;
    if (in->op == W2N_OP_RETURN_CALL_REF) {
        if (!(t = call_ref_type(v, in)))
            return false;
    } else if (in->op == W2N_OP_RETURN_CALL) {
        if (!check_func(v, in->imm.index))
            return false;
        t = w2n_module_func_type(m, in->imm.index);
    } else {
        uint32_t tab = in->imm.call_indirect.table, ty = in->imm.call_indirect.type_index;
        if (!check_table(v, tab))
            return false;
        if (!w2n_validate_matches(v, m->tables[tab].elem, W2N_FUNCREF))
            return INVALID(v, "type mismatch");
        if (!check_func_type(v, ty) || !w2n_validate_pop_expect(v, table_index_type(v, tab)))
            return false;
        t = &m->types[ty];
    }
    if (t->nresults != v->type->nresults ||
        !all_match(v, t->results, v->type->results, t->nresults))
        return INVALID(v, "type mismatch");
    if (!w2n_validate_pop_vals(v, t->params, t->nparams))
        return false;
    set_unreachable(v);
    return true;
}

static bool control_op(validator *v, const w2n_instr *in, bool *function_done) {
    const w2n_module *m = v->m;
    frame f;
    uint32_t n;
    const w2n_valtype *ts;
    switch (in->op) {
    case W2N_OP_UNREACHABLE: set_unreachable(v); return true;
    case W2N_OP_NOP: return true;
    case W2N_OP_BLOCK:
    case W2N_OP_LOOP:
    case W2N_OP_IF:
        if (!blocktype_frame(v, in->op, &in->imm.block, &f))
            return false;
        if (in->op == W2N_OP_IF && !w2n_validate_pop_expect(v, W2N_I32))
            return false;
        return w2n_validate_pop_vals(v, f.params, f.nparams) && push_ctrl(v, &f);
    case W2N_OP_ELSE:
        if (v->ctrls[v->nctrls - 1].op != W2N_OP_IF)
            return w2n_validate_fail(v, W2N_ERR_MALFORMED, v->at, "else without matching if");
        if (!pop_ctrl(v, &f))
            return false;
        f.op = W2N_OP_ELSE;
        return push_ctrl(v, &f);
    case W2N_OP_END: return end_op(v, function_done);
    case W2N_OP_BR:
        if (!w2n_validate_label(v, in->imm.index))
            return false;
        ts = w2n_validate_label_types(w2n_validate_label_frame(v, in->imm.index), &n);
        if (!w2n_validate_pop_vals(v, ts, n))
            return false;
        set_unreachable(v);
        return true;
    case W2N_OP_BR_IF:
        if (!w2n_validate_pop_expect(v, W2N_I32) || !w2n_validate_label(v, in->imm.index))
            return false;
        ts = w2n_validate_label_types(w2n_validate_label_frame(v, in->imm.index), &n);
        return w2n_validate_pop_vals(v, ts, n) &&
               w2n_validate_push_vals(
                   v, w2n_validate_label_types(w2n_validate_label_frame(v, in->imm.index), &n), n);
    case W2N_OP_BR_TABLE: return br_table_op(v, in);
    case W2N_OP_RETURN:
        if (!w2n_validate_pop_vals(v, v->type->results, v->type->nresults))
            return false;
        set_unreachable(v);
        return true;
    case W2N_OP_CALL: {
        if (!check_func(v, in->imm.index))
            return false;
        const w2n_functype *t = w2n_module_func_type(m, in->imm.index);
        return w2n_validate_pop_vals(v, t->params, t->nparams) &&
               w2n_validate_push_vals(v, t->results, t->nresults);
    }
    case W2N_OP_CALL_INDIRECT: {
        uint32_t tab = in->imm.call_indirect.table, ty = in->imm.call_indirect.type_index;
        if (!check_table(v, tab))
            return false;
        if (!w2n_validate_matches(v, m->tables[tab].elem, W2N_FUNCREF))
            return INVALID(v, "type mismatch");
        if (!check_func_type(v, ty) || !w2n_validate_pop_expect(v, table_index_type(v, tab)))
            return false;
        const w2n_functype *t = &m->types[ty];
        return w2n_validate_pop_vals(v, t->params, t->nparams) &&
               w2n_validate_push_vals(v, t->results, t->nresults);
    }
    case W2N_OP_CALL_REF: {
        const w2n_functype *t = call_ref_type(v, in);
        return t && w2n_validate_pop_vals(v, t->params, t->nparams) &&
               w2n_validate_push_vals(v, t->results, t->nresults);
    }
    case W2N_OP_RETURN_CALL:
    case W2N_OP_RETURN_CALL_INDIRECT:
    case W2N_OP_RETURN_CALL_REF: return tail_call_op(v, in);
    }
    return INVALID(v, "illegal opcode");
}

/* A local of non-defaultable type holds a value from its first local.set
 * or local.tee to the end of the block around it (pop_ctrl). */
static bool note_local_set(validator *v, uint32_t x) {
    if (v->local_set[x])
        return true;
    if (v->ninits == v->cap_inits) {
        uint32_t *p = w2n_grow(v->inits, &v->cap_inits, v->ninits + 1, sizeof *p, 16);
        if (!p)
            return nomem(v);
        v->inits = p;
    }
    v->inits[v->ninits++] = x;
    v->local_set[x] = true;
    return true;
}

/* ref.func's type: (ref $t) since function-references, funcref before. */
static w2n_valtype ref_func_type(const w2n_module *m, uint32_t func) {
    if (!w2n_features_has(m->features, W2N_FEATURE_FUNCTION_REFERENCES))
        return W2N_FUNCREF;
    return w2n_valtype_ref(w2n_heaptype_concrete(m->func_types[func]), false);
}

/* br_on_null l: branch with the label's values if the reference is null,
 * else go on with it as non-null.  br_on_non_null l: branch with it (the
 * label's last value) if it is not null, else drop it and go on. */
static bool br_on_null_op(validator *v, const w2n_instr *in) {
    w2n_valtype t;
    uint32_t l = in->imm.index, n;
    if (!w2n_validate_pop_ref(v, &t) || !w2n_validate_label(v, l))
        return false;
    const w2n_valtype *ts = w2n_validate_label_types(w2n_validate_label_frame(v, l), &n);
    w2n_valtype non_null = w2n_valtype_ref(w2n_valtype_heap_type(t), false);
    if (in->op == W2N_OP_BR_ON_NULL)
        return w2n_validate_pop_vals(v, ts, n) && w2n_validate_push_vals(v, ts, n) &&
               w2n_validate_push(v, non_null);
    if (n == 0 || !is_ref(ts[n - 1]))
        return INVALID(v, "type mismatch");
    return w2n_validate_push(v, non_null) && w2n_validate_pop_vals(v, ts, n) &&
           w2n_validate_push_vals(v, ts, n - 1);
}

/* ---- exception handling ---------------------------------------------------- */

static bool check_tag(validator *v, uint32_t tag) {
    if (tag >= v->m->ntags)
        return INVALID(v, "unknown tag %u", tag);
    return true;
}

static const w2n_functype *tag_type(const validator *v, uint32_t tag) {
    return &v->m->types[v->m->tag_types[tag]];
}

/* A catch clause: the label it names must take what the clause passes (the
 * tag's parameters, then an exnref for the _ref kinds), by subtyping. */
static bool check_catch(validator *v, const w2n_catch_clause *c) {
    /* catch_ref and catch_all_ref pass a (ref exn): never null. */
    const w2n_valtype exn = w2n_valtype_ref(W2N_EXNREF, false);
    const w2n_valtype *params = NULL;
    uint32_t nparams = 0;
    if (c->kind == W2N_CATCH || c->kind == W2N_CATCH_REF) {
        if (!check_tag(v, c->tag))
            return false;
        params = tag_type(v, c->tag)->params;
        nparams = tag_type(v, c->tag)->nparams;
    }
    bool ref = c->kind == W2N_CATCH_REF || c->kind == W2N_CATCH_ALL_REF;
    if (!w2n_validate_label(v, c->label))
        return false;
    uint32_t n;
    const w2n_valtype *ts = w2n_validate_label_types(w2n_validate_label_frame(v, c->label), &n);
    if (n != nparams + ref || !all_match(v, params, ts, nparams) ||
        (ref && !w2n_validate_matches(v, exn, ts[nparams])))
        return INVALID(v, "type mismatch");
    return true;
}

static bool exception_op(validator *v, const w2n_instr *in) {
    frame f;
    switch (in->op) {
    case W2N_OP_THROW:
        if (!check_tag(v, in->imm.index))
            return false;
        if (!w2n_validate_pop_vals(v, tag_type(v, in->imm.index)->params,
                                   tag_type(v, in->imm.index)->nparams))
            return false;
        set_unreachable(v);
        return true;
    case W2N_OP_THROW_REF:
        if (!w2n_validate_pop_expect(v, W2N_EXNREF))
            return false;
        set_unreachable(v);
        return true;
    case W2N_OP_TRY_TABLE:
        /* Clause labels count from outside the try_table. */
        for (uint32_t i = 0; i < in->imm.try_table.count; i++)
            if (!check_catch(v, &in->imm.try_table.clauses[i]))
                return false;
        if (!blocktype_frame(v, in->op, &in->imm.try_table.block, &f))
            return false;
        return w2n_validate_pop_vals(v, f.params, f.nparams) && push_ctrl(v, &f);
    }
    return INVALID(v, "illegal opcode");
}

/* The legacy instructions (try, catch, catch_all, delegate, rethrow), as
 * the legacy exception-handling proposal types them: `try` is a block;
 * `catch x` and `catch_all` end the block before them (its `try` or an
 * earlier catch) like `else`, and start a body that begins with the tag's
 * parameters (catch) or nothing (catch_all) on the stack; `delegate l`
 * ends a `try` without catches like `end`, its label counted from outside
 * the try; `rethrow l` names an enclosing catch body. */
static bool legacy_exception_op(validator *v, const w2n_instr *in) {
    frame f;
    uint32_t innermost = v->ctrls[v->nctrls - 1].op;
    switch (in->op) {
    case W2N_OP_TRY:
        if (!blocktype_frame(v, in->op, &in->imm.block, &f))
            return false;
        return w2n_validate_pop_vals(v, f.params, f.nparams) && push_ctrl(v, &f);
    case W2N_OP_CATCH:
    case W2N_OP_CATCH_ALL:
        if (innermost != W2N_OP_TRY && innermost != W2N_OP_CATCH)
            return w2n_validate_fail(v, W2N_ERR_MALFORMED, v->at, "%s without matching try",
                                     in->info->name);
        if (in->op == W2N_OP_CATCH && !check_tag(v, in->imm.index))
            return false;
        if (!pop_ctrl(v, &f))
            return false;
        f.op = in->op;
        f.params = NULL;
        f.nparams = 0;
        if (in->op == W2N_OP_CATCH) {
            f.params = tag_type(v, in->imm.index)->params;
            f.nparams = tag_type(v, in->imm.index)->nparams;
        }
        return push_ctrl(v, &f);
    case W2N_OP_DELEGATE:
        if (innermost != W2N_OP_TRY)
            return w2n_validate_fail(v, W2N_ERR_MALFORMED, v->at, "delegate without matching try");
        if (!pop_ctrl(v, &f) || !w2n_validate_label(v, in->imm.index))
            return false;
        return w2n_validate_push_vals(v, frame_results(&f), f.nresults);
    case W2N_OP_RETHROW:
        if (!w2n_validate_label(v, in->imm.index))
            return false;
        if (w2n_validate_label_frame(v, in->imm.index)->op != W2N_OP_CATCH &&
            w2n_validate_label_frame(v, in->imm.index)->op != W2N_OP_CATCH_ALL)
            return INVALID(v, "invalid rethrow label");
        set_unreachable(v);
        return true;
    }
    return INVALID(v, "illegal opcode");
}

/* Variables, select, references and table.get/set. */
static bool variable_op(validator *v, const w2n_instr *in) {
    const w2n_module *m = v->m;
    uint32_t x = in->imm.index;
    w2n_valtype t = 0;
    switch (in->op) {
    case W2N_OP_DROP: return pop(v, &t);
    case W2N_OP_SELECT:
    case W2N_OP_SELECT_T: return select_op(v, in);
    case W2N_OP_LOCAL_GET:
    case W2N_OP_LOCAL_SET:
    case W2N_OP_LOCAL_TEE:
        if (x >= v->nlocals)
            return INVALID(v, "unknown local %u", x);
        t = v->locals[x];
        if (in->op == W2N_OP_LOCAL_GET) {
            if (!v->local_set[x])
                return INVALID(v, "uninitialized local %u", x);
            return w2n_validate_push(v, t);
        }
        if (!w2n_validate_pop_expect(v, t) || !note_local_set(v, x))
            return false;
        return in->op == W2N_OP_LOCAL_TEE ? w2n_validate_push(v, t) : true;
    case W2N_OP_GLOBAL_GET:
    case W2N_OP_GLOBAL_SET:
        if (x >= m->nglobals)
            return INVALID(v, "unknown global %u", x);
        if (in->op == W2N_OP_GLOBAL_GET)
            return w2n_validate_push(v, m->global_types[x].type);
        if (!m->global_types[x].is_mutable)
            return INVALID(v, "global is immutable");
        return w2n_validate_pop_expect(v, m->global_types[x].type);
    case W2N_OP_TABLE_GET:
        if (!check_table(v, x))
            return false;
        return op_sig(v, 1, table_index_type(v, x), 0, 0, m->tables[x].elem);
    case W2N_OP_TABLE_SET:
        if (!check_table(v, x))
            return false;
        return op_sig(v, 2, table_index_type(v, x), m->tables[x].elem, 0, 0);
    case W2N_OP_REF_NULL:
        return w2n_validate_valtype(v, in->imm.reftype) && w2n_validate_push(v, in->imm.reftype);
    case W2N_OP_REF_IS_NULL:
        if (!pop(v, &t))
            return false;
        if (!is_ref(t))
            return INVALID(v, "type mismatch");
        return w2n_validate_push(v, W2N_I32);
    case W2N_OP_REF_FUNC:
        if (!check_func(v, x))
            return false;
        if (!v->refs[x])
            return INVALID(v, "undeclared function reference");
        return w2n_validate_push(v, ref_func_type(m, x));
    case W2N_OP_REF_AS_NON_NULL:
        if (!w2n_validate_pop_ref(v, &t))
            return false;
        return w2n_validate_push(v, w2n_valtype_ref(w2n_valtype_heap_type(t), false));
    case W2N_OP_BR_ON_NULL:
    case W2N_OP_BR_ON_NON_NULL: return br_on_null_op(v, in);
    }
    return INVALID(v, "no validation rule for %s", in->info->name);
}

/* The rules that are code: control (stack-polymorphic), variables, select,
 * references and the bulk instructions whose types come from indices. */
static bool special_op(validator *v, const w2n_instr *in, bool *function_done) {
    uint32_t op = in->op;
    if (in->info->feature == W2N_FEATURE_GC)
        return w2n_validate_gc_op(v, in);
    if (op >> 16 == 0xFC)
        return bulk_op(v, in);
    if (op == W2N_OP_THROW || op == W2N_OP_THROW_REF || op == W2N_OP_TRY_TABLE)
        return exception_op(v, in);
    if (in->info->feature == W2N_FEATURE_LEGACY_EXCEPTIONS)
        return legacy_exception_op(v, in);
    if (op <= W2N_OP_RETURN_CALL_REF)
        return control_op(v, in, function_done);
    return variable_op(v, in);
}

static bool instr_op(validator *v, const w2n_instr *in, bool *function_done) {
    if (in->info->sig[0] == '*')
        return special_op(v, in, function_done);
    return sig_op(v, in);
}

/* ---- function bodies ------------------------------------------------------ */

static bool set_locals(validator *v, const w2n_functype *t, const w2n_code *c) {
    uint64_t n = (uint64_t)t->nparams + c->nlocals;
    if (n > UINT32_MAX)
        return w2n_validate_fail(v, W2N_ERR_MALFORMED, c->pos, "too many locals");
    if (n > v->cap_locals) {
        w2n_valtype *p = realloc(v->locals, n * sizeof *p);
        if (!p)
            return nomem(v);
        v->locals = p;
        bool *set = realloc(v->local_set, n * sizeof *set);
        if (!set)
            return nomem(v);
        v->local_set = set;
        v->cap_locals = (uint32_t)n;
    }
    if (t->nparams)
        memcpy(v->locals, t->params, t->nparams * sizeof *v->locals);
    if (c->nlocals)
        memcpy(v->locals + t->nparams, c->locals, c->nlocals * sizeof *v->locals);
    v->nlocals = (uint32_t)n;
    v->ninits = 0;
    for (uint32_t i = 0; i < v->nlocals; i++) {
        /* Only nullable references and numbers have a default value. */
        v->local_set[i] = i < t->nparams || w2n_valtype_is_nullable(v->locals[i]);
        if (!w2n_validate_valtype(v, v->locals[i]))
            return false;
    }
    return true;
}

static bool validate_function(validator *v, uint32_t func) {
    const w2n_module *m = v->m;
    const w2n_code *c = &m->codes[func - m->nimported_funcs];
    v->func = func;
    v->at = c->pos;
    v->type = w2n_module_func_type(m, func);
    if (!set_locals(v, v->type, c))
        return false;
    v->nvals = 0;
    v->nctrls = 0;
    frame f = {.op = 0, .results = v->type->results, .nresults = v->type->nresults};
    if (!push_ctrl(v, &f))
        return false;
    w2n_instr_reader ir;
    w2n_instr_reader_init(&ir, m->bytes, c->body_start, c->body_end, v->err);
    ir.r.features = m->features;
    w2n_instr in;
    bool done = false, ok = false;
    while (!done) {
        if (w2n_instr_reader_done(&ir)) {
            w2n_validate_fail(v, W2N_ERR_MALFORMED, c->body_end, "END opcode expected");
            goto out;
        }
        if (!w2n_instr_read(&ir, &in)) {
            v->err->func_index = func;
            goto out;
        }
        v->at = in.offset;
        v->instruction = in.info ? in.info->name : NULL;
        if (!instr_op(v, &in, &done))
            goto out;
    }
    if (!w2n_instr_reader_done(&ir)) {
        w2n_validate_fail(v, W2N_ERR_MALFORMED, w2n_reader_offset(&ir.r), "section size mismatch");
        goto out;
    }
    ok = true;
out:
    v->instruction = NULL;
    w2n_instr_reader_free(&ir);
    return ok;
}

/* ---- module-level rules ---------------------------------------------------- */

/* Offset of the contents of the first section with this id, for messages
 * about things the module does not record offsets for (0 if absent). */
static size_t section_offset(const w2n_module *m, uint8_t want) {
    w2n_error ignored;
    w2n_reader r;
    w2n_reader_init(&r, m->bytes, m->size, &ignored);
    r.pos += m->size >= 8 ? 8 : m->size;
    while (!w2n_reader_done(&r)) {
        uint8_t id;
        uint32_t size;
        w2n_reader sec;
        if (!w2n_read_u8(&r, &id) || !w2n_read_u32(&r, &size) || !w2n_reader_sub(&r, size, &sec))
            break;
        if (id == want)
            return w2n_reader_offset(&sec);
    }
    return 0;
}

static bool check_limits(validator *v, const w2n_limits *l, uint64_t range, const char *too_big) {
    if (l->min > range || (l->has_max && l->max > range))
        return INVALID(v, "%s", too_big);
    if (l->has_max && l->min > l->max)
        return INVALID(v, "size minimum must not be greater than maximum");
    return true;
}

static bool check_memtype(validator *v, const w2n_limits *l) {
    if (l->shared && !l->has_max)
        return INVALID(v, "shared memory must have maximum");
    if (l->is64)
        return check_limits(v, l, MAX_PAGES64, "memory size must be at most 2^48 pages");
    return check_limits(v, l, MAX_PAGES, "memory size must be at most 65536 pages (4GiB)");
}

static bool check_tabletype(validator *v, const w2n_tabletype *t) {
    if (t->limits.is64) /* any u64 */
        return check_limits(v, &t->limits, UINT64_MAX, "table size must be at most 2^64-1");
    return check_limits(v, &t->limits, UINT32_MAX, "table size must be at most 2^32-1");
}

/* The type one constant instruction pushes, or 0 after a failure.  Globals
 * [0, nglobals) are visible; reading one defined in the module (not
 * imported) is Wasm 3.0's rule, which w2n ties to extended-const. */
static w2n_valtype const_push_type(validator *v, const w2n_const_expr *c, uint32_t nglobals) {
    const w2n_module *m = v->m;
    switch (c->kind) {
    case W2N_CONST_I32: return W2N_I32;
    case W2N_CONST_I64: return W2N_I64;
    case W2N_CONST_F32: return W2N_F32;
    case W2N_CONST_F64: return W2N_F64;
    case W2N_CONST_V128: return W2N_V128;
    case W2N_CONST_REF_NULL: return w2n_validate_valtype(v, c->index) ? (w2n_valtype)c->index : 0;
    case W2N_CONST_REF_FUNC: return check_func(v, c->index) ? ref_func_type(m, c->index) : 0;
    case W2N_CONST_GLOBAL_GET:
        if (c->index >= nglobals) {
            INVALID(v, "unknown global %u", c->index);
            return 0;
        }
        if (m->global_types[c->index].is_mutable) {
            INVALID(v, "constant expression required");
            return 0;
        }
        if (c->index >= m->nimported_globals &&
            !w2n_features_has(m->features, W2N_FEATURE_EXTENDED_CONST)) {
            w2n_feature_refuse(v->err, v->at, W2N_FEATURE_EXTENDED_CONST,
                               "a constant expression reading a global defined in the module");
            return 0;
        }
        return m->global_types[c->index].type;
    }
    INVALID(v, "constant expression required");
    return 0;
}

/* A GC instruction of a constant expression, typed by its body rule on
 * the validator's operand stack (unused outside function bodies). */
static bool const_gc(validator *v, const w2n_const_expr *c, w2n_valtype *stack, uint32_t *depth) {
    frame f = {.op = 0};
    v->nvals = 0;
    v->nctrls = 0;
    if (!push_ctrl(v, &f) || !w2n_validate_push_vals(v, stack, *depth))
        return false;
    w2n_instr in = {.op = c->index, .info = w2n_opcode_lookup(c->index), .offset = v->at};
    in.imm.pair.a = (uint32_t)c->bits[0];
    in.imm.pair.b = (uint32_t)c->bits[1];
    v->instruction = in.info->name;
    bool ok = w2n_validate_gc_op(v, &in);
    v->instruction = NULL;
    v->nctrls = 0;
    if (!ok)
        return false;
    memcpy(stack, v->vals, v->nvals * sizeof *stack);
    *depth = v->nvals;
    return true;
}

/* A constant expression of type `want`, seeing globals [0, nglobals): its
 * instructions run on a stack of types, as in a function body. */
static bool check_const(validator *v, const w2n_init_expr *e, w2n_valtype want, uint32_t nglobals) {
    const w2n_module *m = v->m;
    const w2n_const_expr *ops = &e->value;
    uint64_t n = 1;
    v->at = e->offset;
    switch (e->value.kind) {
    case W2N_INIT_NOT_CONST: return INVALID(v, "constant expression required");
    case W2N_INIT_BAD_ARITY: return INVALID(v, "type mismatch");
    case W2N_CONST_EXTENDED:
        ops = m->const_ops + e->value.index;
        n = e->value.bits[0];
        break;
    default: break;
    }
    w2n_valtype stack[W2N_LIMIT_CONST_EXPR_OPS];
    uint32_t depth = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint8_t kind = ops[i].kind;
        if (kind >= W2N_CONST_I32_ADD && kind <= W2N_CONST_I64_MUL) {
            w2n_valtype t = kind <= W2N_CONST_I32_MUL ? W2N_I32 : W2N_I64;
            if (depth < 2 || stack[depth - 1] != t || stack[depth - 2] != t)
                return INVALID(v, "type mismatch");
            depth--;
            continue;
        }
        if (kind == W2N_CONST_GC) {
            if (!const_gc(v, &ops[i], stack, &depth))
                return false;
            continue;
        }
        w2n_valtype t = const_push_type(v, &ops[i], nglobals);
        if (!t)
            return false;
        stack[depth++] = t;
    }
    if (depth != 1 || !w2n_validate_matches(v, stack[0], want))
        return INVALID(v, "type mismatch");
    return true;
}

static void note_ref(validator *v, const w2n_init_expr *e) {
    const w2n_const_expr *ops = &e->value;
    uint64_t n = 1;
    if (e->value.kind == W2N_CONST_EXTENDED) {
        ops = v->m->const_ops + e->value.index;
        n = e->value.bits[0];
    }
    for (uint64_t i = 0; i < n; i++)
        if (ops[i].kind == W2N_CONST_REF_FUNC && ops[i].index < v->m->nfuncs)
            v->refs[ops[i].index] = true;
}

/* C.refs: every function named by ref.func outside function bodies, or exported. */
static void collect_refs(validator *v) {
    const w2n_module *m = v->m;
    for (uint32_t i = 0; i < m->nglobals - m->nimported_globals; i++)
        note_ref(v, &m->globals[i].init);
    for (uint32_t i = 0; i < m->ntables - m->nimported_tables; i++)
        if (m->table_inits[i].present)
            note_ref(v, &m->table_inits[i].expr);
    for (uint32_t i = 0; i < m->nelems; i++)
        for (uint32_t j = 0; j < m->elems[i].count; j++)
            note_ref(v, &m->elems[i].items[j]);
    for (uint32_t i = 0; i < m->nexports; i++)
        if (m->exports[i].kind == W2N_EXTERN_FUNC && m->exports[i].index < m->nfuncs)
            v->refs[m->exports[i].index] = true;
}

/* Storage types: a packed one only matches itself. */
static bool storage_sub(const validator *v, w2n_valtype a, w2n_valtype b) {
    if (a == W2N_PACKED_I8 || a == W2N_PACKED_I16 || b == W2N_PACKED_I8 || b == W2N_PACKED_I16)
        return a == b;
    return w2n_validate_matches(v, a, b);
}

/* A field of a subtype against the supertype's: the same mutability;
 * covariant when immutable, invariant when mutable. */
static bool field_sub(const validator *v, const w2n_fieldtype *a, const w2n_fieldtype *b) {
    if (a->is_mutable != b->is_mutable || !storage_sub(v, a->storage, b->storage))
        return false;
    return !a->is_mutable || storage_sub(v, b->storage, a->storage);
}

/* Whether type i's definition is compatible with its declared supertype s:
 * the same kind; a function with contravariant params and covariant
 * results; a struct with at least s's fields, each a subtype; an array
 * whose element is. */
static bool matches_supertype(const validator *v, uint32_t i, uint32_t s) {
    const w2n_module *m = v->m;
    const w2n_typedef *d = &m->typedefs[i], *sd = &m->typedefs[s];
    if (d->kind != sd->kind)
        return false;
    if (d->kind == W2N_TYPE_FUNC) {
        const w2n_functype *t = &m->types[i], *st = &m->types[s];
        if (t->nparams != st->nparams || t->nresults != st->nresults)
            return false;
        for (uint32_t k = 0; k < t->nparams; k++)
            if (!w2n_validate_matches(v, st->params[k], t->params[k]))
                return false;
        return all_match(v, t->results, st->results, t->nresults);
    }
    if (d->nfields < sd->nfields)
        return false;
    for (uint32_t k = 0; k < sd->nfields; k++)
        if (!field_sub(v, &d->fields[k], &sd->fields[k]))
            return false;
    return true;
}

/* Type definitions: their references name types of their own recursion
 * group or earlier ones; a declared supertype (one at most) comes earlier,
 * is not final and is structurally a supertype. */
static bool check_types(validator *v) {
    const w2n_module *m = v->m;
    v->at = section_offset(m, 1);
    for (uint32_t i = 0; i < m->ntypes; i++) {
        const w2n_functype *t = &m->types[i];
        const w2n_typedef *d = &m->typedefs[i];
        uint32_t limit = d->rec_start + d->rec_size;
        v->at = d->offset;
        for (uint32_t k = 0; k < t->nparams; k++)
            if (!check_valtype_in(v, t->params[k], limit))
                return false;
        for (uint32_t k = 0; k < t->nresults; k++)
            if (!check_valtype_in(v, t->results[k], limit))
                return false;
        for (uint32_t k = 0; k < d->nfields; k++)
            if (!check_valtype_in(v, d->fields[k].storage, limit))
                return false;
        if (d->nsupers > 1)
            return INVALID(v, "multiple supertypes");
        if (d->supertype == W2N_NO_SUPERTYPE)
            continue;
        if (d->supertype >= i)
            return INVALID(v, "unknown type %u", d->supertype);
        if (m->typedefs[d->supertype].is_final || !matches_supertype(v, i, d->supertype))
            return INVALID(v, "sub type");
    }
    return true;
}

/* A tag's type: a function type with no results. */
static bool check_tagtype(validator *v, uint32_t type) {
    if (!check_func_type(v, type))
        return false;
    if (v->m->types[type].nresults)
        return INVALID(v, "non-empty tag result type");
    return true;
}

static bool check_imports(validator *v) {
    const w2n_module *m = v->m;
    for (uint32_t i = 0; i < m->nimports; i++) {
        const w2n_import *im = &m->imports[i];
        v->at = im->offset;
        if (im->kind == W2N_EXTERN_FUNC && !check_func_type(v, im->func_type))
            return false;
        if (im->kind == W2N_EXTERN_TABLE &&
            (!w2n_validate_valtype(v, im->table.elem) || !check_tabletype(v, &im->table)))
            return false;
        if (im->kind == W2N_EXTERN_GLOBAL && !w2n_validate_valtype(v, im->global.type))
            return false;
        if (im->kind == W2N_EXTERN_MEMORY && !check_memtype(v, &im->memory))
            return false;
        if (im->kind == W2N_EXTERN_TAG && !check_tagtype(v, im->tag_type))
            return false;
    }
    return true;
}

/* A defined table: its type, and its initial value, which a table of
 * non-null references must have; it sees the imported globals only. */
static bool check_table_def(validator *v, uint32_t i) {
    const w2n_module *m = v->m;
    const w2n_tabletype *t = &m->tables[i];
    const w2n_table_init *init = &m->table_inits[i - m->nimported_tables];
    if (!w2n_validate_valtype(v, t->elem) || !check_tabletype(v, t))
        return false;
    if (init->present)
        return check_const(v, &init->expr, t->elem, m->nimported_globals);
    if (!w2n_valtype_is_nullable(t->elem))
        return INVALID(v, "type mismatch");
    return true;
}

static bool check_definitions(validator *v) {
    const w2n_module *m = v->m;
    for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++) {
        v->at = m->codes[i - m->nimported_funcs].pos;
        if (!check_func_type(v, m->func_types[i]))
            return false;
    }
    v->at = section_offset(m, 4);
    for (uint32_t i = m->nimported_tables; i < m->ntables; i++)
        if (!check_table_def(v, i))
            return false;
    if (m->ntables > 1 && !w2n_features_has(m->features, W2N_FEATURE_REFERENCE_TYPES)) {
        w2n_feature_refuse(v->err, v->at, W2N_FEATURE_REFERENCE_TYPES, "a second table");
        return false;
    }
    v->at = section_offset(m, 5);
    for (uint32_t i = m->nimported_memories; i < m->nmemories; i++)
        if (!check_memtype(v, &m->memories[i]))
            return false;
    if (m->nmemories > 1 && !w2n_features_has(m->features, W2N_FEATURE_MULTI_MEMORY)) {
        w2n_feature_refuse(v->err, v->at, W2N_FEATURE_MULTI_MEMORY, "a second memory");
        return false;
    }
    v->at = section_offset(m, 13);
    for (uint32_t i = m->nimported_tags; i < m->ntags; i++)
        if (!check_tagtype(v, m->tag_types[i]))
            return false;
    for (uint32_t i = 0; i < m->nglobals - m->nimported_globals; i++)
        if (!w2n_validate_valtype(v, m->globals[i].type.type) ||
            !check_const(v, &m->globals[i].init, m->globals[i].type.type, m->nimported_globals + i))
            return false;
    return true;
}

/* Export names compared as the byte strings of the input (they may hold
 * U+0000, so the NUL-terminated copies will not do). */
typedef struct name_ref {
    const uint8_t *bytes;
    uint32_t len;
    size_t offset;
} name_ref;

static int cmp_names(const void *a, const void *b) {
    const name_ref *x = a, *y = b;
    uint32_t n = x->len < y->len ? x->len : y->len;
    int c = n ? memcmp(x->bytes, y->bytes, n) : 0;
    if (c)
        return c;
    return (x->len > y->len) - (x->len < y->len);
}

static bool check_exports(validator *v) {
    const w2n_module *m = v->m;
    static const char *const what[] = {"function", "table", "memory", "global", "tag"};
    for (uint32_t i = 0; i < m->nexports; i++) {
        const w2n_export *ex = &m->exports[i];
        uint32_t limit = ex->kind == W2N_EXTERN_FUNC     ? m->nfuncs
                         : ex->kind == W2N_EXTERN_TABLE  ? m->ntables
                         : ex->kind == W2N_EXTERN_MEMORY ? m->nmemories
                         : ex->kind == W2N_EXTERN_GLOBAL ? m->nglobals
                                                         : m->ntags;
        v->at = ex->offset;
        if (ex->index >= limit)
            return INVALID(v, "unknown %s %u", what[ex->kind], ex->index);
    }
    if (m->nexports < 2)
        return true;
    name_ref *names = malloc(m->nexports * sizeof *names);
    if (!names)
        return nomem(v);
    for (uint32_t i = 0; i < m->nexports; i++) {
        /* Decode already read this name, so it is well-formed. */
        w2n_reader r;
        w2n_error ignored;
        const char *s = "";
        uint32_t len = 0;
        w2n_reader_init(&r, m->bytes, m->size, &ignored);
        r.pos = m->bytes + m->exports[i].offset;
        w2n_read_name(&r, &s, &len);
        names[i] = (name_ref){(const uint8_t *)s, len, m->exports[i].offset};
    }
    qsort(names, m->nexports, sizeof *names, cmp_names);
    for (uint32_t i = 1; i < m->nexports; i++) {
        if (!cmp_names(&names[i - 1], &names[i])) {
            v->at = names[i].offset;
            free(names);
            return INVALID(v, "duplicate export name");
        }
    }
    free(names);
    return true;
}

static bool check_start(validator *v) {
    const w2n_module *m = v->m;
    if (m->start < 0)
        return true;
    v->at = section_offset(m, 8);
    if (!check_func(v, (uint32_t)m->start))
        return false;
    const w2n_functype *t = w2n_module_func_type(m, (uint32_t)m->start);
    if (t->nparams || t->nresults)
        return INVALID(v, "start function");
    return true;
}

static bool check_segments(validator *v) {
    const w2n_module *m = v->m;
    for (uint32_t i = 0; i < m->nelems; i++) {
        const w2n_elem_segment *s = &m->elems[i];
        v->at = s->pos;
        if (!w2n_validate_valtype(v, s->type))
            return false;
        if (s->mode == W2N_SEGMENT_ACTIVE) {
            if (!check_table(v, s->table))
                return false;
            if (!w2n_validate_matches(v, s->type, m->tables[s->table].elem))
                return INVALID(v, "type mismatch");
            if (!check_const(v, &s->offset, table_index_type(v, s->table), m->nglobals))
                return false;
        }
        for (uint32_t j = 0; j < s->count; j++)
            if (!check_const(v, &s->items[j], s->type, m->nglobals))
                return false;
    }
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const w2n_data_segment *s = &m->datas[i];
        v->at = s->pos;
        if (s->mode != W2N_SEGMENT_ACTIVE)
            continue;
        if (!check_memory(v, s->memory) ||
            !check_const(v, &s->offset, memory_addr_type(v, s->memory), m->nglobals))
            return false;
    }
    return true;
}

w2n_status w2n_validate_module(const w2n_module *m, w2n_error *err) {
    w2n_error local_err;
    validator v = {.m = m, .err = err ? err : &local_err, .func = W2N_NO_FUNC};
    bool ok = false;
    v.refs = calloc(m->nfuncs ? m->nfuncs : 1, sizeof *v.refs);
    if (!v.refs) {
        nomem(&v);
        goto fail;
    }
    if (!check_types(&v) || !check_imports(&v) || !check_definitions(&v) || !check_exports(&v) ||
        !check_start(&v) || !check_segments(&v))
        goto fail;
    collect_refs(&v);
    for (uint32_t f = m->nimported_funcs; f < m->nfuncs; f++)
        if (!validate_function(&v, f))
            goto fail;
    ok = true;
fail:
    free(v.refs);
    free(v.vals);
    free(v.ctrls);
    free(v.locals);
    free(v.local_set);
    free(v.inits);
    return ok ? W2N_OK : v.err->code;
}
