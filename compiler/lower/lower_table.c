/*
 * lower_table.c — tables and references.
 *
 * Tables are w2n_table_abi records (abi.h) reached through vmctx->tables;
 * their element array and size may change on grow, so they are ordinary
 * loads.  get/set check the index inline; grow, fill, copy and init are
 * runtime helpers that check bounds and trap themselves.  A 64-bit table
 * (table64) takes i64 indices and gives i64 sizes; the runtime keeps its
 * size below 2^32, so an index is compared in 64 bits and any index at or
 * past 2^32 is out of range.
 *
 * A table declared with its minimum equal to its maximum (wasm-ld's function
 * table) has that size for good, imported or not: import matching takes a
 * table whose current size is at least the minimum and whose maximum is at
 * most the maximum, and nothing grows a table past its maximum.  Its size is
 * then a constant and its element array never moves (an invariant load).
 */
#include "lower.h"

static LLVMValueRef table_record(w2n_lower_func *f, uint32_t table) {
    return w2n_lower_fixed_ptr(f, w2n_lower_vmctx_field(f, W2N_VMCTX_TABLES), (uint64_t)table * 8);
}

bool w2n_lower_table_fixed_size(const w2n_lower_module *lm, uint32_t table, uint32_t *out_size) {
    if (table >= lm->m->ntables)
        return false;
    const w2n_limits *l = &lm->m->tables[table].limits;
    if (!l->has_max || l->min != l->max || l->min > UINT32_MAX)
        return false;
    *out_size = (uint32_t)l->min;
    return true;
}

LLVMValueRef w2n_lower_table_size(w2n_lower_func *f, uint32_t table, LLVMValueRef rec) {
    w2n_lower_module *lm = f->lm;
    uint32_t fixed;
    if (w2n_lower_table_fixed_size(lm, table, &fixed))
        return LLVMConstInt(lm->t_i32, fixed, 0);
    LLVMValueRef idx = LLVMConstInt(lm->t_i64, 8, 0);
    LLVMValueRef addr = LLVMBuildGEP2(f->b, lm->t_i8, rec, &idx, 1, "");
    LLVMValueRef size = LLVMBuildLoad2(f->b, lm->t_i32, addr, "table_size");
    w2n_lower_tbaa(lm, size, lm->tbaa_runtime);
    return size;
}

LLVMValueRef w2n_lower_table_slot(w2n_lower_func *f, uint32_t table, LLVMValueRef rec,
                                  LLVMValueRef index) {
    w2n_lower_module *lm = f->lm;
    LLVMValueRef elems = LLVMBuildLoad2(f->b, lm->t_ptr, rec, "table_elems");
    w2n_lower_tbaa(lm, elems, lm->tbaa_runtime);
    uint32_t fixed;
    if (w2n_lower_table_fixed_size(lm, table, &fixed))
        w2n_lower_invariant(lm, elems); /* never grows, so never moves */
    LLVMValueRef wide = LLVMBuildZExt(f->b, index, lm->t_i64, "");
    return LLVMBuildGEP2(f->b, lm->t_ptr, elems, &wide, 1, "");
}

LLVMValueRef w2n_lower_table_oob(w2n_lower_func *f, uint32_t table, LLVMValueRef rec,
                                 LLVMValueRef index) {
    LLVMValueRef size = w2n_lower_table_size(f, table, rec);
    if (LLVMTypeOf(index) == f->lm->t_i64) /* table64: never truncate the index */
        size = LLVMBuildZExt(f->b, size, f->lm->t_i64, "");
    return LLVMBuildICmp(f->b, LLVMIntUGE, index, size, "");
}

static bool table_is64(const w2n_lower_module *lm, uint32_t table) {
    return table < lm->m->ntables && lm->m->tables[table].limits.is64;
}

/* Address of element `index` of `table`, trapping when it is out of range. */
static LLVMValueRef checked_slot(w2n_lower_func *f, uint32_t table, LLVMValueRef index) {
    LLVMValueRef rec = table_record(f, table);
    w2n_lower_trap_if(f, w2n_lower_table_oob(f, table, rec, index), W2N_TRAP_TABLE_OOB);
    return w2n_lower_table_slot(f, table, rec, index);
}

