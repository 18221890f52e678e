/*
 * lower_memory.c — loads, stores, memory.size/grow and bulk memory.
 *
 * An effective address is zext(addr) + offset, at most 2^33 - 2: in guard
 * mode it always lands inside the memory's reservation (abi.h), so the
 * hardware does the bounds check.  In explicit mode each access compares its
 * last byte against the current size and traps.  Linear memory has its own
 * alias class, so stores to it never force a reload of the memory base.
 * Accesses use alignment 1: Wasm alignment is a hint, not a promise.
 * Each access names its memory: memory 0 is one load from the vmctx, any
 * other one more, through vmctx->memories (docs/abi.md).
 * In guard mode loads and stores are volatile: an out-of-bounds load must
 * fault even when its value is dead, only partly used, or made irrelevant by
 * folding, and LLVM would otherwise delete or narrow it; an out-of-bounds
 * store must fault in program order, and LLVM would otherwise sink a
 * loop-invariant one past the loop.  The price: LLVM neither hoists nor
 * vectorises guard-mode accesses (docs/performance.md).  Hence the fast
 * version of a loop (loop_version.c): there every access is checked
 * explicitly and plain, and the checks its range check covers go away.
 *
 * A 64-bit memory (memory64) is checked explicitly in both modes: no
 * reservation covers 2^64 + 2^64.  Its address is an i64 (validation makes
 * the operand's type the memory's index type, so the type tells), and the
 * check adds addr + offset + size without wrapping: an access whose end
 * passes 2^64 traps.  Its base is never invariant: the runtime maps a 64-bit
 * memory as it maps an explicit-mode one, and grow may move it.
 */
#include <stdlib.h>

#include "lower.h"
#include "target.h"

static bool explicit_bounds(const w2n_lower_func *f) { return !w2n_lower_guard_bounds(f->lm); }

/* Does each access compare against the size (explicit mode, fast loops)? */
static bool checked(const w2n_lower_func *f) { return explicit_bounds(f) || f->fast; }

bool w2n_lower_mem_volatile(const w2n_lower_func *f) { return !checked(f); }

/* Can a store that faults on its last bytes have written its first ones?
 * Not on x86-64 (a faulting instruction writes nothing) nor, under the
 * tested qemu and Linux, on AArch64 for our accesses; on RISC-V, yes. */
static bool stores_may_tear(const w2n_lower_module *lm) {
    const w2n_target *t = w2n_target_find(lm->opts->target);
    return t && t->arch == W2N_ARCH_RISCV64;
}

static void record_fast_access(w2n_lower_func *f, uint32_t memory, LLVMValueRef eff,
                               LLVMValueRef oob, LLVMValueRef ptr, uint64_t offset, unsigned size,
                               bool wide) {
    w2n_versioned_loop *v = f->fast;
    if (!eff || !LLVMIsAInstruction(eff) || !LLVMIsAInstruction(oob) || !LLVMIsAInstruction(ptr))
        return; /* a constant address: its check stays */
    if (v->naccesses == v->accesses_cap)
        v->accesses =
            w2n_xgrow(v->accesses, &v->accesses_cap, v->naccesses + 1, sizeof *v->accesses, 16);
    /* In guard mode an access the range check does not cover may fault
     * instead, as in the slow version, where faults cannot tear stores; a
     * 64-bit memory has no guard region, so its accesses keep their checks. */
    bool may_fault = !explicit_bounds(f) && !stores_may_tear(f->lm) && !wide;
    v->accesses[v->naccesses++] =
        (w2n_fast_access){eff, oob, ptr, offset, size, may_fault, wide, memory};
}

/* The runtime's w2n_memory_abi of memory `index`: memory 0 one load away
 * through its own vmctx field, any other through vmctx->memories.  Both
 * pointers never change after instantiation (abi.h). */
