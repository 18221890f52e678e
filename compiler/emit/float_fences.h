/*
 * float_fences.h — identities that optimisation would find, fenced before it
 * can fold them into a signalling NaN's bits (float_fences.c).
 */
#ifndef W2N_FLOAT_FENCES_H
#define W2N_FLOAT_FENCES_H

#include <llvm-c/Core.h>

/* Put llvm.arithmetic.fence on each operand of
 * an fadd, fsub, fmul or fdiv that optimisation may turn into +-0 or +-1
 * where that would fold the op into its other operand, when the other
 * operand may be a signalling NaN; returns the number of fences added. */
unsigned w2n_float_fences_add(LLVMModuleRef mod);

#endif
