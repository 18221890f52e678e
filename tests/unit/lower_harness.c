/*
 * lower_harness.c — a stand-in for the lowering's driver
 * (lower_function.c, lower_trap.c) that runs one instruction at a time.
 *
 * Implements the parts of lower.h the numeric and SIMD lowerings call (the
 * operand stack, traps, intrinsics, value types, memory addresses) in the
 * simplest correct way, and JIT-compiles each lowered instruction with MCJIT.
 * A trap does not call the runtime: the generated function returns the trap
 * code instead, so a test sees which trap fired without unwinding.
 *
 * Included by the test files (the test build compiles only test_*.c); the
 * lowering files under test and lower_core.c (the services every family
 * uses) are compiled into the same executable, and the driver is not linked,
 * so no symbol is defined twice.
 *
 * Environment: W2N_LH_OPT=O0..O3 (default O2) picks the pass pipeline run
 * before JIT; W2N_LH_CPU=name (or "native") sets target-cpu, e.g. to test the
 * AVX2 lowering as well as the SSE2 baseline; W2N_LH_DUMP=dir writes each
 * function's unoptimised IR to dir/lh_fnN.ll, so it can be compiled for the
 * other targets (library calls, cross-execution under qemu).
 */
#include "lower_harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Analysis.h>
#include <llvm-c/ExecutionEngine.h>
#include <llvm-c/Transforms/PassBuilder.h>

#include "lower.h"

typedef uint32_t (*lh_fn)(const lh_value *args, lh_value *out, uint8_t *memory);

typedef struct lh_entry {
    w2n_instr *ins;
    unsigned nins;
    uint8_t params[LH_MAX_PARAMS];
    unsigned nparams;
    uint8_t result;
    lh_fn fn;
} lh_entry;

struct lh_harness {
    w2n_lower_module lm;
    LLVMExecutionEngineRef ee;
    char *data_layout;
    char *triple;
    lh_entry *entries;
    size_t nentries, cap;
    LLVMModuleRef last;
    size_t last_index;
    uint8_t *memory;
};

/* ---- the lower.h API, minimal ----------------------------------------------
 * The operand stack, value types, metadata and intrinsics are the real ones
 * (compiler/lower/lower_core.c); traps and memory addresses are the harness's. */

static LLVMBasicBlockRef trap_block(w2n_lower_func *f, w2n_trap_code code) {
    if (!f->trap_blocks[code]) {
        LLVMBasicBlockRef here = LLVMGetInsertBlock(f->b);
        LLVMBasicBlockRef bb = LLVMAppendBasicBlockInContext(f->lm->ctx, f->fn, "trap");
        LLVMPositionBuilderAtEnd(f->b, bb);
        LLVMBuildRet(f->b, LLVMConstInt(f->lm->t_i32, code, false));
        LLVMPositionBuilderAtEnd(f->b, here);
        f->trap_blocks[code] = bb;
    }
    return f->trap_blocks[code];
}

void w2n_lower_trap_if(w2n_lower_func *f, LLVMValueRef cond, w2n_trap_code code) {
    LLVMBasicBlockRef cont = LLVMAppendBasicBlockInContext(f->lm->ctx, f->fn, "cont");
    LLVMBuildCondBr(f->b, cond, trap_block(f, code), cont);
    LLVMPositionBuilderAtEnd(f->b, cont);
}

void w2n_lower_trap(w2n_lower_func *f, w2n_trap_code code) {
    LLVMBuildBr(f->b, trap_block(f, code));
    LLVMPositionBuilderAtEnd(f->b, LLVMAppendBasicBlockInContext(f->lm->ctx, f->fn, "dead"));
}

/* Explicit bounds check against the harness memory (third parameter), the
 * only one: every memory index names it. */
