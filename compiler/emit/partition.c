/*
 * partition.c — a large module compiled as several partitions at once.
 *
 * LLVM's time goes mostly into work per function (the -O2 pipeline, then
 * instruction selection and register allocation), which one LLVMContext
 * cannot share between threads.  So the lowered module is written as bitcode
 * once, and each partition's thread reads it into a context of its own (the
 * lowered module itself becomes partition 0, on the calling thread),
 * keeps the bodies of its own functions (a contiguous range of Wasm
 * functions, with their trampolines), turns every other owned function and
 * every non-internal global into a hidden declaration, then optimises and
 * emits its part.  Internal helpers and constants are kept in every
 * partition, so calls to them stay local and inlinable; partition 0 also
 * keeps the module's tables and gets the metadata.  object_merge.c joins the
 * parts in partition order.
 *
 * Determinism: the plan depends on the lowered IR alone, each part on the
 * plan and the bitcode alone, and the join on the parts in order, so the
 * object is byte-identical whatever the number of threads.  What a module
 * of several partitions loses is inlining across partitions.
 */
#include "partition.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/BitReader.h>
#include <llvm-c/BitWriter.h>

#include "codegen.h"
#include "object_merge.h"

static uint64_t function_weight(LLVMValueRef fn) {
    uint64_t n = W2N_PARTITION_FUNCTION_WEIGHT;
    for (LLVMBasicBlockRef b = LLVMGetFirstBasicBlock(fn); b; b = LLVMGetNextBasicBlock(b))
        for (LLVMValueRef i = LLVMGetFirstInstruction(b); i; i = LLVMGetNextInstruction(i))
            n++;
    return n;
}

static char *name_copy(LLVMValueRef v) {
    size_t len;
    const char *name = LLVMGetValueName2(v, &len);
    char *copy = malloc(len + 1);
    if (copy) {
        memcpy(copy, name, len);
        copy[len] = 0;
    }
    return copy;
}

void w2n_partition_plan_free(w2n_partition_plan *plan) {
    for (size_t i = 0; i < plan->nowned; i++)
        free(plan->owned_names[i]);
    free(plan->owned_names);
    free(plan->owner);
    memset(plan, 0, sizeof *plan);
}

w2n_status w2n_partition_plan_make(LLVMModuleRef mod, const w2n_lower_module *lm, unsigned forced,
                                   w2n_partition_plan *plan, w2n_error *err) {
    memset(plan, 0, sizeof *plan);
    plan->count = 1;
    uint32_t n = lm->m->nfuncs;
    uint64_t *weight = calloc(n ? n : 1, sizeof *weight);
    LLVMValueRef *tramp = calloc(n ? n : 1, sizeof *tramp);
    plan->owned_names = calloc(2 * (size_t)n + 1, sizeof *plan->owned_names);
    plan->owner = calloc(2 * (size_t)n + 1, sizeof *plan->owner);
    if (!weight || !tramp || !plan->owned_names || !plan->owner) {
        free(weight);
        free(tramp);
        w2n_partition_plan_free(plan);
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    }
    uint64_t total = 0, ndefined = 0;
    for (uint32_t i = 0; i < n; i++) {
        char name[48];
        snprintf(name, sizeof name, "w2n_tramp_%u", i);
        tramp[i] = LLVMGetNamedFunction(mod, name);
        if (!LLVMIsDeclaration(lm->funcs[i]))
            weight[i] = function_weight(lm->funcs[i]);
        if (tramp[i] && !LLVMIsDeclaration(tramp[i]))
            weight[i] += function_weight(tramp[i]);
        total += weight[i];
        ndefined += weight[i] != 0;
    }
    uint64_t count = total / W2N_PARTITION_WEIGHT;
    if (count > W2N_PARTITION_SIZED_MAX)
        count = W2N_PARTITION_SIZED_MAX;
    if (forced)
        count = forced;
    if (count > ndefined) /* no empty partitions */
        count = ndefined;
    plan->count = count < 1 ? 1 : count > W2N_PARTITION_MAX ? W2N_PARTITION_MAX : (unsigned)count;
    uint64_t before = 0;
    w2n_status st = W2N_OK;
    for (uint32_t i = 0; i < n && plan->count > 1; i++) {
        /* Contiguous ranges of about equal weight. */
        unsigned part = (unsigned)(before * plan->count / total);
        before += weight[i];
        LLVMValueRef fns[2] = {lm->funcs[i], tramp[i]};
        for (int k = 0; k < 2; k++) {
            if (!fns[k] || LLVMIsDeclaration(fns[k]))
                continue;
            char *name = name_copy(fns[k]);
            if (!name) {
                st = w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
                break;
            }
            plan->owned_names[plan->nowned] = name;
            plan->owner[plan->nowned++] = part;
        }
    }
    free(weight);
    free(tramp);
    if (st != W2N_OK)
        w2n_partition_plan_free(plan);
    return st;
}

