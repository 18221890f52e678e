/*
 * split_vector_loads.h — vector loads of linear memory outside loops split
 * into their elements (split_vector_loads.c), a step after LLVM's
 * optimisation in explicit mode.
 */
#ifndef W2N_SPLIT_VECTOR_LOADS_H
#define W2N_SPLIT_VECTOR_LOADS_H

#include <llvm-c/Core.h>

/* Split every plain vector load of linear memory (2 to 4 lanes of 32 bits
 * or more) in a block outside the control flow's cycles into one load per
 * lane; returns the number of loads split. */
unsigned w2n_split_vector_loads(LLVMModuleRef mod);

#endif
