/*
 * lower_core.c — the services of the lowering that every instruction family
 * uses and that need nothing of the function driver: the operand stack, the
 * LLVM types of Wasm values, alias-class metadata and intrinsic calls.
 *
 * It is its own file so that the unit harness (tests/unit/lower_harness.c),
 * which runs single instructions of the families without the driver, links
 * these services instead of copying them.
 */
#include "alias_classes.h"
#include "float_identity.h"
#include "lower.h"
#include "w2n_assert.h"

#include <string.h>

/* ---- identity constants kept out of LLVM's folds ----------------------------- */

/* +0 is left bare: it starts most accumulators, and one fenced +0 that GVN
 * and LICM share across a function holds a register the whole way (covariance,
 * explicit: 4 % more instructions).  Its folds, x - 0 and x + 0 (x not -0),
 * are fenced where the op sees the constant (lower_numeric.c); through a
 * local they are a documented limit (docs/architecture.md). */
static bool fenced_when_pushed(LLVMValueRef c) {
    w2n_float_identity id = w2n_float_identity_of_constant(c);
    return id == W2N_FLOAT_MINUS_ZERO || id == W2N_FLOAT_ONE;
}

/* A v128 constant whose f32 (or f64) lanes are all identities, and not all
 * +0: the all-zero vector feeds integer SIMD everywhere, and hiding it would
 * cost more than the one fold it allows (x - 0 lane-wise, documented). */
static LLVMTypeRef identity_vector_type(w2n_lower_module *lm, LLVMValueRef v) {
    uint8_t bytes[16];
    bool nonzero = false;
    for (unsigned i = 0; i < 16; i++) {
        LLVMValueRef e = LLVMGetAggregateElement(v, i);
        if (!e || !LLVMIsAConstantInt(e))
            return NULL;
        bytes[i] = (uint8_t)LLVMConstIntGetZExtValue(e);
        nonzero |= bytes[i] != 0;
    }
    if (!nonzero)
        return NULL;
    for (unsigned width = 4; width <= 8; width += 4) {
        bool all = true;
        for (unsigned lane = 0; lane < 16 / width && all; lane++) {
            uint64_t bits = 0;
            for (unsigned b = 0; b < width; b++)
                bits |= (uint64_t)bytes[lane * width + b] << (8 * b);
            all = w2n_float_identity_of_bits(bits, width) != W2N_FLOAT_NO_IDENTITY;
        }
        if (all)
            return LLVMVectorType(width == 8 ? lm->t_f64 : lm->t_f32, 16 / width);
    }
    return NULL;
}

LLVMValueRef w2n_lower_fence(w2n_lower_func *f, LLVMValueRef v) {
    LLVMTypeRef t = LLVMTypeOf(v);
    return w2n_lower_intrinsic(f, "llvm.arithmetic.fence", &t, 1, &v, 1);
}

/* llvm.arithmetic.fence(c) is c to the machine (no instruction on any target)
 * but no fold looks through it, wherever optimisation carries the constant:
 * a local, an inlined argument, a phi.  The op itself then runs and quiets. */
static LLVMValueRef opaque_identity(w2n_lower_func *f, LLVMValueRef v) {
    if (!LLVMIsConstant(v))
        return v;
    LLVMTypeRef t = LLVMTypeOf(v);
    if (t == f->lm->t_f32 || t == f->lm->t_f64) {
        if (!LLVMIsAConstantFP(v) || !fenced_when_pushed(v))
            return v;
        return w2n_lower_fence(f, v);
    }
    if (t != f->lm->t_v128)
        return v;
    LLVMTypeRef ft = identity_vector_type(f->lm, v);
    if (!ft)
        return v;
    LLVMValueRef as_float = LLVMConstBitCast(v, ft);
    LLVMValueRef fenced = w2n_lower_intrinsic(f, "llvm.arithmetic.fence", &ft, 1, &as_float, 1);
    return LLVMBuildBitCast(f->b, fenced, t, "");
}

/* The constant behind v when v is a fence of a scalar that w2n_lower_push
 * made and nothing uses yet (the op that pops it is its only consumer);
 * otherwise NULL. */
LLVMValueRef w2n_lower_fenced_constant(LLVMValueRef v) {
    if (!w2n_lower_calls_intrinsic(v, "llvm.arithmetic.fence.") || LLVMGetFirstUse(v))
        return NULL;
    LLVMValueRef c = LLVMGetOperand(v, 0);
    return LLVMIsAConstantFP(c) ? c : NULL;
}

/* The op that pops such a fence may use the constant itself where no fold
 * can hand back an operand (x - 1, 1 / x, a comparison), which keeps LLVM's
 * constant operands (a memory operand, no register) there. */