/* Turn a definition into a declaration in place, as LLVM's deleteBody
 * would: the function object stays, so the constant tables that point at it
 * (w2n_functions: one array over every function) are not rebuilt for each
 * function, which would take time quadratic in the module. */
static void make_declaration(LLVMValueRef fn) {
    for (LLVMBasicBlockRef b = LLVMGetFirstBasicBlock(fn); b; b = LLVMGetNextBasicBlock(b))
        for (LLVMValueRef i = LLVMGetFirstInstruction(b); i; i = LLVMGetNextInstruction(i))
            if (LLVMGetFirstUse(i))
                LLVMReplaceAllUsesWith(i, LLVMConstNull(LLVMTypeOf(i)));
    /* No instruction is used now, so each can go, then each block. */
    for (LLVMBasicBlockRef b = LLVMGetFirstBasicBlock(fn); b; b = LLVMGetNextBasicBlock(b)) {
        LLVMValueRef i;
        while ((i = LLVMGetFirstInstruction(b)))
            LLVMInstructionEraseFromParent(i);
    }
    LLVMBasicBlockRef b;
    while ((b = LLVMGetFirstBasicBlock(fn)))
        LLVMDeleteBasicBlock(b);
    if (LLVMHasPersonalityFn(fn))
        LLVMSetPersonalityFn(fn, NULL);
    LLVMGlobalClearMetadata(fn);
    LLVMSetLinkage(fn, LLVMExternalLinkage);
    LLVMSetVisibility(fn, LLVMHiddenVisibility);
}

static int is_local(LLVMValueRef g) {
    LLVMLinkage l = LLVMGetLinkage(g);
    return l == LLVMInternalLinkage || l == LLVMPrivateLinkage;
}

/* Reduce a copy of the whole module to partition k. */
static void keep_partition(LLVMModuleRef mod, const w2n_partition_plan *plan, unsigned k) {
    /* Module-level things other than internal helpers belong to partition 0. */
    if (k != 0) {
        LLVMValueRef next;
        for (LLVMValueRef g = LLVMGetFirstGlobal(mod); g; g = next) {
            next = LLVMGetNextGlobal(g);
            size_t len;
            const char *name = LLVMGetValueName2(g, &len);
            if (len > 5 && !strncmp(name, "llvm.", 5)) {
                LLVMDeleteGlobal(g);
            } else if (!is_local(g) && LLVMGetInitializer(g)) {
                LLVMSetInitializer(g, NULL);
                LLVMSetLinkage(g, LLVMExternalLinkage);
                LLVMSetVisibility(g, LLVMHiddenVisibility);
            }
        }
        for (LLVMValueRef f = LLVMGetFirstFunction(mod); f; f = next) {
            next = LLVMGetNextFunction(f);
            if (!LLVMIsDeclaration(f) && !is_local(f))
                make_declaration(f);
        }
    }
    for (size_t i = 0; i < plan->nowned; i++) {
        LLVMValueRef f = LLVMGetNamedFunction(mod, plan->owned_names[i]);
        if (!f)
            continue;
        if (plan->owner[i] == k) {
            LLVMSetLinkage(f, LLVMExternalLinkage);
            LLVMSetVisibility(f, LLVMHiddenVisibility);
        } else {
            make_declaration(f);
        }
    }
}

typedef struct part_result {
    w2n_status st;
    w2n_error err;
    uint8_t *object;
    size_t size;
    LLVMContextRef ctx; /* kept only to dump the IR */
    LLVMModuleRef mod;
} part_result;

typedef struct part_jobs {
    const w2n_partition_plan *plan;
    const w2n_partition_codegen *cg;
    const char *bitcode;
    size_t bitcode_size;
    unsigned next; /* the next partition to take (atomic) */
    part_result *results;
} part_jobs;

/* Optimise and emit partition k's module, already reduced to the partition. */
static w2n_status finish_part(const w2n_partition_codegen *cg, unsigned k, LLVMContextRef ctx,
                              LLVMModuleRef mod, part_result *r) {
    LLVMTargetMachineRef tm;
    w2n_status st = w2n_target_machine_acquire(cg->target, cg->cpu, cg->features, cg->codegen_level,
                                               &tm, &r->err);
    if (st != W2N_OK)
        return st;
    st = w2n_codegen_optimize(mod, tm, cg->opt_level, cg->many_functions, &r->err);
    if (st == W2N_OK && k == 0)
        st = cg->finish_first(ctx, mod, cg->finish_arg, &r->err);
    if (st == W2N_OK)
        st = w2n_codegen_emit(tm, mod, &r->object, &r->size, &r->err);
    w2n_target_machine_release(tm);
    return st;
}

