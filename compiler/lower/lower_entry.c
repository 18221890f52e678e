/*
 * lower_entry.c — the ways into and out of compiled code.
 *
 *  - array-call trampolines: void tramp(vmctx, w2n_raw *slots) for each
 *    function the host may call (exports, start, anything that can end up in
 *    a table), so the host needs no libffi for any signature;
 *  - import adapters: for imported function j, a function with the native
 *    signature that stores its arguments in slots and calls
 *    helpers->call_host(vmctx, j, slots); the runtime uses it when the import
 *    is a host function;
 *  - host-call thunks: the same for a function record with no native code (a
 *    host function the host put in a table), through helpers->call_func;
 *    call_indirect uses them, one per type it calls;
 *  - the symbol arrays w2n_functions, w2n_trampolines, w2n_import_adapters
 *    through which the loader finds all of them (abi.h).
 */
#include "lower.h"

#include <stdio.h>
#include <stdlib.h>

static LLVMValueRef slot_addr(LLVMBuilderRef b, w2n_lower_module *lm, LLVMValueRef slots,
                              unsigned i) {
    LLVMValueRef idx = LLVMConstInt(lm->t_i64, (uint64_t)i * sizeof(w2n_raw), 0);
    return LLVMBuildGEP2(b, lm->t_i8, slots, &idx, 1, "");
}

static LLVMValueRef load_slot(LLVMBuilderRef b, w2n_lower_module *lm, LLVMValueRef slots,
                              unsigned i, w2n_valtype type) {
    LLVMValueRef v = LLVMBuildLoad2(b, w2n_lower_type(lm, type), slot_addr(b, lm, slots, i), "");
    LLVMSetAlignment(v, 8);
    return v;
}

static void store_slot(LLVMBuilderRef b, w2n_lower_module *lm, LLVMValueRef slots, unsigned i,
                       LLVMValueRef v) {
    LLVMSetAlignment(LLVMBuildStore(b, v, slot_addr(b, lm, slots, i)), 8);
}

/* Results of a call as separate values (0, 1 or an aggregate of several). */
static LLVMValueRef result_at(LLVMBuilderRef b, LLVMValueRef call, const w2n_functype *t,
                              unsigned i) {
    return t->nresults == 1 ? call : LLVMBuildExtractValue(b, call, i, "");
}

static LLVMValueRef build_trampoline(w2n_lower_module *lm, uint32_t func_index) {
    const w2n_functype *t = w2n_module_func_type(lm->m, func_index);
    LLVMTypeRef params[2] = {lm->t_ptr, lm->t_ptr};
    LLVMTypeRef fty = LLVMFunctionType(lm->t_void, params, 2, 0);
    char name[48];
    snprintf(name, sizeof name, "w2n_tramp_%u", func_index);
    LLVMValueRef fn = LLVMAddFunction(lm->mod, name, fty);
    LLVMSetLinkage(fn, LLVMInternalLinkage);
    w2n_lower_gc_walkable(lm, fn);

    LLVMBuilderRef b = LLVMCreateBuilderInContext(lm->ctx);
    LLVMPositionBuilderAtEnd(b, LLVMAppendBasicBlockInContext(lm->ctx, fn, "entry"));
    LLVMValueRef vmctx = LLVMGetParam(fn, 0), slots = LLVMGetParam(fn, 1);
    LLVMValueRef *args = w2n_xcalloc((size_t)t->nparams + 1, sizeof *args);
    args[0] = vmctx;
    for (uint32_t i = 0; i < t->nparams; i++)
        args[i + 1] = load_slot(b, lm, slots, i, t->params[i]);
    LLVMValueRef call = LLVMBuildCall2(b, lm->wasm_fn_types[lm->m->func_types[func_index]],
                                       lm->funcs[func_index], args, t->nparams + 1, "");
    w2n_lower_call_convention(lm, call, lm->funcs[func_index]);
    /* The function keeps its own frame, so a trap's backtrace names it
     * (runtime/core/backtrace.c): one call per entry from the host. */
    unsigned noinline = LLVMGetEnumAttributeKindForName("noinline", 8);
    LLVMAddCallSiteAttribute(call, LLVMAttributeFunctionIndex,
                             LLVMCreateEnumAttribute(lm->ctx, noinline, 0));
    free(args);
    for (uint32_t i = 0; i < t->nresults; i++)
        store_slot(b, lm, slots, i, result_at(b, call, t, i));
    LLVMBuildRetVoid(b);
    LLVMDisposeBuilder(b);
    return fn;
}

/* The body of fn, of Wasm type t: its parameters from `first_param` on go to
 * slots, then helpers->helper(vmctx, which, slots), then the results come
 * back from the slots. */