static LLVMValueRef memory_struct(w2n_lower_func *f, uint32_t index) {
    if (index == 0)
        return w2n_lower_vmctx_field(f, W2N_VMCTX_MEMORY);
    LLVMValueRef memories = w2n_lower_vmctx_field(f, W2N_VMCTX_MEMORIES);
    return w2n_lower_fixed_ptr(f, memories, (uint64_t)index * sizeof(void *));
}

/* Is memory `memory` a 64-bit one (memory64)? */
static bool memory_is64(const w2n_lower_module *lm, uint32_t memory) {
    return memory < lm->m->nmemories && lm->m->memories[memory].is64;
}

static LLVMValueRef memory_base(w2n_lower_func *f, LLVMValueRef mem, bool is64) {
    w2n_lower_module *lm = f->lm;
    LLVMValueRef base = LLVMBuildLoad2(f->b, lm->t_ptr, mem, "mem_base");
    w2n_lower_tbaa(lm, base, lm->tbaa_runtime);
    if (!explicit_bounds(f) && !is64) /* a guard-mode 32-bit memory never moves */
        w2n_lower_invariant(lm, base);
    return base;
}

/* Does [addr + offset, addr + offset + size) leave a memory of `mem_size`
 * bytes?  In 64-bit arithmetic without wrapping: a sum past 2^64 is out of
 * bounds too, however the bits would wrap.  *sum_out: the add with
 * overflow, whose first operand stays the address after mem2reg (NULL
 * when no address fits). */
static LLVMValueRef out_of_bounds64(w2n_lower_func *f, LLVMValueRef addr, uint64_t offset,
                                    unsigned size, LLVMValueRef mem_size, LLVMValueRef *sum_out) {
    w2n_lower_module *lm = f->lm;
    *sum_out = NULL;
    if (offset > UINT64_MAX - size) /* no address can make that access fit */
        return LLVMConstInt(lm->t_i1, 1, 0);
    LLVMValueRef reach = LLVMConstInt(lm->t_i64, offset + size, 0);
    LLVMTypeRef ty = lm->t_i64;
    LLVMValueRef args[2] = {addr, reach};
    LLVMValueRef sum = w2n_lower_intrinsic(f, "llvm.uadd.with.overflow", &ty, 1, args, 2);
    *sum_out = sum;
    LLVMValueRef end = LLVMBuildExtractValue(f->b, sum, 0, "");
    LLVMValueRef wrapped = LLVMBuildExtractValue(f->b, sum, 1, "");
    LLVMValueRef past = LLVMBuildICmp(f->b, LLVMIntUGT, end, mem_size, "");
    return LLVMBuildOr(f->b, wrapped, past, "");
}

/* The bytes a memory of `pages` pages holds, saturated at 2^64 - 1. */
static uint64_t pages_to_bytes(uint64_t pages) {
    return pages > UINT64_MAX / W2N_PAGE_SIZE ? UINT64_MAX : pages * W2N_PAGE_SIZE;
}

/* Tell LLVM that the size of memory `memory` is never below its declared
 * minimum: memory only grows, and an imported memory has at least the
 * minimum its import declares (instance.c).  An access wholly below the
 * minimum then needs no check: LLVM folds the compare of a constant or
 * bounded address (a table index masked to 8 bits, say) with the size.
 * No upper bound: with one, LLVM narrows the compare of a 32-bit address
 * with the size to 32 bits and then zero-extends the address again for the
 * access, an instruction more in every checked access (sieve). */
static void set_size_range(w2n_lower_func *f, uint32_t memory, LLVMValueRef size) {
    w2n_lower_module *lm = f->lm;
    if (memory >= lm->m->nmemories)
        return;
    uint64_t lo = pages_to_bytes(lm->m->memories[memory].min);
    if (lo == 0)
        return; /* nothing to say */
    /* !range [lo, 0) wraps: lo to 2^64 - 1 */
    LLVMMetadataRef bounds[2] = {LLVMValueAsMetadata(LLVMConstInt(lm->t_i64, lo, 0)),
                                 LLVMValueAsMetadata(LLVMConstInt(lm->t_i64, 0, 0))};
    LLVMSetMetadata(size, lm->md_kind_range,
                    LLVMMetadataAsValue(lm->ctx, LLVMMDNodeInContext2(lm->ctx, bounds, 2)));
}