/* Partitions 1 and up: read the bitcode into a context of their own. */
static w2n_status compile_part(part_jobs *jobs, unsigned k, part_result *r) {
    r->ctx = LLVMContextCreate();
    LLVMMemoryBufferRef buf =
        LLVMCreateMemoryBufferWithMemoryRange(jobs->bitcode, jobs->bitcode_size, "partition", 0);
    if (LLVMParseBitcodeInContext2(r->ctx, buf, &r->mod)) {
        LLVMDisposeMemoryBuffer(buf);
        r->mod = NULL;
        return w2n_error_set(&r->err, W2N_ERR_INTERNAL, W2N_NO_OFFSET,
                             "partition %u: LLVM could not read its own bitcode", k);
    }
    LLVMDisposeMemoryBuffer(buf);
    keep_partition(r->mod, jobs->plan, k);
    return finish_part(jobs->cg, k, r->ctx, r->mod, r);
}

static void *part_worker(void *arg) {
    part_jobs *jobs = arg;
    for (;;) {
        unsigned k = __atomic_fetch_add(&jobs->next, 1, __ATOMIC_RELAXED);
        if (k >= jobs->plan->count)
            return NULL;
        part_result *r = &jobs->results[k];
        r->st = compile_part(jobs, k, r);
        if (!jobs->cg->dump_ir) {
            if (r->mod)
                LLVMDisposeModule(r->mod);
            LLVMContextDispose(r->ctx);
            r->mod = NULL;
            r->ctx = NULL;
        }
    }
}

/* Run the jobs on up to cg->threads threads, this one included.  This
 * thread takes partition 0 first, from the lowered module itself (one
 * bitcode read fewer); the others start at partition 1.  Partition 0 is
 * always made this way, so the object does not depend on the threads. */
static void run_parts(part_jobs *jobs, LLVMModuleRef mod) {
    unsigned nthreads =
        jobs->cg->threads < jobs->plan->count ? jobs->cg->threads : jobs->plan->count;
    pthread_t tids[W2N_PARTITION_MAX];
    unsigned started = 0;
    jobs->next = 1;
    for (unsigned t = 1; t < nthreads; t++)
        if (pthread_create(&tids[started], NULL, part_worker, jobs) == 0)
            started++; /* a thread that cannot start leaves its work to the others */
    keep_partition(mod, jobs->plan, 0);
    jobs->results[0].st =
        finish_part(jobs->cg, 0, LLVMGetModuleContext(mod), mod, &jobs->results[0]);
    part_worker(jobs);
    for (unsigned t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
}

static w2n_status join_parts(const part_jobs *jobs, uint8_t **out, size_t *out_size,
                             w2n_error *err) {
    unsigned n = jobs->plan->count;
    for (unsigned k = 0; k < n; k++)
        if (jobs->results[k].st != W2N_OK) {
            if (err)
                *err = jobs->results[k].err;
            return jobs->results[k].st;
        }
    w2n_object_part parts[W2N_PARTITION_MAX];
    for (unsigned k = 0; k < n; k++)
        parts[k] = (w2n_object_part){jobs->results[k].object, jobs->results[k].size};
    return w2n_object_merge(parts, n, out, out_size, err);
}

w2n_status w2n_partition_compile(LLVMModuleRef mod, const w2n_partition_plan *plan,
                                 const w2n_partition_codegen *cg, uint8_t **out, size_t *out_size,
                                 w2n_error *err) {
    *out = NULL;
    *out_size = 0;
    LLVMMemoryBufferRef bitcode = LLVMWriteBitcodeToMemoryBuffer(mod);
    part_result results[W2N_PARTITION_MAX];
    memset(results, 0, sizeof results);
    part_jobs jobs = {.plan = plan,
                      .cg = cg,
                      .bitcode = LLVMGetBufferStart(bitcode),
                      .bitcode_size = LLVMGetBufferSize(bitcode),
                      .results = results};
    run_parts(&jobs, mod);
    LLVMDisposeMemoryBuffer(bitcode);
    w2n_status st = join_parts(&jobs, out, out_size, err);
    if (cg->dump_ir) {
        fprintf(stderr, "; partition 0 of %u\n", plan->count);
        LLVMDumpModule(mod);
    }
    for (unsigned k = 0; k < plan->count; k++) {
        if (results[k].mod) {
            fprintf(stderr, "; partition %u of %u\n", k, plan->count);
            LLVMDumpModule(results[k].mod);
            LLVMDisposeModule(results[k].mod);
        }
        if (results[k].ctx)
            LLVMContextDispose(results[k].ctx);
        free(results[k].object);
    }
    return st;
}