static void build_slot_call(w2n_lower_module *lm, LLVMValueRef fn, const w2n_functype *t,
                            unsigned first_param, unsigned helper_index, LLVMValueRef which) {
    LLVMBuilderRef b = LLVMCreateBuilderInContext(lm->ctx);
    LLVMPositionBuilderAtEnd(b, LLVMAppendBasicBlockInContext(lm->ctx, fn, "entry"));
    LLVMValueRef vmctx = LLVMGetParam(fn, 0);
    unsigned nslots = t->nparams > t->nresults ? t->nparams : t->nresults;
    LLVMTypeRef slots_ty =
        LLVMArrayType2(lm->t_i8, (uint64_t)(nslots ? nslots : 1) * sizeof(w2n_raw));
    LLVMValueRef slots = LLVMBuildAlloca(b, slots_ty, "slots");
    LLVMSetAlignment(slots, 16);
    for (uint32_t i = 0; i < t->nparams; i++)
        store_slot(b, lm, slots, i, LLVMGetParam(fn, first_param + i));

    LLVMValueRef idx = LLVMConstInt(lm->t_i64, W2N_VMCTX_HELPERS, 0);
    LLVMValueRef helpers_addr = LLVMBuildGEP2(b, lm->t_i8, vmctx, &idx, 1, "");
    LLVMValueRef helpers = LLVMBuildLoad2(b, lm->t_ptr, helpers_addr, "");
    LLVMValueRef hidx = LLVMConstInt(lm->t_i64, (uint64_t)helper_index * 8, 0);
    LLVMValueRef helper_addr = LLVMBuildGEP2(b, lm->t_i8, helpers, &hidx, 1, "");
    LLVMValueRef helper = LLVMBuildLoad2(b, lm->t_ptr, helper_addr, "");
    LLVMTypeRef hparams[3] = {lm->t_ptr, LLVMTypeOf(which), lm->t_ptr};
    LLVMTypeRef hty = LLVMFunctionType(lm->t_void, hparams, 3, 0);
    LLVMValueRef hargs[3] = {vmctx, which, slots};
    LLVMBuildCall2(b, hty, helper, hargs, 3, "");

    if (t->nresults == 0) {
        LLVMBuildRetVoid(b);
    } else if (t->nresults == 1) {
        LLVMBuildRet(b, load_slot(b, lm, slots, 0, t->results[0]));
    } else {
        LLVMValueRef *vals = w2n_xcalloc(t->nresults, sizeof *vals);
        for (uint32_t i = 0; i < t->nresults; i++)
            vals[i] = load_slot(b, lm, slots, i, t->results[i]);
        LLVMBuildAggregateRet(b, vals, t->nresults);
        free(vals);
    }
    LLVMDisposeBuilder(b);
}

/* The body of import adapter `import_index` (already declared in lm->funcs). */
static void build_import_adapter(w2n_lower_module *lm, uint32_t import_index) {
    build_slot_call(lm, lm->funcs[import_index], w2n_module_func_type(lm->m, import_index), 1,
                    W2N_HELPER_CALL_HOST, LLVMConstInt(lm->t_i32, import_index, 0));
}

LLVMValueRef w2n_lower_host_thunk(w2n_lower_module *lm, uint32_t type_index) {
    if (lm->host_thunks[type_index])
        return lm->host_thunks[type_index];
    const w2n_functype *t = &lm->m->types[type_index];
    LLVMTypeRef wasm_ty = lm->wasm_fn_types[type_index];
    unsigned n = LLVMCountParamTypes(wasm_ty);
    LLVMTypeRef *params = w2n_xcalloc((size_t)n + 1, sizeof *params);
    LLVMGetParamTypes(wasm_ty, params + 1);
    params[0] = params[1]; /* vmctx */
    params[1] = lm->t_ptr; /* the w2n_func record */
    LLVMTypeRef fty = LLVMFunctionType(LLVMGetReturnType(wasm_ty), params, n + 1, 0);
    free(params);
    char name[48];
    snprintf(name, sizeof name, "w2n_hostcall_%u", type_index);
    LLVMValueRef fn = LLVMAddFunction(lm->mod, name, fty);
    LLVMSetLinkage(fn, LLVMInternalLinkage);
    w2n_lower_gc_walkable(lm, fn);
    build_slot_call(lm, fn, t, 2, W2N_HELPER_CALL_FUNC, LLVMGetParam(fn, 1));
    lm->host_thunks[type_index] = fn;
    return fn;
}

/* One of abi.h's code arrays: offsets, so that loading patches none of it. */
static void add_code_array(w2n_lower_module *lm, const char *name, LLVMValueRef *items,
                           unsigned n) {
    LLVMValueRef g = w2n_lower_code_offset_table(lm, name, items, n);
    LLVMSetLinkage(g, LLVMExternalLinkage);
    /* Not preemptible, so the offsets from it are constants (.rodata);
     * protected, not hidden, which joining partitions would make local. */
    LLVMSetVisibility(g, LLVMProtectedVisibility);
}

void w2n_lower_entries(w2n_lower_module *lm) {
    const w2n_module *m = lm->m;
    uint32_t ndefined = m->nfuncs - m->nimported_funcs;
    LLVMValueRef *items = w2n_xcalloc(m->nfuncs, sizeof *items);
    const bool *esc = lm->facts->escapes;

    for (uint32_t j = 0; j < m->nimported_funcs; j++) {
        build_import_adapter(lm, j);
        items[j] = lm->funcs[j];
    }
    add_code_array(lm, W2N_SYM_IMPORT_ADAPTERS, items, m->nimported_funcs);

    for (uint32_t i = 0; i < ndefined; i++)
        items[i] = lm->funcs[m->nimported_funcs + i];
    add_code_array(lm, W2N_SYM_FUNCTIONS, items, ndefined);

    for (uint32_t i = 0; i < ndefined; i++) {
        uint32_t index = m->nimported_funcs + i;
        items[i] = esc[index] ? build_trampoline(lm, index) : NULL;
    }
    add_code_array(lm, W2N_SYM_TRAMPOLINES, items, ndefined);
    free(items);
}
