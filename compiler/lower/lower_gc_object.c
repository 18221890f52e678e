/*
 * lower_gc_object.c — GC objects in compiled code: allocation and the
 * struct instructions (arrays: lower_gc_array.c; references, i31 and
 * statepoints: lower_gc.c).
 *
 * The layout is common/gc_layout.h's, the runtime's too.  An allocation
 * bumps the store's window (vmctx->gc: {top, end}) inline when the object
 * fits, storing the descriptor (vmctx->gc_types[t]) and an array's length;
 * the memory above top is zero, so a default object needs nothing more.
 * Otherwise it calls helpers->gc_alloc, which collects (a statepoint) and
 * traps "out of memory" past the store's limit (docs/gc.md).
 */
#include <stdlib.h>

#include "gc_layout.h"
#include "lower.h"

const w2n_typedef *w2n_lower_gc_typedef(w2n_lower_func *f, uint32_t type) {
    W2N_ASSERT(type < f->lm->m->ntypes);
    return &f->lm->m->typedefs[type];
}

LLVMTypeRef w2n_lower_gc_storage_type(w2n_lower_module *lm, w2n_valtype storage) {
    if (storage == W2N_PACKED_I8)
        return lm->t_i8;
    if (storage == W2N_PACKED_I16)
        return lm->t_i16;
    return w2n_lower_type(lm, storage);
}

/* Offset of field `index` of struct type d, and the struct's size. */
static uint32_t field_offset(const w2n_typedef *d, uint32_t index, uint32_t *size) {
    uint32_t end = W2N_GC_HEADER, offset = 0;
    for (uint32_t i = 0; i < d->nfields; i++) {
        uint32_t o = w2n_gc_next_field(&end, w2n_gc_storage_size(d->fields[i].storage));
        if (i == index)
            offset = o;
    }
    if (size)
        *size = (uint32_t)w2n_gc_round(end);
    return offset;
}

LLVMValueRef w2n_lower_gc_field_addr(w2n_lower_func *f, LLVMValueRef obj, LLVMValueRef offset) {
    return LLVMBuildGEP2(f->b, f->lm->t_i8, obj, &offset, 1, "");
}

/* Fields and elements sit at their natural alignment capped at 8. */
static unsigned field_align(w2n_valtype storage) {
    uint32_t size = w2n_gc_storage_size(storage);
    return size < W2N_GC_ALIGN ? size : W2N_GC_ALIGN;
}

static LLVMValueRef const_offset(w2n_lower_func *f, uint64_t offset) {
    return LLVMConstInt(f->lm->t_i64, offset, 0);
}

/* Store `v` (an i32 for a packed field) as a field of `storage`. */
void w2n_lower_gc_store(w2n_lower_func *f, LLVMValueRef addr, w2n_valtype storage, LLVMValueRef v) {
    LLVMTypeRef ty = w2n_lower_gc_storage_type(f->lm, storage);
    if (storage == W2N_PACKED_I8 || storage == W2N_PACKED_I16)
        v = LLVMBuildTrunc(f->b, v, ty, "");
    LLVMValueRef st = LLVMBuildStore(f->b, v, addr);
    LLVMSetAlignment(st, field_align(storage));
    w2n_lower_ordered_store(f, st);
}

/* Load a field of `storage`: a packed one widened to i32 (signed or not). */
LLVMValueRef w2n_lower_gc_load(w2n_lower_func *f, LLVMValueRef addr, w2n_valtype storage,
                               bool is_signed) {
    LLVMTypeRef ty = w2n_lower_gc_storage_type(f->lm, storage);
    LLVMValueRef v = LLVMBuildLoad2(f->b, ty, addr, "");
    LLVMSetAlignment(v, field_align(storage));
    if (storage == W2N_PACKED_I8 || storage == W2N_PACKED_I16)
        v = is_signed ? LLVMBuildSExt(f->b, v, f->lm->t_i32, "")
                      : LLVMBuildZExt(f->b, v, f->lm->t_i32, "");
    return v;
}

/* ---- allocation ------------------------------------------------------------- */

static LLVMValueRef window_field(w2n_lower_func *f, LLVMValueRef window, uint64_t offset,
                                 LLVMValueRef *addr) {
    *addr = w2n_lower_gc_field_addr(f, window, const_offset(f, offset));
    LLVMValueRef v = LLVMBuildLoad2(f->b, f->lm->t_gcref, *addr, "");
    w2n_lower_tbaa(f->lm, v, f->lm->tbaa_runtime);
    return v;
}