static LLVMValueRef memory_size_bytes(w2n_lower_func *f, uint32_t memory, LLVMValueRef mem) {
    w2n_lower_module *lm = f->lm;
    LLVMValueRef idx = LLVMConstInt(lm->t_i64, 8, 0);
    LLVMValueRef addr = LLVMBuildGEP2(f->b, lm->t_i8, mem, &idx, 1, "");
    LLVMValueRef size = LLVMBuildLoad2(f->b, lm->t_i64, addr, "mem_size");
    w2n_lower_tbaa(lm, size, lm->tbaa_runtime);
    set_size_range(f, memory, size);
    return size;
}

LLVMValueRef w2n_lower_mem_size(w2n_lower_func *f, uint32_t memory) {
    return memory_size_bytes(f, memory, memory_struct(f, memory));
}

LLVMValueRef w2n_lower_mem_size_plain(w2n_lower_func *f, uint32_t memory) {
    LLVMValueRef size = w2n_lower_mem_size(f, memory);
    LLVMSetMetadata(size, f->lm->md_kind_range, NULL);
    return size;
}

LLVMValueRef w2n_lower_mem_address(w2n_lower_func *f, uint32_t memory, LLVMValueRef addr,
                                   uint64_t offset, unsigned size) {
    w2n_lower_module *lm = f->lm;
    LLVMValueRef mem = memory_struct(f, memory);
    bool is64 = LLVMTypeOf(addr) == lm->t_i64;
    LLVMValueRef zext = LLVMBuildZExt(f->b, addr, lm->t_i64, "");
    LLVMValueRef eff = zext;
    if (offset)
        eff = LLVMBuildAdd(f->b, eff, LLVMConstInt(lm->t_i64, offset, 0), "");
    LLVMValueRef oob = NULL, sum = NULL;
    if (is64) {
        oob = out_of_bounds64(f, addr, offset, size, memory_size_bytes(f, memory, mem), &sum);
        w2n_lower_trap_if(f, oob, W2N_TRAP_MEMORY_OOB);
    } else if (checked(f)) {
        LLVMValueRef end = LLVMBuildAdd(f->b, eff, LLVMConstInt(lm->t_i64, size, 0), "");
        oob = LLVMBuildICmp(f->b, LLVMIntUGT, end, memory_size_bytes(f, memory, mem), "");
        w2n_lower_trap_if(f, oob, W2N_TRAP_MEMORY_OOB);
    }
    LLVMValueRef ptr = LLVMBuildGEP2(f->b, lm->t_i8, memory_base(f, mem, is64), &eff, 1, "");
    /* The range check covers the first memories; it finds the address as
     * the first operand of the zero extension or, for a 64-bit memory, of
     * the checked add (mem2reg replaces a local.get's load, not those). */
    if (f->fast && memory < W2N_VERSIONED_MEMORIES)
        record_fast_access(f, memory, is64 ? sum : zext, oob, ptr, offset, size, is64);
    return ptr;
}

LLVMValueRef w2n_lower_mem_store_address(w2n_lower_func *f, uint32_t memory, LLVMValueRef addr,
                                         uint64_t offset, unsigned size) {
    w2n_lower_module *lm = f->lm;
    LLVMValueRef ptr = w2n_lower_mem_address(f, memory, addr, offset, size);
    if (checked(f) || LLVMTypeOf(addr) == lm->t_i64 || size < 2 || !stores_may_tear(lm))
        return ptr;
    LLVMValueRef idx = LLVMConstInt(lm->t_i64, size - 1, 0);
    LLVMValueRef last = LLVMBuildGEP2(f->b, lm->t_i8, ptr, &idx, 1, "");
    LLVMValueRef probe = LLVMBuildLoad2(f->b, lm->t_i8, last, "store_probe");
    LLVMSetVolatile(probe, 1);
    w2n_lower_tbaa(lm, probe, lm->tbaa_memory);
    return ptr;
}

