/*
 * partition.h — compile a large module as several partitions, each
 * optimised and code-generated on its own thread in its own LLVMContext,
 * joined into one object (partition.c, object_merge.c).
 */
#ifndef W2N_PARTITION_H
#define W2N_PARTITION_H

#include <stddef.h>
#include <stdint.h>

#include <llvm-c/Core.h>

#include "lower.h"
#include "target.h"
#include "w2n/error.h"

/* Partitions are sized by the module's IR (instructions, plus a fixed
 * weight per function for LLVM's per-function cost), never by the thread
 * count: a module below W2N_PARTITION_WEIGHT compiles as one partition,
 * exactly as a module always did, and no module gets more than
 * W2N_PARTITION_SIZED_MAX (every partition after the first reads the whole
 * module's bitcode, and calls across partitions are not inlined: on two
 * cores, two partitions measured faster than four, docs/performance.md),
 * nor, when tests ask for a number, more than W2N_PARTITION_MAX. */
#define W2N_PARTITION_WEIGHT 60000u
#define W2N_PARTITION_SIZED_MAX 2u
#define W2N_PARTITION_MAX 8u
#define W2N_PARTITION_FUNCTION_WEIGHT 40u

typedef struct w2n_partition_plan {
    unsigned count;     /* partitions, 1..W2N_PARTITION_MAX */
    size_t nowned;      /* functions placed by the plan: Wasm functions and trampolines */
    char **owned_names; /* their names in the LLVM module */
    unsigned *owner;    /* and their partitions */
} w2n_partition_plan;

/* Plan the partitions of a lowered module (after loop versioning): as its
 * size says, or `forced` of them when not 0 (at most W2N_PARTITION_MAX). */
w2n_status w2n_partition_plan_make(LLVMModuleRef mod, const w2n_lower_module *lm, unsigned forced,
                                   w2n_partition_plan *plan, w2n_error *err);
void w2n_partition_plan_free(w2n_partition_plan *plan);

/* What each partition's thread needs to optimise and emit its part. */
typedef struct w2n_partition_codegen {
    const w2n_target *target;
    const char *cpu, *features;
    int opt_level, codegen_level;
    bool many_functions; /* past the function budget: the short pipeline (codegen.h) */
    unsigned threads;    /* at most this many threads at once, >= 1 */
    /* Adds to partition 0, after its optimisation, what the object holds
     * once (the metadata). */
    w2n_status (*finish_first)(LLVMContextRef ctx, LLVMModuleRef mod, void *arg, w2n_error *err);
    void *finish_arg;
    int dump_ir; /* print each partition's final IR to stderr, in order */
} w2n_partition_codegen;

/* Split `mod` by `plan`, compile the parts on up to cg->threads threads and
 * join their objects in partition order into *out (malloc'd).  The object
 * is the same whatever the thread count.  `mod` itself is reduced to
 * partition 0 and compiled on the calling thread.  On failure, the error of
 * the lowest-numbered failing partition. */
w2n_status w2n_partition_compile(LLVMModuleRef mod, const w2n_partition_plan *plan,
                                 const w2n_partition_codegen *cg, uint8_t **out, size_t *out_size,
                                 w2n_error *err);

#endif
