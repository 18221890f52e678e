/*
 * lower_module.c — module-wide lowering: types, alias classes, one LLVM
 * function per Wasm function, then every body, then the entry points.
 *
 * Defined functions have internal linkage (the loader reaches them through
 * w2n_functions) and carry the name section's names, prefixed "w2n:" so they
 * can never collide with the library calls LLVM emits (a Wasm function named
 * "memcpy" must not capture LLVM's memcpy).
 */
#include "lower.h"
#include "target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The native signature of a Wasm function type (abi.h). */
static LLVMTypeRef native_fn_type(w2n_lower_module *lm, const w2n_functype *t) {
    LLVMTypeRef *params = w2n_xcalloc((size_t)t->nparams + 1, sizeof *params);
    params[0] = lm->t_ptr;
    for (uint32_t i = 0; i < t->nparams; i++)
        params[i + 1] = w2n_lower_type(lm, t->params[i]);
    LLVMTypeRef ret;
    if (t->nresults == 0) {
        ret = lm->t_void;
    } else if (t->nresults == 1) {
        ret = w2n_lower_type(lm, t->results[0]);
    } else {
        LLVMTypeRef *fields = w2n_xcalloc(t->nresults, sizeof *fields);
        for (uint32_t i = 0; i < t->nresults; i++)
            fields[i] = w2n_lower_type(lm, t->results[i]);
        ret = LLVMStructTypeInContext(lm->ctx, fields, t->nresults, 0);
        free(fields);
    }
    LLVMTypeRef fty = LLVMFunctionType(ret, params, t->nparams + 1, 0);
    free(params);
    return fty;
}

static void add_string_attr(w2n_lower_module *lm, LLVMValueRef fn, const char *name,
                            const char *value) {
    LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                            LLVMCreateStringAttribute(lm->ctx, name, (unsigned)strlen(name), value,
                                                      (unsigned)strlen(value)));
}

/* A frame larger than a page is touched page by page from the top as the
 * prologue allocates it, so the first page past the thread's stack it
 * reaches is the guard page below the stack, whatever the frame's size: no
 * store can skip the guard into another mapping, and the fault handler turns
 * the fault into "call stack exhausted" (runtime/core/trap.c, docs/abi.md).  4 KiB
 * is the smallest guard any supported kernel gives a thread. */
static void add_stack_probes(w2n_lower_module *lm, LLVMValueRef fn) {
    const w2n_target *t = w2n_target_find(lm->opts->target);
    if (!t || !t->stack_probes)
        return;
    add_string_attr(lm, fn, "probe-stack", "inline-asm");
    add_string_attr(lm, fn, "stack-probe-size", W2N_STACK_PROBE_SIZE_TEXT);
}

/* The vmctx of a defined function is always a whole w2n_vmctx (abi.h):
 * dereferenceable, so LLVM may load its fields (invariant) ahead of the
 * check that guards their use, out of a loop. */
static void add_vmctx_attrs(w2n_lower_module *lm, LLVMValueRef fn) {
    unsigned kind = LLVMGetEnumAttributeKindForName("dereferenceable", 15);
    LLVMAddAttributeAtIndex(fn, 1, LLVMCreateEnumAttribute(lm->ctx, kind, W2N_VMCTX_SIZE));
    unsigned align = LLVMGetEnumAttributeKindForName("align", 5);
    LLVMAddAttributeAtIndex(fn, 1, LLVMCreateEnumAttribute(lm->ctx, align, 8));
}

/* Every function gets asynchronous unwind tables (correct at any
 * instruction), so that a trap's backtrace can walk its frames, from a
 * fault too; they cost object size, no code (docs/debugging.md).  Without
 * exceptions no Wasm frame is ever unwound (traps longjmp past them):
 * nounwind.  With them, every function gets the personality routine, so a
 * throw can pass through it to a handler (lower_exception.c). */
static void add_unwind_attrs(w2n_lower_module *lm, LLVMValueRef fn) {
    unsigned kind = LLVMGetEnumAttributeKindForName("uwtable", 7);
    LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                            LLVMCreateEnumAttribute(lm->ctx, kind, 2 /* async */));
    if (!lm->eh) {
        w2n_lower_fn_attr(lm, fn, "nounwind");
        return;
    }
    LLVMSetPersonalityFn(fn, w2n_lower_personality(lm));
}

