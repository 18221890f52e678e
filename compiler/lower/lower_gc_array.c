/*
 * lower_gc_array.c — the array instructions of GC (lower_gc_object.c has
 * allocation and the layout's loads and stores).
 *
 * An array is its descriptor, its length (u32 at W2N_GC_ARRAY_LENGTH) and
 * its elements from w2n_gc_array_data(size).  Accesses check null, then
 * the index against the length, in 64 bits where an offset and a count
 * are added, and trap as the spec says.  Filling and initialising are
 * loops in the code; copying is a memmove (overlap allowed, no barrier).
 * array.new_data, new_elem, init_data and init_elem read the instance's
 * segments, which only the runtime sees: helpers (gc/array_segments.c)
 * check the bounds and copy; the code checks null first.
 */
#include <stdlib.h>

#include "gc_layout.h"
#include "lower.h"

typedef struct array_type {
    w2n_valtype storage;
    uint32_t size; /* bytes per element */
    uint32_t data; /* offset of element 0 */
} array_type;

static array_type array_of(w2n_lower_func *f, uint32_t type) {
    const w2n_typedef *d = w2n_lower_gc_typedef(f, type);
    W2N_ASSERT(d->kind == W2N_TYPE_ARRAY && d->nfields == 1);
    array_type a = {d->fields[0].storage, w2n_gc_storage_size(d->fields[0].storage), 0};
    a.data = w2n_gc_array_data(a.size);
    return a;
}

static LLVMValueRef i64c(w2n_lower_func *f, uint64_t v) { return LLVMConstInt(f->lm->t_i64, v, 0); }

static LLVMValueRef wide(w2n_lower_func *f, LLVMValueRef i32) {
    return LLVMBuildZExt(f->b, i32, f->lm->t_i64, "");
}

/* Address of element `index` (i64) of `obj`. */
static LLVMValueRef elem_addr(w2n_lower_func *f, const array_type *a, LLVMValueRef obj,
                              LLVMValueRef index) {
    LLVMValueRef off =
        LLVMBuildAdd(f->b, LLVMBuildMul(f->b, index, i64c(f, a->size), ""), i64c(f, a->data), "");
    return w2n_lower_gc_field_addr(f, obj, off);
}

/* The length of non-null array `obj`, as i32. */
static LLVMValueRef length_of(w2n_lower_func *f, LLVMValueRef obj) {
    LLVMValueRef addr = w2n_lower_gc_field_addr(f, obj, i64c(f, W2N_GC_ARRAY_LENGTH));
    return LLVMBuildLoad2(f->b, f->lm->t_i32, addr, "len");
}

static LLVMValueRef checked_array(w2n_lower_func *f, LLVMValueRef obj) {
    w2n_lower_trap_if(f, LLVMBuildIsNull(f->b, obj, ""), W2N_TRAP_NULL_ARRAY);
    return obj;
}

/* Trap unless offset + count <= the length (all i64, no wrap). */
static void check_range(w2n_lower_func *f, LLVMValueRef obj, LLVMValueRef offset,
                        LLVMValueRef count) {
    LLVMValueRef end = LLVMBuildAdd(f->b, offset, count, "");
    LLVMValueRef past = LLVMBuildICmp(f->b, LLVMIntUGT, end, wide(f, length_of(f, obj)), "");
    w2n_lower_trap_if(f, past, W2N_TRAP_ARRAY_OOB);
}

