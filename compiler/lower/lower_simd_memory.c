/*
 * lower_simd_memory.c — the v128 loads and stores of Wasm 2.0.
 *
 * Addresses come from w2n_lower_mem_address (lower_memory.c), which applies
 * the bounds-check mode and returns a pointer valid for the access size.
 * Every access is unaligned (align 1): Wasm's alignment is only a hint, and
 * a wrong hint must not fault.  A v128 leaves as <16 x i8> (lm->t_v128).
 */
#include <stdbool.h>
#include <stdint.h>

#include "lower.h"

static LLVMValueRef load(w2n_lower_func *f, LLVMTypeRef t, LLVMValueRef ptr) {
    LLVMValueRef v = LLVMBuildLoad2(f->b, t, ptr, "");
    LLVMSetAlignment(v, 1);
    /* Guard mode: keep the faulting access (see lower_memory.c). */
    if (w2n_lower_mem_volatile(f))
        LLVMSetVolatile(v, 1);
    if (f->lm->tbaa_memory)
        w2n_lower_tbaa(f->lm, v, f->lm->tbaa_memory);
    return v;
}

static void store(w2n_lower_func *f, LLVMValueRef v, LLVMValueRef ptr) {
    LLVMValueRef st = LLVMBuildStore(f->b, v, ptr);
    LLVMSetAlignment(st, 1);
    /* Guard mode: fault in program order (see lower_memory.c). */
    if (w2n_lower_mem_volatile(f))
        LLVMSetVolatile(st, 1);
    if (f->lm->tbaa_memory)
        w2n_lower_tbaa(f->lm, st, f->lm->tbaa_memory);
}

/* The pointer for `bytes` at the memarg's memory, offset and `addr`. */
static LLVMValueRef address(w2n_lower_func *f, const w2n_instr *in, LLVMValueRef addr,
                            unsigned bytes) {
    const w2n_memarg *ma = &in->imm.memarg;
    return w2n_lower_mem_address(f, ma->memory, addr, ma->offset, bytes);
}

static LLVMValueRef store_address(w2n_lower_func *f, const w2n_instr *in, LLVMValueRef addr,
                                  unsigned bytes) {
    const w2n_memarg *ma = &in->imm.memarg;
    return w2n_lower_mem_store_address(f, ma->memory, addr, ma->offset, bytes);
}

static LLVMValueRef to_v128(w2n_lower_func *f, LLVMValueRef v) {
    return LLVMBuildBitCast(f->b, v, f->lm->t_v128, "");
}

static LLVMTypeRef int_type(w2n_lower_func *f, unsigned bytes) {
    return LLVMIntTypeInContext(f->lm->ctx, 8 * bytes);
}

/* Bytes accessed by a lane, splat or zero load/store, 0 for other opcodes. */
static unsigned lane_bytes(uint32_t op) {
    switch (op) {
    case W2N_OP_V128_LOAD8_SPLAT:
    case W2N_OP_V128_LOAD8_LANE:
    case W2N_OP_V128_STORE8_LANE: return 1;
    case W2N_OP_V128_LOAD16_SPLAT:
    case W2N_OP_V128_LOAD16_LANE:
    case W2N_OP_V128_STORE16_LANE: return 2;
    case W2N_OP_V128_LOAD32_SPLAT:
    case W2N_OP_V128_LOAD32_LANE:
    case W2N_OP_V128_STORE32_LANE:
    case W2N_OP_V128_LOAD32_ZERO: return 4;
    case W2N_OP_V128_LOAD64_SPLAT:
    case W2N_OP_V128_LOAD64_LANE:
    case W2N_OP_V128_STORE64_LANE:
    case W2N_OP_V128_LOAD64_ZERO: return 8;
    default: return 0;
    }
}