/* A small function, the kind whose calls are most of its time, starts on a
 * 64-byte line where the target says so (x86-64): its hot path then spans
 * the fewest fetch windows.  With LLVM's 16 bytes, recursion's fib (44 bytes
 * of Wasm, 75 of x86) ran its loop across a line boundary or not depending
 * on what came before it in the object: 0.70 s against 0.82 s
 * (docs/performance.md, "The vmctx in a callee-saved register").  Padding
 * between functions never runs. */
static void align_small_function(w2n_lower_module *lm, LLVMValueRef fn, const w2n_code *code) {
    /* At most this many bytes of Wasm body: a few hundred of machine code. */
    enum {
        MAX_SMALL_BODY = 96
    };
    /* Not at -O0 nor past the function budget, where object size and
     * compile time come first. */
    if (lm->target && lm->target->small_function_align && lm->opts && lm->opts->opt_level > 0 &&
        !lm->many_functions && code->body_end - code->body_start <= MAX_SMALL_BODY)
        LLVMSetAlignment(fn, lm->target->small_function_align);
}

static void declare_functions(w2n_lower_module *lm) {
    const w2n_module *m = lm->m;
    lm->funcs = w2n_xcalloc(m->nfuncs, sizeof *lm->funcs);
    for (uint32_t i = 0; i < m->nfuncs; i++) {
        char name[64];
        const char *wasm_name = m->func_names ? m->func_names[i] : NULL;
        char *long_name = NULL;
        if (i < m->nimported_funcs) {
            snprintf(name, sizeof name, "w2n_import_%u", i);
        } else if (wasm_name && *wasm_name) {
            size_t len = strlen(wasm_name) + 5;
            long_name = w2n_xmalloc(len);
            snprintf(long_name, len, "w2n:%s", wasm_name);
        } else {
            snprintf(name, sizeof name, "w2n_f%u", i);
        }
        LLVMValueRef fn = LLVMAddFunction(lm->mod, long_name ? long_name : name,
                                          lm->wasm_fn_types[m->func_types[i]]);
        free(long_name);
        LLVMSetLinkage(fn, LLVMInternalLinkage);
        add_unwind_attrs(lm, fn);
        add_stack_probes(lm, fn);
        if (i >= m->nimported_funcs) {
            w2n_lower_gc_function(lm, fn);
            add_vmctx_attrs(lm, fn);
            w2n_lower_declare_convention(lm, fn, i);
            align_small_function(lm, fn, &m->codes[i - m->nimported_funcs]);
        }
        lm->funcs[i] = fn;
    }
}

void w2n_lower_module_init(w2n_lower_module *lm, const w2n_module *m, const w2n_module_facts *facts,
                           const w2n_compile_options *opts, LLVMContextRef ctx, LLVMModuleRef mod) {
    memset(lm, 0, sizeof *lm);
    lm->m = m;
    lm->facts = facts;
    lm->opts = opts;
    lm->ctx = ctx;
    lm->mod = mod;
    w2n_lower_init_types(lm);
    w2n_lower_init_metadata(lm);
    lm->target = w2n_target_find(opts ? opts->target : NULL);
    lm->eh = facts->uses_exceptions;
    lm->many_functions = opts && opts->opt_level > 0 && w2n_opt_budget_module_exceeded(m);
    lm->gc = facts->uses_gc;
    w2n_lower_conventions_init(lm);
    lm->wasm_fn_types = w2n_xcalloc(m->ntypes, sizeof *lm->wasm_fn_types);
    for (uint32_t i = 0; i < m->ntypes; i++)
        lm->wasm_fn_types[i] = native_fn_type(lm, &m->types[i]);
    declare_functions(lm);
    lm->bodies_first = m->nimported_funcs;
    lm->bodies_end = m->nfuncs;
    lm->host_thunks = w2n_xcalloc(m->ntypes, sizeof *lm->host_thunks);
}

void w2n_lower_module_free(w2n_lower_module *lm) {
    free(lm->wasm_fn_types);
    free(lm->funcs);
    free(lm->private_cc);
    w2n_lower_known_tables_free(lm);
    for (size_t i = 0; i < lm->nvloops; i++) /* left by a failed lowering */
        free(lm->vloops[i].accesses);
    free(lm->vloops);
    free(lm->host_thunks);
}

w2n_status w2n_lower_module_body(w2n_lower_module *lm, w2n_error *err) {
    for (uint32_t i = lm->bodies_first; i < lm->bodies_end; i++) {
        w2n_status s = w2n_lower_function(lm, i, err);
        if (s != W2N_OK)
            return s;
    }
    w2n_lower_entries(lm);
    return W2N_OK;
}