LLVMValueRef w2n_lower_unfence(LLVMValueRef v) {
    LLVMValueRef c = w2n_lower_fenced_constant(v);
    if (c)
        LLVMInstructionEraseFromParent(v);
    return c;
}

/* ---- operand stack ---------------------------------------------------------- */

void w2n_lower_push(w2n_lower_func *f, LLVMValueRef v) {
    v = opaque_identity(f, v);
    if (f->sp == f->stack_cap)
        f->stack = w2n_xgrow(f->stack, &f->stack_cap, f->sp + 1, sizeof *f->stack, 64);
    f->stack[f->sp++] = v;
}

LLVMValueRef w2n_lower_pop(w2n_lower_func *f) {
    W2N_ASSERT(f->sp > 0);
    return f->stack[--f->sp];
}

LLVMValueRef w2n_lower_pop_as(w2n_lower_func *f, LLVMTypeRef type) {
    LLVMValueRef v = w2n_lower_pop(f);
    W2N_ASSERT(LLVMTypeOf(v) == type);
    return v;
}

LLVMValueRef w2n_lower_peek(w2n_lower_func *f, size_t depth) {
    W2N_ASSERT(depth < f->sp);
    return f->stack[f->sp - 1 - depth];
}

void w2n_lower_pop_n(w2n_lower_func *f, LLVMValueRef *out, unsigned n) {
    for (unsigned i = n; i-- > 0;)
        out[i] = w2n_lower_pop(f);
}

void w2n_lower_pop_n_wide(w2n_lower_func *f, LLVMValueRef *out, unsigned n, unsigned wide) {
    w2n_lower_pop_n(f, out, n);
    for (unsigned i = 0; i < n; i++)
        if ((wide & (1u << i)) && LLVMTypeOf(out[i]) != f->lm->t_i64)
            out[i] = LLVMBuildZExt(f->b, out[i], f->lm->t_i64, "");
}

LLVMValueRef w2n_lower_u32(w2n_lower_func *f, uint32_t v) {
    return LLVMConstInt(f->lm->t_i32, v, 0);
}

/* ---- types and metadata ------------------------------------------------------- */

LLVMTypeRef w2n_lower_type(w2n_lower_module *lm, w2n_valtype valtype) {
    switch (valtype) {
    case W2N_I32: return lm->t_i32;
    case W2N_I64: return lm->t_i64;
    case W2N_F32: return lm->t_f32;
    case W2N_F64: return lm->t_f64;
    case W2N_V128: return lm->t_v128;
    default: /* references: GC ones in address space 1 (lower_gc.c) */
        return w2n_lower_is_gc_ref(lm, valtype) ? lm->t_gcref : lm->t_ptr;
    }
}

void w2n_lower_tbaa(w2n_lower_module *lm, LLVMValueRef inst, LLVMValueRef tag) {
    LLVMSetMetadata(inst, lm->md_kind_tbaa, tag);
}

static LLVMValueRef empty_md(w2n_lower_module *lm) {
    return LLVMMetadataAsValue(lm->ctx, LLVMMDNodeInContext2(lm->ctx, NULL, 0));
}

void w2n_lower_invariant(w2n_lower_module *lm, LLVMValueRef load) {
    LLVMSetMetadata(load, lm->md_kind_invariant, empty_md(lm));
}

static LLVMValueRef tbaa_type(w2n_lower_module *lm, LLVMMetadataRef root, const char *name) {
    LLVMMetadataRef ops[3] = {LLVMMDStringInContext2(lm->ctx, name, strlen(name)), root,
                              LLVMValueAsMetadata(LLVMConstInt(lm->t_i64, 0, 0))};
    LLVMMetadataRef type = LLVMMDNodeInContext2(lm->ctx, ops, 3);
    LLVMMetadataRef tag_ops[3] = {type, type, LLVMValueAsMetadata(LLVMConstInt(lm->t_i64, 0, 0))};
    return LLVMMetadataAsValue(lm->ctx, LLVMMDNodeInContext2(lm->ctx, tag_ops, 3));
}