LLVMValueRef w2n_lower_mem_address(w2n_lower_func *f, uint32_t memory, LLVMValueRef addr,
                                   uint64_t offset, unsigned size) {
    (void)memory;
    w2n_lower_module *lm = f->lm;
    LLVMValueRef a = LLVMBuildZExt(f->b, addr, lm->t_i64, "");
    LLVMValueRef ea = LLVMBuildAdd(f->b, a, LLVMConstInt(lm->t_i64, offset, false), "");
    LLVMValueRef end = LLVMBuildAdd(f->b, ea, LLVMConstInt(lm->t_i64, size, false), "");
    w2n_lower_trap_if(
        f, LLVMBuildICmp(f->b, LLVMIntUGT, end, LLVMConstInt(lm->t_i64, LH_MEMORY_SIZE, false), ""),
        W2N_TRAP_MEMORY_OOB);
    return LLVMBuildGEP2(f->b, lm->t_i8, LLVMGetParam(f->fn, 2), &ea, 1, "");
}

/* The harness checks bounds explicitly, so stores need no probe. */
LLVMValueRef w2n_lower_mem_store_address(w2n_lower_func *f, uint32_t memory, LLVMValueRef addr,
                                         uint64_t offset, unsigned size) {
    return w2n_lower_mem_address(f, memory, addr, offset, size);
}

/* The harness checks every access explicitly: nothing is volatile. */
bool w2n_lower_mem_volatile(const w2n_lower_func *f) {
    (void)f;
    return false;
}

/* ---- building one test function -------------------------------------------- */

bool w2n_lower_numeric(w2n_lower_func *f, const w2n_instr *in);
bool w2n_lower_simd(w2n_lower_func *f, const w2n_instr *in);
bool w2n_lower_simd_memory(w2n_lower_func *f, const w2n_instr *in);

static void set_cpu(lh_harness *h, LLVMValueRef fn) {
    const char *cpu = getenv("W2N_LH_CPU");
    if (!cpu || !*cpu)
        return;
    char *name = NULL, *features = NULL;
    if (strcmp(cpu, "native") == 0) {
        name = LLVMGetHostCPUName();
        features = LLVMGetHostCPUFeatures();
        cpu = name;
    }
    LLVMAddTargetDependentFunctionAttr(fn, "target-cpu", cpu);
    if (features)
        LLVMAddTargetDependentFunctionAttr(fn, "target-features", features);
    LLVMDisposeMessage(name);
    LLVMDisposeMessage(features);
}

/* Returns the module holding `name`, or NULL when the lowering refused the op. */
static LLVMModuleRef build(lh_harness *h, const w2n_instr *ins, unsigned nins,
                           const uint8_t *params, unsigned nparams, uint8_t result,
                           const char *name) {
    w2n_lower_module *lm = &h->lm;
    lm->mod = LLVMModuleCreateWithNameInContext(name, lm->ctx);
    LLVMSetDataLayout(lm->mod, h->data_layout);
    LLVMSetTarget(lm->mod, h->triple);
    LLVMTypeRef ptypes[3] = {lm->t_ptr, lm->t_ptr, lm->t_ptr};
    LLVMValueRef fn = LLVMAddFunction(lm->mod, name, LLVMFunctionType(lm->t_i32, ptypes, 3, 0));
    set_cpu(h, fn);

    w2n_lower_func f;
    memset(&f, 0, sizeof f);
    f.lm = lm;
    f.fn = fn;
    f.b = LLVMCreateBuilderInContext(lm->ctx);
    LLVMPositionBuilderAtEnd(f.b, LLVMAppendBasicBlockInContext(lm->ctx, fn, "entry"));
    /* A single instruction takes the parameters as its operands; a sequence
     * reads them with local.get. */
    bool seq = nins != 1 || ins[0].op == W2N_OP_LOCAL_GET;
    LLVMValueRef pv[LH_MAX_PARAMS];
    for (unsigned i = 0; i < nparams; i++) {
        LLVMValueRef off = LLVMConstInt(lm->t_i64, 16 * i, false);
        LLVMValueRef p = LLVMBuildGEP2(f.b, lm->t_i8, LLVMGetParam(fn, 0), &off, 1, "");
        pv[i] = LLVMBuildLoad2(f.b, w2n_lower_type(lm, params[i]), p, "");
        LLVMSetAlignment(pv[i], 1);
        if (!seq)
            w2n_lower_push(&f, pv[i]);
    }
    bool ok = true;
    for (unsigned i = 0; ok && i < nins; i++) {
        const w2n_instr *in = &ins[i];
        if (in->op == W2N_OP_LOCAL_GET && in->imm.index < nparams) {
            w2n_lower_push(&f, pv[in->imm.index]);
        } else if (in->op == W2N_OP_SELECT || in->op == W2N_OP_SELECT_T) {
            /* lower_function.c's job in the compiler; here only so tests can combine. */
            LLVMValueRef c = w2n_lower_pop(&f), y = w2n_lower_pop(&f), x = w2n_lower_pop(&f);
            LLVMValueRef nz = LLVMBuildICmp(f.b, LLVMIntNE, c, LLVMConstNull(lm->t_i32), "");
            w2n_lower_push(&f, LLVMBuildSelect(f.b, nz, x, y, ""));
        } else
            ok = w2n_lower_numeric(&f, in) || w2n_lower_simd(&f, in) ||
                 w2n_lower_simd_memory(&f, in);
    }
    if (ok && f.sp != (result ? 1u : 0u)) {
        fprintf(stderr, "lower_harness: %zu values left on the stack\n", f.sp);
        ok = false;
    }
    if (ok) {
        if (result) {
            LLVMValueRef st = LLVMBuildStore(f.b, w2n_lower_pop(&f), LLVMGetParam(fn, 1));
            LLVMSetAlignment(st, 1);
        }
        LLVMBuildRet(f.b, LLVMConstInt(lm->t_i32, 0, false));
    }
    LLVMDisposeBuilder(f.b);
    free(f.stack);
    if (!ok) {
        LLVMDisposeModule(lm->mod);
        return NULL;
    }
    char *msg = NULL;
    if (LLVMVerifyModule(lm->mod, LLVMReturnStatusAction, &msg)) {
        fprintf(stderr, "lower_harness: invalid IR: %s\n", msg);
        LLVMDumpModule(lm->mod);
        abort();
    }
    LLVMDisposeMessage(msg);
    return lm->mod;
}