/* Store `v` in elements [start, start + count) of obj (i64s): a loop. */
static void fill(w2n_lower_func *f, const array_type *a, LLVMValueRef obj, LLVMValueRef start,
                 LLVMValueRef count, LLVMValueRef v) {
    w2n_lower_module *lm = f->lm;
    LLVMBuilderRef b = f->b;
    LLVMBasicBlockRef before = LLVMGetInsertBlock(b);
    LLVMBasicBlockRef body = LLVMAppendBasicBlockInContext(lm->ctx, f->fn, "fill");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(lm->ctx, f->fn, "fill_done");
    LLVMValueRef end = LLVMBuildAdd(b, start, count, "");
    LLVMBuildCondBr(b, LLVMBuildICmp(b, LLVMIntEQ, count, i64c(f, 0), ""), done, body);
    LLVMPositionBuilderAtEnd(b, body);
    LLVMValueRef i = LLVMBuildPhi(b, lm->t_i64, "i");
    w2n_lower_gc_store(f, elem_addr(f, a, obj, i), a->storage, v);
    LLVMValueRef next = LLVMBuildAdd(b, i, i64c(f, 1), "");
    LLVMValueRef in_vals[2] = {start, next};
    LLVMBasicBlockRef in_blocks[2] = {before, LLVMGetInsertBlock(b)};
    LLVMAddIncoming(i, in_vals, in_blocks, 2);
    LLVMBuildCondBr(b, LLVMBuildICmp(b, LLVMIntEQ, next, end, ""), done, body);
    LLVMPositionBuilderAtEnd(b, done);
}

/* A new array of `length` (i32) elements, zero. */
static LLVMValueRef array_new(w2n_lower_func *f, uint32_t type, const array_type *a,
                              LLVMValueRef length) {
    LLVMValueRef bytes =
        LLVMBuildAdd(f->b, LLVMBuildMul(f->b, wide(f, length), i64c(f, a->size), ""),
                     i64c(f, a->data + W2N_GC_ALIGN - 1), "");
    bytes = LLVMBuildAnd(f->b, bytes, i64c(f, ~(uint64_t)(W2N_GC_ALIGN - 1)), "");
    return w2n_lower_gc_alloc(f, type, length, bytes);
}

static void array_copy(w2n_lower_func *f, const w2n_instr *in) {
    array_type a = array_of(f, in->imm.pair.a);
    LLVMValueRef v[5]; /* dst, dst_offset, src, src_offset, n */
    w2n_lower_pop_n(f, v, 5);
    LLVMValueRef dst = checked_array(f, v[0]), src = checked_array(f, v[2]);
    LLVMValueRef n = wide(f, v[4]), d = wide(f, v[1]), s = wide(f, v[3]);
    check_range(f, dst, d, n);
    check_range(f, src, s, n);
    LLVMTypeRef tys[3] = {f->lm->t_gcref, f->lm->t_gcref, f->lm->t_i64};
    LLVMValueRef args[4] = {elem_addr(f, &a, dst, d), elem_addr(f, &a, src, s),
                            LLVMBuildMul(f->b, n, i64c(f, a.size), ""),
                            LLVMConstInt(f->lm->t_i1, 0, 0)};
    w2n_lower_intrinsic(f, "llvm.memmove", tys, 3, args, 4);
}

/* array.new_data / array.new_elem $t $seg (offset n): the helper checks
 * the segment, then allocates, so its call is a statepoint. */
static void array_new_segment(w2n_lower_func *f, const w2n_instr *in, unsigned helper) {
    LLVMValueRef v[2]; /* offset, n */
    w2n_lower_pop_n(f, v, 2);
    LLVMValueRef args[4] = {w2n_lower_u32(f, in->imm.pair.a), w2n_lower_u32(f, in->imm.pair.b),
                            v[0], v[1]};
    w2n_lower_push(f, w2n_lower_call_helper(f, helper, f->lm->t_gcref, args, 4));
}

/* array.init_data / array.init_elem $t $seg (array dst src n). */
static void array_init_segment(w2n_lower_func *f, const w2n_instr *in, unsigned helper) {
    LLVMValueRef v[4]; /* array, dst, src, n */
    w2n_lower_pop_n(f, v, 4);
    LLVMValueRef args[6] = {w2n_lower_u32(f, in->imm.pair.a),
                            w2n_lower_u32(f, in->imm.pair.b),
                            checked_array(f, v[0]),
                            v[1],
                            v[2],
                            v[3]};
    w2n_lower_call_helper(f, helper, f->lm->t_void, args, 6);
}