void w2n_lower_init_metadata(w2n_lower_module *lm) {
    const char *root_name = W2N_ALIAS_ROOT;
    LLVMMetadataRef name = LLVMMDStringInContext2(lm->ctx, root_name, strlen(root_name));
    LLVMMetadataRef root = LLVMMDNodeInContext2(lm->ctx, &name, 1);
    lm->tbaa_memory = tbaa_type(lm, root, W2N_ALIAS_LINEAR_MEMORY);
    lm->tbaa_vmctx = tbaa_type(lm, root, W2N_ALIAS_VMCTX);
    lm->tbaa_runtime = tbaa_type(lm, root, W2N_ALIAS_RUNTIME);
    lm->tbaa_global = tbaa_type(lm, root, W2N_ALIAS_GLOBALS);
    lm->tbaa_table = tbaa_type(lm, root, W2N_ALIAS_TABLES);
    lm->md_kind_tbaa = LLVMGetMDKindIDInContext(lm->ctx, "tbaa", 4);
    lm->md_kind_invariant = LLVMGetMDKindIDInContext(lm->ctx, "invariant.load", 14);
    lm->md_kind_nonnull = LLVMGetMDKindIDInContext(lm->ctx, "nonnull", 7);
    lm->md_kind_range = LLVMGetMDKindIDInContext(lm->ctx, "range", 5);
    lm->md_kind_dereferenceable = LLVMGetMDKindIDInContext(lm->ctx, "dereferenceable", 15);
    lm->md_kind_align = LLVMGetMDKindIDInContext(lm->ctx, "align", 5);
}

void w2n_lower_init_types(w2n_lower_module *lm) {
    LLVMContextRef c = lm->ctx;
    lm->t_void = LLVMVoidTypeInContext(c);
    lm->t_i1 = LLVMInt1TypeInContext(c);
    lm->t_i8 = LLVMInt8TypeInContext(c);
    lm->t_i16 = LLVMInt16TypeInContext(c);
    lm->t_i32 = LLVMInt32TypeInContext(c);
    lm->t_i64 = LLVMInt64TypeInContext(c);
    lm->t_f32 = LLVMFloatTypeInContext(c);
    lm->t_f64 = LLVMDoubleTypeInContext(c);
    lm->t_ptr = LLVMPointerTypeInContext(c, 0);
    lm->t_gcref = LLVMPointerTypeInContext(c, 1);
    lm->t_v128 = LLVMVectorType(lm->t_i8, 16);
}

/* ---- bounds mode ------------------------------------------------------------- */

bool w2n_lower_guard_bounds(const w2n_lower_module *lm) {
    return lm->opts->bounds != W2N_BOUNDS_EXPLICIT;
}

/* A guard-mode access may fault, but LLVM may assume that execution goes on
 * past a volatile access: it would delete a global store that a later one
 * overwrites, or move a store across the access, so a trap would leave the
 * wrong state behind.  Volatile accesses keep their order among themselves,
 * so the store becomes volatile too.  (Explicit mode traps through a call,
 * which already orders stores.) */
void w2n_lower_ordered_store(w2n_lower_func *f, LLVMValueRef store) {
    if (w2n_lower_guard_bounds(f->lm))
        LLVMSetVolatile(store, 1);
}

/* ---- function attributes --------------------------------------------------------- */

void w2n_lower_fn_attr(w2n_lower_module *lm, LLVMValueRef fn, const char *name) {
    unsigned kind = LLVMGetEnumAttributeKindForName(name, strlen(name));
    LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                            LLVMCreateEnumAttribute(lm->ctx, kind, 0));
}

/* optnone needs noinline: a copy inlined elsewhere would be optimised. */
void w2n_lower_unoptimised(w2n_lower_module *lm, LLVMValueRef fn) {
    w2n_lower_fn_attr(lm, fn, "optnone");
    w2n_lower_fn_attr(lm, fn, "noinline");
}

/* ---- the vmctx ------------------------------------------------------------------ */

LLVMValueRef w2n_lower_fixed_load(w2n_lower_func *f, LLVMTypeRef type, LLVMValueRef base,
                                  uint64_t offset) {
    w2n_lower_module *lm = f->lm;
    LLVMValueRef idx = LLVMConstInt(lm->t_i64, offset, 0);
    LLVMValueRef addr = LLVMBuildGEP2(f->b, lm->t_i8, base, &idx, 1, "");
    LLVMValueRef v = LLVMBuildLoad2(f->b, type, addr, "");
    w2n_lower_tbaa(lm, v, lm->tbaa_vmctx);
    w2n_lower_invariant(lm, v);
    return v;
}

LLVMValueRef w2n_lower_fixed_ptr(w2n_lower_func *f, LLVMValueRef base, uint64_t offset) {
    return w2n_lower_fixed_load(f, f->lm->t_ptr, base, offset);
}