static void optimise(lh_harness *h, LLVMModuleRef mod) {
    const char *level = getenv("W2N_LH_OPT");
    char pipeline[32];
    snprintf(pipeline, sizeof pipeline, "default<%s>", level && *level ? level : "O2");
    LLVMPassBuilderOptionsRef opts = LLVMCreatePassBuilderOptions();
    LLVMErrorRef err =
        LLVMRunPasses(mod, pipeline, LLVMGetExecutionEngineTargetMachine(h->ee), opts);
    if (err) {
        char *msg = LLVMGetErrorMessage(err);
        fprintf(stderr, "lower_harness: passes: %s\n", msg);
        LLVMDisposeErrorMessage(msg);
        abort();
    }
    LLVMDisposePassBuilderOptions(opts);
}

static lh_fn compile(lh_harness *h, const w2n_instr *ins, unsigned nins, const uint8_t *params,
                     unsigned nparams, uint8_t result) {
    char name[32];
    snprintf(name, sizeof name, "lh_fn%zu", h->nentries);
    LLVMModuleRef mod = build(h, ins, nins, params, nparams, result, name);
    if (!mod)
        return NULL;
    const char *dump = getenv("W2N_LH_DUMP");
    if (dump && *dump) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s.ll", dump, name);
        LLVMPrintModuleToFile(mod, path, NULL);
    }
    optimise(h, mod);
    LLVMAddModule(h->ee, mod);
    h->last = mod;
    return (lh_fn)(uintptr_t)LLVMGetFunctionAddress(h->ee, name);
}

/* ---- public ------------------------------------------------------------------ */