LLVMValueRef w2n_lower_gc_alloc(w2n_lower_func *f, uint32_t type, LLVMValueRef length,
                                LLVMValueRef bytes) {
    w2n_lower_module *lm = f->lm;
    LLVMBuilderRef b = f->b;
    LLVMValueRef rtt =
        w2n_lower_fixed_ptr(f, w2n_lower_vmctx_field(f, W2N_VMCTX_GC_TYPES), (uint64_t)type * 8);
    LLVMValueRef window = w2n_lower_vmctx_field(f, W2N_VMCTX_GC);
    LLVMValueRef top_addr, end_addr;
    LLVMValueRef top = window_field(f, window, 0, &top_addr);
    LLVMValueRef end = window_field(f, window, 8, &end_addr);
    LLVMValueRef next = w2n_lower_gc_field_addr(f, top, bytes);
    /* bytes never wraps next: an array's are at most 2^32 * 16 + 16. */
    LLVMValueRef fits = LLVMBuildICmp(b, LLVMIntULE, next, end, "");
    LLVMBasicBlockRef fast = LLVMAppendBasicBlockInContext(lm->ctx, f->fn, "alloc_fast");
    LLVMBasicBlockRef slow = LLVMAppendBasicBlockInContext(lm->ctx, f->fn, "alloc_slow");
    LLVMBasicBlockRef join = LLVMAppendBasicBlockInContext(lm->ctx, f->fn, "alloc_done");
    LLVMValueRef expect_args[2] = {fits, LLVMConstInt(lm->t_i1, 1, 0)};
    LLVMTypeRef i1 = lm->t_i1;
    fits = w2n_lower_intrinsic(f, "llvm.expect", &i1, 1, expect_args, 2);
    LLVMBuildCondBr(b, fits, fast, slow);

    LLVMPositionBuilderAtEnd(b, fast);
    LLVMValueRef st = LLVMBuildStore(b, next, top_addr);
    w2n_lower_tbaa(lm, st, lm->tbaa_runtime);
    LLVMBuildStore(b, rtt, top);
    if (length)
        LLVMBuildStore(b, length,
                       w2n_lower_gc_field_addr(f, top, const_offset(f, W2N_GC_ARRAY_LENGTH)));
    LLVMBuildBr(b, join);

    LLVMPositionBuilderAtEnd(b, slow);
    LLVMValueRef args[2] = {rtt, length ? length : LLVMConstInt(lm->t_i32, 0, 0)};
    LLVMValueRef made = w2n_lower_call_helper(f, W2N_HELPER_GC_ALLOC, lm->t_gcref, args, 2);
    LLVMBuildBr(b, join);

    LLVMPositionBuilderAtEnd(b, join);
    LLVMValueRef obj = LLVMBuildPhi(b, lm->t_gcref, "obj");
    LLVMValueRef in_vals[2] = {top, made};
    LLVMBasicBlockRef in_blocks[2] = {fast, slow};
    LLVMAddIncoming(obj, in_vals, in_blocks, 2);
    (void)end_addr;
    return obj;
}

/* ---- structs ----------------------------------------------------------------- */

static void null_check(w2n_lower_func *f, LLVMValueRef ref, w2n_trap_code code) {
    w2n_lower_trap_if(f, LLVMBuildIsNull(f->b, ref, ""), code);
}

static void struct_new(w2n_lower_func *f, uint32_t type, bool with_values) {
    const w2n_typedef *d = w2n_lower_gc_typedef(f, type);
    LLVMValueRef *vals =
        with_values ? w2n_xcalloc(d->nfields ? d->nfields : 1, sizeof *vals) : NULL;
    if (with_values)
        w2n_lower_pop_n(f, vals, d->nfields);
    uint32_t size;
    field_offset(d, 0, &size);
    LLVMValueRef obj = w2n_lower_gc_alloc(f, type, NULL, const_offset(f, size));
    for (uint32_t i = 0; with_values && i < d->nfields; i++) {
        LLVMValueRef addr =
            w2n_lower_gc_field_addr(f, obj, const_offset(f, field_offset(d, i, NULL)));
        w2n_lower_gc_store(f, addr, d->fields[i].storage, vals[i]);
    }
    free(vals);
    w2n_lower_push(f, obj);
}

bool w2n_lower_gc_struct(w2n_lower_func *f, const w2n_instr *in) {
    switch (in->op) {
    case W2N_OP_STRUCT_NEW: struct_new(f, in->imm.index, true); return true;
    case W2N_OP_STRUCT_NEW_DEFAULT: struct_new(f, in->imm.index, false); return true;
    case W2N_OP_STRUCT_GET:
    case W2N_OP_STRUCT_GET_S:
    case W2N_OP_STRUCT_GET_U: {
        const w2n_typedef *d = w2n_lower_gc_typedef(f, in->imm.pair.a);
        LLVMValueRef obj = w2n_lower_pop(f);
        null_check(f, obj, W2N_TRAP_NULL_STRUCT);
        uint32_t offset = field_offset(d, in->imm.pair.b, NULL);
        LLVMValueRef addr = w2n_lower_gc_field_addr(f, obj, const_offset(f, offset));
        w2n_lower_push(f, w2n_lower_gc_load(f, addr, d->fields[in->imm.pair.b].storage,
                                            in->op == W2N_OP_STRUCT_GET_S));
        return true;
    }
    case W2N_OP_STRUCT_SET: {
        const w2n_typedef *d = w2n_lower_gc_typedef(f, in->imm.pair.a);
        LLVMValueRef v = w2n_lower_pop(f);
        LLVMValueRef obj = w2n_lower_pop(f);
        null_check(f, obj, W2N_TRAP_NULL_STRUCT);
        uint32_t offset = field_offset(d, in->imm.pair.b, NULL);
        LLVMValueRef addr = w2n_lower_gc_field_addr(f, obj, const_offset(f, offset));
        w2n_lower_gc_store(f, addr, d->fields[in->imm.pair.b].storage, v);
        return true;
    }
    default: return false;
    }
}
