/*
 * lower_atomic.c — the threads proposal's atomic instructions (prefix 0xFE).
 *
 * Every atomic access is sequentially consistent, as the Wasm memory model
 * asks; LLVM picks the target's instructions (x86-64 lock-prefixed ones or
 * xchg; AArch64 LDAR/STLR and LSE or LL/SC loops by the object's CPU;
 * RISC-V's A extension, with masked LR/SC loops for 8- and 16-bit ones).
 *
 * An atomic access must be naturally aligned: the effective address is
 * checked first ("unaligned atomic", the reference interpreter's order),
 * then the access goes through w2n_lower_mem_address like any other, so the
 * bounds mode applies unchanged.  Since the address is aligned, the access
 * never straddles a page and cannot tear on a guard page.
 * wait and notify are runtime helpers (runtime/core/atomic_wait.c); they check
 * the bounds themselves because they touch memory from host code.
 */
#include <string.h>

#include "lower.h"

/* Sub-opcodes after the 0xFE prefix, as the proposal numbers them. */
enum {
    NOTIFY = 0x00,
    WAIT32 = 0x01,
    WAIT64 = 0x02,
    FENCE = 0x03,
    FIRST_LOAD = 0x10,
    FIRST_STORE = 0x17,
    FIRST_RMW = 0x1E,
    FIRST_CMPXCHG = 0x48,
    LAST_CMPXCHG = 0x4E,
    RMW_WIDTHS = 7 /* i32, i64, i32 8, i32 16, i64 8, i64 16, i64 32 per operation */
};

/* In the proposal's order: add, sub, and, or, xor, xchg. */
static const LLVMAtomicRMWBinOp rmw_ops[] = {
    LLVMAtomicRMWBinOpAdd, LLVMAtomicRMWBinOpSub, LLVMAtomicRMWBinOpAnd,
    LLVMAtomicRMWBinOpOr,  LLVMAtomicRMWBinOpXor, LLVMAtomicRMWBinOpXchg,
};

#define SEQ_CST LLVMAtomicOrderingSequentiallyConsistent

/* The instruction's result (or stored) type: the last letter of its row's
 * signature that names a value. */
static LLVMTypeRef value_type(w2n_lower_func *f, const w2n_instr *in) {
    const char *sig = in->info->sig;
    size_t n = strlen(sig);
    char last = sig[n - 1] == ':' ? sig[n - 2] : sig[n - 1];
    return last == 'l' ? f->lm->t_i64 : f->lm->t_i32;
}

/* Trap with "unaligned atomic" unless (addr + offset) is a multiple of
 * `bytes`.  The sum may wrap for a 64-bit address: its low bits are right. */
static void check_alignment(w2n_lower_func *f, LLVMValueRef addr, uint64_t offset, unsigned bytes) {
    if (bytes == 1)
        return;
    w2n_lower_module *lm = f->lm;
    LLVMValueRef wide =
        LLVMTypeOf(addr) == lm->t_i64 ? addr : LLVMBuildZExt(f->b, addr, lm->t_i64, "");
    LLVMValueRef eff = LLVMBuildAdd(f->b, wide, LLVMConstInt(lm->t_i64, offset, 0), "");
    LLVMValueRef low = LLVMBuildAnd(f->b, eff, LLVMConstInt(lm->t_i64, bytes - 1, 0), "");
    LLVMValueRef bad = LLVMBuildICmp(f->b, LLVMIntNE, low, LLVMConstInt(lm->t_i64, 0, 0), "");
    w2n_lower_trap_if(f, bad, W2N_TRAP_UNALIGNED_ATOMIC);
}

/* The checked pointer of an access of `bytes` at addr + offset. */
static LLVMValueRef atomic_address(w2n_lower_func *f, LLVMValueRef addr, const w2n_instr *in,
                                   unsigned bytes) {
    check_alignment(f, addr, in->imm.memarg.offset, bytes);
    return w2n_lower_mem_address(f, in->imm.memarg.memory, addr, in->imm.memarg.offset, bytes);
}

static void finish_access(w2n_lower_func *f, LLVMValueRef access, unsigned bytes) {
    LLVMSetAlignment(access, bytes);
    /* Guard mode: the access is the bounds check and must stay (lower_memory.c). */
    if (w2n_lower_mem_volatile(f))
        LLVMSetVolatile(access, 1);
    w2n_lower_tbaa(f->lm, access, f->lm->tbaa_memory);
}

static LLVMValueRef narrow(w2n_lower_func *f, LLVMValueRef v, LLVMTypeRef mty) {
    return LLVMTypeOf(v) == mty ? v : LLVMBuildTrunc(f->b, v, mty, "");
}

static LLVMValueRef widen(w2n_lower_func *f, LLVMValueRef v, LLVMTypeRef rty) {
    return LLVMTypeOf(v) == rty ? v : LLVMBuildZExt(f->b, v, rty, "");
}

static void lower_load(w2n_lower_func *f, const w2n_instr *in, unsigned bytes, LLVMTypeRef mty,
                       LLVMTypeRef rty) {
    LLVMValueRef ptr = atomic_address(f, w2n_lower_pop(f), in, bytes);
    LLVMValueRef v = LLVMBuildLoad2(f->b, mty, ptr, "");
    LLVMSetOrdering(v, SEQ_CST);
    finish_access(f, v, bytes);
    w2n_lower_push(f, widen(f, v, rty));
}