lh_harness *lh_create(void) {
    LLVMLinkInMCJIT();
    LLVMInitializeNativeTarget();
    LLVMInitializeNativeAsmPrinter();
    lh_harness *h = calloc(1, sizeof *h);
    h->memory = calloc(1, LH_MEMORY_SIZE);
    /* Explicit bounds checks (w2n_lower_mem_address below), so no access is
     * volatile and no store is ordered (w2n_lower_guard_bounds). */
    static const w2n_compile_options explicit_bounds = {.bounds = W2N_BOUNDS_EXPLICIT};
    h->lm.opts = &explicit_bounds;
    h->lm.ctx = LLVMContextCreate();
    w2n_lower_init_types(&h->lm);
    w2n_lower_init_metadata(&h->lm);

    LLVMModuleRef root = LLVMModuleCreateWithNameInContext("lh_root", h->lm.ctx);
    h->triple = LLVMGetDefaultTargetTriple();
    LLVMSetTarget(root, h->triple);
    struct LLVMMCJITCompilerOptions opts;
    LLVMInitializeMCJITCompilerOptions(&opts, sizeof opts);
    opts.OptLevel = 2;
    char *msg = NULL;
    if (LLVMCreateMCJITCompilerForModule(&h->ee, root, &opts, sizeof opts, &msg)) {
        fprintf(stderr, "lower_harness: MCJIT: %s\n", msg);
        abort();
    }
    h->data_layout = LLVMCopyStringRepOfTargetData(LLVMGetExecutionEngineTargetData(h->ee));
    h->lm.data_layout = LLVMGetExecutionEngineTargetData(h->ee);
    return h;
}

void lh_destroy(lh_harness *h) {
    if (!h)
        return;
    LLVMDisposeExecutionEngine(h->ee); /* owns the modules */
    LLVMContextDispose(h->lm.ctx);
    LLVMDisposeMessage(h->data_layout);
    LLVMDisposeMessage(h->triple);
    for (size_t i = 0; i < h->nentries; i++)
        free(h->entries[i].ins);
    free(h->entries);
    free(h->memory);
    free(h);
}

uint8_t *lh_memory(lh_harness *h) { return h->memory; }

static bool same_instr(const w2n_instr *a, const w2n_instr *b) {
    return a->op == b->op && a->lane == b->lane && memcmp(a->imm.v128, b->imm.v128, 16) == 0;
}

static bool same_entry(const lh_entry *e, const w2n_instr *ins, unsigned nins,
                       const uint8_t *params, unsigned nparams, uint8_t result) {
    if (e->nins != nins || e->nparams != nparams || e->result != result ||
        (nparams && memcmp(e->params, params, nparams) != 0))
        return false;
    for (unsigned i = 0; i < nins; i++)
        if (!same_instr(&e->ins[i], &ins[i]))
            return false;
    return true;
}

uint32_t lh_run_seq(lh_harness *h, const w2n_instr *ins, unsigned nins, const uint8_t *params,
                    unsigned nparams, uint8_t result, const lh_value *args, lh_value *out) {
    lh_entry *e = NULL;
    for (size_t i = 0; i < h->nentries && !e; i++)
        if (same_entry(&h->entries[i], ins, nins, params, nparams, result))
            e = &h->entries[i];
    if (!e) {
        if (nparams > LH_MAX_PARAMS)
            abort();
        if (h->nentries == h->cap) {
            h->cap = h->cap ? 2 * h->cap : 32;
            h->entries = realloc(h->entries, h->cap * sizeof *h->entries);
        }
        lh_fn fn = compile(h, ins, nins, params, nparams, result);
        e = &h->entries[h->nentries++];
        memset(e, 0, sizeof *e);
        e->ins = malloc(nins * sizeof *ins);
        if (nins) /* memcpy must not get NULL, even for no bytes (UBSan) */
            memcpy(e->ins, ins, nins * sizeof *ins);
        e->nins = nins;
        if (nparams)
            memcpy(e->params, params, nparams);
        e->nparams = nparams;
        e->result = result;
        e->fn = fn;
    }
    h->last_index = (size_t)(e - h->entries);
    if (!e->fn)
        return UINT32_MAX; /* not lowered */
    lh_value scratch;
    memset(&scratch, 0, sizeof scratch);
    return e->fn(args, out ? out : &scratch, h->memory);
}

uint32_t lh_run(lh_harness *h, const w2n_instr *in, const uint8_t *params, unsigned nparams,
                uint8_t result, const lh_value *args, lh_value *out) {
    return lh_run_seq(h, in, 1, params, nparams, result, args, out);
}

size_t lh_last_index(lh_harness *h) { return h->last_index; }

void lh_dump_last(lh_harness *h) {
    if (h->last)
        LLVMDumpModule(h->last);
}