typedef struct access {
    uint32_t op;
    uint8_t result; /* Wasm type pushed (loads) or popped (stores) */
    unsigned bytes; /* bytes in memory */
    bool is_signed; /* sign-extend a narrow load */
} access;

static const access accesses[] = {
    {W2N_OP_I32_LOAD, W2N_I32, 4, false},    {W2N_OP_I64_LOAD, W2N_I64, 8, false},
    {W2N_OP_F32_LOAD, W2N_F32, 4, false},    {W2N_OP_F64_LOAD, W2N_F64, 8, false},
    {W2N_OP_I32_LOAD8_S, W2N_I32, 1, true},  {W2N_OP_I32_LOAD8_U, W2N_I32, 1, false},
    {W2N_OP_I32_LOAD16_S, W2N_I32, 2, true}, {W2N_OP_I32_LOAD16_U, W2N_I32, 2, false},
    {W2N_OP_I64_LOAD8_S, W2N_I64, 1, true},  {W2N_OP_I64_LOAD8_U, W2N_I64, 1, false},
    {W2N_OP_I64_LOAD16_S, W2N_I64, 2, true}, {W2N_OP_I64_LOAD16_U, W2N_I64, 2, false},
    {W2N_OP_I64_LOAD32_S, W2N_I64, 4, true}, {W2N_OP_I64_LOAD32_U, W2N_I64, 4, false},
    {W2N_OP_I32_STORE, W2N_I32, 4, false},   {W2N_OP_I64_STORE, W2N_I64, 8, false},
    {W2N_OP_F32_STORE, W2N_F32, 4, false},   {W2N_OP_F64_STORE, W2N_F64, 8, false},
    {W2N_OP_I32_STORE8, W2N_I32, 1, false},  {W2N_OP_I32_STORE16, W2N_I32, 2, false},
    {W2N_OP_I64_STORE8, W2N_I64, 1, false},  {W2N_OP_I64_STORE16, W2N_I64, 2, false},
    {W2N_OP_I64_STORE32, W2N_I64, 4, false},
};

static const access *find_access(uint32_t op) {
    for (size_t i = 0; i < sizeof accesses / sizeof accesses[0]; i++)
        if (accesses[i].op == op)
            return &accesses[i];
    return NULL;
}

static bool is_store(uint32_t op) { return op >= W2N_OP_I32_STORE && op <= W2N_OP_I64_STORE32; }

/* The LLVM type of the bytes in memory. */
static LLVMTypeRef memory_type(w2n_lower_module *lm, const access *a) {
    if (a->result == W2N_F32 || a->result == W2N_F64)
        return w2n_lower_type(lm, a->result);
    return LLVMIntTypeInContext(lm->ctx, a->bytes * 8);
}

static void lower_load(w2n_lower_func *f, const access *a, const w2n_instr *in) {
    w2n_lower_module *lm = f->lm;
    const w2n_memarg *ma = &in->imm.memarg;
    LLVMValueRef ptr = w2n_lower_mem_address(f, ma->memory, w2n_lower_pop(f), ma->offset, a->bytes);
    LLVMTypeRef mty = memory_type(lm, a);
    LLVMValueRef v = LLVMBuildLoad2(f->b, mty, ptr, "");
    LLVMSetAlignment(v, 1);
    /* Guard mode: the load itself is the bounds check, so LLVM must neither
     * delete it when its value is unused nor narrow it (i64.load + wrap). */
    if (w2n_lower_mem_volatile(f))
        LLVMSetVolatile(v, 1);
    w2n_lower_tbaa(lm, v, lm->tbaa_memory);
    LLVMTypeRef rty = w2n_lower_type(lm, a->result);
    if (mty != rty)
        v = a->is_signed ? LLVMBuildSExt(f->b, v, rty, "") : LLVMBuildZExt(f->b, v, rty, "");
    w2n_lower_push(f, v);
}