bool w2n_lower_table(w2n_lower_func *f, const w2n_instr *in) {
    w2n_lower_module *lm = f->lm;
    LLVMValueRef args[5];
    switch (in->op) {
    case W2N_OP_TABLE_GET: {
        LLVMValueRef slot = checked_slot(f, in->imm.index, w2n_lower_pop(f));
        LLVMTypeRef elem = w2n_lower_type(lm, lm->m->tables[in->imm.index].elem);
        LLVMValueRef v = LLVMBuildLoad2(f->b, elem, slot, "");
        w2n_lower_tbaa(lm, v, lm->tbaa_table);
        w2n_lower_push(f, v);
        return true;
    }
    case W2N_OP_TABLE_SET: {
        LLVMValueRef v = w2n_lower_pop(f);
        LLVMValueRef slot = checked_slot(f, in->imm.index, w2n_lower_pop(f));
        LLVMValueRef st = LLVMBuildStore(f->b, v, slot);
        w2n_lower_tbaa(lm, st, lm->tbaa_table);
        w2n_lower_ordered_store(f, st);
        return true;
    }
    case W2N_OP_TABLE_SIZE: {
        LLVMValueRef size = w2n_lower_table_size(f, in->imm.index, table_record(f, in->imm.index));
        if (table_is64(lm, in->imm.index))
            size = LLVMBuildZExt(f->b, size, lm->t_i64, "");
        w2n_lower_push(f, size);
        return true;
    }
    case W2N_OP_TABLE_GROW: { /* init, delta -> old size or -1 (i64 for a 64-bit table) */
        args[0] = w2n_lower_u32(f, in->imm.index);
        w2n_lower_pop_n_wide(f, args + 1, 2, 2u);
        LLVMValueRef old = w2n_lower_call_helper(f, W2N_HELPER_TABLE_GROW, lm->t_i64, args, 3);
        if (!table_is64(lm, in->imm.index))
            old = LLVMBuildTrunc(f->b, old, lm->t_i32, "");
        w2n_lower_push(f, old);
        return true;
    }
    case W2N_OP_TABLE_FILL: /* dst, value, n */
        args[0] = w2n_lower_u32(f, in->imm.index);
        w2n_lower_pop_n_wide(f, args + 1, 3, 5u);
        w2n_lower_call_helper(f, W2N_HELPER_TABLE_FILL, lm->t_void, args, 4);
        return true;
    case W2N_OP_TABLE_COPY:
        args[0] = w2n_lower_u32(f, in->imm.table_copy.dst);
        args[1] = w2n_lower_u32(f, in->imm.table_copy.src);
        w2n_lower_pop_n_wide(f, args + 2, 3, 7u);
        w2n_lower_call_helper(f, W2N_HELPER_TABLE_COPY, lm->t_void, args, 5);
        return true;
    case W2N_OP_TABLE_INIT:
        args[0] = w2n_lower_u32(f, in->imm.table_init.table);
        args[1] = w2n_lower_u32(f, in->imm.table_init.segment);
        w2n_lower_pop_n_wide(f, args + 2, 3, 1u); /* dst; src and n index the segment */
        w2n_lower_call_helper(f, W2N_HELPER_TABLE_INIT, lm->t_void, args, 5);
        return true;
    case W2N_OP_ELEM_DROP:
        args[0] = w2n_lower_u32(f, in->imm.index);
        w2n_lower_call_helper(f, W2N_HELPER_ELEM_DROP, lm->t_void, args, 1);
        return true;
    case W2N_OP_REF_NULL:
        w2n_lower_push(f, LLVMConstNull(w2n_lower_type(lm, in->imm.reftype)));
        return true;
    case W2N_OP_REF_IS_NULL:
        w2n_lower_push(
            f, LLVMBuildZExt(f->b, LLVMBuildIsNull(f->b, w2n_lower_pop(f), ""), lm->t_i32, ""));
        return true;
    case W2N_OP_REF_FUNC: w2n_lower_push(f, w2n_lower_func_record(f, in->imm.index)); return true;
    case W2N_OP_REF_AS_NON_NULL: {
        LLVMValueRef ref = w2n_lower_pop(f);
        w2n_lower_trap_if(f, LLVMBuildIsNull(f->b, ref, ""), W2N_TRAP_NULL_REF);
        w2n_lower_push(f, ref);
        return true;
    }
    default: return false;
    }
}