/* v128.loadMxN_s/u: N lanes of M bits, each extended to 2M bits. */
static bool lower_load_extend(w2n_lower_func *f, const w2n_instr *in) {
    unsigned bits;
    bool is_signed;
    switch (in->op) {
    case W2N_OP_V128_LOAD8X8_S: bits = 8, is_signed = true; break;
    case W2N_OP_V128_LOAD8X8_U: bits = 8, is_signed = false; break;
    case W2N_OP_V128_LOAD16X4_S: bits = 16, is_signed = true; break;
    case W2N_OP_V128_LOAD16X4_U: bits = 16, is_signed = false; break;
    case W2N_OP_V128_LOAD32X2_S: bits = 32, is_signed = true; break;
    case W2N_OP_V128_LOAD32X2_U: bits = 32, is_signed = false; break;
    default: return false;
    }
    unsigned lanes = 64 / bits;
    LLVMValueRef addr = w2n_lower_pop(f);
    LLVMValueRef p = address(f, in, addr, 8);
    LLVMValueRef narrow = load(f, LLVMVectorType(LLVMIntTypeInContext(f->lm->ctx, bits), lanes), p);
    LLVMTypeRef wide = LLVMVectorType(LLVMIntTypeInContext(f->lm->ctx, 2 * bits), lanes);
    LLVMValueRef v =
        is_signed ? LLVMBuildSExt(f->b, narrow, wide, "") : LLVMBuildZExt(f->b, narrow, wide, "");
    w2n_lower_push(f, to_v128(f, v));
    return true;
}

static void lower_splat_or_zero(w2n_lower_func *f, const w2n_instr *in, unsigned bytes) {
    LLVMTypeRef t = int_type(f, bytes);
    unsigned lanes = 16 / bytes;
    LLVMTypeRef vt = LLVMVectorType(t, lanes);
    LLVMValueRef addr = w2n_lower_pop(f);
    LLVMValueRef p = address(f, in, addr, bytes);
    LLVMValueRef x = load(f, t, p);
    LLVMValueRef zero_idx = LLVMConstInt(f->lm->t_i32, 0, false);
    LLVMValueRef v;
    if (in->op == W2N_OP_V128_LOAD32_ZERO || in->op == W2N_OP_V128_LOAD64_ZERO) {
        v = LLVMBuildInsertElement(f->b, LLVMConstNull(vt), x, zero_idx, "");
    } else {
        v = LLVMBuildInsertElement(f->b, LLVMGetPoison(vt), x, zero_idx, "");
        LLVMValueRef mask = LLVMConstNull(LLVMVectorType(f->lm->t_i32, lanes));
        v = LLVMBuildShuffleVector(f->b, v, LLVMGetPoison(vt), mask, "");
    }
    w2n_lower_push(f, to_v128(f, v));
}

/* load_lane: [addr, v] -> v with one lane from memory; store_lane: [addr, v] -> []. */
static void lower_lane_access(w2n_lower_func *f, const w2n_instr *in, unsigned bytes,
                              bool is_store) {
    LLVMTypeRef t = int_type(f, bytes);
    LLVMValueRef v = LLVMBuildBitCast(f->b, w2n_lower_pop(f), LLVMVectorType(t, 16 / bytes), "");
    LLVMValueRef addr = w2n_lower_pop(f);
    LLVMValueRef p = is_store ? store_address(f, in, addr, bytes) : address(f, in, addr, bytes);
    LLVMValueRef lane = LLVMConstInt(f->lm->t_i32, in->lane, false);
    if (is_store) {
        store(f, LLVMBuildExtractElement(f->b, v, lane, ""), p);
        return;
    }
    v = LLVMBuildInsertElement(f->b, v, load(f, t, p), lane, "");
    w2n_lower_push(f, to_v128(f, v));
}

bool w2n_lower_simd_memory(w2n_lower_func *f, const w2n_instr *in) {
    if (in->op == W2N_OP_V128_LOAD) {
        LLVMValueRef addr = w2n_lower_pop(f);
        LLVMValueRef p = address(f, in, addr, 16);
        w2n_lower_push(f, load(f, f->lm->t_v128, p));
        return true;
    }
    if (in->op == W2N_OP_V128_STORE) {
        LLVMValueRef v = w2n_lower_pop(f);
        LLVMValueRef addr = w2n_lower_pop(f);
        store(f, v, store_address(f, in, addr, 16));
        return true;
    }
    if (lower_load_extend(f, in))
        return true;
    unsigned bytes = lane_bytes(in->op);
    if (!bytes)
        return false;
    switch (in->op) {
    case W2N_OP_V128_LOAD8_LANE:
    case W2N_OP_V128_LOAD16_LANE:
    case W2N_OP_V128_LOAD32_LANE:
    case W2N_OP_V128_LOAD64_LANE: lower_lane_access(f, in, bytes, false); break;
    case W2N_OP_V128_STORE8_LANE:
    case W2N_OP_V128_STORE16_LANE:
    case W2N_OP_V128_STORE32_LANE:
    case W2N_OP_V128_STORE64_LANE: lower_lane_access(f, in, bytes, true); break;
    default: lower_splat_or_zero(f, in, bytes); break;
    }
    return true;
}