static void lower_store(w2n_lower_func *f, const access *a, const w2n_instr *in) {
    w2n_lower_module *lm = f->lm;
    LLVMValueRef v = w2n_lower_pop(f);
    const w2n_memarg *ma = &in->imm.memarg;
    LLVMValueRef ptr =
        w2n_lower_mem_store_address(f, ma->memory, w2n_lower_pop(f), ma->offset, a->bytes);
    LLVMTypeRef mty = memory_type(lm, a);
    if (mty != LLVMTypeOf(v))
        v = LLVMBuildTrunc(f->b, v, mty, "");
    LLVMValueRef st = LLVMBuildStore(f->b, v, ptr);
    LLVMSetAlignment(st, 1);
    if (w2n_lower_mem_volatile(f)) /* the fault must come in program order (see loads) */
        LLVMSetVolatile(st, 1);
    w2n_lower_tbaa(lm, st, lm->tbaa_memory);
}

/* memory.copy and memory.fill within one 32-bit memory, inline: both ranges
 * checked against the size first (a trapping operation writes nothing),
 * then LLVM's memmove or memset, which the back end makes a call to the C
 * library's (runtime/loader/libcalls.c) or, for a small constant length, a
 * few moves.  Helper calls cost an indirect call and the vmctx->memories
 * loads besides: SQLite's copies are mostly short. */
static bool bulk_inline(w2n_lower_func *f, uint32_t dst_memory, uint32_t src_memory) {
    return dst_memory == src_memory && !memory_is64(f->lm, dst_memory);
}

/* Traps unless [start, start + n) lies in the memory (64-bit sums of
 * zero-extended 32-bit values: no wrap). */
static void check_range(w2n_lower_func *f, LLVMValueRef start, LLVMValueRef n, LLVMValueRef size) {
    LLVMValueRef end = LLVMBuildNUWAdd(f->b, start, n, "");
    w2n_lower_trap_if(f, LLVMBuildICmp(f->b, LLVMIntUGT, end, size, ""), W2N_TRAP_MEMORY_OOB);
}

/* The intrinsic's volatile flag: in guard mode, as the accesses around it
 * are, so that LLVM keeps it in order with them (a later access that
 * faults must see it done, an earlier one not). */
static LLVMValueRef in_order(w2n_lower_func *f) {
    return LLVMConstInt(f->lm->t_i1, w2n_lower_mem_volatile(f), 0);
}

static LLVMValueRef base_plus(w2n_lower_func *f, LLVMValueRef mem, LLVMValueRef offset) {
    return LLVMBuildGEP2(f->b, f->lm->t_i8, memory_base(f, mem, false), &offset, 1, "");
}

static void lower_copy_inline(w2n_lower_func *f, uint32_t memory) {
    w2n_lower_module *lm = f->lm;
    LLVMValueRef v[3]; /* dst, src, n */
    w2n_lower_pop_n_wide(f, v, 3, 7u);
    LLVMValueRef mem = memory_struct(f, memory);
    LLVMValueRef size = memory_size_bytes(f, memory, mem);
    check_range(f, v[0], v[2], size);
    check_range(f, v[1], v[2], size);
    LLVMTypeRef tys[3] = {lm->t_ptr, lm->t_ptr, lm->t_i64};
    LLVMValueRef args[4] = {base_plus(f, mem, v[0]), base_plus(f, mem, v[1]), v[2], in_order(f)};
    LLVMValueRef call = w2n_lower_intrinsic(f, "llvm.memmove", tys, 3, args, 4);
    w2n_lower_tbaa(lm, call, lm->tbaa_memory); /* linear memory only, as any access */
}