void w2n_lower_dereferenceable(w2n_lower_module *lm, LLVMValueRef load, uint64_t bytes) {
    if (!bytes)
        return;
    /* Speculating a load needs the alignment of its address too: every
     * array and record the runtime hands compiled code is 8-byte aligned. */
    LLVMMetadataRef a = LLVMValueAsMetadata(LLVMConstInt(lm->t_i64, 8, 0));
    LLVMSetMetadata(load, lm->md_kind_align,
                    LLVMMetadataAsValue(lm->ctx, LLVMMDNodeInContext2(lm->ctx, &a, 1)));
    LLVMMetadataRef n = LLVMValueAsMetadata(LLVMConstInt(lm->t_i64, bytes, 0));
    LLVMSetMetadata(load, lm->md_kind_dereferenceable,
                    LLVMMetadataAsValue(lm->ctx, LLVMMDNodeInContext2(lm->ctx, &n, 1)));
}

LLVMValueRef w2n_lower_vmctx_field(w2n_lower_func *f, unsigned offset) {
    w2n_lower_module *lm = f->lm;
    LLVMValueRef v = w2n_lower_fixed_ptr(f, f->vmctx, offset);
    LLVMSetMetadata(v, lm->md_kind_nonnull, empty_md(lm));
    /* The arrays whose length the module fixes (instance.c allocates them
     * so): loads from them may be hoisted. */
    if (offset == W2N_VMCTX_TABLES)
        w2n_lower_dereferenceable(lm, v, (uint64_t)lm->m->ntables * 8);
    else if (offset == W2N_VMCTX_TYPE_IDS)
        w2n_lower_dereferenceable(lm, v, (uint64_t)lm->m->ntypes * 4);
    /* Memory 0's record, there whenever the module has a memory: in guard
     * mode its size may then be read ahead of a loop's range check, before
     * the loop around it (compiler/loops).  Explicit mode's every check
     * reads it too, and there LLVM's placement of the hoisted reads cost
     * matmul (docs/performance.md, "gemm_rows: the check on every entry"). */
    else if (offset == W2N_VMCTX_MEMORY && lm->m->nmemories && lm->opts &&
             lm->opts->bounds == W2N_BOUNDS_GUARD)
        w2n_lower_dereferenceable(lm, v, sizeof(w2n_memory_abi));
    return v;
}

LLVMValueRef w2n_lower_helper(w2n_lower_func *f, unsigned index) {
    return w2n_lower_fixed_ptr(f, w2n_lower_vmctx_field(f, W2N_VMCTX_HELPERS), (uint64_t)index * 8);
}

/* vmctx->funcs[index]: the w2n_func record of any function. */
LLVMValueRef w2n_lower_func_record(w2n_lower_func *f, uint32_t index) {
    LLVMValueRef funcs = w2n_lower_vmctx_field(f, W2N_VMCTX_FUNCS);
    return w2n_lower_fixed_ptr(f, funcs, (uint64_t)index * 8);
}

/* Call runtime helper `index` (vmctx->helpers) with vmctx and args. */
LLVMValueRef w2n_lower_call_helper(w2n_lower_func *f, unsigned index, LLVMTypeRef ret,
                                   LLVMValueRef *args, unsigned nargs) {
    w2n_lower_module *lm = f->lm;
    LLVMTypeRef params[8];
    LLVMValueRef all[8];
    params[0] = lm->t_ptr;
    all[0] = f->vmctx;
    for (unsigned i = 0; i < nargs; i++) {
        params[i + 1] = LLVMTypeOf(args[i]);
        all[i + 1] = args[i];
    }
    LLVMTypeRef fty = LLVMFunctionType(ret, params, nargs + 1, 0);
    LLVMValueRef call = LLVMBuildCall2(f->b, fty, w2n_lower_helper(f, index), all, nargs + 1, "");
    w2n_lower_gc_helper_call(lm, index, call);
    return call;
}

/* ---- intrinsics ---------------------------------------------------------------- */

LLVMValueRef w2n_lower_intrinsic(w2n_lower_func *f, const char *name, LLVMTypeRef *overloads,
                                 unsigned noverloads, LLVMValueRef *args, unsigned nargs) {
    unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
    W2N_ASSERT(id != 0);
    LLVMValueRef fn = LLVMGetIntrinsicDeclaration(f->lm->mod, id, overloads, noverloads);
    LLVMTypeRef ty = LLVMIntrinsicGetType(f->lm->ctx, id, overloads, noverloads);
    return LLVMBuildCall2(f->b, ty, fn, args, nargs, "");
}

bool w2n_lower_calls_intrinsic(LLVMValueRef v, const char *prefix) {
    if (!LLVMIsACallInst(v))
        return false;
    LLVMValueRef callee = LLVMGetCalledValue(v);
    size_t len = 0;
    const char *name = LLVMIsAFunction(callee) ? LLVMGetValueName2(callee, &len) : "";
    return strncmp(name, prefix, strlen(prefix)) == 0;
}
