/*
 * partition.h — compile a large module as several partitions, each
 * lowered, optimised and code-generated on its own thread in its own
 * LLVMContext,
 * joined into one object (partition.c, object_merge.c).
 */
#ifndef W2N_PARTITION_H
#define W2N_PARTITION_H

#include <stddef.h>
#include <stdint.h>

#include <llvm-c/Core.h>

#include "lower.h"
#include "module.h"
#include "target.h"
#include "w2n/error.h"

/* Partitions are sized by the module's code (body bytes, plus a fixed
 * weight per function for LLVM's per-function cost), never by the thread
 * count: a module below W2N_PARTITION_WEIGHT compiles as one partition,
 * exactly as a module always did, and no module gets more than
 * W2N_PARTITION_SIZED_MAX (every partition declares every function and
 * builds the module's tables, and calls across partitions are not inlined:
 * on two cores, two partitions measured faster than four,
 * docs/performance.md), nor, when tests ask for a number, more than
 * W2N_PARTITION_MAX. */
#define W2N_PARTITION_WEIGHT 60000u
#define W2N_PARTITION_SIZED_MAX 2u
#define W2N_PARTITION_MAX 8u
#define W2N_PARTITION_FUNCTION_WEIGHT 40u

/* Partition k owns the Wasm functions [first[k], first[k + 1]): their
 * bodies and trampolines.  The plan depends on the module alone. */
typedef struct w2n_partition_plan {
    unsigned count; /* partitions, 1..W2N_PARTITION_MAX */
    uint32_t first[W2N_PARTITION_MAX + 1];
} w2n_partition_plan;

/* Plan the partitions of a module: as its size says, or `forced` of them
 * when not 0 (at most W2N_PARTITION_MAX). */
void w2n_partition_plan_make(const w2n_module *m, unsigned forced, w2n_partition_plan *plan);

/* Lowers partition k of the module into (ctx, mod), a module already
 * given its target: the bodies of the functions it owns, every other
 * function declared (the lowering's own range, lower.h), reduced by
 * w2n_partition_reduce and ready to optimise.  Runs on partition k's
 * thread, with that thread's target machine. */
typedef w2n_status (*w2n_partition_lower_fn)(unsigned k, LLVMContextRef ctx, LLVMModuleRef mod,
                                             LLVMTargetMachineRef tm, void *arg, w2n_error *err);

/* Reduce partition k's lowered module to what the partition defines:
 * other partitions' functions and trampolines become hidden declarations,
 * its own become hidden definitions (other partitions call them), and
 * outside partition 0 so do the module's non-internal globals. */
void w2n_partition_reduce(w2n_lower_module *lm, const w2n_partition_plan *plan, unsigned k);

/* What each partition's thread needs to lower, optimise and emit its part. */
typedef struct w2n_partition_codegen {
    const w2n_target *target;
    const char *cpu, *features;
    int opt_level, codegen_level;
    bool many_functions; /* past the function budget: the short pipeline (codegen.h) */
    bool merge_checks;   /* explicit bounds: merge each address's checks (codegen.h) */
    unsigned threads;    /* at most this many threads at once, >= 1 */
    w2n_partition_lower_fn lower;
    void *lower_arg;
    /* Adds to partition 0, after its optimisation, what the object holds
     * once (the metadata). */
    w2n_status (*finish_first)(LLVMContextRef ctx, LLVMModuleRef mod, void *arg, w2n_error *err);
    void *finish_arg;
    int dump_ir;  /* print each partition's final IR to stderr, in order */
    bool exiting; /* the process exits after the compile (w2n_compile_options) */
} w2n_partition_codegen;

/* Lower, optimise and emit the parts of `plan` on up to cg->threads
 * threads, each in a context of its own, and join their objects in
 * partition order into *out (malloc'd).  The object is the same whatever
 * the thread count.  On failure, the error of the lowest-numbered failing
 * partition. */
w2n_status w2n_partition_compile(const w2n_partition_plan *plan, const w2n_partition_codegen *cg,
                                 uint8_t **out, size_t *out_size, w2n_error *err);

#endif
