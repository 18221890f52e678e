/*
 * bounds_merge.h — explicit bounds checks of one address merged into the
 * first (bounds_merge.c), a step after LLVM's optimisation.
 */
#ifndef W2N_BOUNDS_MERGE_H
#define W2N_BOUNDS_MERGE_H

#include <llvm-c/Core.h>

/* Along each straight run of out-of-bounds checks, widen the first check of
 * an address (or of an i32 sum a constant below the others) to the largest
 * end the run checks for it and drop the others, then compare each check's
 * address with the size less its reach; returns the number of terms
 * dropped. */
unsigned w2n_bounds_merge_checks(LLVMModuleRef mod);

#endif