bool w2n_lower_gc_array(w2n_lower_func *f, const w2n_instr *in) {
    LLVMBuilderRef b = f->b;
    switch (in->op) {
    case W2N_OP_ARRAY_NEW:
    case W2N_OP_ARRAY_NEW_DEFAULT: {
        array_type a = array_of(f, in->imm.index);
        LLVMValueRef length = w2n_lower_pop(f);
        LLVMValueRef init = in->op == W2N_OP_ARRAY_NEW ? w2n_lower_pop(f) : NULL;
        LLVMValueRef obj = array_new(f, in->imm.index, &a, length);
        if (init)
            fill(f, &a, obj, i64c(f, 0), wide(f, length), init);
        w2n_lower_push(f, obj);
        return true;
    }
    case W2N_OP_ARRAY_NEW_FIXED: {
        array_type a = array_of(f, in->imm.pair.a);
        uint32_t n = in->imm.pair.b;
        LLVMValueRef *vals = w2n_xcalloc(n ? n : 1, sizeof *vals);
        w2n_lower_pop_n(f, vals, n);
        LLVMValueRef obj = array_new(f, in->imm.pair.a, &a, w2n_lower_u32(f, n));
        for (uint32_t i = 0; i < n; i++)
            w2n_lower_gc_store(f, elem_addr(f, &a, obj, i64c(f, i)), a.storage, vals[i]);
        free(vals);
        w2n_lower_push(f, obj);
        return true;
    }
    case W2N_OP_ARRAY_GET:
    case W2N_OP_ARRAY_GET_S:
    case W2N_OP_ARRAY_GET_U: {
        array_type a = array_of(f, in->imm.index);
        LLVMValueRef index = wide(f, w2n_lower_pop(f));
        LLVMValueRef obj = checked_array(f, w2n_lower_pop(f));
        check_range(f, obj, index, i64c(f, 1));
        w2n_lower_push(f, w2n_lower_gc_load(f, elem_addr(f, &a, obj, index), a.storage,
                                            in->op == W2N_OP_ARRAY_GET_S));
        return true;
    }
    case W2N_OP_ARRAY_SET: {
        array_type a = array_of(f, in->imm.index);
        LLVMValueRef v = w2n_lower_pop(f);
        LLVMValueRef index = wide(f, w2n_lower_pop(f));
        LLVMValueRef obj = checked_array(f, w2n_lower_pop(f));
        check_range(f, obj, index, i64c(f, 1));
        w2n_lower_gc_store(f, elem_addr(f, &a, obj, index), a.storage, v);
        return true;
    }
    case W2N_OP_ARRAY_LEN:
        w2n_lower_push(f, length_of(f, checked_array(f, w2n_lower_pop(f))));
        return true;
    case W2N_OP_ARRAY_FILL: {
        array_type a = array_of(f, in->imm.index);
        LLVMValueRef n = wide(f, w2n_lower_pop(f));
        LLVMValueRef v = w2n_lower_pop(f);
        LLVMValueRef offset = wide(f, w2n_lower_pop(f));
        LLVMValueRef obj = checked_array(f, w2n_lower_pop(f));
        check_range(f, obj, offset, n);
        fill(f, &a, obj, offset, n, v);
        return true;
    }
    case W2N_OP_ARRAY_COPY: array_copy(f, in); return true;
    case W2N_OP_ARRAY_NEW_DATA: array_new_segment(f, in, W2N_HELPER_GC_ARRAY_NEW_DATA); return true;
    case W2N_OP_ARRAY_NEW_ELEM: array_new_segment(f, in, W2N_HELPER_GC_ARRAY_NEW_ELEM); return true;
    case W2N_OP_ARRAY_INIT_DATA:
        array_init_segment(f, in, W2N_HELPER_GC_ARRAY_INIT_DATA);
        return true;
    case W2N_OP_ARRAY_INIT_ELEM:
        array_init_segment(f, in, W2N_HELPER_GC_ARRAY_INIT_ELEM);
        return true;
    default: (void)b; return false;
    }
}