static void lower_store(w2n_lower_func *f, const w2n_instr *in, unsigned bytes, LLVMTypeRef mty) {
    LLVMValueRef v = w2n_lower_pop(f);
    LLVMValueRef ptr = atomic_address(f, w2n_lower_pop(f), in, bytes);
    LLVMValueRef st = LLVMBuildStore(f->b, narrow(f, v, mty), ptr);
    LLVMSetOrdering(st, SEQ_CST);
    finish_access(f, st, bytes);
}

static void lower_rmw(w2n_lower_func *f, const w2n_instr *in, LLVMAtomicRMWBinOp op, unsigned bytes,
                      LLVMTypeRef mty, LLVMTypeRef rty) {
    LLVMValueRef v = w2n_lower_pop(f);
    LLVMValueRef ptr = atomic_address(f, w2n_lower_pop(f), in, bytes);
    LLVMValueRef old = LLVMBuildAtomicRMW(f->b, op, ptr, narrow(f, v, mty), SEQ_CST, 0);
    finish_access(f, old, bytes);
    w2n_lower_push(f, widen(f, old, rty));
}

/* The expected value is wrapped to the access width, as the spec says, so
 * a narrow cmpxchg compares only the bytes in memory. */
static void lower_cmpxchg(w2n_lower_func *f, const w2n_instr *in, unsigned bytes, LLVMTypeRef mty,
                          LLVMTypeRef rty) {
    LLVMValueRef replacement = w2n_lower_pop(f);
    LLVMValueRef expected = w2n_lower_pop(f);
    LLVMValueRef ptr = atomic_address(f, w2n_lower_pop(f), in, bytes);
    LLVMValueRef pair = LLVMBuildAtomicCmpXchg(f->b, ptr, narrow(f, expected, mty),
                                               narrow(f, replacement, mty), SEQ_CST, SEQ_CST, 0);
    finish_access(f, pair, bytes);
    LLVMValueRef old = LLVMBuildExtractValue(f->b, pair, 0, "");
    w2n_lower_push(f, widen(f, old, rty));
}

/* wait32/wait64 (address, expected, timeout) -> 0 ok, 1 not-equal, 2 timed-out;
 * notify (address, count) -> threads woken. */
static void lower_wait_notify(w2n_lower_func *f, const w2n_instr *in, unsigned code) {
    w2n_lower_module *lm = f->lm;
    unsigned bytes = code == WAIT64 ? 8 : 4;
    LLVMValueRef ops[3], args[5];
    w2n_lower_pop_n(f, ops, code == NOTIFY ? 2 : 3);
    check_alignment(f, ops[0], in->imm.memarg.offset, bytes);
    args[0] = w2n_lower_u32(f, in->imm.memarg.memory);
    LLVMValueRef offset = LLVMConstInt(lm->t_i64, in->imm.memarg.offset, 0);
    if (LLVMTypeOf(ops[0]) == lm->t_i64) {
        /* A 64-bit memory's address + offset may pass 2^64: out of bounds,
         * however the sum would wrap (the helper checks the rest). */
        LLVMTypeRef ty = lm->t_i64;
        LLVMValueRef add[2] = {ops[0], offset};
        LLVMValueRef sum = w2n_lower_intrinsic(f, "llvm.uadd.with.overflow", &ty, 1, add, 2);
        w2n_lower_trap_if(f, LLVMBuildExtractValue(f->b, sum, 1, ""), W2N_TRAP_MEMORY_OOB);
        args[1] = LLVMBuildExtractValue(f->b, sum, 0, "");
    } else {
        args[1] = LLVMBuildAdd(f->b, LLVMBuildZExt(f->b, ops[0], lm->t_i64, ""), offset, "");
    }
    LLVMValueRef r;
    if (code == NOTIFY) {
        args[2] = ops[1];
        r = w2n_lower_call_helper(f, W2N_HELPER_MEMORY_ATOMIC_NOTIFY, lm->t_i32, args, 3);
    } else {
        args[2] = widen(f, ops[1], lm->t_i64);
        args[3] = ops[2];
        args[4] = w2n_lower_u32(f, bytes);
        r = w2n_lower_call_helper(f, W2N_HELPER_MEMORY_ATOMIC_WAIT, lm->t_i32, args, 5);
    }
    w2n_lower_push(f, r);
}

bool w2n_lower_atomic(w2n_lower_func *f, const w2n_instr *in) {
    unsigned code = in->op & 0xFFFF;
    if (code == FENCE) {
        LLVMBuildFence(f->b, SEQ_CST, 0, "");
        return true;
    }
    if (code <= WAIT64) {
        lower_wait_notify(f, in, code);
        return true;
    }
    if (code < FIRST_LOAD || code > LAST_CMPXCHG)
        return false;
    unsigned bytes = 1u << in->info->size;
    LLVMTypeRef mty = LLVMIntTypeInContext(f->lm->ctx, 8 * bytes);
    LLVMTypeRef rty = value_type(f, in);
    if (code < FIRST_STORE)
        lower_load(f, in, bytes, mty, rty);
    else if (code < FIRST_RMW)
        lower_store(f, in, bytes, mty);
    else if (code < FIRST_CMPXCHG)
        lower_rmw(f, in, rmw_ops[(code - FIRST_RMW) / RMW_WIDTHS], bytes, mty, rty);
    else
        lower_cmpxchg(f, in, bytes, mty, rty);
    return true;
}