static void lower_fill_inline(w2n_lower_func *f, uint32_t memory) {
    w2n_lower_module *lm = f->lm;
    LLVMValueRef v[3]; /* dst, value, n */
    w2n_lower_pop_n_wide(f, v, 3, 5u);
    LLVMValueRef mem = memory_struct(f, memory);
    check_range(f, v[0], v[2], memory_size_bytes(f, memory, mem));
    LLVMTypeRef tys[2] = {lm->t_ptr, lm->t_i64};
    LLVMValueRef args[4] = {base_plus(f, mem, v[0]), LLVMBuildTrunc(f->b, v[1], lm->t_i8, ""), v[2],
                            in_order(f)};
    LLVMValueRef call = w2n_lower_intrinsic(f, "llvm.memset", tys, 2, args, 4);
    w2n_lower_tbaa(lm, call, lm->tbaa_memory);
}

static bool lower_bulk(w2n_lower_func *f, const w2n_instr *in) {
    w2n_lower_module *lm = f->lm;
    LLVMValueRef args[6];
    switch (in->op) {
    case W2N_OP_MEMORY_SIZE: { /* in pages: i64 for a 64-bit memory */
        LLVMValueRef bytes = w2n_lower_mem_size(f, in->imm.index);
        LLVMValueRef pages = LLVMBuildLShr(f->b, bytes, LLVMConstInt(lm->t_i64, 16, 0), "");
        if (!memory_is64(lm, in->imm.index))
            pages = LLVMBuildTrunc(f->b, pages, lm->t_i32, "");
        w2n_lower_push(f, pages);
        return true;
    }
    case W2N_OP_MEMORY_GROW: { /* delta -> old pages or -1 */
        args[0] = w2n_lower_u32(f, in->imm.index);
        w2n_lower_pop_n_wide(f, args + 1, 1, 1u);
        LLVMValueRef old = w2n_lower_call_helper(f, W2N_HELPER_MEMORY_GROW, lm->t_i64, args, 2);
        if (!memory_is64(lm, in->imm.index))
            old = LLVMBuildTrunc(f->b, old, lm->t_i32, "");
        w2n_lower_push(f, old);
        return true;
    }
    case W2N_OP_MEMORY_COPY: /* dst, src, n */
        if (bulk_inline(f, in->imm.memory_copy.dst, in->imm.memory_copy.src)) {
            lower_copy_inline(f, in->imm.memory_copy.dst);
            return true;
        }
        args[0] = w2n_lower_u32(f, in->imm.memory_copy.dst);
        args[1] = w2n_lower_u32(f, in->imm.memory_copy.src);
        w2n_lower_pop_n_wide(f, args + 2, 3, 7u);
        w2n_lower_call_helper(f, W2N_HELPER_MEMORY_COPY, lm->t_void, args, 5);
        return true;
    case W2N_OP_MEMORY_FILL: /* dst, value, n */
        if (bulk_inline(f, in->imm.index, in->imm.index)) {
            lower_fill_inline(f, in->imm.index);
            return true;
        }
        args[0] = w2n_lower_u32(f, in->imm.index);
        w2n_lower_pop_n_wide(f, args + 1, 3, 5u);
        w2n_lower_call_helper(f, W2N_HELPER_MEMORY_FILL, lm->t_void, args, 4);
        return true;
    case W2N_OP_MEMORY_INIT: /* dst, src, n: only dst is an address */
        args[0] = w2n_lower_u32(f, in->imm.memory_init.memory);
        args[1] = w2n_lower_u32(f, in->imm.memory_init.segment);
        w2n_lower_pop_n_wide(f, args + 2, 3, 1u);
        w2n_lower_call_helper(f, W2N_HELPER_MEMORY_INIT, lm->t_void, args, 5);
        return true;
    case W2N_OP_DATA_DROP:
        args[0] = w2n_lower_u32(f, in->imm.index);
        w2n_lower_call_helper(f, W2N_HELPER_DATA_DROP, lm->t_void, args, 1);
        return true;
    default: return false;
    }
}

bool w2n_lower_memory(w2n_lower_func *f, const w2n_instr *in) {
    const access *a = find_access(in->op);
    if (!a)
        return lower_bulk(f, in);
    if (is_store(in->op))
        lower_store(f, a, in);
    else
        lower_load(f, a, in);
    return true;
}
